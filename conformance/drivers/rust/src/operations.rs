//! Each operation of sdk-scope.json as a call of the Rust SDK's public API.
//!
//! A scenario's `args` use the spec's (wire) names, which are this SDK's serde names
//! too: request bodies are the generated request models read straight from them; path
//! and query parameters are passed as the methods take them.

use base64::Engine as _;
use everruns_sdk::models::{
    ClientToolResult, CreateAgentRequest, CreateAgentVersionRequest, CreateFileRequest,
    CreateHarnessRequest, CreateMemoryFileRequest, CreateMemoryRequest, CreateMessageRequest,
    CreateSessionRequest, CreateWorkspaceRequest, ForkAgentVersionRequest, GuardrailsDryRunRequest,
    PreviewAgentRequest, RollbackAgentVersionRequest, UpdateAgentRequest, UpdateFileRequest,
    UpdateHarnessRequest, UpdateMemoryFileRequest, UpdateMemoryRequest, UpdateSessionRequest,
    UpdateWorkspaceRequest,
};
use everruns_sdk::resources::{
    ExportSession, ListAgents, ListEvents, ListModels, ListSessions, MemoryEntry,
};
use everruns_sdk::{Everruns, Page};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::Failure;

type Args = Map<String, Value>;

fn s<'a>(args: &'a Args, key: &str) -> &'a str {
    args.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn opt_s(args: &Args, key: &str) -> Option<String> {
    args.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn opt_b(args: &Args, key: &str) -> Option<bool> {
    args.get(key).and_then(Value::as_bool)
}

fn opt_u(args: &Args, key: &str) -> Option<u64> {
    args.get(key).and_then(Value::as_u64)
}

/// The strings of an array argument (`types`, `exclude`).
pub fn strings(args: &Args, key: &str) -> Vec<String> {
    args.get(key)
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The arguments but `omit`, read as the request model `T` (wire names are serde names).
fn body<T: DeserializeOwned>(args: &Args, omit: &[&str]) -> Result<T, Failure> {
    let rest: Map<String, Value> = args
        .iter()
        .filter(|(k, _)| !omit.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::from_value(Value::Object(rest)).map_err(|e| {
        Failure::Unsupported(format!("the arguments do not fit the request model: {e}"))
    })
}

fn out<T: Serialize>(value: T) -> Result<Value, Failure> {
    serde_json::to_value(value)
        .map_err(|e| Failure::Unsupported(format!("the result does not serialize: {e}")))
}

/// A list result: `{"data": [...]}`.
fn list<T: Serialize>(items: Vec<T>) -> Result<Value, Failure> {
    Ok(json!({"data": out(items)?}))
}

fn page<T: Serialize>(page: Page<T>) -> Result<Value, Failure> {
    Ok(
        json!({"data": out(page.data)?, "total": page.total, "offset": page.offset, "limit": page.limit}),
    )
}

fn bytes(data: impl AsRef<[u8]>) -> Value {
    json!({"base64": base64::engine::general_purpose::STANDARD.encode(data)})
}

fn memory_entry(entry: MemoryEntry) -> Result<Value, Failure> {
    match entry {
        MemoryEntry::Directory { data } => list(data),
        MemoryEntry::File(file) => out(file),
        _ => Err(Failure::Unsupported(
            "a memory entry of an unknown shape".into(),
        )),
    }
}

/// Make the call for `operation`; its result as JSON (wire names).
pub async fn call(c: &Everruns, operation: &str, a: &Args) -> Result<Value, Failure> {
    match operation {
        "create_agent" => out(c
            .agents()
            .create_with(body::<CreateAgentRequest>(a, &[])?)
            .await?),
        "list_agents" => {
            let p = ListAgents {
                search: opt_s(a, "search"),
                include_archived: opt_b(a, "include_archived"),
                offset: opt_u(a, "offset"),
                limit: opt_u(a, "limit"),
            };
            page(c.agents().list(p).await?)
        }
        "get_agent" => out(c.agents().get(s(a, "agent_id")).await?),
        "update_agent" => out(c
            .agents()
            .update(
                s(a, "agent_id"),
                body::<UpdateAgentRequest>(a, &["agent_id"])?,
            )
            .await?),
        "delete_agent" => out(c.agents().delete(s(a, "agent_id")).await?),
        "import_agent" => out(c
            .agents()
            .import(s(a, "body"), a.get("from-example").and_then(Value::as_str))
            .await?),
        "export_agent" => out(c.agents().export(s(a, "agent_id")).await?),
        "copy_agent" => out(c.agents().copy(s(a, "agent_id")).await?),
        "get_agent_stats" => out(c.agents().stats(s(a, "agent_id")).await?),
        "analyze_agent" => out(c
            .agents()
            .analyze(body::<PreviewAgentRequest>(a, &[])?)
            .await?),
        "list_agent_versions" => list(c.agents().versions().list(s(a, "agent_id")).await?),
        "create_agent_version" => out(c
            .agents()
            .versions()
            .create(
                s(a, "agent_id"),
                body::<CreateAgentVersionRequest>(a, &["agent_id"])?,
            )
            .await?),
        "set_default_agent_version" => out(c
            .agents()
            .versions()
            .set_default(s(a, "agent_id"), s(a, "version_id"))
            .await?),
        "diff_agent_versions" => out(c
            .agents()
            .versions()
            .diff(
                s(a, "agent_id"),
                s(a, "from_version_id"),
                s(a, "to_version_id"),
            )
            .await?),
        "fork_agent_version" => out(c
            .agents()
            .versions()
            .fork(
                s(a, "agent_id"),
                s(a, "version_id"),
                body::<ForkAgentVersionRequest>(a, &["agent_id", "version_id"])?,
            )
            .await?),
        "rollback_agent_version" => out(c
            .agents()
            .versions()
            .rollback(
                s(a, "agent_id"),
                s(a, "version_id"),
                body::<RollbackAgentVersionRequest>(a, &["agent_id", "version_id"])?,
            )
            .await?),
        "list_health_checks" => list(c.agents().health_checks().list(s(a, "agent_id")).await?),
        "trigger_health_check" => out(c.agents().health_checks().run(s(a, "agent_id")).await?),
        "get_health_check" => out(c
            .agents()
            .health_checks()
            .get(s(a, "agent_id"), s(a, "run_id"))
            .await?),
        "list_harnesses" => list(
            c.harnesses()
                .list(opt_s(a, "search").as_deref(), opt_b(a, "include_archived"))
                .await?,
        ),
        "get_harness" => out(c.harnesses().get(s(a, "harness_id")).await?),
        "create_harness" => out(c
            .harnesses()
            .create(body::<CreateHarnessRequest>(a, &[])?)
            .await?),
        "update_harness" => out(c
            .harnesses()
            .update(
                s(a, "harness_id"),
                body::<UpdateHarnessRequest>(a, &["harness_id"])?,
            )
            .await?),
        "delete_harness" => out(c.harnesses().delete(s(a, "harness_id")).await?),
        "list_examples" => list(c.harnesses().examples().await?),
        "list_all_models" => {
            let p = ListModels {
                source: opt_s(a, "source"),
                include_stale: opt_b(a, "include_stale"),
                favorites_only: opt_b(a, "favorites_only"),
            };
            list(c.models().list(p).await?)
        }
        "get_model" => out(c.models().get(s(a, "id")).await?),
        "create_session" => out(c
            .sessions()
            .create_with(body::<CreateSessionRequest>(a, &[])?)
            .await?),
        "list_sessions" => {
            let p = ListSessions {
                agent_id: opt_s(a, "agent_id"),
                search: opt_s(a, "search"),
                offset: opt_u(a, "offset"),
                limit: opt_u(a, "limit"),
            };
            page(c.sessions().list(p).await?)
        }
        "get_session" => out(c.sessions().get(s(a, "session_id")).await?),
        "update_session" => out(c
            .sessions()
            .update(
                s(a, "session_id"),
                body::<UpdateSessionRequest>(a, &["session_id"])?,
            )
            .await?),
        "delete_session" => out(c.sessions().delete(s(a, "session_id")).await?),
        "cancel_turn" => out(c.sessions().cancel(s(a, "session_id")).await?),
        "pin_session" => out(c.sessions().pin(s(a, "session_id")).await?),
        "unpin_session" => out(c.sessions().unpin(s(a, "session_id")).await?),
        "export_session_jsonl" => {
            let p = ExportSession {
                format: opt_s(a, "format"),
                segmented: opt_b(a, "segmented"),
                cursor: opt_s(a, "cursor"),
            };
            list(c.sessions().export(s(a, "session_id"), p).await?)
        }
        "list_capabilities" => page(
            c.capabilities()
                .list(
                    opt_s(a, "search").as_deref(),
                    opt_u(a, "offset"),
                    opt_u(a, "limit"),
                )
                .await?,
        ),
        "get_capability" => out(c.capabilities().get(s(a, "capability_id")).await?),
        "list_guardrail_examples" => list(c.capabilities().guardrail_examples().await?),
        "dry_run_guardrails" => out(c
            .capabilities()
            .dry_run_guardrails(body::<GuardrailsDryRunRequest>(a, &[])?)
            .await?),
        "create_message" => out(c
            .messages()
            .create_with(
                s(a, "session_id"),
                body::<CreateMessageRequest>(a, &["session_id"])?,
            )
            .await?),
        "list_messages" => list(c.messages().list(s(a, "session_id")).await?),
        "submit_tool_results" => {
            let results: Vec<ClientToolResult> =
                serde_json::from_value(a.get("tool_results").cloned().unwrap_or_default())
                    .map_err(|e| Failure::Unsupported(format!("tool_results: {e}")))?;
            out(c
                .messages()
                .submit_tool_results(s(a, "session_id"), results)
                .await?)
        }
        "list_events" => {
            let p = ListEvents {
                since_id: opt_s(a, "since_id"),
                types: strings(a, "types"),
                exclude: strings(a, "exclude"),
                limit: opt_u(a, "limit"),
                ..Default::default()
            };
            list(c.events().list(s(a, "session_id"), p).await?)
        }
        "upload_image" => {
            let file = a.get("file").cloned().unwrap_or_default();
            let data = base64::engine::general_purpose::STANDARD
                .decode(file["base64"].as_str().unwrap_or_default())
                .map_err(|e| Failure::Unsupported(format!("file.base64: {e}")))?;
            let name = file["name"].as_str().unwrap_or("file");
            out(c
                .images()
                .upload(
                    data,
                    name,
                    file["content_type"].as_str(),
                    opt_s(a, "session_id").as_deref(),
                )
                .await?)
        }
        "list_images" => list(
            c.images()
                .list(opt_u(a, "limit"), opt_u(a, "offset"))
                .await?,
        ),
        "get_image" => Ok(bytes(c.images().content(s(a, "image_id")).await?)),
        "delete_image" => out(c.images().delete(s(a, "image_id")).await?),
        "get_thumbnail" => Ok(bytes(c.images().thumbnail(s(a, "image_id")).await?)),
        "list_workspaces" => list(
            c.workspaces()
                .list(opt_s(a, "search").as_deref(), opt_b(a, "include_archived"))
                .await?,
        ),
        "create_workspace" => out(c
            .workspaces()
            .create(body::<CreateWorkspaceRequest>(a, &[])?)
            .await?),
        "get_workspace" => out(c.workspaces().get(s(a, "workspace_id")).await?),
        "update_workspace" => out(c
            .workspaces()
            .update(
                s(a, "workspace_id"),
                body::<UpdateWorkspaceRequest>(a, &["workspace_id"])?,
            )
            .await?),
        "delete_workspace" => out(c.workspaces().delete(s(a, "workspace_id")).await?),
        "get_root" => list(
            c.workspace_files()
                .list_root(s(a, "workspace_id"), opt_b(a, "recursive"))
                .await?,
        ),
        "get_path" => out(c
            .workspace_files()
            .get(s(a, "workspace_id"), s(a, "path"), opt_b(a, "recursive"))
            .await?),
        "create_path" => out(c
            .workspace_files()
            .create(
                s(a, "workspace_id"),
                s(a, "path"),
                body::<CreateFileRequest>(a, &["workspace_id", "path"])?,
            )
            .await?),
        "update_path" => out(c
            .workspace_files()
            .update(
                s(a, "workspace_id"),
                s(a, "path"),
                body::<UpdateFileRequest>(a, &["workspace_id", "path"])?,
            )
            .await?),
        "delete_path" => out(c
            .workspace_files()
            .delete(s(a, "workspace_id"), s(a, "path"), opt_b(a, "recursive"))
            .await?),
        "move_file" => out(c
            .workspace_files()
            .move_file(s(a, "workspace_id"), s(a, "src_path"), s(a, "dst_path"))
            .await?),
        "copy_file" => out(c
            .workspace_files()
            .copy_file(s(a, "workspace_id"), s(a, "src_path"), s(a, "dst_path"))
            .await?),
        "grep_files" => list(
            c.workspace_files()
                .grep(
                    s(a, "workspace_id"),
                    s(a, "pattern"),
                    opt_s(a, "path_pattern").as_deref(),
                )
                .await?,
        ),
        "stat_file" => out(c
            .workspace_files()
            .stat(s(a, "workspace_id"), s(a, "path"))
            .await?),
        "list_memories" => list(
            c.memories()
                .list(opt_s(a, "search").as_deref(), opt_b(a, "include_archived"))
                .await?,
        ),
        "create_memory" => out(c
            .memories()
            .create(body::<CreateMemoryRequest>(a, &[])?)
            .await?),
        "get_memory" => out(c.memories().get(s(a, "memory_id")).await?),
        "update_memory" => out(c
            .memories()
            .update(
                s(a, "memory_id"),
                body::<UpdateMemoryRequest>(a, &["memory_id"])?,
            )
            .await?),
        "delete_memory" => out(c.memories().delete(s(a, "memory_id")).await?),
        "sync_memory_now" => out(c.memories().sync(s(a, "memory_id")).await?),
        "list_root" => list(c.memory_files().list_root(s(a, "memory_id")).await?),
        "get_file" => memory_entry(
            c.memory_files()
                .get(s(a, "memory_id"), s(a, "path"))
                .await?,
        ),
        "create_file" => out(c
            .memory_files()
            .create(
                s(a, "memory_id"),
                s(a, "path"),
                body::<CreateMemoryFileRequest>(a, &["memory_id", "path"])?,
            )
            .await?),
        "update_file" => out(c
            .memory_files()
            .update(
                s(a, "memory_id"),
                s(a, "path"),
                body::<UpdateMemoryFileRequest>(a, &["memory_id", "path"])?,
            )
            .await?),
        "delete_file" => out(c
            .memory_files()
            .delete(s(a, "memory_id"), s(a, "path"))
            .await?),
        "download_action" => Ok(bytes(
            c.memory_files()
                .download(s(a, "memory_id"), s(a, "path"))
                .await?,
        )),
        "grep_action" => list(
            c.memory_files()
                .grep(
                    s(a, "memory_id"),
                    s(a, "pattern"),
                    opt_s(a, "path_pattern").as_deref(),
                )
                .await?,
        ),
        "stat_action" => out(c
            .memory_files()
            .stat(s(a, "memory_id"), s(a, "path"))
            .await?),
        "list_databases" => list(c.session_databases().list(s(a, "session_id")).await?),
        "create_database" => out(c
            .session_databases()
            .create(s(a, "session_id"), s(a, "name"))
            .await?),
        "get_database" => out(c
            .session_databases()
            .get(s(a, "session_id"), s(a, "name"))
            .await?),
        "delete_database" => out(c
            .session_databases()
            .delete(s(a, "session_id"), s(a, "name"))
            .await?),
        "get_schema" => out(c
            .session_databases()
            .schema(s(a, "session_id"), s(a, "name"))
            .await?),
        "list_keys" => list(c.session_storage().keys(s(a, "session_id")).await?),
        "list_secrets" => list(c.session_storage().secrets(s(a, "session_id")).await?),
        other => Err(Failure::Unsupported(format!("no method for {other}"))),
    }
}
