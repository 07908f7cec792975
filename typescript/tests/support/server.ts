/**
 * Vitest global setup: starts one local Everruns server (the Python package's
 * `python -m everruns_sdk.testing --port 0 --json`) for the whole run and provides its
 * URL and key to the tests through `inject("server")`.
 *
 * The server prints one JSON line once it accepts connections. It exits by itself when
 * its parent (this process) goes away; teardown also sends SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type {} from "vitest";
import type { TestProject } from "vitest/node";

export interface LocalServer {
  url: string;
  apiKey: string;
  orgId: string;
  port: number;
  /** The server root (no `/api`), where the control API lives. */
  root: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    server: LocalServer;
    python: string;
  }
}

export const PYTHON = fileURLToPath(new URL("../../../python/.venv/bin/python", import.meta.url));

/** Start a local server with extra command-line options; resolves once it is ready. */
export function startServer(
  args: string[] = [],
): Promise<{ server: LocalServer; child: ChildProcess }> {
  if (!existsSync(PYTHON)) {
    throw new Error(`no ${PYTHON}: run \`make -C ../python install\` first`);
  }
  const child = spawn(PYTHON, ["-m", "everruns_sdk.testing", "--port", "0", "--json", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const end = buffer.indexOf("\n");
      if (end < 0) return;
      child.stdout?.off("data", onData);
      try {
        const line = JSON.parse(buffer.slice(0, end)) as {
          url: string;
          api_key: string;
          org_id: string;
          port: number;
        };
        resolve({
          server: {
            url: line.url,
            apiKey: line.api_key,
            orgId: line.org_id,
            port: line.port,
            root: new URL(line.url).origin,
          },
          child,
        });
      } catch (error) {
        reject(error);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the local server exited (code ${code})`)));
  });
}

let started: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const { server, child } = await startServer(["--record"]);
  started = child;
  project.provide("server", server);
  project.provide("python", PYTHON);
}

export async function teardown(): Promise<void> {
  started?.kill("SIGTERM");
}
