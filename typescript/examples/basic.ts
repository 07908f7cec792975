import { Everruns } from "@everruns/sdk";
const client = Everruns.fromEnv("my-org");
const agent = await client.agents.create({ name: "Assistant", systemPrompt: "You are a helpful assistant." });
const session = await client.sessions.create({ agentId: agent.id });
await client.messages.create(session.id, { text: "Hello!" });
for await (const event of client.events.stream(session.id)) {
  console.log(event.type);
  if (event.type === "turn.completed") break;
}
