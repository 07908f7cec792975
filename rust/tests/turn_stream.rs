//! `sessions().stream_turn(..)` against the local server: this turn's events only,
//! text deltas, the final result (the same as `run`'s), failed turns, tools, `stop()`.

mod common;

use std::collections::BTreeSet;

use everruns_sdk::models::CreateSessionRequest;
use everruns_sdk::{Error, Event, EventData, Everruns, Tool, TurnOptions, TurnStatus, TurnStream};
use futures::{Stream, StreamExt};
use serde_json::{json, Value};

use common::Server;

async fn session(client: &Everruns, tools: &[Tool]) -> String {
    let mut request = CreateSessionRequest::new();
    if !tools.is_empty() {
        request.tools = Some(tools.iter().map(Tool::definition).collect());
    }
    client.sessions().create_with(request).await.unwrap().id
}

async fn collect(turn: &mut TurnStream) -> Vec<Event> {
    let mut events = Vec::new();
    while let Some(event) = turn.next().await {
        events.push(event.expect("an event of the turn"));
    }
    events
}

fn turn_ids(events: &[Event]) -> BTreeSet<String> {
    events
        .iter()
        .filter_map(|e| e.context.as_ref().and_then(|c| c.turn_id.clone()))
        .collect()
}

fn types(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.event_type.as_str()).collect()
}

fn assert_stream<S: Stream + Unpin + Send + 'static>(_: &S) {}

#[tokio::test]
async fn only_this_turns_events_from_its_message_to_its_end() {
    let client = Server::shared().client();
    let session = session(&client, &[]).await;
    let first = client.sessions().run(&session, "First").await.unwrap();
    let mut turn = client.sessions().stream_turn(&session, "Second");
    assert_stream(&turn);
    let events = collect(&mut turn).await;
    assert!(turn.is_done());
    assert!(turn.next().await.is_none(), "nothing after the end event");

    let message = turn.message().expect("the message was sent").clone();
    match &events.first().expect("events").data {
        EventData::InputMessage(data) => assert_eq!(data.message.id, message.id),
        other => panic!("the turn starts with its input.message, got {other:?}"),
    }
    assert_eq!(types(&events).last(), Some(&"turn.completed"));
    let ids = turn_ids(&events);
    assert_eq!(ids.len(), 1, "one turn: {ids:?}");
    assert!(!ids.contains(first.turn_id.as_deref().unwrap()));
    assert_eq!(turn.turn_id(), ids.iter().next().map(String::as_str));
    assert_eq!(turn.events(), events.as_slice());

    // The session holds both turns (and what follows a turn's end): the stream gave
    // exactly the second turn's events, its message to its end event.
    let all = client
        .events()
        .list(&session, Default::default())
        .await
        .unwrap();
    let start = all
        .iter()
        .position(|e| e.id == events[0].id)
        .expect("the stream's first event is stored");
    let end = start
        + all[start..]
            .iter()
            .position(|e| e.event_type == "turn.completed")
            .expect("the turn's end is stored");
    let stored: Vec<&str> = all[start..=end]
        .iter()
        .filter(|e| {
            let turn_id = e.context.as_ref().and_then(|c| c.turn_id.as_deref());
            turn_id.is_none() || turn_id == turn.turn_id()
        })
        .map(|e| e.id.as_str())
        .collect();
    let streamed: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(streamed, stored);
    assert!(start > 0, "the first turn's events came before");
    assert!(
        all[..start]
            .iter()
            .all(|e| !events.iter().any(|s| s.id == e.id)),
        "none of the first turn's events were streamed"
    );
}

#[tokio::test]
async fn text_deltas_join_to_the_reply() {
    let server = Server::shared();
    let client = server.client();
    let session = session(&client, &[]).await;
    let reply = "A reply long enough to come in several pieces, chunk by chunk.";
    server
        .script(&session, json!([{"text": reply, "chunk_size": 5}]))
        .await;
    let mut turn = client.sessions().stream_turn(&session, "Speak");
    let mut deltas = Vec::new();
    let mut pieces = turn.text_deltas();
    while let Some(delta) = pieces.next().await {
        deltas.push(delta.unwrap());
    }
    assert!(deltas.len() > 5, "{deltas:?}");
    assert_eq!(deltas.concat(), reply);
    let result = turn.final_result().await.unwrap();
    assert_eq!(result.text(), reply);
}

#[tokio::test]
async fn the_final_result_is_the_one_run_gives() {
    let server = Server::shared();
    let client = server.client();
    let streamed_session = session(&client, &[]).await;
    let run_session = session(&client, &[]).await;

    let mut turn = client
        .sessions()
        .stream_turn(&streamed_session, "Same words");
    let seen = collect(&mut turn).await;
    let streamed = turn.final_result().await.unwrap();
    let ran = client
        .sessions()
        .run(&run_session, "Same words")
        .await
        .unwrap();

    assert_eq!(
        streamed.events, seen,
        "the result holds the events handed out"
    );
    assert_eq!(streamed.status, TurnStatus::Completed);
    assert_eq!(streamed.status, ran.status);
    assert_eq!(streamed.text(), "Echo: Same words");
    assert_eq!(streamed.text(), ran.text());
    assert_eq!(types(&streamed.events), types(&ran.events));
    assert_eq!(streamed.usage, ran.usage);
    assert_eq!(streamed.error, ran.error);
    assert_eq!(
        streamed.input_message.as_ref().map(|m| &m.id),
        turn.message().map(|m| &m.id)
    );
    assert_eq!(streamed.turn_id.as_deref(), turn.turn_id());
    // Asked again, the same answer.
    assert_eq!(turn.final_result().await.unwrap(), streamed);
}

#[tokio::test]
async fn a_failed_turn_ends_the_stream_and_is_a_failed_result() {
    let server = Server::shared();
    let client = server.client();
    let session = session(&client, &[]).await;
    let failure = json!([{"failure": {"error": "model overloaded", "error_code": "overloaded"}}]);
    server.script(&session, failure.clone()).await;
    let mut turn = client.sessions().stream_turn(&session, "Hi");
    let events = collect(&mut turn).await;
    assert_eq!(types(&events).last(), Some(&"turn.failed"));
    let result = turn.final_result().await.unwrap();
    assert_eq!(result.status, TurnStatus::Failed);
    assert!(!result.ok());
    assert_eq!(result.error.as_deref(), Some("model overloaded"));
    assert_eq!(result.error_code.as_deref(), Some("overloaded"));

    server.script(&session, failure).await;
    let options = TurnOptions {
        raise_on_failure: true,
        ..Default::default()
    };
    let mut turn = client.sessions().stream_turn_with(&session, "Hi", options);
    let err = turn.final_result().await.unwrap_err();
    assert!(
        matches!(&err, Error::TurnFailed(r) if r.error_code.as_deref() == Some("overloaded")),
        "{err:?}"
    );
}

#[tokio::test]
async fn stop_ends_the_stream_before_the_turn_ends() {
    let server = Server::shared();
    let client = server.client();
    let session = session(&client, &[]).await;
    server
        .script(&session, json!([{"text": "never", "hang": true}]))
        .await;
    let mut turn = client.sessions().stream_turn(&session, "Wait");
    let first = turn.next().await.unwrap().unwrap();
    assert_eq!(first.event_type, "input.message");
    turn.stop();
    turn.stop();
    assert!(turn.next().await.is_none());
    assert!(!turn.is_done());
    let err = turn.final_result().await.unwrap_err();
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");
    // The turn went on on the server: cancelling it ends it there.
    client.sessions().cancel(&session).await.unwrap();
    let events = client
        .events()
        .list(&session, Default::default())
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.event_type == "turn.cancelled"));
}

#[tokio::test]
async fn start_sends_the_message_before_any_event_is_read() {
    let client = Server::shared().client();
    let session = session(&client, &[]).await;
    let mut turn = client.sessions().stream_turn(&session, "Early");
    assert!(turn.message().is_none(), "nothing is sent before a poll");
    turn.start().await.unwrap();
    let sent = turn.message().expect("sent").clone();
    assert!(turn.events().is_empty());
    let listed = client.messages().list(&session).await.unwrap();
    assert!(listed.iter().any(|m| m.id == sent.id));
    let result = turn.final_result().await.unwrap();
    assert_eq!(result.text(), "Echo: Early");
}

#[tokio::test]
async fn a_missing_session_is_the_first_item() {
    let client = Server::shared().client();
    let mut turn = client.sessions().stream_turn("session_missing", "Hi");
    let err = turn.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert!(turn.next().await.is_none());
    assert!(turn.message().is_none());
    let err = turn.final_result().await.unwrap_err();
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");

    // Straight to final_result: the error itself.
    let mut turn = client.sessions().stream_turn("session_missing", "Hi");
    let err = turn.final_result().await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn tool_calls_are_answered_while_the_turn_streams() {
    let server = Server::shared();
    let client = server.client();
    let echo = Tool::new(
        "shout",
        "Upper-cases a word",
        json!({"type": "object", "properties": {"word": {"type": "string"}}}),
        |args: Value| async move {
            let word = args["word"].as_str().unwrap_or_default().to_uppercase();
            Ok::<_, String>(json!({ "word": word }))
        },
    );
    let session = session(&client, std::slice::from_ref(&echo)).await;
    let calls = json!([{"name": "shout", "arguments": {"word": "hey"}}]);
    server
        .script(&session, json!([{"tool_calls": calls}, "Done."]))
        .await;
    let options = TurnOptions {
        tools: vec![echo],
        ..Default::default()
    };
    let mut turn = client.sessions().stream_turn_with(&session, "Go", options);
    let events = collect(&mut turn).await;
    let kinds = types(&events);
    let requested = kinds.iter().position(|t| *t == "tool.call_requested");
    assert!(requested.is_some(), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"turn.completed"));
    let result = turn.final_result().await.unwrap();
    assert_eq!(result.text(), "Done.");
    let sent: Vec<Value> = server
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == format!("/v1/sessions/{session}/tool-results"))
        .map(|r| r["body"]["tool_results"][0]["result"].clone())
        .collect();
    assert_eq!(sent, vec![json!({"word": "HEY"})]);
}

#[tokio::test]
async fn a_timeout_is_the_last_item() {
    let server = Server::shared();
    let client = server.client();
    let session = session(&client, &[]).await;
    server
        .script(&session, json!([{"text": "never", "hang": true}]))
        .await;
    let options = TurnOptions {
        timeout: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    };
    let mut turn = client
        .sessions()
        .stream_turn_with(&session, "Wait", options);
    let mut items = Vec::new();
    while let Some(item) = turn.next().await {
        items.push(item);
    }
    let (last, events) = items.split_last().expect("items");
    assert!(matches!(last, Err(Error::Timeout(_))), "{last:?}");
    assert!(events.iter().all(Result::is_ok));
    assert_eq!(
        events
            .first()
            .map(|e| e.as_ref().unwrap().event_type.as_str()),
        Some("input.message")
    );
    assert!(!turn.is_done());
    client.sessions().cancel(&session).await.unwrap();
}

#[tokio::test]
async fn a_stop_handle_ends_the_stream_from_another_task() {
    let server = Server::shared();
    let client = server.client();
    let session = session(&client, &[]).await;
    server
        .script(&session, json!([{"text": "never", "hang": true}]))
        .await;
    let mut turn = client.sessions().stream_turn(&session, "Wait");
    let handle = turn.stop_handle();
    let first = turn.next().await.unwrap().unwrap();
    assert_eq!(first.event_type, "input.message");
    // The turn hangs: no end event comes, so only the handle ends the stream.
    let (seen_tx, seen_rx) = tokio::sync::oneshot::channel::<()>();
    let stopper = tokio::spawn(async move {
        seen_rx.await.unwrap();
        handle.stop();
    });
    let waiting = async {
        seen_tx.send(()).unwrap();
        turn.next().await
    };
    // (On this test's one-thread runtime the stopper runs once `next()` waits.)
    let ended = tokio::time::timeout(std::time::Duration::from_secs(30), waiting).await;
    assert!(ended.expect("stop() woke the waiting poll").is_none());
    stopper.await.unwrap();
    assert!(turn.stop_handle().is_stopped());
    assert!(turn.next().await.is_none());
    client.sessions().cancel(&session).await.unwrap();
}
