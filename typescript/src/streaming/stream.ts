/**
 * `EventStream`: a session's live events, reconnecting by itself without losing one.
 *
 * The rules (API-NOTES, "Server-Sent Events"), the same as the Python and Rust SDKs:
 *
 * - every connection starts with `connected`; the server ends one on purpose after
 *   `disconnecting` (with `retry_ms`): wait that long (else the stream's `retry:` hint,
 *   else 100 ms) and reconnect; planned, never counted as a retry;
 * - any other end (network error, EOF without `disconnecting`, idle timeout, 408, 429,
 *   5xx) is a failure: wait `backoffBase * 2^(n-1)` ms (capped at `backoffMax`, minus up
 *   to `jitter` of it, at least any `Retry-After`), `n` counting consecutive failures;
 *   `connected` or any event resets `n`; more than `maxRetries` failures in a row throw
 *   `StreamRetriesExhaustedError` (default: never);
 * - every (re)connect sends `since_id` = the ID of the last event delivered, so an event
 *   torn by a disconnect is delivered whole, exactly once, by the next connection;
 * - an idle timeout (default 45 s) drops a silent, half-open connection and reconnects;
 * - any other error status (400, 401, 403, 404, ...) is thrown at once, on the first
 *   connection or any later one.
 *
 * Leaving `for await` (break, return, throw) calls `return()`, which closes the
 * connection; `abort()` (or the `signal` option) stops the stream from anywhere. No
 * timer outlives the stream, so Node exits by itself after it.
 */
import { type AttemptSignal, attemptSignal, sleep } from "../core/abort";
import {
  APIConnectionError,
  ApiError,
  APITimeoutError,
  type EverrunsError,
  ResponseValidationError,
  StreamRetriesExhaustedError,
} from "../core/errors";
import type { Transport } from "../core/transport";
import type { Event } from "../generated/events";
import { parseEventJson } from "./events";
import { DEFAULT_MAX_EVENT_SIZE, SSEDecoder } from "./sse";

/** Options of `client.events.stream(sessionId, {...})`. Durations in milliseconds. */
export interface StreamOptions {
  /** Start after this event ID (default: from the session's first event). */
  sinceId?: string | undefined;
  /** Only these event types (at most 25). */
  types?: readonly string[] | undefined;
  /** Not these event types (applied after `types`). */
  exclude?: readonly string[] | undefined;
  /** Consecutive failed reconnects allowed (default: unbounded). */
  maxRetries?: number | undefined;
  /** Drop a connection silent for this long and reconnect (default 45,000 ms). */
  idleTimeout?: number | undefined;
  /** Stops the stream, like `abort()`. */
  signal?: AbortSignal | undefined;
  /** Also yield the `connected` and `disconnecting` lifecycle events. */
  includeLifecycle?: boolean | undefined;
  /** First backoff delay, ms (default 1,000). */
  backoffBase?: number | undefined;
  /** Backoff cap, ms (default 30,000). */
  backoffMax?: number | undefined;
  /** Up to this fraction of a backoff delay is taken off at random (default 0.1). */
  jitter?: number | undefined;
  /** Largest line or event accepted (default 16 MiB). */
  maxEventSize?: number | undefined;
}

const DEFAULT_IDLE_TIMEOUT = 45_000;
const DEFAULT_PLANNED_DELAY = 100;
const MAX_RETRY_AFTER_MS = 300_000;
const IDLE = Symbol("idle");
/** The headers of every connection: one object, so the transport builds them once. */
const STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  Accept: "text/event-stream",
  "Cache-Control": "no-cache",
});
/**
 * The reason every stream closes its own connections with: one instance made once, as
 * an abort without a reason would build (and capture a stack for) a DOMException each.
 */
const CLOSED = new DOMException("the event stream was closed", "AbortError");

interface Connection {
  /** The connection's one signal (passed to fetch): aborted to close it. */
  attempt: AttemptSignal;
  reader: ReadableStreamDefaultReader<Uint8Array>;
  status: number;
}

export class EventStream implements AsyncIterableIterator<Event> {
  readonly #transport: Transport;
  readonly #path: string;
  readonly #filters: [string, string][];
  readonly #maxRetries: number | undefined;
  readonly #idleTimeout: number;
  readonly #includeLifecycle: boolean;
  readonly #backoffBase: number;
  readonly #backoffMax: number;
  readonly #jitter: number;
  readonly #maxEventSize: number;
  /** While waiting before a reconnect: what `abort()` ends the wait with. */
  #sleep: AbortController | undefined;
  /** While a connection is being opened: its signal, for `abort()`. */
  #connecting: AttemptSignal | undefined;
  #lastEventId: string | undefined;
  #responseHeaders: Headers | undefined;
  /** The caller's `signal` option and the listener on it (until the stream ends). */
  #outer: AbortSignal | undefined;
  #onOuterAbort: (() => void) | undefined;
  #connection: Connection | undefined;
  #decoder: SSEDecoder;
  #aborted = false;
  #failures = 0;
  #connections = 0;
  #plannedDelay: number | undefined;
  #delay = 0;
  #done = false;
  #lastActivity = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(transport: Transport, path: string, options: StreamOptions = {}) {
    const { maxRetries, idleTimeout, backoffBase, backoffMax, jitter } = options;
    if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
      throw new RangeError("maxRetries must be a non-negative integer");
    }
    if (idleTimeout !== undefined && !(idleTimeout > 0)) {
      throw new RangeError("idleTimeout must be a positive number of milliseconds");
    }
    this.#transport = transport;
    this.#path = path;
    this.#filters = [
      ...(options.types ?? []).map((t): [string, string] => ["types", t]),
      ...(options.exclude ?? []).map((t): [string, string] => ["exclude", t]),
    ];
    this.#lastEventId = options.sinceId || undefined;
    this.#maxRetries = maxRetries;
    this.#idleTimeout = idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
    this.#includeLifecycle = options.includeLifecycle ?? false;
    this.#backoffBase = backoffBase ?? 1000;
    this.#backoffMax = backoffMax ?? 30_000;
    this.#jitter = jitter ?? 0.1;
    this.#maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
    this.#decoder = new SSEDecoder(this.#maxEventSize);
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) this.abort();
      else {
        // Removed again when the stream ends: one long-lived signal may serve many streams.
        this.#outer = signal;
        this.#onOuterAbort = () => this.abort();
        signal.addEventListener("abort", this.#onOuterAbort, { once: true });
      }
    }
  }

  /** ID of the last event delivered (or the initial `sinceId`): the resume point. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /**
   * The response headers of the current (or, once closed, the latest) connection, e.g.
   * its `x-request-id`; undefined before the first connection.
   */
  get responseHeaders(): Headers | undefined {
    return this.#responseHeaders;
  }

  /** Connection attempts after the first one (planned cycles and retries alike). */
  get reconnects(): number {
    return Math.max(0, this.#connections - 1);
  }

  /** Failed attempts since the last `connected` or delivered event. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Stop the stream: no more reconnects; a pending `next()` ends the iteration. */
  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    if (this.#onOuterAbort !== undefined) {
      this.#outer?.removeEventListener("abort", this.#onOuterAbort);
      this.#outer = undefined;
      this.#onOuterAbort = undefined;
    }
    this.#sleep?.abort(CLOSED);
    this.#connecting?.abort(CLOSED);
    this.#close();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async return(): Promise<IteratorResult<Event, undefined>> {
    this.#done = true;
    this.abort();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Event, undefined>> {
    await this.return();
    throw error;
  }

  next(): Promise<IteratorResult<Event, undefined>> {
    // The hot path: the next event of the last chunk is decoded, parsed and handed out
    // without an async function frame; anything else (reading, connecting, ending) is
    // `#advance`.
    if (!this.#done && !this.#aborted && this.#connection !== undefined) {
      try {
        const event = this.#take();
        if (event !== undefined) return Promise.resolve({ done: false, value: event });
      } catch (error) {
        this.#finish();
        return Promise.reject(error);
      }
    }
    return this.#advance();
  }

  /**
   * The next deliverable event of the chunks read so far (undefined when they hold no
   * more), decoded and parsed only now: an undelivered event stays the chunk's text.
   */
  #take(): Event | undefined {
    const decoder = this.#decoder;
    for (;;) {
      const data = decoder.take();
      if (data === undefined) return undefined;
      const event = this.#handle(decoder.event, data, decoder.id);
      if (event !== undefined) {
        this.#failures = 0;
        this.#lastEventId = event.id || decoder.id || this.#lastEventId;
        return event;
      }
    }
  }

  async #advance(): Promise<IteratorResult<Event, undefined>> {
    try {
      for (;;) {
        if (this.#done || this.#aborted) return this.#finish();
        const event = this.#take();
        if (event !== undefined) return { done: false, value: event };
        const connection = this.#connection;
        if (!connection) {
          await this.#connect();
          continue;
        }
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await connection.reader.read();
        } catch (error) {
          this.#ended(connection.attempt.signal.reason === IDLE ? IDLE : error);
          continue;
        }
        if (chunk.done) {
          this.#ended(undefined);
          continue;
        }
        this.#lastActivity = performance.now();
        this.#decoder.push(chunk.value);
      }
    } catch (error) {
      this.#finish();
      throw error;
    }
  }

  #finish(): IteratorResult<Event, undefined> {
    this.#done = true;
    this.abort();
    return { done: true, value: undefined };
  }

  /** The event to deliver for one frame, or undefined when it is consumed here. */
  #handle(type: string, data: string, id: string): Event | undefined {
    if (type === "connected" || type === "disconnecting") {
      const payload = jsonObject(data);
      if (type === "connected") this.#failures = 0;
      else this.#plannedDelay = this.#plannedDelayFrom(payload);
      if (!this.#includeLifecycle) return undefined;
      const lifecycle =
        type === "disconnecting" ? { reason: payload.reason, retryMs: payload.retry_ms } : payload;
      return {
        id,
        type,
        ts: new Date().toISOString(),
        sessionId: sessionIdOf(this.#path),
        context: {},
        data: lifecycle,
      } as Event;
    }
    return parseEventJson(data, this.#connection?.status ?? 200);
  }

  #plannedDelayFrom(payload: Record<string, unknown>): number {
    const retryMs = payload.retry_ms;
    if (typeof retryMs === "number" && retryMs >= 0) return Math.min(retryMs, this.#backoffMax);
    if (this.#decoder.retry !== undefined) return Math.min(this.#decoder.retry, this.#backoffMax);
    return DEFAULT_PLANNED_DELAY;
  }

  /** Wait the delay owed, then open a connection (or record why it failed). */
  async #connect(): Promise<void> {
    if (this.#delay > 0) {
      const sleeping = new AbortController();
      this.#sleep = sleeping;
      try {
        await sleep(this.#delay, sleeping.signal);
      } catch {
        return; // aborted while waiting
      } finally {
        this.#sleep = undefined;
      }
      this.#delay = 0;
    }
    const query: [string, string][] = [...this.#filters];
    if (this.#lastEventId) query.unshift(["since_id", this.#lastEventId]);
    this.#connections++;
    if (this.#connections > 1) {
      this.#transport.logger?.debug(
        `event stream ${this.#path}: reconnecting (since_id=${this.#lastEventId}, failures=${this.#failures})`,
      );
    }
    // One signal per connection: the connect timeout (then cleared) and our close.
    const timeout = this.#transport.config.timeout;
    const attempt = attemptSignal(timeout, undefined);
    this.#connecting = attempt;
    let response: Response;
    try {
      response = await this.#transport.stream(
        {
          method: "GET",
          path: this.#path,
          query,
          headers: STREAM_HEADERS,
        },
        attempt,
        timeout,
      );
    } catch (error) {
      if (this.#aborted) return;
      if (error instanceof ApiError) {
        if (error.status === 408 || error.status === 429 || error.status >= 500) {
          this.#failed(error, error.retryAfter);
          return;
        }
        throw error;
      }
      if (error instanceof APIConnectionError) {
        this.#failed(error, undefined);
        return;
      }
      throw error;
    } finally {
      this.#connecting = undefined;
    }
    if (this.#aborted) {
      attempt.abort(CLOSED); // aborted as the answer arrived
      return;
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (!contentType.toLowerCase().includes("text/event-stream") || !response.body) {
      attempt.abort(CLOSED);
      throw new ResponseValidationError(
        `expected an event stream from ${this.#path}, got ${contentType || "no"} content type`,
        { status: response.status, requestId: response.headers.get("x-request-id") ?? undefined },
      );
    }
    this.#responseHeaders = response.headers;
    this.#connection = {
      attempt,
      reader: response.body.getReader(),
      status: response.status,
    };
    this.#decoder = new SSEDecoder(this.#maxEventSize);
    this.#lastActivity = performance.now();
    this.#armIdleTimer(this.#idleTimeout);
  }

  /** One timer per idle period (not per read): it re-arms itself while data flows. */
  #armIdleTimer(ms: number): void {
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      const connection = this.#connection;
      if (!connection) return;
      const silent = performance.now() - this.#lastActivity;
      if (silent >= this.#idleTimeout - 1) connection.attempt.abort(IDLE);
      else this.#armIdleTimer(this.#idleTimeout - silent);
    }, ms);
  }

  /** The current connection ended (EOF when `error` is undefined): plan the next one. */
  #ended(error: unknown): void {
    const torn = this.#decoder.pending;
    this.#close();
    if (this.#aborted) return;
    if (torn) {
      this.#transport.logger?.debug(
        `event stream ${this.#path}: discarded ${torn} characters of an incomplete event`,
      );
    }
    if (this.#plannedDelay !== undefined) {
      this.#delay = this.#plannedDelay;
      this.#plannedDelay = undefined;
      return;
    }
    let cause: EverrunsError;
    if (error === undefined) {
      cause = new APIConnectionError("the event stream ended without a 'disconnecting' event");
    } else if (error === IDLE) {
      cause = new APITimeoutError(
        `no data on the event stream for ${this.#idleTimeout} ms (idle timeout)`,
      );
    } else if (error instanceof Error && error.name === "SSEProtocolError") {
      throw error;
    } else {
      const text = error instanceof Error ? error.message : String(error);
      cause = new APIConnectionError(`the event stream connection failed (${text})`);
    }
    this.#failed(cause, undefined);
  }

  /** Count one failed attempt; throw when retries are exhausted, else set the backoff. */
  #failed(cause: EverrunsError, retryAfterSeconds: number | undefined): void {
    this.#failures++;
    const n = this.#failures;
    if (this.#maxRetries !== undefined && n > this.#maxRetries) {
      throw new StreamRetriesExhaustedError(
        `event stream ${this.#path}: ${n} consecutive connection attempts failed ` +
          `(maxRetries=${this.#maxRetries}); last error: ${cause.message}`,
        { attempts: n, cause },
      );
    }
    let delay = Math.min(this.#backoffMax, this.#backoffBase * 2 ** Math.min(n - 1, 62));
    delay *= 1 - this.#jitter * Math.random();
    if (retryAfterSeconds !== undefined && retryAfterSeconds * 1000 > delay) {
      delay = Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS);
    }
    this.#delay = delay;
    this.#transport.logger?.debug(
      `event stream ${this.#path}: attempt failed (${cause.message}); failure ${n}, next attempt in ${Math.round(delay)} ms`,
    );
  }

  #close(): void {
    if (this.#idleTimer !== undefined) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) {
      // Cancelling the body ends the request and its socket (as aborting the signal
      // would, through one more round of abort events); a pending read ends as done.
      // Should the cancel fail, the signal is aborted after all.
      const { attempt } = connection;
      attempt.dispose();
      connection.reader.cancel(CLOSED).catch(() => attempt.abort(CLOSED));
    }
  }
}

function jsonObject(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function sessionIdOf(path: string): string {
  const parts = path.split("?")[0]?.split("/") ?? [];
  const at = parts.lastIndexOf("sessions");
  return at >= 0 && parts[at + 1] ? decodeURIComponent(parts[at + 1] as string) : "";
}
