/** Small pure parts: retry policy, Retry-After, path encoding, debug logging, per-call options. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveLogger } from "../src/core/logging";
import { buildPath, encodeFilePath } from "../src/core/paths";
import { backoffDelay, parseRetryAfter, statusIsRetryable } from "../src/core/retry";
import { VERSION } from "../src/core/version";
import { APITimeoutError, Everruns, ValidationError } from "../src/index";

describe("retry policy", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("2.5", now)).toBe(2.5);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped at 30 s", () => {
    expect(backoffDelay(0, () => 0)).toBe(0.375);
    expect(backoffDelay(0, () => 1)).toBe(0.5);
    expect(backoffDelay(3, () => 1)).toBe(4);
    expect(backoffDelay(20, () => 1)).toBe(30);
  });

  it("never retries a POST or PATCH on a 5xx unless the server says so", () => {
    expect(statusIsRetryable("GET", 500, undefined)).toBe(true);
    expect(statusIsRetryable("DELETE", 502, undefined)).toBe(true);
    expect(statusIsRetryable("POST", 500, undefined)).toBe(false);
    expect(statusIsRetryable("PATCH", 503, undefined)).toBe(false);
    expect(statusIsRetryable("POST", 503, 1)).toBe(true);
    expect(statusIsRetryable("POST", 429, undefined)).toBe(true);
    expect(statusIsRetryable("GET", 404, undefined)).toBe(false);
  });
});

describe("paths", () => {
  it("encodes file paths per segment and refuses climbing out", () => {
    expect(encodeFilePath("path", "/notes/a b/c?.md")).toBe("notes/a%20b/c%3F.md");
    expect(() => encodeFilePath("path", "a/../b")).toThrow(ValidationError);
    expect(() => encodeFilePath("path", "/")).toThrow(ValidationError);
    expect(buildPath("/v1/agents/{agent_id}", { agent_id: "x'(y)*!" })).toBe(
      "/v1/agents/x%27%28y%29%2A%21",
    );
    expect(() => buildPath("/v1/agents/{agent_id}", {})).toThrow(/missing path parameter/);
  });
});

describe("debug logging and per-call options", () => {
  it("EVERRUNS_DEBUG=1 logs to the console", () => {
    const saved = process.env.EVERRUNS_DEBUG;
    process.env.EVERRUNS_DEBUG = "1";
    try {
      expect(resolveLogger(undefined)).toBeDefined();
      process.env.EVERRUNS_DEBUG = "0";
      expect(resolveLogger(undefined)).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.EVERRUNS_DEBUG;
      else process.env.EVERRUNS_DEBUG = saved;
    }
  });

  it("a per-call signal aborts the call; a per-call timeout ends it", async () => {
    const hang = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof fetch;
    const client = new Everruns({ apiKey: "k", baseUrl: "http://127.0.0.1:9/api", fetch: hang });
    const controller = new AbortController();
    const call = client.agents.get("a", { signal: controller.signal });
    controller.abort(new Error("user gave up"));
    await expect(call).rejects.toThrow("user gave up");
    await expect(client.agents.get("a", { timeout: 20, maxRetries: 0 })).rejects.toBeInstanceOf(
      APITimeoutError,
    );
  });

  it("a per-call timeout or maxRetries out of range is refused before anything is sent", async () => {
    let sent = 0;
    const answer = (() => {
      sent++;
      return Promise.resolve(Response.json({ id: "agent_1", name: "a" }));
    }) as typeof fetch;
    const client = new Everruns({ apiKey: "k", baseUrl: "http://127.0.0.1:9/api", fetch: answer });
    for (const timeout of [0, -5, Number.NaN]) {
      await expect(client.agents.get("a", { timeout })).rejects.toThrow(
        /timeout must be a positive number/,
      );
    }
    for (const maxRetries of [-1, 1.5]) {
      await expect(client.agents.get("a", { maxRetries })).rejects.toThrow(/maxRetries must be/);
    }
    expect(sent).toBe(0);
    await client.agents.get("a", { timeout: 5_000, maxRetries: 0 });
    expect(sent).toBe(1);
  });

  it("timeout: Infinity gives fetch no signal unless the caller passes one", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const answer = ((_: unknown, init?: RequestInit) => {
      signals.push(init?.signal ?? undefined);
      return Promise.resolve(Response.json({ id: "agent_1", name: "a" }));
    }) as typeof fetch;
    const base = { apiKey: "k", baseUrl: "http://127.0.0.1:9/api", fetch: answer };
    await new Everruns({ ...base, timeout: Number.POSITIVE_INFINITY }).agents.get("a");
    const controller = new AbortController();
    await new Everruns({ ...base, timeout: Number.POSITIVE_INFINITY }).agents.get("a", {
      signal: controller.signal,
    });
    await new Everruns(base).agents.get("a");
    await new Everruns(base).agents.get("a", { timeout: Number.POSITIVE_INFINITY });
    expect(signals.map((signal) => signal !== undefined)).toEqual([false, true, true, false]);
  });

  it("the version header matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});

describe("client-side IDs", () => {
  it("are <prefix>_<32 hex> UUIDv7s that sort by creation time", async () => {
    const { generateId } = await import("../src/index");
    const first = generateId("agent");
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = generateId("agent");
    expect(first).toMatch(/^agent_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(second > first).toBe(true);
  });
});
