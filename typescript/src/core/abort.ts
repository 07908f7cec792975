/**
 * One abort signal per attempt: the caller's `signal` and the attempt's timeout combined,
 * without `AbortSignal.any` (Node 18 lacks it). `dispose()` clears the timer and the
 * listener, so nothing keeps the process alive once the attempt is over.
 */

/** Reason given to the attempt's controller when its timeout fires. */
export const TIMEOUT = Symbol("timeout");

export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** True when the timeout (not the caller) aborted the attempt. */
  timedOut(): boolean;
  /** Stop the timeout; the caller's signal still aborts (for a body read later). */
  clearTimer(): void;
  /** Stop the timeout and forget the caller's signal. */
  dispose(): void;
}

export function attemptSignal(
  timeoutMs: number | undefined,
  outer: AbortSignal | undefined,
): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(TIMEOUT);
    }, timeoutMs);
  }
  const onAbort = () => controller.abort(outer?.reason);
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener("abort", onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clearTimer() {
      if (timer !== undefined) clearTimeout(timer);
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}

/** The caller's abort reason, as thrown when they abort: a DOMException if none was given. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Sleep `ms`, ending early (rejecting with the abort reason) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
