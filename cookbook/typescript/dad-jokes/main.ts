/**
 * The dad-jokes agent: one agent, one session, the joke printed as the model writes it.
 *
 * Against the local server: `EVERRUNS_API_URL=http://127.0.0.1:9000/api
 * EVERRUNS_API_KEY=<key> npx tsx cookbook/typescript/dad-jokes/main.ts "coffee"`, or
 * against Everruns with your own key.
 */
import { Everruns } from "@everruns/sdk";

const PROMPT =
  "You tell one short, clean dad joke about the topic you are given. Setup and punchline, nothing else.";
const topic = process.argv[2] ?? "coffee";

const client = Everruns.fromEnv("my-org");
// applyByName: running the recipe twice updates the same agent.
const agent = await client.agents.applyByName({ name: "dad-jokes", systemPrompt: PROMPT });
const session = await client.sessions.create({ agentId: agent.id });
await client.messages.create(session.id, { text: `A joke about ${topic}, please.` });

const types = ["output.message.delta", "turn.completed", "turn.failed"];
for await (const event of client.events.stream(session.id, { types })) {
  if (event.type === "output.message.delta") process.stdout.write(event.data.delta);
  if (event.type === "turn.failed") throw new Error(`the turn failed: ${event.data.error}`);
  if (event.type === "turn.completed") break;
}
process.stdout.write("\n");
