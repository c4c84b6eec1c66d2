//! The project root and what a run reports for.
//!
//! A run loads the whole project and reports for what was asked, the way cargo and ruff
//! find their projects: the root is the nearest folder at or above the given paths with a
//! `slint.toml`, else the top of the git work tree they are in (a folder with `.git`, a
//! folder or, in a worktree, a file), else the given folder itself. Templates, crates and
//! their links are loaded from the root, so a finding on a named `.rs` file still knows the
//! template function that deploys it; findings are then kept only when they are located in a
//! given folder or a named file. Nothing outside the root is read.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What marked the root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A `slint.toml` in the root.
    Config,
    /// The top of a git work tree.
    Git,
    /// Neither above the given paths: the given folder (or the folder common to them).
    Given,
}

/// A run's project root and the paths it reports findings for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Absolute and normalised (symlinks kept).
    pub root: PathBuf,
    pub marker: Marker,
    /// Given folders, absolute and normalised.
    pub folders: Vec<PathBuf>,
    /// Named files, absolute and normalised.
    pub files: Vec<PathBuf>,
    /// Why a given path cannot be read, if one cannot: reported by [`Request::check_paths`]
    /// once the packs are loaded (a broken pack is the first error a run reports).
    missing: Option<String>,
}

impl Request {
    /// The root of `paths` (relative ones against `cwd`; none means `cwd`). A path that does
    /// not exist is an error, as it always was, from [`Request::check_paths`].
    pub fn resolve(paths: &[PathBuf], cwd: &Path) -> Request {
        let given: Vec<PathBuf> = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
        let mut folders = Vec::new();
        let mut files = Vec::new();
        let mut missing = None;
        for path in &given {
            let absolute = crate::fs::absolute(cwd, path);
            match std::fs::symlink_metadata(&absolute) {
                Ok(meta) if meta.is_dir() => folders.push(absolute),
                Ok(_) => files.push(absolute),
                Err(e) => {
                    let why = format!("cannot read {}: {}", path.display(), crate::fs::io_reason(&e));
                    missing.get_or_insert(why);
                }
            }
        }
        let start = common_folder(folders.iter().cloned().chain(files.iter().filter_map(|f| parent(f))), cwd);
        let (root, marker) = find_root(&start);
        Request { root, marker, folders, files, missing }
    }

    /// The error for a given path that does not exist.
    pub fn check_paths(&self) -> Result<()> {
        match &self.missing {
            Some(why) => Err(Error::new(why.clone())),
            None => Ok(()),
        }
    }

    /// Whether findings located in `path` are reported: it is a named file or below a given
    /// folder. A file outside the root (a `CodeUri` or symlink that leads out, reported as not
    /// read) belongs to the whole project: it is reported when the root itself was given.
    pub fn reports(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f == path)
            || self.folders.iter().any(|d| path.starts_with(d))
            || (self.is_whole_project() && !path.starts_with(&self.root))
    }

    /// Whether the run reports for the whole project (the root itself was given).
    pub fn is_whole_project(&self) -> bool {
        self.folders.contains(&self.root)
    }

    /// What discovery walks and reads: named files first (so they stay "named": linted
    /// whatever their content), then the root.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs = self.files.clone();
        inputs.push(self.root.clone());
        inputs
    }
}

fn parent(path: &Path) -> Option<PathBuf> {
    path.parent().map(Path::to_path_buf)
}

/// The deepest folder that holds all of `folders` (`cwd` when there are none).
fn common_folder(folders: impl Iterator<Item = PathBuf>, cwd: &Path) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for folder in folders {
        common = Some(match common {
            None => folder,
            Some(so_far) => {
                let shared: PathBuf =
                    so_far.components().zip(folder.components()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect();
                shared
            }
        });
    }
    common.unwrap_or_else(|| cwd.to_path_buf())
}

/// The nearest folder at or above `start` with a `slint.toml`, else the top of the git work
/// tree, else `start`. Stops at the filesystem root.
pub fn find_root(start: &Path) -> (PathBuf, Marker) {
    if let Some(config) = crate::config::find(start) {
        if let Some(folder) = config.parent() {
            return (folder.to_path_buf(), Marker::Config);
        }
    }
    if let Some(top) = start.ancestors().find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok()) {
        return (top.to_path_buf(), Marker::Git);
    }
    (start.to_path_buf(), Marker::Given)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("slint-root-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("app/src/bin")).unwrap();
        std::fs::write(dir.join("app/src/bin/a.rs"), "fn main() {}").unwrap();
        dir
    }

    #[test]
    fn the_nearest_config_wins_then_git_then_the_given_folder() {
        let dir = scratch("markers");
        let bin = dir.join("app/src/bin");
        let request = Request::resolve(&[], &bin);
        // No marker up to `/` in a temp dir: the given folder.
        if request.marker == Marker::Given {
            assert_eq!(request.root, bin);
        }
        std::fs::create_dir(dir.join(".git")).unwrap();
        let request = Request::resolve(&[PathBuf::from("a.rs")], &bin);
        assert_eq!((request.root.as_path(), request.marker), (dir.as_path(), Marker::Git));
        assert_eq!(request.files, vec![bin.join("a.rs")]);
        assert!(request.reports(&bin.join("a.rs")) && !request.reports(&dir.join("app/template.yaml")));
        std::fs::write(dir.join("app/slint.toml"), "").unwrap();
        let request = Request::resolve(&[PathBuf::from(".")], &bin);
        assert_eq!((request.root.clone(), request.marker), (dir.join("app"), Marker::Config));
        assert!(request.reports(&bin.join("b.rs")) && !request.is_whole_project());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn paths_share_their_deepest_folder() {
        let common = common_folder([PathBuf::from("/a/b/c"), PathBuf::from("/a/b/d/e")].into_iter(), Path::new("/x"));
        assert_eq!(common, PathBuf::from("/a/b"));
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let err = Request::resolve(&[PathBuf::from("no/such.yaml")], Path::new("/")).check_paths().unwrap_err();
        assert!(err.message().starts_with("cannot read no/such.yaml"), "{err}");
    }
}
