//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! Hand-written structs for exactly what slint emits (serde-sarif would add ~22 crates and a
//! schema-generating build script for the same bytes). Choices:
//! - `tool.driver.rules` lists every rule of the run, not only those with results, so viewers
//!   can show documentation for any rule; `ruleIndex` points into that list and is left out
//!   for a finding whose code is not listed.
//! - Paths are relative URIs against `%SRCROOT%` (the directory slint ran in), percent-encoded;
//!   paths outside it become absolute `file://` URIs.
//! - Regions are 1-based with exclusive end columns counted in code points, hence
//!   `columnKind: unicodeCodePoints`.
//! - `partialFingerprints["slint/v1"]` hashes code, file, template path, resource and message
//!   (not the line, so an alert survives lines being inserted above it), plus an occurrence
//!   number among identical findings, so equal findings do not collapse into one alert.
//! - A finding's help follows its message after a line break, as in the `github` format.
//! - `informationUri` comes from the package's `repository` and is left out while that is unset.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

#[cfg(test)]
use super::fingerprint::fingerprint;
use super::fingerprint::fingerprints;
use super::{Location, Report, locate};
use crate::diagnostic::{Finding, Related, RuleInfo, Severity};
use crate::files::SourceDb;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "slint/v1";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Message<'a>,
    full_description: Message<'a>,
    help: Help<'a>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct OwnedMessage {
    text: String,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: [&'a str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: OwnedMessage,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.path.is_none() && self.resource.is_none()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<OwnedMessage>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

pub(super) fn render(report: &Report, db: &SourceDb, rules: &[RuleInfo], out: &mut dyn Write) -> io::Result<()> {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool { driver: driver(rules) },
            original_uri_base_ids: base_ids(),
            column_kind: "unicodeCodePoints",
            results: results(report, db, rules),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn driver(rules: &[RuleInfo]) -> Driver<'_> {
    let repository = env!("CARGO_PKG_REPOSITORY");
    Driver {
        name: "slint",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: (!repository.is_empty()).then_some(repository),
        rules: rules.iter().map(rule).collect(),
    }
}

fn rule(info: &RuleInfo) -> Rule<'_> {
    // Guard pack rules may come without documentation; SARIF requires some help text.
    let summary = if info.summary.is_empty() { &*info.name } else { &*info.summary };
    let docs = if info.docs.is_empty() { summary } else { &*info.docs };
    Rule {
        id: &info.code,
        name: &info.name,
        short_description: Message { text: summary },
        // GitHub caps fullDescription at 1000 characters; the full docs go into `help`.
        full_description: Message { text: summary },
        help: Help { text: docs, markdown: docs },
        default_configuration: Configuration { level: level(info.severity) },
        properties: RuleProperties { tags: [&info.category] },
    }
}

fn base_ids() -> BTreeMap<&'static str, ArtifactLocation> {
    // The absolute directory is not known to the renderer (and would make output differ
    // between machines), so the base is described rather than given a URI.
    let root = ArtifactLocation {
        uri: None,
        uri_base_id: None,
        description: Some(OwnedMessage { text: "The directory slint ran in.".to_string() }),
    };
    BTreeMap::from([(SRCROOT, root)])
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn results<'a>(report: &'a Report, db: &'a SourceDb, rules: &[RuleInfo]) -> Vec<SarifResult<'a>> {
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (&*r.code, i)).collect();
    report
        .findings
        .iter()
        .zip(fingerprints(report, db))
        .map(|(f, print)| result(f, db, index.get(&*f.code).copied(), print))
        .collect()
}

fn result<'a>(f: &'a Finding, db: &'a SourceDb, rule_index: Option<usize>, fingerprint: String) -> SarifResult<'a> {
    let text = match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    };
    SarifResult {
        rule_id: &f.code,
        rule_index,
        level: level(f.severity),
        message: OwnedMessage { text },
        locations: [location(locate(db, f.file, f.span), None, None)],
        related_locations: f.related.iter().enumerate().map(|(i, r)| related(r, i, db)).collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        properties: ResultProperties {
            path: f.path.as_ref().map(ToString::to_string),
            resource: f.resource.as_deref(),
        },
    }
}

fn related<'a>(r: &'a Related, i: usize, db: &SourceDb) -> SarifLocation<'a> {
    location(locate(db, r.file, r.span), Some(i), Some(Message { text: &r.message }))
}

fn location<'a>(at: Location<'_>, id: Option<usize>, message: Option<Message<'a>>) -> SarifLocation<'a> {
    let (uri, uri_base_id) = uri(at.path);
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: Some(uri), uri_base_id, description: None },
            region: Region {
                start_line: at.start.line,
                start_column: at.start.column,
                end_line: at.end.line,
                end_column: at.end.column,
            },
        },
        message,
    }
}

/// The URI of a display path: relative to `%SRCROOT%`, or an absolute `file://` URI for a
/// path outside the working directory (`/x/t.yaml`, `C:/x/t.yaml`).
fn uri(path: &str) -> (String, Option<&'static str>) {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    if path.starts_with('/') {
        (format!("file://{}", encode(&path)), None)
    } else if bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        // Keep the drive colon: it is not a scheme separator after `file:///`.
        (format!("file:///{}:{}", &path[..1], encode(&path[2..])), None)
    } else {
        (encode(&path), Some(SRCROOT))
    }
}

/// Percent-encodes everything but unreserved characters, `/` and the sub-delimiters. `:` is
/// encoded so that a relative path's first segment is never read as a URI scheme.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_sarif::sarif;

    use super::super::{OutputFormat, fixture};
    use super::*;

    #[test]
    fn uris_are_encoded_and_rooted() {
        assert_eq!(uri("app/template.yaml"), ("app/template.yaml".to_string(), Some(SRCROOT)));
        assert_eq!(uri("my app/é.yaml").0, "my%20app/%C3%A9.yaml");
        assert_eq!(uri("a:b/c.yaml").0, "a%3Ab/c.yaml");
        assert_eq!(uri("/etc/t.yaml"), ("file:///etc/t.yaml".to_string(), None));
        assert_eq!(uri("C:\\x\\t.yaml"), ("file:///C:/x/t.yaml".to_string(), None));
    }

    #[test]
    fn fingerprints_ignore_the_line_and_count_duplicates() {
        let fx = fixture::build();
        let mut moved = fx.report.findings[0].clone();
        moved.span.start += 1;
        assert_eq!(fingerprint(&fx.report.findings[0], &fx.db), fingerprint(&moved, &fx.db));
        let report = Report { findings: vec![fx.report.findings[0].clone(), moved], summary: fx.report.summary };
        let results = results(&report, &fx.db, &fx.rules);
        let prints: Vec<&String> = results.iter().map(|r| &r.partial_fingerprints[FINGERPRINT_KEY]).collect();
        assert!(prints[0].ends_with(":1") && prints[1].ends_with(":2"), "{prints:?}");
        assert_eq!(prints[0].split(':').next(), prints[1].split(':').next());
    }

    /// Deserializes into serde-sarif's schema-generated types and checks what GitHub code
    /// scanning requires.
    #[test]
    fn output_matches_the_sarif_schema_and_github_rules() {
        let fx = fixture::build();
        let text = fixture::render_fixture(OutputFormat::Sarif, &fx);
        let log: sarif::Sarif = serde_json::from_str(&text).expect("SARIF 2.1.0 shape");
        assert_eq!(log.version, serde_json::json!("2.1.0"));
        assert_eq!(log.runs.len(), 1);
        let run = &log.runs[0];
        let rules = run.tool.driver.rules.as_ref().expect("rules");
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        let passed: Vec<&str> = fx.rules.iter().map(|r| &*r.code).collect();
        assert_eq!(ids, passed, "every rule passed is listed, in order");
        let results = run.results.as_ref().expect("results");
        assert_eq!(results.len(), fx.report.findings.len());
        for result in results {
            let rule_id = result.rule_id.as_deref().expect("ruleId");
            match result.rule_index {
                Some(i) => assert_eq!(rules[usize::try_from(i).expect("index ≥ 0")].id, rule_id),
                None => assert!(!ids.contains(&rule_id), "{rule_id} is listed but has no ruleIndex"),
            }
            let locations = result.locations.iter().flatten();
            let related = result.related_locations.iter().flatten();
            for location in locations.chain(related) {
                let physical = location.physical_location.as_ref().expect("physicalLocation");
                let region = physical.region.as_ref().expect("region");
                assert!(region.start_line.expect("startLine") >= 1);
                assert!(region.start_column.expect("startColumn") >= 1);
                assert!(physical.artifact_location.as_ref().and_then(|a| a.uri.as_ref()).is_some());
            }
        }
    }

    #[test]
    fn snapshot() {
        let text = fixture::render_fixture(OutputFormat::Sarif, &fixture::build());
        // The tool version changes with every release; the snapshot should not.
        let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
        insta::assert_snapshot!(text.replacen(&version, "\"version\": \"[version]\"", 1));
    }
}
