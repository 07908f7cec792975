/**
 * camelCase in TypeScript, snake_case on the wire, mapped by the generated shapes in
 * both directions; free-form objects are never renamed. Checked on the wire through the
 * local server's request log.
 */
import { describe, expect, it } from "vitest";
import { fromWire, toWire } from "../src/core/names";
import { client, control, uniqueName } from "./support/client";

const c = client();

async function lastBody(path: string, method = "POST"): Promise<Record<string, unknown>> {
  const log = (await control("/requests", undefined, "GET")) as {
    data: { method: string; path: string; body: Record<string, unknown> }[];
  };
  const entry = log.data.filter((r) => r.path === path && r.method === method).at(-1);
  if (!entry) throw new Error(`no ${method} ${path} in the log`);
  return entry.body;
}

describe("request bodies", () => {
  it("renames declared fields, leaves metadata, tags and JSON schemas as they are", async () => {
    const agent = await c.agents.create({
      name: uniqueName(),
      systemPrompt: "x",
      maxIterations: 3,
      tools: [
        {
          type: "client_side",
          name: "lookup",
          description: "d",
          parameters: {
            type: "object",
            properties: { user_id: { type: "string" }, camelProp: { type: "number" } },
          },
        },
      ],
    });
    const body = await lastBody("/v1/agents");
    expect(body.system_prompt).toBe("x");
    expect(body.max_iterations).toBe(3);
    expect(body).not.toHaveProperty("systemPrompt");
    const tool = (body.tools as Record<string, unknown>[])[0];
    expect(tool?.parameters).toEqual({
      type: "object",
      properties: { user_id: { type: "string" }, camelProp: { type: "number" } },
    });
    // and back: the JSON schema comes back untouched, the fields camelCase
    const tools = agent.tools as { parameters?: unknown }[];
    expect(tools[0]?.parameters).toEqual(tool?.parameters);
    expect(agent.maxIterations).toBe(3);
  });

  it("message metadata keys are never renamed, in either direction", async () => {
    const session = await c.sessions.create({});
    const metadata = { snake_key: 1, camelKey: { inner_key: true } };
    const message = await c.messages.create(session.id, { text: "hi", metadata });
    const body = await lastBody(`/v1/sessions/${session.id}/messages`);
    expect(body.metadata).toEqual(metadata);
    expect(message.metadata).toEqual(metadata);
    expect(message.createdAt).toBeTypeOf("string");
  });

  it("tool call arguments in events stay as the model sent them", async () => {
    const session = await c.sessions.create({
      tools: [
        { type: "client_side", name: "lookup", description: "d", parameters: { type: "object" } },
      ],
    });
    await control("/script/add", {
      session_id: session.id,
      replies: [
        {
          tool_calls: [
            { name: "lookup", arguments: { user_id: "u1", someField: 2 }, client_side: true },
          ],
        },
        "done",
      ],
    });
    await c.messages.create(session.id, { text: "go" });
    for await (const event of c.events.stream(session.id)) {
      if (event.type === "tool.call_requested") {
        expect(event.data.toolCalls[0]?.arguments).toEqual({ user_id: "u1", someField: 2 });
        expect(event.sessionId).toBe(session.id);
        break;
      }
    }
  });
});

describe("the shapes themselves", () => {
  it("round-trips and keeps unknown fields and unknown union branches as they came", () => {
    const wire = {
      id: "message_1",
      role: "agent",
      created_at: "2026-01-01T00:00:00Z",
      brand_new_field: { some_key: 1 },
      content: [
        { type: "text", text: "hi" },
        { type: "future_part", some_field: 1 },
        { type: "image_file", image_id: "img_1" },
      ],
    };
    const ts = fromWire<Record<string, unknown>>(wire, "Message");
    expect(ts).toEqual({
      id: "message_1",
      role: "agent",
      createdAt: "2026-01-01T00:00:00Z",
      brand_new_field: { some_key: 1 },
      content: [
        { type: "text", text: "hi" },
        { type: "future_part", some_field: 1 },
        { type: "image_file", imageId: "img_1" },
      ],
    });
    expect(toWire(ts, "Message")).toEqual(wire);
  });

  it("keeps wire names that are camelCase already (mcpServers)", () => {
    const ts = fromWire<Record<string, unknown>>(
      { mcpServers: { my_server: { url: "u" } }, system_prompt: "p" },
      "Agent",
    );
    expect(Object.keys(ts).sort()).toEqual(["mcpServers", "systemPrompt"]);
    expect(toWire(ts, "Agent")).toEqual({
      mcpServers: { my_server: { url: "u" } },
      system_prompt: "p",
    });
  });
});
