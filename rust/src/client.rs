//! `Everruns`, the client, and its builder.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{self, ClientOptions, Config};
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

    /// Timeout of one attempt of one request.
    pub fn timeout(&self) -> Duration {
        self.transport.config.timeout
    }

    /// Retries of a failed request, where retrying is safe.
    pub fn max_retries(&self) -> u32 {
        self.transport.config.max_retries
    }

    /// A client with other settings that shares this client's connection pool (and
    /// key and organization): only what `options` sets changes.
    ///
    /// ```no_run
    /// # fn run(client: everruns_sdk::Everruns) -> Result<(), everruns_sdk::Error> {
    /// use everruns_sdk::ClientOptions;
    /// use std::time::Duration;
    ///
    /// let patient = client.with_options(
    ///     ClientOptions::new()
    ///         .timeout(Duration::from_secs(120))
    ///         .max_retries(8),
    /// )?;
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: ClientOptions) -> Result<Self, Error> {
        let mut config = self.transport.config.clone();
        if let Some(timeout) = options.timeout {
            config.timeout = timeout;
        }
        if let Some(retries) = options.max_retries {
            config.max_retries = retries;
        }
        if let Some(url) = &options.base_url {
            config.base_url = config::parse_base_url(url)?;
        }
        if options.clear_headers {
            config.default_headers.clear();
        }
        for (name, value) in config::checked_headers(&options.headers)? {
            config.default_headers.retain(|(n, _)| *n != name);
            config.default_headers.push((name, value));
        }
        let http = self.transport.http.clone();
        Ok(Self {
            transport: Arc::new(Transport::new(config, http)?),
        })
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
        let default_headers = config::checked_headers(&self.headers)?;
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;
    use crate::ClientOptions;

    /// A keep-alive HTTP/1.1 server: counts connections, records request heads, answers
    /// `{"data": []}`, never answers a path containing `slow`.
    struct KeepAlive {
        origin: String,
        connections: Arc<AtomicUsize>,
        heads: Arc<Mutex<Vec<String>>>,
    }

    async fn keep_alive() -> KeepAlive {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (count, log) = (Arc::clone(&connections), Arc::clone(&heads));
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                            buf.drain(..end + 4);
                            let slow = head.lines().next().unwrap_or("").contains("slow");
                            log.lock().unwrap().push(head);
                            if slow {
                                continue;
                            }
                            let body = r#"{"data": []}"#;
                            let answer = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                body.len()
                            );
                            if socket.write_all(answer.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                });
            }
        });
        KeepAlive {
            origin,
            connections,
            heads,
        }
    }

    fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
        head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn client(origin: &str) -> Everruns {
        Everruns::builder()
            .api_key("evr_pat_test")
            .org("org_1")
            .base_url(format!("{origin}/api"))
            .default_header("x-team", "blue")
            .default_header("x-keep", "yes")
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_derived_client_shares_the_pool_and_changes_only_what_it_is_given() {
        let server = keep_alive().await;
        let base = client(&server.origin);
        let derived = base
            .with_options(
                ClientOptions::new()
                    .max_retries(0)
                    .timeout(Duration::from_secs(7))
                    .default_header("x-team", "red")
                    .base_url(format!("{}/other", server.origin)),
            )
            .unwrap();
        assert_eq!(
            (derived.max_retries(), derived.timeout()),
            (0, Duration::from_secs(7))
        );
        assert_eq!(
            (base.max_retries(), base.timeout()),
            (3, config::DEFAULT_TIMEOUT)
        );
        assert_eq!(derived.base_url(), format!("{}/other/", server.origin));
        assert_eq!(derived.org_id(), Some("org_1"));

        base.agents().list(Default::default()).await.unwrap();
        derived.agents().list(Default::default()).await.unwrap();
        base.agents().list(Default::default()).await.unwrap();
        assert_eq!(
            server.connections.load(Ordering::SeqCst),
            1,
            "one pool, one connection"
        );
        // A client built anew has a pool of its own: the count above would have shown it.
        client(&server.origin)
            .agents()
            .list(Default::default())
            .await
            .unwrap();
        assert_eq!(server.connections.load(Ordering::SeqCst), 2);

        let heads = server.heads.lock().unwrap().clone();
        assert!(heads[0].starts_with("GET /api/v1/agents"), "{}", heads[0]);
        assert!(heads[1].starts_with("GET /other/v1/agents"), "{}", heads[1]);
        assert_eq!(header(&heads[0], "x-team"), Some("blue"));
        assert_eq!(header(&heads[1], "x-team"), Some("red"));
        assert_eq!(
            header(&heads[2], "x-team"),
            Some("blue"),
            "the base client is unchanged"
        );
        for head in &heads[..3] {
            assert_eq!(header(head, "x-keep"), Some("yes"));
            assert_eq!(header(head, "authorization"), Some("evr_pat_test"));
            assert_eq!(header(head, "x-org-id"), Some("org_1"));
        }
    }

    #[tokio::test]
    async fn a_derived_timeout_and_cleared_headers_apply() {
        let server = keep_alive().await;
        let base = client(&server.origin);
        let quick = base
            .with_options(
                ClientOptions::new()
                    .timeout(Duration::from_millis(200))
                    .max_retries(0)
                    .clear_default_headers(),
            )
            .unwrap();
        let err = quick.agents().get("slow").await.unwrap_err();
        assert!(matches!(err, Error::Timeout(_)), "{err:?}");
        quick.agents().list(Default::default()).await.unwrap();
        let heads = server.heads.lock().unwrap().clone();
        assert_eq!(heads.len(), 2, "no retry: {heads:?}");
        assert_eq!(header(&heads[1], "x-team"), None);
        assert_eq!(header(&heads[1], "x-keep"), None);
        assert_eq!(header(&heads[1], "authorization"), Some("evr_pat_test"));
    }

    #[test]
    fn bad_options_are_errors_and_never_echo_the_value() {
        let base = client("http://127.0.0.1:9");
        for options in [
            ClientOptions::new().base_url("ftp://h"),
            ClientOptions::new().default_header("authorization", "evr_pat_other"),
            ClientOptions::new().default_header("x-org-id", "org_2"),
            ClientOptions::new().default_header("bad name", "v"),
            ClientOptions::new().default_header("x-ok", "evr_pat_secret\r\nx: y"),
        ] {
            let err = base.with_options(options).unwrap_err();
            assert!(matches!(err, Error::Validation(_)), "{err:?}");
            assert!(!err.to_string().contains("evr_pat"), "{err}");
        }
    }
}
