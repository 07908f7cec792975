/**
 * Whole turns: `client.sessions.run(sessionId, "Hello!")` sends the message and follows
 * that turn to its end. Before the message is posted, the ID of the session's last event
 * is read; the stream starts right after it, so no event of the turn is missed even when
 * the turn ends before the stream connects. With `tools`, every `tool.call_requested`
 * of the turn is answered by running those tools concurrently (errors and timeouts sent
 * back as tool errors), then the turn goes on.
 */
import { sleep } from "../core/abort";
import { APIConnectionError, ConflictError, EverrunsError } from "../core/errors";
import type { Event } from "../generated/events";
import type { ClientToolResult, ToolCall } from "../generated/index";
import type { ClientCore } from "../resources/base";
import { Events } from "../resources/events";
import { type ContentInput, Messages, toolError, toolResult } from "../resources/messages";
import { type AnyTool, toolsByName } from "./tools";
import { type TurnResult, TurnTracker } from "./tracker";

export type { TurnResult } from "./tracker";

/** Options of `sessions.run`. Durations in milliseconds. */
export interface TurnOptions {
  /** Client-side tools to run when the turn calls them (declare them on the session too). */
  tools?: readonly AnyTool[];
  /** Throw `TurnFailedError` for a failed turn (default: resolve with `status: "failed"`). */
  raiseOnFailure?: boolean;
  /** Throw `TurnTimeoutError` when the turn has not ended by then. */
  timeout?: number;
  /** Replaces each tool's own timeout. */
  toolTimeout?: number;
  /** Called with every event of the turn, as it arrives. */
  onEvent?: (event: Event) => void;
  signal?: AbortSignal;
}

/** The turn ended with `turn.failed` (thrown with `raiseOnFailure`). */
export class TurnFailedError extends EverrunsError {
  static override readonly brand: string = "TurnFailedError";
  readonly result: TurnResult;

  constructor(result: TurnResult) {
    const code = result.errorCode ? ` [${result.errorCode}]` : "";
    super(`turn ${result.turnId} failed: ${result.error ?? "unknown error"}${code}`);
    this.result = result;
  }
}

/** The turn did not end within `timeout` (it goes on on the server; `sessions.cancel` stops it). */
export class TurnTimeoutError extends EverrunsError {
  static override readonly brand: string = "TurnTimeoutError";
  readonly events: Event[];

  constructor(timeout: number, turnId: string | undefined, events: Event[]) {
    super(`turn ${turnId} did not end within ${timeout} ms`);
    this.events = events;
  }
}

/** Send `content` and follow the turn to its end (see `Sessions.run`). */
export async function runTurn(
  core: ClientCore,
  sessionId: string,
  content: ContentInput,
  options: TurnOptions = {},
): Promise<TurnResult> {
  const tools = options.tools ? toolsByName(options.tools) : undefined;
  const events = new Events(core);
  const messages = new Messages(core);
  const requestOptions = { signal: options.signal };
  const recent = await events.list(sessionId, { limit: 1 }, requestOptions);
  const sinceId = recent.at(-1)?.id;
  const message = await messages.create(sessionId, { content }, requestOptions);
  const tracker = new TurnTracker(message.id);
  const stream = events.stream(sessionId, { sinceId, signal: options.signal });
  let timedOut = false;
  const timer =
    options.timeout === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stream.abort();
        }, options.timeout);
  try {
    for await (const event of stream) {
      if (!tracker.accept(event)) continue;
      options.onEvent?.(event);
      if (tracker.ended) break;
      if (event.type === "tool.call_requested" && tools) {
        await answerToolCalls(
          messages,
          sessionId,
          event.data.toolCalls ?? [],
          tools,
          options.toolTimeout,
        );
      }
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    stream.abort();
  }
  if (!tracker.ended) {
    if (timedOut)
      throw new TurnTimeoutError(options.timeout as number, tracker.turnId, [...tracker.events]);
    if (options.signal?.aborted) throw options.signal.reason;
    throw new APIConnectionError("the event stream ended before the turn did");
  }
  const result = tracker.result(message);
  if (options.raiseOnFailure && result.status === "failed") throw new TurnFailedError(result);
  return result;
}

/** Run one tool call; its outcome as a result (never throws). */
export async function runToolCall(
  call: ToolCall,
  tools: ReadonlyMap<string, AnyTool>,
  timeout?: number,
): Promise<ClientToolResult> {
  const found = tools.get(call.name);
  if (!found) {
    const known = [...tools.keys()].sort().join(", ") || "none";
    return toolError(call.id, `unknown tool ${JSON.stringify(call.name)} (client tools: ${known})`);
  }
  let args: unknown;
  try {
    args = found.parse(call.arguments);
  } catch (error) {
    return toolError(call.id, `${call.name}: ${(error as Error).message}`);
  }
  const limit = timeout ?? found.timeout ?? undefined;
  const controller = new AbortController();
  const invoke = (async () => {
    try {
      const value = await found.call(args);
      return toolResult(call.id, jsonValue(value));
    } catch (error) {
      return toolError(call.id, error instanceof Error ? error : String(error));
    }
  })();
  if (limit === undefined) return invoke;
  const expired = sleep(limit, controller.signal).then(
    () => toolError(call.id, `tool ${JSON.stringify(call.name)} timed out after ${limit} ms`),
    () => undefined,
  );
  const outcome = await Promise.race([invoke, expired]);
  controller.abort();
  return outcome ?? invoke;
}

/** A tool's return value as JSON (undefined becomes null). */
function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

/** Run `calls` concurrently and submit all their results in one request. */
export async function answerToolCalls(
  messages: Messages,
  sessionId: string,
  calls: readonly ToolCall[],
  tools: ReadonlyMap<string, AnyTool>,
  timeout?: number,
): Promise<ClientToolResult[]> {
  if (!calls.length) return [];
  const results = await Promise.all(calls.map((call) => runToolCall(call, tools, timeout)));
  try {
    await messages.submitToolResults(sessionId, results);
  } catch (error) {
    // The turn stopped waiting (cancelled meanwhile): its end event follows.
    if (!(error instanceof ConflictError)) throw error;
  }
  return results;
}
