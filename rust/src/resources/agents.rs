//! `client.agents()`: agents, their versions and health checks.

use super::{exclusive, seg, Base, Call};
use crate::generated::{
    Agent, AgentAnalysisResponse, AgentVersion, AgentVersionDiffResponse, CreateAgentRequest,
    CreateAgentVersionRequest, ForkAgentVersionRequest, HealthCheckRun, PreviewAgentRequest,
    ResourceStats, RollbackAgentVersionRequest, SetDefaultAgentVersionRequest, UpdateAgentRequest,
};
use crate::names::{name_and_display, validate_name};
use crate::pagination::{boxed_fetch, walk, ItemStream};
use crate::{Error, Everruns, Page};

/// Filters and paging of [`Agents::list`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListAgents {
    /// Text to search in names and descriptions.
    pub search: Option<String>,
    /// Include archived agents.
    pub include_archived: Option<bool>,
    /// First item (default 0).
    pub offset: Option<u64>,
    /// Page size (default 20, at most 100).
    pub limit: Option<u64>,
}

/// Create, apply, list, update and archive agents; import and export them.
#[derive(Clone, Debug)]
pub struct Agents(Base);

impl Agents {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    /// Create an agent named `name` with this system prompt. A human name such as
    /// `"Assistant"` is stored as the slug `assistant`, with display name `Assistant`.
    pub async fn create(&self, name: &str, system_prompt: &str) -> Result<Agent, Error> {
        self.create_with(CreateAgentRequest::new(name, system_prompt))
            .await
    }

    /// Create an agent from a full request; with an `id` it is an upsert (apply), and an
    /// existing `name` updates that agent.
    pub async fn create_with(&self, mut request: CreateAgentRequest) -> Result<Agent, Error> {
        let (name, display) = name_and_display(&request.name, request.display_name.take())?;
        request.name = name;
        request.display_name = display;
        exclusive(
            ("harness_id", request.harness_id.is_some()),
            ("harness_name", request.harness_name.is_some()),
        )?;
        let upsert = request.id.is_some();
        self.0
            .json(
                Call::post("/v1/agents".into())
                    .json(&request)?
                    .idempotent(upsert),
            )
            .await
    }

    /// Create the agent with this client-chosen `id`, or update it if it exists.
    pub async fn apply(&self, id: &str, name: &str, system_prompt: &str) -> Result<Agent, Error> {
        let mut request = CreateAgentRequest::new(name, system_prompt);
        request.id = Some(id.to_owned());
        self.create_with(request).await
    }

    /// Create the agent named `name` (a strict slug), or update the one that has it.
    pub async fn apply_by_name(&self, name: &str, system_prompt: &str) -> Result<Agent, Error> {
        validate_name(name, "agent")?;
        self.create(name, system_prompt).await
    }

    /// A page of agents.
    pub async fn list(&self, params: ListAgents) -> Result<Page<Agent>, Error> {
        let call = Call::get("/v1/agents".into())
            .query("search", params.search)
            .query("include_archived", params.include_archived)
            .query("offset", params.offset)
            .query("limit", params.limit);
        self.0.page(call).await
    }

    /// Every agent, page after page (`params.offset` is ignored).
    pub fn list_all(&self, params: ListAgents) -> ItemStream<Agent> {
        let this = self.clone();
        walk(boxed_fetch(move |offset| {
            let this = this.clone();
            let params = ListAgents {
                offset: Some(offset),
                ..params.clone()
            };
            async move { this.list(params).await }
        }))
    }

    /// One agent.
    pub async fn get(&self, agent_id: &str) -> Result<Agent, Error> {
        self.0
            .json(Call::get(format!(
                "/v1/agents/{}",
                seg("agent_id", agent_id)?
            )))
            .await
    }

    /// Change the fields set in `request`; the others stay as they are.
    pub async fn update(
        &self,
        agent_id: &str,
        request: UpdateAgentRequest,
    ) -> Result<Agent, Error> {
        if let Some(name) = &request.name {
            validate_name(name, "agent")?;
        }
        exclusive(
            ("harness_id", request.harness_id.is_some()),
            ("harness_name", request.harness_name.is_some()),
        )?;
        self.0
            .json(Call::patch(format!("/v1/agents/{}", seg("agent_id", agent_id)?)).json(&request)?)
            .await
    }

    /// Archive an agent (its sessions keep working).
    pub async fn delete(&self, agent_id: &str) -> Result<(), Error> {
        self.0
            .empty(Call::delete(format!(
                "/v1/agents/{}",
                seg("agent_id", agent_id)?
            )))
            .await
    }

    /// A new agent with the same configuration.
    pub async fn copy(&self, agent_id: &str) -> Result<Agent, Error> {
        self.0
            .json(Call::post(format!(
                "/v1/agents/{}/copy",
                seg("agent_id", agent_id)?
            )))
            .await
    }

    /// Create an agent from text: Markdown with YAML front matter, YAML, JSON or a bare
    /// system prompt (sent as `text/plain`); `from_example` names a built-in example.
    pub async fn import(&self, text: &str, from_example: Option<&str>) -> Result<Agent, Error> {
        let call = Call::post("/v1/agents/import".into())
            .query("from-example", from_example)
            .raw("text/plain; charset=utf-8", text.as_bytes().to_vec());
        self.0.json(call).await
    }

    /// The agent as Markdown with YAML front matter (what `import` reads back).
    pub async fn export(&self, agent_id: &str) -> Result<String, Error> {
        self.0
            .text(
                Call::get(format!("/v1/agents/{}/export", seg("agent_id", agent_id)?))
                    .accept("text/markdown"),
            )
            .await
    }

    /// Usage statistics of an agent.
    pub async fn stats(&self, agent_id: &str) -> Result<ResourceStats, Error> {
        self.0
            .json(Call::get(format!(
                "/v1/agents/{}/stats",
                seg("agent_id", agent_id)?
            )))
            .await
    }

    /// What an agent with this configuration would be able to do.
    pub async fn analyze(
        &self,
        request: PreviewAgentRequest,
    ) -> Result<AgentAnalysisResponse, Error> {
        self.0
            .json(Call::post("/v1/agents/analyze".into()).json(&request)?)
            .await
    }

    /// Immutable versions of an agent.
    pub fn versions(&self) -> AgentVersions {
        AgentVersions(self.0.clone())
    }

    /// Health-check runs of an agent.
    pub fn health_checks(&self) -> AgentHealthChecks {
        AgentHealthChecks(self.0.clone())
    }
}

/// `client.agents().versions()`: snapshots of an agent's configuration.
#[derive(Clone, Debug)]
pub struct AgentVersions(Base);

impl AgentVersions {
    fn base(agent_id: &str) -> Result<String, Error> {
        Ok(format!(
            "/v1/agents/{}/versions",
            seg("agent_id", agent_id)?
        ))
    }

    /// Every version of an agent.
    pub async fn list(&self, agent_id: &str) -> Result<Vec<AgentVersion>, Error> {
        self.0.list(Call::get(Self::base(agent_id)?)).await
    }

    /// Snapshot the agent's current configuration.
    pub async fn create(
        &self,
        agent_id: &str,
        request: CreateAgentVersionRequest,
    ) -> Result<AgentVersion, Error> {
        self.0
            .json(Call::post(Self::base(agent_id)?).json(&request)?)
            .await
    }

    /// Make `version_id` the default version.
    pub async fn set_default(&self, agent_id: &str, version_id: &str) -> Result<Agent, Error> {
        let body = SetDefaultAgentVersionRequest::new(version_id);
        self.0
            .json(Call::post(format!("{}/default", Self::base(agent_id)?)).json(&body)?)
            .await
    }

    /// What changed between two versions.
    pub async fn diff(
        &self,
        agent_id: &str,
        from_version_id: &str,
        to_version_id: &str,
    ) -> Result<AgentVersionDiffResponse, Error> {
        let path = format!(
            "{}/{}/diff/{}",
            Self::base(agent_id)?,
            seg("from_version_id", from_version_id)?,
            seg("to_version_id", to_version_id)?
        );
        self.0.json(Call::get(path)).await
    }

    /// A new agent (named `request.name`, a slug) from this version.
    pub async fn fork(
        &self,
        agent_id: &str,
        version_id: &str,
        request: ForkAgentVersionRequest,
    ) -> Result<Agent, Error> {
        validate_name(&request.name, "agent")?;
        let path = format!(
            "{}/{}/fork",
            Self::base(agent_id)?,
            seg("version_id", version_id)?
        );
        self.0.json(Call::post(path).json(&request)?).await
    }

    /// Restore the agent's configuration to this version.
    pub async fn rollback(
        &self,
        agent_id: &str,
        version_id: &str,
        request: RollbackAgentVersionRequest,
    ) -> Result<Agent, Error> {
        let path = format!(
            "{}/{}/rollback",
            Self::base(agent_id)?,
            seg("version_id", version_id)?
        );
        self.0.json(Call::post(path).json(&request)?).await
    }
}

/// `client.agents().health_checks()`: run and read an agent's health checks.
#[derive(Clone, Debug)]
pub struct AgentHealthChecks(Base);

impl AgentHealthChecks {
    fn base(agent_id: &str) -> Result<String, Error> {
        Ok(format!(
            "/v1/agents/{}/health-checks",
            seg("agent_id", agent_id)?
        ))
    }

    /// Every run of an agent.
    pub async fn list(&self, agent_id: &str) -> Result<Vec<HealthCheckRun>, Error> {
        self.0.list(Call::get(Self::base(agent_id)?)).await
    }

    /// Start a health check now.
    pub async fn run(&self, agent_id: &str) -> Result<HealthCheckRun, Error> {
        self.0.json(Call::post(Self::base(agent_id)?)).await
    }

    /// One run.
    pub async fn get(&self, agent_id: &str, run_id: &str) -> Result<HealthCheckRun, Error> {
        self.0
            .json(Call::get(format!(
                "{}/{}",
                Self::base(agent_id)?,
                seg("run_id", run_id)?
            )))
            .await
    }
}
