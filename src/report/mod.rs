//! Renderers: findings in, text out. One file per format; they depend only on findings, the
//! source files and rule metadata, never on the models or the rules.
//!
//! Every renderer reads positions through [`locate`], so all formats agree on lines and
//! columns (1-based, columns in Unicode scalar values, CRLF counted like LF).

mod concise;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;
mod statistics;
mod summary;

#[cfg(test)]
mod fixture;

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::config::OutputFormat;
use crate::diagnostic::{Finding, RuleInfo};
use crate::files::{FileId, SourceDb, SourceFile};
use crate::span::{LineCol, Span};
pub use crate::text::{is_unprintable, printable};

/// Counts shown after the findings and in the JSON output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Every file read: templates, other candidate documents, Rust sources, manifests.
    pub files: usize,
    /// Files modelled as CloudFormation/SAM templates (including ones with structure errors).
    pub templates: usize,
    /// Rust sources and Cargo manifests analysed.
    pub sources: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read, decoded or parsed.
    pub parse_failures: usize,
    /// Lambda binaries (bins with a Lambda runtime start, of a Lambda crate, or deployed by a
    /// template) and how many of them slint could not analyse (each has an SL005 finding).
    pub lambda_binaries: usize,
    pub binaries_not_analysed: usize,
    /// Functions of the templates, and how many of them slint linked to the Rust binary they
    /// deploy (the rest: another runtime, or code slint could not find; see SL005).
    pub functions: usize,
    pub functions_linked: usize,
    /// Findings not reported because the baseline records them.
    pub baselined: usize,
}

/// What a run produced, sorted and final.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// Presentation choices that are not part of the data.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// ANSI colours (human format only).
    pub color: bool,
    /// Terminal width for wrapping (human format only).
    pub width: usize,
    /// Findings only: no summary line (human, concise and github formats).
    pub quiet: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { color: false, width: 100, quiet: false }
    }
}

/// Writes `report` in `format` to `out`.
///
/// `report.findings` must already be sorted (file, line, column, code); renderers keep that
/// order. `rules` is every rule of the run (built-in and Guard pack): SARIF lists them all.
/// Output is buffered here, so `out` can be an unbuffered handle.
pub fn render(
    format: OutputFormat,
    report: &Report,
    db: &SourceDb,
    rules: &[RuleInfo],
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    match format {
        OutputFormat::Human => human::render(report, db, options, &mut out)?,
        OutputFormat::Concise => concise::render(report, db, &mut out)?,
        OutputFormat::Json => json::render(report, db, &mut out)?,
        OutputFormat::Sarif => sarif::render(report, db, rules, &mut out)?,
        OutputFormat::Github => github::render(report, db, &mut out)?,
        OutputFormat::Gitlab => gitlab::render(report, db, &mut out)?,
        OutputFormat::Junit => junit::render(report, db, &mut out)?,
    }
    let has_summary_line = matches!(format, OutputFormat::Human | OutputFormat::Concise | OutputFormat::Github);
    if has_summary_line && !options.quiet {
        writeln!(out, "{}", summary::line(report))?;
    }
    out.flush()
}

/// The file a finding points at, if the id belongs to `db`. Findings are built from the same
/// database, so `None` only guards renderers against a mismatched one.
fn source_file(db: &SourceDb, id: FileId) -> Option<&SourceFile> {
    ((id.0 as usize) < db.len()).then(|| db.get(id))
}

/// Where a span is, as every format shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Location<'a> {
    /// The display path (`/`-separated, relative to the working directory when below it).
    path: &'a str,
    /// 1-based; `end` is exclusive and at least one column after `start`.
    start: LineCol,
    end: LineCol,
}

/// Shown for a file id that is not in the database.
const UNKNOWN_PATH: &str = "<unknown>";

fn locate(db: &SourceDb, file: FileId, span: Span) -> Location<'_> {
    match source_file(db, file) {
        Some(f) => {
            let (start, end) = f.range(span);
            Location { path: &f.display, start, end }
        }
        None => {
            Location { path: UNKNOWN_PATH, start: LineCol { line: 1, column: 1 }, end: LineCol { line: 1, column: 2 } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Site};

    const ALL: [OutputFormat; 7] = [
        OutputFormat::Human,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Gitlab,
        OutputFormat::Junit,
    ];

    /// Findings with spans no rule should produce, on a multi-byte text, a missing file id
    /// and an empty file.
    fn odd_report() -> (SourceDb, Report) {
        let mut db = SourceDb::new();
        let text = "é: ü\r\nx: 1\n";
        let file = db.add("t.yaml".into(), "t.yaml".into(), text.into());
        let empty = db.add("e.yaml".into(), "e.yaml".into(), "".into());
        let end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        let spans = [
            Span::new(1, 2),               // inside `é`
            Span::new(end + 10, end + 20), // past the end
            Span::new(5, 2),               // start after end
            Span::at(end),                 // empty, at the end of the file
            Span::new(4, 6),               // across the `\r\n`
            Span::new(0, u32::MAX),        // the whole file and beyond
        ];
        // Codes of a made-up Guard pack: renderers must cope with any finding, not only ours.
        let mut findings: Vec<Finding> = spans
            .iter()
            .map(|&span| Finding::new("test/ODD_SPAN", "odd", Severity::Error, Site::new(file, span), "odd span"))
            .collect();
        findings.push(Finding::new("test/EMPTY", "", Severity::Info, Site::new(empty, Span::new(3, 1)), ""));
        let mut ghost = Finding::new("test/GHOST", "ghost", Severity::Warning, Site::new(FileId(99), Span::at(0)), "m");
        ghost.related(FileId(98), Span::at(0), "elsewhere").related(empty, Span::at(4), "empty");
        ghost.related(file, Span::new(200, 100), "past the end");
        findings.push(ghost);
        let summary = Summary { findings: findings.len(), ..Summary::default() };
        (db, Report { findings, summary })
    }

    #[test]
    fn odd_spans_and_files_render_in_every_format() {
        let (db, report) = odd_report();
        for format in ALL {
            for options in [RenderOptions::default(), RenderOptions { color: true, width: 0, quiet: true }] {
                let mut out = Vec::new();
                render(format, &report, &db, &[], options, &mut out).expect("render into a Vec");
                let text = String::from_utf8(out).expect("UTF-8");
                assert!(text.contains("test/GHOST"), "{format:?} lost a finding:\n{text}");
                assert!(!text.contains("Failed to read"), "{format:?}:\n{text}");
            }
        }
    }

    #[test]
    fn positions_are_one_based_and_end_after_start() {
        let (db, report) = odd_report();
        for f in &report.findings {
            let at = locate(&db, f.file, f.span);
            assert!(at.start.line >= 1 && at.start.column >= 1);
            assert!(at.end > at.start, "{at:?}");
        }
        assert_eq!(locate(&db, FileId(99), Span::at(0)).path, UNKNOWN_PATH);
    }

    #[test]
    fn an_empty_report_passes() {
        let db = SourceDb::new();
        let report = Report::default();
        for format in ALL {
            let text = fixture::render_report(format, &db, &report, &[]);
            match format {
                OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Gitlab => {
                    serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
                }
                OutputFormat::Junit => assert!(text.contains(r#"<testcase name="slint check""#), "{text}"),
                _ => assert_eq!(text, "All checks passed. 0 files checked (0 templates, 0 sources).\n"),
            }
        }
    }
}

pub mod capacity;
mod listing;
pub use listing::{explain, explain_pack_rule, rules_json, rules_table};
pub use statistics::statistics;
