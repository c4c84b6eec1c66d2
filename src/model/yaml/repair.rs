//! Under-indented flow content, re-indented and parsed again (see below).

use std::collections::BTreeMap;

use super::spans::{double_quoted_end, single_quoted_end};
use super::{Failure, build};
use crate::model::load::LoadError;
use crate::model::tree::{Limits, Tree};
use crate::span::Span;

// --- Under-indented flow content ---------------------------------------------------------
//
// saphyr follows YAML 1.2: inside a block collection, every line of a flow collection or a
// multi-line quoted scalar must be indented deeper than the collection. PyYAML, and with it
// the `sam` CLI, cfn-lint and CloudFormation, does not check this, and templates rely on it
// (a closing `]` at its key's column, a JSON policy pasted at the key's column). Indentation
// means nothing inside those constructs (continuation lines are folded, their leading blanks
// dropped), so the loader indents the offending lines of a rejected construct in a copy of
// the text, parses again, and maps every position back to the original.

/// A flow collection or quoted scalar, `[start, end)`, whose lines must reach `min_column`.
pub(super) struct Repair {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) min_column: usize,
}

/// Each re-parse repairs at least one more construct; a file needing more is rejected with its
/// first error rather than parsed without end.
pub(super) const MAX_REPAIRS: usize = 32;

/// Bytes the re-parses of one file may cover together, so that repairs cost a bounded multiple
/// of a real template's parse: 32 re-parses of a 1 MB template (CloudFormation's limit), one of
/// a 20 MB file. Without it a 20 MB file with 33 broken constructs costs 32 full parses.
pub(super) const REPAIR_BUDGET_BYTES: usize = 32 << 20;

/// saphyr stops at the first rejected construct, so repairing them one by one costs a parse
/// each (four JSON policies at their key's column in one template: five parses). The first
/// re-parse therefore also re-indents every later construct that *looks* the same
/// ([`likely_repairs`]); that guess is kept only when the tree it allows puts every re-indented
/// line inside a quoted scalar or flow collection, where indentation means nothing. Otherwise
/// the repairs start over, one construct per parse.
pub(super) fn load_under_indented(text: &str, limits: Limits, first: Failure) -> Result<Tree, LoadError> {
    let first_error = first.error.clone();
    let Some(repair) = first.repair else { return Err(first.error) };
    let mut parses_left = MAX_REPAIRS.min(REPAIR_BUDGET_BYTES / text.len().max(1));
    let guesses = likely_repairs(text, repair.end);
    if !guesses.is_empty() {
        let mut padding = Padding::indenting(text, std::iter::once(&repair).chain(&guesses));
        if let Ok(tree) = reparse_until_clean(text, limits, &mut padding, &mut parses_left) {
            if only_inside_flow_content(text, &tree, padding.inserts.keys().copied()) {
                return Ok(tree);
            }
        }
    }
    let mut padding = Padding::indenting(text, [&repair]);
    reparse_until_clean(text, limits, &mut padding, &mut parses_left).map_err(|error| error.unwrap_or(first_error))
}

/// Parses `text` with `padding`, adding the repair of each construct saphyr still rejects,
/// while parses are left. `Err(None)`: out of parses, or a repair that changes nothing (the
/// caller reports the first error); `Err(Some(e))`: a genuine error elsewhere.
pub(super) fn reparse_until_clean(
    text: &str,
    limits: Limits,
    padding: &mut Padding,
    parses_left: &mut usize,
) -> Result<Tree, Option<LoadError>> {
    while *parses_left > 0 {
        *parses_left -= 1;
        #[cfg(test)]
        super::tests::REPARSES.with(|n| n.set(n.get() + 1));
        let padded = padding.apply(text);
        match build(&padded, limits) {
            Ok(mut tree) => {
                tree.map_spans(|span| padding.restore(span));
                return Ok(tree);
            }
            Err(Failure { repair: None, error }) => return Err(Some(padding.restore_error(error))),
            Err(Failure { repair: Some(repair), .. }) => {
                if !padding.indent(text, &repair) {
                    return Err(None);
                }
            }
        }
    }
    Err(None)
}

/// Quoted scalars and flow collections after `from` that saphyr would reject like the one it
/// did: one that opens a block mapping value (`Key: [`, `Key: !Sub '{`) or a sequence item
/// (`- {`) and continues on lines indented no deeper than that key or dash. Read lexically,
/// line by line (block scalars skipped), so it is a guess, checked by the caller.
pub(super) fn likely_repairs(text: &str, from: usize) -> Vec<Repair> {
    let bytes = text.as_bytes();
    let line_after = |at: usize| bytes[at.min(bytes.len())..].iter().position(|&b| b == b'\n').map(|p| at + p + 1);
    let mut repairs = Vec::new();
    let mut block_scalar_parent: Option<usize> = None;
    // Looking for a construct's end may scan to the end of the text; lines opening constructs
    // that never close would make that quadratic, so the scans share a budget of twice the text.
    let mut scan_budget = 2 * bytes.len();
    let mut next = line_after(from);
    while let Some(line_start) = next.filter(|&at| at < bytes.len()) {
        let line_end = line_after(line_start).map_or(bytes.len(), |after| after - 1);
        next = line_after(line_start);
        let content = skip_blanks(bytes, line_start);
        let blank = content >= line_end || matches!(bytes[content], b'\r' | b'#');
        if let Some(parent) = block_scalar_parent {
            if blank || content - line_start > parent {
                continue;
            }
            block_scalar_parent = None;
        }
        if blank {
            continue;
        }
        let Some((value, parent)) = block_value(bytes, line_start, line_end) else { continue };
        match bytes[value] {
            b'|' | b'>' => block_scalar_parent = Some(parent),
            _ => {
                let end = construct_end(text, value);
                let scanned = end.unwrap_or(bytes.len()) - value;
                let Some(left) = scan_budget.checked_sub(scanned) else { break };
                scan_budget = left;
                if let Some(end) = end.filter(|&end| end > line_end) {
                    repairs.push(Repair { start: value, end, min_column: parent + 1 });
                    next = line_after(end - 1);
                }
            }
        }
    }
    repairs
}

/// Where the value of a block mapping entry or sequence item on this line starts (after any
/// tag or anchor), and the column of its key or dash, for a line like `  Key: !Sub '{`,
/// `- [` or `- Key: {`. None for anything else (a quoted key, a bare scalar, no value).
pub(super) fn block_value(bytes: &[u8], line_start: usize, line_end: usize) -> Option<(usize, usize)> {
    let mut at = skip_blanks(bytes, line_start);
    let mut dash = None;
    while bytes.get(at) == Some(&b'-') && matches!(bytes.get(at + 1), Some(b' ' | b'\t')) {
        dash = Some(at - line_start);
        at = skip_blanks(bytes, at + 1);
    }
    if at >= line_end {
        return None;
    }
    let (value, parent) = match dash {
        Some(dash) if matches!(bytes[at], b'\'' | b'"' | b'[' | b'{' | b'|' | b'>' | b'!' | b'&') => (at, dash),
        _ => (skip_blanks(bytes, plain_key_colon(bytes, at, line_end)? + 1), at - line_start),
    };
    let value = skip_properties(bytes, value, line_end);
    (value < line_end && !matches!(bytes[value], b'\r' | b'#')).then_some((value, parent))
}

/// The `:` that ends a plain mapping key starting at `at`, on this line.
pub(super) fn plain_key_colon(bytes: &[u8], at: usize, line_end: usize) -> Option<usize> {
    if matches!(
        bytes.get(at)?,
        b'\'' | b'"' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b','
    ) {
        return None;
    }
    (at..line_end)
        .find(|&i| bytes[i] == b':' && (i + 1 == line_end || matches!(bytes[i + 1], b' ' | b'\t' | b'\r')))
        .filter(|&colon| !bytes[at..colon].windows(2).any(|w| matches!(w, [b' ' | b'\t', b'#'])))
}

/// Skips a node's tag (`!Sub`) and anchor (`&name`), each followed by blanks.
pub(super) fn skip_properties(bytes: &[u8], mut at: usize, line_end: usize) -> usize {
    while at < line_end && matches!(bytes[at], b'!' | b'&') {
        while at < line_end && !matches!(bytes[at], b' ' | b'\t' | b'\r') {
            at += 1;
        }
        at = skip_blanks(bytes, at);
    }
    at
}

/// Whether every one of `line_starts` lies strictly inside a quoted scalar or flow collection
/// of `tree` (a node whose text starts with a quote or bracket): re-indenting such a line
/// changes nothing, anywhere else it could change the structure.
pub(super) fn only_inside_flow_content(text: &str, tree: &Tree, mut line_starts: impl Iterator<Item = usize>) -> bool {
    let bytes = text.as_bytes();
    let mut spans: Vec<(usize, usize)> = tree
        .node_spans()
        .map(|span| (span.start as usize, span.end as usize))
        .filter(|&(start, _)| matches!(bytes.get(start), Some(b'\'' | b'"' | b'[' | b'{')))
        .collect();
    spans.sort_unstable();
    let mut reach = 0;
    let furthest_end: Vec<usize> = spans
        .iter()
        .map(|&(_, end)| {
            reach = reach.max(end);
            reach
        })
        .collect();
    line_starts.all(|at| {
        let before = spans.partition_point(|&(start, _)| start < at);
        before > 0 && furthest_end[before - 1] > at
    })
}

/// Spaces inserted at line starts of the original text.
#[derive(Default)]
pub(super) struct Padding {
    /// Original offset of a line start → spaces inserted there.
    inserts: BTreeMap<usize, usize>,
    /// Per insert, in order: where it starts in the padded text, its original offset, its
    /// length. Rebuilt on change, so mapping an offset back is a binary search.
    index: Vec<(usize, usize, usize)>,
}

impl Padding {
    /// Padding that re-indents `constructs`, given in original coordinates.
    fn indenting<'a>(text: &str, constructs: impl IntoIterator<Item = &'a Repair>) -> Padding {
        let mut padding = Padding::default();
        for construct in constructs {
            padding.indent_original(text, construct);
        }
        padding.reindex();
        padding
    }

    /// Indents every line starting inside `repair` (given in padded coordinates) to its
    /// minimum column. Returns false when nothing needed to change.
    fn indent(&mut self, text: &str, repair: &Repair) -> bool {
        let original = Repair {
            start: self.original(repair.start),
            end: self.original(repair.end),
            min_column: repair.min_column,
        };
        let changed = self.indent_original(text, &original);
        if changed {
            self.reindex();
        }
        changed
    }

    /// [`Padding::indent`] for a construct given in original coordinates, without reindexing.
    fn indent_original(&mut self, text: &str, repair: &Repair) -> bool {
        let (start, end) = (repair.start, repair.end);
        let bytes = text.as_bytes();
        let construct = bytes.get(start..end.min(bytes.len())).unwrap_or_default();
        let mut changed = false;
        for (i, _) in construct.iter().enumerate().filter(|&(_, &b)| b == b'\n') {
            let line_start = start + i + 1;
            let blanks = bytes[line_start..].iter().take_while(|&&b| matches!(b, b' ' | b'\t')).count();
            let inserted = self.inserts.get(&line_start).copied().unwrap_or(0);
            if blanks + inserted < repair.min_column {
                self.inserts.insert(line_start, repair.min_column - blanks);
                changed = true;
            }
        }
        changed
    }

    fn apply(&self, text: &str) -> String {
        let extra: usize = self.inserts.values().sum();
        let mut padded = String::with_capacity(text.len() + extra);
        let mut copied = 0;
        for (&at, &count) in &self.inserts {
            padded.push_str(&text[copied..at]);
            padded.extend(std::iter::repeat_n(' ', count));
            copied = at;
        }
        padded.push_str(&text[copied..]);
        padded
    }

    fn reindex(&mut self) {
        let mut shift = 0;
        self.index = (self.inserts.iter())
            .map(|(&at, &count)| {
                let entry = (at + shift, at, count);
                shift += count;
                entry
            })
            .collect();
    }

    /// The original offset of a padded offset; inserted spaces map to their line start.
    fn original(&self, padded: usize) -> usize {
        let after = self.index.partition_point(|&(start, ..)| start <= padded);
        let Some(&(start, at, count)) = after.checked_sub(1).and_then(|i| self.index.get(i)) else {
            return padded;
        };
        if padded < start + count { at } else { padded - (start - at) - count }
    }

    fn restore(&self, span: Span) -> Span {
        let start = self.original(span.start as usize);
        let end = self.original(span.end as usize).max(start);
        Span::from_range(start..end)
    }

    fn restore_error(&self, error: LoadError) -> LoadError {
        LoadError { span: self.restore(error.span), ..error }
    }
}

/// The end of the quoted scalar or flow collection starting at `start`.
pub(super) fn construct_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let rest = bytes.get(start..)?;
    let len = match rest.first()? {
        b'\'' => single_quoted_end(rest)?,
        b'"' => double_quoted_end(rest)?,
        b'[' | b'{' => {
            let len = flow_collection_end(rest)?;
            // Only a flow collection that ends its line is a value in block context; anything
            // else is not understood well enough to touch.
            let after = skip_blanks(rest, len);
            if !matches!(rest.get(after), None | Some(b'\n' | b'\r' | b'#')) {
                return None;
            }
            len
        }
        _ => return None,
    };
    Some(start + len)
}

/// Length of the flow collection at the start of `bytes`. Inside a flow collection a plain
/// scalar cannot hold a bracket, so brackets outside quotes and comments are structure.
pub(super) fn flow_collection_end(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let after_separator =
            i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n' | b'[' | b'{' | b',' | b':');
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\'' if after_separator => {
                i += single_quoted_end(&bytes[i..])?;
                continue;
            }
            b'"' if after_separator => {
                i += double_quoted_end(&bytes[i..])?;
                continue;
            }
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                i += bytes[i..].iter().position(|&b| b == b'\n').unwrap_or(bytes.len() - i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

pub(super) fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_maps_offsets_back() {
        let mut padding = Padding::default();
        padding.inserts.insert(4, 2);
        padding.inserts.insert(10, 3);
        padding.reindex();
        let text = "ab\ncd\nef\ngh\n";
        assert_eq!(padding.apply(text), "ab\nc  d\nef\ng   h\n");
        let original: Vec<usize> = (0..16).map(|o| padding.original(o)).collect();
        assert_eq!(original, [0, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10]);
    }
}
