//! `slint rules` and `slint explain`: rule metadata as text.

use std::fmt::Write;

use serde::Serialize;

use crate::diagnostic::RuleInfo;
use crate::diagnostic::RuleMeta;

/// A fixed-width table, one rule per line.
pub fn rules_table(rules: &[RuleInfo]) -> String {
    // Guard pack codes (`org/RULE_NAME`) are longer than `SL101`.
    let code_width = rules.iter().map(|r| r.code.len()).max().unwrap_or(8).max(8);
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let category_width = rules.iter().map(|r| r.category.len()).max().unwrap_or(8).max(8);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<code_width$} {:<name_width$} {:<category_width$} {:<8} summary",
        "code", "name", "category", "severity"
    );
    for rule in rules {
        let _ = writeln!(
            out,
            "{:<code_width$} {:<name_width$} {:<category_width$} {:<8} {}",
            rule.code,
            rule.name,
            rule.category,
            rule.severity.as_str(),
            // A pack's summaries are its messages: no terminal escapes.
            super::printable(&rule.summary)
        );
    }
    out
}

#[derive(Serialize)]
struct RuleRow<'a> {
    code: &'a str,
    name: &'a str,
    category: &'a str,
    severity: &'a str,
    summary: &'a str,
}

/// A JSON array of rules, for tools.
pub fn rules_json(rules: &[RuleInfo]) -> String {
    let rows: Vec<RuleRow<'_>> = rules
        .iter()
        .map(|r| RuleRow {
            code: &r.code,
            name: &r.name,
            category: &r.category,
            severity: r.severity.as_str(),
            summary: &r.summary,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// The heading `slint explain` prints for any rule, built-in or from a pack.
fn heading(code: &str, name: &str, category: &dyn std::fmt::Display, severity: &dyn std::fmt::Display) -> String {
    format!("# {code} {name}\n\ncategory: {category}, default severity: {severity}\n")
}

/// `slint explain` for a Guard pack rule: the heading, then the docs built from its messages.
pub fn explain_pack_rule(info: &RuleInfo) -> String {
    format!("{}\n{}", heading(&info.code, &info.name, &info.category, &info.severity), info.docs)
}

/// A rule's documentation: a heading line, then its doc comment as markdown.
pub fn explain(meta: &RuleMeta) -> String {
    let mut out = heading(meta.code, meta.name, &meta.category, &meta.severity);
    if !meta.options.is_empty() {
        out.push_str("options:");
        for option in meta.options {
            let _ = write!(out, " `{}` (default {}): {};", option.name, option.default, option.doc);
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&meta.markdown());
    out
}
