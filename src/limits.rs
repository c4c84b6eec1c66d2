//! Reading files written by strangers: slint runs in CI on pull requests, so every file it
//! reads may be hostile. What bounds each stage (documented in the README's "Limits"):
//!
//! - size: no file larger than `max-file-size` (default 20 MiB, [`crate::settings::DEFAULT_MAX_FILE_SIZE`]) is read, template, manifest or
//!   `.rs` file alike ([`read_limited`]); the size is checked before anything is read, and the
//!   read itself stops past the limit (a file growing meanwhile does not get through);
//! - nesting: templates past [`crate::model::tree::Limits::max_depth`] levels and Rust files
//!   past [`crate::source::collect::MAX_BRACKET_DEPTH`] brackets are rejected by a scan that
//!   does not recurse, before any recursive parser sees them;
//! - nodes: a template's tree, aliases expanded, is bounded by
//!   [`crate::model::tree::Limits::max_expanded_nodes`]; an alias is the anchored node itself,
//!   never a copy, so an alias bomb costs memory linear in its text;
//! - work: parsing is linear in the text; YAML re-parses for under-indented flow content are
//!   bounded in number and in bytes ([`crate::model::yaml`]).

use std::io::Read;
use std::path::Path;

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

/// Reads a UTF-8 text file of at most `max` bytes.
pub fn read_text_limited(path: &Path, max: u64) -> Result<String, String> {
    let bytes = read_limited(path, max)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes().get(at).copied().unwrap_or_default();
        format!("file is not valid UTF-8: invalid byte 0x{byte:02X} at byte {at}")
    })
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
        std::fs::write(&path, b"a: \xE9\n").unwrap();
        assert_eq!(read_text_limited(&path, 100).unwrap_err(), "file is not valid UTF-8: invalid byte 0xE9 at byte 3");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
