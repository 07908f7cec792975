//! Client-side tools: async functions with a JSON schema that the SDK runs when the
//! agent calls them, and the runner that answers a `tool.call_requested` event.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::models::{ClientSideTool, ClientToolResult, ToolCall, ToolDefinition};
use crate::resources::Messages;

/// How long one call may run before the runner answers it with a timeout error.
pub const DEFAULT_TOOL_TIMEOUT: Duration = Duration::from_secs(60);

type Handler =
    dyn Fn(Value) -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send>> + Send + Sync;

/// A client-side tool: its name, description and JSON-schema `parameters` (what the
/// agent sees), and the async function the SDK runs for each call.
///
/// ```
/// use everruns_sdk::Tool;
/// use serde_json::json;
///
/// #[derive(serde::Deserialize)]
/// struct Args { city: String }
///
/// let weather = Tool::new(
///     "get_weather",
///     "The current weather in a city.",
///     json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
///     |args: Args| async move { Ok::<_, String>(json!({"city": args.city, "temp_c": 21})) },
/// );
/// assert_eq!(weather.name(), "get_weather");
/// ```
#[derive(Clone)]
pub struct Tool {
    name: String,
    description: String,
    parameters: Value,
    timeout: Option<Duration>,
    handler: Arc<Handler>,
}

impl std::fmt::Debug for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tool")
            .field("name", &self.name)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Tool {
    /// A tool whose arguments deserialize into `A` and whose result serializes to JSON;
    /// an `Err` (any `Display`) is sent back to the agent as the tool's error.
    pub fn new<A, R, E, F, Fut>(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: Value,
        function: F,
    ) -> Self
    where
        A: DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
        E: std::fmt::Display + Send + 'static,
        F: Fn(A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        let name = name.into();
        let tool_name = name.clone();
        let function = Arc::new(function);
        let handler =
            move |arguments: Value| -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send>> {
                let parsed = serde_json::from_value::<A>(arguments);
                let function = Arc::clone(&function);
                let tool_name = tool_name.clone();
                Box::pin(async move {
                    let args =
                        parsed.map_err(|e| format!("{tool_name}: invalid arguments: {e}"))?;
                    let value = function(args).await.map_err(|e| e.to_string())?;
                    serde_json::to_value(value)
                        .map_err(|e| format!("{tool_name}: result is not JSON: {e}"))
                })
            };
        Self {
            name,
            description: description.into(),
            parameters,
            timeout: Some(DEFAULT_TOOL_TIMEOUT),
            handler: Arc::new(handler),
        }
    }

    /// A tool whose JSON schema is derived from its argument type
    /// (`#[derive(serde::Deserialize, schemars::JsonSchema)]`); feature `schemars`.
    #[cfg(feature = "schemars")]
    pub fn from_schema<A, R, E, F, Fut>(
        name: impl Into<String>,
        description: impl Into<String>,
        function: F,
    ) -> Self
    where
        A: DeserializeOwned + schemars::JsonSchema + Send + 'static,
        R: Serialize + Send + 'static,
        E: std::fmt::Display + Send + 'static,
        F: Fn(A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
    {
        let schema = serde_json::to_value(schemars::schema_for!(A)).unwrap_or(Value::Null);
        Self::new(name, description, schema, function)
    }

    /// This tool with another per-call timeout (`None`: no limit).
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the API expects in a session's or agent's `tools`.
    pub fn definition(&self) -> ToolDefinition {
        let mut tool = ClientSideTool::new(self.description.clone(), self.name.clone());
        tool.parameters = Some(self.parameters.clone());
        ToolDefinition::ClientSide(tool)
    }

    /// Run one call with this tool's timeout (or `timeout` instead); never fails: every
    /// outcome is a result for the server.
    pub(crate) async fn call(
        &self,
        call: &ToolCall,
        timeout: Option<Duration>,
    ) -> ClientToolResult {
        let arguments = Value::Object(call.arguments.clone());
        let running = (self.handler)(arguments);
        let outcome = match timeout.or(self.timeout) {
            Some(limit) => match tokio::time::timeout(limit, running).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    tracing::warn!(tool = %call.name, call = %call.id, "client tool timed out");
                    Err(format!("tool {:?} timed out after {limit:?}", call.name))
                }
            },
            None => running.await,
        };
        match outcome {
            Ok(value) => Messages::tool_result(&call.id, value),
            Err(error) => Messages::tool_error(&call.id, error),
        }
    }
}

/// Run every call of one `tool.call_requested` event concurrently; unknown tools are
/// answered with an error naming the known ones.
pub(crate) async fn run_calls(
    calls: &[ToolCall],
    tools: &HashMap<String, Tool>,
    timeout: Option<Duration>,
) -> Vec<ClientToolResult> {
    let runs = calls.iter().map(|call| async move {
        match tools.get(&call.name) {
            Some(tool) => tool.call(call, timeout).await,
            None => {
                let mut known: Vec<&str> = tools.keys().map(String::as_str).collect();
                known.sort_unstable();
                let known = if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                };
                Messages::tool_error(
                    &call.id,
                    format!("unknown tool {:?} (client tools: {known})", call.name),
                )
            }
        }
    });
    futures_util::future::join_all(runs).await
}
