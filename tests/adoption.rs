//! Adopting slint in an existing repository (issue 15), end to end through the binary: the
//! project root found from a subfolder, named files reported with their project around them,
//! a baseline that survives edits, and the GitLab and JUnit formats.
//!
//! Each test copies `testdata/sample-project` into its own folder under the system temp dir,
//! so the copy has no `slint.toml` or `.git` above it but the ones a test puts there.

#[path = "support/xsd.rs"]
mod xsd;

#[path = "support/tree.rs"]
mod tree;
use tree::copy_tree;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn slint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slint"))
        .args(args)
        .current_dir(dir)
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

/// Finding lines of concise output (the summary line left out).
fn findings(out: &Output) -> Vec<String> {
    stdout(out).lines().filter(|l| l.contains(": ") && !l.starts_with("Found ")).map(str::to_string).collect()
}

/// A copy of the sample project at `<tmp>/<name>/repo/project`, without its `slint.toml`.
fn sample(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("slint-adoption-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let project = base.join("repo/project");
    copy_tree(&repo().join("testdata/sample-project"), &project);
    std::fs::remove_file(project.join("slint.toml")).unwrap();
    project
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const CONCISE: &[&str] = &["check", "--format", "concise"];

#[test]
fn a_subfolder_is_linted_with_its_project_around_it() {
    let project = sample("subfolder");
    // The git work tree's top is the root: `.git` two levels above `src/bin`'s project.
    std::fs::create_dir(project.parent().unwrap().join(".git")).unwrap();
    let bin = project.join("src/bin");
    let out = slint(&bin, CONCISE);
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let lines = findings(&out);
    // Only the folder's findings, paths relative to where slint ran, and the messages that
    // need the template (the API event that waits) are there.
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l.starts_with("create-order.rs:") || l.starts_with("get-order.rs:")), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("while the caller of the REST API event `Create` (`CreateOrderFunction`) waits"))
    );
    assert!(stdout(&out).contains("1 template,"), "the template was loaded: {}", stdout(&out));
    // The same lines as the whole project's run shows for these files.
    let whole = slint(&project, CONCISE);
    let expected: Vec<String> =
        findings(&whole).iter().filter_map(|l| l.strip_prefix("src/bin/").map(str::to_string)).collect();
    assert_eq!(lines, expected);
    // A slint.toml in the project marks a nearer root, whose config applies.
    std::fs::write(project.join("slint.toml"), "ignore = [\"SL404\"]\n").unwrap();
    let lines = findings(&slint(&bin, CONCISE));
    assert!(!lines.iter().any(|l| l.contains("SL404")) && !lines.is_empty(), "{lines:#?}");
}

#[test]
fn a_named_rust_file_keeps_its_template_and_reports_only_itself() {
    let project = sample("named");
    std::fs::write(project.join("slint.toml"), "").unwrap();
    let whole = findings(&slint(&project, CONCISE));
    let out = slint(&project.join("src/bin"), &[CONCISE, &["create-order.rs"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let lines = findings(&out);
    let expected: Vec<String> = whole
        .iter()
        .filter_map(|l| l.strip_prefix("src/bin/"))
        .filter(|l| l.starts_with("create-order.rs:"))
        .map(str::to_string)
        .collect();
    assert!(!expected.is_empty());
    // Exactly the full run's findings of that file, with the template context (SL502 names
    // the API event that waits, which only the template tells).
    assert_eq!(lines, expected);
    assert!(lines.iter().any(|l| l.contains("SL502") && l.contains("`CreateOrderFunction`")));
    // The design choice: a finding located in another file is not reported, even one the
    // named file takes part in (SL202 on the template's `Timeout` of this function's
    // `Globals`); the whole-project run (CI) reports it.
    assert!(whole.iter().any(|l| l.starts_with("template.yaml:") && l.contains("SL202")));
    assert!(!lines.iter().any(|l| l.contains("template.yaml")));
    // The same choice when the named file's change is the cause: renaming a bin leaves the
    // template naming a bin that is gone (SL005 on the template), which a run on the renamed
    // file does not report.
    std::fs::rename(project.join("src/bin/get-order.rs"), project.join("src/bin/fetch-order.rs")).unwrap();
    let whole_after = findings(&slint(&project, CONCISE));
    assert!(
        whole_after.iter().any(|l| l.starts_with("template.yaml:") && l.contains("SL005") && l.contains("get-order")),
        "{whole_after:#?}"
    );
    let renamed = findings(&slint(&project, &[CONCISE, &["src/bin/fetch-order.rs"]].concat()));
    assert!(renamed.iter().all(|l| l.starts_with("src/bin/fetch-order.rs:")), "{renamed:#?}");
    std::fs::rename(project.join("src/bin/fetch-order.rs"), project.join("src/bin/get-order.rs")).unwrap();
    // Named from the project root, two files, with pre-commit's relative paths.
    let out = slint(&project, &[CONCISE, &["template.yaml", "src/bin/get-order.rs"]].concat());
    let lines = findings(&out);
    let expected: Vec<String> = whole
        .iter()
        .filter(|l| l.starts_with("template.yaml:") || l.starts_with("src/bin/get-order.rs:"))
        .cloned()
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn capacity_from_a_subfolder_plans_the_whole_project() {
    let project = sample("capacity");
    std::fs::write(project.join("slint.toml"), "").unwrap();
    let from_bin = slint(&project.join("src/bin"), &["capacity", "--format", "json"]);
    assert_eq!(from_bin.status.code(), Some(0), "{}", stderr(&from_bin));
    let json: serde_json::Value = serde_json::from_slice(&from_bin.stdout).unwrap();
    let functions = json["accounts"][0]["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 3, "the template above the folder was planned");
    assert_eq!(functions[0]["template_path"], "../../template.yaml", "paths relative to where slint ran");
    let at_root: serde_json::Value =
        serde_json::from_slice(&slint(&project, &["capacity", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["accounts"][0]["reserved_total"], at_root["accounts"][0]["reserved_total"]);
    assert_eq!(json["accounts"][0]["uncapped_demand"], at_root["accounts"][0]["uncapped_demand"]);
}

#[test]
fn a_missing_named_file_is_exit_2() {
    let project = sample("missing");
    let out = slint(&project, &["check", "nope.rs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("slint: cannot read nope.rs: no such file"), "{}", stderr(&out));
}

#[test]
fn a_baseline_hides_known_findings_across_edits_and_reports_stale_entries() {
    let project = sample("baseline");
    std::fs::write(project.join("slint.toml"), "baseline = \"slint-baseline.toml\"\n").unwrap();
    // The configured baseline does not exist yet: an error, not "every finding is new".
    let out = slint(&project, CONCISE);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read baseline"), "{}", stderr(&out));
    let all = findings(&slint(&project, &[CONCISE, &["--no-baseline"]].concat()));
    let written = slint(&project, &["check", "--write-baseline", "slint-baseline.toml"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(stdout(&written).is_empty(), "writing a baseline prints no report");
    assert_eq!(stderr(&written).trim(), format!("slint: recorded {} findings in slint-baseline.toml", all.len()));
    let baseline = std::fs::read_to_string(project.join("slint-baseline.toml")).unwrap();
    let keys: Vec<&str> = baseline
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .map(|l| l.split(" = ").next().unwrap())
        .collect();
    assert!(keys.iter().all(|k| ["version", "file", "rule", "scope", "message", "count"].contains(k)), "{keys:?}");
    // Written twice, the same bytes.
    slint(&project, &["check", "--write-baseline", "slint-baseline.toml"]);
    assert_eq!(std::fs::read_to_string(project.join("slint-baseline.toml")).unwrap(), baseline);

    // Lines inserted at the top of the template and of a Rust file: nothing comes back.
    let template = project.join("template.yaml");
    edit(&template, "AWSTemplateFormatVersion", "# Orders service.\n\nAWSTemplateFormatVersion");
    edit(&project.join("src/bin/create-order.rs"), "use ", "// Creates orders.\n\nuse ");
    let out = slint(&project, CONCISE);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(findings(&out).is_empty(), "{}", stdout(&out));
    assert!(stdout(&out).contains(&format!("{} findings in the baseline not shown", all.len())), "{}", stdout(&out));

    // A new problem: exactly that one is reported.
    edit(
        &template,
        "\nOutputs:",
        "\n  AdminApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n\nOutputs:",
    );
    let out = slint(&project, CONCISE);
    let lines = findings(&out);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with("template.yaml:") && lines[0].contains("SL203 REST API `AdminApi`"), "{lines:#?}");
    assert_eq!(out.status.code(), Some(1));

    // A problem fixed: its entry is reported as stale, at the entry, as info.
    edit(&project.join("src/bin/get-order.rs"), "ddb.scan()", "ddb.query()");
    let out = slint(&project, CONCISE);
    let lines = findings(&out);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let stale = lines.iter().find(|l| l.starts_with("slint-baseline.toml:")).expect("a stale entry");
    assert!(
        stale.contains(
            "info SL003 baseline entry for `SL404` in `src/bin/get-order.rs` (`get_order`) matches no finding"
        ),
        "{stale}"
    );
    let entry_line: usize = stale.split(':').nth(1).unwrap().parse().unwrap();
    let text = std::fs::read_to_string(project.join("slint-baseline.toml")).unwrap();
    assert_eq!(text.lines().nth(entry_line - 1), Some("rule = \"SL404\""));
    // A run on another file does not call the entries of other files stale.
    let out = slint(&project, &[CONCISE, &["src/bin/create-order.rs"]].concat());
    assert!(findings(&out).is_empty(), "{}", stdout(&out));
    // --no-baseline shows everything again.
    let everything = findings(&slint(&project, &[CONCISE, &["--no-baseline"]].concat()));
    assert_eq!(everything.len(), all.len());
}

#[test]
fn a_broken_baseline_is_exit_2_naming_the_place() {
    let project = sample("broken-baseline");
    std::fs::write(project.join("b.toml"), "version = 1\n[[finding]]\nrule = \"SL101\"\nfile = 3\n").unwrap();
    let out = slint(&project, &["check", "--baseline", "b.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("slint: invalid baseline b.toml:4:8"), "{}", stderr(&out));
    let out = slint(&project, &["check", "--baseline", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read baseline missing.toml"), "{}", stderr(&out));
}

#[test]
fn statistics_count_findings_per_rule() {
    let project = sample("statistics");
    let all = findings(&slint(&project, CONCISE));
    let out = slint(&project, &["check", "--statistics"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let rows: Vec<(usize, String)> = text
        .lines()
        .filter(|l| l.contains('\t'))
        .map(|l| {
            let mut parts = l.split('\t');
            (parts.next().unwrap().trim().parse().unwrap(), parts.next().unwrap().to_string())
        })
        .collect();
    assert_eq!(rows.iter().map(|(n, _)| n).sum::<usize>(), all.len());
    assert_eq!(rows[0], (2, "SL501".to_string()), "{text}");
    for (count, code) in &rows {
        assert_eq!(all.iter().filter(|l| l.contains(&format!(" {code} "))).count(), *count, "{code}");
    }
    assert!(text.lines().last().unwrap().starts_with("Found "), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&slint(&project, &["check", "--statistics", "--format", "json"]).stdout).unwrap();
    let first = &json.as_array().unwrap()[0];
    assert_eq!(
        (first["code"].as_str(), first["name"].as_str(), first["count"].as_u64()),
        (Some("SL501"), Some("client-in-handler"), Some(2))
    );
}

#[test]
fn gitlab_code_quality_has_the_fields_gitlab_reads() {
    let project = sample("gitlab");
    let all = findings(&slint(&project, CONCISE));
    let out = slint(&project, &["check", "--format", "gitlab"]);
    assert_eq!(out.status.code(), Some(1));
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let issues = issues.as_array().expect("an array of issues");
    assert_eq!(issues.len(), all.len());
    let mut prints = std::collections::HashSet::new();
    for (issue, line) in issues.iter().zip(&all) {
        let path = issue["location"]["path"].as_str().unwrap();
        let begin = issue["location"]["lines"]["begin"].as_u64().unwrap();
        assert!(line.starts_with(&format!("{path}:{begin}:")), "{issue} vs {line}");
        assert!(line.contains(issue["check_name"].as_str().unwrap()));
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert!(!issue["description"].as_str().unwrap().is_empty());
        assert!(prints.insert(issue["fingerprint"].as_str().unwrap().to_string()), "fingerprints are unique");
    }
    // Stable: the same after lines are inserted above every finding.
    edit(&project.join("template.yaml"), "AWSTemplateFormatVersion", "# moved\n\nAWSTemplateFormatVersion");
    let moved: serde_json::Value =
        serde_json::from_slice(&slint(&project, &["check", "--format", "gitlab"]).stdout).unwrap();
    let moved: std::collections::HashSet<String> =
        moved.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect();
    assert_eq!(moved, prints);
}

#[test]
fn junit_is_valid_against_the_schema_and_carries_every_finding() {
    let schema = xsd::Schema::parse(&std::fs::read_to_string(repo().join("tests/data/junit.xsd")).unwrap());
    let project = sample("junit");
    let all = findings(&slint(&project, CONCISE));
    let out = slint(&project, &["check", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    let document = xsd::parse(&xml);
    schema.validate(&document).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    // One test case per file and rule, every finding in a failure.
    let suite = &document.children[0];
    let cases: Vec<&xsd::Node> = suite.children.iter().filter(|c| c.name == "testcase").collect();
    let mut pairs: Vec<(String, String)> = all
        .iter()
        .map(|l| (l.split(':').next().unwrap().to_string(), l.split(' ').nth(2).unwrap().to_string()))
        .collect();
    pairs.dedup();
    pairs.sort();
    pairs.dedup();
    assert_eq!(cases.len(), pairs.len());
    assert_eq!(suite.attr("tests"), Some(pairs.len().to_string().as_str()));
    let bodies: String = cases.iter().flat_map(|c| &c.children).map(|f| f.text.clone()).collect();
    for line in &all {
        let start: String = line.split(": ").next().unwrap().to_string();
        assert!(bodies.contains(&start), "{start} missing");
    }
    // A clean project is one passing case, still valid.
    let clean = std::env::temp_dir().join(format!("slint-adoption-{}-junit-clean", std::process::id()));
    let _ = std::fs::remove_dir_all(&clean);
    copy_tree(&repo().join("testdata/clean-project"), &clean);
    let out = slint(&clean, &["check", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(0));
    let document = xsd::parse(&stdout(&out));
    schema.validate(&document).unwrap();
    assert_eq!(document.children[0].children.len(), 1);
    // The validator is not a rubber stamp.
    let bad =
        xsd::parse("<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\"><testcase/></testsuite></testsuites>");
    let err = schema.validate(&bad).unwrap_err();
    assert!(err.contains("errors") || err.contains("name"), "{err}");
    let bad = xsd::parse("<testsuites><testcase name=\"x\"/></testsuites>");
    assert!(schema.validate(&bad).is_err());
}
