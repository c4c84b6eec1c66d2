//! The synthetic run every renderer test renders: two small files, one unreadable file and
//! five findings that cover what renderers must get right (see `build`).

use std::path::PathBuf;
use std::sync::Arc;

use super::{OutputFormat, RenderOptions, Report, Summary, render};
use crate::diagnostic::{Finding, RuleInfo, Severity, Site};
use crate::files::{FileId, SourceDb};
use crate::model::tree::TemplatePath;
use crate::span::Span;

/// A template with one CRLF line (8) and a non-ASCII character before a finding (line 9).
pub const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\n\
Transform: AWS::Serverless-2016-10-31\n\
Resources:\n  \
  Orders:\n    \
    Type: AWS::Serverless::Function\n    \
    Properties:\n      \
      Handler: bootstrap\n      \
      Timeout: 60\r\n      \
      Tags: { Équipe: orders, Tier: gold }\n      \
      Events:\n        \
        Api:\n          \
          Type: Api\n  \
  OrdersQueue:\n    \
    Type: AWS::SQS::Queue\n";

pub const SOURCE: &str = "use aws_sdk_dynamodb::Client;\n\
\n\
async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {\n    \
    let config = aws_config::load_from_env().await;\n    \
    let client = Client::new(&config);\n    \
    Ok(json!({}))\n\
}\n";

pub struct Fixture {
    pub db: SourceDb,
    pub report: Report,
    pub rules: Vec<RuleInfo>,
}

/// The span of `part` inside the first `needle` in `text`.
pub fn span_of(text: &str, needle: &str, part: &str) -> Span {
    let start = text.find(needle).expect("needle in fixture text");
    let inner = needle.find(part).expect("part in needle");
    Span::from_range(start + inner..start + inner + part.len())
}

pub fn build() -> Fixture {
    let mut db = SourceDb::new();
    let template = db.add(PathBuf::from("app/template.yaml"), "app/template.yaml".into(), TEMPLATE.into());
    // Unreadable: the loader keeps the file with an empty text.
    let broken = db.add(PathBuf::from("broken.yaml"), "broken.yaml".into(), Arc::from(""));
    let source = db.add(PathBuf::from("orders/src/main.rs"), "orders/src/main.rs".into(), SOURCE.into());
    let findings = vec![
        timeout(template),
        tag_value(template),
        visibility(template),
        unreadable(broken),
        client_per_invocation(source, template),
    ];
    let summary = Summary {
        files: 3,
        templates: 2,
        sources: 1,
        findings: findings.len(),
        errors: 2,
        warnings: 2,
        infos: 1,
        parse_failures: 1,
        lambda_binaries: 1,
        binaries_not_analysed: 0,
        functions: 1,
        functions_linked: 1,
        baselined: 0,
    };
    Fixture { db, report: Report { findings, summary }, rules: rules() }
}

/// Error with `path`, `resource`, `help` and a related location in the same file, on the
/// CRLF line.
fn timeout(file: FileId) -> Finding {
    let path = TemplatePath::parse("Resources/Orders/Properties/Timeout");
    let site = Site::new(file, span_of(TEMPLATE, "Timeout: 60", "60")).with_path(path);
    let mut f = Finding::new(
        "SL202",
        "timeout-exceeds-api-limit",
        Severity::Error,
        site,
        "function Orders has a 60 s timeout behind API Gateway, which gives up after 29 s",
    );
    f.help("set `Timeout` to 29 or less, or answer the request and finish the work from a queue");
    f.related(file, span_of(TEMPLATE, "Type: Api", "Api"), "the API event that makes Orders synchronous");
    f
}

/// Info from a Guard pack rule that is not in the rule list, after a non-ASCII character.
fn tag_value(file: FileId) -> Finding {
    let path = TemplatePath::parse("Resources/Orders/Properties/Tags/Tier");
    let site = Site::new(file, span_of(TEMPLATE, "Tier: gold", "gold")).with_path(path);
    Finding::new(
        "acme/TAG_VALUES",
        "TAG_VALUES",
        Severity::Info,
        site,
        "tag Tier of Orders is not one of bronze, silver",
    )
}

/// Warning whose message needs escaping in every format, on a zero-length span.
fn visibility(file: FileId) -> Finding {
    let at = span_of(TEMPLATE, "  OrdersQueue:", "OrdersQueue").start;
    let site = Site::new(file, Span::at(at)).with_path(TemplatePath::parse("Resources/OrdersQueue"));
    Finding::new(
        "SL104",
        "queue-visibility-too-short",
        Severity::Warning,
        site,
        "queue OrdersQueue: visibility 30 s, 100% of the consumer timeout\nmessages may be delivered twice",
    )
}

/// Error on a file whose text is empty, with a span past its end.
fn unreadable(file: FileId) -> Finding {
    let mut f = Finding::new(
        "SL001",
        "parse-error",
        Severity::Error,
        Site::new(file, Span::new(0, 12)),
        "could not read broken.yaml: stream did not contain valid UTF-8",
    );
    f.help("save the file as UTF-8");
    f
}

/// Warning in a Rust source with a related location in the template.
fn client_per_invocation(file: FileId, template: FileId) -> Finding {
    let site = Site::new(file, span_of(SOURCE, "Client::new(&config)", "Client::new(&config)"));
    let mut f = Finding::new(
        "SL101",
        "client-per-invocation",
        Severity::Warning,
        site,
        "handler of Orders builds a DynamoDB client on every invocation",
    );
    f.resource("Orders");
    f.help("build the client once in `main` and pass a reference to the handler");
    f.related(template, span_of(TEMPLATE, "Handler: bootstrap", "bootstrap"), "Orders is deployed from this crate");
    f
}

/// Every finding's rule except the Guard one, plus one rule without findings.
fn rules() -> Vec<RuleInfo> {
    let rule =
        |code: &'static str, name: &'static str, category: &'static str, severity, summary: &'static str| RuleInfo {
            code: code.into(),
            name: name.into(),
            category: category.into(),
            severity,
            summary: summary.into(),
            docs: format!("## What it does\n\n{summary}\n\n## Example\n\n```yaml\nTimeout: 29\n```\n").into(),
        };
    vec![
        rule("SL001", "parse-error", "syntax", Severity::Error, "Reports files that cannot be read or parsed."),
        rule(
            "SL101",
            "client-per-invocation",
            "performance",
            Severity::Warning,
            "Finds SDK clients built inside a handler.",
        ),
        rule(
            "SL104",
            "queue-visibility-too-short",
            "reliability",
            Severity::Warning,
            "Checks queue visibility against consumer timeouts.",
        ),
        rule(
            "SL202",
            "timeout-exceeds-api-limit",
            "limits",
            Severity::Error,
            "Flags timeouts longer than API Gateway allows.",
        ),
        rule("SL301", "unused-rule", "style", Severity::Info, "Has no findings in the fixture."),
    ]
}

/// Renders the fixture (colour off, width 100) into a string.
pub fn render_fixture(format: OutputFormat, fixture: &Fixture) -> String {
    render_report(format, &fixture.db, &fixture.report, &fixture.rules)
}

pub fn render_report(format: OutputFormat, db: &SourceDb, report: &Report, rules: &[RuleInfo]) -> String {
    let mut out = Vec::new();
    render(format, report, db, rules, RenderOptions::default(), &mut out).expect("render into a Vec");
    String::from_utf8(out).expect("renderers write UTF-8")
}
