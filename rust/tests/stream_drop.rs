//! A thousand streams dropped after their first event leave no open socket, and `stop()`
//! from another task ends a stream waiting for data.

mod common;

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;

/// Established TCP connections from this machine to `port` (client ends only).
fn open_sockets_to(port: u16) -> usize {
    let mut count = 0;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let remote_port = fields
                .get(2)
                .and_then(|r| r.rsplit(':').next())
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            if remote_port == Some(port) && fields.get(3) == Some(&"01") {
                count += 1;
            }
        }
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_dropped_streams_leave_no_open_socket() {
    let server = common::Server::start(&[]);
    let port: u16 = server
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/api")
        .parse()
        .unwrap();
    let client = server.client();
    let session = client
        .sessions()
        .create_with(Default::default())
        .await
        .unwrap()
        .id;
    server
        .control(
            "POST",
            &format!("sessions/{session}/events"),
            json!({"type": "test.tick", "data": {}}),
        )
        .await;
    // The counter sees streams that are open (so the final zero means something).
    let mut held = Vec::new();
    for _ in 0..5 {
        let mut stream = client.events().stream(&session);
        stream.next().await.unwrap().unwrap();
        held.push(stream);
    }
    assert!(open_sockets_to(port) >= 5, "{}", open_sockets_to(port));
    drop(held);
    for _batch in 0..50 {
        let streams = (0..20).map(|_| {
            let client = client.clone();
            let session = session.clone();
            async move {
                let mut stream = client.events().stream(&session);
                let first = stream.next().await.unwrap().unwrap();
                assert_eq!(first.event_type, "test.tick");
                // dropped here, in the middle of the response body
            }
        });
        futures::future::join_all(streams).await;
    }
    // Closing is asynchronous on the server's side: give it a moment, not a deadline.
    let mut open = open_sockets_to(port);
    for _ in 0..100 {
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        open = open_sockets_to(port);
    }
    assert_eq!(
        open, 0,
        "sockets still open to the server after 1,000 dropped streams"
    );
}

#[tokio::test]
async fn stop_from_another_task_ends_a_waiting_stream() {
    let server = common::Server::shared();
    let client = server.client();
    let session = client
        .sessions()
        .create_with(Default::default())
        .await
        .unwrap()
        .id;
    let mut stream = client.events().stream(&session);
    let handle = stream.stop_handle();
    let stopper = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        handle.stop();
    });
    assert!(
        stream.next().await.is_none(),
        "stopped without an event or error"
    );
    stopper.await.unwrap();
    assert!(stream.next().await.is_none());
}
