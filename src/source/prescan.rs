//! What happens to a file before `syn` parses it: a small lexer measures its nesting, so that a
//! generated or hostile file is reported instead of overflowing the parser's stack; a BOM or
//! `#!` line is set aside; top-level test modules are cut from the token stream.

use syn::Attribute;
use syn::parse::Parser;

use super::facts::CollectError;
use super::syntax;
use crate::span::Span;

/// Brackets nested deeper than this make a file "pathological": it is not parsed.
pub const MAX_BRACKET_DEPTH: usize = 256;
/// Finds code nested too deeply for a recursive parser, before parsing it. Two measures,
/// along the current nesting path (comments, strings and character literals skipped):
/// - brackets nested deeper than [`MAX_BRACKET_DEPTH`];
/// - the nesting score: brackets plus the prefix constructs syn also recurses on (unary
///   `! - * &`, closure bars, `<`, assignments, `->`, `..`, `return`/`break`/`move`/`async`/
///   `impl`/`dyn`/`fn`/`box`), counted within a statement (reset at `;`, `,` and `}` to the
///   enclosing bracket's count), above [`MAX_NESTING_SCORE`].
///
/// Real code stays far below both; generated or hostile files beyond them are reported
/// instead of crashing the run with a stack overflow.
pub fn nesting_problem(text: &str) -> Option<CollectError> {
    let bytes = text.as_bytes();
    let mut scanner = NestingScanner::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let step = match b {
            b'/' if next == Some(b'/') => {
                i = skip_line(bytes, i);
                continue;
            }
            b'/' if next == Some(b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'r' if is_raw_string_start(bytes, i) => {
                i = skip_raw_string(bytes, i + 1);
                continue;
            }
            b'\'' => {
                i = skip_char_literal(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => scanner.open(),
            b')' | b']' => scanner.close(),
            // A closing brace ends a block, an item or a statement: what follows starts over.
            b'}' => {
                scanner.close();
                scanner.separator()
            }
            b';' | b',' => scanner.separator(),
            b'-' if next == Some(b'>') => scanner.prefix(2),
            b'=' if matches!(next, Some(b'=') | Some(b'>')) => 2,
            b'!' | b'<' | b'>' if next == Some(b'=') => 2,
            b'.' if next == Some(b'.') => scanner.prefix(2),
            b'!' | b'-' | b'*' | b'&' | b'|' | b'<' | b'=' => scanner.prefix(1),
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(bytes.len(), |p| i + p);
                if RECURSIVE_KEYWORDS.contains(&&text[i..end]) {
                    scanner.prefix(end - i);
                }
                end - i
            }
            _ => 1,
        };
        if let Some(problem) = scanner.problem(i) {
            return Some(problem);
        }
        i += step.max(1);
    }
    None
}

/// Score above which a file is not parsed (see [`nesting_problem`]).
pub const MAX_NESTING_SCORE: usize = 1024;

const RECURSIVE_KEYWORDS: &[&str] = &["return", "break", "yield", "move", "async", "impl", "dyn", "fn", "box"];

#[derive(Default)]
struct NestingScanner {
    depth: usize,
    score: usize,
    /// The score when each open bracket was entered.
    stack: Vec<usize>,
    exceeded: Option<&'static str>,
}

impl NestingScanner {
    fn open(&mut self) -> usize {
        self.stack.push(self.score);
        self.depth += 1;
        self.score += 1;
        if self.depth > MAX_BRACKET_DEPTH {
            self.exceeded = Some("brackets");
        }
        self.check();
        1
    }

    fn close(&mut self) -> usize {
        self.depth = self.depth.saturating_sub(1);
        self.score = self.stack.pop().unwrap_or(0);
        1
    }

    /// A statement or argument ends: back to the enclosing bracket's score (plus itself).
    fn separator(&mut self) -> usize {
        self.score = self.stack.last().map_or(0, |s| s + 1);
        1
    }

    fn prefix(&mut self, len: usize) -> usize {
        self.score += 1;
        self.check();
        len
    }

    fn check(&mut self) {
        if self.exceeded.is_none() && self.score > MAX_NESTING_SCORE {
            self.exceeded = Some("operators");
        }
    }

    fn problem(&self, at: usize) -> Option<CollectError> {
        let message = match self.exceeded? {
            "brackets" => {
                format!("brackets are nested more than {MAX_BRACKET_DEPTH} levels deep; the file is not analysed")
            }
            _ => format!(
                "expressions or types are nested too deeply (more than {MAX_NESTING_SCORE} levels); the file is not analysed"
            ),
        };
        Some(CollectError { span: Span::from_range(at..at + 1), message, syntax: false })
    }
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p + 1)
}

fn skip_block_comment(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 2;
    let mut level = 1usize;
    while j < bytes.len() && level > 0 {
        if bytes[j] == b'/' && bytes.get(j + 1) == Some(&b'*') {
            level += 1;
            j += 2;
        } else if bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/') {
            level -= 1;
            j += 2;
        } else {
            j += 1;
        }
    }
    j
}

fn skip_string(bytes: &[u8], mut j: usize) -> usize {
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    j
}

fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    let prev_is_ident = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    let mut j = i + 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    !prev_is_ident && bytes.get(j) == Some(&b'"')
}

fn skip_raw_string(bytes: &[u8], mut j: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    j += 1; // the opening quote
    while j < bytes.len() {
        if bytes[j] == b'"' && bytes[j + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// `'x'`, `'\n'`, `'\u{..}'` are skipped; a lifetime (`'a`) is just a quote.
fn skip_char_literal(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1) == Some(&b'\\') {
        let close = bytes[i + 2..].iter().take(12).position(|&b| b == b'\'');
        return close.map_or(i + 1, |p| i + 2 + p + 1);
    }
    // One (possibly multi-byte) character followed by a quote.
    let mut j = i + 2;
    while j < bytes.len() && (bytes[j] & 0xC0) == 0x80 {
        j += 1;
    }
    if bytes.get(j) == Some(&b'\'') { j + 1 } else { i + 1 }
}

/// The file's tokens without its top-level test-only modules (`#[cfg(test)] mod x { .. }`,
/// `mod tests;`, as [`syntax::is_test_only`] and the visitor decide), so that syn does not
/// build what the visitor would skip. Only whole `mod` items are cut: at the top level of a
/// file, the `mod` keyword can only start one. Syntax errors inside them go unreported.
pub fn without_test_modules(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    let cut: Vec<std::ops::Range<usize>> = (0..trees.len()).filter_map(|at| test_module_at(&trees, at)).collect();
    if cut.is_empty() {
        return trees.into_iter().collect();
    }
    let keep = |index: &usize| !cut.iter().any(|range| range.contains(index));
    trees.into_iter().enumerate().filter(|(index, _)| keep(index)).map(|(_, tree)| tree).collect()
}

/// The token range of the test-only `mod` item whose `mod` keyword is `trees[at]`, if it is one.
fn test_module_at(trees: &[proc_macro2::TokenTree], at: usize) -> Option<std::ops::Range<usize>> {
    use proc_macro2::{Delimiter, TokenTree};
    let TokenTree::Ident(keyword) = &trees[at] else { return None };
    if keyword != "mod" {
        return None;
    }
    let Some(TokenTree::Ident(name)) = trees.get(at + 1) else { return None };
    let end = match trees.get(at + 2)? {
        TokenTree::Group(body) if body.delimiter() == Delimiter::Brace => at + 3,
        TokenTree::Punct(semi) if semi.as_char() == ';' => at + 3,
        _ => return None,
    };
    // Back over the visibility (`pub`, `pub(crate)`), then the outer attributes (`#[..]`).
    let mut start = at;
    if start > 0 && matches!(&trees[start - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis) {
        start -= 1;
    }
    if start > 0 && matches!(&trees[start - 1], TokenTree::Ident(vis) if vis == "pub") {
        start -= 1;
    } else if start < at {
        return None;
    }
    let attrs_end = start;
    while start >= 2
        && matches!(&trees[start - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
        && matches!(&trees[start - 2], TokenTree::Punct(p) if p.as_char() == '#')
    {
        start -= 2;
    }
    let attr_tokens: proc_macro2::TokenStream = trees[start..attrs_end].iter().cloned().collect();
    let attrs = Attribute::parse_outer.parse2(attr_tokens).ok()?;
    (name == "tests" || syntax::is_test_only(&attrs)).then_some(start..end)
}

/// A byte-order mark or a `#!` line is removed before parsing, as `syn::parse_file` would,
/// but here so that we know how many bytes to add back to every span.
pub fn strip_preamble(text: &str) -> (usize, &str) {
    let mut base = 0;
    let mut content = text;
    if let Some(rest) = content.strip_prefix('\u{feff}') {
        base += 3;
        content = rest;
    }
    if let Some(after) = content.strip_prefix("#!")
        && !after.trim_start().starts_with('[')
    {
        let line_end = content.find('\n').unwrap_or(content.len());
        base += line_end;
        content = &content[line_end..];
    }
    (base, content)
}
