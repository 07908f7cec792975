//! `examples/basic.rs`, the seed quick start, is the README's Rust quick start byte for
//! byte, and runs as written against the local server.

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

/// The ```rust block after "Rust:" in the README's "## Quick start" section, each line
/// ending in `\n` (as the file does).
fn readme_rust_quick_start(readme: &str) -> Option<String> {
    let section = readme.split("\n## Quick start\n").nth(1)?;
    let section = section.split("\n## ").next()?;
    let after = section.split("\nRust:\n").nth(1)?;
    let body = after.trim_start_matches('\n').strip_prefix("```rust\n")?;
    let end = body.find("\n```\n")?;
    Some(format!("{}\n", &body[..end]))
}

#[test]
fn basic_rs_is_the_readme_quick_start_byte_for_byte() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(manifest.join("../README.md")).expect("README.md");
    let basic = std::fs::read_to_string(manifest.join("examples/basic.rs")).expect("basic.rs");
    let quick_start = readme_rust_quick_start(&readme).expect("a Rust quick start in README.md");
    assert!(quick_start.contains("client.events().stream(&session.id)"));
    if basic != quick_start {
        let first = basic
            .lines()
            .zip(quick_start.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || "the line count".to_owned(),
                |n| format!("line {}", n + 1),
            );
        panic!("examples/basic.rs differs from the README's Rust quick start at {first}");
    }
}

#[test]
fn the_readme_block_is_found_only_where_it_should_be() {
    let readme = "# X\n\n## Quick start\n\nRust:\n\n```rust\nfn main() {}\n```\n\n## More\n";
    assert_eq!(
        readme_rust_quick_start(readme).as_deref(),
        Some("fn main() {}\n")
    );
    let elsewhere =
        "## Quick start\n\nPython:\n\n## Other\n\nRust:\n\n```rust\nfn main() {}\n```\n";
    assert_eq!(readme_rust_quick_start(elsewhere), None);
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
