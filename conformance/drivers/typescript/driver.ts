/**
 * The TypeScript conformance driver: scenario calls through `@everruns/sdk`'s public API.
 *
 * Reads one JSON request per line on stdin, answers one JSON line on stdout (protocol in
 * conformance/README.md). The server and key come from EVERRUNS_API_URL /
 * EVERRUNS_API_KEY.
 */
import { createInterface } from "node:readline";
import {
  APIConnectionError,
  APITimeoutError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  Everruns,
  EverrunsError,
  InternalServerError,
  NotFoundError,
  Page,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  StreamRetriesExhaustedError,
  UnprocessableEntityError,
  ValidationError,
} from "../../../typescript/src/index";
import { type Args, camel, OPERATIONS, Unsupported } from "./operations";

const STREAM_MS = 20_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Request {
  id: string;
  operation: string;
  args?: Args;
  client?: { max_retries?: number; api_key?: string };
  stream?: { count: number; idle_timeout?: number; max_retries?: number };
}

// Most specific first: the error kinds of the protocol.
const KINDS: [abstract new (...args: never[]) => Error, string][] = [
  [BadRequestError, "bad_request"],
  [AuthenticationError, "authentication"],
  [PermissionDeniedError, "permission_denied"],
  [NotFoundError, "not_found"],
  [ConflictError, "conflict"],
  [UnprocessableEntityError, "unprocessable_entity"],
  [RateLimitError, "rate_limit"],
  [InternalServerError, "server"],
  [ApiError, "api"],
  [ValidationError, "invalid_argument"],
  [StreamRetriesExhaustedError, "stream_retries_exhausted"],
  [APITimeoutError, "timeout"],
  [APIConnectionError, "connection"],
  [ResponseValidationError, "invalid_response"],
];

const toSnake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A result as JSON with the wire's names (this SDK's camelCase turned back). */
function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString("base64") };
  if (value instanceof Page) {
    const page = value as Page<unknown>;
    return { data: toJson(page.data), total: page.total, offset: page.offset, limit: page.limit };
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) out[toSnake(key)] = toJson(item);
    return out;
  }
  return value as Json;
}

function resultJson(value: unknown): Json {
  return Array.isArray(value) ? { data: toJson(value) } : toJson(value);
}

function errorJson(error: unknown): { [key: string]: Json } {
  const kind = KINDS.find(([cls]) => error instanceof cls)?.[1] ?? "unexpected";
  const err = error instanceof Error ? error : new Error(String(error));
  const out: { [key: string]: Json } = { kind, message: err.message, type: err.constructor.name };
  if (error instanceof ApiError) {
    out.status = error.status;
    out.code = error.code ?? null;
    out.message = error.detail || error.message;
    out.retry_after = error.retryAfter ?? null;
    out.request_id = error.requestId ?? null;
  }
  return out;
}

async function stream(client: Everruns, args: Args, spec: NonNullable<Request["stream"]>) {
  const options = camel<Record<string, unknown>>(args, "session_id");
  if (spec.idle_timeout !== undefined) options.idleTimeout = spec.idle_timeout * 1000;
  if (spec.max_retries !== undefined) options.maxRetries = spec.max_retries;
  const events = client.events.stream(args.session_id as string, options);
  const delivered: Json[] = [];
  let error: Json = null;
  const timer = setTimeout(() => events.abort(), STREAM_MS);
  try {
    for await (const event of events) {
      delivered.push({ id: event.id, type: event.type });
      if (delivered.length >= spec.count) break;
    }
    if (delivered.length < spec.count) {
      error = { kind: "driver_timeout", message: `no end within ${STREAM_MS} ms` };
    }
  } catch (caught) {
    if (!(caught instanceof EverrunsError)) throw caught;
    error = errorJson(caught);
  } finally {
    clearTimeout(timer);
  }
  return { events: delivered, error };
}

async function handle(request: Request): Promise<{ [key: string]: Json }> {
  const call = OPERATIONS[request.operation];
  const streaming = request.operation === "stream_sse";
  if (call === undefined && !streaming) {
    return { status: "unsupported", reason: `no method for ${request.operation}` };
  }
  const options = request.client ?? {};
  const client = new Everruns({
    ...(options.max_retries !== undefined ? { maxRetries: options.max_retries } : {}),
    ...(options.api_key !== undefined ? { apiKey: options.api_key } : {}),
  });
  const args = request.args ?? {};
  try {
    if (streaming || call === undefined) {
      return { status: "ok", result: await stream(client, args, request.stream ?? { count: 1 }) };
    }
    return { status: "ok", result: resultJson(await call(client, args)) };
  } catch (error) {
    if (error instanceof Unsupported) return { status: "unsupported", reason: error.message };
    if (error instanceof EverrunsError) return { status: "error", error: errorJson(error) };
    return { status: "error", error: { ...errorJson(error), kind: "crash" } };
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line) as Request;
  const answer = await handle(request);
  process.stdout.write(`${JSON.stringify({ id: request.id, ...answer })}\n`);
}
