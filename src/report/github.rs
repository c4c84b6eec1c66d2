//! `--format github`: GitHub Actions workflow commands, which the runner turns into pull
//! request annotations:
//!
//! `::error file=app/template.yaml,line=8,col=16,endLine=8,endColumn=18,title=SL202 timeout-exceeds-api-limit::message`
//!
//! Severities map to `error`, `warning` and `notice`. The help text follows the message after
//! a line break (`help: ...`), which the annotation shows as a second line. `col` and
//! `endColumn` are left out when a span covers several lines, because GitHub rejects columns
//! unless `line == endLine`. The plain summary line ends the output: it does not start with
//! `::`, so the runner only logs it, and a reader of the job log sees the totals.

use std::io::{self, Write};

use super::{Report, locate};
use crate::diagnostic::{Finding, Severity};
use crate::files::SourceDb;

pub(super) fn render(report: &Report, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    for finding in &report.findings {
        write_finding(finding, db, out)?;
    }
    Ok(())
}

fn write_finding(f: &Finding, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    let at = locate(db, f.file, f.span);
    write!(out, "::{} file={},line={}", command(f.severity), escape_property(at.path), at.start.line)?;
    if at.start.line == at.end.line {
        write!(out, ",col={},endLine={},endColumn={}", at.start.column, at.end.line, at.end.column)?;
    } else {
        write!(out, ",endLine={}", at.end.line)?;
    }
    let title = format!("{} {}", f.code, f.name);
    write!(out, ",title={}::{}", escape_property(title.trim_end()), escape_message(&f.message))?;
    if let Some(help) = &f.help {
        write!(out, "{}{}", escape_message("\nhelp: "), escape_message(help))?;
    }
    writeln!(out)
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes the message part of a workflow command (the GitHub toolkit's `escapeData`).
fn escape_message(text: &str) -> String {
    escape(text, false)
}

/// Escapes a property value (`escapeProperty`): also `:` and `,`, which end a value.
fn escape_property(text: &str) -> String {
    escape(text, true)
}

/// The toolkit's escapes, and any other control character percent-encoded too: the job log
/// shows the line in a terminal-like viewer, where ESC would start an escape sequence.
fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if super::is_unprintable(c) => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{OutputFormat, fixture};
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_message("100%, a: b\r\nc"), "100%25, a: b%0D%0Ac");
        assert_eq!(escape_property("100%, a: b\r\nc"), "100%25%2C a%3A b%0D%0Ac");
        assert_eq!(escape_message("Q\u{1b}]0;X\u{7}\u{9b}\t"), "Q%1B]0;X%07%C2%9B\t");
    }

    #[test]
    fn every_finding_is_one_command_line() {
        let fx = fixture::build();
        let text = fixture::render_fixture(OutputFormat::Github, &fx);
        let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
        assert_eq!(commands.len(), fx.report.findings.len());
        assert!(commands[0].starts_with("::error file=app/template.yaml,line=8,col=16,endLine=8,endColumn=18,title=SL202 timeout-exceeds-api-limit::"));
        assert!(commands[1].starts_with("::notice "));
        assert!(
            commands[2].contains("::queue OrdersQueue: visibility 30 s, 100%25 of the consumer timeout%0Amessages")
        );
        assert!(!text.lines().last().unwrap_or_default().starts_with("::"));
    }

    #[test]
    fn multi_line_spans_have_no_columns() {
        let fx = fixture::build();
        let mut finding = fx.report.findings[0].clone();
        finding.span = fixture::span_of(fixture::TEMPLATE, "Timeout: 60\r\n      Tags", "60\r\n      Tags");
        let mut out = Vec::new();
        write_finding(&finding, &fx.db, &mut out).expect("write to a Vec");
        let line = String::from_utf8(out).expect("UTF-8");
        assert!(line.starts_with("::error file=app/template.yaml,line=8,endLine=9,title="), "{line}");
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(fixture::render_fixture(OutputFormat::Github, &fixture::build()));
    }
}
