//! Each recipe runs as a program against the local server, with scripted replies.

#[path = "../../../rust/tests/common/mod.rs"]
mod common;

use std::process::{Command, Output};

use serde_json::json;

fn run(server: &common::Server, exe: &str, args: &[&str]) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(exe)
        .args(args)
        .env("EVERRUNS_API_URL", &server.url)
        .env("EVERRUNS_API_KEY", &server.api_key)
        .output()
        .expect("run the recipe");
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert!(
        status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&stderr)
    );
    stdout
}

#[tokio::test]
async fn dad_jokes_streams_the_joke() {
    let server = common::Server::shared();
    let joke = "Why did the coffee file a police report? It got mugged.";
    server
        .control(
            "POST",
            "script/add",
            json!({"replies": [joke], "agent": "dad-jokes"}),
        )
        .await;
    let out = run(server, env!("CARGO_BIN_EXE_dad-jokes"), &["coffee"]);
    assert_eq!(out.trim(), joke);
}

#[tokio::test]
async fn weather_tools_runs_the_tool_here() {
    let server = common::Server::shared();
    let call = json!({"tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "f"}}]});
    server
        .control(
            "POST",
            "script/add",
            json!({"replies": [call], "agent": "weather-assistant"}),
        )
        .await;
    let out = run(server, env!("CARGO_BIN_EXE_weather-tools"), &["Oslo?"]);
    // The local server's default reply after tool results quotes them.
    assert!(out.contains("get_weather") && out.contains("39.2"), "{out}");
    assert!(
        out.contains("after 1 tool request(s), status completed"),
        "{out}"
    );
}
