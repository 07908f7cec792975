//! `make -C rust bench`: this SDK vs the official crate vs a reqwest floor, against the
//! Python benchmark's loopback SSE server (`python -m benchmarks._server`, the same
//! pre-rendered payloads as the Python benchmark).
//!
//! Each measurement runs in a fresh process (`--measure CLIENT SCENARIO`), so peak
//! memory is its own; clients are interleaved round by round (the order rotating each
//! round) and the median of the rounds is kept. Besides wall-clock rates, each
//! measurement reports the CPU time of its own (single) thread, which a busy machine
//! disturbs far less than the wall clock.

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
/// GET: timed calls per measurement, after untimed ones that warm the connection, the
/// allocator and the caches (one call of ~20 us is too short to time alone).
const CALLS: usize = 5_000;
const WARMUP: usize = 200;

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time of the calling thread so far, in nanoseconds (0 when unknown).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// One measurement in this process; prints `value rss_kb cpu_ns_per_unit`.
fn measure(client: &str, scenario: &str, target: Target) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (value, cpu) = runtime.block_on(async {
        match scenario {
            "stream" => {
                clients::stream(client, &target, 2_000).await; // warm-up
                let (started, cpu) = (Instant::now(), thread_cpu_ns());
                let n = clients::stream(client, &target, EVENTS).await;
                let cpu = (thread_cpu_ns() - cpu) as f64 / n as f64;
                (n as f64 / started.elapsed().as_secs_f64(), cpu)
            }
            "concurrent" => {
                let (started, cpu) = (Instant::now(), thread_cpu_ns());
                let n = clients::concurrent(client, &target, STREAMS, PER_STREAM).await;
                let cpu = (thread_cpu_ns() - cpu) as f64 / n as f64;
                (n as f64 / started.elapsed().as_secs_f64(), cpu)
            }
            _ => {
                let (mean, cpu) = clients::get(client, &target, WARMUP, CALLS, thread_cpu_ns).await;
                (mean.as_secs_f64() * 1e6, cpu as f64 / CALLS as f64 / 1e3)
            }
        }
    });
    println!("{value} {} {cpu}", peak_rss_kb());
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The medians of one scenario: [value, peak RSS MiB, CPU per unit] per client.
type Medians = [[f64; 3]; 3];

/// Run `rounds` interleaved rounds of `scenario`; a failed measurement is reported
/// and left out (its median is of the rounds that worked).
fn run_scenario(me: &std::path::Path, base: &str, scenario: &str, rounds: usize) -> Medians {
    let mut samples: Vec<[Vec<f64>; 3]> = (0..3).map(|_| Default::default()).collect();
    for round in 0..rounds {
        for k in 0..CLIENTS.len() {
            let i = (round + k) % CLIENTS.len();
            let client = CLIENTS[i];
            let out = Command::new(me)
                .args(["--measure", client, scenario, base])
                .output();
            let out = match out {
                Ok(out) => out,
                Err(e) => {
                    eprintln!("{client} {scenario}: cannot start the measurement: {e}");
                    continue;
                }
            };
            let text = String::from_utf8_lossy(&out.stdout);
            let parsed: Vec<f64> = text.split_whitespace().filter_map(|v| v.parse().ok()).collect();
            match (out.status.success(), parsed.as_slice()) {
                (true, [value, rss_kb, cpu]) => {
                    samples[i][0].push(*value);
                    samples[i][1].push(rss_kb / 1024.0);
                    samples[i][2].push(*cpu);
                }
                _ => eprintln!(
                    "{client} {scenario} (round {}) failed: {}",
                    round + 1,
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            }
        }
    }
    let mut medians = [[f64::NAN; 3]; 3];
    for (i, client) in samples.into_iter().enumerate() {
        for (j, values) in client.into_iter().enumerate() {
            medians[i][j] = median(values);
        }
    }
    medians
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--measure") && args.len() == 5 {
        let target = Target {
            base: args[4].clone(),
            key: "evr_bench".into(),
        };
        return measure(&args[2], &args[3], target);
    }
    if args.get(1).map(String::as_str) == Some("--serve") && args.len() == 3 {
        return server::serve(&args[2]);
    }
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0)
        .unwrap_or(5);
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../../python");
    let dir = std::env::temp_dir().join(format!("everruns-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let dump = format!(
        "import json; from benchmarks import _payloads as p; b, o = p.render_events({EVENTS}); d = {:?}; \
         open(d + '/events.bin', 'wb').write(b); json.dump(o, open(d + '/offsets.json', 'w')); \
         open(d + '/agent.json', 'wb').write(p.agent_json())",
        dir.display().to_string()
    );
    let status = Command::new(format!("{python}/.venv/bin/python"))
        .args(["-c", &dump])
        .current_dir(python)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("cannot render the payloads (make -C python install)");
        std::process::exit(1);
    }
    let me = std::env::current_exe().expect("the benchmark's own path");
    let mut server = Command::new(&me)
        .args(["--serve", &dir.display().to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the benchmark server");
    let mut line = String::new();
    let port = server
        .stdout
        .take()
        .map(|out| BufReader::new(out).read_line(&mut line));
    if !matches!(port, Some(Ok(n)) if n > 0) {
        eprintln!("the benchmark server did not start");
        let _ = server.kill();
        std::process::exit(1);
    }
    let base = format!("http://127.0.0.1:{}/api", line.trim());
    println!("loopback server on {base}, payloads of python/benchmarks/_payloads.py, {rounds} rounds");
    // BENCH_ONLY=get (or stream, concurrent; comma-separated) runs only those.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let run = |scenario: &str| {
        if only.is_empty() || only.split(',').any(|o| o.trim() == scenario) {
            run_scenario(&me, &base, scenario, rounds)
        } else {
            [[f64::NAN; 3]; 3]
        }
    };
    let stream = run("stream");
    let concurrent = run("concurrent");
    let get = run("get");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);

    let column = |m: &Medians, j: usize| [m[0][j], m[1][j], m[2][j]];
    let rows: [(&str, [f64; 3], &str); 7] = [
        ("1 stream of 100,000: events/s", column(&stream, 0), ">= 0.95"),
        ("200 streams x 2,000: events/s", column(&concurrent, 0), ">= 0.90"),
        ("200 streams: peak RSS MiB", column(&concurrent, 1), "<= 1.20"),
        ("GET /v1/agents/{id}: us", column(&get, 0), "<= 1.05"),
        ("1 stream: client CPU ns/event", column(&stream, 2), "(info)"),
        (
            "200 streams: client CPU ns/event",
            column(&concurrent, 2),
            "(info)",
        ),
        ("GET: client CPU us/call", column(&get, 2), "(info)"),
    ];
    println!();
    println!(
        "| median of {rounds} | ours | official | floor | ours/floor | official/floor | target ours/floor |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (label, [ours, official, floor], target) in rows {
        let digits = if floor < 100.0 { 1 } else { 0 };
        println!(
            "| {label} | {ours:.digits$} | {official:.digits$} | {floor:.digits$} | {:.3} | {:.3} | {target} |",
            ours / floor,
            official / floor,
        );
    }
    println!();
    println!("events/s: higher is better; RSS, GET time and CPU: lower is better.");
}
