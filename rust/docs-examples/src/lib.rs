//! The Rust examples of the documentation, compiled and run against the local server.
//!
//! `scripts/docs_examples.py` (run by `make test-docs`) writes every ```rust block of
//! README.md and docs/*.md as a program under `src/bin/` (git-ignored), builds them with
//! `cargo build -p everruns-docs-examples --bins` and runs each one. This library is empty.
