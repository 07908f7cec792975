/**
 * Retry policy, the same rules as the Python and Rust SDKs: which failures may be
 * retried for which methods, and how long to wait.
 *
 * - Statuses 408, 429, 500, 502, 503, 504 are retryable.
 * - GET, HEAD, OPTIONS, PUT and DELETE are harmless to repeat. POST and PATCH may
 *   already have taken effect on a 5xx, so they are retried only when the server says
 *   so (429, or 503 with Retry-After) or when the call is marked idempotent (an upsert
 *   with a client-chosen ID). A POST is never sent twice otherwise.
 * - A connection that was never established may be retried for any method; other
 *   network failures only for idempotent methods.
 * - Backoff: 0.5 s * 2^attempt, capped at 30 s, times a jitter in [0.75, 1).
 *   `Retry-After` (seconds or an HTTP date) wins; one longer than 60 s is not waited
 *   for, the error is thrown instead.
 */

export const INITIAL_DELAY = 0.5;
export const MAX_DELAY = 30;
/** A Retry-After longer than this (seconds) is not waited for. */
export const MAX_RETRY_AFTER = 60;

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!text) return undefined;
  let seconds: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    seconds = Number(text);
  } else {
    const when = Date.parse(text);
    if (Number.isNaN(when) || !/[A-Za-z]/.test(text)) return undefined;
    seconds = (when - now) / 1000;
  }
  if (Number.isNaN(seconds)) return undefined;
  return Math.max(seconds, 0);
}

/** Exponential backoff with jitter for retry number `attempt` (0-based), in seconds. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY, INITIAL_DELAY * 2 ** attempt);
  return base * (0.75 + 0.25 * random());
}

/** Whether an error status may be retried for `method` without risking a double effect. */
export function statusIsRetryable(
  method: string,
  status: number,
  retryAfter: number | undefined,
): boolean {
  if (!RETRYABLE_STATUSES.has(status)) return false;
  if (IDEMPOTENT_METHODS.has(method)) return true;
  return status === 429 || (status === 503 && retryAfter !== undefined);
}

/** Whether a network failure may be retried: always if nothing reached the server. */
export function failureIsRetryable(method: string, neverConnected: boolean): boolean {
  return neverConnected || IDEMPOTENT_METHODS.has(method);
}
