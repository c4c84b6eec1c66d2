//! Baselines: the findings a project already had when it adopted slint, recorded so that only
//! new ones are reported.
//!
//! A finding is identified by its rule, its file (relative to the project root), the resource
//! it is about or the Rust function it is in, and its message with every number masked. Not by
//! its line: an edit elsewhere in the file must not bring an old finding back, and a reserved
//! concurrency raised from 100 to 150 is the same finding. Identical keys are counted, so a
//! second copy of a recorded problem in the same place is still new.
//!
//! The file is TOML: slint's config is TOML already (no new parser), it takes comments, and an
//! array of tables puts one key per line, so a fixed finding is a few deleted lines in a
//! diff. Entries are sorted by file, rule, scope and message; the file is the same bytes for
//! the same findings whatever the order they were found in.
//!
//! An entry that matches nothing any more is reported as SL003 (like an unused suppression),
//! at info severity, at the entry, so the baseline shrinks as findings are fixed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostic::{Finding, Site};
use crate::error::{Error, Result};
use crate::files::FileId;
use crate::project::Project;
use crate::root::Request;
use crate::rules::meta::UnusedSuppression;
use crate::source::facts::FunctionExtent;
use crate::span::Span;

/// Largest baseline read: 10,000 findings take about 2 MB.
pub const MAX_BASELINE_BYTES: u64 = 32 << 20;

/// The version written in (and required of) a baseline file.
const VERSION: u32 = 1;

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// `/`-separated, relative to the project root.
    pub file: String,
    pub rule: String,
    /// The Rust function (`Type::method`) the finding is in, else the logical id of the
    /// resource it is about; empty when it has neither.
    pub scope: String,
    /// The message with each run of digits replaced by `#`.
    pub message: String,
}

/// One entry as read, with where it is.
#[derive(Clone, Debug)]
struct Entry {
    key: Key,
    count: usize,
    /// The entry's `rule` value, where a stale entry is reported.
    span: Span,
}

/// A baseline file, read.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub path: PathBuf,
    /// Shown in findings: relative to the working directory.
    display: String,
    text: Arc<str>,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    #[serde(default)]
    finding: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    rule: toml::Spanned<String>,
    file: String,
    #[serde(default)]
    scope: String,
    message: String,
    count: Option<usize>,
}

impl Baseline {
    /// Reads `path` (a regular file, at most [`MAX_BASELINE_BYTES`]). Errors are exit 2: a
    /// configured baseline that cannot be read must not turn into "every finding is new".
    pub fn load(path: &Path, cwd: &Path) -> Result<Baseline> {
        let text = crate::limits::read_config_text(path, MAX_BASELINE_BYTES)
            .map_err(|why| Error::new(format!("cannot read baseline {}: {why}", path.display())))?;
        Self::parse(path, &text, cwd)
    }

    fn parse(path: &Path, text: &str, cwd: &Path) -> Result<Baseline> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let at = match e.span() {
                Some(span) => crate::config::LoadedConfig::locate(path, text, span.start),
                None => path.display().to_string(),
            };
            let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
            Error::new(format!("invalid baseline {at}: {message}"))
        })?;
        if raw.version != VERSION {
            return Err(Error::new(format!(
                "invalid baseline {}: version {} is not one this slint reads ({VERSION}); rewrite it with --write-baseline",
                path.display(),
                raw.version
            )));
        }
        let entries = raw
            .finding
            .into_iter()
            .map(|e| {
                let range = e.rule.span();
                let span = Span::new(to_u32(range.start), to_u32(range.end));
                let key = Key { file: e.file, rule: e.rule.into_inner(), scope: e.scope, message: mask(&e.message) };
                Entry { key, count: e.count.unwrap_or(1).max(1), span }
            })
            .collect();
        let display = crate::files::display_path(&crate::fs::absolute(cwd, path), cwd);
        Ok(Baseline { path: path.to_path_buf(), display, text: Arc::from(text), entries })
    }

    /// Number of findings the baseline holds.
    pub fn len(&self) -> usize {
        self.entries.iter().map(|e| e.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes from `findings` those the baseline holds (and says how many of them `request`
    /// reports for), and returns an SL003 finding for each entry (of a file `request` reports for, and of a rule that ran: `enabled` says,
    /// `None` for a rule slint does not know) that matched fewer findings than it records.
    /// The baseline file joins `project`'s files so those findings can point into it.
    pub fn compare(
        &self,
        findings: &mut Vec<Finding>,
        project: &mut Project,
        request: &Request,
        enabled: &dyn Fn(&str) -> Option<bool>,
    ) -> Comparison {
        let mut remaining: BTreeMap<&Key, usize> = BTreeMap::new();
        for entry in &self.entries {
            *remaining.entry(&entry.key).or_default() += entry.count;
        }
        let keys = Keys::new(&request.root);
        let mut known = 0;
        findings.retain(|finding| {
            let key = keys.of(finding, project);
            match remaining.get_mut(&key) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    known += usize::from(request.reports(&project.db.get(finding.file).path));
                    false
                }
                _ => true,
            }
        });
        let mut stale = Vec::new();
        let mut file = None;
        for entry in &self.entries {
            let left = remaining.get(&entry.key).copied().unwrap_or(0);
            if left == 0 || !request.reports(&request.root.join(&entry.key.file)) {
                continue;
            }
            let message = match enabled(&entry.key.rule) {
                Some(false) => continue,
                None => format!("baseline entry names unknown rule `{}`", entry.key.rule),
                Some(true) if left < entry.count => format!(
                    "baseline entry for `{}` in {} records {} findings, {} of them no longer occur",
                    entry.key.rule,
                    place(&entry.key),
                    entry.count,
                    left
                ),
                Some(true) => {
                    format!("baseline entry for `{}` in {} matches no finding", entry.key.rule, place(&entry.key))
                }
            };
            // Shared by duplicated keys: report each once.
            remaining.insert(&entry.key, 0);
            let id = *file.get_or_insert_with(|| self.add_to(project));
            let meta = &UnusedSuppression::META;
            // Info whatever SL003's severity: fixing a problem must not fail the run until the
            // baseline is edited (`--fail-on info` makes stale entries fail it).
            let site = Site::new(id, entry.span);
            let mut finding = Finding::new(meta.code, meta.name, crate::diagnostic::Severity::Info, site, message);
            finding.help("the problem was fixed or moved: delete the entry, or rewrite the baseline with `slint check --write-baseline`");
            stale.push(finding);
        }
        Comparison { stale, known }
    }

    fn add_to(&self, project: &mut Project) -> FileId {
        project.db.add(self.path.clone(), self.display.clone(), self.text.clone())
    }
}

/// What comparing a run with a baseline found.
#[derive(Debug, Default)]
pub struct Comparison {
    /// SL003 findings for entries that no longer match.
    pub stale: Vec<Finding>,
    /// Findings left out because the baseline holds them (of the files the run reports for).
    pub known: usize,
}

/// `app/template.yaml` (`Queue`) as a message shows it.
fn place(key: &Key) -> String {
    if key.scope.is_empty() { format!("`{}`", key.file) } else { format!("`{}` (`{}`)", key.file, key.scope) }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `text` with each run of ASCII digits replaced by `#`.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// The baseline file for `findings`: sorted, one table per distinct key with its count.
pub fn render(findings: &[Finding], project: &Project, root: &Path) -> String {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    let keys = Keys::new(root);
    for finding in findings {
        *counts.entry(keys.of(finding, project)).or_default() += 1;
    }
    let mut out = String::from(
        "# slint baseline: findings recorded by `slint check --write-baseline`; `slint check --baseline`\n\
         # (or `baseline = \"...\"` in slint.toml) reports only findings not listed here. Entries match on\n\
         # rule, file, resource or function and message (numbers masked as #), never on line numbers.\n\
         # Delete an entry once its finding is fixed (slint reports entries that match nothing).\n",
    );
    out.push_str(&format!("version = {VERSION}\n"));
    for (key, count) in counts {
        out.push_str("\n[[finding]]\n");
        out.push_str(&format!("file = {}\n", quoted(&key.file)));
        out.push_str(&format!("rule = {}\n", quoted(&key.rule)));
        if !key.scope.is_empty() {
            out.push_str(&format!("scope = {}\n", quoted(&key.scope)));
        }
        out.push_str(&format!("message = {}\n", quoted(&key.message)));
        if count > 1 {
            out.push_str(&format!("count = {count}\n"));
        }
    }
    out
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Keys of findings, relative to the project root.
struct Keys<'a> {
    root: &'a Path,
}

impl<'a> Keys<'a> {
    fn new(root: &'a Path) -> Self {
        Keys { root }
    }

    fn of(&self, finding: &Finding, project: &Project) -> Key {
        let file = project.db.get(finding.file);
        let path = match file.path.strip_prefix(self.root) {
            Ok(relative) => {
                relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
            }
            Err(_) => file.display.clone(),
        };
        // In Rust, the function the finding is in (a handler's findings name the template
        // function as their resource, shared by every function of the binary), as the source
        // analysis recorded it; elsewhere, the resource. A file syn could not parse has no
        // functions: its findings then match on file, rule and message.
        let function = project.source.functions.get(&finding.file).and_then(|f| innermost(f, finding.span.start));
        let scope = function.or_else(|| finding.resource.clone()).unwrap_or_default();
        Key { file: path, rule: finding.code.to_string(), scope, message: mask(&finding.message) }
    }
}

/// The name of the smallest function whose span holds `offset`.
fn innermost(functions: &[FunctionExtent], offset: u32) -> Option<String> {
    functions
        .iter()
        .filter(|f| f.span.start <= offset && offset <= f.span.end)
        .min_by_key(|f| f.span.end - f.span.start)
        .map(|f| f.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked() {
        assert_eq!(mask("reserved 500 of 1000 (SL101)"), "reserved # of # (SL#)");
    }

    #[test]
    fn functions_are_named_by_their_owner() {
        let text =
            "fn main() {\n    let x = 1;\n}\nstruct S;\nimpl S {\n    fn call(&self) {\n        todo!()\n    }\n}\n";
        let functions = crate::source::collect::collect_file(text).unwrap().function_extents();
        let at = |needle: &str| text.find(needle).unwrap() as u32;
        assert_eq!(innermost(&functions, at("let x")).as_deref(), Some("main"));
        assert_eq!(innermost(&functions, at("todo!")).as_deref(), Some("S::call"));
        assert_eq!(innermost(&functions, at("struct S")), None);
    }

    #[test]
    fn bad_files_are_errors_with_a_position() {
        let err =
            Baseline::parse(Path::new("b.toml"), "version = 1\n[[finding]]\nrule = 3\n", Path::new("/")).unwrap_err();
        assert!(err.message().starts_with("invalid baseline b.toml:3:8"), "{err}");
        let err = Baseline::parse(Path::new("b.toml"), "version = 9\n", Path::new("/")).unwrap_err();
        assert!(err.message().contains("version 9"), "{err}");
    }
}
