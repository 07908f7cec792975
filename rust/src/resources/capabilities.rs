//! `client.capabilities()`: what agents can be given, and guardrails.

use super::{seg, Base, Call};
use crate::generated::{
    CapabilityInfo, GuardrailExample, GuardrailExamplesResponse, GuardrailsDryRunRequest,
    GuardrailsDryRunResponse,
};
use crate::{Error, Everruns, Page};

/// Capabilities and guardrails.
#[derive(Clone, Debug)]
pub struct Capabilities(Base);

impl Capabilities {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    /// A page of capabilities (`search` in names).
    pub async fn list(
        &self,
        search: Option<&str>,
        offset: Option<u64>,
        limit: Option<u64>,
    ) -> Result<Page<CapabilityInfo>, Error> {
        let call = Call::get("/v1/capabilities".into())
            .query("search", search)
            .query("offset", offset)
            .query("limit", limit);
        self.0.page(call).await
    }

    /// One capability.
    pub async fn get(&self, capability_id: &str) -> Result<CapabilityInfo, Error> {
        self.0
            .json(Call::get(format!(
                "/v1/capabilities/{}",
                seg("capability_id", capability_id)?
            )))
            .await
    }

    /// Example guardrail configurations (the list, unwrapped from its `examples` field,
    /// as the Python and TypeScript SDKs return it).
    pub async fn guardrail_examples(&self) -> Result<Vec<GuardrailExample>, Error> {
        let response: GuardrailExamplesResponse = self
            .0
            .json(Call::get("/v1/capabilities/guardrails/examples".into()))
            .await?;
        Ok(response.examples)
    }

    /// Run guardrails on a text without a session.
    pub async fn dry_run_guardrails(
        &self,
        request: GuardrailsDryRunRequest,
    ) -> Result<GuardrailsDryRunResponse, Error> {
        self.0
            .json(Call::post("/v1/capabilities/guardrails/dry-run".into()).json(&request)?)
            .await
    }
}
