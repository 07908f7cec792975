/**
 * Event stream edges: unknown types pass through, leaving the loop closes the
 * connection, abort() and signal stop it, an endless line ends in a clear error. The
 * endless line comes from a tiny loopback server (the local server cannot send one).
 */
import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Everruns, SSEProtocolError } from "../src/index";
import { client, control } from "./support/client";

const c = client();

describe("the event stream", () => {
  it("delivers an unknown event type with its data as it came", async () => {
    const session = await c.sessions.create({});
    await control(`/sessions/${session.id}/events`, {
      type: "brand.new_kind",
      data: { some_field: { inner_key: 1 } },
    });
    for await (const event of c.events.stream(session.id)) {
      expect(event.type as string).toBe("brand.new_kind");
      expect(event.data).toEqual({ some_field: { inner_key: 1 } });
      expect(event.sessionId).toBe(session.id);
      break;
    }
  });

  it("responseHeaders: none before the first connection, then the connection's", async () => {
    const session = await c.sessions.create({});
    await control(`/sessions/${session.id}/events`, { type: "custom.note", data: {} });
    const stream = c.events.stream(session.id);
    expect(stream.responseHeaders).toBeUndefined();
    expect((await stream.next()).done).toBe(false);
    const headers = stream.responseHeaders;
    expect(headers?.get("content-type")).toContain("text/event-stream");
    expect(headers?.get("x-request-id")).toMatch(/^req_/);
    stream.abort();
    expect(stream.responseHeaders).toBe(headers); // the latest, once closed
  });

  it("leaving the loop by a throw closes the stream; abort() ends a pending next()", async () => {
    const session = await c.sessions.create({});
    await control(`/sessions/${session.id}/events`, { type: "custom.note", data: {} });
    const stream = c.events.stream(session.id);
    await expect(
      (async () => {
        for await (const _ of stream) throw new Error("stop here");
      })(),
    ).rejects.toThrow("stop here");
    expect((await stream.next()).done).toBe(true);
    const second = c.events.stream(session.id);
    expect((await second.next()).done).toBe(false);
    const pending = second.next(); // nothing more to come: waits
    setTimeout(() => second.abort(), 50);
    expect((await pending).done).toBe(true);
  });

  it("includeLifecycle also yields connected (and it is typed)", async () => {
    const session = await c.sessions.create({});
    for await (const event of c.events.stream(session.id, { includeLifecycle: true })) {
      expect(event.type).toBe("connected");
      if (event.type === "connected") expect(event.data.status).toBe("connected");
      break;
    }
  });

  it("an aborted signal stops the stream", async () => {
    const session = await c.sessions.create({});
    const controller = new AbortController();
    const stream = c.events.stream(session.id, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const seen = [];
    for await (const event of stream) seen.push(event);
    expect(seen).toEqual([]);
  });

  it("a stream that ended leaves no listener on the caller's signal", async () => {
    const session = await c.sessions.create({});
    await control(`/sessions/${session.id}/events`, { type: "custom.note", data: {} });
    const shutdown = new AbortController(); // one long-lived signal for many streams
    for (let i = 0; i < 20; i++) {
      for await (const _ of c.events.stream(session.id, { signal: shutdown.signal })) break;
    }
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
    const open = c.events.stream(session.id, { signal: shutdown.signal });
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(1);
    shutdown.abort();
    expect((await open.next()).done).toBe(true);
  });
});

describe("an endless line", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((_, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = "x".repeat(64 * 1024);
      const write = () => {
        while (res.write(chunk)) {
          /* keep the socket full */
        }
        res.once("drain", write);
      };
      write();
      res.on("close", () => res.removeAllListeners("drain"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("ends in SSEProtocolError at 16 MiB, with bounded memory", async () => {
    const stream = new Everruns({ apiKey: "k", baseUrl: url }).events.stream("session_1");
    const before = process.memoryUsage().rss;
    await expect(stream.next()).rejects.toBeInstanceOf(SSEProtocolError);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 2 ** 20);
  });
});
