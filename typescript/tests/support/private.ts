/** A local server of one test file's own, for fault injection that must not leak. */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { Everruns, type ClientOptions } from "../../src/index";
import { type LocalServer, startServer } from "./server";

export interface Private {
  server: LocalServer;
  client(options?: ClientOptions): Everruns;
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  requests(): Promise<LogEntry[]>;
}

export interface LogEntry {
  method: string;
  path: string;
  query_pairs: [string, string][];
  status: number | null;
  headers: Record<string, string> | null;
  body: unknown;
  fault: string | null;
}

/** Start a private server for this file (reset before each test). */
export function privateServer(args: string[] = ["--record"]): Private {
  let child: ChildProcess | undefined;
  const state = {} as Private;
  beforeAll(async () => {
    const started = await startServer(args);
    child = started.child;
    state.server = started.server;
  });
  afterAll(() => {
    child?.kill("SIGTERM");
  });
  beforeEach(async () => {
    await state.control("/reset");
  });
  state.client = (options = {}) =>
    new Everruns({ apiKey: state.server.apiKey, baseUrl: state.server.url, ...options });
  state.control = async (path, body = {}, method = "POST") => {
    const response = await fetch(`${state.server.root}/_emulator${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: method === "GET" ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  state.requests = async () =>
    ((await state.control("/requests", undefined, "GET")) as { data: LogEntry[] }).data;
  return state;
}
