//! `path:line:col: severity CODE message`, one finding per line, then the summary line.
//!
//! Severity is lowercase (`error`, `warning`, `info`), the same words as the JSON `severity`
//! field and as compilers print (`file:1:2: error: ...`), so one grep pattern works on both
//! formats. Line breaks inside a message become spaces: one finding must stay one line for
//! editors' problem matchers and for `grep`.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{Report, locate};
use crate::diagnostic::Finding;
use crate::files::SourceDb;

pub(super) fn render(report: &Report, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    for finding in &report.findings {
        write_finding(finding, db, out)?;
    }
    Ok(())
}

fn write_finding(finding: &Finding, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", line(finding, db))
}

/// `path:line:col: severity CODE message`, without a line break.
pub(super) fn line(finding: &Finding, db: &SourceDb) -> String {
    let at = locate(db, finding.file, finding.span);
    format!(
        "{}:{}:{}: {} {} {}",
        super::printable(at.path),
        at.start.line,
        at.start.column,
        finding.severity,
        finding.code,
        super::printable(&one_line(&finding.message))
    )
}

/// `text` with every run of line breaks replaced by one space.
pub(super) fn one_line(text: &str) -> Cow<'_, str> {
    if !text.contains(['\r', '\n']) {
        return Cow::Borrowed(text);
    }
    let parts: Vec<&str> = text.split(['\r', '\n']).filter(|p| !p.is_empty()).collect();
    Cow::Owned(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::{OutputFormat, fixture};
    use super::*;

    #[test]
    fn line_breaks_become_spaces() {
        assert_eq!(one_line("a\r\nb\n\nc"), "a b c");
        assert!(matches!(one_line("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn one_line_per_finding_plus_summary() {
        let fx = fixture::build();
        let text = fixture::render_fixture(OutputFormat::Concise, &fx);
        assert_eq!(text.lines().count(), fx.report.findings.len() + 1);
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn snapshot() {
        let text = fixture::render_fixture(OutputFormat::Concise, &fixture::build());
        insta::assert_snapshot!(text);
    }
}
