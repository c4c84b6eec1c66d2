//! Keeps the conventions honest: the registry, the rule files, the fixtures, the docs and the
//! README agree, and rules never read or parse files themselves.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use slint::rules::registry::{RULES, infos};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rule_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for category in std::fs::read_dir(root().join("src/rules")).unwrap().filter_map(|e| e.ok()) {
        if !category.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(category.path()).unwrap().filter_map(|e| e.ok()) {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "rs") && path.file_stem().is_some_and(|s| s != "mod") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn codes_are_unique_and_in_their_category_range() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        let meta = rule.meta();
        assert!(seen.insert(meta.code), "duplicate code {}", meta.code);
        assert!(
            meta.code.starts_with(meta.category.code_prefix()),
            "{} is outside the {} range",
            meta.code,
            meta.category
        );
        assert_eq!(meta.code.len(), 5, "{} is not SL + three digits", meta.code);
    }
}

#[test]
fn names_are_kebab_case_and_unique() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        let name = rule.meta().name;
        assert!(seen.insert(name), "duplicate name {name}");
        assert!(
            name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{name} is not kebab-case"
        );
    }
}

#[test]
fn every_rule_documents_itself() {
    for rule in RULES {
        let meta = rule.meta();
        for section in ["## What it does", "## Why is this bad?", "## Example", "Use instead:"] {
            assert!(meta.docs.contains(section), "{} ({}) lacks `{section}`", meta.code, meta.name);
        }
        assert!(
            meta.summary().ends_with('.'),
            "{}: the first sentence of `What it does` should end with a period",
            meta.code
        );
    }
}

#[test]
fn every_rule_file_is_registered_under_its_name() {
    let names: BTreeSet<String> = RULES.iter().map(|r| r.meta().name.replace('-', "_")).collect();
    let files: BTreeSet<String> =
        rule_files().iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(files, names, "rule files under src/rules/<category>/ and registered rule names disagree");
    for file in rule_files() {
        let category = file.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let stem = file.file_stem().unwrap().to_string_lossy().replace('_', "-");
        let meta = RULES.iter().map(|r| r.meta()).find(|m| m.name == stem).unwrap();
        assert_eq!(meta.category.as_str(), category, "{} lives in the wrong category folder", meta.code);
    }
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_has_a_rule() {
    let dirs: BTreeSet<String> = std::fs::read_dir(root().join("testdata"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("SL"))
        .collect();
    let codes: BTreeSet<String> = RULES.iter().map(|r| r.meta().code.to_string()).collect();
    assert_eq!(dirs, codes, "testdata/<CODE>/ folders and the registry disagree");
}

#[test]
fn rules_never_read_or_parse_files() {
    let forbidden = ["std::fs", "syn::parse", "load::load", "saphyr", "jsonc_parser", "File::open", "read_to_string"];
    for file in rule_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses `{word}`: rules query the models, they never read files",
                file.display()
            );
        }
    }
}

#[test]
fn messages_start_lowercase_without_a_trailing_period() {
    for expected in glob_expected(&root().join("testdata")) {
        for line in std::fs::read_to_string(&expected).unwrap().lines().filter(|l| !l.is_empty()) {
            // `file:line:col: severity CODE message`, then `  help: ...` (prose, any case) and
            // `  related: file:line:col: message` (a message like the finding's).
            if line.starts_with("  help: ") {
                continue;
            }
            let message = match line.strip_prefix("  related: ") {
                Some(related) => related.split_once(": ").map_or("", |(_, message)| message),
                None => line.split_once(": ").and_then(|(_, rest)| rest.splitn(3, ' ').nth(2)).unwrap_or(""),
            };
            assert!(!message.is_empty(), "{}: no message in {line}", expected.display());
            // An acronym (`SQS queue event ...`) may start a message; a capitalised word may not.
            let first_word = message.split([' ', '`']).next().unwrap_or("");
            let acronym =
                first_word.len() >= 2 && first_word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            let first = message.chars().next().unwrap_or('a');
            assert!(acronym || !first.is_uppercase(), "{}: message starts with a capital: {line}", expected.display());
            assert!(!message.ends_with('.'), "{}: message ends with a period: {line}", expected.display());
        }
    }
}

fn glob_expected(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(glob_expected(&path));
        } else if path.extension().is_some_and(|e| e == "expected") {
            out.push(path);
        }
    }
    out
}

/// The README's rules table is generated from the registry; `SLINT_BLESS=1` rewrites it.
#[test]
fn readme_rules_table_is_current() {
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the {start:?} / {end:?} markers");
    };
    let mut table = String::from("| code | name | category | severity | what it flags |\n|---|---|---|---|---|\n");
    for rule in infos() {
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.category,
            rule.severity.as_str(),
            rule.summary.replace('|', "\\|")
        ));
    }
    let current = &readme[a + start.len()..b];
    if current != table {
        if std::env::var_os("SLINT_BLESS").is_some() {
            let updated = format!("{}{table}{}", &readme[..a + start.len()], &readme[b..]);
            std::fs::write(&readme_path, updated).unwrap();
        } else {
            panic!("README.md rules table is stale; run `SLINT_BLESS=1 cargo test --test conventions`");
        }
    }
}
