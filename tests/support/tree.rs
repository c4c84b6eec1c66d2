//! Copying fixture folders into scratch folders, for the tests that drive the binary on a
//! project of their own.

use std::path::Path;

/// Copies the files of `from` into `to` (created if missing), recursively. A symlink is copied
/// as the file it points at.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
