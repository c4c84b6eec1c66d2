//! Positions in source files: byte spans, and the line index that turns them into the
//! 1-based line/column pairs every finding carries.

use std::fmt;

/// A byte range `[start, end)` into one file's text.
///
/// `u32` offsets keep nodes small; files are capped well below 4 GiB by the size limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`, for errors that point between characters.
    pub const fn at(offset: u32) -> Self {
        Span { start: offset, end: offset }
    }

    pub fn from_range(range: std::ops::Range<usize>) -> Self {
        Span::new(clamp_u32(range.start), clamp_u32(range.end))
    }

    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column. Columns count Unicode scalar values (what editors and SARIF
/// `unicodeCodePoints` expect), not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Start offsets of every line of one file, built once per file.
///
/// Lines end at `\n`, or at a `\r` not followed by `\n` (old Mac line ends, which YAML counts
/// as line breaks too); a `\r` before `\n` belongs to the line's end, so CRLF files report the
/// same columns as LF files. A UTF-8 byte-order mark is not counted as a column.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Whether the text is pure ASCII, so columns are byte differences.
    ascii: bool,
    /// Length of a leading byte-order mark (0 or 3).
    bom: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(clamp_u32(i + 1));
            }
        }
        LineIndex { line_starts, ascii: text.is_ascii(), bom: if text.starts_with('\u{feff}') { 3 } else { 0 } }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line/column of a byte offset. Offsets past the end clamp to the end.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(clamp_u32(text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line].max(if line == 0 { self.bom } else { 0 });
        let column = if offset <= start {
            0
        } else if self.ascii {
            offset - start
        } else {
            let slice = text.get(start as usize..offset as usize).unwrap_or_else(|| {
                // An offset inside a multi-byte character: count up to the character start.
                let mut end = offset as usize;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                &text[start as usize..end]
            });
            clamp_u32(slice.chars().count())
        };
        LineCol { line: clamp_u32(line + 1), column: column + 1 }
    }

    /// The byte offset of a 1-based line and a 0-based character column, as YAML parsers
    /// report them. Returns the line's end when the column is past it.
    pub fn offset_of(&self, text: &str, line: usize, char_col: usize) -> u32 {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return clamp_u32(text.len());
        };
        if self.ascii {
            let end = self.line_end(text, line);
            return (start + clamp_u32(char_col)).min(end);
        }
        let rest = &text[start as usize..];
        match rest.char_indices().nth(char_col) {
            Some((i, _)) => start + clamp_u32(i),
            None => clamp_u32(text.len()),
        }
    }

    fn line_end(&self, text: &str, line: usize) -> u32 {
        self.line_starts.get(line).map(|&next| next.saturating_sub(1)).unwrap_or_else(|| clamp_u32(text.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_and_crlf_give_the_same_columns() {
        let lf = "a: 1\nbb: 2\n";
        let crlf = "a: 1\r\nbb: 2\r\n";
        let (il, ic) = (LineIndex::new(lf), LineIndex::new(crlf));
        assert_eq!(il.line_col(lf, 9), LineCol { line: 2, column: 5 });
        assert_eq!(ic.line_col(crlf, 10), LineCol { line: 2, column: 5 });
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let lf = "a: 1\nbb: 2\n";
        let cr = "a: 1\rbb: 2\r";
        let mixed = "a: 1\r\nb: 2\rcc: 3\n";
        let (il, ic, im) = (LineIndex::new(lf), LineIndex::new(cr), LineIndex::new(mixed));
        assert_eq!(il.line_col(lf, 9), LineCol { line: 2, column: 5 });
        assert_eq!(ic.line_col(cr, 9), LineCol { line: 2, column: 5 });
        assert_eq!(ic.line_count(), 3);
        assert_eq!(im.line_col(mixed, mixed.find("cc").unwrap() as u32), LineCol { line: 3, column: 1 });
        assert_eq!(ic.offset_of(cr, 2, 1), 6);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é: ünï\n";
        let idx = LineIndex::new(text);
        let offset = text.find('ü').unwrap() as u32;
        assert_eq!(idx.line_col(text, offset), LineCol { line: 1, column: 4 });
        assert_eq!(idx.offset_of(text, 1, 3), offset);
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}Resources: {}\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let text = "ab";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 99), LineCol { line: 1, column: 3 });
    }
}
