//! Runs every case in `testdata/<CODE>/` and pins its findings of that rule.
//!
//! A case is a file or a folder whose name starts with `good` or `bad`:
//! - `good*` must produce no finding of the rule;
//! - `bad*` must produce at least one, exactly the findings of `<case>.expected`, and exactly
//!   on the lines marked with a `# expect: CODE` (YAML, TOML) or `// expect: CODE` (Rust)
//!   comment. Each finding is pinned whole: `file:line:col: severity CODE message`, then
//!   indented `help: ...` and one `related: file:line:col: message` per related location.
//!
//! `SLINT_BLESS=1 cargo test --test fixtures` rewrites the `.expected` files; review the diff.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use slint::settings::Settings;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Rule folders: `testdata/SL101`, ...
fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(testdata())
        .expect("testdata/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.file_name().and_then(|n| n.to_str()).is_some_and(is_rule_code))
        .collect();
    dirs.sort();
    dirs
}

fn is_rule_code(name: &str) -> bool {
    name.len() == 5 && name.starts_with("SL") && name[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Cases of a rule folder, sorted.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("rule folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.starts_with("good") || name.starts_with("bad")) && !name.ends_with(".expected")
        })
        .collect();
    cases.sort();
    cases
}

/// The case's findings of `code`, one block each (see the module doc), paths relative to the
/// rule folder.
fn findings_of(code: &str, dir: &Path, case: &Path) -> Vec<String> {
    let mut settings = Settings::new(dir.to_path_buf(), slint::rules::registry::catalog());
    // A case folder may carry its own `slint.toml` (accounts, declared loads, mappings).
    // SL004 is an internal error: its bad cases make a rule panic on purpose.
    let is_bad = case.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bad"));
    if code == "SL004" && is_bad {
        settings.inject_panic = Some("SL101".to_string());
    }
    let config = case.join("slint.toml");
    if config.is_file() {
        let loaded = slint::config::load(&config).expect("fixture config loads");
        settings.apply_config(&loaded).expect("fixture config applies");
    }
    let outcome = slint::check(&[case.to_path_buf()], &settings).expect("fixture runs");
    outcome.report.findings.iter().filter(|f| f.code == code).map(|f| pinned(f, &outcome.project.db)).collect()
}

/// A finding as its `.expected` block: the concise line, its help and its related locations.
fn pinned(finding: &slint::diagnostic::Finding, db: &slint::files::SourceDb) -> String {
    let at = |file: slint::files::FileId, span: slint::span::Span| {
        let file = db.get(file);
        let (start, _) = file.range(span);
        format!("{}:{}:{}", file.display, start.line, start.column)
    };
    let mut block =
        format!("{}: {} {} {}", at(finding.file, finding.span), finding.severity, finding.code, finding.message);
    if let Some(help) = &finding.help {
        block.push_str(&format!("\n  help: {help}"));
    }
    for related in &finding.related {
        block.push_str(&format!("\n  related: {}: {}", at(related.file, related.span), related.message));
    }
    block
}

/// `(file, line)` of every `# expect: CODE` comment in the YAML, TOML and Rust files of a case.
fn expected_markers(code: &str, dir: &Path, case: &Path) -> BTreeSet<(String, u32)> {
    let mut files = Vec::new();
    if case.is_dir() {
        collect_files(case, &mut files);
    } else {
        files.push(case.to_path_buf());
    }
    let mut markers = BTreeSet::new();
    for file in
        files.iter().filter(|f| f.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "toml" || e == "rs"))
    {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let rel = file.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            let marker = line.split_once("# expect:").or_else(|| line.split_once("// expect:"));
            if let Some((_, codes)) = marker {
                if codes.split(',').any(|c| c.trim() == code) {
                    markers.insert((rel.clone(), i as u32 + 1));
                }
            }
        }
    }
    markers
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn lines_of(findings: &[String]) -> BTreeSet<(String, u32)> {
    findings
        .iter()
        .map(|f| {
            // The first line of a block is the finding's own location.
            let mut parts = f.splitn(3, ':');
            (parts.next().unwrap().to_string(), parts.next().unwrap().parse().unwrap())
        })
        .collect()
}

#[test]
fn every_rule_fixture() {
    let bless = std::env::var_os("SLINT_BLESS").is_some();
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in rule_dirs() {
        let code = dir.file_name().unwrap().to_str().unwrap().to_string();
        let cases = cases(&dir);
        assert!(cases.iter().any(|c| name(c).starts_with("good")), "{code} has no good case");
        assert!(cases.iter().any(|c| name(c).starts_with("bad")), "{code} has no bad case");
        for case in cases {
            checked += 1;
            let found = findings_of(&code, &dir, &case);
            let case_name = name(&case);
            if case_name.starts_with("good") {
                if !found.is_empty() {
                    failures.push(format!("{code}/{case_name} should be clean but reports:\n  {}", found.join("\n  ")));
                }
                continue;
            }
            if found.is_empty() {
                failures.push(format!("{code}/{case_name} should report {code} but reports nothing"));
                continue;
            }
            let markers = expected_markers(&code, &dir, &case);
            if !markers.is_empty() && markers != lines_of(&found) {
                failures.push(format!(
                    "{code}/{case_name}: `# expect` markers {markers:?} differ from findings:\n  {}",
                    found.join("\n  ")
                ));
            }
            let expected_path = dir.join(format!("{case_name}.expected"));
            let actual = format!("{}\n", found.join("\n"));
            if bless {
                std::fs::write(&expected_path, &actual).unwrap();
                continue;
            }
            match std::fs::read_to_string(&expected_path) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "{code}/{case_name}: findings differ from {case_name}.expected\n--- expected\n{expected}--- actual\n{actual}"
                )),
                Err(_) => failures.push(format!("{code}/{case_name}: missing {case_name}.expected (run with SLINT_BLESS=1)\n{actual}")),
            }
        }
    }
    assert!(checked > 0, "no fixtures found");
    assert!(failures.is_empty(), "{} fixture failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
