//! Sessions, messages, events (list and stream), storage and databases against the
//! local server.

mod common;

use everruns_sdk::models::{CreateSessionRequest, EventData, UpdateSessionRequest};
use everruns_sdk::resources::{ExportSession, ListEvents, ListSessions};
use everruns_sdk::{Error, Event, Everruns, StreamOptions};
use futures::{StreamExt, TryStreamExt};

fn client() -> Everruns {
    common::Server::shared().client()
}

async fn session(client: &Everruns) -> everruns_sdk::models::Session {
    let agent = client
        .agents()
        .create("Sessions Test", "You test sessions.")
        .await
        .unwrap();
    client.sessions().create(&agent.id).await.unwrap()
}

/// Events of the stream up to and including `last`.
async fn until(stream: &mut everruns_sdk::EventStream, last: &str) -> Vec<Event> {
    let mut seen = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        let done = event.event_type == last;
        seen.push(event);
        if done {
            break;
        }
    }
    seen
}

#[tokio::test]
async fn a_turn_streams_typed_events_in_order() {
    let client = client();
    let session = session(&client).await;
    client
        .messages()
        .create(&session.id, "Hello!")
        .await
        .unwrap();
    let mut stream = client.events().stream(&session.id);
    let events = until(&mut stream, "turn.completed").await;
    let types: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types.first(), Some(&"input.message"));
    assert!(
        types.contains(&"turn.started") && types.contains(&"output.message.delta"),
        "{types:?}"
    );
    let text = events.iter().find_map(|e| match &e.data {
        EventData::OutputMessageCompleted(data) => {
            Some(serde_json::to_string(&data.message.content).unwrap())
        }
        _ => None,
    });
    assert!(text.unwrap().contains("Echo: Hello!"));
    assert!(
        events
            .iter()
            .all(|e| !matches!(e.data, EventData::Unknown(_))),
        "every type has a model"
    );
    let ids: Vec<_> = events.iter().map(|e| e.id.clone()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "event IDs increase");
    assert_eq!(stream.last_event_id(), ids.last().map(String::as_str));
}

#[tokio::test]
async fn since_id_and_type_filters() {
    let client = client();
    let session = session(&client).await;
    client.messages().create(&session.id, "One").await.unwrap();
    let first = until(&mut client.events().stream(&session.id), "turn.completed").await;
    let started = first
        .iter()
        .find(|e| e.event_type == "turn.started")
        .unwrap();
    let options = StreamOptions::default()
        .since_id(&started.id)
        .types(["turn.completed", "output.message.completed"]);
    let mut stream = client.events().stream_with(&session.id, options);
    let later = until(&mut stream, "turn.completed").await;
    let types: Vec<_> = later.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["output.message.completed", "turn.completed"]);
    let options = StreamOptions::default().exclude(["output.message.delta"]);
    let all = until(
        &mut client.events().stream_with(&session.id, options),
        "turn.completed",
    )
    .await;
    assert!(all.iter().all(|e| e.event_type != "output.message.delta"));
}

#[tokio::test]
async fn a_stream_of_an_unknown_session_ends_with_not_found() {
    let mut stream = client()
        .events()
        .stream("session_00000000000000000000000000000000");
    let first = stream.next().await.unwrap();
    assert!(matches!(first, Err(Error::NotFound(_))), "{first:?}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn bad_arguments_fail_the_stream_up_front() {
    let mut stream = client().events().stream("");
    assert!(matches!(
        stream.next().await,
        Some(Err(Error::Validation(_)))
    ));
    assert!(stream.next().await.is_none());
    let options = StreamOptions::default().types((0..26).map(|i| format!("t{i}")));
    let mut stream = client().events().stream_with("session_1", options);
    assert!(matches!(
        stream.next().await,
        Some(Err(Error::Validation(_)))
    ));
}

#[tokio::test]
async fn events_list_with_filters() {
    let client = client();
    let session = session(&client).await;
    client
        .messages()
        .create(&session.id, "Listed")
        .await
        .unwrap();
    until(&mut client.events().stream(&session.id), "turn.completed").await;
    let all = client
        .events()
        .list(&session.id, ListEvents::default())
        .await
        .unwrap();
    assert!(all.len() >= 5);
    let params = ListEvents {
        types: vec!["turn.started".into(), "turn.completed".into()],
        ..Default::default()
    };
    let some = client.events().list(&session.id, params).await.unwrap();
    let types: Vec<_> = some.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["turn.started", "turn.completed"]);
    let last_two = client
        .events()
        .list(
            &session.id,
            ListEvents {
                limit: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(last_two.len(), 2);
    assert_eq!(last_two[1].id, all.last().unwrap().id);
}

#[tokio::test]
async fn sessions_crud_pin_cancel_export() {
    let client = client();
    let sessions = client.sessions();
    let created = session(&client).await;
    assert_eq!(created.status, "started");
    assert!(!created.workspace_id.is_empty());
    assert_eq!(sessions.get(&created.id).await.unwrap().id, created.id);
    let mut change = UpdateSessionRequest::new();
    change.title = Some("Renamed".into());
    assert_eq!(
        sessions
            .update(&created.id, change)
            .await
            .unwrap()
            .title
            .as_deref(),
        Some("Renamed")
    );
    sessions.pin(&created.id).await.unwrap();
    assert_eq!(
        sessions.get(&created.id).await.unwrap().is_pinned,
        Some(true)
    );
    sessions.unpin(&created.id).await.unwrap();
    let cancelled = sessions.cancel(&created.id).await.unwrap();
    assert!(serde_json::to_value(cancelled).unwrap().is_object());
    client
        .messages()
        .create(&created.id, "Export me")
        .await
        .unwrap();
    until(&mut client.events().stream(&created.id), "turn.completed").await;
    let records = sessions
        .export(&created.id, ExportSession::default())
        .await
        .unwrap();
    assert!(!records.is_empty());
    let text = sessions
        .export_text(&created.id, ExportSession::default())
        .await
        .unwrap();
    assert_eq!(
        text.lines().filter(|l| !l.trim().is_empty()).count(),
        records.len()
    );
    sessions.delete(&created.id).await.unwrap();
    assert!(matches!(
        sessions.get(&created.id).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn sessions_list_and_list_all() {
    let client = client();
    let agent = client.agents().create("Lister", "p").await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(client.sessions().create(&agent.id).await.unwrap().id);
    }
    let params = ListSessions {
        agent_id: Some(agent.id.clone()),
        limit: Some(2),
        ..Default::default()
    };
    let page = client.sessions().list(params.clone()).await.unwrap();
    assert_eq!(page.data.len(), 2);
    let mut all: Vec<_> = client
        .sessions()
        .list_all(params)
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    all.sort();
    ids.sort();
    assert_eq!(all, ids);
}

#[tokio::test]
async fn sessions_without_an_agent_and_exclusive_fields() {
    let client = client();
    let mut request = CreateSessionRequest::new();
    request.title = Some("No agent".into());
    let session = client.sessions().create_with(request).await.unwrap();
    assert!(session.agent_id.is_none());
    let mut both = CreateSessionRequest::new();
    both.agent_id = Some("agent_1".into());
    both.agent_name = Some("x".into());
    assert!(matches!(
        client.sessions().create_with(both).await,
        Err(Error::Validation(_))
    ));
}

#[tokio::test]
async fn messages_list_and_tool_results_conflict() {
    let client = client();
    let session = session(&client).await;
    let sent = client
        .messages()
        .create(&session.id, "Remember me")
        .await
        .unwrap();
    until(&mut client.events().stream(&session.id), "turn.completed").await;
    let listed = client.messages().list(&session.id).await.unwrap();
    assert!(listed.iter().any(|m| m.id == sent.id));
    assert!(listed.len() >= 2, "the reply is a message too");
    let results = vec![everruns_sdk::resources::Messages::tool_result(
        "call_1",
        serde_json::json!({"ok": true}),
    )];
    let err = client
        .messages()
        .submit_tool_results(&session.id, results)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
}

#[tokio::test]
async fn session_databases_and_storage() {
    let client = client();
    let session = session(&client).await;
    let databases = client.session_databases();
    let created = databases.create(&session.id, "notes").await.unwrap();
    assert_eq!(created.name, "notes");
    assert!(databases
        .list(&session.id)
        .await
        .unwrap()
        .iter()
        .any(|d| d.name == "notes"));
    assert_eq!(
        databases.get(&session.id, "notes").await.unwrap().name,
        "notes"
    );
    let schema = databases.schema(&session.id, "notes").await.unwrap();
    assert!(serde_json::to_value(schema).unwrap().is_object());
    databases.delete(&session.id, "notes").await.unwrap();
    assert!(matches!(
        databases.get(&session.id, "notes").await,
        Err(Error::NotFound(_))
    ));
    let keys = client.session_storage().keys(&session.id).await.unwrap();
    let secrets = client.session_storage().secrets(&session.id).await.unwrap();
    assert!(keys.is_empty() && secrets.is_empty());
}
