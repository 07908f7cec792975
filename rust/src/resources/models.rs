//! `client.models()`: the LLM models agents can use.

use super::{seg, Base, Call};
use crate::generated::ModelWithProvider;
use crate::{Error, Everruns};

/// Filters of [`Models::list`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListModels {
    /// Only models from this source.
    pub source: Option<String>,
    /// Include stale models.
    pub include_stale: Option<bool>,
    /// Only favourites.
    pub favorites_only: Option<bool>,
}

/// The models available to agents.
#[derive(Clone, Debug)]
pub struct Models(Base);

impl Models {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    /// Every model, with its provider.
    pub async fn list(&self, params: ListModels) -> Result<Vec<ModelWithProvider>, Error> {
        let call = Call::get("/v1/models".into())
            .query("source", params.source)
            .query("include_stale", params.include_stale)
            .query("favorites_only", params.favorites_only);
        self.0.list(call).await
    }

    /// One model.
    pub async fn get(&self, model_id: &str) -> Result<ModelWithProvider, Error> {
        self.0
            .json(Call::get(format!("/v1/models/{}", seg("id", model_id)?)))
            .await
    }
}
