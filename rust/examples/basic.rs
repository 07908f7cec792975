use everruns_sdk::Everruns;
use futures::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Everruns::from_env("my-org")?;
    let agent = client.agents().create("Assistant", "You are a helpful assistant.").await?;
    let session = client.sessions().create(&agent.id).await?;
    client.messages().create(&session.id, "Hello!").await?;
    let mut stream = client.events().stream(&session.id);
    while let Some(event) = stream.next().await {
        let event = event?;
        println!("{}", event.event_type);
        if event.event_type == "turn.completed" {
            break;
        }
    }
    Ok(())
}
