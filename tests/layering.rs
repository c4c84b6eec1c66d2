//! The module graph points one way: each top-level module of `src/` sits on a layer and may
//! import only from lower layers. A new module must be placed in [`LAYERS`]; an import that
//! points up (or sideways, which is how cycles start) fails with the file that makes it.
//!
//! Read from the source text: `crate::x` paths and `crate::{x, y}` groups outside comments and
//! outside the `#[cfg(test)]` part of a file (tests may reach anywhere).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom to top. Files and models in, rules in the middle, renderers and commands out.
const LAYERS: &[&[&str]] = &[
    // Leaves: spans, text escaping, timings, panics into findings, I/O wording.
    &["span", "text", "timings", "fault", "fs", "index"],
    &["error", "files", "limits"],
    // What a finding is; the slint.toml schema; the file walk.
    &["config", "diagnostic", "discover"],
    // The CloudFormation/SAM model; command-line arguments; the project root.
    &["model", "cli", "root"],
    // Resolved settings; the Rust crates' facts.
    &["settings", "source"],
    // Guard packs; template functions linked to crates.
    &["guard", "link"],
    // CDK apps: assemblies found under the walked folders, constructs, their code links.
    &["cdk"],
    &["project"],
    &["capacity"],
    &["rules"],
    // Renderers; baselines (compared with a run's findings).
    &["report", "baseline"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/rules/api/x.rs` → `rules`); `None` for the
/// crate roots, which may use everything.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The code of a file without its tests and without comments: an inline `#[cfg(test)] mod x {`
/// ends the production code (test modules close a file), a `#[cfg(test)] mod x;` line is
/// dropped, and any other `#[cfg(test)]` item is checked like production code.
fn production_code(text: &str) -> String {
    let mut kept = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            let next = lines.peek().map(|l| l.trim()).unwrap_or("");
            if next.starts_with("mod ") && next.ends_with('{') {
                break;
            }
            if next.starts_with("mod ") && next.ends_with(';') {
                lines.next();
                continue;
            }
        }
        kept.push(line.split("//").next().unwrap_or(""));
    }
    kept.join("\n")
}

/// Every top-level module named after `crate::` in `code`.
fn imported_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let preceded_by_ident = code[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        if preceded_by_ident {
            continue; // `$crate::` in macros is the same crate, but `slint_crate::` is not ours
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            found.insert(name);
        }
    }
    found
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    // The top-level modules: every file and folder of src/ but the crate roots.
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut problems = Vec::new();
    for file in &files {
        // `tests.rs` files are the test modules of their folder (`#[cfg(test)] mod tests;`).
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let Some(module) = module_of(&src, file) else { continue };
        let Some(own) = layer_of(&module) else {
            problems.push(format!("module `{module}` is in no layer of tests/layering.rs: place it"));
            continue;
        };
        let code = production_code(&std::fs::read_to_string(file).expect("readable"));
        for target in imported_modules(&code) {
            if target == module || !modules.contains(&target) {
                continue; // the same module; an item of lib.rs itself
            }
            match layer_of(&target) {
                Some(theirs) if theirs < own => {}
                Some(theirs) => problems.push(format!(
                    "{}: `{module}` (layer {own}) imports `{target}` (layer {theirs}), which is not below it",
                    file.strip_prefix(&src).expect("under src").display()
                )),
                None => problems.push(format!("{}: imports `{target}`, which is in no layer", file.display())),
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "imports that point up the layers:\n{}", problems.join("\n"));
}

#[test]
fn the_check_reads_groups_and_ignores_comments_and_tests() {
    let code = production_code(
        "#[cfg(test)]\nmod tests;\nuse crate::{a, b::c};\n// crate::z\nfn f() { crate::d::e(); }\n#[cfg(test)]\nmod tests {\nuse crate::y;\n}",
    );
    assert_eq!(imported_modules(&code), ["a", "b", "d"].map(String::from).into_iter().collect());
}
