//! `Tool::from_schema`: the JSON schema of a tool derived from its argument type
//! (feature `schemars`, which `make test` turns on), used by a real turn.
#![cfg(feature = "schemars")]

mod common;

use everruns_sdk::models::{CreateSessionRequest, ToolDefinition};
use everruns_sdk::{Tool, TurnOptions};
use serde_json::json;

/// Arguments of the `convert` tool.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[allow(dead_code)]
struct Convert {
    /// Degrees Celsius.
    celsius: f64,
}

fn convert() -> Tool {
    Tool::from_schema(
        "convert",
        "Celsius to Fahrenheit",
        |args: Convert| async move {
            Ok::<_, String>(json!({"fahrenheit": args.celsius * 9.0 / 5.0 + 32.0}))
        },
    )
}

#[test]
fn the_schema_comes_from_the_type() {
    let ToolDefinition::ClientSide(tool) = convert().definition() else {
        panic!("a client-side tool")
    };
    let schema = tool.parameters.unwrap();
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["properties"]["celsius"]["type"], "number");
    assert_eq!(schema["required"], json!(["celsius"]));
}

#[tokio::test]
async fn a_derived_tool_runs_in_a_turn() {
    let server = common::Server::shared();
    let client = server.client();
    let mut request = CreateSessionRequest::new();
    request.tools = Some(vec![convert().definition()]);
    let session = client.sessions().create_with(request).await.unwrap().id;
    server
        .script(
            &session,
            json!([{"tool_calls": [{"name": "convert", "arguments": {"celsius": 100}}]}]),
        )
        .await;
    let options = TurnOptions {
        tools: vec![convert()],
        ..Default::default()
    };
    let result = client
        .sessions()
        .run_with(&session, "Convert", options)
        .await
        .unwrap();
    assert!(result.text().contains("212"), "{}", result.text());
}
