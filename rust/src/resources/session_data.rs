//! `client.session_databases()` and `client.session_storage()`: the databases,
//! key-value storage and secrets of a session.

use super::{seg, Base, Call};
use crate::generated::{
    CreateDatabaseRequest, DatabaseInfoResponse, KeyValueInfo, SchemaResponse, SecretInfo,
};
use crate::{Error, Everruns};

fn session_path(session_id: &str, tail: &str) -> Result<String, Error> {
    Ok(format!(
        "/v1/sessions/{}/{tail}",
        seg("session_id", session_id)?
    ))
}

/// The SQL databases of a session.
#[derive(Clone, Debug)]
pub struct SessionDatabases(Base);

impl SessionDatabases {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn path(session_id: &str, name: &str) -> Result<String, Error> {
        Ok(format!(
            "{}/{}",
            session_path(session_id, "databases")?,
            seg("name", name)?
        ))
    }

    /// Every database of a session.
    pub async fn list(&self, session_id: &str) -> Result<Vec<DatabaseInfoResponse>, Error> {
        self.0
            .list(Call::get(session_path(session_id, "databases")?))
            .await
    }

    /// Create a database named `name`.
    pub async fn create(
        &self,
        session_id: &str,
        name: &str,
    ) -> Result<DatabaseInfoResponse, Error> {
        let body = CreateDatabaseRequest::new(name);
        self.0
            .json(Call::post(session_path(session_id, "databases")?).json(&body)?)
            .await
    }

    /// One database.
    pub async fn get(&self, session_id: &str, name: &str) -> Result<DatabaseInfoResponse, Error> {
        self.0.json(Call::get(Self::path(session_id, name)?)).await
    }

    /// Delete a database.
    pub async fn delete(&self, session_id: &str, name: &str) -> Result<(), Error> {
        self.0
            .empty(Call::delete(Self::path(session_id, name)?))
            .await
    }

    /// The tables and columns of a database.
    pub async fn schema(&self, session_id: &str, name: &str) -> Result<SchemaResponse, Error> {
        self.0
            .json(Call::get(format!(
                "{}/schema",
                Self::path(session_id, name)?
            )))
            .await
    }
}

/// The key-value storage and secrets of a session (names only, never values).
#[derive(Clone, Debug)]
pub struct SessionStorage(Base);

impl SessionStorage {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    /// The keys of the session's key-value storage.
    pub async fn keys(&self, session_id: &str) -> Result<Vec<KeyValueInfo>, Error> {
        self.0
            .list(Call::get(session_path(session_id, "storage/keys")?))
            .await
    }

    /// The secrets of the session (names and metadata).
    pub async fn secrets(&self, session_id: &str) -> Result<Vec<SecretInfo>, Error> {
        self.0
            .list(Call::get(session_path(session_id, "storage/secrets")?))
            .await
    }
}
