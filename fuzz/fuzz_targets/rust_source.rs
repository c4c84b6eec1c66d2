//! The Rust source analysis on arbitrary bytes as the `src/main.rs` of a Lambda crate: read,
//! pre-scan, parse, collect facts, resolve names, find handlers, trace the invoke path.
//! slint catches panics there and reports them as internal problems, so one is a crash.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use slint::source::ProblemKind;

/// A crate on tmpfs, made once per process; each input overwrites its `src/main.rs`.
static CRATE: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let dir = base.join(format!("slint-fuzz-rs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).expect("temp crate");
    std::fs::write(dir.join("Cargo.toml"), MANIFEST).expect("manifest");
    dir
});

const MANIFEST: &str = r#"[package]
name = "fuzzed"
version = "0.1.0"
edition = "2021"

[dependencies]
lambda_runtime = "0.13"
lambda_http = "0.13"
aws-config = "1"
aws-sdk-dynamodb = "1"
aws-sdk-secretsmanager = "1"
aws-sdk-sqs = "1"
axum = "0.7"
reqwest = "0.12"
sqlx = "0.8"
tokio = "1"

[profile.release]
strip = true
lto = true
codegen-units = 1
"#;

fuzz_target!(|data: &[u8]| {
    std::fs::write(CRATE.join("src/main.rs"), data).expect("write main.rs");
    let model = slint::source::analyse(&[CRATE.join("Cargo.toml")], 0);
    if let Some(crash) = model.problems.iter().find(|p| matches!(p.kind, ProblemKind::Internal(_))) {
        panic!("{:?}: {}", crash.kind, crash.message);
    }
});
