/**
 * Type tests, checked by `tsc --noEmit` (make test): what must compile does, and every
 * `@ts-expect-error` line must fail to compile (an unused one is itself an error).
 */
import {
  type ApiError,
  type Event,
  Everruns,
  type EventStream,
  NotFoundError,
  type RateLimitError,
  type TurnResult,
  tool,
} from "@everruns/sdk";

declare const client: Everruns;

export async function narrowing(stream: EventStream): Promise<string> {
  let text = "";
  for await (const event of stream) {
    if (event.type === "output.message.delta") {
      const delta: string = event.data.delta;
      text += delta;
    }
    switch (event.type) {
      case "turn.completed": {
        const id: string = event.data.turnId;
        return id;
      }
      case "tool.call_requested":
        for (const call of event.data.toolCalls) {
          const args: Record<string, unknown> = call.arguments;
          void args;
        }
        break;
      case "turn.failed": {
        const error: string = event.data.error;
        void error;
        break;
      }
    }
    // @ts-expect-error `delta` is not on every event's data: narrow on `type` first
    void event.data.delta;
  }
  return text;
}

export async function calls(): Promise<void> {
  const agent = await client.agents.create({ name: "Assistant", systemPrompt: "Be helpful." });
  const name: string = agent.name;
  const prompt: string = agent.systemPrompt;
  void [name, prompt];
  // @ts-expect-error systemPrompt is required
  await client.agents.create({ name: "x" });
  // @ts-expect-error wire names are not TypeScript names
  await client.agents.create({ name: "x", system_prompt: "y" });
  // @ts-expect-error a message's text is a string
  await client.messages.create("session_1", { text: 42 });
  const session = await client.sessions.create(
    { agentId: agent.id },
    { timeout: 5_000, maxRetries: 1 },
  );
  // @ts-expect-error per-call options are typed
  await client.sessions.get(session.id, { timeout: "5s" });
  const page = await client.agents.list({ limit: 10 });
  const total: number = page.total;
  void total;
  for await (const each of client.agents.list()) {
    const id: string = each.id;
    void id;
  }
  // @ts-expect-error unknown list filters are refused
  client.agents.list({ nope: true });
  const status: typeof session.status = "some_future_status"; // open enums accept new values
  void status;
  const stream = client.events.stream(session.id, {
    types: ["turn.completed"],
    idleTimeout: 10_000,
  });
  stream.abort();
  const last: string | undefined = stream.lastEventId;
  void last;
}

export async function errorsAndTurns(): Promise<void> {
  try {
    await client.agents.get("agent_x");
  } catch (error) {
    if (error instanceof NotFoundError) {
      const apiError: ApiError = error;
      const code: string | undefined = apiError.code;
      const status: number = apiError.status;
      void [code, status];
    }
  }
  const limited = {} as RateLimitError;
  const seconds: number | undefined = limited.retryAfter;
  void seconds;
  const weather = tool<{ city: string }, { temperature: number }>({
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    run: ({ city }) => ({ temperature: city.length }),
  });
  const result: TurnResult = await client.sessions.run("session_1", "Weather?", {
    tools: [weather],
  });
  const text: string = result.text;
  const events: Event[] = result.events;
  void [text, events];
  // @ts-expect-error a tool's run gets the declared arguments
  tool<{ city: string }>({ name: "t", parameters: {}, run: ({ town }) => town });
  new Everruns({ apiKey: "evr_...", org: "my-org" });
  // @ts-expect-error durations are milliseconds (numbers)
  new Everruns({ timeout: "30s" });
}
