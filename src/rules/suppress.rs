//! Suppressions: `// slint: allow(client-in-handler) reason` in Rust (on the line before, or
//! at the end of, the finding's line) and `Metadata.slint.ignore` in templates (on a resource
//! or at the root). Each entry names a rule by code or name, optionally with a reason:
//!
//! ```yaml
//! Metadata:
//!   slint:
//!     ignore:
//!       - SL101
//!       - SL301 single-message batches keep strict ordering
//!       - { rule: queue-without-dlq, reason: the DLQ lives in another stack }
//! ```
//!
//! Entries that suppress nothing become SL003 findings.

use crate::diagnostic::{Finding, RuleInfo, Site};
use crate::files::FileId;
use crate::model::Template;
use crate::model::tree::NodeRef;
use crate::project::Project;
use crate::rules::meta::UnusedSuppression;
use crate::rules::registry;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole file.
    File,
    /// Findings about one resource (by logical id).
    Resource(String),
    /// Findings starting on one line of the file (a `// slint: allow(..)` comment in Rust).
    Line(u32),
}

/// One suppression entry.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub file: FileId,
    pub scope: Scope,
    /// The rule as written: a code, a name, or a pack rule `pack/RULE`.
    pub rule: String,
    pub reason: Option<String>,
    /// The entry, where SL003 points.
    pub span: Span,
}

impl Suppression {
    fn covers(&self, finding: &Finding, project: &Project) -> bool {
        let in_scope = match &self.scope {
            Scope::Line(line) => {
                finding.file == self.file && project.db.get(finding.file).line_col(finding.span.start).line == *line
            }
            Scope::File => finding.file == self.file,
            Scope::Resource(id) => {
                finding.resource.as_deref() == Some(id.as_str())
                    && (finding.file == self.file || finding.related.iter().any(|r| r.file == self.file))
            }
        };
        in_scope && (finding.code == self.rule.as_str() || finding.name == self.rule.as_str())
    }
}

/// The suppressions written in a template.
pub fn template_suppressions(template: &Template) -> Vec<Suppression> {
    let mut out = Vec::new();
    if let Some(meta) = template.metadata {
        read_entries(template.file, Scope::File, template.node(meta), &mut out);
    }
    for resource in &template.resources {
        if let Some(meta) = resource.metadata {
            read_entries(template.file, Scope::Resource(resource.id.0.clone()), template.node(meta), &mut out);
        }
    }
    out
}

fn read_entries(file: FileId, scope: Scope, metadata: NodeRef<'_>, out: &mut Vec<Suppression>) {
    let Some(ignore) = metadata.at(&["slint", "ignore"]) else { return };
    let entries: Vec<NodeRef<'_>> = if ignore.is_seq() { ignore.items().collect() } else { vec![ignore] };
    for entry in entries {
        let (rule, reason) = if entry.is_map() {
            let rule = entry.get("rule").and_then(|r| r.as_str()).unwrap_or("").to_string();
            (rule, entry.get("reason").and_then(|r| r.as_str()).map(str::to_string))
        } else {
            let text = entry.as_str().unwrap_or("").trim();
            match text.split_once(char::is_whitespace) {
                Some((rule, reason)) => (rule.to_string(), Some(reason.trim().to_string())),
                None => (text.to_string(), None),
            }
        };
        out.push(Suppression { file, scope: scope.clone(), rule, reason, span: entry.span() });
    }
}

/// Removes suppressed findings and reports unused suppressions (when SL003 is enabled).
///
/// `enabled` says whether a rule (by info) ran in this run; suppressions of rules that did not
/// run are never reported as unused.
pub fn apply(
    project: &Project,
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    report_unused: bool,
    enabled: &dyn Fn(&str) -> Option<bool>,
) -> Vec<Finding> {
    let mut used = vec![false; suppressions.len()];
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|finding| {
            let mut suppressed = false;
            for (i, s) in suppressions.iter().enumerate() {
                if s.covers(finding, project) {
                    used[i] = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .collect();
    if !report_unused {
        return kept;
    }
    for (s, used) in suppressions.iter().zip(used) {
        if used {
            continue;
        }
        let meta = &UnusedSuppression::META;
        let message = match enabled(&s.rule) {
            None if s.rule.is_empty() => "suppression names no rule".to_string(),
            None => format!("suppression names unknown rule `{}`", s.rule),
            Some(false) => continue,
            Some(true) => match &s.scope {
                Scope::File => format!("suppression of `{}` matches no finding in this file", s.rule),
                Scope::Resource(id) => format!("suppression of `{}` matches no finding of `{id}`", s.rule),
                Scope::Line(line) => format!("suppression of `{}` matches no finding on line {line}", s.rule),
            },
        };
        let mut finding = Finding::new(meta.code, meta.name, meta.severity, Site::new(s.file, s.span), message);
        if let Scope::Resource(id) = &s.scope {
            finding.resource(id.clone());
        }
        finding.help("remove the suppression, or fix its rule code or name");
        kept.push(finding);
    }
    kept
}

/// Whether a suppressed rule ran: `None` for an unknown built-in rule, `Some(enabled)`
/// otherwise. Pack rules (`pack/RULE`) count as known if any rule of that pack ran.
pub fn rule_state(rule: &str, known: &[RuleInfo], is_enabled: &dyn Fn(&RuleInfo) -> bool) -> Option<bool> {
    let matching: Vec<&RuleInfo> = known.iter().filter(|r| r.code == rule || r.name == rule).collect();
    if matching.is_empty() {
        return if rule.contains('/') && registry::lookup(rule).is_none() { Some(false) } else { None };
    }
    Some(matching.iter().any(|r| is_enabled(r)))
}

/// All suppressions of a project: template metadata and Rust comments.
pub fn collect(project: &Project) -> Vec<Suppression> {
    let mut all: Vec<Suppression> = project.templates.iter().flat_map(template_suppressions).collect();
    for comment in &project.source.suppressions {
        for rule in &comment.rules {
            all.push(Suppression {
                file: comment.file,
                scope: Scope::Line(comment.target_line()),
                rule: rule.clone(),
                reason: comment.reason.clone(),
                span: comment.span,
            });
        }
    }
    all
}
