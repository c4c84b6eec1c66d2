//! Reads Guard's structured JSON report (`validate --structured --output-format json`).
//!
//! The report types are private to cfn-guard, so this walks `serde_json::Value`s. One data
//! document gives `[{name, status, not_compliant, not_applicable, compliant}]`; each failing
//! rule in `not_compliant` is `{"Rule": {name, checks}}`, whose checks nest `Rule` (a rule
//! calling another), `Disjunctions` (`or`), `Block` and `Clause` (`Unary`/`Binary`) reports.
//! Only the failing value's `path` is taken for positions: Guard's own line numbers are 0-based
//! and often missing (see `research/libraries.md` §1.4).

use std::collections::BTreeSet;

use serde_json::Value;

/// What one data document did under one pack.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub failures: Vec<Failure>,
    /// Rule names (as Guard reports them) by outcome, for `slint test-pack`.
    pub failed: BTreeSet<String>,
    pub passed: BTreeSet<String>,
    pub skipped: BTreeSet<String>,
}

/// One failing clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The top-level rule it belongs to, as Guard names it.
    pub rule: String,
    /// The clause's custom message, verbatim.
    pub custom_message: Option<String>,
    /// The clause as Guard prints it (`%functions[*].Properties.Timeout LESS THAN EQUALS 30`).
    pub context: String,
    pub at: At,
}

/// Where a failing clause points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// A value that exists and fails the check.
    Value(String),
    /// A property that is missing: the deepest path that exists, and what was still to find.
    Missing { traversed_to: String, remaining: String },
    /// Guard gave no path (a clause on a variable or a literal).
    Nowhere,
}

impl At {
    /// The logical id of the resource the path is in (`/Resources/<id>/...`).
    pub fn resource(&self) -> Option<&str> {
        let path = match self {
            At::Value(path) => path,
            At::Missing { traversed_to, .. } => traversed_to,
            At::Nowhere => return None,
        };
        let mut segments = path.strip_prefix('/')?.split('/');
        (segments.next()? == "Resources").then(|| segments.next()).flatten().filter(|id| !id.is_empty())
    }
}

/// Parses the report of one data document.
pub fn parse(text: &str) -> Result<Report, String> {
    let documents = documents(text)?;
    let mut report = Report::default();
    for document in &documents {
        read_document(document, &mut report);
    }
    Ok(report)
}

/// Parses the report of `count` data documents given in one payload: one report each, in
/// payload order (Guard writes one record per data document, in order).
pub fn parse_each(text: &str, count: usize) -> Result<Vec<Report>, String> {
    let documents = documents(text)?;
    if documents.len() != count {
        return Err(format!("unexpected Guard report: {} records for {count} documents", documents.len()));
    }
    Ok(documents
        .iter()
        .map(|document| {
            let mut report = Report::default();
            read_document(document, &mut report);
            report
        })
        .collect())
}

fn documents(text: &str) -> Result<Vec<Value>, String> {
    let json: Value = serde_json::from_str(text).map_err(|e| format!("unreadable Guard report: {e}"))?;
    match json {
        Value::Array(documents) => Ok(documents),
        _ => Err("unexpected Guard report: not a list".into()),
    }
}

fn read_document(document: &Value, report: &mut Report) {
    names(document, "not_applicable", &mut report.skipped);
    names(document, "compliant", &mut report.passed);
    for rule in document.get("not_compliant").and_then(Value::as_array).into_iter().flatten() {
        let name = rule.pointer("/Rule/name").and_then(Value::as_str).unwrap_or("default");
        report.failed.insert(name.to_string());
        collect(rule, name, &mut report.failures, 0);
    }
}

fn names(document: &Value, key: &str, into: &mut BTreeSet<String>) {
    let list = document.get(key).and_then(Value::as_array).into_iter().flatten();
    into.extend(list.filter_map(Value::as_str).map(str::to_string));
}

/// Guard nests reports as deep as rules call rules; deeper than this is a cycle slint will not
/// follow (Guard itself rejects cyclic rule references).
const MAX_NESTING: usize = 64;

/// Collects the failing clauses under one report node, attributed to the top-level `rule`.
fn collect(node: &Value, rule: &str, out: &mut Vec<Failure>, depth: usize) {
    if depth > MAX_NESTING {
        return;
    }
    let Some((kind, body)) = node.as_object().and_then(|o| o.iter().next()) else { return };
    match kind.as_str() {
        "Rule" => {
            for check in body.get("checks").and_then(Value::as_array).into_iter().flatten() {
                collect(check, rule, out, depth + 1);
            }
        }
        // `a or b` failed, so every alternative did. Guard flattens the blocks under it, so the
        // list holds the failing clauses of every alternative for every value they iterated:
        // each resource among them is one failure (see `one_per_resource`).
        "Disjunctions" => {
            let mut alternatives = Vec::new();
            for check in body.get("checks").and_then(Value::as_array).into_iter().flatten() {
                collect(check, rule, &mut alternatives, depth + 1);
            }
            out.extend(one_per_resource(alternatives));
        }
        "Block" => out.push(failure(rule, body, block_location(body))),
        "Clause" => {
            if let Some((_, clause)) = body.as_object().and_then(|o| o.iter().next()) {
                out.push(failure(rule, clause, clause_location(clause)));
            }
        }
        _ => {}
    }
}

/// The failures of a disjunction, one per resource they name, in the order the resources first
/// appear: `%x { A } OR %x { B }` fails for every resource of `%x` that fails, as cfn-guard
/// reports it. A resource that failed several alternatives is reported with the first one the
/// rule's author wrote a message for (the explanation of that case), else with the first. Failures
/// naming no resource stand for the clause only when none names one.
fn one_per_resource(failures: Vec<Failure>) -> Vec<Failure> {
    let mut chosen: Vec<(Option<String>, Failure)> = Vec::new();
    for failure in failures {
        let resource = failure.at.resource().map(str::to_string);
        match chosen.iter_mut().find(|(r, _)| *r == resource) {
            Some((_, kept)) if kept.custom_message.is_none() && failure.custom_message.is_some() => *kept = failure,
            Some(_) => {}
            None => chosen.push((resource, failure)),
        }
    }
    if chosen.iter().any(|(r, _)| r.is_some()) {
        chosen.retain(|(r, _)| r.is_some());
    }
    chosen.into_iter().map(|(_, f)| f).collect()
}

fn failure(rule: &str, body: &Value, at: At) -> Failure {
    Failure {
        rule: rule.to_string(),
        // Guard reports `Some("")` for a clause without a message in some arms.
        custom_message: body
            .pointer("/messages/custom_message")
            .and_then(Value::as_str)
            .filter(|m| !m.trim().is_empty())
            .map(str::to_string),
        context: body
            .get("context")
            .and_then(Value::as_str)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        at,
    }
}

/// `{"unresolved": {traversed_to: {path}, remaining_query}}` or nothing.
fn block_location(block: &Value) -> At {
    block.get("unresolved").map_or(At::Nowhere, missing)
}

/// A `Unary` or `Binary` clause: `check` is `Resolved`, `InResolved`, `UnResolved` or
/// `UnResolvedContext`.
fn clause_location(clause: &Value) -> At {
    let Some((kind, check)) = clause.get("check").and_then(Value::as_object).and_then(|o| o.iter().next()) else {
        return At::Nowhere;
    };
    match kind.as_str() {
        "UnResolved" => check.get("value").map_or(At::Nowhere, missing),
        // Unary: the value checked; binary: the left-hand side, or the right when the left is a
        // literal (`30 >= %timeouts`).
        "Resolved" | "InResolved" => ["/value/path", "/from/path", "/to/path"]
            .iter()
            .filter_map(|p| check.pointer(p).and_then(Value::as_str))
            .find(|p| !p.is_empty())
            .map_or(At::Nowhere, |p| At::Value(p.to_string())),
        _ => At::Nowhere,
    }
}

fn missing(unresolved: &Value) -> At {
    match unresolved.pointer("/traversed_to/path").and_then(Value::as_str) {
        Some(path) => At::Missing {
            traversed_to: path.to_string(),
            remaining: unresolved.get("remaining_query").and_then(Value::as_str).unwrap_or("").to_string(),
        },
        None => At::Nowhere,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trimmed from a real cfn-guard 3.2.1 report.
    const REPORT: &str = r#"[{"name":"DATA_STDIN[1]","metadata":{},"status":"FAIL",
      "not_compliant":[{"Rule":{"name":"ARM","metadata":{},"messages":{"custom_message":null,"error_message":null},
        "checks":[
          {"Clause":{"Unary":{"check":{"UnResolved":{"value":{"traversed_to":{"path":"/Resources/B/Properties","value":{}},
             "remaining_query":"Architectures","reason":"..."},"comparison":["Exists",false]}},
             "context":" %functions[*].Properties.Architectures EXISTS  ","messages":{"custom_message":"m1","error_message":"e"}}}},
          {"Disjunctions":{"checks":[{"Clause":{"Binary":{"context":"c","messages":{"custom_message":null,"error_message":"e"},
             "check":{"Resolved":{"from":{"path":"/Resources/A/Properties/Architectures/0","value":"x86_64"},
             "to":{"path":"","value":"arm64"},"comparison":["Eq",false]}}}}},
             {"Clause":{"Unary":{"context":"d","messages":{},"check":{"Resolved":{"value":{"path":"/Other"}}}}}}]}},
          {"Rule":{"name":"NESTED","checks":[{"Block":{"context":"b","messages":{"custom_message":"m3"},"unresolved":null}}]}}
        ]}}],
      "not_applicable":["SKIPPED"],"compliant":["OK"]}]"#;

    #[test]
    fn every_failing_clause_with_its_path() {
        let report = parse(REPORT).unwrap();
        assert_eq!(report.failed.iter().collect::<Vec<_>>(), ["ARM"]);
        assert_eq!(report.passed.iter().collect::<Vec<_>>(), ["OK"]);
        assert_eq!(report.skipped.iter().collect::<Vec<_>>(), ["SKIPPED"]);
        let at: Vec<&At> = report.failures.iter().map(|f| &f.at).collect();
        assert_eq!(
            at,
            [
                &At::Missing { traversed_to: "/Resources/B/Properties".into(), remaining: "Architectures".into() },
                &At::Value("/Resources/A/Properties/Architectures/0".into()),
                &At::Nowhere,
            ]
        );
        assert!(report.failures.iter().all(|f| f.rule == "ARM"), "nested rules count for the top-level rule");
        assert_eq!(report.failures[0].context, "%functions[*].Properties.Architectures EXISTS");
        assert_eq!(report.failures[0].custom_message.as_deref(), Some("m1"));
        assert_eq!(report.failures[1].custom_message, None);
    }

    fn failing(path: &str, message: Option<&str>) -> Failure {
        Failure {
            rule: "R".into(),
            custom_message: message.map(str::to_string),
            context: String::new(),
            at: if path.is_empty() { At::Nowhere } else { At::Value(path.into()) },
        }
    }

    /// `%x { A } OR %x { B }`: Guard flattens both blocks into one list of failing clauses.
    #[test]
    fn a_disjunction_fails_once_per_resource_with_its_first_custom_message() {
        let failures = vec![
            failing("/Resources/P1/Properties/Principal", None),
            failing("/Resources/P2/Properties/Principal", None),
            failing("/Resources/P1/Properties", Some("branch 2")),
            failing("", Some("no path")),
            failing("/Resources/P2/Properties", Some("branch 2")),
            failing("/Resources/P2/Properties", Some("branch 3")),
            failing("/Resources/P3/Properties/Principal", None),
        ];
        let kept = one_per_resource(failures);
        let kept: Vec<(Option<&str>, Option<&str>)> =
            kept.iter().map(|f| (f.at.resource(), f.custom_message.as_deref())).collect();
        assert_eq!(kept, [(Some("P1"), Some("branch 2")), (Some("P2"), Some("branch 2")), (Some("P3"), None)]);
        let nowhere = one_per_resource(vec![failing("", None), failing("", Some("m"))]);
        assert_eq!(nowhere.len(), 1, "no resource: one failure stands for the clause");
        assert_eq!(nowhere[0].custom_message.as_deref(), Some("m"));
        assert_eq!(At::Value("/Resources".into()).resource(), None);
        assert_eq!(At::Value("/Outputs/X".into()).resource(), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse("[").is_err());
        assert!(parse("{}").is_err());
        assert_eq!(parse("[{\"not_compliant\": [1, {\"Rule\": 2}]}]").unwrap().failures, vec![]);
    }
}
