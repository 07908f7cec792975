//! The Rust conformance driver: scenario calls through `everruns_sdk`'s public API.
//!
//! Reads one JSON request per line on stdin, answers one JSON line on stdout (protocol in
//! conformance/README.md). The server and key come from `EVERRUNS_API_URL` /
//! `EVERRUNS_API_KEY`.

mod operations;

use std::time::Duration;

use everruns_sdk::{Error, Everruns, StreamOptions};
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const STREAM_SECONDS: u64 = 20;

/// Why a call could not be made: the SDK refused or failed, or it cannot express it.
pub enum Failure {
    Sdk(Error),
    Unsupported(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Sdk(error)
    }
}

/// The protocol's error object for an SDK error.
fn error_json(error: &Error) -> Value {
    let (kind, api) = match error {
        Error::BadRequest(e) => ("bad_request", Some(e)),
        Error::Authentication(e) => ("authentication", Some(e)),
        Error::PermissionDenied(e) => ("permission_denied", Some(e)),
        Error::NotFound(e) => ("not_found", Some(e)),
        Error::Conflict(e) => ("conflict", Some(e)),
        Error::Unprocessable(e) => ("unprocessable_entity", Some(e)),
        Error::RateLimit { error, .. } => ("rate_limit", Some(error)),
        Error::Server(e) => ("server", Some(e)),
        Error::Api { error, .. } => ("api", Some(error)),
        Error::Validation(_) => ("invalid_argument", None),
        Error::Timeout(_) => ("timeout", None),
        Error::Connection { .. } => ("connection", None),
        Error::Decode { .. } => ("invalid_response", None),
        Error::Stream {
            attempts: Some(_), ..
        } => ("stream_retries_exhausted", None),
        Error::Stream { .. } => ("connection", None),
        _ => ("unexpected", None),
    };
    let mut out = json!({"kind": kind, "message": error.to_string()});
    if let Some(api) = api {
        out["status"] = json!(api.status());
        out["code"] = json!(api.code());
        out["message"] = json!(api.message());
        out["retry_after"] = json!(api.retry_after().map(|d| d.as_secs_f64()));
        out["request_id"] = json!(api.request_id());
    }
    out
}

fn client(options: &Value) -> Result<Everruns, Error> {
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let key = options
        .get("api_key")
        .and_then(Value::as_str)
        .map_or_else(|| env("EVERRUNS_API_KEY"), str::to_owned);
    let mut builder = Everruns::builder()
        .api_key(key)
        .base_url(env("EVERRUNS_API_URL"));
    if let Some(retries) = options.get("max_retries").and_then(Value::as_u64) {
        builder = builder.max_retries(u32::try_from(retries).unwrap_or(u32::MAX));
    }
    builder.build()
}

async fn stream(client: &Everruns, args: &Value, spec: &Value) -> Value {
    let empty = Map::new();
    let named = args.as_object().unwrap_or(&empty);
    let options = StreamOptions {
        since_id: args
            .get("since_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        types: operations::strings(named, "types"),
        exclude: operations::strings(named, "exclude"),
        idle_timeout: spec
            .get("idle_timeout")
            .and_then(Value::as_f64)
            .map(Duration::from_secs_f64),
        max_retries: spec
            .get("max_retries")
            .and_then(Value::as_u64)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        ..StreamOptions::default()
    };
    let count = spec.get("count").and_then(Value::as_u64).unwrap_or(1);
    let session_id = args
        .get("session_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut events = client.events().stream_with(session_id, options);
    let mut delivered: Vec<Value> = Vec::new();
    let mut error = Value::Null;
    let read = async {
        while let Some(item) = events.next().await {
            match item {
                Ok(event) => {
                    delivered.push(json!({"id": event.id, "type": event.event_type}));
                    if delivered.len() as u64 >= count {
                        return;
                    }
                }
                Err(e) => {
                    error = error_json(&e);
                    return;
                }
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(STREAM_SECONDS), read)
        .await
        .is_err()
    {
        error = json!({"kind": "driver_timeout", "message": "no end in time"});
    }
    json!({"events": delivered, "error": error})
}

async fn handle(request: &Value) -> Value {
    let operation = request["operation"].as_str().unwrap_or_default();
    let args = request.get("args").cloned().unwrap_or_else(|| json!({}));
    let client = match client(request.get("client").unwrap_or(&Value::Null)) {
        Ok(client) => client,
        Err(e) => return json!({"status": "error", "error": error_json(&e)}),
    };
    if operation == "stream_sse" {
        let spec = request
            .get("stream")
            .cloned()
            .unwrap_or_else(|| json!({"count": 1}));
        return json!({"status": "ok", "result": stream(&client, &args, &spec).await});
    }
    let args = args.as_object().cloned().unwrap_or_else(Map::new);
    match operations::call(&client, operation, &args).await {
        Ok(result) => json!({"status": "ok", "result": result}),
        Err(Failure::Sdk(e)) => json!({"status": "error", "error": error_json(&e)}),
        Err(Failure::Unsupported(reason)) => json!({"status": "unsupported", "reason": reason}),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut stdout = tokio::io::stdout();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = match serde_json::from_str(&line) {
            Ok(value) => value,
            Err(_) => continue,
        };
        let mut answer = handle(&request).await;
        answer["id"] = request["id"].clone();
        let mut text = answer.to_string();
        text.push('\n');
        if stdout.write_all(text.as_bytes()).await.is_err() || stdout.flush().await.is_err() {
            return;
        }
    }
}
