/** The cookbook's TypeScript recipes, run as users run them, against the local server. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { control, server } from "./support/client";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

async function recipe(name: string, args: string[] = []): Promise<string> {
  const { url, apiKey } = server();
  const { stdout } = await run(
    `${root}node_modules/.bin/tsx`,
    ["--tsconfig", "tsconfig.json", `../cookbook/typescript/${name}/main.ts`, ...args],
    {
      cwd: root,
      env: { ...process.env, EVERRUNS_API_URL: url, EVERRUNS_API_KEY: apiKey },
      timeout: 30_000,
    },
  );
  return stdout;
}

describe("cookbook/typescript", () => {
  it("dad-jokes prints the scripted joke as it streams", async () => {
    const joke = "Why did the compiler go to therapy? Too many unresolved issues.";
    await control("/script/add", { agent: "dad-jokes", replies: [{ text: joke, chunk_size: 7 }] });
    expect((await recipe("dad-jokes", ["compilers"])).trim()).toBe(joke);
  });

  it("weather-tools answers the agent's client-side tool calls", async () => {
    await control("/script/add", {
      agent: "weather-tools",
      replies: [
        {
          tool_calls: [
            { name: "get_weather", arguments: { city: "Paris" }, client_side: true },
            { name: "get_weather", arguments: { city: "Atlantis" }, client_side: true },
          ],
        },
        "Paris is warmer.",
      ],
    });
    const out = await recipe("weather-tools");
    expect(out).toContain('-> get_weather({"city":"Paris"})');
    expect(out.trim().split("\n").at(-1)).toBe("completed: Paris is warmer.");
  });
});
