//! The text of every file a run reads, read once and shared by the parsers, the rules and
//! the renderers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::span::{LineCol, LineIndex, Span};

/// Index of a file in the run's [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// One file: where it is, how it is shown, and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The path on disk, as discovery found it.
    pub path: PathBuf,
    /// The path shown in findings: relative to the current directory when below it, with `/`
    /// separators.
    pub display: String,
    /// The file's text; empty when the file could not be read or decoded.
    pub text: Arc<str>,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(id: FileId, path: PathBuf, display: String, text: Arc<str>) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile { id, path, display, text, lines }
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// Start and end of a span, both 1-based. An empty span still covers one column so that
    /// editors and GitHub show a mark.
    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        let start = self.line_col(span.start);
        let mut end = self.line_col(span.end);
        if end <= start {
            end = LineCol { line: start.line, column: start.column + 1 };
        }
        (start, end)
    }
}

/// All files of a run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> Self {
        SourceDb::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, display: String, text: Arc<str>) -> FileId {
        let lines = LineIndex::new(&text);
        self.add_indexed(path, display, text, lines)
    }

    /// Adds a file whose line index was built already (in a parallel worker).
    pub fn add_indexed(&mut self, path: PathBuf, display: String, text: Arc<str>, lines: LineIndex) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 4 billion files"));
        self.files.push(SourceFile { id, path, display, text, lines });
        id
    }

    /// Adds files built elsewhere (in parallel), renumbering them in order.
    pub fn extend(&mut self, files: impl IntoIterator<Item = (PathBuf, String, Arc<str>)>) {
        for (path, display, text) in files {
            self.add(path, display, text);
        }
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    pub fn find(&self, path: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// The path shown for `path` (absolute, normalised): relative to `cwd`, with `..` steps when
/// it is outside, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    use std::path::Component;
    let parts: Vec<Component<'_>> = path.components().collect();
    let base: Vec<Component<'_>> = cwd.components().collect();
    let common = parts.iter().zip(&base).take_while(|(a, b)| a == b).count();
    // Only a shared root is no better than the absolute path.
    if common <= 1 || !path.is_absolute() {
        return slashed(path.components());
    }
    let ups = base.len() - common;
    let mut out: Vec<String> = std::iter::repeat_n("..".to_string(), ups).collect();
    out.extend(parts[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if out.is_empty() { ".".to_string() } else { out.join("/") }
}

fn slashed<'a>(components: impl Iterator<Item = std::path::Component<'a>>) -> String {
    let mut out = String::new();
    for part in components {
        match part {
            std::path::Component::RootDir => out.push('/'),
            std::path::Component::CurDir => {}
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_relative_and_slashed() {
        let cwd = Path::new("/work/app");
        assert_eq!(display_path(Path::new("/work/app/a/template.yaml"), cwd), "a/template.yaml");
        assert_eq!(display_path(Path::new("/work/shared/t.yaml"), cwd), "../shared/t.yaml");
        assert_eq!(display_path(Path::new("/elsewhere/t.yaml"), cwd), "/elsewhere/t.yaml");
        assert_eq!(display_path(Path::new("/work/app"), cwd), ".");
    }
}
