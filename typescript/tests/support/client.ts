/** Test helpers: a client for the local server started by the global setup. */
import { inject } from "vitest";
import { Everruns, type ClientOptions } from "../../src/index";

export const server = () => inject("server");

/** A client of the local server (extra options win). */
export function client(options: ClientOptions = {}): Everruns {
  const { url, apiKey } = server();
  return new Everruns({ apiKey, baseUrl: url, ...options });
}

/** A unique agent name for one test. */
export function uniqueName(prefix = "agent"): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** POST to the local server's control API (outside /api, no auth). */
export async function control(path: string, body: unknown = {}, method = "POST"): Promise<unknown> {
  const response = await fetch(`${server().root}/_emulator${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: method === "GET" ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`control ${path}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}
