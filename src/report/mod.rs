//! Renderers: findings in, text out. One file per format; they depend only on findings, the
//! source files and rule metadata, never on the models or the rules.

use std::io;

use serde::Serialize;

use crate::diagnostic::Finding;
use crate::files::SourceDb;
use crate::diagnostic::RuleInfo;

/// The output formats of `slint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// miette diagnostics with source snippets (colour only on a terminal).
    Human,
    /// `path:line:col: SEVERITY CODE message`, one per line.
    Concise,
    /// One JSON object, versioned (DESIGN §7).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (pull request annotations).
    Github,
}

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
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { color: false, width: 100 }
    }
}

mod listing;
pub use listing::{docs_markdown, explain, rules_json, rules_table};

/// Temporary concise renderer until the renderer branch lands.
pub fn render(
    _format: OutputFormat,
    report: &Report,
    db: &SourceDb,
    _rules: &[RuleInfo],
    _options: RenderOptions,
    quiet: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    for f in &report.findings {
        let file = db.get(f.file);
        let (start, _) = file.range(f.span);
        writeln!(out, "{}:{}:{}: {} {} {}", file.display, start.line, start.column, f.severity, f.code, f.message)?;
    }
    if !quiet {
        writeln!(out, "{:?}", report.summary)?;
    }
    Ok(())
}
