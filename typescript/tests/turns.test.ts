/** Whole turns (`sessions.run`) and the client-side tool runner, against the local server. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, TurnFailedError, TurnTimeoutError } from "../src/index";
import { client, control } from "./support/client";

const c = client();

async function scripted(
  replies: unknown[],
  tools?: NonNullable<Parameters<typeof c.sessions.create>[0]>["tools"],
) {
  const session = await c.sessions.create(tools ? { tools } : {});
  await control("/script/add", { session_id: session.id, replies });
  return session.id;
}

const lookup = tool<{ userId: string }, { plan: string }>({
  name: "lookup",
  description: "The plan of a user.",
  parameters: { type: "object", properties: { userId: { type: "string" } }, required: ["userId"] },
  run: async ({ userId }) => ({ plan: `pro-${userId}` }),
});

interface SubmittedResult {
  tool_call_id: string;
  result?: unknown;
  error?: string;
}

async function submitted(sessionId: string): Promise<SubmittedResult[]> {
  const log = (await control("/requests", undefined, "GET")) as {
    data: { path: string; body: { tool_results?: SubmittedResult[] } }[];
  };
  return log.data
    .filter((r) => r.path === `/v1/sessions/${sessionId}/tool-results`)
    .flatMap((r) => r.body.tool_results ?? []);
}

describe("sessions.run", () => {
  it("returns the whole turn: status, text, message, usage, events", async () => {
    const id = await scripted(["Hello from the script."]);
    const seen: string[] = [];
    const result = await c.sessions.run(id, "Hi", { onEvent: (e) => seen.push(e.type) });
    expect(result.status).toBe("completed");
    expect(result.ok).toBe(true);
    expect(result.text).toBe("Hello from the script.");
    expect(result.message?.role).toBe("agent");
    expect(result.events[0]?.type).toBe("input.message");
    expect(result.events.at(-1)?.type).toBe("turn.completed");
    expect(seen).toEqual(result.events.map((e) => e.type));
    expect(result.turnId).toBeTruthy();
  });

  it("a failed turn resolves with status failed, or throws with raiseOnFailure", async () => {
    const id = await scripted([
      { failure: { error: "boom", error_code: "model_error" } },
      { failure: { error: "boom" } },
    ]);
    const result = await c.sessions.run(id, "Hi");
    expect(result.status).toBe("failed");
    expect(result.error).toBe("boom");
    expect(result.errorCode).toBe("model_error");
    await expect(c.sessions.run(id, "Again", { raiseOnFailure: true })).rejects.toBeInstanceOf(
      TurnFailedError,
    );
  });

  it("a turn that does not end in time is a TurnTimeoutError", async () => {
    const id = await scripted([{ hang: true }]);
    await expect(c.sessions.run(id, "Hi", { timeout: 300 })).rejects.toBeInstanceOf(
      TurnTimeoutError,
    );
    await c.sessions.cancel(id);
  });
});

describe("client-side tools", () => {
  it("runs the tool the turn calls and sends its result back", async () => {
    const id = await scripted(
      [
        { tool_calls: [{ name: "lookup", arguments: { userId: "u1" }, client_side: true }] },
        "Your plan is pro.",
      ],
      [lookup],
    );
    const result = await c.sessions.run(id, "Which plan?", { tools: [lookup] });
    expect(result.text).toBe("Your plan is pro.");
    const [sent] = await submitted(id);
    expect(sent?.result).toEqual({ plan: "pro-u1" });
  });

  it("runs calls concurrently; errors, bad arguments, unknown tools and timeouts become tool errors", async () => {
    let running = 0;
    let peak = 0;
    const slow = tool({
      name: "slow",
      parameters: { type: "object" },
      timeout: 200,
      run: () => new Promise(() => undefined), // never resolves
    });
    const failing = tool({
      name: "failing",
      parameters: { type: "object" },
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 50));
        running--;
        throw new Error("no database");
      },
    });
    const calls = [
      { name: "slow", client_side: true },
      { name: "failing", client_side: true },
      { name: "failing", client_side: true },
      { name: "lookup", arguments: { userId: 7 }, client_side: true },
      { name: "missing", client_side: true },
    ];
    const id = await scripted(
      [{ tool_calls: calls }, "done"],
      [
        slow,
        failing,
        lookup,
        { type: "client_side", name: "missing", description: "d", parameters: {} },
      ],
    );
    const result = await c.sessions.run(id, "go", { tools: [slow, failing, lookup] });
    expect(result.status).toBe("completed");
    expect(peak).toBe(2);
    const errors = (await submitted(id)).map((r) => r.error);
    expect(errors[0]).toMatch(/timed out after 200 ms/);
    expect(errors[1]).toBe("Error: no database");
    expect(errors[3]).toMatch(/lookup: userId: expected string/);
    expect(errors[4]).toMatch(/unknown tool "missing"/);
  });

  it("a zod schema validates and types the arguments and gives the JSON schema", async () => {
    const add = tool({
      name: "add",
      schema: z.object({ a: z.number(), b: z.number() }),
      run: ({ a, b }) => a + b,
    });
    expect(add.definition()).toMatchObject({
      type: "client_side",
      name: "add",
      parameters: { type: "object" },
    });
    const id = await scripted(
      [
        {
          tool_calls: [
            { name: "add", arguments: { a: 2, b: 3 }, client_side: true },
            { name: "add", arguments: { a: "x" }, client_side: true },
          ],
        },
        "5",
      ],
      [add],
    );
    await c.sessions.run(id, "2+3?", { tools: [add] });
    const [ok, bad] = await submitted(id);
    expect(ok?.result).toBe(5);
    expect(bad?.error).toMatch(/^add: /);
  });
});
