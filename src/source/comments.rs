//! `// slint: allow(rule, ..) reason` comments, found line by line in the raw text.
//!
//! This is loading, not linting: the comments are collected for every Rust file (also those
//! that do not parse) and matched against findings by the suppression step later. The scan
//! does not know about string literals, so the marker inside a string on one line also counts;
//! that costs at most an unused-suppression finding.

use super::facts::AllowComment;
use crate::span::Span;

const MARKER: &str = "slint:";

pub fn allow_comments(text: &str) -> Vec<AllowComment> {
    let mut out = Vec::new();
    if !text.contains(MARKER) {
        return out;
    }
    let mut offset = 0usize;
    for (index, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if let Some(comment) = allow_comment(line, offset, index) {
            out.push(comment);
        }
        offset += raw_line.len() + 1;
    }
    out
}

fn allow_comment(line: &str, offset: usize, index: usize) -> Option<AllowComment> {
    let mut search = 0;
    while let Some(found) = line[search..].find("//") {
        let start = search + found;
        if let Some(comment) = parse_comment(line, start, offset, index) {
            return Some(comment);
        }
        search = start + 2;
    }
    None
}

fn parse_comment(line: &str, start: usize, offset: usize, index: usize) -> Option<AllowComment> {
    let body = line[start + 2..].trim_start_matches(['/', '!']).trim_start();
    let rest = body.strip_prefix(MARKER)?.trim_start();
    let args = rest.strip_prefix("allow")?.trim_start().strip_prefix('(')?;
    let close = args.find(')')?;
    let rules: Vec<String> =
        args[..close].split(',').map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect();
    if rules.is_empty() {
        return None;
    }
    let reason = args[close + 1..].trim();
    Some(AllowComment {
        line: u32::try_from(index + 1).unwrap_or(u32::MAX),
        span: Span::from_range(offset + start..offset + line.len()),
        rules,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        own_line: line[..start].trim().is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comments_are_found_with_rules_and_reasons() {
        let text = "fn main() {\n    // slint: allow(client-in-handler) built once per cold start\n    let c = Client::new(&cfg); // slint: allow(SL501, SL502)\n    // slint: nothing here\n}\n";
        let found = allow_comments(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].rules, ["client-in-handler"]);
        assert_eq!(found[0].reason.as_deref(), Some("built once per cold start"));
        assert!(found[0].own_line);
        assert_eq!(
            &text[found[0].span.start as usize..found[0].span.end as usize],
            "// slint: allow(client-in-handler) built once per cold start"
        );
        assert_eq!(found[1].line, 3);
        assert_eq!(found[1].rules, ["SL501", "SL502"]);
        assert_eq!(found[1].reason, None);
        assert!(!found[1].own_line);
    }

    #[test]
    fn crlf_lines_and_empty_lists_are_handled() {
        let found = allow_comments("a();\r\n//slint:allow(x)\r\n// slint: allow() no rules\r\n");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].span), (2, Span::new(6, 22)));
    }
}
