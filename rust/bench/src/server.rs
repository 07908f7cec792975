//! The loopback server of the benchmark, in its own process (`--serve DIR`): it serves
//! the Python benchmark's pre-rendered payloads (`benchmarks/_payloads.py`, dumped to
//! DIR once) and only copies bytes, so the clients are what is measured.
//!
//! - `GET /api/v1/sessions/session_<count in hex>/sse`: `connected`, then the first
//!   `count` events, chunked, 64 KiB per write, then the end of the body;
//! - `GET /api/v1/agents/{id}`: the Agent, keep-alive.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CHUNK: usize = 64 * 1024;
const CONNECTED: &[u8] = b"retry: 100\nevent: connected\ndata: {\"status\":\"connected\"}\n\n";

struct Content {
    events: Vec<u8>,
    offsets: Vec<usize>,
    agent: Vec<u8>,
}

pub fn serve(dir: &str) {
    let content = Arc::new(Content {
        events: std::fs::read(format!("{dir}/events.bin")).expect("events.bin"),
        offsets: serde_json::from_slice(&std::fs::read(format!("{dir}/offsets.json")).expect("offsets"))
            .unwrap(),
        agent: std::fs::read(format!("{dir}/agent.json")).expect("agent.json"),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("{}", listener.local_addr().unwrap().port());
        loop {
            // A failed accept (a client that gave up, a full descriptor table) or a
            // socket option refused by a connection already reset must not end the
            // server: every later measurement would fail.
            let Ok((socket, _)) = listener.accept().await else {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                continue;
            };
            let _ = socket.set_nodelay(true);
            tokio::spawn(handle(socket, Arc::clone(&content)));
        }
    });
}

async fn handle(mut socket: TcpStream, content: Arc<Content>) {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let path = head
            .split(' ')
            .nth(1)
            .unwrap_or("")
            .split('?')
            .next()
            .unwrap_or("")
            .to_owned();
        if let Some(rest) = path.strip_prefix("/api/v1/sessions/session_") {
            let count = usize::from_str_radix(rest.trim_end_matches("/sse"), 16)
                .unwrap_or(0)
                .min(content.offsets.len());
            let end = if count == 0 { 0 } else { content.offsets[count - 1] };
            let _ = stream(&mut socket, &content.events[..end]).await;
            return;
        }
        let (status, body): (&str, &[u8]) = if path.starts_with("/api/v1/agents/") {
            ("200 OK", &content.agent)
        } else {
            ("404 Not Found", b"{}")
        };
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: req_bench\r\n\r\n",
            body.len()
        );
        if socket.write_all(&[head.as_bytes(), body].concat()).await.is_err() {
            return;
        }
    }
}

async fn stream(socket: &mut TcpStream, events: &[u8]) -> std::io::Result<()> {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\
                transfer-encoding: chunked\r\nconnection: close\r\nx-request-id: req_bench\r\n\r\n";
    socket
        .write_all(
            &[
                head.as_bytes(),
                format!("{:x}\r\n", CONNECTED.len()).as_bytes(),
                CONNECTED,
                b"\r\n",
            ]
            .concat(),
        )
        .await?;
    for piece in events.chunks(CHUNK) {
        socket
            .write_all(&[format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat())
            .await?;
    }
    socket.write_all(b"0\r\n\r\n").await?;
    socket.shutdown().await
}
