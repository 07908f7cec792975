//! Weather tools: an agent whose `get_weather` tool runs here, in this process.
//!
//! The session declares the tool (name, description, JSON schema); when the model calls
//! it, `sessions().run_with(..)` runs the Rust function and sends the result back, then
//! the turn goes on to the answer.

use everruns_sdk::models::CreateSessionRequest;
use everruns_sdk::{Everruns, Tool, TurnOptions};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Query {
    city: String,
    #[serde(default)]
    unit: Option<String>,
}

/// A stand-in for a real weather service.
async fn get_weather(query: Query) -> Result<serde_json::Value, String> {
    let celsius = match query.city.to_lowercase().as_str() {
        "paris" => 18.0,
        "oslo" => 4.0,
        "cairo" => 31.0,
        other => return Err(format!("no weather station in {other}")),
    };
    let (temperature, unit) = match query.unit.as_deref() {
        Some("f") => (celsius * 9.0 / 5.0 + 32.0, "f"),
        _ => (celsius, "c"),
    };
    Ok(json!({"city": query.city, "temperature": temperature, "unit": unit}))
}

fn weather_tool() -> Tool {
    let schema = json!({
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name"},
            "unit": {"type": "string", "enum": ["c", "f"]}
        },
        "required": ["city"]
    });
    Tool::new(
        "get_weather",
        "The current temperature in a city.",
        schema,
        get_weather,
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let question = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "How warm is it in Paris?".to_owned());
    let client = Everruns::from_env("my-org")?;
    let agent = client
        .agents()
        .apply_by_name(
            "weather-assistant",
            "You answer weather questions with the get_weather tool.",
        )
        .await?;
    let tool = weather_tool();
    let mut request = CreateSessionRequest::new();
    request.agent_id = Some(agent.id.clone());
    request.tools = Some(vec![tool.definition()]);
    let session = client.sessions().create_with(request).await?;

    let options = TurnOptions {
        tools: vec![tool],
        ..Default::default()
    };
    let result = client
        .sessions()
        .run_with(&session.id, &question, options)
        .await?;
    let calls = result
        .events
        .iter()
        .filter(|e| e.event_type == "tool.call_requested")
        .count();
    println!(
        "{} (after {calls} tool request(s), status {})",
        result.text(),
        result.status
    );
    Ok(())
}
