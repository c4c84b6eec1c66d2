//! `--format json`: exactly one object, `{"version":1,"findings":[...],"summary":{...}}`
//! (DESIGN §7). Every finding has every key; absent values are `null`, never missing, so
//! consumers need no defaulting. The structs here are the schema: changing a field is a
//! breaking change and needs a new `version`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Summary, locate};
use crate::diagnostic::{Finding, Related, Severity};
use crate::files::SourceDb;

/// The schema version in the output.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    path: Option<String>,
    resource: Option<&'a str>,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

pub(super) fn render(report: &Report, db: &SourceDb, out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: VERSION,
        findings: report.findings.iter().map(|f| finding(f, db)).collect(),
        summary: &report.summary,
    };
    // The pretty printer indents with two spaces.
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

fn finding<'a>(f: &'a Finding, db: &'a SourceDb) -> JsonFinding<'a> {
    let at = locate(db, f.file, f.span);
    JsonFinding {
        code: &f.code,
        name: &f.name,
        severity: f.severity,
        message: &f.message,
        file: at.path,
        line: at.start.line,
        column: at.start.column,
        end_line: at.end.line,
        end_column: at.end.column,
        path: f.path.as_ref().map(ToString::to_string),
        resource: f.resource.as_deref(),
        help: f.help.as_deref(),
        related: f.related.iter().map(|r| related(r, db)).collect(),
    }
}

fn related<'a>(r: &'a Related, db: &'a SourceDb) -> JsonRelated<'a> {
    let at = locate(db, r.file, r.span);
    JsonRelated { file: at.path, line: at.start.line, column: at.start.column, message: &r.message }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::{OutputFormat, fixture};

    fn parsed() -> Value {
        let text = fixture::render_fixture(OutputFormat::Json, &fixture::build());
        assert!(text.ends_with("}\n"), "one object and a trailing newline");
        serde_json::from_str(&text).expect("valid JSON")
    }

    fn keys(value: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    fn sorted(mut keys: Vec<&str>) -> Vec<&str> {
        keys.sort_unstable();
        keys
    }

    #[test]
    fn keys_are_exactly_the_documented_ones() {
        let json = parsed();
        assert_eq!(keys(&json), sorted(vec!["version", "findings", "summary"]));
        assert_eq!(json["version"], 1);
        let finding_keys = sorted(vec![
            "code",
            "name",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "path",
            "resource",
            "help",
            "related",
        ]);
        for finding in json["findings"].as_array().expect("findings array") {
            assert_eq!(keys(finding), finding_keys);
            for related in finding["related"].as_array().expect("related array") {
                assert_eq!(keys(related), sorted(vec!["file", "line", "column", "message"]));
            }
        }
        let summary_keys = sorted(vec![
            "files",
            "templates",
            "sources",
            "findings",
            "errors",
            "warnings",
            "infos",
            "parse_failures",
            "lambda_binaries",
            "binaries_not_analysed",
            "functions",
            "functions_linked",
            "baselined",
        ]);
        assert_eq!(keys(&json["summary"]), summary_keys);
    }

    #[test]
    fn values_are_one_based_and_absent_ones_null() {
        let json = parsed();
        let findings = json["findings"].as_array().expect("findings array");
        assert_eq!(findings.len(), 5);
        // The timeout on the CRLF line: `60` at line 8, columns 16..18.
        let timeout = &findings[0];
        assert_eq!(timeout["code"], "SL202");
        assert_eq!((timeout["line"].as_u64(), timeout["column"].as_u64()), (Some(8), Some(16)));
        assert_eq!((timeout["end_line"].as_u64(), timeout["end_column"].as_u64()), (Some(8), Some(18)));
        assert_eq!(timeout["path"], "Resources/Orders/Properties/Timeout");
        assert_eq!(timeout["resource"], "Orders");
        assert_eq!(timeout["related"][0]["line"], 12);
        // After `É`, columns count characters, not bytes.
        assert_eq!(findings[1]["column"], 37);
        // The unreadable file: no path, resource or related, position 1:1.
        let broken = &findings[3];
        assert_eq!(broken["file"], "broken.yaml");
        assert!(broken["path"].is_null() && broken["resource"].is_null());
        assert_eq!((broken["line"].as_u64(), broken["column"].as_u64()), (Some(1), Some(1)));
        assert_eq!(broken["related"], Value::Array(Vec::new()));
        assert!(findings[1]["help"].is_null());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(fixture::render_fixture(OutputFormat::Json, &fixture::build()));
    }
}
