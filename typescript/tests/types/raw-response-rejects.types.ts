/**
 * Type tests that must NOT compile: every `@ts-expect-error` line below has to be a type
 * error (`tsc --noEmit` in make test fails on one that is not).
 */
import type { Agent, Everruns, RawResponse } from "@everruns/sdk";

declare const client: Everruns;

export async function rejected(agentId: string): Promise<void> {
  const raw = await client.agents.withRawResponse.get(agentId);
  // @ts-expect-error parse() gives the Agent, not its raw JSON (wire names)
  raw.parse().system_prompt;
  // @ts-expect-error parse() is not a promise
  await raw.parse().then(() => undefined);
  // @ts-expect-error the raw response of agents.get is not a session's
  const wrongModel: RawResponse<{ agentId: string; status: string }> = raw;
  // @ts-expect-error a raw method answers a RawResponse, not the model itself
  const notRawAgent: Agent = await client.agents.withRawResponse.get(agentId);
  // @ts-expect-error raw methods take the ordinary parameters (an ID is required)
  await client.agents.withRawResponse.get();
  // @ts-expect-error a whole turn is above the API: no raw response
  await client.sessions.withRawResponse.run("session_x", "Hello");
  // @ts-expect-error a turn's stream is not one response
  client.sessions.withRawResponse.streamTurn("session_x", "Hello");
  // @ts-expect-error the live event stream is not one response
  client.events.withRawResponse.stream("session_x");
  // @ts-expect-error iterating pages of events is not one response
  client.events.withRawResponse.iterate("session_x");
  // @ts-expect-error the SDK's protected helpers are not raw methods
  client.agents.withRawResponse.send;
  // @ts-expect-error raw methods are read-only
  client.agents.withRawResponse.get = async () => raw;
  // @ts-expect-error no raw of raw
  client.agents.withRawResponse.withRawResponse;
  // @ts-expect-error extraBody is a JSON object, not an array
  await client.agents.get(agentId, { extraBody: [1, 2] });
  // @ts-expect-error extraQuery values are strings, numbers, booleans or arrays of strings
  await client.agents.get(agentId, { extraQuery: { nested: { a: 1 } } });
  // @ts-expect-error headers are strings
  await client.agents.get(agentId, { headers: { "X-Count": 1 } });
  void [wrongModel, notRawAgent];
}
