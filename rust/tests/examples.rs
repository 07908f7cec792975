//! `examples/basic.rs`, the seed quick start, runs as written against the local server.

mod common;

use std::path::PathBuf;
use std::process::Command;

/// The example binaries cargo built next to this test (`cargo test` builds examples).
fn example(name: &str) -> PathBuf {
    let deps = std::env::current_exe().expect("test exe");
    let dir = deps
        .parent()
        .and_then(|d| d.parent())
        .expect("target dir")
        .join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing: run plain `cargo test` (it builds the examples; `--all-targets` builds them as tests)", path.display());
    path
}

#[test]
fn the_quick_start_prints_a_whole_turn() {
    let server = common::Server::shared();
    let output = Command::new(example("basic"))
        .env("EVERRUNS_API_URL", &server.url)
        .env("EVERRUNS_API_KEY", &server.api_key)
        .output()
        .expect("run the example");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.first(), Some(&"input.message"));
    assert_eq!(lines.last(), Some(&"turn.completed"));
    assert!(lines.contains(&"output.message.delta"), "{lines:?}");
}

#[test]
fn the_quick_start_fails_clearly_without_a_key() {
    let output = Command::new(example("basic"))
        .env_remove("EVERRUNS_API_KEY")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("EVERRUNS_API_KEY"), "{stderr}");
}
