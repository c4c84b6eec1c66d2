//! `--format junit`: JUnit XML, which Jenkins, GitLab, Azure Pipelines and most CI systems
//! show as test results.
//!
//! One `<testsuite name="slint">`; one `<testcase>` per file and rule with findings (`name` is
//! the rule, `classname` the file, so the pair is stable run to run and CI systems track it as
//! one test), failing with one `<failure>` that carries every finding of that rule in that file:
//! `message` is the first finding's message (or how many there are), the body one
//! `path:line:col: severity CODE message` line per finding with its help and fingerprint. A run
//! without findings is one passing test case, so a CI that refuses an empty report still shows
//! the check ran. Text that a template controls is escaped for XML, and characters XML 1.0
//! cannot hold (control characters) are written as `\u{..}` ([`super::printable`]).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::fingerprint::fingerprints;
use super::{Report, locate, printable};
use crate::diagnostic::Finding;
use crate::files::SourceDb;

pub(super) fn render(report: &Report, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    // (file as shown, code) → findings and their fingerprints, in report order within a case.
    let mut cases: BTreeMap<(&str, &str), Vec<(&Finding, String)>> = BTreeMap::new();
    for (f, print) in report.findings.iter().zip(fingerprints(report, db)) {
        let path = locate(db, f.file, f.span).path;
        cases.entry((path, &f.code)).or_default().push((f, print));
    }
    let tests = cases.len().max(1);
    let failures = cases.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="slint" tests="{tests}" failures="{failures}" errors="0" time="0">"#)?;
    writeln!(
        out,
        r#"  <testsuite name="slint" tests="{tests}" failures="{failures}" errors="0" skipped="0" time="0">"#
    )?;
    if cases.is_empty() {
        writeln!(out, r#"    <testcase name="slint check" classname="slint" time="0"/>"#)?;
    }
    for ((path, code), findings) in &cases {
        let name = format!("{code} {}", findings[0].0.name);
        writeln!(out, r#"    <testcase name="{}" classname="{}" time="0">"#, xml(name.trim_end()), xml(path))?;
        let message = match findings.len() {
            1 => findings[0].0.message.clone(),
            n => format!("{n} findings of {code}"),
        };
        write!(out, r#"      <failure message="{}" type="{}">"#, xml(&message), xml(code))?;
        for (f, print) in findings {
            let at = locate(db, f.file, f.span);
            let mut line =
                format!("{}:{}:{}: {} {} {}", at.path, at.start.line, at.start.column, f.severity, f.code, f.message);
            if let Some(help) = &f.help {
                line.push_str(&format!("\n  help: {help}"));
            }
            line.push_str(&format!("\n  fingerprint: {print}\n"));
            write!(out, "{}", xml(&line))?;
        }
        writeln!(out, "</failure>")?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// `text` escaped for an XML attribute or element, control characters made visible.
fn xml(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept in attributes too: a line feed in an attribute is normalised to a space.
            '\n' => out.push('\n'),
            // Non-characters XML 1.0 cannot hold either.
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_are_escaped() {
        assert_eq!(xml("a<b & \"c\"\u{1b}"), "a&lt;b &amp; &quot;c&quot;\\u{1b}");
    }
}
