//! `sessions().run(..)` and the client-side tool runner against the local server.

mod common;

use std::time::Duration;

use everruns_sdk::models::CreateSessionRequest;
use everruns_sdk::{Error, Everruns, Tool, TurnOptions, TurnStatus};
use serde_json::{json, Value};

use common::Server;

#[derive(serde::Deserialize)]
struct City {
    city: String,
}

fn weather() -> Tool {
    let schema =
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]});
    Tool::new(
        "get_weather",
        "Weather in a city",
        schema,
        |args: City| async move { Ok::<_, String>(json!({"city": args.city, "sky": "sunny"})) },
    )
}

async fn session_with(client: &Everruns, tools: &[Tool]) -> String {
    let mut request = CreateSessionRequest::new();
    request.tools = Some(tools.iter().map(Tool::definition).collect());
    client.sessions().create_with(request).await.unwrap().id
}

async fn tool_results_sent(server: &Server, session: &str) -> Vec<Value> {
    let path = format!("/v1/sessions/{session}/tool-results");
    server
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == path)
        .map(|r| r["body"]["tool_results"].clone())
        .collect()
}

#[tokio::test]
async fn run_follows_a_whole_turn() {
    let client = Server::shared().client();
    let session = session_with(&client, &[]).await;
    let first = client.sessions().run(&session, "Hello!").await.unwrap();
    assert!(first.ok());
    assert_eq!(first.text(), "Echo: Hello!");
    assert_eq!(first.events.first().unwrap().event_type, "input.message");
    assert_eq!(first.events.last().unwrap().event_type, "turn.completed");
    let second = client.sessions().run(&session, "Again").await.unwrap();
    assert_eq!(
        second.text(),
        "Echo: Again",
        "only the second turn's events"
    );
    assert_ne!(first.turn_id, second.turn_id);
}

#[tokio::test]
async fn a_failed_turn_is_a_result_or_an_error() {
    let server = Server::shared();
    let client = server.client();
    let session = session_with(&client, &[]).await;
    server
        .script(
            &session,
            json!([{"failure": {"error": "model overloaded", "error_code": "overloaded"}}]),
        )
        .await;
    let result = client.sessions().run(&session, "Hi").await.unwrap();
    assert_eq!(result.status, TurnStatus::Failed);
    assert_eq!(result.error.as_deref(), Some("model overloaded"));
    assert_eq!(result.error_code.as_deref(), Some("overloaded"));
    server
        .script(
            &session,
            json!([{"failure": {"error": "again", "error_code": "x"}}]),
        )
        .await;
    let options = TurnOptions {
        raise_on_failure: true,
        ..Default::default()
    };
    let err = client
        .sessions()
        .run_with(&session, "Hi", options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TurnFailed(r) if r.error.as_deref() == Some("again")),
        "{err:?}"
    );
}

#[tokio::test]
async fn client_side_tools_are_run_and_answered() {
    let server = Server::shared();
    let client = server.client();
    let session = session_with(&client, &[weather()]).await;
    server
        .script(
            &session,
            json!([{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}]),
        )
        .await;
    let options = TurnOptions {
        tools: vec![weather()],
        ..Default::default()
    };
    let result = client
        .sessions()
        .run_with(&session, "Weather?", options)
        .await
        .unwrap();
    assert!(result.ok(), "{result:?}");
    assert!(result.text().contains("sunny"), "{}", result.text());
    let sent = tool_results_sent(server, &session).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0][0]["result"],
        json!({"city": "Paris", "sky": "sunny"})
    );
}

#[tokio::test]
async fn calls_run_concurrently_and_failures_go_back_as_tool_errors() {
    let server = Server::shared();
    let client = server.client();
    let failing = Tool::new(
        "explode",
        "Fails",
        json!({"type": "object"}),
        |_: Value| async move { Err::<Value, _>("boom") },
    );
    let slow = Tool::new(
        "slow",
        "Never returns in time",
        json!({"type": "object"}),
        |_: Value| async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok::<_, String>(json!("late"))
        },
    )
    .with_timeout(Some(Duration::from_millis(100)));
    let tools = [weather(), failing, slow];
    let session = session_with(&client, &tools).await;
    let calls = json!([
        {"name": "get_weather", "arguments": {"city": "Oslo"}},
        {"name": "explode", "arguments": {}},
        {"name": "slow", "arguments": {}},
        {"name": "get_weather", "arguments": {"town": "no city"}},
        {"name": "missing", "arguments": {}, "client_side": true},
    ]);
    server
        .script(&session, json!([{"tool_calls": calls}, "Done."]))
        .await;
    let options = TurnOptions {
        tools: tools.to_vec(),
        ..Default::default()
    };
    let result = client
        .sessions()
        .run_with(&session, "Go", options)
        .await
        .unwrap();
    assert_eq!(result.text(), "Done.");
    let sent = tool_results_sent(server, &session).await;
    assert_eq!(sent.len(), 1, "one request for the whole batch");
    let results = sent[0].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["result"]["city"], "Oslo");
    assert_eq!(results[1]["error"], "boom");
    assert!(results[2]["error"].as_str().unwrap().contains("timed out"));
    assert!(results[3]["error"]
        .as_str()
        .unwrap()
        .contains("invalid arguments"));
    assert!(results[4]["error"]
        .as_str()
        .unwrap()
        .contains("unknown tool \"missing\""));
}

#[tokio::test]
async fn a_turn_timeout_is_a_timeout_error() {
    let server = Server::shared();
    let client = server.client();
    let session = session_with(&client, &[]).await;
    server
        .script(&session, json!([{"text": "never", "hang": true}]))
        .await;
    let options = TurnOptions {
        timeout: Some(Duration::from_millis(300)),
        ..Default::default()
    };
    let err = client
        .sessions()
        .run_with(&session, "Wait", options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    client.sessions().cancel(&session).await.unwrap();
}
