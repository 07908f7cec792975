/** Every session, message, event, model, capability and image operation. */
import { describe, expect, it } from "vitest";
import { ConflictError, imageFilePart, NotFoundError, ValidationError } from "../src/index";
import { client, control, uniqueName } from "./support/client";

const c = client();
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (ch) => ch.charCodeAt(0),
);

async function newSession() {
  const agent = await c.agents.create({ name: uniqueName(), systemPrompt: "Be helpful." });
  return c.sessions.create({ agentId: agent.id, title: "t" });
}

describe("sessions", () => {
  it("create, get, update, list, pin, unpin, cancel, export, delete", async () => {
    const session = await newSession();
    expect(session.workspaceId).toMatch(/^wsp_/);
    expect((await c.sessions.get(session.id)).id).toBe(session.id);
    expect((await c.sessions.update(session.id, { title: "renamed" })).title).toBe("renamed");
    const page = await c.sessions.list({ agentId: session.agentId ?? undefined });
    expect(page.data.map((s) => s.id)).toContain(session.id);
    await c.sessions.pin(session.id);
    await c.sessions.unpin(session.id);
    expect(await c.sessions.cancel(session.id)).toBeTypeOf("object");
    await c.messages.create(session.id, { text: "Hello!" });
    const records = await c.sessions.export(session.id);
    expect(records.length).toBeGreaterThan(0);
    expect(await c.sessions.exportText(session.id)).toContain("\n");
    await c.sessions.delete(session.id);
    await expect(c.sessions.get(session.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses agentId together with agentName before sending", async () => {
    await expect(c.sessions.create({ agentId: "agent_x", agentName: "x" })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe("messages and events", () => {
  it("create, list; events list with filters; submitToolResults when not waiting is a 409", async () => {
    const session = await newSession();
    const message = await c.messages.create(session.id, { text: "Hello!" });
    expect(message.role).toBe("user");
    const result = await c.sessions.run(session.id, "Again");
    expect(result.status).toBe("completed");
    const messages = await c.messages.list(session.id);
    expect(messages.map((m) => m.id)).toContain(message.id);
    const all = await c.events.list(session.id);
    expect(all[0]?.type).toBe("input.message");
    const filtered = await c.events.list(session.id, { types: ["turn.started", "turn.completed"] });
    expect(new Set(filtered.map((e) => e.type))).toEqual(
      new Set(["turn.started", "turn.completed"]),
    );
    const last = await c.events.list(session.id, { limit: 1 });
    expect(last).toHaveLength(1);
    const walked = [];
    for await (const event of c.events.iterate(session.id, { pageSize: 3 })) walked.push(event.id);
    // Pages of `limit` events leave token deltas out (API-NOTES: X-Total-Count counts non-delta events).
    expect(walked).toEqual(all.filter((e) => !e.type.endsWith(".delta")).map((e) => e.id));
    await expect(
      c.messages.submitToolResults(session.id, [{ toolCallId: "call_x", result: 1 }]),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("sends array filters as repeated keys", async () => {
    const session = await newSession();
    await c.events.list(session.id, {
      types: ["turn.started", "turn.completed"],
      exclude: ["reason.started"],
    });
    const log = (await control("/requests", undefined, "GET")) as {
      data: { path: string; query_pairs: [string, string][] }[];
    };
    const entry = log.data.filter((r) => r.path === `/v1/sessions/${session.id}/events`).at(-1);
    expect(entry?.query_pairs).toEqual([
      ["types", "turn.started"],
      ["types", "turn.completed"],
      ["exclude", "reason.started"],
    ]);
  });
});

describe("models, capabilities", () => {
  it("models list and get", async () => {
    const models = await c.models.list();
    expect(models.length).toBeGreaterThan(0);
    const first = models[0] as (typeof models)[number];
    expect((await c.models.get(first.id)).id).toBe(first.id);
  });

  it("capabilities list, get, guardrail examples, dry run", async () => {
    const page = await c.capabilities.list({ limit: 2 });
    const first = page.data[0];
    expect(first).toBeDefined();
    expect((await c.capabilities.get(first?.id as string)).id).toBe(first?.id);
    const examples = await c.capabilities.guardrailExamples();
    expect(Array.isArray(examples)).toBe(true);
    const dry = await c.capabilities.dryRunGuardrails({
      config: {},
      stage: "output",
      text: "hello",
    });
    expect(dry).toBeTypeOf("object");
    await expect(
      c.capabilities.dryRunGuardrails({ config: {}, text: "x" } as never),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("images", () => {
  it("upload, list, get, content, thumbnail, delete", async () => {
    const uploaded = await c.images.upload(PNG, { filename: "dot.png" });
    expect(uploaded.id).toBeTruthy();
    expect((await c.images.list({ limit: 100 })).map((i) => i.id)).toContain(uploaded.id);
    expect((await c.images.get(uploaded.id)).id).toBe(uploaded.id);
    expect(Array.from((await c.images.content(uploaded.id)).slice(0, 4))).toEqual([
      0x89, 0x50, 0x4e, 0x47,
    ]);
    expect((await c.images.thumbnail(uploaded.id)).length).toBeGreaterThan(0);
    const session = await newSession();
    await c.messages.create(session.id, { content: ["What is this?", imageFilePart(uploaded.id)] });
    await c.images.delete(uploaded.id);
    await expect(c.images.get(uploaded.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
