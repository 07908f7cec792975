/** The event stream under the local server's faults: every reconnection rule. */
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  type Event,
  NotFoundError,
  StreamRetriesExhaustedError,
} from "../src/index";
import { privateServer } from "./support/private";

const p = privateServer(["--heartbeat", "0.2"]);
const FAST = { backoffBase: 5, backoffMax: 20 };

async function sessionWith(events: number): Promise<string> {
  const session = await p.client().sessions.create({});
  for (let i = 0; i < events; i++) {
    await p.control(`/sessions/${session.id}/events`, { type: "custom.note", data: { index: i } });
  }
  return session.id;
}

async function collect(
  sessionId: string,
  count: number,
  options = {},
): Promise<{ events: Event[]; reconnects: number }> {
  const events: Event[] = [];
  const stream = p.client().events.stream(sessionId, { ...FAST, ...options });
  for await (const event of stream) {
    events.push(event);
    if (events.length === count) break;
  }
  return { events, reconnects: stream.reconnects };
}

function indexes(events: Event[]): unknown[] {
  return events.map((e) => (e.data as { index?: unknown }).index);
}

describe("event stream reconnection", () => {
  it("100 planned cycles with maxRetries: 1 are never counted as failures", async () => {
    const id = await sessionWith(110);
    await p.control("/faults/sse_cycle", { after_events: 1, session_id: id, times: 100 });
    const { events, reconnects } = await collect(id, 110, { maxRetries: 1 });
    expect(indexes(events)).toEqual([...Array(110).keys()]);
    expect(reconnects).toBeGreaterThanOrEqual(100);
  });

  it("a half-open (stalled) connection is dropped by the idle timeout and resumed", async () => {
    const id = await sessionWith(6);
    await p.control("/faults/sse_stall", { after_events: 2, session_id: id });
    const { events, reconnects } = await collect(id, 6, { idleTimeout: 300 });
    expect(indexes(events)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reconnects).toBe(1);
  });

  it("an event torn by a cut is delivered whole, once, by the next connection", async () => {
    const id = await sessionWith(4);
    await p.control("/faults/sse_cut", { after_events: 1, mid_event: true, session_id: id });
    await p.control("/faults/sse_drop", { after_events: 2, session_id: id });
    const { events } = await collect(id, 4);
    expect(indexes(events)).toEqual([0, 1, 2, 3]);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
  });

  it("resumes with since_id = the last event delivered", async () => {
    const id = await sessionWith(3);
    await p.control("/faults/sse_cut", { after_events: 2, session_id: id });
    const { events } = await collect(id, 3);
    const queries = (await p.requests())
      .filter((r) => r.path.endsWith("/sse"))
      .map((r) => r.query_pairs);
    expect(queries[0]).toEqual([]);
    expect(queries[1]).toEqual([["since_id", events[1]?.id]]);
  });

  it("a 401 on reconnect is thrown at once", async () => {
    const id = await sessionWith(3);
    await p.control("/faults/sse_cut", { after_events: 1, session_id: id });
    await p.control("/faults/error", {
      status: 401,
      path: `/v1/sessions/${id}/sse`,
      method: "GET",
      skip: 1,
    });
    const error = await collect(id, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
  });

  it("a 404 on the first connect is thrown at once", async () => {
    await expect(collect("session_missing", 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("503 with Retry-After is retried; maxRetries exhausted is a clear error", async () => {
    const id = await sessionWith(1);
    await p.control("/faults/error", {
      status: 503,
      path: `/v1/sessions/${id}/sse`,
      method: "GET",
      retry_after: 0.01,
    });
    expect(indexes((await collect(id, 1)).events)).toEqual([0]);
    await p.control("/faults/error", {
      status: 500,
      path: `/v1/sessions/${id}/sse`,
      method: "GET",
      times: 5,
    });
    const error = (await collect(id, 1, { maxRetries: 2 }).catch(
      (e: unknown) => e,
    )) as StreamRetriesExhaustedError;
    expect(error).toBeInstanceOf(StreamRetriesExhaustedError);
    expect(error.attempts).toBe(3);
    expect(error.message).toMatch(/3 consecutive connection attempts failed \(maxRetries=2\)/);
  });

  it("5,000 events through random faults arrive exactly once and in order", async () => {
    const c = p.client();
    const session = await c.sessions.create({});
    await p.control("/script/add", {
      session_id: session.id,
      replies: [{ text: "x".repeat(5000), chunk_size: 1 }],
    });
    await c.messages.create(session.id, { text: "go" });
    const kinds = ["sse_cut", "sse_drop", "sse_cycle", "sse_stall"] as const;
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 30; i++) {
      const kind = kinds[Math.floor(random() * kinds.length)] as string;
      const body: Record<string, unknown> = {
        after_events: Math.floor(random() * 300),
        session_id: session.id,
      };
      if (kind === "sse_cut") body.mid_event = random() < 0.5;
      await p.control(`/faults/${kind}`, body);
    }
    const seen: Event[] = [];
    const stream = c.events.stream(session.id, { ...FAST, idleTimeout: 400 });
    for await (const event of stream) {
      seen.push(event);
      if (event.type === "turn.completed") break;
    }
    const expected = await c.events.list(session.id);
    const upTo = expected.findIndex((e) => e.type === "turn.completed");
    expect(seen.map((e) => e.id)).toEqual(expected.slice(0, upTo + 1).map((e) => e.id));
    expect(seen.filter((e) => e.type === "output.message.delta")).toHaveLength(5000);
    expect(stream.reconnects).toBeGreaterThanOrEqual(20);
  });

  it("1,000 streams left after their first event leave no open socket", async () => {
    const id = await sessionWith(2);
    const c = p.client();
    const sockets = () =>
      process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;
    const before = sockets();
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          for await (const event of c.events.stream(id)) {
            expect(event.type).toBe("custom.note");
            break;
          }
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sockets()).toBeLessThanOrEqual(before + 2);
  });
});
