//! `--format gitlab`: a GitLab Code Quality report (a JSON array in the Code Climate issue
//! format that GitLab reads from `artifacts:reports:codequality`), which merge requests show
//! as new and fixed findings.
//!
//! Each finding is `{description, check_name, fingerprint, severity, location: {path, lines:
//! {begin, end}}}`. GitLab tells new findings from old by `fingerprint`, so it is the shared,
//! line-independent one ([`super::fingerprint`]). Severities: error → `major`, warning →
//! `minor`, info → `info` (GitLab's scale runs info, minor, major, critical, blocker; slint's
//! error is "fix before deploying", not "the build is broken"). The help text follows the
//! message after a line break, as in the `github` format. Paths are as shown (relative to
//! the folder slint ran in): run it at the repository root, as GitLab expects.

use std::io::{self, Write};

use serde::Serialize;

use super::fingerprint::fingerprints;
use super::{Report, locate};
use crate::diagnostic::Severity;
use crate::files::SourceDb;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub(super) fn render(report: &Report, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .zip(fingerprints(report, db))
        .map(|(f, fingerprint)| {
            let at = locate(db, f.file, f.span);
            let description = match &f.help {
                Some(help) => format!("{}\nhelp: {help}", f.message),
                None => f.message.clone(),
            };
            Issue {
                description,
                check_name: &f.code,
                fingerprint,
                severity: severity(f.severity),
                location: Location { path: at.path, lines: Lines { begin: at.start.line, end: at.end.line } },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
