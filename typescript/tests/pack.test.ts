/**
 * The published package, as users get it: `npm pack`, installed into a folder outside
 * the repository, then `import` (ESM), `require` (CommonJS) and `tsc` over the seed quick
 * start, against the local server.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { server } from "./support/client";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "everruns-sdk-pack-"));

const PROBE = (load: string) => `${load}
const client = new Everruns({ apiKey: process.env.KEY, baseUrl: process.env.URL });
client.agents.get("agent_missing").catch((error) => {
  const ok = error instanceof NotFoundError && error instanceof EverrunsError && error.status === 404;
  console.log(JSON.stringify({ ok, name: error.name }));
});
`;

beforeAll(async () => {
  await run(process.execPath, ["scripts/build.mjs"], { cwd: root });
  await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: root });
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz")) as string;
  writeFileSync(
    join(work, "package.json"),
    JSON.stringify({ name: "probe", private: true, type: "module" }),
  );
  await run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--silent", join(work, tarball)],
    { cwd: work },
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed tarball", () => {
  const env = () => ({ ...process.env, URL: server().url, KEY: server().apiKey });

  it("works with import (ESM)", async () => {
    writeFileSync(
      join(work, "esm.mjs"),
      PROBE('import { Everruns, NotFoundError, EverrunsError } from "@everruns/sdk";'),
    );
    const { stdout } = await run(process.execPath, ["esm.mjs"], { cwd: work, env: env() });
    expect(JSON.parse(stdout)).toEqual({ ok: true, name: "NotFoundError" });
  });

  it("works with require (CommonJS)", async () => {
    writeFileSync(
      join(work, "cjs.cjs"),
      PROBE('const { Everruns, NotFoundError, EverrunsError } = require("@everruns/sdk");'),
    );
    const { stdout } = await run(process.execPath, ["cjs.cjs"], { cwd: work, env: env() });
    expect(JSON.parse(stdout)).toEqual({ ok: true, name: "NotFoundError" });
  });

  it("instanceof holds across the ESM and CommonJS copies", async () => {
    writeFileSync(
      join(work, "dual.mjs"),
      `import { createRequire } from "node:module";
import { NotFoundError } from "@everruns/sdk";
const cjs = createRequire(import.meta.url)("@everruns/sdk");
const error = new cjs.NotFoundError("x", { status: 404 });
console.log(JSON.stringify([error instanceof NotFoundError, cjs.NotFoundError !== NotFoundError]));`,
    );
    const { stdout } = await run(process.execPath, ["dual.mjs"], { cwd: work });
    expect(JSON.parse(stdout)).toEqual([true, true]);
  });

  it("type-checks the seed quick start against its .d.ts and runs it", async () => {
    writeFileSync(
      join(work, "seed.ts"),
      `import { Everruns } from "@everruns/sdk";
const client = Everruns.fromEnv("my-org");
const agent = await client.agents.create({ name: "Assistant", systemPrompt: "You are a helpful assistant." });
const session = await client.sessions.create({ agentId: agent.id });
await client.messages.create(session.id, { text: "Hello!" });
for await (const event of client.events.stream(session.id)) {
  console.log(event.type);
  if (event.type === "turn.completed") break;
}
`,
    );
    // One strict compile (Node's own module resolution) that also emits seed.js.
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const flags = [
      "--strict",
      "--target",
      "es2022",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
    ];
    await run(process.execPath, [tsc, ...flags, "--lib", "es2022,dom,dom.iterable", "seed.ts"], {
      cwd: work,
    });
    const { stdout } = await run(process.execPath, ["seed.js"], {
      cwd: work,
      env: { ...process.env, EVERRUNS_API_URL: server().url, EVERRUNS_API_KEY: server().apiKey },
    });
    expect(stdout.trim().split("\n").at(-1)).toBe("turn.completed");
  });
});

describe("the ESM bundle", () => {
  it("imports nothing Node-only (runs wherever fetch exists)", () => {
    const bundle = readFileSync(join(root, "dist/index.mjs"), "utf8");
    expect(bundle).not.toMatch(
      /from\s*["']node:|require\(["']node:|from\s*["'](fs|path|http|https|util|os|crypto)["']/,
    );
  });
});
