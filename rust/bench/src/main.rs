//! `make -C rust bench`: this SDK vs the official crate vs a reqwest floor, against the
//! Python benchmark's loopback SSE server (`python -m benchmarks._server`, the same
//! pre-rendered payloads as the Python benchmark).
//!
//! Each measurement runs in a fresh process (`--measure CLIENT SCENARIO`), so peak
//! memory is its own; clients are interleaved round by round (the order rotating each
//! round) and the median of the rounds is kept; a ratio is the median of the rounds'
//! ratios (each of ours or the official crate's over the floor's of the same round).
//! Besides wall-clock rates, each measurement reports the CPU time of its own (single)
//! thread, which a busy machine disturbs far less than the wall clock.

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

/// The median of the finite values (a failed round is NaN).
fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The rounds of one scenario: per client, per figure (value, peak RSS MiB, CPU per
/// unit), one value per round (NaN where the measurement failed).
type Rounds = [[Vec<f64>; 3]; 3];

/// Run `rounds` interleaved rounds of `scenario`; a failed measurement is reported
/// and left out (its medians are of the rounds that worked).
fn run_scenario(me: &std::path::Path, base: &str, scenario: &str, rounds: usize) -> Rounds {
    let mut samples = Rounds::default();
    for round in 0..rounds {
        for client in samples.iter_mut() {
            for figure in client.iter_mut() {
                figure.push(f64::NAN);
            }
        }
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
                    samples[i][0][round] = *value;
                    samples[i][1][round] = rss_kb / 1024.0;
                    samples[i][2][round] = *cpu;
                }
                _ => eprintln!(
                    "{client} {scenario} (round {}) failed: {}",
                    round + 1,
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            }
        }
    }
    samples
}

/// One row of the table: the medians of `figure` for each client, then the medians of
/// the per-round ratios ours/floor and official/floor (the clients of a round run in
/// turn within seconds, so a slow spell of a shared machine mostly weighs on all three,
/// where it can move one client's median alone).
fn row(rounds: &Rounds, figure: usize) -> [f64; 5] {
    let ratio = |client: usize| {
        let pairs = rounds[client][figure].iter().zip(&rounds[2][figure]);
        median(pairs.map(|(c, floor)| c / floor))
    };
    [
        median(rounds[0][figure].iter().copied()),
        median(rounds[1][figure].iter().copied()),
        median(rounds[2][figure].iter().copied()),
        ratio(0),
        ratio(1),
    ]
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
            Rounds::default()
        }
    };
    let stream = run("stream");
    let concurrent = run("concurrent");
    let get = run("get");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);

    let rows: [(&str, [f64; 5], &str); 7] = [
        ("1 stream of 100,000: events/s", row(&stream, 0), ">= 0.95"),
        ("200 streams x 2,000: events/s", row(&concurrent, 0), ">= 0.90"),
        ("200 streams: peak RSS MiB", row(&concurrent, 1), "<= 1.20"),
        ("GET /v1/agents/{id}: us", row(&get, 0), "<= 1.05"),
        ("1 stream: client CPU ns/event", row(&stream, 2), "(info)"),
        ("200 streams: client CPU ns/event", row(&concurrent, 2), "(info)"),
        ("GET: client CPU us/call", row(&get, 2), "(info)"),
    ];
    println!();
    println!(
        "| median of {rounds} rounds | ours | official | floor | ours/floor | official/floor | target ours/floor |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (label, [ours, official, floor, ours_ratio, official_ratio], target) in rows {
        let digits = if floor < 100.0 { 1 } else { 0 };
        println!(
            "| {label} | {ours:.digits$} | {official:.digits$} | {floor:.digits$} | {ours_ratio:.3} | {official_ratio:.3} | {target} |",
        );
    }
    println!();
    println!("events/s: higher is better; RSS, GET time and CPU: lower is better.");
    println!("Ratios: the median of each round's ratio (a round runs the three clients in turn).");
}
