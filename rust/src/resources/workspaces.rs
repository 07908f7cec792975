//! `client.workspaces()`: workspaces, the file trees sessions work in.

use super::{seg, Base, Call};
use crate::generated::{CreateWorkspaceRequest, UpdateWorkspaceRequest, Workspace};
use crate::{Error, Everruns};

/// List, create, update and archive workspaces.
#[derive(Clone, Debug)]
pub struct Workspaces(Base);

impl Workspaces {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn path(workspace_id: &str) -> Result<String, Error> {
        Ok(format!(
            "/v1/workspaces/{}",
            seg("workspace_id", workspace_id)?
        ))
    }

    /// Every workspace (`search` in names, archived ones with `include_archived`).
    pub async fn list(
        &self,
        search: Option<&str>,
        include_archived: Option<bool>,
    ) -> Result<Vec<Workspace>, Error> {
        let call = Call::get("/v1/workspaces".into())
            .query("search", search)
            .query("include_archived", include_archived);
        self.0.list(call).await
    }

    /// Create a workspace.
    pub async fn create(&self, request: CreateWorkspaceRequest) -> Result<Workspace, Error> {
        self.0
            .json(Call::post("/v1/workspaces".into()).json(&request)?)
            .await
    }

    /// One workspace.
    pub async fn get(&self, workspace_id: &str) -> Result<Workspace, Error> {
        self.0.json(Call::get(Self::path(workspace_id)?)).await
    }

    /// Change the fields set in `request`.
    pub async fn update(
        &self,
        workspace_id: &str,
        request: UpdateWorkspaceRequest,
    ) -> Result<Workspace, Error> {
        self.0
            .json(Call::patch(Self::path(workspace_id)?).json(&request)?)
            .await
    }

    /// Archive a workspace.
    pub async fn delete(&self, workspace_id: &str) -> Result<(), Error> {
        self.0.empty(Call::delete(Self::path(workspace_id)?)).await
    }
}
