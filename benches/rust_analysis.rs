//! How close the Rust analysis stays to the parse floor.
//!
//! `cargo bench --bench rust_analysis -- PATH [ROUNDS]` times, in interleaved rounds on the same
//! tree of real crates:
//! - **floor**: reading every `.rs` file under PATH and parsing it with `syn`, in parallel (what
//!   any analysis of the code must at least do);
//! - **slint**: the whole `slint check PATH` (walk, manifests, parsing, fact collection, name
//!   resolution, the reachability walk of every binary, rules), in process.
//!
//! It prints each median and their ratio. The issue that set the target asks for a ratio under
//! 1.6 on a tree like the aws-lambda-rust-runtime examples plus a book's code samples.

// Only `median` and `ms` are used here; the others serve the other benches.
#[allow(dead_code)]
mod common;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use slint::settings::Settings;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench rust_analysis -- PATH [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(11);
    let files = rust_files(&root);
    let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    println!("{}: {} .rs files, {} KB, {rounds} interleaved rounds", root.display(), files.len(), bytes / 1024);
    let settings =
        Settings::new(std::env::current_dir().expect("a current directory"), slint::rules::registry::catalog());
    let (mut floor, mut full) = (Vec::new(), Vec::new());
    // One warm-up of each: the file cache and the allocator.
    parse_all(&files);
    run_slint(&root, &settings);
    for _ in 0..rounds {
        floor.push(timed(|| parse_all(&files)));
        full.push(timed(|| run_slint(&root, &settings)));
    }
    let (floor, full) = (common::median(&floor), common::median(&full));
    println!("floor (read + syn parse, parallel): {:8.1} ms", common::ms(floor));
    println!("slint check:                        {:8.1} ms", common::ms(full));
    println!("ratio:                              {:8.2}x", full.as_secs_f64() / floor.as_secs_f64());
}

fn timed(f: impl FnOnce()) -> std::time::Duration {
    let start = std::time::Instant::now();
    f();
    start.elapsed()
}

fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.is_file())
        .collect();
    out.sort();
    out
}

/// Reads and parses every file on the rayon pool; the parsed trees are dropped.
fn parse_all(files: &[PathBuf]) {
    let parsed: usize = files
        .par_iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .filter(|text| syn::parse_file(text).is_ok())
        .count();
    std::hint::black_box(parsed);
}

fn run_slint(root: &Path, settings: &Settings) {
    let outcome = slint::check(&[root.to_path_buf()], settings).expect("slint check runs");
    std::hint::black_box(outcome.report.findings.len());
}
