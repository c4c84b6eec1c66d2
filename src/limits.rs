//! Reading files written by strangers: slint runs in CI on pull requests, so every file it
//! reads may be hostile. The README's "Limits" section lists every bound; this module holds
//! the ones about reading:
//!
//! - size: no file larger than `max-file-size` (default
//!   [`crate::settings::DEFAULT_MAX_FILE_SIZE`], 20 MiB) is read, template, manifest or `.rs`
//!   file alike ([`read_limited`]); the size is checked before anything is read, and the read
//!   itself stops past the limit (a file growing meanwhile does not get through);
//! - place: the source analysis reads nothing outside the folders slint was given
//!   ([`ReadScope`]), whatever a template, manifest, module path or symlink points at.
//!
//! The others live with what they bound: nesting, nodes and copied keys in
//! [`crate::model::tree::Limits`] and [`crate::model::load`], resources and `Globals` merging
//! in [`crate::model::template`] and [`crate::model::sam`], YAML re-parses in
//! [`crate::model::yaml`], Guard's input in `guard::eval`, Rust file size, nesting and name
//! resolution in [`crate::source`].

use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads a regular file of at most `max` bytes. The error is a finding's message.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let reason = |e: std::io::Error| format!("cannot read file: {}", crate::config::io_reason(&e));
    // `metadata` first: opening a FIFO would block until someone writes to it.
    let meta = std::fs::metadata(path).map_err(reason)?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    let file = std::fs::File::open(path).map_err(reason)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(reason)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64, max));
    }
    Ok(bytes)
}

/// The folders a run may read files from: the ones it was given. Templates name code folders
/// (`CodeUri`), manifests name path dependencies and workspace members, Rust files name module
/// files (`#[path]`), and any of them may be a symlink: none of that may make slint read, and
/// print a snippet of, a file outside the tree under review.
#[derive(Clone, Debug, Default)]
pub struct ReadScope {
    /// Canonical roots; empty means anywhere (library use, tests).
    roots: Vec<PathBuf>,
}

impl ReadScope {
    /// Anywhere: no confinement.
    pub fn anywhere() -> Self {
        ReadScope::default()
    }

    /// The folders given on the command line; for a file, the current folder when the file is
    /// below it (a crate's manifest sits above its `src/main.rs`), else the file's folder.
    pub fn of(paths: &[PathBuf], cwd: &Path) -> Self {
        let mut roots: Vec<PathBuf> = paths
            .iter()
            .map(|given| {
                let path = crate::discover::absolute(cwd, given);
                if path.is_dir() {
                    path
                } else if path.starts_with(cwd) {
                    cwd.to_path_buf()
                } else {
                    path.parent().map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
                }
            })
            .map(|root| std::fs::canonicalize(&root).unwrap_or(root))
            .collect();
        roots.sort();
        roots.dedup();
        ReadScope { roots }
    }

    /// Whether `path`, symlinks resolved, is inside a root. A path that does not resolve is
    /// allowed: reading it fails anyway, with its own message.
    pub fn allows(&self, path: &Path) -> bool {
        if self.roots.is_empty() {
            return true;
        }
        match std::fs::canonicalize(path) {
            Ok(real) => self.roots.iter().any(|root| real.starts_with(root)),
            Err(_) => true,
        }
    }
}

/// How files may be read: how large, and from where.
#[derive(Clone, Debug)]
pub struct ReadPolicy {
    pub max_bytes: u64,
    pub scope: ReadScope,
}

/// Why a read was refused or failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Outside the folders slint was given: not read, not a problem of the file.
    OutOfScope(String),
    /// Too large, unreadable, not a file: the file's problem.
    Failed(String),
}

impl ReadPolicy {
    pub fn new(max_bytes: u64, scope: ReadScope) -> Self {
        ReadPolicy { max_bytes, scope }
    }

    /// Reads `path` when the scope allows it and it is small enough.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        if !self.scope.allows(path) {
            return Err(ReadError::OutOfScope(OUT_OF_SCOPE.to_string()));
        }
        read_limited(path, self.max_bytes).map_err(ReadError::Failed)
    }
}

/// The message for a file outside the folders slint was given.
pub const OUT_OF_SCOPE: &str =
    "not read: the file is outside the folders slint was given (a path or symlink leads out)";

impl Default for ReadPolicy {
    fn default() -> Self {
        ReadPolicy { max_bytes: crate::settings::DEFAULT_MAX_FILE_SIZE, scope: ReadScope::anywhere() }
    }
}

fn too_large(size: u64, max: u64) -> String {
    format!("file is {size} bytes, larger than the {max} byte limit (`max-file-size` in slint.toml)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_over_the_limit_are_not_read() {
        let dir = std::env::temp_dir().join(format!("slint-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        assert_eq!(read_limited(&path, 5).unwrap(), b"a: 1\n");
        let err = read_limited(&path, 4).unwrap_err();
        assert_eq!(err, "file is 5 bytes, larger than the 4 byte limit (`max-file-size` in slint.toml)");
        assert_eq!(read_limited(&dir, 100).unwrap_err(), "not a regular file");
        assert!(read_limited(&dir.join("missing"), 100).unwrap_err().contains("no such file"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_scope_keeps_reads_inside_the_given_folders() {
        let base = std::env::temp_dir().join(format!("slint-scope-{}", std::process::id()));
        let (inside, outside) = (base.join("repo"), base.join("elsewhere"));
        std::fs::create_dir_all(inside.join("src")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret"), "s").unwrap();
        std::fs::write(inside.join("src/main.rs"), "fn main() {}").unwrap();
        std::os::unix::fs::symlink(outside.join("secret"), inside.join("src/link.rs")).unwrap();
        let policy = ReadPolicy::new(100, ReadScope::of(&[PathBuf::from("repo")], &base));
        assert_eq!(policy.read(&inside.join("src/main.rs")).unwrap(), b"fn main() {}");
        assert_eq!(policy.read(&inside.join("src/link.rs")), Err(ReadError::OutOfScope(OUT_OF_SCOPE.into())));
        assert_eq!(policy.read(&inside.join("../elsewhere/secret")), Err(ReadError::OutOfScope(OUT_OF_SCOPE.into())));
        // A named file below the current folder: the current folder is the root.
        let scope = ReadScope::of(&[PathBuf::from("src/main.rs")], &inside);
        assert!(scope.allows(&inside.join("Cargo.toml")) && !scope.allows(&outside.join("secret")));
        assert!(ReadPolicy::default().read(&outside.join("secret")).is_ok());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
