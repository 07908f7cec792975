/**
 * What whole turns share: their errors and the client-side tool runner (the turn itself
 * is followed by `TurnStream`, in turn-stream.ts). Every `tool.call_requested` of a turn
 * is answered by running the tools concurrently, errors and timeouts sent back as tool
 * errors, all results in one request.
 */
import { sleep } from "../core/abort";
import { ConflictError, EverrunsError } from "../core/errors";
import type { Event } from "../generated/events";
import type { ClientToolResult, ToolCall } from "../generated/index";
import { type Messages, toolError, toolResult } from "../resources/messages";
import type { AnyTool } from "./tools";
import type { TurnResult } from "./tracker";

export type { TurnResult } from "./tracker";

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
