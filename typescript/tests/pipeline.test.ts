/** The request pipeline's rules, over real HTTP to a private local server. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  EverrunsError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ValidationError,
  VERSION,
} from "../src/index";
import { privateServer } from "./support/private";

const p = privateServer();

describe("URL and path parameters", () => {
  it("keeps the base path prefix, with or without a trailing slash", async () => {
    for (const baseUrl of [p.server.url, `${p.server.url}/`]) {
      const page = await p.client({ baseUrl }).agents.list();
      expect(Array.isArray(page.data)).toBe(true);
    }
    const log = await p.requests();
    expect(log.map((r) => r.path)).toEqual(["/v1/agents", "/v1/agents"]);
  });

  it.each(["../x", "a/b", "x?y", "x#y", "x%2Fy", "a b", "..%2F"])(
    "keeps %j inside its segment",
    async (id) => {
      const error = (await p
        .client()
        .agents.get(id)
        .catch((e: unknown) => e)) as NotFoundError;
      expect(error).toBeInstanceOf(NotFoundError); // routed to GET /v1/agents/{agent_id}
      const [entry] = await p.requests();
      // The log shows the decoded path: the whole value after /v1/agents/, nothing resolved.
      expect(entry?.path).toBe(`/v1/agents/${id}`);
      expect(entry?.query_pairs).toEqual([]);
    },
  );

  it.each([".", ".."])("refuses %j as a path parameter (fetch would resolve it)", async (id) => {
    await expect(p.client().agents.get(id)).rejects.toBeInstanceOf(ValidationError);
    expect(await p.requests()).toHaveLength(0);
  });

  it("sends the key as Authorization, X-Org-Id and the SDK version", async () => {
    await p.client({ org: "org_abc" }).agents.list();
    const [entry] = await p.requests();
    expect(entry?.headers?.authorization).toBe("<api-key>");
    expect(entry?.headers?.["x-org-id"]).toBe("org_abc");
    expect(entry?.headers?.["x-sdk-version"]).toBe(VERSION);
  });

  it("rejects CR/LF in headers before sending", async () => {
    await expect(
      p.client().agents.list({}, { headers: { "X-Test": "a\r\nInjected: 1" } }),
    ).rejects.toBeInstanceOf(EverrunsError);
    expect(() => p.client({ defaultHeaders: { "X-Test": "a\nb" } })).toThrow(
      /forbidden control character/,
    );
    expect(await p.requests()).toHaveLength(0);
  });
});

describe("retries", () => {
  it("retries a GET on 503 and 429 (Retry-After honoured)", async () => {
    await p.control("/faults/error", { status: 503, path: "/v1/agents", method: "GET" });
    await p.control("/faults/rate_limit", { path: "/v1/agents", method: "GET", retry_after: 0.05 });
    const page = await p.client().agents.list();
    expect(page.data).toEqual([]);
    expect((await p.requests()).map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it("retries a GET after a reset connection", async () => {
    await p.control("/faults/reset_connection", { path: "/v1/agents", method: "GET" });
    await p.client().agents.list();
    expect((await p.requests()).map((r) => r.status)).toEqual([null, 200]);
  });

  it("never sends a POST twice on a 500 or a reset connection", async () => {
    await p.control("/faults/error", { status: 500, path: "/v1/sessions", method: "POST" });
    await expect(p.client().sessions.create({})).rejects.toBeInstanceOf(InternalServerError);
    await p.control("/faults/reset_connection", { path: "/v1/sessions", method: "POST" });
    await expect(p.client().sessions.create({})).rejects.toBeInstanceOf(APIConnectionError);
    const posts = (await p.requests()).filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([500, null]);
  });

  it("retries a POST on 429 and on 503 with Retry-After (the server said so)", async () => {
    await p.control("/faults/rate_limit", {
      path: "/v1/sessions",
      method: "POST",
      retry_after: 0.05,
    });
    await p.control("/faults/error", {
      status: 503,
      path: "/v1/sessions",
      method: "POST",
      retry_after: 0.05,
    });
    const session = await p.client().sessions.create({});
    expect(session.id).toMatch(/^session_/);
    expect((await p.requests()).map((r) => r.status)).toEqual([429, 503, 201]);
  });

  it("gives up after maxRetries and throws the last error, with retryAfter in seconds", async () => {
    await p.control("/faults/rate_limit", {
      path: "/v1/agents",
      method: "GET",
      retry_after: 0.01,
      times: 5,
    });
    const error = await p
      .client({ maxRetries: 1 })
      .agents.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeCloseTo(0.01);
    expect((await p.requests()).length).toBe(2);
    const perCall = await p
      .client()
      .agents.list({}, { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(perCall).toBeInstanceOf(RateLimitError);
  });

  it("does not wait for a Retry-After over 60 s", async () => {
    await p.control("/faults/rate_limit", { path: "/v1/agents", method: "GET", retry_after: 120 });
    const error = await p
      .client()
      .agents.list()
      .catch((e: unknown) => e);
    expect((error as RateLimitError).retryAfter).toBe(120);
    expect((await p.requests()).length).toBe(1);
  });

  it("times out an attempt (timeout in ms) and retries it", async () => {
    await p.control("/faults/delay", { seconds: 1, path: "/v1/agents", method: "GET" });
    const page = await p.client({ timeout: 200 }).agents.list();
    expect(page.data).toEqual([]);
  });
});

describe("errors", () => {
  it("reads RFC 9457 problem details", async () => {
    await p.control("/faults/error", {
      status: 400,
      path: "/v1/agents",
      method: "GET",
      code: "bad_thing",
      detail: "Nope.",
    });
    const error = (await p
      .client()
      .agents.list()
      .catch((e: unknown) => e)) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(EverrunsError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(400);
    expect(error.code).toBe("bad_thing");
    expect(error.detail).toBe("Nope.");
    expect(error.requestId).toMatch(/^req_/);
    expect(error.message).toContain("HTTP 400 bad_thing: Nope.");
    expect(error.headers.get("x-request-id")).toBe(error.requestId);
  });

  it("reads the legacy {error: {...}} body", async () => {
    await p.control("/faults/error", {
      status: 404,
      path: "/v1/agents",
      method: "GET",
      legacy: true,
      code: "gone",
      detail: "Gone.",
    });
    const error = (await p
      .client()
      .agents.list()
      .catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe("gone");
    expect(error.detail).toBe("Gone.");
  });

  it("turns an HTML page into a short HTTP <status>", async () => {
    await p.control("/faults/error", {
      status: 502,
      path: "/v1/agents",
      method: "GET",
      html: true,
      times: 9,
    });
    const error = (await p
      .client({ maxRetries: 0 })
      .agents.list()
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.detail).toBe("HTTP 502");
    expect(error.message).not.toContain("<");
  });

  it("a wrong key is an AuthenticationError that does not show the key", async () => {
    const error = (await p
      .client({ apiKey: "evr_wrong_secret_key" })
      .agents.list()
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(`${error.message} ${error.stack} ${inspect(error)}`).not.toContain(
      "evr_wrong_secret_key",
    );
  });
});

describe("the key stays secret", () => {
  it("is not in inspect, JSON.stringify or a derived client", () => {
    const secret = "evr_pat_super_secret_value";
    const c = p.client({ apiKey: secret });
    for (const text of [
      inspect(c, { depth: 10, showHidden: true }),
      JSON.stringify(c),
      inspect(c.withOptions({ timeout: 5 }), { depth: 10 }),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(c)).toContain("evr_****");
    // not even one level down, where the custom inspect of the client does not reach
    expect(inspect(c.transport, { depth: 10, showHidden: true })).not.toContain(secret);
    expect(JSON.stringify(c.transport)).not.toContain(secret);
  });

  it("debug logging shows method, path, status and request id, never the key or bodies", async () => {
    const lines: string[] = [];
    const secret = p.server.apiKey;
    const c = p.client({ logger: { debug: (m) => lines.push(m) } });
    await c.agents.create({ name: "logged", systemPrompt: "PROMPT-BODY" });
    expect(lines.join("\n")).toMatch(/POST \/v1\/agents -> 201 in [\d.]+ ms \(request id req_/);
    expect(lines.join("\n")).not.toContain(secret);
    expect(lines.join("\n")).not.toContain("PROMPT-BODY");
  });

  it("a missing key is a clear error naming the variable", () => {
    const saved = process.env.EVERRUNS_API_KEY;
    delete process.env.EVERRUNS_API_KEY;
    try {
      expect(() => p.client({ apiKey: undefined })).toThrow(/EVERRUNS_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.EVERRUNS_API_KEY = saved;
    }
  });
});
