//! `client.workspace_files()` and `client.memory_files()`: the file trees of workspaces
//! and memories. File paths are `/`-separated, each segment percent-encoded on its own.

use bytes::Bytes;

use super::{file_path, seg, Base, Call};
use crate::generated::{
    CopyFileRequest, CreateFileRequest, CreateMemoryFileRequest, DeleteFileResponse, FileInfo,
    FileStat, GetPathResponse, GrepRequest, GrepResult, MemoryFile, MemoryFileInfo,
    MemoryGrepResult, MoveFileRequest, SessionFile, StatRequest, UpdateFileRequest,
    UpdateMemoryFileRequest,
};
use crate::paths::absolute;
use crate::{Error, Everruns};

/// Files of a workspace (a session's files live in its workspace).
#[derive(Clone, Debug)]
pub struct WorkspaceFiles(Base);

impl WorkspaceFiles {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn root(workspace_id: &str) -> Result<String, Error> {
        Ok(format!(
            "/v1/workspaces/{}/fs",
            seg("workspace_id", workspace_id)?
        ))
    }

    fn path(workspace_id: &str, path: &str) -> Result<String, Error> {
        Ok(format!(
            "{}/{}",
            Self::root(workspace_id)?,
            file_path(path)?
        ))
    }

    /// The entries of the root directory (recursively on request).
    pub async fn list_root(
        &self,
        workspace_id: &str,
        recursive: Option<bool>,
    ) -> Result<Vec<FileInfo>, Error> {
        self.0
            .list(Call::get(Self::root(workspace_id)?).query("recursive", recursive))
            .await
    }

    /// A file with its content, or a directory's entries.
    pub async fn get(
        &self,
        workspace_id: &str,
        path: &str,
        recursive: Option<bool>,
    ) -> Result<GetPathResponse, Error> {
        self.0
            .json(Call::get(Self::path(workspace_id, path)?).query("recursive", recursive))
            .await
    }

    /// Create a file (or a directory with `is_directory`); parent directories too.
    pub async fn create(
        &self,
        workspace_id: &str,
        path: &str,
        request: CreateFileRequest,
    ) -> Result<SessionFile, Error> {
        self.0
            .json(Call::post(Self::path(workspace_id, path)?).json(&request)?)
            .await
    }

    /// Replace the content (or flags) of a file.
    pub async fn update(
        &self,
        workspace_id: &str,
        path: &str,
        request: UpdateFileRequest,
    ) -> Result<SessionFile, Error> {
        self.0
            .json(Call::put(Self::path(workspace_id, path)?).json(&request)?)
            .await
    }

    /// Delete a file, or a directory (`recursive` for a non-empty one).
    pub async fn delete(
        &self,
        workspace_id: &str,
        path: &str,
        recursive: Option<bool>,
    ) -> Result<DeleteFileResponse, Error> {
        self.0
            .json(Call::delete(Self::path(workspace_id, path)?).query("recursive", recursive))
            .await
    }

    /// Move (rename) a file. (`move` is a Rust keyword.)
    pub async fn move_file(
        &self,
        workspace_id: &str,
        src_path: &str,
        dst_path: &str,
    ) -> Result<SessionFile, Error> {
        let body = MoveFileRequest::new(
            absolute("dst_path", dst_path)?,
            absolute("src_path", src_path)?,
        );
        self.0
            .json(Call::post(format!("{}/_/move", Self::root(workspace_id)?)).json(&body)?)
            .await
    }

    /// Copy a file.
    pub async fn copy_file(
        &self,
        workspace_id: &str,
        src_path: &str,
        dst_path: &str,
    ) -> Result<SessionFile, Error> {
        let body = CopyFileRequest::new(
            absolute("dst_path", dst_path)?,
            absolute("src_path", src_path)?,
        );
        self.0
            .json(Call::post(format!("{}/_/copy", Self::root(workspace_id)?)).json(&body)?)
            .await
    }

    /// Search file contents for `pattern` (in files matching `path_pattern`).
    pub async fn grep(
        &self,
        workspace_id: &str,
        pattern: &str,
        path_pattern: Option<&str>,
    ) -> Result<Vec<GrepResult>, Error> {
        let mut body = GrepRequest::new(pattern);
        body.path_pattern = path_pattern.map(str::to_owned);
        self.0
            .list(Call::post(format!("{}/_/grep", Self::root(workspace_id)?)).json(&body)?)
            .await
    }

    /// Size, kind and times of a path.
    pub async fn stat(&self, workspace_id: &str, path: &str) -> Result<FileStat, Error> {
        let body = StatRequest::new(absolute("path", path)?);
        self.0
            .json(Call::post(format!("{}/_/stat", Self::root(workspace_id)?)).json(&body)?)
            .await
    }
}

/// A path of a memory: a file with its content, or a directory's entries.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MemoryEntry {
    /// A directory: `{"data": [...]}`.
    Directory {
        /// The entries.
        data: Vec<MemoryFileInfo>,
    },
    /// A file.
    File(MemoryFile),
}

/// Files of a memory.
#[derive(Clone, Debug)]
pub struct MemoryFiles(Base);

impl MemoryFiles {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn root(memory_id: &str) -> Result<String, Error> {
        Ok(format!("/v1/memories/{}/fs", seg("memory_id", memory_id)?))
    }

    fn path(memory_id: &str, path: &str) -> Result<String, Error> {
        Ok(format!("{}/{}", Self::root(memory_id)?, file_path(path)?))
    }

    /// The entries of the root directory.
    pub async fn list_root(&self, memory_id: &str) -> Result<Vec<MemoryFileInfo>, Error> {
        self.0.list(Call::get(Self::root(memory_id)?)).await
    }

    /// A file with its content, or a directory's entries.
    pub async fn get(&self, memory_id: &str, path: &str) -> Result<MemoryEntry, Error> {
        self.0.json(Call::get(Self::path(memory_id, path)?)).await
    }

    /// Create a file (or a directory).
    pub async fn create(
        &self,
        memory_id: &str,
        path: &str,
        request: CreateMemoryFileRequest,
    ) -> Result<MemoryFileInfo, Error> {
        self.0
            .json(Call::post(Self::path(memory_id, path)?).json(&request)?)
            .await
    }

    /// Replace the content of a file.
    pub async fn update(
        &self,
        memory_id: &str,
        path: &str,
        request: UpdateMemoryFileRequest,
    ) -> Result<MemoryFile, Error> {
        self.0
            .json(Call::put(Self::path(memory_id, path)?).json(&request)?)
            .await
    }

    /// Delete a file.
    pub async fn delete(&self, memory_id: &str, path: &str) -> Result<(), Error> {
        self.0
            .empty(Call::delete(Self::path(memory_id, path)?))
            .await
    }

    /// The raw bytes of a file.
    pub async fn download(&self, memory_id: &str, path: &str) -> Result<Bytes, Error> {
        self.0
            .bytes(
                Call::get(format!(
                    "{}/_/download/{}",
                    Self::root(memory_id)?,
                    file_path(path)?
                ))
                .accept("*/*"),
            )
            .await
    }

    /// Search file contents.
    pub async fn grep(
        &self,
        memory_id: &str,
        pattern: &str,
        path_pattern: Option<&str>,
    ) -> Result<Vec<MemoryGrepResult>, Error> {
        let mut body = GrepRequest::new(pattern);
        body.path_pattern = path_pattern.map(str::to_owned);
        self.0
            .list(Call::post(format!("{}/_/grep", Self::root(memory_id)?)).json(&body)?)
            .await
    }

    /// Size, kind and times of a path.
    pub async fn stat(&self, memory_id: &str, path: &str) -> Result<MemoryFileInfo, Error> {
        let body = StatRequest::new(absolute("path", path)?);
        self.0
            .json(Call::post(format!("{}/_/stat", Self::root(memory_id)?)).json(&body)?)
            .await
    }
}
