/** The seed quick start, exactly as the README writes it, against the local server. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { server } from "./support/client";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

describe("examples/basic.ts (the seed quick start)", () => {
  it("prints the turn's event types through turn.completed and exits by itself", async () => {
    const { url, apiKey } = server();
    const { stdout } = await run(
      `${root}node_modules/.bin/tsx`,
      ["--tsconfig", "tsconfig.json", "examples/basic.ts"],
      {
        cwd: root,
        env: { ...process.env, EVERRUNS_API_URL: url, EVERRUNS_API_KEY: apiKey },
        timeout: 30_000,
      },
    );
    const types = stdout.trim().split("\n");
    expect(types[0]).toBe("input.message");
    expect(types).toContain("turn.started");
    expect(types).toContain("output.message.delta");
    expect(types.at(-1)).toBe("turn.completed");
  });
});

describe("the seed quick start in examples/basic.ts", () => {
  it("is the README's TypeScript quick start, verbatim", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(`${root}../README.md`, "utf8");
    const seed = readme.split("```ts\n")[1]?.split("```")[0];
    expect(readFileSync(`${root}examples/basic.ts`, "utf8")).toBe(seed);
  });
});
