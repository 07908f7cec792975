/**
 * Raw responses: `withRawResponse` on every sub-client gives its API methods, each
 * answering a `RawResponse` (status, headers, request ID) with the parsed result.
 *
 * ```ts
 * const raw = await client.agents.withRawResponse.get(agentId);
 * raw.status; raw.headers.get("content-type"); raw.requestId;
 * const agent = raw.parse(); // an Agent, for the type checker too
 * ```
 *
 * No method is written twice: `WithRawResponse<R>` maps the methods of `R` that answer a
 * promise (a list's `PagePromise` included) to the same parameters answering
 * `Promise<RawResponse<result>>`, and nested sub-clients to theirs
 * (`client.agents.withRawResponse.versions.list(agentId)`). At run time a raw method
 * calls the ordinary one on a copy of the sub-client that records each response it
 * receives (`Resource.withRawResponse` in `base.ts`); the last one (for a method that
 * sends several, such as `images.get`, the one that answered it) comes back.
 */
import type { ReadResponse } from "../core/transport";

/**
 * The key under which a sub-client lists its methods that are above the API (streams,
 * whole turns): they have no one response to answer raw, so `withRawResponse` leaves
 * them out, in its type and at run time alike.
 */
export const notRaw: unique symbol = Symbol("everruns.notRaw");

/**
 * The raw methods of a sub-client `R`: each method answering a promise (or a
 * `PagePromise`) takes the same parameters and answers `Promise<RawResponse<result>>`;
 * each nested sub-client gives its own raw methods. Methods that `R` lists under its
 * `notRaw` key (streams, whole turns) are left out.
 */
export type WithRawResponse<R> = {
  readonly [K in keyof R as K extends
    | "withRawResponse"
    | (R extends { readonly [notRaw]: readonly (infer E)[] } ? E : never)
    ? never
    : R[K] extends
          | ((...args: never[]) => PromiseLike<unknown>)
          | { readonly withRawResponse: object }
      ? K
      : never]: R[K] extends (...args: infer A) => PromiseLike<infer T>
    ? (...args: A) => Promise<RawResponse<T>>
    : WithRawResponse<R[K]>;
};

/** What the call gave: its result, or the error that `parse()` throws. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * One API answer as received, with the SDK's result for it. A 2xx body that the SDK
 * could not read as the expected model does not throw here: `parse()` throws the
 * `ResponseValidationError`, after `status`, `headers` and `text()` have shown why.
 */
export class RawResponse<T> {
  /** The HTTP status (2xx: any other status is thrown as an `ApiError`). */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The server's `X-Request-Id`, if it sent one. */
  readonly requestId: string | undefined;
  readonly #response: ReadResponse;
  readonly #outcome: Outcome<T>;

  /** @internal Made by `withRawResponse` only. */
  constructor(response: ReadResponse, outcome: Outcome<T>) {
    this.status = response.status;
    this.headers = response.headers;
    this.requestId = response.headers.get("x-request-id") ?? undefined;
    this.#response = response;
    this.#outcome = outcome;
  }

  /** The result the method gives without `withRawResponse` (an `Agent` for `agents.get`). */
  parse(): T {
    if (this.#outcome.ok) return this.#outcome.value;
    throw this.#outcome.error;
  }

  /** The response body as text. */
  text(): string {
    return this.#response.text();
  }
}
