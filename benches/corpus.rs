//! `cargo bench --bench corpus [-- PATH [RUNS]]`: how long `slint check` takes on a folder
//! of templates (default: the 559 templates of `../shared/corpus/serverless-patterns`),
//! next to the floor of merely reading, and reading plus parsing, the same files, measured
//! in the same run. Prints the median, min and max of RUNS runs (default 21) of each stage.
//!
//! A benchmark, not a test: it asserts nothing and CI does not run it.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

mod common;
use common::{measure, median, ms};

use rayon::prelude::*;
use slint::discover::{Exclude, InputKind, discover};
use slint::model::load::{decode, detect_format, load};
use slint::model::tree::Limits;
use slint::settings::Settings;

// The same allocator as the `slint` binary, so that in-process stages compare with it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = args.first().map(PathBuf::from).unwrap_or_else(|| root.join("../shared/corpus/serverless-patterns"));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(21);
    let cwd = std::env::current_dir().unwrap();
    let files: Vec<PathBuf> = discover(std::slice::from_ref(&corpus), &cwd, &Exclude::default())
        .expect("the corpus exists")
        .inputs
        .into_iter()
        .filter(|i| i.kind == InputKind::Document)
        .map(|i| i.path)
        .collect();
    println!(
        "{} candidate files under {}, {runs} runs each, {} threads",
        files.len(),
        corpus.display(),
        rayon::current_num_threads()
    );

    let walk = measure(runs, || {
        let found = discover(std::slice::from_ref(&corpus), &cwd, &Exclude::default()).expect("walk");
        assert!(!found.inputs.is_empty());
    });
    let read = measure(runs, || {
        files.par_iter().map(|f| std::fs::read(f).map(|b| b.len()).unwrap_or(0)).sum::<usize>();
    });
    let parse = measure(runs, || {
        files.par_iter().for_each(|f| {
            let bytes = std::fs::read(f).unwrap_or_default();
            if let Ok(text) = decode(&bytes) {
                let _ = load(text, detect_format(f, text), Limits::default());
            }
        });
    });
    let settings = Settings::new(cwd.clone(), slint::rules::registry::catalog());
    let check = measure(runs, || {
        let outcome = slint::check(std::slice::from_ref(&corpus), &settings).expect("check runs");
        assert!(outcome.report.summary.files > 0);
    });
    let binary = env!("CARGO_BIN_EXE_slint");
    let process = measure(runs, || {
        let out = Command::new(binary)
            .args(["check", "--format", "concise", "--fail-on", "never"])
            .arg(&corpus)
            .output()
            .expect("slint runs");
        assert!(out.status.success());
    });

    report("walk only (discover)", &walk);
    report("read all files (rayon)", &read);
    report("read + parse (YAML/JSON trees)", &parse);
    report("slint::check (walk, parse, model, rules)", &check);
    report("`slint check` process (+ start, render)", &process);
    let ratio = |stage: &[Duration]| median(stage).as_secs_f64() / median(&parse).as_secs_f64();
    println!("ratio to read + parse: slint::check {:.2}, the process {:.2}", ratio(&check), ratio(&process));
}

fn report(label: &str, times: &[Duration]) {
    println!(
        "{label:<45} median {:>7.2} ms   min {:>7.2} ms   max {:>7.2} ms",
        ms(median(times)),
        ms(*times.iter().min().unwrap()),
        ms(*times.iter().max().unwrap())
    );
}
