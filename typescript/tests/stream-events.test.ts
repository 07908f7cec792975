/**
 * Streamed events as the stream parses them: the envelope and context renamed by the
 * straight-line fast path exactly as the generic, shape-driven converter would, free-form
 * parts left alone; the events of one chunk parsed in one go, a bad one delivered after
 * the good ones before it. The chunks come from a fetch mock (one chunk, exact bytes).
 */
import { describe, expect, it } from "vitest";
import { Everruns, ResponseValidationError } from "../src/index";
import { fromWire } from "../src/core/names";
import { EVENT_CONTEXT_SHAPE } from "../src/generated/events";
import { eventFromWire } from "../src/streaming/events";

const wireEvent = {
  id: "event_1",
  type: "output.message.delta",
  ts: "2026-05-20T14:00:00.185Z",
  session_id: "session_1",
  sequence: 6,
  context: {
    span_id: "s1",
    turn_id: "turn_1",
    exec_id: "exec_1",
    parent_span_id: "s0",
    input_message_id: "message_1",
    trace_id: "trace_1",
    future_field: { keep_me: 1 },
  },
  data: { turn_id: "turn_1", delta: "Hi", accumulated: "Hi" },
  metadata: { snake_key: { inner_key: true } },
  tags: ["a_b"],
  brand_new: { not_declared: 1 },
};

describe("eventFromWire", () => {
  it("renames the envelope and context like the generic converter, keys in wire order", () => {
    const event = eventFromWire(structuredClone(wireEvent)) as unknown as Record<string, unknown>;
    expect(Object.keys(event)).toEqual([
      "id",
      "type",
      "ts",
      "sessionId",
      "sequence",
      "context",
      "data",
      "metadata",
      "tags",
      "brand_new",
    ]);
    const generic = fromWire(structuredClone(wireEvent.context), EVENT_CONTEXT_SHAPE);
    expect(event.context).toStrictEqual(generic);
    expect(Object.keys(event.context as object)).toEqual([
      "spanId",
      "turnId",
      "execId",
      "parentSpanId",
      "inputMessageId",
      "traceId",
      "future_field",
    ]);
    expect(event.data).toStrictEqual({ turnId: "turn_1", delta: "Hi", accumulated: "Hi" });
    expect(event.metadata).toStrictEqual(wireEvent.metadata);
    expect(event.tags).toStrictEqual(["a_b"]);
    expect(event.brand_new).toStrictEqual({ not_declared: 1 });
  });

  it("keeps a context that is not an object, and absent fields absent", () => {
    const event = eventFromWire({ id: "e", type: "x.y", context: "odd" }) as unknown as Record<
      string,
      unknown
    >;
    expect(event).toStrictEqual({ id: "e", type: "x.y", context: "odd", data: {} });
  });
});

/** A client whose only stream is `body`, sent as one chunk, then the end. */
function streamOf(body: string): Everruns {
  const fetch = async (): Promise<Response> =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      { status: 200, headers: { "content-type": "text/event-stream" } },
    );
  return new Everruns({ apiKey: "k", baseUrl: "http://127.0.0.1:9/api", fetch });
}

const frame = (id: string, json: string) => `event: x\nid: ${id}\ndata: ${json}\n\n`;

describe("one chunk of events", () => {
  it("delivers the events before a bad one, then throws, resuming after the last good one", async () => {
    const good = (id: string) => JSON.stringify({ id, type: "custom.note", data: {} });
    const body = frame("e1", good("e1")) + frame("e2", good("e2")) + frame("e3", "{not json");
    const stream = streamOf(body).events.stream("session_1", { maxRetries: 0 });
    const first = await stream.next();
    const second = await stream.next();
    expect([first.value?.id, second.value?.id]).toEqual(["e1", "e2"]);
    expect(stream.lastEventId).toBe("e2");
    await expect(stream.next()).rejects.toBeInstanceOf(ResponseValidationError);
    expect((await stream.next()).done).toBe(true);
  });

  it("the resume point is the SSE id when the JSON has none", async () => {
    const body = frame("sse_1", JSON.stringify({ type: "custom.note", data: {} }));
    const stream = streamOf(body).events.stream("session_1", { maxRetries: 0 });
    const event = await stream.next();
    expect(event.value?.type as string).toBe("custom.note");
    expect(stream.lastEventId).toBe("sse_1");
    stream.abort();
  });
});

describe("the stream's requests", () => {
  it("every connection sends the stream headers with the client's (built once, the same)", async () => {
    const sent: Record<string, string>[] = [];
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      sent.push({ ...(init?.headers as Record<string, string>) });
      const body = frame("e1", JSON.stringify({ id: "e1", type: "custom.note", data: {} }));
      return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
    };
    const client = new Everruns({ apiKey: "k_1", baseUrl: "http://127.0.0.1:9/api", fetch });
    for (let i = 0; i < 2; i++) {
      for await (const event of client.events.stream("session_1")) {
        expect(event.id).toBe("e1");
        break;
      }
    }
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      accept: "text/event-stream",
      "cache-control": "no-cache",
      authorization: "k_1",
    });
    expect(sent[1]).toStrictEqual(sent[0]);
  });
});
