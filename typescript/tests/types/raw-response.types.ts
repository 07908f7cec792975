/**
 * Type tests of per-call options and raw responses that must compile (`tsc --noEmit` in
 * make test). `Same<A, B>` is true only when the two types are identical, so each
 * `const ...: Same<...> = true` fails to compile if a raw method's type drifts.
 */
import type {
  Agent,
  AgentVersion,
  Event,
  Everruns,
  FileInfo,
  Page,
  RawResponse,
  RequestOptions,
  Session,
  WithRawResponse,
} from "@everruns/sdk";
import type { Agents } from "../../src/resources/agents";

type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

declare const client: Everruns;

export async function rawGet(agentId: string): Promise<string> {
  const raw = await client.agents.withRawResponse.get(agentId);
  const status: number = raw.status;
  const headers: Headers = raw.headers;
  const requestId: string | undefined = raw.requestId;
  const body: string = raw.text();
  const agent = raw.parse();
  const isAgent: Same<typeof agent, Agent> = true;
  const isRaw: Same<typeof raw, RawResponse<Agent>> = true;
  return [status, headers, requestId, body, isAgent, isRaw, agent.name].join();
}

// The raw method takes exactly the ordinary one's parameters.
export const sameParameters: Same<
  Parameters<WithRawResponse<Agents>["get"]>,
  Parameters<Agents["get"]>
> = true;
export const rawReturn: Same<
  ReturnType<Everruns["agents"]["withRawResponse"]["get"]>,
  Promise<RawResponse<Agent>>
> = true;

export async function rawOthers(agentId: string, sessionId: string): Promise<unknown[]> {
  // A list answers its first page; nested sub-clients have their raw methods too.
  const page = (await client.agents.withRawResponse.list({ limit: 5 })).parse();
  const isPage: Same<typeof page, Page<Agent>> = true;
  const versions = (await client.agents.withRawResponse.versions.list(agentId)).parse();
  const isVersions: Same<typeof versions, AgentVersion[]> = true;
  const files = (await client.sessions.withRawResponse.files.list(sessionId)).parse();
  const isFiles: Same<typeof files, FileInfo[]> = true;
  const session = (await client.sessions.withRawResponse.get(sessionId)).parse();
  const isSession: Same<typeof session, Session> = true;
  const nothing = (await client.sessions.withRawResponse.delete(sessionId)).parse();
  const isVoid: Same<typeof nothing, void> = true;
  const text = (await client.agents.withRawResponse.export(agentId)).parse();
  const isText: Same<typeof text, string> = true;
  const events = (await client.events.withRawResponse.list(sessionId)).parse();
  const isEvents: Same<typeof events, Event[]> = true;
  return [isPage, isVersions, isFiles, isSession, isVoid, isText, isEvents];
}

export async function options(agentId: string): Promise<Agent> {
  const all: RequestOptions = {
    signal: AbortSignal.timeout(1000),
    timeout: 5_000,
    maxRetries: 0,
    headers: { "X-Trace": "abc" },
    extraQuery: { trace: ["a", "b"], flag: true, n: 1, dropped: undefined },
    extraBody: { future_field: { anyShape: [1, "two"] } },
  };
  await client.agents.update(agentId, { description: "d" }, all);
  const raw = await client.agents.withRawResponse.get(agentId, { extraQuery: { x: "1" } });
  return raw.parse();
}
