//! Finding the files to lint: walk folders (honouring `.gitignore`/`.ignore`, skipping build
//! output), keep named files as they are, never follow a symlink out of the tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use crate::error::{Error, Result};
use crate::fs::absolute;

/// Folders that never hold sources to lint: VCS data, build output, copies of templates.
/// `.aws-sam/build` holds copies of every template, which would double every finding.
pub const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules", ".aws-sam", "cdk.out"];

/// Extensions of files that may be CloudFormation/SAM templates.
pub const TEMPLATE_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputKind {
    /// A YAML/JSON document that may be a template (decided by content).
    Document,
    /// A `Cargo.toml`.
    Manifest,
    /// A `.rs` file named on the command line.
    RustSource,
}

/// A file to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// Absolute path (not canonicalised: symlinks inside the tree keep their own name).
    pub path: PathBuf,
    pub kind: InputKind,
    /// Named on the command line: always linted, whatever its content.
    pub named: bool,
}

/// A path the walk could not use; reported as a finding, the walk goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
    /// Left out on purpose (a symlink out of the tree, a FIFO): SL005 `not read: ...`, not a
    /// problem of the file (SL001).
    pub not_read: bool,
}

/// Why a walked template or `Cargo.toml` that is no regular file was not read.
pub const NOT_A_FILE: &str = "not read: not a regular file (a FIFO, socket or device is never opened)";

#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub problems: Vec<WalkProblem>,
    /// The folders walked (absolute), where CDK apps are looked for (`cdk::find_in`).
    pub walked: Vec<PathBuf>,
}

/// Globs of paths not to lint. A pattern with a `/` is matched against the path relative to
/// its base folder; one without matches any single path component (like `.gitignore`).
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    anchored: Vec<(PathBuf, GlobMatcher)>,
    components: Vec<GlobMatcher>,
}

impl Exclude {
    pub fn add(&mut self, base: &Path, pattern: &str) -> Result<()> {
        let glob = Glob::new(pattern.trim_end_matches('/'))
            .map_err(|e| Error::new(format!("invalid exclude pattern `{pattern}`: {}", e.kind())))?
            .compile_matcher();
        if pattern.trim_end_matches('/').contains('/') {
            self.anchored.push((base.to_path_buf(), glob));
        } else {
            self.components.push(glob);
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.anchored.is_empty() && self.components.is_empty()
    }

    pub fn matches(&self, path: &Path) -> bool {
        if self.components.iter().any(|g| path.components().any(|c| g.is_match(c.as_os_str()))) {
            return true;
        }
        self.anchored.iter().any(|(base, g)| path.strip_prefix(base).is_ok_and(|rel| g.is_match(rel)))
    }
}

/// Collects the inputs under `paths` (relative ones resolved against `cwd`).
pub fn discover(paths: &[PathBuf], cwd: &Path, exclude: &Exclude) -> Result<Discovery> {
    let mut found: BTreeMap<PathBuf, Input> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut walked = Vec::new();
    for given in paths {
        let path = absolute(cwd, given);
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|e| Error::new(format!("cannot read {}: {}", given.display(), crate::fs::io_reason(&e))))?;
        if meta.is_dir() {
            walk(&path, exclude, &mut found, &mut problems);
            walked.push(path);
        } else if !exclude.matches(&path) {
            found.entry(path.clone()).or_insert(Input { kind: kind_of_named(&path), path, named: true });
        }
    }
    Ok(Discovery { inputs: found.into_values().collect(), problems, walked })
}

fn kind_of_named(path: &Path) -> InputKind {
    if path.file_name().is_some_and(|n| n == "Cargo.toml") {
        InputKind::Manifest
    } else if path.extension().is_some_and(|e| e == "rs") {
        InputKind::RustSource
    } else {
        InputKind::Document
    }
}

fn kind_of_walked(path: &Path) -> Option<InputKind> {
    if path.file_name().is_some_and(|n| n == "Cargo.toml") {
        return Some(InputKind::Manifest);
    }
    let ext = path.extension()?.to_str()?;
    TEMPLATE_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(ext)).then_some(InputKind::Document)
}

/// What one walked entry is: an input, a problem to report, or nothing to lint.
enum Walked {
    Input(PathBuf, InputKind),
    Problem(WalkProblem),
    Skip,
}

/// Walks `root`. Serially: `ignore`'s parallel walker costs 1-3 ms of thread start-up and
/// hand-over per walk, more than it saves on a project's tree (medians of `SLINT_TIMINGS`:
/// the sample project 0.3 ms serial against 1.7-3.9 ms parallel, a 300-file monorepo 2.4
/// against 3.5 ms, two real repositories 6.5 against 8.8 ms); only a tree as wide as the
/// 559-template corpus walks faster in parallel (6.1 against 9.4 ms).
fn walk(root: &Path, exclude: &Exclude, found: &mut BTreeMap<PathBuf, Input>, problems: &mut Vec<WalkProblem>) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let exclude_for_filter = exclude.clone();
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let name = entry.file_name().to_str().unwrap_or("");
            let skipped_dir = is_dir && SKIPPED_DIRS.contains(&name);
            !skipped_dir && !exclude_for_filter.matches(entry.path())
        });
    let mut walk_problems = Vec::new();
    for entry in builder.build() {
        match classify(root, &canonical_root, entry) {
            Walked::Input(path, kind) => {
                found.entry(path.clone()).or_insert(Input { path, kind, named: false });
            }
            Walked::Problem(problem) => walk_problems.push(problem),
            Walked::Skip => {}
        }
    }
    walk_problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    problems.extend(walk_problems);
}

fn classify(root: &Path, canonical_root: &Path, entry: std::result::Result<ignore::DirEntry, ignore::Error>) -> Walked {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => return Walked::Problem(walk_problem(root, &err)),
    };
    let Some(file_type) = entry.file_type() else { return Walked::Skip };
    let path = entry.path();
    let Some(kind) = kind_of_walked(path) else { return Walked::Skip };
    let not_read = |message: &str| {
        Walked::Problem(WalkProblem { path: path.to_path_buf(), message: message.to_string(), not_read: true })
    };
    if file_type.is_symlink() {
        match symlink_target(root, canonical_root, path) {
            Ok(Target::File) => {}
            Ok(Target::Outside) => return not_read(crate::limits::OUT_OF_SCOPE),
            Ok(Target::Special) => return not_read(NOT_A_FILE),
            Ok(Target::Skipped) => return Walked::Skip,
            Err(message) => return Walked::Problem(WalkProblem { path: path.to_path_buf(), message, not_read: false }),
        }
    } else if file_type.is_dir() {
        return Walked::Skip;
    } else if !file_type.is_file() {
        return not_read(NOT_A_FILE);
    }
    Walked::Input(path.to_path_buf(), kind)
}

/// What a walked symlink leads to.
enum Target {
    /// A regular file inside the walked folder: linted.
    File,
    /// Out of the walked folder: a pull request must not make slint read files outside the
    /// checkout. Reported (SL005), not read.
    Outside,
    /// A FIFO, socket or device inside the folder: reported, never opened.
    Special,
    /// A folder (not followed) or nothing (a dangling link).
    Skipped,
}

/// Where a symlink leads. A link whose target is outside the folder as written is judged
/// without touching the target; only a link that stays inside as written is resolved (it may
/// still lead out through another link).
fn symlink_target(root: &Path, canonical_root: &Path, link: &Path) -> std::result::Result<Target, String> {
    if let Ok(target) = std::fs::read_link(link) {
        let written = absolute(link.parent().unwrap_or(root), &target);
        if !written.starts_with(root) && !written.starts_with(canonical_root) {
            return Ok(Target::Outside);
        }
    }
    match std::fs::canonicalize(link) {
        Ok(target) if !target.starts_with(canonical_root) => Ok(Target::Outside),
        Ok(target) => match std::fs::metadata(&target) {
            Ok(meta) if meta.is_file() => Ok(Target::File),
            Ok(meta) if meta.is_dir() => Ok(Target::Skipped),
            Ok(_) => Ok(Target::Special),
            Err(_) => Ok(Target::Skipped),
        },
        // 40 is ELOOP on Linux; `ErrorKind::FilesystemLoop` is not stable yet.
        Err(e) if e.raw_os_error() == Some(40) => Err("symlink loop: the link resolves to itself".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Skipped),
        Err(e) => Err(format!("cannot resolve symlink: {}", crate::fs::io_reason(&e))),
    }
}

fn walk_problem(root: &Path, err: &ignore::Error) -> WalkProblem {
    let path = error_path(err).unwrap_or(root).to_path_buf();
    let message = match err.io_error() {
        Some(io) => format!("cannot read: {}", crate::fs::io_reason(io)),
        None => err.to_string(),
    };
    WalkProblem { path, message, not_read: false }
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}
