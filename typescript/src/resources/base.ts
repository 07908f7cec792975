/**
 * What every sub-client shares: one request helper that builds the path, renames the
 * body to wire names, sends through the transport and renames the answer back.
 */
import { toWire, fromWire } from "../core/names";
import { Page, PagePromise } from "../core/pagination";
import { buildPath } from "../core/paths";
import {
  encodeQuery,
  type QueryParams,
  type ReadResponse,
  type RequestOptions,
  type RequestSpec,
  type Transport,
} from "../core/transport";
import { ResponseValidationError, ValidationError } from "../core/errors";
import type { Shape } from "../generated/shapes";
import { notRaw, type Outcome, RawResponse, type WithRawResponse } from "./raw";

/**
 * Per-call options of every operation: `{ signal, timeout, maxRetries, headers,
 * extraQuery, extraBody }`, applied to every call here, in `Resource.send`.
 */
export type { RequestOptions };

/** One call: method, path template and parameters, body (TypeScript names) and shapes. */
export interface Call {
  method: string;
  path: string;
  params?: Record<string, unknown>;
  query?: RequestSpec["query"];
  /** A JSON body in TypeScript names, renamed by `bodyShape`. */
  body?: unknown;
  bodyShape?: Shape;
  /** A raw body (text, form data). */
  raw?: BodyInit;
  headers?: Record<string, string>;
  idempotent?: boolean;
  /** Read the answer as bytes. */
  binary?: boolean;
}

/** What the sub-clients need from the client. */
export interface ClientCore {
  readonly transport: Transport;
}

/** The cores of `withRawResponse` calls, each with what records its responses. */
const recorders = new WeakMap<ClientCore, (response: ReadResponse) => void>();

export class Resource {
  protected readonly core: ClientCore;
  #raw: object | undefined;

  constructor(core: ClientCore) {
    this.core = core;
  }

  /**
   * The API methods of this sub-client answering `RawResponse`s: the status, headers
   * and request ID of the response, and `parse()` for the usual result.
   *
   * ```ts
   * const raw = await client.agents.withRawResponse.get(agentId);
   * console.log(raw.status, raw.requestId, raw.parse().name);
   * ```
   */
  get withRawResponse(): WithRawResponse<this> {
    this.#raw ??= this.#rawMethods();
    return this.#raw as WithRawResponse<this>;
  }

  /** This sub-client over another core (a subclass with more state overrides it). */
  protected rebind(core: ClientCore): this {
    const Same = this.constructor as new (core: ClientCore) => this;
    return new Same(core);
  }

  /** One raw method per method of the subclasses (nested sub-clients: their raw ones). */
  #rawMethods(): object {
    const raw: Record<string, unknown> = {};
    const excluded: readonly string[] = (this as { [notRaw]?: readonly string[] })[notRaw] ?? [];
    const seen = new Set<string>(["constructor", ...excluded]);
    let proto: object | null = Object.getPrototypeOf(this);
    for (; proto !== null && proto !== Resource.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (seen.has(name)) continue;
        seen.add(name);
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (descriptor?.get) {
          if (!(Reflect.get(this, name) instanceof Resource)) continue;
          const nested = () => (Reflect.get(this, name) as Resource).withRawResponse;
          Object.defineProperty(raw, name, { get: nested, enumerable: true });
        } else if (typeof descriptor?.value === "function") {
          raw[name] = (...args: unknown[]) => this.#rawCall(name, args);
        }
      }
    }
    return Object.freeze(raw);
  }

  /** Call method `name` on a copy of this sub-client that records the responses it gets. */
  async #rawCall(name: string, args: unknown[]): Promise<RawResponse<unknown>> {
    const received: { last?: ReadResponse; open: boolean } = { open: true };
    const core: ClientCore = { transport: this.core.transport };
    recorders.set(core, (response) => {
      if (received.open) received.last = response;
    });
    const copy = this.rebind(core);
    const method = Reflect.get(copy, name) as (...args: unknown[]) => unknown;
    let outcome: Outcome<unknown>;
    try {
      outcome = { ok: true, value: await method.apply(copy, args) };
    } catch (error) {
      // A 2xx answer that is not the expected model: `parse()` throws it.
      if (!(error instanceof ResponseValidationError) || !received.last) throw error;
      outcome = { ok: false, error };
    } finally {
      received.open = false; // a page fetched later by the result is not this call's
    }
    if (!received.last) throw new TypeError(`${name}() sent no request to answer raw`);
    return new RawResponse(received.last, outcome);
  }

  /**
   * Send one call; resolve with the read 2xx response. The per-call `extraQuery` and
   * `extraBody` are applied here (headers, timeout, retries and signal by the transport).
   */
  protected send(call: Call, options?: RequestOptions): Promise<ReadResponse> {
    let query = call.query;
    let json = call.body === undefined ? undefined : toWire(call.body, call.bodyShape ?? 0);
    if (options?.extraQuery !== undefined) query = withExtraQuery(query, options.extraQuery);
    if (options?.extraBody !== undefined) json = withExtraBody(json, options.extraBody, call.raw);
    const sent = this.core.transport.request(
      {
        method: call.method,
        path: buildPath(call.path, call.params),
        query,
        json,
        body: call.raw,
        headers: call.headers,
        idempotent: call.idempotent,
        binary: call.binary,
      },
      options,
    );
    const record = recorders.get(this.core);
    if (record === undefined) return sent;
    return sent.then((response) => {
      record(response);
      return response;
    });
  }

  /** A call whose answer is one `shape` (wire names renamed). */
  protected async fetchModel<T>(shape: Shape, call: Call, options?: RequestOptions): Promise<T> {
    const response = await this.send(call, options);
    return fromWire<T>(response.json(), shape);
  }

  /** A call with no useful answer body. */
  protected async fetchVoid(call: Call, options?: RequestOptions): Promise<void> {
    await this.send(call, options);
  }

  /** A call whose answer is `{"data": [...]}` (or a bare array) of `item`. */
  protected async fetchList<T>(item: Shape, call: Call, options?: RequestOptions): Promise<T[]> {
    const response = await this.send(call, options);
    return unwrapList<T>(response.json(), item, response);
  }

  /** A paginated GET; the page fetches its successors with the same filters. */
  protected fetchPage<T>(
    item: Shape,
    call: Call & { offset?: number | undefined; limit?: number | undefined },
    options?: RequestOptions,
  ): PagePromise<T> {
    const load = async (offset: number | undefined): Promise<Page<T>> => {
      const query = { ...(call.query as Record<string, never>), offset, limit: call.limit };
      const response = await this.send({ ...call, query }, options);
      const body = response.json();
      const items = unwrapList<T>(body, item, response);
      const meta = (typeof body === "object" && body !== null ? body : {}) as Record<
        string,
        unknown
      >;
      return new Page<T>(
        items,
        {
          total: int(meta.total, items.length),
          offset: int(meta.offset, offset ?? 0),
          limit: int(meta.limit, call.limit ?? items.length),
        },
        (next) => load(next),
      );
    };
    return new PagePromise<T>(() => load(call.offset));
  }
}

export function unwrapList<T>(body: unknown, item: Shape, response: ReadResponse): T[] {
  const data = Array.isArray(body)
    ? body
    : typeof body === "object" && body !== null
      ? (body as { data?: unknown }).data
      : undefined;
  if (!Array.isArray(data)) {
    throw new ResponseValidationError('expected a list ({"data": [...]}) in the response', {
      status: response.status,
      requestId: response.headers.get("x-request-id") ?? undefined,
    });
  }
  return data.map((value) => fromWire<T>(value, item));
}

function int(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** `body` without its undefined members (a PATCH sends only what was given). */
export function defined<T extends object>(body: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (value !== undefined) out[key] = value;
  return out as T;
}

/** The method's query with `extra` on top: a name in `extra` replaces the method's own. */
function withExtraQuery(query: RequestSpec["query"], extra: QueryParams): [string, string][] {
  const added = encodeQuery(extra);
  const replaced = new Set(added.map(([name]) => name));
  return [...encodeQuery(query).filter(([name]) => !replaced.has(name)), ...added];
}

/** The JSON body with `extra` merged in at the top level, as given (`extra` wins). */
function withExtraBody(
  json: unknown,
  extra: Record<string, unknown>,
  raw: BodyInit | undefined,
): Record<string, unknown> {
  if (raw !== undefined) throw new ValidationError("extraBody applies to JSON request bodies only");
  if (json !== undefined && (typeof json !== "object" || json === null || Array.isArray(json))) {
    throw new ValidationError("extraBody needs a JSON object body to merge into");
  }
  return { ...(json as Record<string, unknown> | undefined), ...extra };
}
