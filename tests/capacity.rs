//! `slint capacity`: budgets per account from templates and slint.toml, as a table, JSON and
//! a self-contained HTML page; config errors for bad accounts and loads.

#[path = "support/tree.rs"]
mod tree;
use tree::copy_tree;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn slint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slint")).args(args).current_dir(dir).output().expect("slint runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slint-capacity-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn json_budget_adds_up_reservations_across_templates() {
    let out = slint(root(), &["capacity", "testdata/SL103/bad-one-account", "--format", "json", "--no-config"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = json["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1);
    let account = &accounts[0];
    assert_eq!(account["name"], "default");
    assert_eq!(account["quota"], 1000);
    assert_eq!(account["reserved_total"], 950);
    assert_eq!(account["unreserved"], 50);
    assert_eq!(account["functions"].as_array().unwrap().len(), 4);
}

#[test]
fn accounts_from_config_split_the_budget() {
    let dir = root().join("testdata/SL103/good-two-accounts");
    let out = slint(&dir, &["capacity", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = json["accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["billing", "orders"]);
    assert_eq!(json["accounts"][0]["quota"], 500);
    assert_eq!(json["accounts"][0]["unreserved"], 150);
}

#[test]
fn table_states_declared_load_or_its_absence() {
    let out = text(&slint(root(), &["capacity", "testdata/sample-project", "--no-config"]).stdout);
    assert!(out.contains("Account `default` (quota 1000)"), "{out}");
    assert!(out.contains("GetOrderFunction") && out.contains("1500 req/s × 40 ms") && out.contains("60"), "{out}");
    assert!(out.contains("demand of the 2 functions without a reservation: 220"), "{out}");
    let undeclared = text(&slint(root(), &["capacity", "testdata/SL101/good.yaml", "--no-config"]).stdout);
    assert!(
        undeclared.contains("not declared") && undeclared.contains("without a declared load: unknown"),
        "{undeclared}"
    );
}

#[test]
fn html_page_is_self_contained_and_carries_the_figures() {
    // Two projects side by side in one folder, which is then the root (no marker above it).
    let dir = scratch("html");
    copy_tree(&root().join("testdata/sample-project"), &dir.join("sample-project"));
    copy_tree(&root().join("testdata/SL103/bad-one-account"), &dir.join("bad-one-account"));
    let out = slint(&dir, &["capacity", "sample-project", "bad-one-account", "--format", "html", "--no-config"]);
    assert_eq!(out.status.code(), Some(0));
    let html = text(&out.stdout);
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    for external in ["http://", "https://", "src=", "<script", "<link", "@import", "url("] {
        assert!(!html.contains(external), "the page must not load anything: found `{external}`");
    }
    for figure in [
        "quota<b>1000</b>",
        "reserved<b>1000</b>",
        "unreserved pool<b>0</b>",
        "<svg",
        "Worker 600",
        "GetOrderFunction",
        "AWS keeps 100 unreserved",
        // Every segment labelled in words, not only on hover.
        "<li><span class=\"swatch\" style=\"background:#dfe3ec\"></span>unreserved 0</li>",
        "Worker 600</li>",
        // The under-reserved function: in the legend, the table and the stats.
        "GetOrderFunction 60 <span class=\"under\">(reserves 50: under-reserved)</span>",
        "<tr class=\"under\">",
        "under-reserved<b>1</b>",
        // The caveat the text output has: functions without a declared load.
        "<b>Unknown demand:</b> 4 of 7 functions have no declared load",
        "<small>+ 1 without a declared load: unknown</small>",
    ] {
        assert!(html.contains(figure), "the page lacks `{figure}`");
    }
    let text = text(&slint(&dir, &["capacity", "sample-project", "bad-one-account", "--no-config"]).stdout);
    assert!(text.contains("(+ 1 without a declared load: unknown)"), "{text}");
}

#[test]
fn bad_accounts_and_loads_are_config_errors_naming_the_key() {
    let dir = scratch("errors");
    std::fs::copy(root().join("testdata/SL104/good.yaml"), dir.join("template.yaml")).unwrap();
    for (config, expected) in [
        ("[accounts.prod]\nquota = 50\ntemplates = [\"*.yaml\"]\n", "slint.toml:2:9: `accounts.prod.quota` is 50"),
        (
            "[functions.Search]\npeak-rps = -3\n",
            "slint.toml:2:12: `functions.Search.peak-rps` must be a positive number",
        ),
        ("[functions.Search]\npeak_rps = 3\n", "unknown key `peak_rps`"),
    ] {
        std::fs::write(dir.join("slint.toml"), config).unwrap();
        for command in ["check", "capacity"] {
            let out = slint(&dir, &[command]);
            assert_eq!(out.status.code(), Some(2), "{command} with {config}");
            let err = text(&out.stderr);
            assert!(err.contains(expected), "{command}: expected `{expected}` in {err}");
        }
    }
    std::fs::write(dir.join("slint.toml"), "[accounts.prod]\ntemplates = [\"prod/**\"]\n").unwrap();
    let out = slint(&dir, &["check", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "an unused account mapping does not stop the run");
    assert!(
        text(&out.stderr).contains("slint.toml:2:14: account `prod` matches no template of this run"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
