//! Every request is traced (a span with method, path and attempt; an event with status,
//! elapsed time and request id) and no trace ever holds the key or a body.

mod common;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Writes every span and event, with all their fields, as one line each.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
        Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = "event".to_owned();
        event.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn requests_are_traced_without_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = common::Server::shared();
    let client = server.client();
    let agent = client
        .agents()
        .create("Traced", "A secret prompt body")
        .await
        .unwrap();
    client.agents().get(&agent.id).await.unwrap();
    let lines = recorder.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    assert!(
        all.contains("span everruns.request method=POST path=/v1/agents attempt=1"),
        "{all}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("event")
            && l.contains("status=201")
            && l.contains("elapsed_ms=")
            && l.contains("request_id=\"req_")),
        "{all}"
    );
    assert!(!all.contains(&server.api_key), "the key is never traced");
    assert!(
        !all.contains("A secret prompt body"),
        "bodies are never traced"
    );
}
