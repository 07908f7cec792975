//! `client.memories()`: memories, file trees agents can be given (synced from git or
//! written by hand).

use super::{seg, Base, Call};
use crate::generated::{CreateMemoryRequest, Memory, UpdateMemoryRequest};
use crate::{Error, Everruns};

/// List, create, update, archive and sync memories.
#[derive(Clone, Debug)]
pub struct Memories(Base);

impl Memories {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn path(memory_id: &str) -> Result<String, Error> {
        Ok(format!("/v1/memories/{}", seg("memory_id", memory_id)?))
    }

    /// Every memory (`search` in names, archived ones with `include_archived`).
    pub async fn list(
        &self,
        search: Option<&str>,
        include_archived: Option<bool>,
    ) -> Result<Vec<Memory>, Error> {
        let call = Call::get("/v1/memories".into())
            .query("search", search)
            .query("include_archived", include_archived);
        self.0.list(call).await
    }

    /// Create a memory.
    pub async fn create(&self, request: CreateMemoryRequest) -> Result<Memory, Error> {
        self.0
            .json(Call::post("/v1/memories".into()).json(&request)?)
            .await
    }

    /// One memory.
    pub async fn get(&self, memory_id: &str) -> Result<Memory, Error> {
        self.0.json(Call::get(Self::path(memory_id)?)).await
    }

    /// Change the fields set in `request`.
    pub async fn update(
        &self,
        memory_id: &str,
        request: UpdateMemoryRequest,
    ) -> Result<Memory, Error> {
        self.0
            .json(Call::patch(Self::path(memory_id)?).json(&request)?)
            .await
    }

    /// Archive a memory.
    pub async fn delete(&self, memory_id: &str) -> Result<(), Error> {
        self.0.empty(Call::delete(Self::path(memory_id)?)).await
    }

    /// Sync a memory from its source now.
    pub async fn sync(&self, memory_id: &str) -> Result<Memory, Error> {
        self.0
            .json(Call::post(format!("{}/sync", Self::path(memory_id)?)))
            .await
    }
}
