//! `make -C rust bench`: this SDK vs the official crate vs a reqwest floor, against the
//! Python benchmark's loopback SSE server (`python -m benchmarks._server`, the same
//! pre-rendered payloads as the Python benchmark).
//!
//! Each measurement runs in a fresh process (`--measure CLIENT SCENARIO`), so peak
//! memory is its own; clients are interleaved round by round and the median is kept.

mod clients;
mod server;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use clients::Target;

const CLIENTS: [&str; 3] = ["ours", "official", "floor"];
const EVENTS: usize = 100_000;
const STREAMS: usize = 200;
const PER_STREAM: usize = 2_000;
const CALLS: usize = 1_000;

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.split_whitespace().next()?.parse().ok()).unwrap_or(0)
}

/// One measurement in this process; prints `value rss_kb`.
fn measure(client: &str, scenario: &str, target: Target) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let value = runtime.block_on(async {
        match scenario {
            "stream" => {
                clients::stream(client, &target, 2_000).await; // warm-up
                let started = Instant::now();
                let n = clients::stream(client, &target, EVENTS).await;
                n as f64 / started.elapsed().as_secs_f64()
            }
            "concurrent" => {
                let started = Instant::now();
                let n = clients::concurrent(client, &target, STREAMS, PER_STREAM).await;
                n as f64 / started.elapsed().as_secs_f64()
            }
            _ => clients::get(client, &target, CALLS).await.as_secs_f64() * 1e6,
        }
    });
    println!("{value} {}", peak_rss_kb());
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--measure") {
        let target = Target { base: args[4].clone(), key: "evr_bench".into() };
        return measure(&args[2], &args[3], target);
    }
    if args.get(1).map(String::as_str) == Some("--serve") {
        return server::serve(&args[2]);
    }
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../../python");
    let dir = std::env::temp_dir().join(format!("everruns-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dump = format!(
        "import json; from benchmarks import _payloads as p; b, o = p.render_events({EVENTS}); d = {:?}; \
         open(d + '/events.bin', 'wb').write(b); json.dump(o, open(d + '/offsets.json', 'w')); \
         open(d + '/agent.json', 'wb').write(p.agent_json())",
        dir.display().to_string()
    );
    let status = Command::new(format!("{python}/.venv/bin/python")).args(["-c", &dump]).current_dir(python).status();
    assert!(status.is_ok_and(|s| s.success()), "cannot render the payloads (make -C python install)");
    let me = std::env::current_exe().unwrap();
    let mut server = Command::new(&me)
        .args(["--serve", &dir.display().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the benchmark server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = format!("http://127.0.0.1:{}/api", line.trim());
    println!("loopback server on {base}, payloads of python/benchmarks/_payloads.py");
    let scenarios = [("stream", "events/s, 1 stream of 100,000"), ("concurrent", "events/s, 200 streams x 2,000"), ("get", "us per GET /v1/agents/{id}")];
    let mut table = Vec::new();
    for (scenario, label) in scenarios {
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); 3];
        let mut rss: Vec<Vec<f64>> = vec![Vec::new(); 3];
        for _ in 0..rounds {
            for (i, client) in CLIENTS.iter().enumerate() {
                let out = Command::new(&me).args(["--measure", client, scenario, &base]).output().unwrap();
                let text = String::from_utf8_lossy(&out.stdout);
                let mut parts = text.split_whitespace();
                match (parts.next().and_then(|v| v.parse().ok()), parts.next().and_then(|v| v.parse().ok())) {
                    (Some(v), Some(m)) => {
                        values[i].push(v);
                        rss[i].push(m);
                    }
                    _ => eprintln!("{client} {scenario} failed: {}", String::from_utf8_lossy(&out.stderr)),
                }
            }
        }
        let med: Vec<f64> = values.into_iter().map(|v| if v.is_empty() { f64::NAN } else { median(v) }).collect();
        let mem: Vec<f64> = rss.into_iter().map(|v| if v.is_empty() { f64::NAN } else { median(v) / 1024.0 }).collect();
        table.push((label, med, mem));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    println!("\n| scenario | ours | official | floor | ours/floor | official/floor | peak RSS MiB (ours / official / floor) |");
    println!("|---|---|---|---|---|---|---|");
    for (label, v, m) in table {
        println!(
            "| {label} | {:.0} | {:.0} | {:.0} | {:.3} | {:.3} | {:.1} / {:.1} / {:.1} |",
            v[0], v[1], v[2], v[0] / v[2], v[1] / v[2], m[0], m[1], m[2]
        );
    }
    println!("\n(events/s: higher is better, target ours/floor >= 0.95 for one stream, >= 0.9 for 200;");
    println!(" GET: lower is better, target ours/floor <= 1.05; memory for 200 streams: ours <= 1.2x floor)");
}
