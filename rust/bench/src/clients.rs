//! One measurement per (client, scenario): ours, the official crate, and the floor.

use std::time::{Duration, Instant};

use futures::StreamExt;

/// Session IDs of the benchmark server encode how many events their stream serves.
pub fn session_for(count: usize) -> String {
    format!("session_{count:032x}")
}

pub const AGENT_ID: &str = "agent_01933b5a000070008000a1b2c3d4e5f7";

/// A typed event, as the floor parses it: the envelope typed, the data as JSON.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct FloorEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    ts: String,
    session_id: String,
    sequence: Option<i64>,
    data: serde_json::Value,
}

pub struct Target {
    pub base: String,
    pub key: String,
}

/// Read `n` events from one stream with `client`; returns how many arrived.
pub async fn stream(client: &str, target: &Target, n: usize) -> usize {
    let session = session_for(n);
    match client {
        "ours" => {
            let sdk = ours::Everruns::builder()
                .api_key(&target.key)
                .base_url(&target.base)
                .build()
                .unwrap();
            drain(sdk.events().stream(&session), n).await
        }
        "official" => {
            let sdk = official::Everruns::with_base_url(target.key.clone(), &target.base).unwrap();
            drain(sdk.events().stream(&session), n).await
        }
        _ => floor_stream(&floor_client(), target, &session, n).await,
    }
}

/// Read `n` items of an SDK's event stream (panics on an error or an early end).
async fn drain<T, E: std::fmt::Debug>(
    mut stream: impl futures::Stream<Item = Result<T, E>> + Unpin,
    n: usize,
) -> usize {
    for _ in 0..n {
        std::hint::black_box(stream.next().await.expect("stream ended").expect("event"));
    }
    n
}

pub fn floor_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The least work: reqwest's byte stream, a split on blank lines, serde_json.
pub async fn floor_stream(http: &reqwest::Client, target: &Target, session: &str, n: usize) -> usize {
    let url = format!("{}/v1/sessions/{session}/sse", target.base);
    let response = http
        .get(url)
        .header("authorization", &target.key)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    let mut body = response.bytes_stream();
    let mut buf: Vec<u8> = Vec::new();
    let mut seen = 0;
    let mut scanned = 0;
    while seen < n {
        let chunk = body.next().await.expect("stream ended").unwrap();
        buf.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(i) = buf[scanned..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| i + scanned)
        {
            match buf.get(i + 1) {
                // The blank line may be in the next chunk: look at this LF again then
                // (skipping it lost the frame boundary, undercounted and panicked).
                None => {
                    scanned = i;
                    break;
                }
                Some(b'\n') => {}
                Some(_) => {
                    scanned = i + 1;
                    continue;
                }
            }
            let frame = &buf[start..i];
            start = i + 2;
            scanned = start;
            if let Some(data) = frame
                .split(|&b| b == b'\n')
                .find_map(|line| line.strip_prefix(b"data: "))
            {
                if let Ok(event) = serde_json::from_slice::<FloorEvent>(data) {
                    std::hint::black_box(&event);
                    seen += 1;
                }
            }
        }
        buf.drain(..start);
        scanned -= start;
    }
    seen
}

/// `streams` concurrent streams of `per_stream` events each; returns events read.
pub async fn concurrent(client: &str, target: &Target, streams: usize, per_stream: usize) -> usize {
    let ours_client = ours::Everruns::builder()
        .api_key(&target.key)
        .base_url(&target.base)
        .build()
        .unwrap();
    let official_client = official::Everruns::with_base_url(target.key.clone(), &target.base).unwrap();
    let http = floor_client();
    let session = session_for(per_stream);
    let runs = (0..streams).map(|_| {
        let (ours_client, official_client, http, session) = (&ours_client, &official_client, &http, &session);
        async move {
            match client {
                "ours" => drain(ours_client.events().stream(session), per_stream).await,
                "official" => drain(official_client.events().stream(session), per_stream).await,
                _ => floor_stream(http, target, session, per_stream).await,
            }
        }
    });
    futures::future::join_all(runs).await.into_iter().sum()
}

/// Mean time of `calls` sequential `GET /v1/agents/{id}` (after `warmup` untimed calls
/// on the same connection), and the CPU time (`cpu_ns`, a clock in nanoseconds) the
/// timed calls took in all.
pub async fn get(
    client: &str,
    target: &Target,
    warmup: usize,
    calls: usize,
    cpu_ns: fn() -> u64,
) -> (Duration, u64) {
    let ours_client = ours::Everruns::builder()
        .api_key(&target.key)
        .base_url(&target.base)
        .build()
        .unwrap();
    let official_client = official::Everruns::with_base_url(target.key.clone(), &target.base).unwrap();
    let http = floor_client();
    let url = format!("{}/v1/agents/{AGENT_ID}", target.base);
    let one = || async {
        match client {
            "ours" => {
                std::hint::black_box(ours_client.agents().get(AGENT_ID).await.unwrap());
            }
            "official" => {
                std::hint::black_box(official_client.agents().get(AGENT_ID).await.unwrap());
            }
            _ => {
                let response = http
                    .get(&url)
                    .header("authorization", &target.key)
                    .send()
                    .await
                    .unwrap();
                let body = response.bytes().await.unwrap();
                std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&body).unwrap());
            }
        }
    };
    for _ in 0..warmup {
        one().await;
    }
    // One clock read before the timed calls and one after: the CPU clock is a file
    // read, which per call would weigh on what is measured.
    let (started, cpu_start) = (Instant::now(), cpu_ns());
    for _ in 0..calls {
        one().await;
    }
    (started.elapsed() / calls as u32, cpu_ns() - cpu_start)
}
