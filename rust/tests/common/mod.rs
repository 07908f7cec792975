//! The local Everruns server for the integration tests: started from
//! `python/.venv` with `--port 0 --json`, one shared per test binary (it exits by
//! itself when this process goes away), or one per test for fault injection.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use everruns_sdk::Everruns;
use serde_json::Value;

/// A running local server.
pub struct Server {
    child: Child,
    /// The API base URL (`http://127.0.0.1:PORT/api`).
    pub url: String,
    /// The key it accepts.
    pub api_key: String,
    /// Its default organization.
    pub org_id: String,
    /// The control API root (`http://127.0.0.1:PORT/_emulator`).
    pub control: String,
}

impl Server {
    /// Start a server of its own (with `--record` and any `args`).
    pub fn start(args: &[&str]) -> Server {
        // rust/ or cookbook/rust/: the repository's python/ is up the tree.
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|dir| dir.join("python"))
            .find(|dir| dir.join(".venv").is_dir())
            .expect("python/.venv (run `make -C python install`)");
        let python = root.join(".venv").join("bin").join("python");
        let mut child = Command::new(&python)
            .args([
                "-m",
                "everruns_sdk.testing",
                "--port",
                "0",
                "--json",
                "--record",
            ])
            .args(args)
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e} (run `make -C python install`)",
                    python.display()
                )
            });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("server line");
        let info: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad server line {line:?}: {e}"));
        let url = info["url"].as_str().expect("url").to_owned();
        let control = format!("{}/_emulator", url.trim_end_matches("/api"));
        Server {
            child,
            api_key: info["api_key"].as_str().expect("api_key").to_owned(),
            org_id: info["org_id"].as_str().expect("org_id").to_owned(),
            url,
            control,
        }
    }

    /// The server shared by the tests of this binary.
    pub fn shared() -> &'static Server {
        static SHARED: OnceLock<Server> = OnceLock::new();
        SHARED.get_or_init(|| Server::start(&[]))
    }

    /// A client for this server.
    pub fn client(&self) -> Everruns {
        self.builder().build().expect("client")
    }

    /// A builder pointed at this server.
    pub fn builder(&self) -> everruns_sdk::EverrunsBuilder {
        Everruns::builder()
            .api_key(&self.api_key)
            .base_url(&self.url)
            .org(&self.org_id)
    }

    /// Call the control API; returns the JSON answer (`null` for none).
    pub async fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let http = reqwest::Client::new();
        let url = format!("{}/{}", self.control, path.trim_start_matches('/'));
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = http.request(method, url);
        if !body.is_null() {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("control API");
        let status = response.status();
        let text = response.text().await.expect("control body");
        assert!(status.is_success(), "control {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Inject a fault (`Faults.<method>` keyword arguments).
    pub async fn fault(&self, method: &str, args: Value) -> Value {
        self.control("POST", &format!("faults/{method}"), args)
            .await
    }

    /// Queue scripted replies (strings or reply objects) for a session.
    pub async fn script(&self, session_id: &str, replies: Value) {
        self.control(
            "POST",
            "script/add",
            serde_json::json!({"replies": replies, "session_id": session_id}),
        )
        .await;
    }

    /// The request log.
    pub async fn requests(&self) -> Vec<Value> {
        let log = self.control("GET", "requests", Value::Null).await;
        log["data"].as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A name no other test run uses: `prefix-` and the time, as a slug.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        everruns_sdk::slugify(&format!("{:?}", std::time::SystemTime::now())).replace('-', "")
    )
}

/// `n` agents named `tag-0` .. `tag-{n-1}`, and the filter that lists only them,
/// `limit` to a page.
pub async fn tagged_agents(
    client: &Everruns,
    tag: &str,
    n: usize,
    limit: u64,
) -> everruns_sdk::resources::ListAgents {
    for i in 0..n {
        client
            .agents()
            .create(&format!("{tag}-{i}"), "p")
            .await
            .expect("agent created");
    }
    everruns_sdk::resources::ListAgents {
        search: Some(tag.to_owned()),
        limit: Some(limit),
        ..Default::default()
    }
}
