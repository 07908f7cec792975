//! `client.harnesses()`: the harnesses agents and sessions run in.

use super::{seg, Base, Call};
use crate::generated::{CreateHarnessRequest, Harness, HarnessExample, UpdateHarnessRequest};
use crate::names::validate_name;
use crate::{Error, Everruns};

/// List, create, update and archive harnesses.
#[derive(Clone, Debug)]
pub struct Harnesses(Base);

impl Harnesses {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn path(harness_id: &str) -> Result<String, Error> {
        Ok(format!("/v1/harnesses/{}", seg("harness_id", harness_id)?))
    }

    /// Every harness (`search` in names, archived ones with `include_archived`).
    pub async fn list(
        &self,
        search: Option<&str>,
        include_archived: Option<bool>,
    ) -> Result<Vec<Harness>, Error> {
        self.0
            .list(
                Call::get("/v1/harnesses".into())
                    .query("search", search)
                    .query("include_archived", include_archived),
            )
            .await
    }

    /// One harness.
    pub async fn get(&self, harness_id: &str) -> Result<Harness, Error> {
        self.0.json(Call::get(Self::path(harness_id)?)).await
    }

    /// Create a harness (its `name` is a slug).
    pub async fn create(&self, request: CreateHarnessRequest) -> Result<Harness, Error> {
        validate_name(&request.name, "harness")?;
        self.0
            .json(Call::post("/v1/harnesses".into()).json(&request)?)
            .await
    }

    /// Change the fields set in `request`.
    pub async fn update(
        &self,
        harness_id: &str,
        request: UpdateHarnessRequest,
    ) -> Result<Harness, Error> {
        if let Some(name) = &request.name {
            validate_name(name, "harness")?;
        }
        self.0
            .json(Call::patch(Self::path(harness_id)?).json(&request)?)
            .await
    }

    /// Archive a harness.
    pub async fn delete(&self, harness_id: &str) -> Result<(), Error> {
        self.0.empty(Call::delete(Self::path(harness_id)?)).await
    }

    /// Built-in example harnesses.
    pub async fn examples(&self) -> Result<Vec<HarnessExample>, Error> {
        self.0.list(Call::get("/v1/harness-examples".into())).await
    }
}
