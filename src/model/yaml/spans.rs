//! Where saphyr's spans are wrong, the real positions: node properties, indentless sequences,
//! quoted and block scalar ends, and character indexes turned into byte offsets.

use std::borrow::Cow;

use saphyr_parser::ScalarStyle as YamlStyle;

use super::to_u32;
use crate::span::Span;

/// Where a node's own text starts after its properties (`!Tag`, `&anchor`, in any order), and
/// the span of its tag. saphyr starts a node's span at its first property.
pub(super) fn properties(text: &str, start: u32, limit: u32) -> (Option<Span>, u32) {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let mut i = start as usize;
    let mut tag = None;
    while i < limit {
        match bytes[i] {
            b'!' => {
                let end = property_end(bytes, i, limit);
                tag = Some(Span::from_range(i..end));
                i = end;
            }
            b'&' => i = property_end(bytes, i, limit),
            _ => break,
        }
        i = skip_separation(bytes, i, limit);
    }
    (tag, to_u32(i.min(limit)))
}

pub(super) fn property_end(bytes: &[u8], start: usize, limit: usize) -> usize {
    if bytes[start..limit].starts_with(b"!<") {
        // A verbatim tag, `!<tag:yaml.org,2002:str>`, may hold any character up to `>`.
        return bytes[start..limit].iter().position(|&b| b == b'>').map_or(limit, |p| start + p + 1);
    }
    let rest = &bytes[start + 1..limit];
    let len = rest.iter().position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'));
    len.map_or(limit, |len| start + 1 + len)
}

/// Skips blanks, line breaks and comments.
pub(super) fn skip_separation(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    loop {
        while i < limit && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i < limit && bytes[i] == b'#' {
            while i < limit && bytes[i] != b'\n' {
                i += 1;
            }
        } else {
            return i;
        }
    }
}

/// The `-` of an indentless sequence (`Key:` then `- item` at the key's column), whose start
/// event saphyr places at the first item's content instead.
pub(super) fn indentless_sequence_start(text: &str, start: u32) -> u32 {
    let bytes = text.as_bytes();
    let start = start as usize;
    if matches!(bytes.get(start), Some(b'-' | b'[')) {
        return to_u32(start);
    }
    let before = &bytes[..start.min(bytes.len())];
    let blanks = before.iter().rev().take_while(|&&b| matches!(b, b' ' | b'\t')).count();
    match before.len().checked_sub(blanks + 1) {
        Some(dash) if blanks > 0 && before[dash] == b'-' => to_u32(dash),
        _ => to_u32(start),
    }
}

/// Where a scalar's text really ends. saphyr's end marker runs on past a quoted scalar over
/// trailing blanks and a comment, and past a block scalar over the following indentation.
pub(super) fn scalar_end(text: &str, style: YamlStyle, start: u32, end: u32) -> u32 {
    let bytes = text.as_bytes();
    let (start, end) = (start as usize, (end as usize).min(bytes.len()));
    if start >= end {
        return to_u32(start.min(bytes.len()));
    }
    let quoted_end = match style {
        YamlStyle::SingleQuoted => single_quoted_end(&bytes[start..end]),
        YamlStyle::DoubleQuoted => double_quoted_end(&bytes[start..end]),
        _ => None,
    };
    if let Some(len) = quoted_end {
        return to_u32(start + len);
    }
    let trimmed = bytes[start..end].iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    to_u32(trimmed.map_or(start, |p| start + p + 1))
}

/// Length of a `'...'` scalar at the start of `bytes` (`''` is an escaped quote).
pub(super) fn single_quoted_end(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// Length of a `"..."` scalar at the start of `bytes`.
pub(super) fn double_quoted_end(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The start of a block scalar's header (`|`, `>-`, ...). saphyr starts an untagged block
/// scalar's span at its first content line; the header is on the last non-blank line before.
pub(super) fn block_scalar_header(text: &str, content_start: u32) -> u32 {
    let bytes = text.as_bytes();
    let content_start = (content_start as usize).min(bytes.len());
    if matches!(bytes.get(content_start), Some(b'|' | b'>')) {
        return to_u32(content_start);
    }
    let before = &bytes[..content_start];
    let Some(header_end) = before.iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')) else {
        return to_u32(content_start);
    };
    let line_start = before[..header_end].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line = &bytes[line_start..=header_end];
    // The indicator is the first `|` or `>` after a blank (or at the line start) that only
    // indentation/chomping indicators, blanks and a comment follow.
    (0..line.len())
        .find(|&i| {
            matches!(line[i], b'|' | b'>')
                && (i == 0 || matches!(line[i - 1], b' ' | b'\t'))
                && is_block_header_rest(&line[i + 1..])
        })
        .map_or(to_u32(content_start), |i| to_u32(line_start + i))
}

/// saphyr ends a block scalar with a line break even when the file ends on its last line
/// without one; YAML (and PyYAML, so CloudFormation tooling) keeps only a break that is there.
pub(super) fn without_phantom_line_break<'v>(text: &str, value: Cow<'v, str>, content_end: u32) -> Cow<'v, str> {
    let ends_file_without_break = !text.get(content_end as usize..).unwrap_or("").contains('\n');
    match value {
        Cow::Borrowed(v) if ends_file_without_break => Cow::Borrowed(v.strip_suffix('\n').unwrap_or(v)),
        Cow::Owned(mut v) if ends_file_without_break && v.ends_with('\n') => {
            v.pop();
            Cow::Owned(v)
        }
        other => other,
    }
}

pub(super) fn is_block_header_rest(rest: &[u8]) -> bool {
    let indicators = rest.iter().take_while(|b| matches!(b, b'0'..=b'9' | b'+' | b'-')).count();
    let rest = &rest[indicators..];
    let blanks = rest.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let rest = &rest[blanks..];
    rest.is_empty() || (blanks > 0 && rest[0] == b'#')
}

/// saphyr's own message, reworded where it is unclear.
pub(super) fn describe_scan_error(text: &str, at: u32, info: &str) -> String {
    match info {
        "tabs disallowed within this context (block indentation)" | "tab cannot be used as indentation" => {
            "found a tab character where indentation is expected".to_string()
        }
        "recursion limit exceeded" => "flow collections (`[`, `{`) nested deeper than 255 levels".to_string(),
        "simple key expect ':'" => "expected `:` after a mapping key".to_string(),
        "unexpected eof" => "unexpected end of file".to_string(),
        "while parsing node, found unknown anchor" => {
            let rest = text.get(at as usize..).unwrap_or("");
            let len = rest.find(|c: char| c.is_whitespace() || ",[]{}".contains(c)).unwrap_or(rest.len());
            format!("unknown anchor in alias `{}`", &rest[..len])
        }
        other => other.to_string(),
    }
}

/// saphyr reports a tab in indentation after the blanks; point at the tab itself.
pub(super) fn offending_tab(text: &str, at: u32) -> u32 {
    let bytes = text.as_bytes();
    let at = (at as usize).min(bytes.len());
    let blanks_start = bytes[..at].iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(0, |p| p + 1);
    let tab = bytes[blanks_start..at].iter().position(|&b| b == b'\t');
    tab.map_or(to_u32(at), |p| to_u32(blanks_start + p))
}

/// The 0-based column of a byte offset in characters, as saphyr counts them.
pub(super) fn column_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let line_start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    text.get(line_start..offset).map_or(0, |s| s.chars().count())
}

/// Turns saphyr's character indexes into byte offsets: free for ASCII text, otherwise a
/// checkpoint every [`CHECKPOINT_EVERY`] characters and a short walk from it, so no lookup
/// costs more than a few dozen characters whatever order events come in.
pub(super) struct CharOffsets {
    /// Byte offset of every `CHECKPOINT_EVERY`-th character; `None` for ASCII text.
    checkpoints: Option<Vec<u32>>,
}

pub(super) const CHECKPOINT_EVERY: usize = 64;

impl CharOffsets {
    pub(super) fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharOffsets { checkpoints: None };
        }
        let checkpoints = text.char_indices().step_by(CHECKPOINT_EVERY).map(|(i, _)| to_u32(i)).collect();
        CharOffsets { checkpoints: Some(checkpoints) }
    }

    pub(super) fn byte_offset(&self, text: &str, char_index: usize) -> u32 {
        let Some(checkpoints) = &self.checkpoints else {
            return to_u32(char_index.min(text.len()));
        };
        let Some(&checkpoint) = checkpoints.get(char_index / CHECKPOINT_EVERY) else {
            return to_u32(text.len());
        };
        let rest = text.get(checkpoint as usize..).unwrap_or("");
        match rest.char_indices().nth(char_index % CHECKPOINT_EVERY) {
            Some((i, _)) => checkpoint + to_u32(i),
            None => to_u32(text.len()),
        }
    }
}
