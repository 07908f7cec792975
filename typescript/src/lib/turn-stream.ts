/**
 * `TurnStream`: one turn followed live, `client.sessions.streamTurn(sessionId, content)`.
 *
 * Creating it sends the message (before that, the ID of the session's last event is
 * read, and the stream starts right after it, so no event of the turn is missed). Then:
 *
 * - `for await (const event of turn)`: every event of this turn, `input.message` to the
 *   event that ends it (`turn.completed`, `turn.failed` or `turn.cancelled`);
 * - `for await (const text of turn.textDeltas())`: the agent's text as it is written;
 * - `await turn.final()`: the rest of the turn, then the same `TurnResult` as
 *   `sessions.run`;
 * - `turn.abort()` (or leaving `for await` early, or `await using`) closes the stream;
 *   the turn itself goes on on the server (`sessions.cancel` stops it).
 *
 * With `tools`, a `tool.call_requested` event is answered once the caller has seen it
 * (on the next step of the iteration), by running those tools concurrently.
 */
import { APIConnectionError, EverrunsError } from "../core/errors";
import type { Event } from "../generated/events";
import type { Message } from "../generated/index";
import type { ClientCore } from "../resources/base";
import { Events } from "../resources/events";
import { type ContentInput, Messages } from "../resources/messages";
import type { EventStream } from "../streaming/stream";
import { type AnyTool, toolsByName } from "./tools";
import { type TurnResult, TurnTracker } from "./tracker";
import { answerToolCalls, TurnFailedError, TurnTimeoutError } from "./turns";

/** Options of `sessions.streamTurn` (and `sessions.run`). Durations in milliseconds. */
export interface TurnStreamOptions {
  /** Client-side tools to run when the turn calls them (declare them on the session too). */
  tools?: readonly AnyTool[] | undefined;
  /** `final()` throws `TurnFailedError` for a failed turn (default: resolves with `status: "failed"`). */
  raiseOnFailure?: boolean | undefined;
  /** Throw `TurnTimeoutError` when the turn has not ended by then (counted from the start). */
  timeout?: number | undefined;
  /** Replaces each tool's own timeout. */
  toolTimeout?: number | undefined;
  /** Stops following the turn, like `abort()`; iteration then throws the signal's reason. */
  signal?: AbortSignal | undefined;
}

declare global {
  // Declared by TypeScript's esnext.disposable lib (and @types/node) too; here as well so
  // that these declarations compile without them (`await using` needs that lib anyway).
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

interface Started {
  message: Message;
  tracker: TurnTracker;
  stream: EventStream;
}

/** One turn, followed live (see `Sessions.streamTurn`). */
export class TurnStream implements AsyncIterableIterator<Event> {
  readonly sessionId: string;
  readonly #core: ClientCore;
  readonly #tools: ReadonlyMap<string, AnyTool> | undefined;
  readonly #options: TurnStreamOptions;
  readonly #stop = new AbortController();
  readonly #ready: Promise<Started>;
  #started: Started | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  #closed = false;
  #pendingCalls: Event | undefined;
  #onSignal: (() => void) | undefined;

  constructor(
    core: ClientCore,
    sessionId: string,
    content: ContentInput,
    options: TurnStreamOptions = {},
  ) {
    const { timeout, toolTimeout, signal } = options;
    if (timeout !== undefined && !(timeout > 0)) {
      throw new RangeError("timeout must be a positive number of milliseconds");
    }
    if (toolTimeout !== undefined && !(toolTimeout > 0)) {
      throw new RangeError("toolTimeout must be a positive number of milliseconds");
    }
    this.sessionId = sessionId;
    this.#core = core;
    this.#options = options;
    this.#tools = options.tools ? toolsByName(options.tools) : undefined;
    if (signal) {
      if (signal.aborted) this.#stop.abort(signal.reason);
      else {
        this.#onSignal = () => this.#stop.abort(signal.reason);
        signal.addEventListener("abort", this.#onSignal, { once: true });
      }
    }
    if (timeout !== undefined && !this.#stop.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#timedOut = true;
        this.#stop.abort();
      }, timeout);
    }
    this.#ready = this.#start(content);
    // A failure to start is thrown by the first `next()` or `final()`, never unhandled.
    this.#ready.catch(() => undefined);
  }

  /** The user message that started the turn (once sent). */
  get message(): Message | undefined {
    return this.#started?.message;
  }

  /** The turn's ID, once its first event has been seen. */
  get turnId(): string | undefined {
    return this.#started?.tracker.turnId;
  }

  /** The events of this turn seen so far. */
  get events(): Event[] {
    return this.#started ? [...this.#started.tracker.events] : [];
  }

  /** True once the event that ends the turn has been seen. */
  get done(): boolean {
    return this.#started?.tracker.ended ?? false;
  }

  /** Resolves once the message is sent (the turn has begun on the server). */
  async start(): Promise<this> {
    await this.#ready;
    return this;
  }

  async #start(content: ContentInput): Promise<Started> {
    const events = new Events(this.#core);
    const requestOptions = { signal: this.#stop.signal };
    const recent = await events.list(this.sessionId, { limit: 1 }, requestOptions);
    const sinceId = recent.at(-1)?.id;
    const message = await new Messages(this.#core).create(
      this.sessionId,
      { content },
      requestOptions,
    );
    // The stream connects on the first `next()`, from the event before the message.
    const stream = events.stream(this.sessionId, { sinceId, signal: this.#stop.signal });
    this.#started = { message, tracker: new TurnTracker(message.id), stream };
    return this.#started;
  }

  /** Stop following the turn and release the connection. Idempotent. */
  abort(): void {
    this.#closed = true;
    this.#release();
    this.#stop.abort();
  }

  #release(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onSignal) this.#options.signal?.removeEventListener("abort", this.#onSignal);
    this.#onSignal = undefined;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** `await using turn = client.sessions.streamTurn(...)` aborts it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.abort();
  }

  /** Leaving `for await` early closes the stream (the turn's result stays readable if it ended). */
  async return(): Promise<IteratorResult<Event, undefined>> {
    this.abort();
    return { done: true, value: undefined };
  }

  async next(): Promise<IteratorResult<Event, undefined>> {
    let started: Started;
    try {
      started = await this.#ready;
    } catch (error) {
      this.#release();
      if (this.#stop.signal.aborted) return this.#stopped(undefined);
      throw error;
    }
    const { tracker, stream } = started;
    const pending = this.#pendingCalls;
    if (pending !== undefined && !tracker.ended && !this.#stop.signal.aborted) {
      this.#pendingCalls = undefined;
      await answerToolCalls(
        new Messages(this.#core),
        this.sessionId,
        pending.type === "tool.call_requested" ? (pending.data.toolCalls ?? []) : [],
        this.#tools ?? new Map(),
        this.#options.toolTimeout,
      );
    }
    while (!tracker.ended) {
      const step = await stream.next();
      if (step.done) return this.#stopped(tracker);
      const event = step.value;
      if (!tracker.accept(event)) continue;
      if (tracker.ended) {
        this.#release();
        stream.abort();
      } else if (event.type === "tool.call_requested" && this.#tools) {
        this.#pendingCalls = event;
      }
      return { done: false, value: event };
    }
    return { done: true, value: undefined };
  }

  /** The stream ended before the turn did: quietly after `abort()`, else say why. */
  #stopped(tracker: TurnTracker | undefined): IteratorResult<Event, undefined> {
    this.#release();
    if (this.#timedOut) {
      throw new TurnTimeoutError(
        this.#options.timeout as number,
        tracker?.turnId,
        tracker ? [...tracker.events] : [],
      );
    }
    const signal = this.#options.signal;
    if (signal?.aborted && !this.#closed) throw signal.reason;
    if (this.#closed) return { done: true, value: undefined };
    throw new APIConnectionError("the event stream ended before the turn did");
  }

  /** The agent's text, piece by piece (`output.message.delta`). */
  async *textDeltas(): AsyncGenerator<string, void, undefined> {
    for await (const event of this) {
      if (event.type === "output.message.delta" && typeof event.data.delta === "string") {
        yield event.data.delta;
      }
    }
  }

  /**
   * Follow the turn to its end and resolve with its result (as `sessions.run` does);
   * with `raiseOnFailure`, a failed turn throws `TurnFailedError`.
   */
  async final(): Promise<TurnResult> {
    for (;;) {
      const step = await this.next();
      if (step.done) break;
    }
    const started = this.#started;
    if (!started?.tracker.ended) {
      throw new EverrunsError("the turn stream was aborted before the turn ended");
    }
    const result = started.tracker.result(started.message);
    if (this.#options.raiseOnFailure && result.status === "failed") {
      throw new TurnFailedError(result);
    }
    return result;
  }

  /** Follows `util.inspect` and `JSON.stringify`: the state, never the client. */
  toJSON(): { sessionId: string; turnId: string | undefined; state: string } {
    const state = this.done ? "done" : this.#closed ? "closed" : "open";
    return { sessionId: this.sessionId, turnId: this.turnId, state };
  }
}

/** Options of `sessions.run`. Durations in milliseconds. */
export interface TurnOptions extends TurnStreamOptions {
  /** Called with every event of the turn, as it arrives. */
  onEvent?: ((event: Event) => void) | undefined;
}

/** Send `content` and follow the turn to its end (see `Sessions.run`). */
export async function runTurn(
  core: ClientCore,
  sessionId: string,
  content: ContentInput,
  options: TurnOptions = {},
): Promise<TurnResult> {
  const turn = new TurnStream(core, sessionId, content, options);
  try {
    if (options.onEvent) for await (const event of turn) options.onEvent(event);
    return await turn.final();
  } finally {
    turn.abort();
  }
}
