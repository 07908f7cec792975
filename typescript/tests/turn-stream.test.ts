/** `sessions.streamTurn`: one turn followed live, against the local server. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  EverrunsError,
  NotFoundError,
  tool,
  TurnFailedError,
  TurnStream,
  TurnTimeoutError,
} from "../src/index";
import { client, control, server } from "./support/client";

const c = client();

async function scripted(
  replies: unknown[],
  tools?: NonNullable<Parameters<typeof c.sessions.create>[0]>["tools"],
) {
  const session = await c.sessions.create(tools ? { tools } : {});
  await control("/script/add", { session_id: session.id, replies });
  return session.id;
}

describe("sessions.streamTurn", () => {
  it("yields this turn's events only, input.message to turn.completed", async () => {
    const id = await scripted(["First answer.", "Second answer."]);
    const first = await c.sessions.run(id, "One");
    const turn = c.sessions.streamTurn(id, "Two");
    expect(turn).toBeInstanceOf(TurnStream);
    const types: string[] = [];
    for await (const event of turn) types.push(event.type);
    expect(types[0]).toBe("input.message");
    expect(types.at(-1)).toBe("turn.completed");
    expect(turn.done).toBe(true);
    expect(turn.turnId).toBeTruthy();
    expect(turn.turnId).not.toBe(first.turnId);
    expect(turn.events.map((e) => e.type)).toEqual(types);
    const ids = new Set(first.events.map((e) => e.id));
    expect(turn.events.some((e) => ids.has(e.id))).toBe(false);
    const result = await turn.final();
    expect(result.text).toBe("Second answer.");
    expect(result.inputMessage?.id).toBe(turn.message?.id);
  });

  it("textDeltas() gives the text piece by piece, then final() the whole turn", async () => {
    const id = await scripted([{ text: "Hello from the script.", chunk_size: 4 }]);
    const turn = c.sessions.streamTurn(id, "Hi");
    const pieces: string[] = [];
    for await (const text of turn.textDeltas()) pieces.push(text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe("Hello from the script.");
    const result = await turn.final();
    expect(result.status).toBe("completed");
    expect(result.ok).toBe(true);
    expect(result.text).toBe("Hello from the script.");
    expect(result.events.at(-1)?.type).toBe("turn.completed");
  });

  it("final() gives the same result as sessions.run, tools answered on the way", async () => {
    const lookup = tool<{ userId: string }, { plan: string }>({
      name: "lookup",
      parameters: {
        type: "object",
        properties: { userId: { type: "string" } },
        required: ["userId"],
      },
      run: async ({ userId }) => ({ plan: `pro-${userId}` }),
    });
    const replies = [
      { tool_calls: [{ name: "lookup", arguments: { userId: "u1" }, client_side: true }] },
      "Your plan is pro.",
    ];
    const a = await scripted(replies, [lookup]);
    const b = await scripted(replies, [lookup]);
    const viaRun = await c.sessions.run(a, "Which plan?", { tools: [lookup] });
    const viaStream = await c.sessions.streamTurn(b, "Which plan?", { tools: [lookup] }).final();
    expect(viaStream.text).toBe("Your plan is pro.");
    expect(Object.keys(viaStream).sort()).toEqual(Object.keys(viaRun).sort());
    expect(viaStream.status).toBe(viaRun.status);
    expect(viaStream.events.map((e) => e.type)).toEqual(viaRun.events.map((e) => e.type));
  });

  it("a failed turn: status failed, or TurnFailedError from final() with raiseOnFailure", async () => {
    const id = await scripted([
      { failure: { error: "boom", error_code: "model_error" } },
      { failure: { error: "boom" } },
    ]);
    const result = await c.sessions.streamTurn(id, "Hi").final();
    expect(result.status).toBe("failed");
    expect(result.errorCode).toBe("model_error");
    const turn = c.sessions.streamTurn(id, "Again", { raiseOnFailure: true });
    await expect(turn.final()).rejects.toBeInstanceOf(TurnFailedError);
  });

  it("abort() ends the iteration quietly; final() then says the turn did not end", async () => {
    const id = await scripted([{ hang: true }]);
    const turn = c.sessions.streamTurn(id, "Hi");
    const seen: string[] = [];
    for await (const event of turn) {
      seen.push(event.type);
      turn.abort();
    }
    expect(seen).toEqual(["input.message"]);
    expect(turn.done).toBe(false);
    await expect(turn.final()).rejects.toThrow(/aborted before the turn ended/);
    await expect(turn.final()).rejects.toBeInstanceOf(EverrunsError);
    await c.sessions.cancel(id);
  });

  it("leaving for await early and `await using` close the stream", async () => {
    const id = await scripted([{ hang: true }, { hang: true }]);
    const broken = c.sessions.streamTurn(id, "Hi");
    for await (const _ of broken) break;
    expect(broken.toJSON().state).toBe("closed");
    await c.sessions.cancel(id);
    let scoped: TurnStream | undefined;
    {
      await using turn = c.sessions.streamTurn(id, "Again");
      scoped = turn;
      const first = await turn.next();
      expect(first.done).toBe(false);
    }
    expect(scoped.toJSON().state).toBe("closed");
    expect((await scoped.next()).done).toBe(true);
    await c.sessions.cancel(id);
  });

  it("a turn that does not end in time is a TurnTimeoutError from the iteration", async () => {
    const id = await scripted([{ hang: true }]);
    const turn = c.sessions.streamTurn(id, "Hi", { timeout: 300 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of turn) seen.push(event.type);
      })(),
    ).rejects.toBeInstanceOf(TurnTimeoutError);
    expect(seen[0]).toBe("input.message");
    await c.sessions.cancel(id);
  });

  it("a signal stops it; iteration throws the signal's reason", async () => {
    const id = await scripted([{ hang: true }]);
    const controller = new AbortController();
    const turn = c.sessions.streamTurn(id, "Hi", { signal: controller.signal });
    const reason = new Error("user left");
    const iterated = (async () => {
      for await (const _ of turn) controller.abort(reason);
    })();
    await expect(iterated).rejects.toBe(reason);
    await c.sessions.cancel(id);
  });

  it("a message that cannot be sent is thrown by the first step, never unhandled", async () => {
    const turn = c.sessions.streamTurn("session_00000000000070008000000000000000", "Hi");
    await expect(turn.next()).rejects.toBeInstanceOf(NotFoundError);
    await expect(turn.start()).rejects.toBeInstanceOf(NotFoundError);
  });

  it("bad options are a RangeError before anything is sent", () => {
    expect(() => c.sessions.streamTurn("session_x", "Hi", { timeout: 0 })).toThrow(RangeError);
    expect(() => c.sessions.streamTurn("session_x", "Hi", { toolTimeout: -1 })).toThrow(RangeError);
  });

  it("inspect and JSON show the state, never the key", async () => {
    const id = await scripted(["ok"]);
    const turn = c.sessions.streamTurn(id, "Hi");
    await turn.final();
    expect(turn.toJSON()).toEqual({ sessionId: id, turnId: turn.turnId, state: "done" });
    for (const text of [JSON.stringify(turn), inspect(turn, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(server().apiKey);
    }
  });
});
