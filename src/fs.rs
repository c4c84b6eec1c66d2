//! Small filesystem helpers every layer uses: how an I/O error is worded in slint's messages,
//! and lexical absolute paths (the scope checks compare paths as written, before any syscall).

use std::path::{Path, PathBuf};

/// `path` made absolute against `cwd` and normalised lexically (`.` dropped, `..` applied),
/// without resolving symlinks.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An I/O error in slint's words: the two common cases spelled plainly, the rest as the OS
/// says them.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
