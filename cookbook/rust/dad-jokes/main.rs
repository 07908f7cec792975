//! The dad-jokes agent: one agent, one session, the joke streamed as it is written.
//!
//! Run it against the local server (`make -C ../../python install`, then
//! `python -m everruns_sdk.testing --port 9000`) with
//! `EVERRUNS_API_URL=http://127.0.0.1:9000/api EVERRUNS_API_KEY=<key> cargo run --bin dad-jokes`,
//! or against Everruns with your own key.

use everruns_sdk::{EventData, Everruns, StreamOptions};
use futures::StreamExt;

const PROMPT: &str = "You tell one short, clean dad joke about the topic you are given. \
                      Setup and punchline, nothing else.";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let topic = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "coffee".to_owned());
    let client = Everruns::from_env("my-org")?;
    // apply_by_name: running the recipe twice updates the same agent.
    let agent = client.agents().apply_by_name("dad-jokes", PROMPT).await?;
    let session = client.sessions().create(&agent.id).await?;
    client
        .messages()
        .create(&session.id, &format!("A joke about {topic}, please."))
        .await?;

    let options =
        StreamOptions::default().types(["output.message.delta", "turn.completed", "turn.failed"]);
    let mut stream = client.events().stream_with(&session.id, options);
    while let Some(event) = stream.next().await {
        match event?.data {
            EventData::OutputMessageDelta(delta) => print!("{}", delta.delta),
            EventData::TurnCompleted(_) => break,
            EventData::TurnFailed(failed) => {
                return Err(format!("the turn failed: {}", failed.error).into())
            }
            _ => {}
        }
    }
    println!();
    Ok(())
}
