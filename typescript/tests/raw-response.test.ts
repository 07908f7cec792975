/**
 * Per-call options (`headers`, `extraQuery`, `extraBody`) as the wire carries them, and
 * raw responses (`client.agents.withRawResponse.get(id)`), against the local server: each
 * request is found in the server's request log (started with `--record`) by a marker
 * header unique to the test. The file has a server of its own, so that the bodies it sends
 * never become the last logged request of another test file's running at the same time.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  type ApiError,
  AuthenticationError,
  Everruns,
  NotFoundError,
  Page,
  RawResponse,
  ResponseValidationError,
  ValidationError,
} from "../src/index";
import { uniqueName } from "./support/client";
import { type LocalServer, startServer } from "./support/server";

let own: { server: LocalServer; child: ChildProcess };
let c: Everruns;

beforeAll(async () => {
  own = await startServer(["--record"]);
  c = new Everruns({ apiKey: own.server.apiKey, baseUrl: own.server.url });
});

afterAll(() => {
  own?.child.kill("SIGTERM");
});

/** GET a control endpoint of this file's server. */
async function control(path: string): Promise<unknown> {
  const response = await fetch(`${own.server.root}/_emulator${path}`);
  if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status}`);
  return response.json();
}

interface Logged {
  method: string;
  path: string;
  query_pairs: [string, string][];
  headers: Record<string, string> | null;
  body: unknown;
  body_text: string | null;
}

/** The logged requests that carried `x-test-marker: marker`, oldest first. */
async function sentWith(marker: string): Promise<Logged[]> {
  const log = (await control("/requests")) as { data: Logged[] };
  return log.data.filter((r) => r.headers?.["x-test-marker"] === marker);
}

async function onlySentWith(marker: string): Promise<Logged> {
  const entries = await sentWith(marker);
  expect(entries).toHaveLength(1);
  return entries[0] as Logged;
}

function marked(): { marker: string; headers: Record<string, string> } {
  const marker = uniqueName("marker");
  return { marker, headers: { "X-Test-Marker": marker } };
}

async function newAgent(description?: string) {
  return c.agents.create({ name: uniqueName(), systemPrompt: "Be brief.", description });
}

describe("per-call options on the wire", () => {
  it("extraQuery adds parameters, an array as repeated keys, beside the method's own", async () => {
    const agent = await newAgent();
    const { marker, headers } = marked();
    await c.agents.get(agent.id, { headers, extraQuery: { trace: ["a", "b"], flag: true } });
    const entry = await onlySentWith(marker);
    expect(entry.path).toBe(`/v1/agents/${agent.id}`);
    expect(entry.query_pairs).toEqual([
      ["trace", "a"],
      ["trace", "b"],
      ["flag", "true"],
    ]);
  });

  it("extraQuery replaces a parameter of the same name, on every page of a list", async () => {
    const prefix = uniqueName("pages");
    for (const n of [1, 2]) await c.agents.create({ name: `${prefix}-${n}`, systemPrompt: "x" });
    const { marker, headers } = marked();
    const page = await c.agents.list(
      { search: "not-this", limit: 1 },
      { headers, extraQuery: { search: prefix, extra: "1" } },
    );
    expect(page.hasNextPage()).toBe(true);
    await page.nextPage();
    const entries = await sentWith(marker);
    expect(entries).toHaveLength(2);
    for (const [index, entry] of entries.entries()) {
      const pairs = entry.query_pairs;
      expect(pairs.filter(([name]) => name === "search")).toEqual([["search", prefix]]);
      expect(pairs).toContainEqual(["extra", "1"]);
      // The first page leaves the offset out; the second asks for the one after it.
      expect(pairs.filter(([name]) => name === "offset")).toEqual(index ? [["offset", "1"]] : []);
      expect(pairs).toContainEqual(["limit", "1"]);
    }
  });

  it("extraQuery members left undefined change nothing", async () => {
    const name = uniqueName();
    const { marker, headers } = marked();
    await c.agents.list({ search: name }, { headers, extraQuery: { search: undefined } });
    const entry = await onlySentWith(marker);
    expect(entry.query_pairs).toContainEqual(["search", name]);
  });

  it("extraBody merges fields into the body as given, never renamed, and wins", async () => {
    const { marker, headers } = marked();
    const created = await c.agents.create(
      { name: uniqueName(), systemPrompt: "Be brief.", description: "from params" },
      {
        headers,
        extraBody: { description: "from extraBody", future_field: { camelKey: 1, snake_key: 2 } },
      },
    );
    const entry = await onlySentWith(marker);
    const body = entry.body as Record<string, unknown>;
    expect(body.system_prompt).toBe("Be brief.");
    expect(body.description).toBe("from extraBody");
    expect(body.future_field).toEqual({ camelKey: 1, snake_key: 2 });
    expect(created.description).toBe("from extraBody");
  });

  it("extraBody keys in camelCase stay camelCase on the wire", async () => {
    const { marker, headers } = marked();
    await c.agents.create(
      { name: uniqueName(), systemPrompt: "x" },
      { headers, extraBody: { someNewField: "v" } },
    );
    const body = (await onlySentWith(marker)).body as Record<string, unknown>;
    expect(body.someNewField).toBe("v");
    expect(body.some_new_field).toBeUndefined();
  });

  it("extraBody is the whole body of a call that has none", async () => {
    const agent = await newAgent();
    const { marker, headers } = marked();
    await c.agents.copy(agent.id, { headers, extraBody: { note: "copied" } });
    const entry = await onlySentWith(marker);
    expect(entry.method).toBe("POST");
    expect(entry.body).toEqual({ note: "copied" });
  });

  it("extraBody on a text body is a ValidationError, and nothing is sent", async () => {
    const { marker, headers } = marked();
    await expect(
      c.agents.import("You are terse.", {}, { headers, extraBody: { x: 1 } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await sentWith(marker)).toHaveLength(0);
  });

  it("headers are sent beside the SDK's own; they cannot replace the key", async () => {
    const agent = await newAgent();
    const { marker, headers } = marked();
    await c.agents.get(agent.id, {
      headers: { ...headers, "X-Trace-Id": "t-1", Authorization: "stolen" },
    });
    const sent = (await onlySentWith(marker)).headers ?? {};
    expect(sent["x-trace-id"]).toBe("t-1");
    expect(sent["x-sdk-version"]).toBeDefined();
    expect(sent.authorization).not.toContain("stolen");
  });

  it("options reach the calls of nested sub-clients too", async () => {
    const agent = await newAgent();
    const { marker, headers } = marked();
    await c.agents.versions.create(
      agent.id,
      { summary: "v" },
      { headers, extraQuery: { q: "1" }, extraBody: { change_note: "n" } },
    );
    const entry = await onlySentWith(marker);
    expect(entry.path).toBe(`/v1/agents/${agent.id}/versions`);
    expect(entry.query_pairs).toEqual([["q", "1"]]);
    expect(entry.body).toMatchObject({ summary: "v", change_note: "n" });
  });

  it("a failed call still raises its typed error", async () => {
    await expect(
      c.agents.get("agent_00000000000000000000000000000000", { extraQuery: { a: "b" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("withRawResponse", () => {
  it("get answers the status, headers, request id and parse() for the Agent", async () => {
    const agent = await newAgent("raw");
    const { marker, headers } = marked();
    const raw = await c.agents.withRawResponse.get(agent.id, { headers });
    expect(raw).toBeInstanceOf(RawResponse);
    expect(raw.status).toBe(200);
    expect(raw.headers).toBeInstanceOf(Headers);
    expect(raw.headers.get("content-type")).toContain("application/json");
    const logged = (await onlySentWith(marker)) as Logged & { request_id: string };
    expect(raw.requestId).toBe(logged.request_id);
    expect(raw.requestId).toBe(raw.headers.get("x-request-id"));
    expect(raw.parse()).toEqual(await c.agents.get(agent.id));
    expect(raw.parse().description).toBe("raw");
    expect(JSON.parse(raw.text()).system_prompt).toBe("Be brief.");
  });

  it("a list answers its first page, which still walks the rest", async () => {
    const prefix = uniqueName("rawlist");
    for (const n of [1, 2, 3]) await c.agents.create({ name: `${prefix}-${n}`, systemPrompt: "x" });
    const raw = await c.agents.withRawResponse.list({ search: prefix, limit: 2 });
    expect(raw.status).toBe(200);
    const page = raw.parse();
    expect(page).toBeInstanceOf(Page);
    expect(page.data).toHaveLength(2);
    const names = [];
    for await (const agent of page) names.push(agent.name);
    expect(names.sort()).toEqual([1, 2, 3].map((n) => `${prefix}-${n}`));
  });

  it("nested sub-clients, text and empty answers", async () => {
    const agent = await newAgent();
    await c.agents.versions.create(agent.id, { summary: "first" });
    const versions = await c.agents.withRawResponse.versions.list(agent.id);
    expect(versions.status).toBe(200);
    expect(versions.parse().map((v) => v.summary)).toContain("first");
    const exported = await c.agents.withRawResponse.export(agent.id);
    expect(exported.headers.get("content-type")).toContain("text/markdown");
    expect(exported.parse()).toBe(exported.text());
    expect(exported.parse()).toContain("Be brief.");
    const deleted = await c.agents.withRawResponse.delete(agent.id);
    expect(deleted.status).toBeGreaterThanOrEqual(200);
    expect(deleted.status).toBeLessThan(300);
    expect(deleted.parse()).toBeUndefined();
  });

  it("a method that sends several requests answers the last, the one that answered it", async () => {
    const session = await c.sessions.create({});
    const { marker, headers } = marked();
    await c.sessions.files.write(session.id, "/notes.txt", "hello");
    const fresh = new Everruns({ apiKey: own.server.apiKey, baseUrl: own.server.url });
    // A fresh client has not looked up the session's workspace yet: two requests.
    const raw = await fresh.sessions.withRawResponse.files.read(session.id, "/notes.txt", {
      headers,
    });
    expect(raw.parse()).toBe("hello");
    const log = (await control("/requests")) as {
      data: (Logged & { request_id: string })[];
    };
    const sessionGet = log.data.filter((r) => r.path === `/v1/sessions/${session.id}`).at(-1);
    const read = await onlySentWith(marker);
    expect(read.path).toContain("/notes.txt");
    expect(raw.requestId).toBe((read as Logged & { request_id: string }).request_id);
    expect(raw.requestId).not.toBe(sessionGet?.request_id);
  });

  it("concurrent raw calls each answer their own response", async () => {
    const agents = await Promise.all([1, 2, 3, 4].map((n) => newAgent(`concurrent ${n}`)));
    const raws = await Promise.all(
      agents.map((a, n) =>
        c.agents.withRawResponse.get(a.id, { headers: { "X-Request-Id": `req-conc-${n}` } }),
      ),
    );
    raws.forEach((raw, n) => {
      expect(raw.requestId).toBe(`req-conc-${n}`);
      expect(raw.parse().id).toBe(agents[n]?.id);
    });
  });

  it("every sub-client has its raw methods; streams and whole turns are left out", () => {
    const sub = c as unknown as Record<string, unknown>;
    for (const name of ["agents", "sessions", "messages", "events", "harnesses", "models"]) {
      const raw = (sub[name] as { withRawResponse: Record<string, unknown> }).withRawResponse;
      expect(Object.keys(raw).length, name).toBeGreaterThan(0);
      for (const value of Object.values(raw)) expect(typeof value).toMatch(/function|object/);
    }
    expect(Object.keys(c.events.withRawResponse)).toEqual(["list"]);
    const sessions = Object.keys(c.sessions.withRawResponse);
    expect(sessions).toEqual(expect.arrayContaining(["create", "get", "list", "files", "storage"]));
    expect(sessions).not.toContain("run");
    expect(sessions).not.toContain("streamTurn");
    expect(Object.keys(c.agents.withRawResponse.versions)).toContain("diff");
    expect(c.agents.withRawResponse).toBe(c.agents.withRawResponse);
  });

  it("an error status is thrown as usual; ApiError keeps the response headers", async () => {
    const missing = "agent_00000000000000000000000000000000";
    const error = await c.agents.withRawResponse
      .get(missing, { headers: { "X-Request-Id": "req-missing-1" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const apiError = error as ApiError;
    expect(apiError.headers).toBeInstanceOf(Headers);
    expect(apiError.headers.get("x-request-id")).toBe("req-missing-1");
    expect(apiError.requestId).toBe("req-missing-1");
    expect(apiError.headers.get("content-type")).toContain("json");
  });

  it("a client-side ValidationError is thrown before anything is sent", async () => {
    await expect(
      c.agents.withRawResponse.create({ name: "", systemPrompt: "x" }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("a 2xx body that is not the model: status and text() show it, parse() throws", async () => {
    const fetch = async () =>
      new Response("<html>proxy page</html>", {
        status: 200,
        headers: { "content-type": "text/html", "x-request-id": "req-html" },
      });
    const odd = new Everruns({ apiKey: "evr_test", baseUrl: "http://127.0.0.1:9/api", fetch });
    const raw = await odd.agents.withRawResponse.get("agent_x");
    expect(raw.status).toBe(200);
    expect(raw.requestId).toBe("req-html");
    expect(raw.text()).toContain("proxy page");
    expect(() => raw.parse()).toThrow(ResponseValidationError);
    await expect(odd.agents.get("agent_x")).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

describe("withOptions", () => {
  it("defaultHeaders replaces the construction's headers; the key and org stay", async () => {
    const base = new Everruns({
      apiKey: own.server.apiKey,
      baseUrl: own.server.url,
      org: "org-kept",
      defaultHeaders: { "X-Old": "1" },
    });
    const { marker } = marked();
    const derived = base.withOptions({ defaultHeaders: { "X-Test-Marker": marker } });
    await derived.agents.list();
    const sent = (await onlySentWith(marker)).headers ?? {};
    expect(sent["x-old"]).toBeUndefined();
    expect(sent["x-org-id"]).toBe("org-kept");
    expect(sent.authorization).toBe("<api-key>");
    expect(derived.orgId).toBe("org-kept");
    expect(JSON.stringify(derived)).not.toContain(own.server.apiKey);
  });

  it("apiKey and baseUrl change for the derived client only", async () => {
    const wrongKey = c.withOptions({ apiKey: "evr_not_the_key", maxRetries: 0 });
    await expect(wrongKey.agents.list()).rejects.toBeInstanceOf(AuthenticationError);
    const closed = c.withOptions({ baseUrl: "http://127.0.0.1:9/api", maxRetries: 0 });
    expect(closed.baseUrl).toBe("http://127.0.0.1:9/api");
    await expect(closed.agents.list()).rejects.toBeInstanceOf(APIConnectionError);
    const moved = closed.withOptions({ baseUrl: own.server.url, timeout: 5_000 });
    expect(moved.config.timeout).toBe(5_000);
    expect((await moved.agents.list()).data).toBeInstanceOf(Array);
    expect((await c.agents.list()).data).toBeInstanceOf(Array);
  });

  it("a header value with CR/LF or a defaultHeaders Authorization is refused", () => {
    expect(() => c.withOptions({ defaultHeaders: { "X-Bad": "a\r\nb" } })).toThrow();
    expect(() => c.withOptions({ defaultHeaders: { Authorization: "x" } })).toThrow(/must not set/);
  });
});
