/**
 * The one request pipeline: URL, headers, send, redirects, retries, logging, and error
 * responses turned into typed errors. Every resource method goes through
 * `Transport.request` (or `Transport.stream` for the event stream); nothing else calls
 * `fetch`.
 *
 * The API key is kept in a module-private WeakMap, never in a property, so it cannot
 * show in `JSON.stringify`, `util.inspect` or a debugger's view of the client.
 */
import { abortReason, type AttemptSignal, attemptSignal } from "./abort";
import {
  checkHeaderValue,
  checkMaxRetries,
  checkTimeout,
  type Fetch,
  type ResolvedConfig,
} from "./config";
import {
  APIConnectionError,
  APITimeoutError,
  type ApiError,
  errorFromResponse,
  ResponseValidationError,
  scrub,
} from "./errors";
import { type Logger, resolveLogger } from "./logging";
import {
  backoffDelay,
  failureIsRetryable,
  MAX_RETRY_AFTER,
  parseRetryAfter,
  statusIsRetryable,
} from "./retry";
import { VERSION } from "./version";
import { sleep } from "./abort";

/** A query value: undefined is dropped, arrays become repeated keys. */
export type QueryValue = string | number | boolean | readonly string[] | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** Per-call options of every operation. */
export interface RequestOptions {
  /** Aborts the call (and its retries). */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in milliseconds (default: the client's; `Infinity`: none). */
  timeout?: number | undefined;
  /** Retries for this call (default: the client's). */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
  /** Query parameters for this call, replacing the method's own of the same name; an array repeats the key. */
  extraQuery?: QueryParams | undefined;
  /** JSON fields merged into the top level of the body, sent as given (never renamed). */
  extraBody?: Record<string, unknown> | undefined;
}

/** One request, before it is sent. */
export interface RequestSpec {
  method: string;
  path: string;
  query?: QueryParams | readonly (readonly [string, string])[] | undefined;
  /** A JSON body (already in wire names). */
  json?: unknown;
  /** A raw body (text, form data, bytes). */
  body?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  /** A POST/PATCH that is harmless to repeat (an upsert with a client-chosen ID). */
  idempotent?: boolean | undefined;
  /** Read the answer as bytes (images, downloads) rather than text. */
  binary?: boolean | undefined;
}

/** A 2xx response whose body has been read (as text, or as bytes for binary calls). */
export class ReadResponse {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly body: string | Uint8Array,
    private readonly where: string,
  ) {}

  get bytes(): Uint8Array {
    return typeof this.body === "string" ? new TextEncoder().encode(this.body) : this.body;
  }

  text(): string {
    return typeof this.body === "string" ? this.body : new TextDecoder().decode(this.body);
  }

  /** The body as JSON, or a `ResponseValidationError`. */
  json(): unknown {
    try {
      return JSON.parse(this.text());
    } catch (error) {
      throw new ResponseValidationError(`expected a JSON body from ${this.where}`, {
        status: this.status,
        requestId: this.headers.get("x-request-id") ?? undefined,
        cause: error,
      });
    }
  }
}

export const MAX_REDIRECTS = 5;
const SENSITIVE = new Set(["authorization", "x-org-id"]);
/** Network error codes meaning the request never reached the server. */
const NEVER_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Per transport: the key, and the headers of a call without extra headers (the base
 * headers with the key), built once; none ever sits in a property.
 */
const keys = new WeakMap<Transport, string>();
const plainHeaders = new WeakMap<Transport, Readonly<Record<string, string>>>();
/** Per transport: the headers of calls whose extra headers are one frozen object (a stream's). */
const builtHeaders = new WeakMap<Transport, WeakMap<object, Readonly<Record<string, string>>>>();

/** Query parameters as pairs: booleans `true`/`false`, arrays as repeated keys. */
export function encodeQuery(query: RequestSpec["query"]): [string, string][] {
  if (!query) return [];
  if (Array.isArray(query)) return query.map(([k, v]) => [k, v]);
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(query as QueryParams)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([key, String(item)]);
    else pairs.push([key, String(value)]);
  }
  return pairs;
}

/** An answer `follow()` handles: a redirect (or one this runtime will not let us see). */
function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
}

/** The fetch options of one hop (a GET without a body sends no method or body field). */
function init(
  method: string,
  headers: HeadersInit,
  body: BodyInit | undefined,
  signal: AbortSignal | undefined,
): RequestInit {
  const options: RequestInit =
    method === "GET" && body === undefined
      ? { headers, redirect: "manual" }
      : { method, headers, body: body ?? null, redirect: "manual" };
  if (signal !== undefined) options.signal = signal;
  return options;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export class Transport {
  readonly config: ResolvedConfig;
  readonly logger: Logger | undefined;
  /** Lower-case names, so that a per-call header replaces ours instead of joining it. */
  private readonly baseHeaders: Record<string, string>;

  constructor(config: ResolvedConfig, apiKey: string) {
    this.config = config;
    this.logger = resolveLogger(config.logger);
    keys.set(this, apiKey);
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": `everruns-typescript-sdk/${VERSION}`,
      "x-sdk-version": VERSION,
    };
    for (const [name, value] of Object.entries(config.defaultHeaders))
      headers[name.toLowerCase()] = value;
    if (config.orgId !== undefined) headers["x-org-id"] = config.orgId;
    this.baseHeaders = headers; // the key is added per request: it never sits in a property
    plainHeaders.set(this, Object.freeze({ ...headers, authorization: apiKey }));
  }

  /** A transport with other settings and the same key. */
  derive(config: ResolvedConfig): Transport {
    return new Transport(config, keys.get(this) as string);
  }

  /** Secrets that must never appear in an error or a log line. */
  get secrets(): readonly string[] {
    return [keys.get(this) as string];
  }

  private get fetch(): Fetch {
    const fn = this.config.fetch ?? (globalThis.fetch as Fetch | undefined);
    if (!fn) throw new APIConnectionError("no fetch in this runtime: pass { fetch } to Everruns");
    return fn;
  }

  url(path: string, query?: RequestSpec["query"]): string {
    if (!query) return this.config.baseUrl + path;
    const pairs = encodeQuery(query);
    const url = this.config.baseUrl + path;
    return pairs.length ? `${url}?${new URLSearchParams(pairs).toString()}` : url;
  }

  headers(
    extra: Record<string, string> | undefined,
    perCall?: Record<string, string>,
  ): Record<string, string> {
    return { ...this.#headers(extra, perCall) };
  }

  /** The headers of one call; shared and read-only when the call adds none. */
  #headers(
    extra: Record<string, string> | undefined,
    perCall?: Record<string, string>,
  ): Readonly<Record<string, string>> {
    if (!extra && !perCall) return plainHeaders.get(this) as Readonly<Record<string, string>>;
    const frozen = !perCall && Object.isFrozen(extra);
    if (frozen) {
      const known = builtHeaders.get(this)?.get(extra as object);
      if (known !== undefined) return known;
    }
    const headers: Record<string, string> = {
      ...this.baseHeaders,
      authorization: keys.get(this) as string,
    };
    for (const source of [extra, perCall]) {
      if (!source) continue;
      for (const [name, value] of Object.entries(source)) {
        const lower = name.toLowerCase();
        if (source === perCall && SENSITIVE.has(lower)) continue; // not overridable per call
        headers[lower] = checkHeaderValue(name, value);
      }
    }
    if (frozen) {
      let built = builtHeaders.get(this);
      if (built === undefined) {
        built = new WeakMap();
        builtHeaders.set(this, built);
      }
      built.set(extra as object, Object.freeze(headers));
    }
    return headers;
  }

  /**
   * Send a request, retrying what is safe to retry; resolve with the read 2xx response.
   * Throws the `ApiError` subclass for the status, `APITimeoutError` or
   * `APIConnectionError` when no answer came after the allowed retries.
   */
  async request(spec: RequestSpec, options: RequestOptions = {}): Promise<ReadResponse> {
    const url = this.url(spec.path, spec.query);
    let headers = this.#headers(spec.headers, options.headers);
    let body = spec.body;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers = { ...headers, "content-type": "application/json" };
    }
    const retries =
      options.maxRetries === undefined
        ? this.config.maxRetries
        : checkMaxRetries(options.maxRetries);
    const timeout =
      options.timeout === undefined ? this.config.timeout : checkTimeout(options.timeout);
    const retryAs = spec.idempotent ? "PUT" : spec.method;
    const where = `${spec.method} ${spec.path}`;
    for (let attempt = 0; ; attempt++) {
      const started = this.logger ? performance.now() : 0;
      // No timeout and no caller's signal: fetch is given no signal at all (passing one
      // costs Node 20's fetch ~7% of a loopback GET), as nothing could abort the attempt.
      const attemptAbort =
        timeout === Number.POSITIVE_INFINITY && options.signal === undefined
          ? undefined
          : attemptSignal(timeout, options.signal);
      const signal = attemptAbort?.signal;
      let response: Response;
      let read: string | Uint8Array;
      try {
        response = await this.fetch(url, init(spec.method, headers, body, signal));
        if (isRedirect(response))
          response = await this.follow(response, spec.method, url, headers, body, signal);
        read =
          spec.binary && response.ok
            ? new Uint8Array(await response.arrayBuffer())
            : await response.text();
      } catch (error) {
        attemptAbort?.dispose();
        if (options.signal?.aborted) throw abortReason(options.signal);
        const failure = this.connectionError(error, attemptAbort?.timedOut() ?? false, timeout);
        const neverConnected = NEVER_CONNECTED.has(errorCode(error) ?? "");
        if (attempt < retries && failureIsRetryable(retryAs, neverConnected)) {
          const delay = backoffDelay(attempt);
          this.logRetry(where, attempt, delay, failure.message);
          await sleep(delay * 1000, options.signal);
          continue;
        }
        throw failure;
      }
      attemptAbort?.dispose();
      if (this.logger) this.logResponse(where, response, performance.now() - started, attempt);
      if (response.status >= 200 && response.status < 300) {
        return new ReadResponse(response.status, response.headers, read, where);
      }
      const error = this.apiError(response, read as string);
      if (attempt < retries && statusIsRetryable(retryAs, response.status, error.retryAfter)) {
        if (error.retryAfter !== undefined && error.retryAfter > MAX_RETRY_AFTER) throw error;
        const delay = error.retryAfter ?? backoffDelay(attempt);
        this.logRetry(where, attempt, delay, `HTTP ${response.status}`);
        await sleep(delay * 1000, options.signal);
        continue;
      }
      throw error;
    }
  }

  /**
   * Open one streaming request (no retries: the caller owns reconnection). Resolves with
   * the open 2xx response; throws the typed error for any other status. `connect` is the
   * connection's one signal: its timeout bounds the wait for the answer (then cleared);
   * aborting it closes the connection at any time, also while the body is being read.
   * @internal The event stream's (`EventStream`), not for users.
   */
  async stream(
    spec: RequestSpec,
    connect: AttemptSignal,
    connectTimeout: number,
  ): Promise<Response> {
    const url = this.url(spec.path, spec.query);
    const headers = this.#headers(spec.headers);
    const started = performance.now();
    let response: Response;
    try {
      response = await this.fetch(url, init(spec.method, headers, undefined, connect.signal));
      if (isRedirect(response))
        response = await this.follow(
          response,
          spec.method,
          url,
          headers,
          undefined,
          connect.signal,
        );
    } catch (error) {
      connect.dispose();
      if (connect.signal.aborted && !connect.timedOut()) throw abortReason(connect.signal);
      throw this.connectionError(error, connect.timedOut(), connectTimeout);
    }
    // The connect timeout is over; the signal still aborts the body being read.
    connect.clearTimer();
    this.logResponse(`${spec.method} ${spec.path}`, response, performance.now() - started, 0);
    if (response.status < 200 || response.status >= 300) {
      let text = "";
      try {
        text = await response.text();
      } catch (error) {
        throw this.connectionError(error, false, connectTimeout);
      }
      throw this.apiError(response, text);
    }
    return response;
  }

  /**
   * The hops after a first answer that is a redirect, followed by hand: another origin
   * never gets the key or org. (The first hop is each caller's own `fetch`, awaited
   * directly: a shared wrapper measured ~1% of a loopback GET.)
   */
  private async follow(
    first: Response,
    method: string,
    url: string,
    headers: Readonly<Record<string, string>>,
    body: BodyInit | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    let response = first;
    let currentUrl = url;
    let currentMethod = method;
    let currentBody = body;
    let currentHeaders: HeadersInit = headers;
    for (let hop = 0; ; hop++) {
      if (response.type === "opaqueredirect") {
        throw new APIConnectionError(
          "the server answered with a redirect this runtime cannot follow by hand",
        );
      }
      if (response.status < 300 || response.status >= 400) return response;
      const location = response.headers.get("location");
      if (!location) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) break;
      const next = new URL(location, currentUrl);
      const sameOrigin = next.origin === new URL(currentUrl).origin;
      const hopHeaders: Headers = new Headers(currentHeaders);
      currentHeaders = hopHeaders;
      if (!sameOrigin) for (const name of SENSITIVE) hopHeaders.delete(name);
      // 303 always becomes GET; 301/302 turn only POST into GET (as browsers do);
      // 307/308 repeat the request as it was.
      const status = response.status;
      const toGet =
        (status === 303 && currentMethod !== "HEAD") ||
        ((status === 301 || status === 302) && currentMethod === "POST");
      if (toGet) {
        currentMethod = "GET";
        currentBody = undefined;
        hopHeaders.delete("content-type");
        hopHeaders.delete("content-length");
      }
      currentUrl = next.toString();
      response = await this.fetch(
        currentUrl,
        init(currentMethod, currentHeaders, currentBody, signal),
      );
    }
    throw new APIConnectionError(`too many redirects (more than ${MAX_REDIRECTS})`);
  }

  apiError(response: Response, text: string): ApiError {
    return errorFromResponse(response, text, {
      retryAfterHeader: parseRetryAfter(response.headers.get("retry-after")),
      secrets: this.secrets,
    });
  }

  /** A network failure as our error, its text free of the key. */
  connectionError(error: unknown, timedOut: boolean, timeoutMs: number): APIConnectionError {
    if (error instanceof APIConnectionError) return error;
    if (timedOut) return new APITimeoutError(`request timed out after ${timeoutMs} ms`);
    const code = errorCode(error);
    const text = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    const detail = scrub([text, cause, code].filter(Boolean).join(": "), this.secrets);
    return new APIConnectionError(`connection failed (${detail})`);
  }

  private logResponse(where: string, response: Response, ms: number, attempt: number): void {
    if (!this.logger) return;
    const id = scrub(response.headers.get("x-request-id") ?? "-", this.secrets);
    this.logger.debug(
      `${where} -> ${response.status} in ${ms.toFixed(1)} ms (request id ${id}, attempt ${attempt + 1})`,
    );
  }

  private logRetry(where: string, attempt: number, delay: number, cause: string): void {
    this.logger?.debug(`${where} failed (${cause}); retry ${attempt + 1} in ${delay.toFixed(2)} s`);
  }
}
