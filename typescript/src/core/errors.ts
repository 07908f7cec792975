/**
 * The error hierarchy, and how an error response becomes one typed error.
 *
 * ```
 * EverrunsError
 *  +-- ApiError (the server answered with an error status)
 *  |    +-- BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403,
 *  |        NotFoundError 404, ConflictError 409, UnprocessableEntityError 422,
 *  |        RateLimitError 429, InternalServerError 5xx
 *  +-- APIConnectionError (no usable answer)
 *  |    +-- APITimeoutError
 *  |    +-- StreamRetriesExhaustedError
 *  +-- ResponseValidationError (a 2xx body that is not what the API promises)
 *  +-- ValidationError (client-side, raised before anything is sent)
 * ```
 *
 * `instanceof` works for every class, also across the ESM and CommonJS copies of the
 * package loaded in one process: each class checks a brand registered under a global
 * symbol rather than the prototype chain alone.
 */

const BRANDS = Symbol.for("@everruns/sdk.errorBrands");

const MAX_MESSAGE_CHARS = 300;
const MAX_BODY_CHARS = 64 * 1024;

type Branded = { [BRANDS]?: readonly string[] };

/** Base class of every error thrown by the SDK. */
export class EverrunsError extends Error {
  static readonly brand: string = "EverrunsError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const ctor = new.target as unknown as { brand: string; name?: string };
    this.name = ctor.brand;
    // Every brand on the way up the class chain, so `instanceof` any ancestor holds.
    const brands: string[] = [];
    let proto: unknown = new.target;
    while (typeof proto === "function" && "brand" in proto) {
      const brand = (proto as { brand: string }).brand;
      if (!brands.includes(brand)) brands.push(brand);
      proto = Object.getPrototypeOf(proto);
    }
    Object.defineProperty(this, BRANDS, { value: brands, enumerable: false });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const brands = (value as Branded)[BRANDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about.
    return Array.isArray(brands) && brands.includes(this.brand);
  }
}

/** An argument was rejected client-side, before any request was sent. */
export class ValidationError extends EverrunsError {
  static override readonly brand: string = "ValidationError";
}

/** A successful response whose body is not what the API promises. */
export class ResponseValidationError extends EverrunsError {
  static override readonly brand: string = "ResponseValidationError";
  readonly status: number;
  readonly requestId: string | undefined;

  constructor(
    message: string,
    options: { status: number; requestId?: string | undefined; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

/** The request got no HTTP answer (DNS, refused, reset, TLS, aborted by a timeout...). */
export class APIConnectionError extends EverrunsError {
  static override readonly brand: string = "APIConnectionError";
}

/** The request timed out. */
export class APITimeoutError extends APIConnectionError {
  static override readonly brand: string = "APITimeoutError";
}

/** An event stream failed to reconnect `attempts` times in a row (`maxRetries`). */
export class StreamRetriesExhaustedError extends APIConnectionError {
  static override readonly brand: string = "StreamRetriesExhaustedError";
  readonly attempts: number;

  constructor(message: string, options: { attempts: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.attempts = options.attempts;
  }
}

/** What an `ApiError` is built from. */
export interface ApiErrorInit {
  status: number;
  code?: string | undefined;
  requestId?: string | undefined;
  body?: unknown;
  headers?: Headers | undefined;
  retryAfter?: number | undefined;
}

/**
 * The server answered with an error status. `message` is short and human-readable;
 * `body` keeps the parsed JSON (or the text, truncated) for callers who need more.
 */
export class ApiError extends EverrunsError {
  static override readonly brand: string = "ApiError";
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;
  readonly headers: Headers;
  /** Seconds to wait before retrying, from `Retry-After` or `retry_after_seconds`. */
  readonly retryAfter: number | undefined;
  /** The short message alone (`message` adds the status, code and request ID). */
  readonly detail: string;

  constructor(message: string, init: ApiErrorInit) {
    super(render(message, init));
    this.detail = message;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.body = init.body;
    this.headers = init.headers ?? new Headers();
    this.retryAfter = init.retryAfter;
  }
}

function render(message: string, init: ApiErrorInit): string {
  let text = `HTTP ${init.status}`;
  if (init.code) text += ` ${init.code}`;
  if (message.startsWith(text)) text = message;
  else if (message && !text.startsWith(message)) text += `: ${message}`;
  if (init.requestId) text += ` (request id ${init.requestId})`;
  return text;
}

/** 400: the request was malformed or failed validation. */
export class BadRequestError extends ApiError {
  static override readonly brand: string = "BadRequestError";
}
/** 401: the API key is missing, wrong or revoked. */
export class AuthenticationError extends ApiError {
  static override readonly brand: string = "AuthenticationError";
}
/** 403: the key is valid but may not do this. */
export class PermissionDeniedError extends ApiError {
  static override readonly brand: string = "PermissionDeniedError";
}
/** 404: no such resource (or not visible to this organization). */
export class NotFoundError extends ApiError {
  static override readonly brand: string = "NotFoundError";
}
/** 409: the resource's state does not allow this (e.g. tool results not awaited). */
export class ConflictError extends ApiError {
  static override readonly brand: string = "ConflictError";
}
/** 422: the request is well-formed but breaks a business rule. */
export class UnprocessableEntityError extends ApiError {
  static override readonly brand: string = "UnprocessableEntityError";
}
/** 429: too many requests; `retryAfter` says how many seconds to wait, if known. */
export class RateLimitError extends ApiError {
  static override readonly brand: string = "RateLimitError";
}
/** 5xx: the server failed; usually worth retrying. */
export class InternalServerError extends ApiError {
  static override readonly brand: string = "InternalServerError";
}

const BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The `ApiError` subclass for an HTTP status. */
export function errorClassFor(status: number): typeof ApiError {
  if (status >= 500) return InternalServerError;
  return BY_STATUS[status] ?? ApiError;
}

function shorten(text: string, limit = MAX_MESSAGE_CHARS): string {
  const flat = text.split(/\s+/).filter(Boolean).join(" ");
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}\u2026`;
}

/** A markup page (what proxies answer), by content type or first character. */
function looksLikeHtml(text: string, contentType: string): boolean {
  if (contentType.toLowerCase().includes("html")) return true;
  return text
    .trimStart()
    .replace(/^\ufeff/, "")
    .trimStart()
    .startsWith("<");
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** [message, code, retry_after_seconds] of a problem-details or legacy error body. */
function describeJson(
  status: number,
  data: unknown,
): [string, string | undefined, number | undefined] {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return [`HTTP ${status}`, undefined, undefined];
  }
  const body = data as Record<string, unknown>;
  const legacy = body.error;
  if (typeof legacy === "object" && legacy !== null && !Array.isArray(legacy)) {
    const inner = legacy as Record<string, unknown>;
    const message = str(inner.message) ?? str(inner.detail);
    return [shorten(message ?? `HTTP ${status}`), str(inner.code), undefined];
  }
  if (typeof legacy === "string" && legacy) return [shorten(legacy), str(body.code), undefined];
  const message = str(body.detail) ?? str(body.message) ?? str(body.title) ?? `HTTP ${status}`;
  const raw = body.retry_after_seconds;
  const retry = typeof raw === "number" && Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  return [shorten(message), str(body.code), retry];
}

/** Replace every secret in `text` by `****`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("****");
  return out;
}

/**
 * The typed error for an error response whose body text is `text`. `secrets` must not
 * survive into the message or body even if a hostile server echoes them back.
 */
export function errorFromResponse(
  response: { status: number; statusText: string; headers: Headers },
  text: string,
  options: { retryAfterHeader?: number | undefined; secrets?: readonly string[] } = {},
): ApiError {
  const secrets = options.secrets ?? [];
  const { status, headers } = response;
  const body = scrub(text, secrets);
  const reason = scrub(response.statusText ?? "", secrets);
  const rawId = headers.get("x-request-id");
  const requestId = rawId ? scrub(rawId, secrets) : undefined;
  let parsed: unknown;
  let code: string | undefined;
  let retryBody: number | undefined;
  let message: string;
  if (!body.trim()) {
    message = reason ? `HTTP ${status} ${shorten(reason)}` : `HTTP ${status}`;
  } else if (looksLikeHtml(body, headers.get("content-type") ?? "")) {
    message = `HTTP ${status}`;
    parsed = body.slice(0, MAX_BODY_CHARS);
  } else {
    try {
      parsed = JSON.parse(body);
      [message, code, retryBody] = describeJson(status, parsed);
    } catch {
      parsed = body.slice(0, MAX_BODY_CHARS);
      message = shorten(body);
    }
  }
  const Class = errorClassFor(status);
  return new Class(message, {
    status,
    code,
    requestId,
    body: parsed,
    headers,
    retryAfter: options.retryAfterHeader ?? retryBody,
  });
}
