//! The Everruns SDK for Rust: agents, sessions, messages, and a typed event stream
//! that reconnects by itself without losing an event.
//!
//! ```no_run
//! use everruns_sdk::Everruns;
//! use futures::StreamExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Everruns::from_env("my-org")?;
//! let agent = client.agents().create("Assistant", "You are a helpful assistant.").await?;
//! let session = client.sessions().create(&agent.id).await?;
//! client.messages().create(&session.id, "Hello!").await?;
//! let mut stream = client.events().stream(&session.id);
//! while let Some(event) = stream.next().await {
//!     let event = event?;
//!     println!("{}", event.event_type);
//!     if event.event_type == "turn.completed" {
//!         break;
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! - [`Everruns`] is the client (`Clone + Send + Sync`, one connection pool); its
//!   sub-clients (`agents()`, `sessions()`, ...) cover the 85 operations of the API.
//! - Every failure is one [`Error`]; retries, redirects and tracing happen in one
//!   request pipeline.
//! - [`EventStream`] follows the reconnection rules of the API: planned cycles,
//!   backoff, idle timeout, resume from the last event.
//! - [`raw_response`] wraps any call to also give the status, headers and request ID
//!   of its response ([`RawResponse`]).
//! - Models are generated from the OpenAPI spec ([`models`]); unknown fields, enum
//!   values and event types never break parsing.
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]

mod client;
mod config;
mod error;
mod event;
mod generated;
mod model_support;
mod names;
mod pagination;
mod paths;
mod raw;
pub mod resources;
mod retry;
mod secret;
mod sse;
mod stream;
mod tagged;
mod time;
mod transport;
mod turns;

pub use client::{Everruns, EverrunsBuilder};
pub use config::ClientOptions;
pub use error::{ApiError, Error};
pub use event::Event;
pub use generated::EventData;
pub use names::{slugify, validate_name};
pub use pagination::{ItemStream, Page};
pub use raw::{raw_response, RawResponse};
pub use secret::ApiKey;
pub use sse::SseEvent;
pub use stream::{EventStream, StopHandle, StreamOptions};
pub use turns::{
    TextDeltas, Tool, TurnInput, TurnOptions, TurnResult, TurnStatus, TurnStopHandle, TurnStream,
    DEFAULT_TOOL_TIMEOUT,
};

/// Every model of the API, generated from the OpenAPI spec.
pub mod models {
    pub use crate::generated::*;
}
