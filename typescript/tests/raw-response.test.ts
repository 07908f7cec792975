/**
 * Per-call options (`headers`, `extraQuery`, `extraBody`) as the wire carries them, and
 * raw responses (`client.agents.withRawResponse.get(id)`), against the local server: each
 * request is found in the server's request log (started with `--record`) by a marker
 * header unique to the test.
 */
import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../src/index";
import { client, control, uniqueName } from "./support/client";

const c = client();

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
  const log = (await control("/requests", undefined, "GET")) as { data: Logged[] };
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
