//! End-to-end: the `slint` binary's contract (DESIGN §1): exit codes, formats, selection,
//! config discovery and errors, output files, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn slint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .output()
        .expect("slint runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A fresh folder under the system temp dir for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slint-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const SAMPLE: &str = "testdata/sample-project";

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(slint(root(), &["check", SAMPLE]).status.code(), Some(1));
    assert_eq!(slint(root(), &["check", "testdata/clean-project"]).status.code(), Some(0));
    assert_eq!(slint(root(), &["check", SAMPLE, "--fail-on", "never"]).status.code(), Some(0));
    // SL101 is a warning: with --fail-on error it does not fail the run.
    let warnings_only = slint(root(), &["check", "testdata/SL101/bad.yaml", "--fail-on", "error"]);
    assert_eq!(warnings_only.status.code(), Some(0), "{}", stdout(&warnings_only));
}

#[test]
fn usage_errors_are_exit_2_with_one_line() {
    for args in [
        vec!["check", "does/not/exist.yaml"],
        vec!["check", "--no-such-flag"],
        vec!["check", "--select", "SL999", SAMPLE],
        vec!["check", "--format", "xml", SAMPLE],
        vec!["explain", "no-such-rule"],
    ] {
        let out = slint(root(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?} should print one line, got:\n{err}");
        assert!(err.starts_with("slint: "), "{err}");
        assert!(stdout(&out).is_empty(), "{args:?} printed to stdout");
    }
    let missing = stderr(&slint(root(), &["check", "does/not/exist.yaml"]));
    assert!(missing.contains("does/not/exist.yaml") && missing.contains("no such file"), "{missing}");
}

#[test]
fn select_and_ignore_pick_rules() {
    let only = stdout(&slint(root(), &["check", SAMPLE, "--format", "concise", "--select", "SL301", "--quiet"]));
    assert!(!only.is_empty() && only.lines().all(|l| l.contains(" SL301 ")), "{only}");
    let without = stdout(&slint(root(), &["check", SAMPLE, "--format", "concise", "--ignore", "queues", "--quiet"]));
    assert!(!without.is_empty() && !without.contains(" SL3"), "{without}");
    let by_name = stdout(&slint(
        root(),
        &["check", SAMPLE, "--format", "concise", "--select", "timeout-exceeds-api-limit", "--quiet"],
    ));
    // One finding: both API functions inherit the long timeout from the same `Globals` line.
    assert!(by_name.lines().count() == 1 && by_name.lines().all(|l| l.contains(" SL202 ")), "{by_name}");
}

#[test]
fn config_is_found_upwards_and_validated() {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::copy(root().join(SAMPLE).join("template.yaml"), dir.join("app/template.yaml")).unwrap();
    std::fs::write(dir.join("slint.toml"), "select = [\"SL3\"]\n[rules.SL304]\nseverity = \"warning\"\n").unwrap();
    let out = stdout(&slint(&dir.join("app"), &["check", "--format", "concise", "--quiet"]));
    assert!(out.lines().all(|l| l.contains(" SL3")), "{out}");
    assert!(out.contains("warning SL304"), "the configured severity applies: {out}");
    let ignored = stdout(&slint(&dir.join("app"), &["check", "--format", "concise", "--quiet", "--no-config"]));
    assert!(ignored.contains(" SL202 "), "--no-config ignores the file: {ignored}");

    std::fs::write(dir.join("slint.toml"), "select = [\"SL3\"]\nfail_on = \"error\"\n").unwrap();
    let bad = slint(&dir.join("app"), &["check"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(err.contains("slint.toml:2:1") && err.contains("unknown key `fail_on`"), "{err}");

    std::fs::write(dir.join("slint.toml"), "[rules.SL506x]\nseverity = \"error\"\n").unwrap();
    let err = stderr(&slint(&dir.join("app"), &["check"]));
    assert!(err.contains("unknown rule `SL506x`"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_file_is_the_only_thing_written() {
    let dir = scratch("output");
    let report = dir.join("report.json");
    let out = slint(root(), &["check", SAMPLE, "--format", "json", "--output", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_output_matches_the_documented_schema() {
    let out = stdout(&slint(root(), &["check", SAMPLE, "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let keys: Vec<&str> = findings[0].as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "path",
        "resource",
        "help",
        "related",
    ] {
        assert!(keys.contains(&key), "finding lacks `{key}`: {keys:?}");
    }
    let summary = &json["summary"];
    let count = |k: &str| summary[k].as_u64().unwrap();
    assert_eq!(count("findings"), findings.len() as u64);
    assert_eq!(count("errors") + count("warnings") + count("infos"), count("findings"));
    assert!(count("templates") >= 1 && count("files") >= count("templates"));
}

#[test]
fn output_is_identical_run_to_run() {
    let args = ["check", "testdata", "--format", "json"];
    let first = stdout(&slint(root(), &args));
    for _ in 0..3 {
        assert_eq!(stdout(&slint(root(), &args)), first);
    }
}

#[test]
fn timings_go_to_stderr_phase_by_phase_and_leave_the_report_alone() {
    let args = ["check", "testdata/sample-project", "--format", "concise"];
    let plain = slint(root(), &args);
    let timed = Command::new(env!("CARGO_BIN_EXE_slint"))
        .args(args)
        .current_dir(root())
        .env("SLINT_TIMINGS", "1")
        .output()
        .expect("slint runs");
    assert_eq!(stdout(&timed), stdout(&plain));
    assert_eq!(timed.status.code(), plain.status.code());
    let phases: Vec<String> = stderr(&timed)
        .lines()
        .filter_map(|l| l.strip_prefix("slint timings:"))
        .map(|l| l.split("  ").map(str::trim).filter(|p| !p.is_empty()).nth(1).unwrap_or_default().to_string())
        .collect();
    let expected = [
        "start-up, config and packs",
        "walk (",
        "templates loaded (1 template)",
        "Cargo manifests (1 package)",
        "Rust sources parsed (wave 1:",
        "name resolution (modules, uses, impls)",
        "handlers and invoke paths (3 binaries)",
        "Rust files indexed, functions linked",
        "rules (",
        "report rendered and written",
    ];
    assert_eq!(phases.len(), expected.len(), "{phases:#?}");
    for (phase, start) in phases.iter().zip(expected) {
        assert!(phase.starts_with(start), "{phase} should start with {start}");
    }
    assert!(!stderr(&plain).contains("slint timings"));
}

#[test]
fn named_files_are_always_linted_and_bad_ones_do_not_stop_the_run() {
    let dir = scratch("named");
    std::fs::write(dir.join("workflow.yml"), "on: push\njobs: {}\n").unwrap();
    std::fs::write(dir.join("broken.yaml"), "Resources:\n  A: [\n").unwrap();
    std::fs::copy(root().join("testdata/SL301/bad.yaml"), dir.join("template.yaml")).unwrap();
    let out = slint(&dir, &["check", "workflow.yml", "broken.yaml", "template.yaml", "--format", "concise"]);
    let text = stdout(&out);
    assert!(text.contains("broken.yaml:3:1: error SL001"), "{text}");
    assert!(text.contains("template.yaml:24:24: warning SL301"), "{text}");
    assert!(!text.contains("workflow.yml"), "{text}");
    assert!(text.contains(". 3 files checked ("), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = stdout(&slint(root(), &["check", SAMPLE]));
    assert!(!plain.contains('\u{1b}'), "piped output has no colour");
    let coloured = stdout(&slint(root(), &["check", SAMPLE, "--color", "always"]));
    assert!(coloured.contains('\u{1b}'));
}

#[test]
fn rules_and_explain_document_every_rule() {
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&slint(root(), &["rules", "--format", "json"]))).unwrap();
    let codes: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), slint::rules::registry::RULES.len());
    for code in codes {
        let doc = stdout(&slint(root(), &["explain", code]));
        assert!(doc.starts_with(&format!("# {code} ")) && doc.contains("## Why is this bad?"), "{doc}");
    }
    let by_name = stdout(&slint(root(), &["explain", "queue-without-dlq"]));
    assert!(by_name.starts_with("# SL303 queue-without-dlq"));
}

/// One snapshot per output format, on the sample project.
#[test]
fn every_format_on_the_sample_project() {
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = stdout(&slint(root(), &["check", SAMPLE, "--format", format]));
        let out = out.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("sample_{format}"), out);
    }
}

#[test]
fn a_panicking_rule_costs_one_finding_not_the_run() {
    let out = Command::new(env!("CARGO_BIN_EXE_slint"))
        .args(["check", "testdata/SL101/bad.yaml", "testdata/SL301/bad.yaml", "--format", "concise"])
        .current_dir(root())
        .env("SLINT_INTERNAL_PANIC", "SL101")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "testdata/SL101/bad.yaml:1:1: error SL004 internal error: rule SL101 (uncapped-async-consumer) panicked"
        ),
        "{text}"
    );
    assert!(text.contains("testdata/SL301/bad.yaml:24:24: warning SL301"), "other rules and files still run: {text}");
    assert!(stderr(&out).is_empty(), "a caught panic prints nothing: {}", stderr(&out));
}

#[test]
fn a_panicking_parser_or_model_costs_one_finding_naming_the_stage() {
    // A project of its own (a `slint.toml` marks its root), so that "files checked" counts
    // exactly the two templates and not the repository around them.
    let dir = scratch("panicking-stage");
    std::fs::write(dir.join("slint.toml"), "").unwrap();
    for (code, name) in [("SL101", "a.yaml"), ("SL301", "b.yaml")] {
        std::fs::copy(root().join(format!("testdata/{code}/bad.yaml")), dir.join(name)).unwrap();
    }
    for (stage, named) in [("parser", "YAML parser"), ("model", "template model")] {
        let out = Command::new(env!("CARGO_BIN_EXE_slint"))
            .args(["check", "a.yaml", "b.yaml", "--format", "concise"])
            .current_dir(&dir)
            .env("SLINT_INTERNAL_PANIC", stage)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        for file in ["a.yaml", "b.yaml"] {
            let line = format!(
                "{file}:1:1: error SL004 internal error: the {named} panicked on this file: injected by \
                 SLINT_INTERNAL_PANIC for testing"
            );
            assert!(text.lines().any(|l| l == line), "{text}");
        }
        assert!(text.contains(". 2 files checked ("), "both files are still counted: {text}");
        assert!(stderr(&out).is_empty(), "a caught panic prints nothing: {}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
