/** The SSE decoder against the event-stream rules of the WHATWG standard. */
import { describe, expect, it } from "vitest";
import { SSEDecoder, SSEProtocolError } from "../src/streaming/sse";

const enc = (s: string) => new TextEncoder().encode(s);

function decodeAll(chunks: (string | Uint8Array)[]) {
  const decoder = new SSEDecoder(1024);
  return chunks.flatMap((c) => decoder.feed(typeof c === "string" ? enc(c) : c));
}

describe("SSEDecoder", () => {
  it("decodes the usual shape and keeps the last id", () => {
    const events = decodeAll(['event: a\nid: 1\ndata: {"x":1}\n\n', "data: two\n\n"]);
    expect(events).toEqual([
      { event: "a", data: '{"x":1}', id: "1" },
      { event: "", data: "two", id: "1" },
    ]);
  });

  it("handles CRLF, lone CR and a CRLF split across chunks", () => {
    expect(decodeAll(["data: a\r\n\r\ndata: b\r\rdata: c\r", "\n\r\n"]).map((e) => e.data)).toEqual(
      ["a", "b", "c"],
    );
  });

  it("joins data lines, ignores comments and unknown fields, no space after the colon", () => {
    const decoder = new SSEDecoder();
    const events = decoder.feed(enc(": heartbeat\nfoo: bar\ndata:one\ndata: two\ndata\n\n"));
    expect(events).toEqual([{ event: "", data: "one\ntwo\n", id: "" }]);
    expect(decoder.comments).toBe(1);
  });

  it("reads retry only when all digits; an id with NUL is ignored", () => {
    const decoder = new SSEDecoder();
    decoder.feed(enc("retry: 250\nid: a\0b\ndata: x\n\nretry: 12x\n\n"));
    expect(decoder.retry).toBe(250);
    expect(decoder.feed(enc("data: y\n\n"))[0]?.id).toBe("");
  });

  it("splits anywhere, even inside a multi-byte character, and drops a BOM", () => {
    const bytes = enc("\ufeffdata: h\u00e9llo \u{1f600}\n\n");
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(decodeAll(chunks)).toEqual([{ event: "", data: "h\u00e9llo \u{1f600}", id: "" }]);
  });

  it("never delivers an event without its blank line", () => {
    const decoder = new SSEDecoder();
    expect(decoder.feed(enc("data: torn\n"))).toEqual([]);
    expect(decoder.pending).toBeGreaterThan(0);
  });

  it("bounds a line and an event", () => {
    expect(() => decodeAll(["x".repeat(600), "y".repeat(600)])).toThrow(SSEProtocolError);
    expect(() => decodeAll([`data: ${"z".repeat(600)}\n`, `data: ${"z".repeat(600)}\n`])).toThrow(
      SSEProtocolError,
    );
  });

  it("hands out one event at a time; a line split across chunks joins the next chunk", () => {
    const decoder = new SSEDecoder();
    decoder.push(enc("data: a\n\nid: 7\ndata: b\n\ndata: par"));
    expect(decoder.next()).toEqual({ event: "", data: "a", id: "" });
    expect(() => decoder.push(enc("x"))).toThrow(/before next/);
    expect(decoder.next()).toEqual({ event: "", data: "b", id: "7" });
    expect(decoder.next()).toBeUndefined();
    expect(decoder.pending).toBe("data: par".length);
    expect(decoder.next()).toBeUndefined(); // the incomplete line is kept
    decoder.push(enc("tial\n\n"));
    expect(decoder.next()).toEqual({ event: "", data: "partial", id: "7" });
    expect(decoder.next()).toBeUndefined();
    expect(decoder.pending).toBe(0);
  });

  it("take() gives the data, with the event's type and id in properties", () => {
    const decoder = new SSEDecoder();
    decoder.push(enc("event: a\nid: 1\ndata: x\n\ndata: y\n\n"));
    expect([decoder.take(), decoder.event, decoder.id]).toEqual(["x", "a", "1"]);
    expect([decoder.take(), decoder.event, decoder.id]).toEqual(["y", "", "1"]);
    expect(decoder.take()).toBeUndefined();
  });

  it("decodes the same events however the bytes are split", () => {
    // Every line shape, CRLF and CR, multi-byte text, lines and events longer than a chunk.
    const long = "\u00e9\u4e2d".repeat(70);
    const text =
      "retry: 100\r\nevent: connected\r\ndata: {}\r\n\r\n" +
      `event: t\nid: e1\ndata: {"a":"${long}"}\n\n` +
      ": beat\nid: e2\ndata: one\ndata: two\n\n" +
      "data: no-id\r\rid: a\0b\ndata: nul\n\n" +
      `event: u\ndata: ${long}\n\nid: e3\nevent: late\ndata: z\n\n` +
      "event: t\nid: e4\ndata: last\n\ndata: torn";
    const bytes = enc(text);
    const events = (decoder: SSEDecoder) => {
      const out: unknown[] = [];
      for (let event = decoder.next(); event !== undefined; event = decoder.next()) out.push(event);
      return out;
    };
    const whole = new SSEDecoder();
    whole.push(bytes);
    const expected = events(whole);
    expect(expected).toEqual([
      { event: "connected", data: "{}", id: "" },
      { event: "t", data: `{"a":"${long}"}`, id: "e1" },
      { event: "", data: "one\ntwo", id: "e2" },
      { event: "", data: "no-id", id: "e2" },
      { event: "", data: "nul", id: "e2" },
      { event: "u", data: long, id: "e2" },
      { event: "late", data: "z", id: "e3" },
      { event: "t", data: "last", id: "e4" },
    ]);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const decoder = new SSEDecoder();
      const got: unknown[] = [];
      const most = 1 + Math.floor(random() * 300);
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * most);
        decoder.push(bytes.subarray(at, at + size));
        got.push(...events(decoder));
        at += size;
      }
      expect(got).toEqual(expected);
      expect([decoder.comments, decoder.retry, decoder.pending]).toEqual([
        whole.comments,
        whole.retry,
        whole.pending,
      ]);
    }
  });

  it("a chunk larger than the decoder's piece: every event, however the bytes are split", () => {
    const sent: { event: string; data: string; id: string }[] = [];
    let text = "";
    for (let i = 0; i < 400; i++) {
      const data = `{"n":${i},"text":"${"caf\u00e9 \u2014 \u{1f600} ".repeat(i % 40)}"}`;
      const event = i % 3 ? "t" : "";
      text += `${event ? `event: ${event}\r\n` : ""}id: e${i}\r\ndata: ${data}\r\n\r\n`;
      sent.push({ event, data, id: `e${i}` });
    }
    const bytes = enc(text);
    expect(bytes.length).toBeGreaterThan(100_000);
    const whole = new SSEDecoder();
    whole.push(bytes);
    const got: unknown[] = [];
    for (let event = whole.next(); event !== undefined; event = whole.next()) got.push(event);
    expect(got).toEqual(sent);
    let seed = 11;
    for (let round = 0; round < 5; round++) {
      const decoder = new SSEDecoder();
      const split: unknown[] = [];
      for (let at = 0; at < bytes.length; ) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const size = 1 + (seed % 70_000);
        split.push(...decoder.feed(bytes.subarray(at, at + size)));
        at += size;
      }
      expect(split).toEqual(sent);
      expect(decoder.pending).toBe(0);
    }
  });
});
