//! Reading files written by strangers: slint runs in CI on pull requests, so every file it
//! reads may be hostile. The README's "Limits" section lists every bound; this module holds
//! the ones about reading:
//!
//! - size: no file larger than `max-file-size` (default
//!   [`DEFAULT_MAX_FILE_SIZE`], 20 MiB) is read, template, manifest or `.rs`
//!   file alike ([`read_limited`]); the size is checked before anything is read, and the read
//!   itself stops past the limit (a file growing meanwhile does not get through);
//! - place: the source analysis reads nothing outside the folders slint was given
//!   ([`ReadScope`]), whatever a template, manifest, module path or symlink points at; a path
//!   that is outside as written is refused without touching it (no `stat`);
//! - the files around the inputs: `slint.toml` ([`MAX_CONFIG_BYTES`]) and Guard packs
//!   ([`MAX_PACK_FILE_BYTES`], [`MAX_PACK_FILES`]) are read as templates are: regular files
//!   only, never a FIFO or a device, and within a size limit ([`read_config_text`]);
//! - the config keys that bound work: [`MAX_FILE_SIZE_CEILING`], [`MAX_THREADS_PER_CORE`].
//!
//! The others live with what they bound: nesting, nodes and copied keys in
//! [`crate::model::tree::Limits`] and [`crate::model::load`], resources and `Globals` merging
//! in [`crate::model::template`] and [`crate::model::sam`], YAML re-parses in
//! [`crate::model::yaml`], Guard's input in `guard::eval`, Rust file size, nesting and name
//! resolution in [`crate::source`].

use std::io::Read;
use std::path::{Path, PathBuf};

/// Default largest file read: far above any real template (the corpus's largest is 52 KB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 20 * 1024 * 1024;

/// Reads a regular file of at most `max` bytes. The error is a finding's message.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    read_bounded(path, max).map_err(|refusal| match refusal {
        Refusal::Io(e) => format!("cannot read file: {}", crate::fs::io_reason(&e)),
        Refusal::NotAFile => "not a regular file".to_string(),
        Refusal::TooLarge(size) => too_large(size, max),
    })
}

/// Why [`read_bounded`] read nothing.
enum Refusal {
    Io(std::io::Error),
    NotAFile,
    TooLarge(u64),
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, Refusal> {
    // `metadata` first: opening a FIFO would block until someone writes to it.
    let meta = std::fs::metadata(path).map_err(Refusal::Io)?;
    if !meta.is_file() {
        return Err(Refusal::NotAFile);
    }
    if meta.len() > max {
        return Err(Refusal::TooLarge(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(Refusal::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(Refusal::Io)?;
    if bytes.len() as u64 > max {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Largest `slint.toml` read. A real one is a few kilobytes; a 35 MB one took 729 MB to parse.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Largest `.guard` file of a pack (the built-in pack is 6 KB).
pub const MAX_PACK_FILE_BYTES: u64 = 1 << 20;

/// Most `.guard` files a pack folder may hold, and most entries its walk looks at.
pub const MAX_PACK_FILES: usize = 256;

/// Most folder entries a pack folder's walk looks at (a pack pointed at a huge tree stops
/// there instead of walking it all).
pub const MAX_PACK_ENTRIES: usize = 10_000;

/// The highest `max-file-size` a config may set: above it a template is no template (the
/// node limit would stop it anyway, after reading and parsing it all).
pub const MAX_FILE_SIZE_CEILING: u64 = 64 << 20;

/// Worker threads per core at most; more only adds thread start-up and contention (1,000
/// threads took 8.6 s on 4 files, 100,000 never finished).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The most worker threads a run uses: [`MAX_THREADS_PER_CORE`] per core.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.saturating_mul(MAX_THREADS_PER_CORE)
}

/// Reads a small text file slint is configured by (`slint.toml`, a `.guard` file): a regular
/// file (checked before opening it, so a FIFO or `/dev/zero` cannot hang the run or fill the
/// memory), of at most `max` bytes, in UTF-8. The error says why, without quoting the file.
pub fn read_config_text(path: &Path, max: u64) -> Result<String, String> {
    let bytes = read_regular(path, max)?;
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8".to_string())
}

/// [`read_bounded`] with messages that do not point at `max-file-size`.
fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    read_bounded(path, max).map_err(|refusal| match refusal {
        Refusal::Io(e) => crate::fs::io_reason(&e),
        Refusal::NotAFile => "not a regular file (a FIFO, a device or a folder is never read)".to_string(),
        Refusal::TooLarge(size) => format!("the file is {size} bytes, larger than the {max} byte limit"),
    })
}

/// The folders a run may read files from: the ones it was given. Templates name code folders
/// (`CodeUri`), manifests name path dependencies and workspace members, Rust files name module
/// files (`#[path]`), and any of them may be a symlink: none of that may make slint read, and
/// print a snippet of, a file outside the tree under review.
#[derive(Clone, Debug, Default)]
pub struct ReadScope {
    /// Canonical roots; empty means anywhere (library use, tests).
    roots: Vec<PathBuf>,
    /// The same roots as given (absolute, normalised, symlinks kept), for the lexical test.
    given: Vec<PathBuf>,
}

impl ReadScope {
    /// Anywhere: no confinement.
    pub fn anywhere() -> Self {
        ReadScope::default()
    }

    /// The folders given on the command line; for a file, the current folder when the file is
    /// below it (a crate's manifest sits above its `src/main.rs`), else the file's folder.
    pub fn of(paths: &[PathBuf], cwd: &Path) -> Self {
        let mut given: Vec<PathBuf> = paths
            .iter()
            .map(|given| {
                let path = crate::fs::absolute(cwd, given);
                if path.is_dir() {
                    path
                } else if path.starts_with(cwd) {
                    cwd.to_path_buf()
                } else {
                    path.parent().map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
                }
            })
            .collect();
        let mut roots: Vec<PathBuf> =
            given.iter().map(|root| std::fs::canonicalize(root).unwrap_or_else(|_| root.clone())).collect();
        for list in [&mut roots, &mut given] {
            list.sort();
            list.dedup();
        }
        ReadScope { roots, given }
    }

    /// Whether `path` is inside a root as written (`..` applied, symlinks not resolved). No
    /// system call: a path outside as written is refused without being touched, so slint
    /// does not even tell whether it exists.
    pub fn allows_as_written(&self, path: &Path) -> bool {
        if self.roots.is_empty() {
            return true;
        }
        let path = crate::fs::absolute(Path::new("/"), path);
        self.given.iter().chain(&self.roots).any(|root| path.starts_with(root))
    }

    /// Whether `path`, symlinks resolved, is inside a root. A path outside as written is
    /// refused first, untouched ([`Self::allows_as_written`]); one inside that does not
    /// resolve is allowed: reading it fails anyway, with its own message.
    pub fn allows(&self, path: &Path) -> bool {
        if self.roots.is_empty() {
            return true;
        }
        if !self.allows_as_written(path) {
            return false;
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
        ReadPolicy { max_bytes: DEFAULT_MAX_FILE_SIZE, scope: ReadScope::anywhere() }
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
