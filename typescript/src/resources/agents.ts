/** `client.agents`: agents, their versions and health checks. */
import { ValidationError } from "../core/errors";
import { agentNameAndDisplay, generateId, validateName } from "../core/ids";
import type { PagePromise } from "../core/pagination";
import type {
  Agent,
  AgentAnalysisResponse,
  AgentCapabilityConfig,
  AgentVersion,
  AgentVersionDiffResponse,
  CreateAgentRequest,
  HealthCheckRun,
  ResourceStats,
  UpdateAgentRequest,
} from "../generated/index";
import { defined, type RequestOptions, Resource } from "./base";
import { exclusive, type ToolInput, toolDefinitions } from "./body";

/** `agents.create`: the API's create request; `name` may be a human name ("Assistant"). */
export type CreateAgentParams = Omit<CreateAgentRequest, "tools"> & { tools?: ToolInput[] };

/** `agents.update`: the fields to change. */
export type UpdateAgentParams = Omit<UpdateAgentRequest, "tools"> & { tools?: ToolInput[] };

const A = "/v1/agents/{agent_id}";

/** Create, apply, list, update and archive agents; import and export them. */
export class Agents extends Resource {
  /** A new client-side agent ID (`agent_<32 hex>`), for `apply`. */
  static generateId(): string {
    return generateId("agent");
  }

  /**
   * Create an agent, or update the one with the same `id` or `name` (apply).
   * `name` is the agent's slug; a human name such as `"Assistant"` becomes the slug
   * `assistant`, kept as `displayName`.
   */
  async create(params: CreateAgentParams, options?: RequestOptions): Promise<Agent> {
    if (!params || params.name == null || params.systemPrompt == null) {
      throw new ValidationError("an agent needs a name and a systemPrompt");
    }
    const [name, displayName] = agentNameAndDisplay(params.name, params.displayName);
    const body = defined({ ...params, name, displayName, tools: toolDefinitions(params.tools) });
    exclusive(body, ["harnessId", "harnessName"]);
    // With a client-chosen id the call is an upsert, harmless to repeat.
    const idempotent = body.id != null;
    return this.fetchModel(
      "Agent",
      { method: "POST", path: "/v1/agents", body, bodyShape: "CreateAgentRequest", idempotent },
      options,
    );
  }

  /** Create the agent with this client-chosen `id`, or update it if it exists. */
  async apply(id: string, params: CreateAgentParams, options?: RequestOptions): Promise<Agent> {
    return this.create({ ...params, id }, options);
  }

  /** Create the agent named `name` (a strict slug), or update the one that has it. */
  async applyByName(params: CreateAgentParams, options?: RequestOptions): Promise<Agent> {
    validateName(params.name);
    return this.create(params, options);
  }

  /** A page of agents; `for await (const agent of client.agents.list())` walks them all. */
  list(
    params: { search?: string; includeArchived?: boolean; offset?: number; limit?: number } = {},
    options?: RequestOptions,
  ): PagePromise<Agent> {
    return this.fetchPage<Agent>(
      "Agent",
      {
        method: "GET",
        path: "/v1/agents",
        query: { search: params.search, include_archived: params.includeArchived },
        offset: params.offset,
        limit: params.limit,
      },
      options,
    );
  }

  async get(agentId: string, options?: RequestOptions): Promise<Agent> {
    return this.fetchModel(
      "Agent",
      { method: "GET", path: A, params: { agent_id: agentId } },
      options,
    );
  }

  /** Change the given fields of an agent; the others stay as they are. */
  async update(
    agentId: string,
    params: UpdateAgentParams,
    options?: RequestOptions,
  ): Promise<Agent> {
    if (params.name != null) validateName(params.name);
    const body = defined({ ...params, tools: toolDefinitions(params.tools) });
    exclusive(body, ["harnessId", "harnessName"]);
    return this.fetchModel(
      "Agent",
      {
        method: "PATCH",
        path: A,
        params: { agent_id: agentId },
        body,
        bodyShape: "UpdateAgentRequest",
      },
      options,
    );
  }

  /** Archive an agent (its sessions keep working). */
  async delete(agentId: string, options?: RequestOptions): Promise<void> {
    return this.fetchVoid({ method: "DELETE", path: A, params: { agent_id: agentId } }, options);
  }

  /** A new agent with the same configuration. */
  async copy(agentId: string, options?: RequestOptions): Promise<Agent> {
    return this.fetchModel(
      "Agent",
      { method: "POST", path: `${A}/copy`, params: { agent_id: agentId } },
      options,
    );
  }

  /** Create an agent from text: Markdown with YAML front matter, YAML, JSON or a bare prompt. */
  async import(
    text: string,
    params: { fromExample?: string } = {},
    options?: RequestOptions,
  ): Promise<Agent> {
    return this.fetchModel(
      "Agent",
      {
        method: "POST",
        path: "/v1/agents/import",
        query: { "from-example": params.fromExample },
        raw: text,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
      options,
    );
  }

  /** The agent as Markdown with YAML front matter (what `import` reads back). */
  async export(agentId: string, options?: RequestOptions): Promise<string> {
    const response = await this.send(
      {
        method: "GET",
        path: `${A}/export`,
        params: { agent_id: agentId },
        headers: { Accept: "text/markdown" },
      },
      options,
    );
    return response.text();
  }

  /** Usage statistics of an agent. */
  async stats(agentId: string, options?: RequestOptions): Promise<ResourceStats> {
    return this.fetchModel(
      "ResourceStats",
      { method: "GET", path: `${A}/stats`, params: { agent_id: agentId } },
      options,
    );
  }

  /** Preview what an agent with this configuration would be able to do. */
  async analyze(
    params: {
      systemPrompt: string;
      tools?: Record<string, unknown>[];
      capabilities?: AgentCapabilityConfig[];
    },
    options?: RequestOptions,
  ): Promise<AgentAnalysisResponse> {
    return this.fetchModel(
      "AgentAnalysisResponse",
      {
        method: "POST",
        path: "/v1/agents/analyze",
        body: defined(params),
        bodyShape: [
          "o",
          [
            ["system_prompt", "systemPrompt", 0],
            ["capabilities", "capabilities", ["a", "AgentCapabilityConfig"]],
          ],
        ],
      },
      options,
    );
  }

  /** Immutable versions of an agent: list, create, diff, fork, roll back. */
  get versions(): AgentVersions {
    return new AgentVersions(this.core);
  }

  /** Health-check runs of an agent. */
  get healthChecks(): AgentHealthChecks {
    return new AgentHealthChecks(this.core);
  }
}

/** `client.agents.versions`: immutable snapshots of an agent's configuration. */
export class AgentVersions extends Resource {
  async list(agentId: string, options?: RequestOptions): Promise<AgentVersion[]> {
    return this.fetchList<AgentVersion>(
      "AgentVersion",
      { method: "GET", path: `${A}/versions`, params: { agent_id: agentId } },
      options,
    );
  }

  /** Snapshot the agent's current configuration as a new version. */
  async create(
    agentId: string,
    params: { summary?: string; changeKind?: string } = {},
    options?: RequestOptions,
  ): Promise<AgentVersion> {
    return this.fetchModel(
      "AgentVersion",
      {
        method: "POST",
        path: `${A}/versions`,
        params: { agent_id: agentId },
        body: defined(params),
        bodyShape: "CreateAgentVersionRequest",
      },
      options,
    );
  }

  /** Make `versionId` the version used by deployments on the default policy. */
  async setDefault(agentId: string, versionId: string, options?: RequestOptions): Promise<Agent> {
    return this.fetchModel(
      "Agent",
      {
        method: "POST",
        path: `${A}/versions/default`,
        params: { agent_id: agentId },
        body: { version_id: versionId },
      },
      options,
    );
  }

  /** What changed between two versions. */
  async diff(
    agentId: string,
    fromVersionId: string,
    toVersionId: string,
    options?: RequestOptions,
  ): Promise<AgentVersionDiffResponse> {
    return this.fetchModel(
      "AgentVersionDiffResponse",
      {
        method: "GET",
        path: `${A}/versions/{from_version_id}/diff/{to_version_id}`,
        params: { agent_id: agentId, from_version_id: fromVersionId, to_version_id: toVersionId },
      },
      options,
    );
  }

  /** A new agent named `name` from this version. */
  async fork(
    agentId: string,
    versionId: string,
    params: { name: string; displayName?: string; description?: string },
    options?: RequestOptions,
  ): Promise<Agent> {
    validateName(params.name);
    return this.fetchModel(
      "Agent",
      {
        method: "POST",
        path: `${A}/versions/{version_id}/fork`,
        params: { agent_id: agentId, version_id: versionId },
        body: defined(params),
        bodyShape: "ForkAgentVersionRequest",
      },
      options,
    );
  }

  /** Restore the agent's configuration to this version. */
  async rollback(
    agentId: string,
    versionId: string,
    params: { saveVersion?: boolean; summary?: string } = {},
    options?: RequestOptions,
  ): Promise<Agent> {
    return this.fetchModel(
      "Agent",
      {
        method: "POST",
        path: `${A}/versions/{version_id}/rollback`,
        params: { agent_id: agentId, version_id: versionId },
        body: defined({ save_version: params.saveVersion, summary: params.summary }),
      },
      options,
    );
  }
}

/** `client.agents.healthChecks`: run and read an agent's health checks. */
export class AgentHealthChecks extends Resource {
  async list(agentId: string, options?: RequestOptions): Promise<HealthCheckRun[]> {
    return this.fetchList<HealthCheckRun>(
      "HealthCheckRun",
      { method: "GET", path: `${A}/health-checks`, params: { agent_id: agentId } },
      options,
    );
  }

  /** Start a health check now. */
  async run(agentId: string, options?: RequestOptions): Promise<HealthCheckRun> {
    return this.fetchModel(
      "HealthCheckRun",
      { method: "POST", path: `${A}/health-checks`, params: { agent_id: agentId } },
      options,
    );
  }

  async get(agentId: string, runId: string, options?: RequestOptions): Promise<HealthCheckRun> {
    return this.fetchModel(
      "HealthCheckRun",
      {
        method: "GET",
        path: `${A}/health-checks/{run_id}`,
        params: { agent_id: agentId, run_id: runId },
      },
      options,
    );
  }
}
