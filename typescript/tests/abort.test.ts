/**
 * Per-attempt timeouts, watched by one shared timer: every attempt aborts at its own
 * deadline (a later, shorter one too), a disposed one never does, the caller's signal
 * still reaches an attempt whose timer was cleared, and nothing is left watching.
 * Order-based, never timed: each check waits for events, not for a duration.
 */
import { describe, expect, it } from "vitest";
import { attemptSignal, TIMEOUT } from "../src/core/abort";

const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });

describe("attemptSignal", () => {
  it("aborts each attempt at its own deadline, the shorter first, even when it came later", async () => {
    const order: string[] = [];
    const long = attemptSignal(400, undefined);
    const short = attemptSignal(20, undefined); // earlier than the armed timer: re-armed
    const shortest = attemptSignal(5, undefined);
    const done = [
      aborted(long.signal).then(() => order.push("long")),
      aborted(short.signal).then(() => order.push("short")),
      aborted(shortest.signal).then(() => order.push("shortest")),
    ];
    await Promise.all(done);
    expect(order).toEqual(["shortest", "short", "long"]);
    for (const attempt of [long, short, shortest]) {
      expect(attempt.timedOut()).toBe(true);
      expect(attempt.signal.reason).toBe(TIMEOUT);
      attempt.dispose();
    }
  });

  it("never aborts an attempt disposed before its deadline; the others still abort", async () => {
    const kept = attemptSignal(30, undefined);
    const disposed = attemptSignal(10, undefined);
    disposed.dispose();
    await aborted(kept.signal);
    expect(kept.timedOut()).toBe(true);
    expect(disposed.signal.aborted).toBe(false);
    expect(disposed.timedOut()).toBe(false);
    kept.dispose();
  });

  it("many attempts in a row, each disposed, leave none aborted", async () => {
    const attempts = Array.from({ length: 1000 }, () => attemptSignal(15, undefined));
    for (const attempt of attempts) attempt.dispose();
    const witness = attemptSignal(40, undefined); // outlives every deadline above
    await aborted(witness.signal);
    witness.dispose();
    expect(attempts.filter((a) => a.signal.aborted)).toHaveLength(0);
  });

  it("the caller's signal aborts an attempt, also after clearTimer(); no timeout: never times out", async () => {
    const caller = new AbortController();
    const attempt = attemptSignal(undefined, caller.signal);
    attempt.clearTimer();
    const reason = new Error("stop");
    caller.abort(reason);
    expect(await aborted(attempt.signal)).toBe(reason);
    expect(attempt.timedOut()).toBe(false);
    attempt.dispose();
    const early = new AbortController();
    early.abort("already");
    const late = attemptSignal(1000, early.signal);
    expect(late.signal.reason).toBe("already");
    late.dispose();
  });

  it("abort(reason) aborts at once with that reason, not as a timeout, and ends the timeout", async () => {
    const attempt = attemptSignal(10, undefined);
    attempt.abort("closed");
    expect(attempt.signal.reason).toBe("closed");
    const witness = attemptSignal(30, undefined);
    await aborted(witness.signal);
    witness.dispose();
    expect(attempt.timedOut()).toBe(false);
    expect(attempt.signal.reason).toBe("closed");
  });

  it("a timeout longer than a timer takes is watched without overflowing the timer", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const huge = attemptSignal(1e12, undefined);
      const witness = attemptSignal(20, undefined);
      await aborted(witness.signal);
      await new Promise((resolve) => setImmediate(resolve));
      expect(huge.signal.aborted).toBe(false);
      huge.dispose();
      witness.dispose();
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });
});
