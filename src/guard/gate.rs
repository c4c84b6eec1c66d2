//! Which rule files of a pack can fail on a template, decided before Guard is called.
//!
//! Guard costs about 0.3 ms of CPU per rules file and template even when every rule of the
//! file is skipped, and cfn-guard's evaluator is private to its crate: slint can only hand it a
//! payload and read back its report. Most pack rules are written as the registry writes them,
//!
//! ```text
//! let queues = Resources.*[ Type == 'AWS::SQS::Queue' <other filters> ]
//! rule SQS_ENCRYPTED when %queues !empty { ... }
//! ```
//!
//! and such a rule can only be skipped (never fail) on a template with no resource of that type.
//! A file whose every rule has such a gate is not given to Guard for a template that has none of
//! the gates' types. Anything else (a clause outside a named rule, a gate slint does not
//! recognise, a `Type` that is not a plain string, a regular expression beyond a plain
//! substring) keeps the file, so the findings are the same as evaluating every file.

use serde_json::Value;

use crate::model::Template;

/// The resource types one of which a template must have for a rules file to run on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pattern {
    /// `Type == 'AWS::SQS::Queue'`.
    Exact(String),
    /// `Type in [/AWS::Lambda::Permission/]`: Guard's regular expressions match anywhere in
    /// the string; only those without metacharacters are kept, as substrings. The text with
    /// its slashes is also kept as a literal, since Guard's parse tree prints both alike.
    Substring { inner: String, literal: String },
}

/// The types of a template's resources, as Guard's query `Resources.*.Type` sees them; `None`
/// when one is not a plain string (an intrinsic, a number) or `Resources` is not a mapping:
/// then no gate can be decided and every file runs.
pub fn resource_types(template: &Template) -> Option<Vec<&str>> {
    let Some(resources) = template.root().and_then(|r| r.get("Resources")) else { return Some(Vec::new()) };
    if !resources.is_map() {
        return if resources.is_scalar() { Some(Vec::new()) } else { None };
    }
    let mut types = Vec::with_capacity(resources.len());
    for (_, _, resource) in resources.map_iter() {
        match resource.get("Type") {
            Some(kind) => types.push(kind.as_str()?),
            None if resource.is_map() || resource.is_scalar() => {}
            None => return None,
        }
    }
    Some(types)
}

impl Gate {
    /// Whether a template with these resource types (see [`resource_types`]) may fail a rule of
    /// the file.
    pub fn admits(&self, types: Option<&[&str]>) -> bool {
        let Some(types) = types else { return true };
        types.iter().any(|t| self.patterns.iter().any(|p| p.matches(t)))
    }
}

impl Pattern {
    fn matches(&self, kind: &str) -> bool {
        match self {
            Pattern::Exact(text) => kind == text,
            Pattern::Substring { inner, literal } => kind.contains(inner.as_str()) || kind == literal,
        }
    }
}

/// The gate of a rules file from its parse tree (the serde form of Guard's `RulesFile`), or
/// `None` when some rule of the file may fail on any template.
pub fn of_file(tree: &Value) -> Option<Gate> {
    let rules = tree.get("guard_rules")?.as_array()?;
    let assignments = tree.get("assignments")?.as_array()?;
    let mut gate = Gate::default();
    for rule in rules {
        let variable = gating_variable(rule)?;
        let mut assigned = assignments.iter().filter(|a| a.get("var").and_then(Value::as_str) == Some(variable));
        let (Some(assignment), None) = (assigned.next(), assigned.next()) else { return None };
        gate.patterns.extend(type_filter(assignment.get("value")?)?);
    }
    Some(gate)
}

/// `v` for a rule `when %v !empty` (that conjunct alone in its disjunction, among any others).
fn gating_variable(rule: &Value) -> Option<&str> {
    let conditions = rule.get("conditions")?.as_array()?;
    conditions.iter().find_map(|disjunction| {
        let [only] = disjunction.as_array()?.as_slice() else { return None };
        let clause = plain_clause(only)?;
        let [key] = clause.pointer("/query/query")?.as_array()?.as_slice() else { return None };
        let variable = key.get("Key")?.as_str()?.strip_prefix('%')?;
        let not_empty = clause.get("comparator")? == &serde_json::json!(["Empty", true]);
        (not_empty && clause.get("compare_with").is_none_or(Value::is_null)).then_some(variable)
    })
}

/// The access clause of `{"Clause": {"access_clause": ..., "negation": false}}`.
fn plain_clause(clause: &Value) -> Option<&Value> {
    let clause = clause.get("Clause")?;
    (clause.get("negation")? == &Value::Bool(false)).then(|| clause.get("access_clause"))?
}

/// The type patterns of `Resources.*[ Type == ... <plain clauses> ]`.
fn type_filter(value: &Value) -> Option<Vec<Pattern>> {
    let query = value.pointer("/AccessClause/query")?.as_array()?;
    let [resources, all, filter] = query.as_slice() else { return None };
    if resources != &serde_json::json!({"Key": "Resources"}) || all != &serde_json::json!({"AllValues": null}) {
        return None;
    }
    let [name, conjunctions] = filter.get("Filter")?.as_array()?.as_slice() else { return None };
    if !name.is_null() {
        return None;
    }
    let conjunctions = conjunctions.as_array()?;
    // Every filter clause a plain comparison with a literal (no function, no rule call), so
    // not evaluating the filter cannot hide an error Guard would have reported.
    for clause in conjunctions.iter().flat_map(|d| d.as_array().into_iter().flatten()) {
        let clause = plain_clause(clause)?;
        if !clause.get("compare_with").is_none_or(|w| w.is_null() || w.get("Value").is_some()) {
            return None;
        }
    }
    conjunctions.iter().find_map(|disjunction| {
        let [only] = disjunction.as_array()?.as_slice() else { return None };
        let clause = plain_clause(only)?;
        if clause.pointer("/query/query")? != &serde_json::json!([{"Key": "Type"}]) {
            return None;
        }
        let comparator = clause.get("comparator")?;
        if comparator != &serde_json::json!(["Eq", false]) && comparator != &serde_json::json!(["In", false]) {
            return None;
        }
        match clause.pointer("/compare_with/Value/value")? {
            Value::String(text) => Some(vec![pattern(text)?]),
            Value::Array(items) => items.iter().map(|i| pattern(i.as_str()?)).collect(),
            _ => None,
        }
    })
}

fn pattern(text: &str) -> Option<Pattern> {
    match text.strip_prefix('/').and_then(|t| t.strip_suffix('/')) {
        Some(inner)
            if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_') =>
        {
            Some(Pattern::Substring { inner: inner.to_string(), literal: text.to_string() })
        }
        Some(_) => None,
        None => Some(Pattern::Exact(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::Format;

    fn gate(rules: &str) -> Option<Gate> {
        let tree = cfn_guard::commands::validate::parse_rules(rules, "t.guard").unwrap().unwrap();
        of_file(&serde_json::to_value(&tree).unwrap())
    }

    fn types(template: &str) -> Option<Vec<String>> {
        let template = crate::guard::view::tests::template(template, Format::Yaml);
        resource_types(&template).map(|t| t.into_iter().map(str::to_string).collect())
    }

    /// The registry's shape: a type filter with suppression clauses, and `when %v !empty`.
    const REGISTRY: &str = "
let queues = Resources.*[ Type == 'AWS::SQS::Queue'
  Metadata.guard.SuppressedRules not exists or
  Metadata.guard.SuppressedRules.* != \"Q\"
]
let permissions = Resources.*[ Type in [ /AWS::Lambda::Permission/, 'AWS::Lambda::LayerVersionPermission' ] ]
rule Q when %queues !empty { %queues.Properties.KmsMasterKeyId exists }
rule P when %permissions !empty { %permissions.Properties.Principal != '*' }
";

    #[test]
    fn a_file_of_type_gated_rules_runs_only_where_those_types_are() {
        let gate = gate(REGISTRY).expect("recognised");
        let admits = |t: &[&str]| gate.admits(Some(t));
        assert!(admits(&["AWS::Serverless::Function", "AWS::SQS::Queue"]));
        assert!(admits(&["AWS::Lambda::Permission"]));
        assert!(admits(&["AWS::Lambda::LayerVersionPermission"]));
        assert!(admits(&["Custom::AWS::Lambda::Permission2"]), "a regex matches anywhere, as Guard's does");
        assert!(!admits(&["AWS::SQS::QueuePolicy", "AWS::Lambda::Function"]));
        assert!(!admits(&[]));
        assert!(gate.admits(None), "unknown types: every file runs");
    }

    #[test]
    fn anything_else_runs_everywhere() {
        for rules in [
            "rule A { Resources.*.Type exists }",
            "let q = Resources.*[ Type == 'AWS::SQS::Queue' ]\nrule A when %q !empty { %q.Properties exists }\nResources exists",
            "let q = Resources.*[ Type == 'AWS::SQS::Queue' or Type == 'AWS::SNS::Topic' ]\nrule A when %q !empty { %q exists }",
            "let q = Resources.*[ Type == /AWS::.*Queue/ ]\nrule A when %q !empty { %q exists }",
            "let q = Resources.*[ Type != 'AWS::SQS::Queue' ]\nrule A when %q !empty { %q exists }",
            "let q = Resources.*[ Type == 'AWS::SQS::Queue' ]\nrule A when %q empty { %q exists }",
        ] {
            assert_eq!(gate(rules), None, "{rules}");
        }
    }

    #[test]
    fn types_are_known_only_when_every_type_is_a_string() {
        assert_eq!(
            types("Resources:\n  A: {Type: AWS::SQS::Queue}\n  B: {Properties: {}}\n"),
            Some(vec!["AWS::SQS::Queue".to_string()])
        );
        assert_eq!(types("Resources:\n  A: {Type: !Ref T}\n"), None);
        assert_eq!(types("Resources:\n  A: {Type: ~}\n"), None);
    }
}
