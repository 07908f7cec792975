//! `Everruns`, the client, and its builder.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderName;

use crate::config::{self, Config};
use crate::resources::{
    Agents, Capabilities, Events, Harnesses, Images, Memories, MemoryFiles, Messages, Models,
    SessionDatabases, SessionStorage, Sessions, WorkspaceFiles, Workspaces,
};
use crate::secret::ApiKey;
use crate::transport::Transport;
use crate::Error;

/// The Everruns API client.
///
/// Cheap to clone (one `Arc`): clones share one connection pool and configuration.
/// `Send + Sync`, so one client serves a whole service.
///
/// ```no_run
/// # async fn run() -> Result<(), everruns_sdk::Error> {
/// let client = everruns_sdk::Everruns::builder()
///     .api_key("evr_pat_...")
///     .org("my-org")
///     .timeout(std::time::Duration::from_secs(10))
///     .max_retries(2)
///     .build()?;
/// let page = client.agents().list(Default::default()).await?;
/// println!("{} agents", page.total);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Everruns {
    pub(crate) transport: Arc<Transport>,
}

impl Everruns {
    /// A client with this key and organization; the base URL comes from
    /// `EVERRUNS_API_URL`, else production.
    ///
    /// # Panics
    ///
    /// When the key or organization holds CR, LF or NUL, or `EVERRUNS_API_URL` is not
    /// an http(s) URL (use [`Everruns::builder`] to get these as errors instead).
    pub fn new(api_key: impl Into<String>, org: impl Into<String>) -> Self {
        match Self::builder().api_key(api_key).org(org).build() {
            Ok(client) => client,
            Err(error) => panic!("Everruns::new: {error}"),
        }
    }

    /// A client whose key comes from `EVERRUNS_API_KEY` (an error when it is not set),
    /// for the organization `org`.
    pub fn from_env(org: impl Into<String>) -> Result<Self, Error> {
        Self::builder().org(org).build()
    }

    /// A builder for every other setting.
    pub fn builder() -> EverrunsBuilder {
        EverrunsBuilder::default()
    }

    /// The base URL requests go to (with a trailing slash).
    pub fn base_url(&self) -> &str {
        self.transport.config.base_url.as_str()
    }

    /// The organization sent as `X-Org-Id`, if any.
    pub fn org_id(&self) -> Option<&str> {
        self.transport.config.org_id.as_deref()
    }

    /// Agents, their versions and health checks.
    pub fn agents(&self) -> Agents {
        Agents::new(self)
    }
    /// Sessions, turns and the files, databases and storage of a session.
    pub fn sessions(&self) -> Sessions {
        Sessions::new(self)
    }
    /// Messages of a session and tool results.
    pub fn messages(&self) -> Messages {
        Messages::new(self)
    }
    /// Events of a session: the live stream and the stored list.
    pub fn events(&self) -> Events {
        Events::new(self)
    }
    /// Harnesses.
    pub fn harnesses(&self) -> Harnesses {
        Harnesses::new(self)
    }
    /// Models available to agents.
    pub fn models(&self) -> Models {
        Models::new(self)
    }
    /// Capabilities and guardrails.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities::new(self)
    }
    /// Images.
    pub fn images(&self) -> Images {
        Images::new(self)
    }
    /// Workspaces.
    pub fn workspaces(&self) -> Workspaces {
        Workspaces::new(self)
    }
    /// Files of a workspace.
    pub fn workspace_files(&self) -> WorkspaceFiles {
        WorkspaceFiles::new(self)
    }
    /// Memories.
    pub fn memories(&self) -> Memories {
        Memories::new(self)
    }
    /// Files of a memory.
    pub fn memory_files(&self) -> MemoryFiles {
        MemoryFiles::new(self)
    }
    /// Databases of a session.
    pub fn session_databases(&self) -> SessionDatabases {
        SessionDatabases::new(self)
    }
    /// Key-value storage and secrets of a session.
    pub fn session_storage(&self) -> SessionStorage {
        SessionStorage::new(self)
    }
}

/// Settings of an [`Everruns`] client. Whatever is not set falls back to the
/// environment (`EVERRUNS_API_KEY`, `EVERRUNS_API_URL`, `EVERRUNS_ORG_ID`), then to the
/// defaults (production URL, 30 s timeout, 3 retries).
#[derive(Default)]
pub struct EverrunsBuilder {
    api_key: Option<String>,
    org: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    http: Option<reqwest::Client>,
    headers: Vec<(String, String)>,
}

impl std::fmt::Debug for EverrunsBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EverrunsBuilder")
            .field("api_key", &self.api_key.as_deref().map(ApiKey::from))
            .field("org", &self.org)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl EverrunsBuilder {
    /// The API key (`evr_pat_...`), sent as `Authorization`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
    /// The organization, sent as `X-Org-Id`.
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }
    /// The base URL, with any path prefix (`http://localhost:9000/api`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Timeout of one attempt of one request (the event stream has its own idle
    /// timeout and no overall one).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Retries of a failed request, where retrying is safe.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }
    /// Send through this reqwest client (its pool, proxy and TLS settings). Build it
    /// with `redirect(reqwest::redirect::Policy::none())`: the SDK follows redirects
    /// itself so that credentials never reach another origin.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }
    /// A header sent with every request (not `Authorization` or `X-Org-Id`).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The client, or the reason the settings are unusable.
    pub fn build(self) -> Result<Everruns, Error> {
        let key = self
            .api_key
            .or_else(|| config::env(config::ENV_API_KEY))
            .ok_or_else(|| {
                Error::Validation(format!(
                    "no API key: pass one to the builder or set the {} environment variable",
                    config::ENV_API_KEY
                ))
            })?;
        let org = self
            .org
            .filter(|o| !o.is_empty())
            .or_else(|| config::env(config::ENV_ORG_ID));
        let url = self.base_url.or_else(|| config::env(config::ENV_API_URL));
        let mut default_headers = Vec::new();
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Validation(format!("{name:?} is not a valid header name")))?;
            if header == reqwest::header::AUTHORIZATION || header.as_str() == "x-org-id" {
                return Err(Error::Validation(format!(
                    "default_header must not set {name:?}: use api_key() and org()"
                )));
            }
            default_headers.push((header, config::header_value(name, value)?));
        }
        let config = Config {
            api_key: ApiKey::new(key),
            base_url: config::parse_base_url(url.as_deref().unwrap_or(config::DEFAULT_BASE_URL))?,
            org_id: org,
            timeout: self.timeout.unwrap_or(config::DEFAULT_TIMEOUT),
            max_retries: self.max_retries.unwrap_or(config::DEFAULT_MAX_RETRIES),
            default_headers,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(config.timeout)
                .pool_max_idle_per_host(100)
                .build()
                .map_err(|e| Error::connection(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Everruns {
            transport: Arc::new(Transport::new(config, http)?),
        })
    }
}
