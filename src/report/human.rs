//! `--format human`: miette's graphical report for each finding, then the summary line.
//!
//! One `GraphicalReportHandler` renders every finding. A finding is shown through
//! [`FindingView`], a borrowed `miette::Diagnostic` over it: the header is
//! `SL202 (timeout-exceeds-api-limit)`, the primary label sits on the span and names the
//! template path when there is one, related locations in the same file are extra labels, and
//! those in other files are related diagnostics with their own snippet (nested under the
//! finding, so they read as part of it). Snippets read the file text in place through
//! [`FileSource`], so nothing is copied per finding, and the `file:line:col` miette prints
//! comes from slint's line index (columns in characters, as in every other format).

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};

use super::{Location, RenderOptions, Report, concise, locate, source_file};
use crate::diagnostic::{Finding, Related, Severity};
use crate::files::{FileId, SourceDb, SourceFile};
use crate::span::Span;

/// Narrower than this and miette's nested indentation would not fit (its width arithmetic
/// underflows on tiny widths).
const MIN_WIDTH: usize = 40;

/// Longest line shown in a snippet, in bytes. miette pads to a label's column with a format
/// width, which panics past 65,535 (a finding at the end of a 20 MB one-line template took
/// the whole report down), and a megabyte line is no snippet anyway: the finding then shows
/// its `file:line:col` instead.
const MAX_SNIPPET_LINE_BYTES: usize = 2_000;

/// Lines a label may span; a longer span is shown from its start (a finding on a whole
/// 100,000-line mapping must not print it).
const MAX_SNIPPET_LINES: usize = 20;

/// miette takes about 10 µs a finding, so a report of thousands is rendered on every thread
/// (one handler each) and written in its order.
pub(super) fn render(report: &Report, db: &SourceDb, options: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    let cleaned = Cleaned::of(report, db);
    let cleaned = &cleaned;
    let rendered: Vec<String> = report
        .findings
        .par_iter()
        .map_init(
            || handler(options),
            |handler, finding| {
                let mut text = String::with_capacity(1024);
                render_finding(handler, finding, db, cleaned, &mut text);
                text
            },
        )
        .collect();
    for text in rendered {
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
    }
    Ok(())
}

fn handler(options: RenderOptions) -> GraphicalReportHandler {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_show_related_as_nested(true)
        .with_width(options.width.max(MIN_WIDTH))
}

/// Renders one finding into `text`. miette reports a failure only as `fmt::Error`, and has
/// panicked on inputs nobody foresaw; rather than losing the finding (or the whole output), it
/// is then written as a concise line.
fn render_finding(
    handler: &GraphicalReportHandler,
    finding: &Finding,
    db: &SourceDb,
    cleaned: &Cleaned,
    text: &mut String,
) {
    let view = FindingView::new(finding, db, cleaned);
    let rendered = crate::fault::guarded(|| handler.render_report(text, &view));
    if !matches!(rendered, Ok(Ok(()))) {
        text.clear();
        text.push_str(&concise::line(finding, db));
        text.push('\n');
    }
}

/// Snippet texts and display paths with the characters a terminal acts on replaced
/// ([`super::printable`]), for the files findings point at that have any. Snippets keep every
/// offset: a character is replaced by one of the same length in bytes (`?`, `¿` or `�`), so
/// spans and the line index still fit; `\r` stays in CRLF line ends and becomes `\n` alone.
#[derive(Default)]
struct Cleaned {
    texts: HashMap<FileId, String>,
    paths: HashMap<FileId, String>,
}

impl Cleaned {
    fn of(report: &Report, db: &SourceDb) -> Self {
        let mut cleaned = Cleaned::default();
        let files =
            report.findings.iter().flat_map(|f| std::iter::once(f.file).chain(f.related.iter().map(|r| r.file)));
        for id in files {
            let Some(file) = source_file(db, id) else { continue };
            if cleaned.texts.contains_key(&id) || cleaned.paths.contains_key(&id) {
                continue;
            }
            if needs_cleaning(&file.text) {
                cleaned.texts.insert(id, same_length_replacements(&file.text));
            }
            if let std::borrow::Cow::Owned(path) = super::printable(&file.display) {
                cleaned.paths.insert(id, path);
            }
        }
        cleaned
    }
}

/// Whether a snippet of `text` could hold something to replace. A byte scan first (every file
/// a finding points at is looked at, so this must cost next to nothing on plain text): C0
/// controls and DEL are single bytes, C1 controls start with 0xC2 and the bidi overrides with
/// 0xE2; only a text with one of those is looked at character by character.
fn needs_cleaning(text: &str) -> bool {
    let candidate = |b: &u8| (*b < 0x20 && *b != b'\t' && *b != b'\n') || matches!(*b, 0x7F | 0xC2 | 0xE2);
    if !text.as_bytes().iter().any(candidate) {
        return false;
    }
    let lone_cr = text.as_bytes().windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n') || text.ends_with('\r');
    lone_cr || text.chars().any(|c| c != '\r' && super::is_unprintable(c))
}

/// A lone `\r` (an old Mac line end) becomes `\n`, which is what miette splits lines at.
fn same_length_replacements(text: &str) -> String {
    let mut chars = text.chars().peekable();
    let mut out = String::with_capacity(text.len());
    while let Some(c) = chars.next() {
        out.push(match c.len_utf8() {
            _ if c == '\r' && chars.peek() == Some(&'\n') => c,
            _ if c == '\r' => '\n',
            _ if !super::is_unprintable(c) => c,
            1 => '?',
            2 => '¿',
            _ => '\u{fffd}',
        });
    }
    out
}

/// A file's text as miette reads it, borrowed from the [`SourceDb`] (or its cleaned copy).
#[derive(Clone, Copy)]
struct FileSource<'a> {
    file: &'a SourceFile,
    text: &'a str,
    display: &'a str,
}

impl<'a> FileSource<'a> {
    /// The file, when it has text to show (an unreadable file has none).
    fn of(db: &'a SourceDb, id: FileId, cleaned: &'a Cleaned) -> Option<Self> {
        source_file(db, id).filter(|f| !f.text.is_empty()).map(|file| FileSource {
            file,
            text: cleaned.texts.get(&id).map_or(&*file.text, String::as_str),
            display: cleaned.paths.get(&id).map_or(&*file.display, String::as_str),
        })
    }

    /// `span` as miette shows it, or `None` when a line around it is too long to show.
    fn shown(&self, span: Span) -> Option<SourceSpan> {
        let first = self.file.line_col(span.start).line as usize;
        let mut last = self.file.line_col(span.end).line as usize;
        let mut span = span;
        if last > first + MAX_SNIPPET_LINES {
            span = Span::at(span.start);
            last = first;
        }
        // miette shows a line of context on each side.
        let lines = first.saturating_sub(1).max(1)..=(last + 1).min(self.file.lines.line_count());
        let too_long =
            lines.into_iter().any(|line| self.line_start(line + 1) - self.line_start(line) > MAX_SNIPPET_LINE_BYTES);
        (!too_long).then(|| self.span(span))
    }

    /// `span` as miette needs it: inside the text and on character boundaries, so no
    /// finding can make miette fail or slice inside a character.
    fn span(&self, span: Span) -> SourceSpan {
        let text = self.text;
        let mut start = (span.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (span.end as usize).clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        SourceSpan::new(start.into(), end - start)
    }

    /// The 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.file.line_col(u32::try_from(offset).unwrap_or(u32::MAX)).line as usize
    }

    /// The 0-based character column of a byte offset.
    fn column_of(&self, offset: usize) -> usize {
        let at = self.file.line_col(u32::try_from(offset).unwrap_or(u32::MAX));
        at.column.saturating_sub(1) as usize
    }

    /// The byte offset where a 1-based line starts; the text's end past the last line.
    fn line_start(&self, line: usize) -> usize {
        self.file.lines.offset_of(self.text, line, 0) as usize
    }
}

/// Snippets are cut with slint's line index instead of miette's reader for `str`, which
/// scans the text from its start on every call (several calls per finding): that made 10,000
/// findings in one 350 KB template take seconds. The index also keeps miette's
/// `file:line:col` in step with the other formats (columns in characters, a lone `\r` not a
/// line break), and `line_count` is the number of lines returned, which is what miette's
/// snippet merging expects (its own reader counts from the start of the file, so distant
/// labels in one file were merged into one long snippet).
impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.text;
        let start = span.offset();
        let end = start.saturating_add(span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_of(start);
        // The line of the span's last byte: a span ending with `\n` does not reach the next.
        let last = if end > start { self.line_of(end - 1) } else { first };
        let from = first.saturating_sub(before).max(1);
        let to = last.saturating_add(after).min(self.file.lines.line_count());
        // Without context lines miette wants the data to start at the span, with the
        // span's column; with context, at the start of the first line shown.
        let (data_start, column) =
            if before == 0 { (start, self.column_of(start)) } else { (self.line_start(from), 0) };
        let data_end = self.line_start(to + 1).max(end);
        let data = text.as_bytes().get(data_start..data_end).ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.display.to_string(),
            data,
            SourceSpan::new(data_start.into(), data.len()),
            from - 1,
            column,
            to + 1 - from,
        )))
    }
}

/// `SL202 (timeout-exceeds-api-limit)`.
struct CodeAndName<'a>(&'a Finding);

impl fmt::Display for CodeAndName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0.name {
            "" => f.write_str(&self.0.code),
            name => write!(f, "{} ({name})", self.0.code),
        }
    }
}

/// A message, followed by its location when there is no snippet to show it.
fn write_message(f: &mut fmt::Formatter<'_>, message: &str, at: Option<&Location<'_>>) -> fmt::Result {
    f.write_str(&super::printable(message))?;
    match at {
        Some(at) => write!(f, "\nat {}:{}:{}", super::printable(at.path), at.start.line, at.start.column),
        None => Ok(()),
    }
}

/// A finding as a miette diagnostic.
struct FindingView<'a> {
    finding: &'a Finding,
    source: Option<FileSource<'a>>,
    /// Set when there is no snippet: the location then goes under the message.
    bare_location: Option<Location<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedView<'a>>,
}

impl<'a> FindingView<'a> {
    fn new(finding: &'a Finding, db: &'a SourceDb, cleaned: &'a Cleaned) -> Self {
        let mut source = FileSource::of(db, finding.file, cleaned);
        let mut labels = Vec::with_capacity(1 + finding.related.len());
        let mut related = Vec::new();
        match source.and_then(|s| s.shown(finding.span)) {
            Some(span) => {
                let text = finding.path.as_ref().map(|p| super::printable(&p.to_string()).into_owned());
                labels.push(LabeledSpan::new_primary_with_span(text, span));
            }
            None => source = None,
        }
        for r in &finding.related {
            match source.filter(|_| r.file == finding.file).and_then(|s| s.shown(r.span)) {
                Some(span) => {
                    labels.push(LabeledSpan::new_with_span(Some(super::printable(&r.message).into_owned()), span))
                }
                None => related.push(RelatedView::new(r, db, cleaned)),
            }
        }
        let bare_location = source.is_none().then(|| locate(db, finding.file, finding.span));
        FindingView { finding, source, bare_location, labels, related }
    }
}

impl fmt::Debug for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingView").field("finding", self.finding).finish_non_exhaustive()
    }
}

impl fmt::Display for FindingView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_message(f, &self.finding.message, self.bare_location.as_ref())
    }
}

impl std::error::Error for FindingView<'_> {}

impl Diagnostic for FindingView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(CodeAndName(self.finding)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding.help.as_deref().map(|h| Box::new(super::printable(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        (!self.related.is_empty()).then(|| Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)) as Box<_>)
    }
}

/// A related location in another file, shown as an advice with its own snippet.
struct RelatedView<'a> {
    message: &'a str,
    source: Option<FileSource<'a>>,
    label: Option<LabeledSpan>,
    bare_location: Option<Location<'a>>,
}

impl<'a> RelatedView<'a> {
    fn new(related: &'a Related, db: &'a SourceDb, cleaned: &'a Cleaned) -> Self {
        let shown = FileSource::of(db, related.file, cleaned).and_then(|s| Some((s, s.shown(related.span)?)));
        let source = shown.map(|(s, _)| s);
        let label = shown.map(|(_, span)| LabeledSpan::new_primary_with_span(None, span));
        let bare_location = source.is_none().then(|| locate(db, related.file, related.span));
        RelatedView { message: &related.message, source, label, bare_location }
    }
}

impl fmt::Debug for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelatedView").field("message", &self.message).finish_non_exhaustive()
    }
}

impl fmt::Display for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_message(f, self.message, self.bare_location.as_ref())
    }
}

impl std::error::Error for RelatedView<'_> {}

impl Diagnostic for RelatedView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label.clone().map(|l| Box::new(std::iter::once(l)) as Box<_>)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{OutputFormat, RenderOptions, fixture, render};
    use super::*;

    fn human(options: RenderOptions) -> String {
        let fx = fixture::build();
        let mut out = Vec::new();
        render(OutputFormat::Human, &fx.report, &fx.db, &fx.rules, options, &mut out).expect("render into a Vec");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn headers_agree_with_the_concise_positions() {
        let fx = fixture::build();
        let text = human(RenderOptions::default());
        for finding in &fx.report.findings {
            let at = locate(&fx.db, finding.file, finding.span);
            let (path, line, column) = (at.path, at.start.line, at.start.column);
            let header = format!("[{path}:{line}:{column}]");
            let bare = format!("at {path}:{line}:{column}");
            assert!(text.contains(&header) || text.contains(&bare), "{header} missing:\n{text}");
        }
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!human(RenderOptions::default()).contains('\u{1b}'));
        let coloured = human(RenderOptions { color: true, width: 100, quiet: false });
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn snippets_are_cut_at_line_boundaries() {
        let fx = fixture::build();
        let cleaned = Cleaned::default();
        let source = FileSource::of(&fx.db, crate::files::FileId(0), &cleaned).expect("template text");
        let span = source.span(fixture::span_of(fixture::TEMPLATE, "Timeout: 60", "60"));
        let contents = source.read_span(&span, 1, 1).expect("in bounds");
        let data = std::str::from_utf8(contents.data()).expect("UTF-8");
        assert!(data.starts_with("      Handler") && data.ends_with("gold }\n"), "{data:?}");
        assert_eq!((contents.line(), contents.column(), contents.line_count()), (6, 0, 3));
        // Without context: data starts at the span, column in characters.
        let gold = source.span(fixture::span_of(fixture::TEMPLATE, "Tier: gold", "gold"));
        let contents = source.read_span(&gold, 0, 0).expect("in bounds");
        assert_eq!((contents.line(), contents.column()), (8, 36));
        let past = SourceSpan::new(fixture::TEMPLATE.len().into(), 1);
        assert!(source.read_span(&past, 0, 0).is_err());
    }

    #[test]
    fn spans_are_clamped_to_the_text_and_characters() {
        let fx = fixture::build();
        let cleaned = Cleaned::default();
        let source = FileSource::of(&fx.db, crate::files::FileId(0), &cleaned).expect("template text");
        let e_acute = u32::try_from(fixture::TEMPLATE.find('É').expect("É")).expect("small");
        let inside = source.span(Span::new(e_acute + 1, e_acute + 1));
        // A point inside a character grows to cover the character.
        assert_eq!((inside.offset(), inside.len()), (e_acute as usize, 'É'.len_utf8()));
        let past = source.span(Span::new(u32::MAX - 1, u32::MAX));
        assert_eq!((past.offset(), past.len()), (fixture::TEMPLATE.len(), 0));
        assert!(FileSource::of(&fx.db, crate::files::FileId(1), &cleaned).is_none(), "empty text");
    }

    /// One finding in a file of `text`, rendered.
    fn render_one(text: &str, span: Span) -> String {
        let mut db = SourceDb::new();
        let file = db.add("t.yaml".into(), "t.yaml".into(), text.into());
        let finding =
            Finding::new("SL001", "parse-error", Severity::Error, crate::diagnostic::Site::new(file, span), "bad");
        let report = Report { findings: vec![finding], summary: Default::default() };
        let mut out = Vec::new();
        render(OutputFormat::Human, &report, &db, &[], RenderOptions::default(), &mut out).expect("renders");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn long_lines_and_spans_are_not_shown_whole() {
        // miette's padding panicked past column 65,535: a 100 KB line is located, not shown.
        let text = format!("a: {}\nb: 1\n", "x".repeat(100_000));
        let out = render_one(&text, Span::at(100_002));
        assert!(out.contains("at t.yaml:1:100003"), "{out}");
        assert!(out.lines().all(|l| l.len() < 200), "{}", out.len());
        // A span over 1,000 lines is shown from its start.
        let text = "k: v\n".repeat(1_000);
        let out = render_one(&text, Span::new(0, text.len() as u32));
        assert!(out.contains("[t.yaml:1:1]") && out.lines().count() < 20, "{out}");
    }

    #[test]
    fn cleaned_snippets_keep_every_offset() {
        for text in ["a\u{1b}]0;x\u{7}\n", "a\rb\r\nc\r", "x\u{9b}y\u{202e}z\u{7f}", "plain é → text\r\n"] {
            let cleaned = same_length_replacements(text);
            assert_eq!((cleaned.len(), cleaned.chars().count()), (text.len(), text.chars().count()), "{text:?}");
            let lone_cr = cleaned.as_bytes().windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n');
            assert!(!lone_cr && !cleaned.ends_with('\r'), "{cleaned:?}");
            assert!(!cleaned.chars().any(|c| c != '\r' && super::super::is_unprintable(c)), "{cleaned:?}");
        }
        assert!(!needs_cleaning("plain é → text\r\n"));
        assert!(needs_cleaning("a\rb") && needs_cleaning("a\u{1b}[31m") && needs_cleaning("a\u{202e}"));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(fixture::render_fixture(OutputFormat::Human, &fixture::build()));
    }
}
