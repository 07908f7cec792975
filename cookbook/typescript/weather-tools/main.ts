/**
 * Client-side tools: the agent asks for the weather, this process answers. The tool is
 * declared on the session (the server cannot run it) and run by `sessions.run` whenever
 * the turn calls it; its result (or its error) goes back to the agent.
 */
import { Everruns, tool } from "@everruns/sdk";

const TEMPERATURES: Record<string, number> = { paris: 21, oslo: 4, lima: 18 };

const getWeather = tool<
  { city: string; unit?: "c" | "f" },
  { city: string; temperature: number; unit: string }
>({
  name: "get_weather",
  description: "Current temperature in a city.",
  parameters: {
    type: "object",
    properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
    required: ["city"],
  },
  timeout: 5_000,
  run: async ({ city, unit = "c" }) => {
    const celsius = TEMPERATURES[city.toLowerCase()];
    if (celsius === undefined) throw new Error(`no weather station in ${city}`);
    return { city, temperature: unit === "f" ? celsius * 1.8 + 32 : celsius, unit };
  },
});

const client = Everruns.fromEnv("my-org");
const agent = await client.agents.applyByName({
  name: "weather-tools",
  systemPrompt: "Answer weather questions with the get_weather tool.",
});
const session = await client.sessions.create({ agentId: agent.id, tools: [getWeather] });
const question = process.argv[2] ?? "Is it warmer in Paris or in Oslo?";
const result = await client.sessions.run(session.id, question, {
  tools: [getWeather],
  onEvent: (event) => {
    if (event.type === "tool.call_requested") {
      for (const call of event.data.toolCalls)
        console.log(`-> ${call.name}(${JSON.stringify(call.arguments)})`);
    }
  },
});
console.log(`${result.status}: ${result.text}`);
