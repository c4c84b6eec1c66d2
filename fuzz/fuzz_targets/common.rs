//! Checks shared by the fuzz targets: what must hold of any tree a loader returns.

use slint::model::tree::{NodeId, NodeKind, Tree};
use slint::span::{LineIndex, Span};

/// Every span of the tree lies inside the text, on character boundaries, and maps to a
/// line and column; every node has a path. Renderers slice the text by these spans, so a
/// span that breaks this is a crash waiting for the report.
pub fn check_tree(text: &str, tree: &Tree) {
    let lines = LineIndex::new(text);
    let check = |span: Span, what: &str| {
        let (start, end) = (span.start as usize, span.end as usize);
        assert!(start <= end && end <= text.len(), "{what} span {span:?} outside a text of {} bytes", text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "{what} span {span:?} splits a character");
        lines.line_col(text, span.start);
        lines.line_col(text, span.end);
    };
    for index in 0..tree.len() {
        let id = NodeId(index as u32);
        let node = tree.raw(id);
        check(node.span, "node");
        if let NodeKind::Map(entries) = &node.kind {
            for entry in entries {
                check(entry.key_span, "key");
            }
        }
        let path = tree.path(id);
        assert!(path.0.len() <= tree.len(), "path longer than the tree");
    }
    for duplicate in &tree.duplicates {
        check(duplicate.first, "duplicate");
        check(duplicate.second, "duplicate");
    }
}
