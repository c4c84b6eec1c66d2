//! JSON templates → [`Tree`], through jsonc-parser in strict mode (no comments, trailing
//! commas, single quotes or other JSON5 leniency).
//!
//! jsonc-parser recurses once per nesting level, so the text is pre-scanned for bracket depth
//! first; past `Limits::max_depth` the file is rejected before the parser sees it, which also
//! bounds the recursion of the conversion below.

use std::borrow::Cow;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Range;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseOptions, ParseStringErrorKind, parse_to_ast};

use crate::model::load::{Budget, LoadError, MapEntries};
use crate::model::tree::{Limits, NodeId, ScalarStyle, Tree};
use crate::span::Span;

const BOM: &str = "\u{feff}";

pub(crate) fn load(text: &str, limits: Limits) -> Result<Tree, LoadError> {
    // jsonc-parser does not skip a byte-order mark: parse the text after it and shift every
    // position back by its length.
    let shift = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[shift..];
    if let Some(at) = first_bracket_deeper_than(body, limits.max_depth) {
        let budget = Budget::new(limits);
        return Err(budget.too_deep(Span::from_range(shift + at..shift + at + 1)));
    }
    let parsed = parse_to_ast(body, &CollectOptions::default(), &strict())
        .map_err(|e| parse_error(body, &e, shift, limits.max_depth))?;
    let mut converter = Converter { tree: Tree::new(), budget: Budget::new(limits), shift };
    if let Some(value) = parsed.value {
        let root = converter.value(value, 0)?;
        converter.tree.set_root(root);
    }
    Ok(converter.tree)
}

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Builds tree nodes from the AST. Recursion is bounded by the bracket pre-scan.
struct Converter {
    tree: Tree,
    budget: Budget,
    /// Length of the byte-order mark the parser did not see.
    shift: usize,
}

impl Converter {
    fn span(&self, range: Range) -> Span {
        Span::from_range(range.start + self.shift..range.end + self.shift)
    }

    /// Converts `value`, found under `levels_above` enclosing containers.
    fn value(&mut self, value: Value<'_>, levels_above: u32) -> Result<NodeId, LoadError> {
        let (span, id) = match value {
            Value::StringLit(s) => (self.span(s.range), self.scalar(s.range, s.value, ScalarStyle::Quoted)?),
            // Numbers keep their source text (`1.50` stays `1.50`); typing is the tree's job.
            Value::NumberLit(n) => {
                (self.span(n.range), self.scalar(n.range, Cow::Borrowed(n.value), ScalarStyle::Plain)?)
            }
            Value::BooleanLit(b) => {
                let text = if b.value { "true" } else { "false" };
                (self.span(b.range), self.scalar(b.range, Cow::Borrowed(text), ScalarStyle::Plain)?)
            }
            Value::NullKeyword(n) => {
                (self.span(n.range), self.scalar(n.range, Cow::Borrowed("null"), ScalarStyle::Plain)?)
            }
            Value::Array(array) => {
                let span = self.span(array.range);
                self.budget.add_node(span)?;
                let mut items = Vec::with_capacity(array.elements.len());
                for element in array.elements {
                    items.push(self.value(element, levels_above + 1)?);
                }
                (span, self.tree.push_seq(span, items))
            }
            Value::Object(object) => {
                let span = self.span(object.range);
                self.budget.add_node(span)?;
                let mut entries = MapEntries::default();
                for property in object.properties {
                    let (key, key_range) = match property.name {
                        ObjectPropName::String(s) => (s.value, s.range),
                        // Strict options reject bare keys; kept for completeness.
                        ObjectPropName::Word(w) => (Cow::Borrowed(w.value), w.range),
                    };
                    let value = self.value(property.value, levels_above + 1)?;
                    let key_span = self.span(key_range);
                    entries.insert(key.into_owned().into_boxed_str(), key_span, value, &mut self.tree.duplicates);
                }
                (span, self.tree.push_map(span, entries.into_entries()))
            }
        };
        self.budget.check_depth(levels_above, self.tree.raw(id).depth, span)?;
        Ok(id)
    }

    fn scalar(&mut self, range: Range, text: Cow<'_, str>, style: ScalarStyle) -> Result<NodeId, LoadError> {
        let span = self.span(range);
        self.budget.add_node(span)?;
        Ok(self.tree.push_scalar(span, text.into_owned(), style))
    }
}

/// Yields the offsets and bytes of the brackets outside strings, the way a JSON scanner sees
/// them. Comments and single quotes are not understood (strict JSON rejects them anyway), so a
/// bracket inside one is counted: the depth can only come out too high, never too low.
fn brackets(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    text.bytes().enumerate().filter(move |&(_, b)| {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            return false;
        }
        if b == b'"' {
            in_string = true;
        }
        matches!(b, b'[' | b']' | b'{' | b'}')
    })
}

/// The offset of the first opening bracket that nests deeper than `max_depth`.
fn first_bracket_deeper_than(text: &str, max_depth: u32) -> Option<usize> {
    let mut depth: u32 = 0;
    for (at, b) in brackets(text) {
        if matches!(b, b'[' | b'{') {
            depth += 1;
            if depth > max_depth {
                return Some(at);
            }
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    None
}

/// The innermost bracket still open at `offset`, to say what a missing comma separates.
fn open_bracket_at(text: &str, offset: usize) -> Option<u8> {
    let mut open = Vec::new();
    for (_, b) in brackets(text).take_while(|&(at, _)| at < offset) {
        if matches!(b, b'[' | b'{') {
            open.push(b);
        } else {
            open.pop();
        }
    }
    open.pop()
}

fn parse_error(body: &str, error: &ParseError, shift: usize, max_depth: u32) -> LoadError {
    let range = error.range();
    let message = describe(body, range.start, error.kind(), max_depth);
    LoadError::new(Span::from_range(range.start + shift..range.end + shift), message)
}

/// jsonc-parser's error in slint's wording: what is wrong, in lowercase.
fn describe(body: &str, at: usize, kind: &ParseErrorKind, max_depth: u32) -> String {
    use ParseErrorKind as K;
    // The word or character the parser stopped at, for "unexpected `tru`".
    let found = || {
        let rest = body.get(at..).unwrap_or("");
        let word: String =
            rest.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+')).take(40).collect();
        if word.is_empty() { rest.chars().take(1).collect() } else { word }
    };
    #[allow(unreachable_patterns)] // `Custom` exists only with jsonc-parser's `serde` feature
    match kind {
        K::ExpectedComma => match open_bracket_at(body, at) {
            Some(b'{') => "expected `,` or `}` after an object member".to_string(),
            Some(b'[') => "expected `,` or `]` after an array element".to_string(),
            _ => "expected `,`".to_string(),
        },
        K::TrailingCommasNotAllowed => "trailing comma: JSON allows no `,` before `]` or `}`".to_string(),
        K::CommentsNotAllowed => "comments are not allowed in JSON".to_string(),
        K::SingleQuotedStringsNotAllowed => "strings must use double quotes in JSON, not single quotes".to_string(),
        K::ExpectedStringObjectProperty => "object keys must be double-quoted strings".to_string(),
        K::ExpectedColonAfterObjectKey => "expected `:` after an object key".to_string(),
        K::ExpectedObjectValue => "expected a value after `:`".to_string(),
        K::UnexpectedTokenInObject => "expected a double-quoted key or `}`".to_string(),
        K::UnterminatedObject => "this `{` is never closed".to_string(),
        K::UnterminatedArray => "this `[` is never closed".to_string(),
        K::UnexpectedCloseBrace => "unexpected `}`".to_string(),
        K::UnexpectedCloseBracket => "unexpected `]`".to_string(),
        K::UnexpectedColon => "unexpected `:`".to_string(),
        K::UnexpectedComma => "unexpected `,`".to_string(),
        K::UnexpectedWord | K::UnexpectedToken => {
            format!("unexpected `{}`: expected a string, number, object, array, true, false or null", found())
        }
        K::MultipleRootJsonValues => "unexpected content after the end of the JSON value".to_string(),
        K::ExpectedDigit => "expected a digit".to_string(),
        K::ExpectedDigitFollowingNegativeSign => "expected a digit after `-`".to_string(),
        K::ExpectedPlusMinusOrDigitInNumberLiteral => {
            "expected `+`, `-` or a digit in the number's exponent".to_string()
        }
        K::HexadecimalNumbersNotAllowed => "hexadecimal numbers are not allowed in JSON".to_string(),
        K::UnaryPlusNumbersNotAllowed => "numbers cannot start with `+` in JSON".to_string(),
        K::BareDecimalPointNumbersNotAllowed => "numbers need digits on both sides of the decimal point".to_string(),
        K::NonFiniteNumbersNotAllowed => "`Infinity` and `NaN` are not allowed in JSON".to_string(),
        K::UnterminatedCommentBlock => "comment is never closed".to_string(),
        K::NestingDepthExceeded => format!("nesting deeper than {} levels", max_depth.min(512)),
        K::String(kind) => describe_string_error(body, at, kind),
        other => lowercase_first(&other.to_string()),
    }
}

fn describe_string_error(body: &str, at: usize, kind: &ParseStringErrorKind) -> String {
    use ParseStringErrorKind as S;
    match kind {
        S::InvalidEscape | S::InvalidEscapeInDoubleQuoteString | S::InvalidEscapeInSingleQuoteString => {
            let escape: String = body.get(at..).unwrap_or("").chars().take(2).collect();
            format!("unknown escape `{escape}`")
        }
        S::ExpectedFourHexDigits => "expected four hex digits after `\\u`".to_string(),
        S::ExpectedTwoHexDigits => "expected two hex digits after `\\x`".to_string(),
        S::InvalidUnicodeEscapeSequence(detail) => format!("invalid unicode escape: \\u{detail}"),
        S::UnterminatedStringLiteral => "string is never closed".to_string(),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::model::load::test_support::{at, parse_err_with, parse_with, pos, snippet};
    use crate::model::tree::{NodeKind, ScalarValue};

    fn parse(text: &str) -> Tree {
        parse_with(load, text)
    }

    fn parse_err(text: &str) -> LoadError {
        parse_err_with(load, text)
    }

    const TEMPLATE: &str = r#"{
  "Resources": {
    "Orders": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Timeout": 60,
        "MemorySize": 1.50e3,
        "Tracing": null,
        "Enabled": true,
        "Role": {"Fn::GetAtt": ["OrdersRole", "Arn"]}
      }
    }
  }
}
"#;

    #[test]
    fn keys_and_values_have_exact_positions() {
        let tree = parse(TEMPLATE);
        let props = at(&tree, &["Resources", "Orders", "Properties"]);
        let timeout = props.get("Timeout").unwrap();
        assert_eq!(pos(TEMPLATE, timeout.span().start), (6, 20));
        assert_eq!(snippet(TEMPLATE, timeout.span()), "60");
        let entry = props.entry("Timeout").unwrap();
        assert_eq!(pos(TEMPLATE, entry.key_span.start), (6, 9));
        assert_eq!(snippet(TEMPLATE, entry.key_span), "\"Timeout\"");
        assert_eq!(pos(TEMPLATE, props.span().start), (5, 21));
        assert_eq!(pos(TEMPLATE, props.span().end), (11, 8));
        let role = props.get("Role").unwrap();
        assert_eq!(role.intrinsic().unwrap().0, "Fn::GetAtt");
        assert_eq!(role.path().to_string(), "Resources/Orders/Properties/Role");
    }

    #[test]
    fn scalars_keep_their_source_text_and_style() {
        let tree = parse(TEMPLATE);
        let props = at(&tree, &["Resources", "Orders", "Properties"]);
        let kind = |k: &str| props.get(k).unwrap().raw().kind.clone();
        assert!(matches!(kind("Timeout"), NodeKind::Scalar { style: ScalarStyle::Plain, .. }));
        assert_eq!(props.get("MemorySize").unwrap().scalar_text(), Some("1.50e3"));
        assert_eq!(props.get("MemorySize").unwrap().as_f64(), Some(1500.0));
        assert!(props.get("Tracing").unwrap().is_null());
        assert_eq!(props.get("Enabled").unwrap().as_bool(), Some(true));
        let ty = at(&tree, &["Resources", "Orders", "Type"]);
        assert!(matches!(ty.raw().kind, NodeKind::Scalar { style: ScalarStyle::Quoted, .. }));
        assert_eq!(snippet(TEMPLATE, ty.span()), "\"AWS::Lambda::Function\"");
        // A quoted number is a string.
        let tree = parse(r#"{"a": "30", "b": "null"}"#);
        assert_eq!(at(&tree, &["a"]).scalar(), Some(ScalarValue::Str("30")));
        assert_eq!(at(&tree, &["b"]).scalar(), Some(ScalarValue::Str("null")));
    }

    #[test]
    fn escapes_and_surrogate_pairs_decode() {
        let text = r#"{"Emoji": "\ud83d\ude80 launch", "Path": "a\/b\tc\u00e9", "After": 1}"#;
        let tree = parse(text);
        assert_eq!(at(&tree, &["Emoji"]).as_str(), Some("🚀 launch"));
        assert_eq!(at(&tree, &["Path"]).as_str(), Some("a/b\tcé"));
        assert_eq!(snippet(text, at(&tree, &["Emoji"]).span()), r#""\ud83d\ude80 launch""#);
        assert_eq!(pos(text, at(&tree, &["After"]).span().start), (1, 68));
        let err = parse_err(r#"{"a": "\ud83d"}"#);
        assert!(err.message.starts_with("invalid unicode escape"), "{}", err.message);
    }

    #[test]
    fn tabs_count_as_one_column() {
        let text = "{\n\t\"Fn\": {\n\t\t\"Timeout\":\t30\n\t}\n}\n";
        let tree = parse(text);
        let timeout = at(&tree, &["Fn", "Timeout"]);
        assert_eq!(pos(text, timeout.span().start), (3, 14));
        assert_eq!(pos(text, tree.root().unwrap().entries()[0].key_span.start), (2, 2));
    }

    #[test]
    fn unicode_crlf_and_bom() {
        let text = "\u{feff}{\r\n  \"Déscription\": \"héllo 🚀\",\r\n  \"Timeout\": 30\r\n}\r\n";
        let tree = parse(text);
        let entry = tree.root().unwrap().entry("Déscription").unwrap();
        assert_eq!(pos(text, entry.key_span.start), (2, 3));
        let desc = at(&tree, &["Déscription"]);
        assert_eq!(pos(text, desc.span().start), (2, 18));
        assert_eq!(snippet(text, desc.span()), "\"héllo 🚀\"");
        let timeout = at(&tree, &["Timeout"]);
        assert_eq!(pos(text, timeout.span().start), (3, 14));
        assert_eq!(tree.root().unwrap().span().start, 3);
        let lf = text.replace("\r\n", "\n");
        let lf_tree = parse(&lf);
        assert_eq!(pos(&lf, at(&lf_tree, &["Timeout"]).span().start), (3, 14));
    }

    #[test]
    fn duplicate_keys_are_recorded_like_yaml() {
        let text = "{\n  \"A\": 1,\n  \"B\": {\"x\": 1, \"x\": 2},\n  \"A\": 3\n}";
        let tree = parse(text);
        assert_eq!(tree.duplicates.len(), 2);
        let d = &tree.duplicates[0];
        assert_eq!(d.key, "x");
        assert_eq!((pos(text, d.first.start), pos(text, d.second.start)), ((3, 9), (3, 17)));
        let d = &tree.duplicates[1];
        assert_eq!(d.key, "A");
        assert_eq!((pos(text, d.first.start), pos(text, d.second.start)), ((2, 3), (4, 3)));
        assert_eq!(at(&tree, &["A"]).as_i64(), Some(3));
        assert_eq!(tree.root().unwrap().entries()[0].key.as_ref(), "A");
        assert_eq!(at(&tree, &["B", "x"]).as_i64(), Some(2));
    }

    #[test]
    fn empty_text_has_no_root() {
        for text in ["", "  \n\t\n", "\u{feff}"] {
            assert!(parse(text).root().is_none(), "{text:?}");
        }
        assert_eq!(parse("[]").root().unwrap().len(), 0);
    }

    #[test]
    fn deep_nesting_is_rejected_before_parsing() {
        for (text, step) in [("[".repeat(100_000), 1), ("{\"a\":".repeat(100_000), 5)] {
            let start = Instant::now();
            let err = parse_err(&text);
            assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
            assert_eq!(err.message, "nesting deeper than 256 levels");
            assert_eq!(err.span, Span::from_range(256 * step..256 * step + 1));
        }
        // Brackets inside strings do not count.
        let text = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(1000), "{".repeat(1000));
        assert_eq!(at(&parse(&text), &["a"]).as_str().map(str::len), Some(2001));
    }

    #[test]
    fn depth_limit_counts_the_innermost_scalar() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        assert!(load("[[1]]", limits).is_ok());
        assert!(load("[[[]]]", limits).is_ok());
        let err = load("[[[1]]]", limits).unwrap_err();
        assert_eq!((err.message.as_str(), err.span), ("nesting deeper than 3 levels", Span::new(3, 4)));
        let err = load("\u{feff}[[[[]]]]", limits).unwrap_err();
        assert_eq!(err.span, Span::new(6, 7));
    }

    #[test]
    fn node_count_is_limited() {
        let limits = Limits { max_expanded_nodes: 10, ..Limits::default() };
        assert!(load("[1,2,3,4,5,6,7,8,9]", limits).is_ok());
        let err = load("[1,2,3,4,5,6,7,8,9,10]", limits).unwrap_err();
        assert_eq!(err.message, "the document has more than 10 nodes");
        assert_eq!(err.span, Span::new(19, 21));
    }

    #[test]
    fn syntax_errors_have_exact_positions() {
        let cases: &[(&str, (u32, u32), &str)] = &[
            ("{\"a\": 1,\n}", (1, 8), "trailing comma: JSON allows no `,` before `]` or `}`"),
            ("[1, 2,]", (1, 6), "trailing comma: JSON allows no `,` before `]` or `}`"),
            ("{\"a\": 1 // note\n}", (1, 9), "comments are not allowed in JSON"),
            ("{\"a\": /* x */ 1}", (1, 7), "comments are not allowed in JSON"),
            ("{\"a\": 'b'}", (1, 7), "strings must use double quotes in JSON, not single quotes"),
            ("{'a': 1}", (1, 2), "strings must use double quotes in JSON, not single quotes"),
            ("{\"a\": 1\n \"b\": 2}", (1, 8), "expected `,` or `}` after an object member"),
            ("{\"a\": [1 2]}", (1, 9), "expected `,` or `]` after an array element"),
            ("{\"a\": \"x\\qy\"}", (1, 9), "unknown escape `\\q`"),
            ("{a: 1}", (1, 2), "object keys must be double-quoted strings"),
            ("{\"a\" 1}", (1, 6), "expected `:` after an object key"),
            ("{\"a\": }", (1, 7), "unexpected `}`"),
            ("{\"a\": 1", (1, 1), "this `{` is never closed"),
            ("[1, 2", (1, 1), "this `[` is never closed"),
            ("{\"a\": \"b", (1, 7), "string is never closed"),
            ("{\"a\": tru}", (1, 7), "unexpected `tru`: expected a string, number, object, array, true, false or null"),
            ("{\"a\": 0x1F}", (1, 7), "hexadecimal numbers are not allowed in JSON"),
            ("{\"a\": NaN}", (1, 7), "unexpected `NaN`: expected a string, number, object, array, true, false or null"),
            ("{} {}", (1, 4), "unexpected content after the end of the JSON value"),
        ];
        for &(text, expected_pos, expected_message) in cases {
            let err = parse_err(text);
            assert_eq!((pos(text, err.span.start), err.message.as_str()), (expected_pos, expected_message), "{text:?}");
        }
    }

    #[test]
    fn error_positions_account_for_the_bom() {
        let text = "\u{feff}{\"a\": 1,}";
        let err = parse_err(text);
        assert_eq!(err.span.start, 10);
        assert_eq!(pos(text, err.span.start), (1, 8));
    }
}
