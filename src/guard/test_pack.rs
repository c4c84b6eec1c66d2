//! `slint test-pack`: runs a pack's Guard unit tests, the files `cfn-guard test` reads:
//!
//! ```yaml
//! - name: a function on arm64 passes
//!   input: { Resources: { Fn: { Type: AWS::Serverless::Function, Properties: { Architectures: [arm64] } } } }
//!   expectations:
//!     rules:
//!       FUNCTIONS_ON_ARM64: PASS    # PASS, FAIL or SKIP
//! ```
//!
//! cfn-guard's `TestBuilder` only takes file paths and evaluates each `input` as written, so a
//! test of a function inheriting from `Globals` would disagree with `slint check`. Here every
//! input that is a template goes through the same view as `slint check` (Globals merged, short
//! forms resolved) and the same `Validate` call; other inputs (`{}`) go to Guard as written.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::files::{FileId, display_path};
use crate::guard::eval;
use crate::guard::pack::{self, Pack};
use crate::guard::report::Report;
use crate::guard::view;
use crate::model::load::{self, Format};
use crate::model::template::{Modelled, Template};
use crate::model::tree::{Limits, NodeRef, Tree};
use crate::span::{LineIndex, Span};

/// A unit-test file.
struct TestFile {
    display: String,
    text: String,
    format: Format,
}

/// One test case.
struct Case<'t> {
    name: String,
    input: NodeRef<'t>,
    /// `(rule, expected status)` in file order.
    expected: Vec<(String, Status)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pass,
    Fail,
    Skip,
}

impl Status {
    fn parse(text: &str) -> Option<Status> {
        match text.to_ascii_uppercase().as_str() {
            "PASS" => Some(Status::Pass),
            "FAIL" => Some(Status::Fail),
            "SKIP" => Some(Status::Skip),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        }
    }
}

/// Runs the tests of the pack `spec` (a path or `builtin:<name>`); `test_data` overrides where
/// the test files are found. `Ok(true)` when every case passes; an error (exit 2) for a broken
/// pack or test file, or when there is nothing to test.
pub fn run(spec: &str, test_data: Option<&Path>, cwd: &Path, out: &mut dyn Write) -> Result<bool> {
    let pack = pack::load(spec, cwd)?;
    let (files, untested) = test_files(spec, &pack, test_data, cwd)?;
    if files.is_empty() {
        return Err(Error::new(format!(
            "no Guard unit tests for pack {spec}: put them in tests/<rules file stem>*.yaml next to the rules, \
             or name them with --test-data"
        )));
    }
    let write_err = |e: std::io::Error| Error::new(format!("cannot write the results: {e}"));
    writeln!(out, "Testing Guard pack `{}` ({})", pack.name, pack.origin).map_err(write_err)?;
    for rules in &untested {
        writeln!(out, "NO TESTS  {rules}: no tests/<its stem>*.yaml next to it, its rules are not tested")
            .map_err(write_err)?;
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let tree = load::load(&file.text, file.format, Limits::default())
            .map_err(|e| Error::new(format!("invalid Guard test file {}: {e}", at(file, e.span))))?;
        let cases = cases(file, &tree)?;
        writeln!(out, "{}", file.display).map_err(write_err)?;
        // Guard's notices repeat for every case a clause runs on; each is shown once per file.
        let mut notices: Vec<String> = Vec::new();
        for case in &cases {
            let data = input_as_guard_sees_it(case.input);
            for notice in crate::fault::guarded(|| eval::deprecations(&pack, &data)).unwrap_or_default() {
                if !notices.contains(&notice) {
                    notices.push(notice);
                }
            }
            let problems = run_case(&pack, case, &data);
            if problems.is_empty() {
                passed += 1;
                writeln!(out, "  PASS  {}", case.name).map_err(write_err)?;
            } else {
                failed += 1;
                writeln!(out, "  FAIL  {}: {}", case.name, problems.join("; ")).map_err(write_err)?;
            }
        }
        for notice in &notices {
            writeln!(out, "  {notice}").map_err(write_err)?;
        }
    }
    let total = passed + failed;
    let untested = match untested.len() {
        0 => String::new(),
        1 => "; 1 rules file without tests".to_string(),
        n => format!("; {n} rules files without tests"),
    };
    writeln!(out, "{total} {}: {passed} passed, {failed} failed{untested}", if total == 1 { "case" } else { "cases" })
        .map_err(write_err)?;
    Ok(failed == 0)
}

/// The test files: given, embedded (built-in packs), or `tests/<stem>*.{yaml,yml,json,jsn}`
/// next to each rules file, as `cfn-guard test --dir` finds them; and the rules files (as
/// displayed) that have none, which `cfn-guard test --dir` skips without a word.
fn test_files(spec: &str, pack: &Pack, test_data: Option<&Path>, cwd: &Path) -> Result<(Vec<TestFile>, Vec<String>)> {
    if let Some(given) = test_data {
        let given = cwd.join(given);
        let paths = if given.is_dir() { data_files_in(&given) } else { vec![given] };
        return Ok((paths.into_iter().map(|p| read(&p, cwd)).collect::<Result<_>>()?, Vec::new()));
    }
    if let Some(name) = spec.strip_prefix("builtin:") {
        let builtin = pack::builtin(name)?;
        let display = format!("rules/tests/{}-tests.yaml (built in)", builtin.name);
        return Ok((vec![TestFile { display, text: builtin.tests.to_string(), format: Format::Yaml }], Vec::new()));
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut untested = Vec::new();
    for file in &pack.files {
        let Some(rules) = file.path.as_deref() else { continue };
        let (Some(dir), Some(stem)) = (rules.parent(), rules.file_stem()) else { continue };
        let stem = stem.to_string_lossy();
        let found: Vec<PathBuf> = data_files_in(&dir.join("tests"))
            .into_iter()
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(stem.as_ref())))
            .collect();
        if found.is_empty() {
            untested.push(file.display.clone());
        }
        paths.extend(found);
    }
    paths.sort();
    paths.dedup();
    Ok((paths.iter().map(|p| read(p, cwd)).collect::<Result<_>>()?, untested))
}

fn data_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && p.extension().is_some_and(|e| matches!(e.to_str(), Some("yaml" | "yml" | "json" | "jsn")))
        })
        .collect();
    paths.sort();
    paths
}

fn read(path: &Path, cwd: &Path) -> Result<TestFile> {
    let display = display_path(path, cwd);
    // Read as a template is: a regular file (a FIFO would hang the run) within the size limit.
    let text = crate::limits::read_config_text(path, crate::limits::DEFAULT_MAX_FILE_SIZE)
        .map_err(|why| Error::new(format!("cannot read Guard test file {display}: {why}")))?;
    let format = if path.extension().is_some_and(|e| e == "json" || e == "jsn") { Format::Json } else { Format::Yaml };
    Ok(TestFile { display, text, format })
}

/// `file:line:col` of a span, for errors.
fn at(file: &TestFile, span: Span) -> String {
    let position = LineIndex::new(&file.text).line_col(&file.text, span.start);
    format!("{}:{}:{}", file.display, position.line, position.column)
}

/// The cases of a test file: a list of `{name, input, expectations: {rules: {RULE: STATUS}}}`.
fn cases<'t>(file: &TestFile, tree: &'t Tree) -> Result<Vec<Case<'t>>> {
    let invalid = |span: Span, what: &str| Error::new(format!("invalid Guard test file {}: {what}", at(file, span)));
    let root =
        tree.root().filter(|r| r.is_seq()).ok_or_else(|| invalid(Span::at(0), "expected a list of test cases"))?;
    let mut cases = Vec::with_capacity(root.len());
    for (index, item) in root.items().enumerate() {
        if !item.is_map() {
            return Err(invalid(item.span(), "a test case is a mapping with `input` and `expectations`"));
        }
        let name =
            item.get("name").and_then(|n| n.as_str()).map_or_else(|| format!("case {}", index + 1), str::to_string);
        let input = item.get("input").ok_or_else(|| invalid(item.span(), "test case has no `input`"))?;
        let rules = item
            .at(&["expectations", "rules"])
            .filter(|r| r.is_map())
            .ok_or_else(|| invalid(item.span(), "test case has no `expectations: {rules: {RULE: PASS|FAIL|SKIP}}`"))?;
        let mut expected = Vec::with_capacity(rules.len());
        for (rule, _, status) in rules.map_iter() {
            let status = status.as_str().and_then(Status::parse).ok_or_else(|| {
                invalid(status.span(), &format!("expected status of `{rule}` must be PASS, FAIL or SKIP"))
            })?;
            expected.push((rule.to_string(), status));
        }
        cases.push(Case { name, input, expected });
    }
    Ok(cases)
}

/// What went wrong in one case (empty: it passed).
fn run_case(pack: &Pack, case: &Case<'_>, data: &str) -> Vec<String> {
    let report = match crate::fault::guarded(|| eval::evaluate(pack, data)) {
        Ok(Ok(report)) => report,
        Ok(Err(reason)) => return vec![format!("Guard cannot evaluate the input: {reason}")],
        Err(panic) => return vec![format!("Guard panicked on the input (a bug in slint or cfn-guard): {panic}")],
    };
    let actual = statuses(&report);
    case.expected
        .iter()
        .filter_map(|(rule, expected)| match actual.get(rule.as_str()) {
            Some(got) if got == expected => None,
            Some(got) => Some(format!("{rule} expected {}, got {}", expected.as_str(), got.as_str())),
            None if pack.rule(rule).is_none() => Some(format!("{rule} is not a rule of pack `{}`", pack.name)),
            None => Some(format!("{rule} expected {}, but Guard did not report it", expected.as_str())),
        })
        .collect()
}

/// A template input in slint's view; anything else as written.
fn input_as_guard_sees_it(input: NodeRef<'_>) -> String {
    let raw = view::node_to_json(input);
    let Ok(tree) = load::load(&raw, Format::Json, Limits::default()) else { return raw };
    match Template::build(FileId(0), tree) {
        Modelled::Template(template, _) => view::to_json(&template),
        _ => raw,
    }
}

/// Each rule's status by its short name. Guard names a file's loose clauses
/// `RULES_STDIN[n]/default`; in a pack of several files, a failing `default` wins over a passing
/// one, which wins over a skipped one.
fn statuses(report: &Report) -> HashMap<String, Status> {
    let mut statuses = HashMap::new();
    for (names, status) in
        [(&report.skipped, Status::Skip), (&report.passed, Status::Pass), (&report.failed, Status::Fail)]
    {
        for name in names {
            statuses.insert(name.rsplit('/').next().unwrap_or(name).to_string(), status);
        }
    }
    statuses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_packs_pass_their_tests() {
        for builtin in pack::BUILTINS {
            let mut out = Vec::new();
            let ok = run(&format!("builtin:{}", builtin.name), None, Path::new("."), &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(ok, "{text}");
            assert!(text.contains("  PASS  ") && !text.contains("  FAIL  "), "{text}");
        }
    }
}
