"""`client.agents`: agents, their versions and health checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from everruns_sdk._compat.resources import AgentsCompat
from everruns_sdk._errors import ValidationError
from everruns_sdk._ids import agent_name_and_display, generate_agent_id, validate_name
from everruns_sdk._options import RequestOptions, split_options
from everruns_sdk.resources._base import Resource
from everruns_sdk.resources._body import exclusive, merge_body
from everruns_sdk.resources._raw import raw_method
from everruns_sdk.types import (
    Agent,
    AgentAnalysisResponse,
    AgentCapabilityConfig,
    AgentVersion,
    AgentVersionDiffResponse,
    CreateAgentRequest,
    HealthCheckRun,
    InitialFile,
    ResourceStats,
    ToolDefinition,
    UpdateAgentRequest,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from everruns_sdk._pager import AsyncPager


class AgentOptions(RequestOptions, total=False):
    """Optional fields shared by `create`, `apply` and `apply_by_name` (with the
    per-call request options)."""

    display_name: str | None
    description: str | None
    harness_id: str | None
    harness_name: str | None
    default_model_id: str | None
    tags: Sequence[str] | None
    tools: Sequence[ToolDefinition | dict[str, Any]] | None
    capabilities: Sequence[AgentCapabilityConfig | dict[str, Any]] | None
    initial_files: Sequence[InitialFile | dict[str, Any]] | None
    parallel_tool_calls: bool | None
    max_iterations: int | None
    request: CreateAgentRequest | dict[str, Any] | None


class Agents(AgentsCompat, Resource):
    """Create, apply, list, update and archive agents; import and export them."""

    @property
    def with_raw_response(self) -> AgentsWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return AgentsWithRawResponse(self)

    generate_id = staticmethod(generate_agent_id)

    async def create(
        self,
        name: str | None = None,
        system_prompt: str | None = None,
        *,
        id: str | None = None,
        **options: Unpack[AgentOptions],
    ) -> Agent:
        """Create an agent, or update the one with the same `id` or `name` (apply).

        `name` is the agent's unique slug (`customer-support`); a human name such as
        `"Assistant"` is turned into the slug `assistant` and kept as `display_name`.
        Keywords cover the common fields (`display_name`, `description`, `harness_id`
        or `harness_name`, `default_model_id`, `tags`, `tools`, `capabilities`,
        `max_iterations`); every other field of the API is reachable through `request`.
        """
        call_options, fields = split_options(options)
        request = fields.pop("request", None)
        body = merge_body(
            request, {"id": id, "name": name, "system_prompt": system_prompt, **fields}
        )
        if body.get("name") is None or body.get("system_prompt") is None:
            raise ValidationError("an agent needs a name and a system_prompt")
        body["name"], shown = agent_name_and_display(body["name"], body.get("display_name"))
        if shown is not None:
            body["display_name"] = shown
        exclusive(body, ("harness_id", "harness_name"))
        # With a client-chosen id the call is an upsert, harmless to repeat.
        return await self._model(
            Agent,
            "POST",
            "/v1/agents",
            json=body,
            idempotent=body.get("id") is not None,
            options=call_options,
        )

    async def apply(
        self, id: str, name: str, system_prompt: str, **options: Unpack[AgentOptions]
    ) -> Agent:
        """Create the agent with this client-chosen `id`, or update it if it exists."""
        return await self.create(name, system_prompt, id=id, **options)

    async def apply_by_name(
        self, name: str, system_prompt: str, **options: Unpack[AgentOptions]
    ) -> Agent:
        """Create the agent named `name` (a strict slug), or update the one that has it."""
        validate_name(name)
        return await self.create(name, system_prompt, **options)

    def list(
        self,
        *,
        search: str | None = None,
        include_archived: bool | None = None,
        offset: int | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Agent]:
        """A page of agents; `async for agent in page` walks all of them."""
        return self._pages(
            Agent,
            "/v1/agents",
            params={"search": search, "include_archived": include_archived},
            offset=offset,
            limit=limit,
            options=options,
        )

    async def get(self, agent_id: str, **options: Unpack[RequestOptions]) -> Agent:
        return await self._model(
            Agent, "GET", "/v1/agents/{agent_id}", path={"agent_id": agent_id}, options=options
        )

    async def update(
        self,
        agent_id: str,
        *,
        name: str | None = None,
        system_prompt: str | None = None,
        display_name: str | None = None,
        description: str | None = None,
        harness_id: str | None = None,
        harness_name: str | None = None,
        default_model_id: str | None = None,
        tags: Sequence[str] | None = None,
        tools: Sequence[ToolDefinition | dict[str, Any]] | None = None,
        request: UpdateAgentRequest | dict[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Agent:
        """Change the given fields of an agent; the others stay as they are."""

        if name is not None:
            validate_name(name)
        body = merge_body(
            request,
            {
                "name": name,
                "system_prompt": system_prompt,
                "display_name": display_name,
                "description": description,
                "harness_id": harness_id,
                "harness_name": harness_name,
                "default_model_id": default_model_id,
                "tags": None if tags is None else list(tags),
                "tools": None if tools is None else list(tools),
            },
        )
        exclusive(body, ("harness_id", "harness_name"))
        return await self._model(
            Agent,
            "PATCH",
            "/v1/agents/{agent_id}",
            path={"agent_id": agent_id},
            json=body,
            options=options,
        )

    async def delete(self, agent_id: str, **options: Unpack[RequestOptions]) -> None:
        """Archive an agent (its sessions keep working)."""
        await self._request(
            "DELETE", "/v1/agents/{agent_id}", path={"agent_id": agent_id}, options=options
        )

    async def copy(self, agent_id: str, **options: Unpack[RequestOptions]) -> Agent:
        """A new agent with the same configuration."""
        return await self._model(
            Agent,
            "POST",
            "/v1/agents/{agent_id}/copy",
            path={"agent_id": agent_id},
            options=options,
        )

    async def import_(
        self, text: str, *, from_example: str | None = None, **options: Unpack[RequestOptions]
    ) -> Agent:
        """Create an agent from text: Markdown with YAML front matter, YAML, JSON, or a
        bare system prompt (sent as `text/plain`)."""
        return await self._model(
            Agent,
            "POST",
            "/v1/agents/import",
            params={"from-example": from_example},
            content=text.encode(),
            headers={"Content-Type": "text/plain; charset=utf-8"},
            options=options,
        )

    async def export(self, agent_id: str, **options: Unpack[RequestOptions]) -> str:
        """The agent as Markdown with YAML front matter (what `import_` reads back)."""
        response = await self._request(
            "GET",
            "/v1/agents/{agent_id}/export",
            path={"agent_id": agent_id},
            headers={"Accept": "text/markdown"},
            options=options,
        )
        return response.text

    async def stats(self, agent_id: str, **options: Unpack[RequestOptions]) -> ResourceStats:
        """Usage statistics of an agent."""
        return await self._model(
            ResourceStats,
            "GET",
            "/v1/agents/{agent_id}/stats",
            path={"agent_id": agent_id},
            options=options,
        )

    async def analyze(
        self,
        system_prompt: str,
        *,
        tools: Sequence[dict[str, Any]] | None = None,
        capabilities: Sequence[AgentCapabilityConfig | dict[str, Any]] | None = None,
        mcp_servers: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AgentAnalysisResponse:
        """Preview what an agent with this configuration would be able to do
        (`mcp_servers`: MCP server configurations by name)."""

        body: dict[str, Any] = {"system_prompt": system_prompt}
        if tools is not None:
            body["tools"] = list(tools)
        if capabilities is not None:
            body["capabilities"] = list(capabilities)
        if mcp_servers is not None:
            body["mcpServers"] = dict(mcp_servers)  # the wire name
        return await self._model(
            AgentAnalysisResponse, "POST", "/v1/agents/analyze", json=body, options=options
        )

    @cached_property
    def versions(self) -> AgentVersions:
        """Immutable versions of an agent: list, create, diff, fork, roll back."""
        return AgentVersions(self._client)

    @cached_property
    def health_checks(self) -> AgentHealthChecks:
        """Health-check runs of an agent."""
        return AgentHealthChecks(self._client)


class AgentVersions(Resource):
    """`client.agents.versions`: immutable snapshots of an agent's configuration."""

    @property
    def with_raw_response(self) -> AgentVersionsWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return AgentVersionsWithRawResponse(self)

    def list(self, agent_id: str, **options: Unpack[RequestOptions]) -> AsyncPager[AgentVersion]:
        return self._list_pages(
            AgentVersion,
            "/v1/agents/{agent_id}/versions",
            path={"agent_id": agent_id},
            options=options,
        )

    async def create(
        self,
        agent_id: str,
        *,
        summary: str | None = None,
        change_kind: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AgentVersion:
        """Snapshot the agent's current configuration as a new version."""

        body = {k: v for k, v in {"summary": summary, "change_kind": change_kind}.items() if v}
        return await self._model(
            AgentVersion,
            "POST",
            "/v1/agents/{agent_id}/versions",
            path={"agent_id": agent_id},
            json=body,
            options=options,
        )

    async def set_default(
        self, agent_id: str, version_id: str, **options: Unpack[RequestOptions]
    ) -> Agent:
        """Make `version_id` the version used by deployments on the default policy."""
        return await self._model(
            Agent,
            "POST",
            "/v1/agents/{agent_id}/versions/default",
            path={"agent_id": agent_id},
            json={"version_id": version_id},
            options=options,
        )

    async def diff(
        self,
        agent_id: str,
        from_version_id: str,
        to_version_id: str,
        **options: Unpack[RequestOptions],
    ) -> AgentVersionDiffResponse:
        """What changed between two versions."""
        return await self._model(
            AgentVersionDiffResponse,
            "GET",
            "/v1/agents/{agent_id}/versions/{from_version_id}/diff/{to_version_id}",
            path={
                "agent_id": agent_id,
                "from_version_id": from_version_id,
                "to_version_id": to_version_id,
            },
            options=options,
        )

    async def fork(
        self,
        agent_id: str,
        version_id: str,
        *,
        name: str,
        display_name: str | None = None,
        description: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Agent:
        """A new agent named `name` from this version."""

        validate_name(name)
        body = {"name": name, "display_name": display_name, "description": description}
        return await self._model(
            Agent,
            "POST",
            "/v1/agents/{agent_id}/versions/{version_id}/fork",
            path={"agent_id": agent_id, "version_id": version_id},
            json={k: v for k, v in body.items() if v is not None},
            options=options,
        )

    async def rollback(
        self,
        agent_id: str,
        version_id: str,
        *,
        save_version: bool | None = None,
        summary: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Agent:
        """Restore the agent's configuration to this version."""

        body = {"save_version": save_version, "summary": summary}
        return await self._model(
            Agent,
            "POST",
            "/v1/agents/{agent_id}/versions/{version_id}/rollback",
            path={"agent_id": agent_id, "version_id": version_id},
            json={k: v for k, v in body.items() if v is not None},
            options=options,
        )


class AgentHealthChecks(Resource):
    """`client.agents.health_checks`: run and read an agent's health checks."""

    @property
    def with_raw_response(self) -> AgentHealthChecksWithRawResponse:
        """The same methods, answering an `APIResponse` of what they return: the
        status, headers and request ID, and `.parse()` for the result."""
        return AgentHealthChecksWithRawResponse(self)

    def list(self, agent_id: str, **options: Unpack[RequestOptions]) -> AsyncPager[HealthCheckRun]:
        return self._list_pages(
            HealthCheckRun,
            "/v1/agents/{agent_id}/health-checks",
            path={"agent_id": agent_id},
            options=options,
        )

    async def run(self, agent_id: str, **options: Unpack[RequestOptions]) -> HealthCheckRun:
        """Start a health check now."""
        return await self._model(
            HealthCheckRun,
            "POST",
            "/v1/agents/{agent_id}/health-checks",
            path={"agent_id": agent_id},
            options=options,
        )

    async def get(
        self, agent_id: str, run_id: str, **options: Unpack[RequestOptions]
    ) -> HealthCheckRun:
        return await self._model(
            HealthCheckRun,
            "GET",
            "/v1/agents/{agent_id}/health-checks/{run_id}",
            path={"agent_id": agent_id, "run_id": run_id},
            options=options,
        )


class AgentsWithRawResponse:
    """`Agents` methods answering an `APIResponse` of their result."""

    def __init__(self, agents: Agents) -> None:
        self.create = raw_method(agents.create)
        self.apply = raw_method(agents.apply)
        self.apply_by_name = raw_method(agents.apply_by_name)
        self.list = raw_method(agents.list)
        self.get = raw_method(agents.get)
        self.update = raw_method(agents.update)
        self.delete = raw_method(agents.delete)
        self.copy = raw_method(agents.copy)
        self.import_ = raw_method(agents.import_)
        self.export = raw_method(agents.export)
        self.stats = raw_method(agents.stats)
        self.analyze = raw_method(agents.analyze)
        self.versions = agents.versions.with_raw_response
        self.health_checks = agents.health_checks.with_raw_response


class AgentVersionsWithRawResponse:
    """`AgentVersions` methods answering an `APIResponse` of their result."""

    def __init__(self, agent_versions: AgentVersions) -> None:
        self.list = raw_method(agent_versions.list)
        self.create = raw_method(agent_versions.create)
        self.set_default = raw_method(agent_versions.set_default)
        self.diff = raw_method(agent_versions.diff)
        self.fork = raw_method(agent_versions.fork)
        self.rollback = raw_method(agent_versions.rollback)


class AgentHealthChecksWithRawResponse:
    """`AgentHealthChecks` methods answering an `APIResponse` of their result."""

    def __init__(self, agent_health_checks: AgentHealthChecks) -> None:
        self.list = raw_method(agent_health_checks.list)
        self.run = raw_method(agent_health_checks.run)
        self.get = raw_method(agent_health_checks.get)
