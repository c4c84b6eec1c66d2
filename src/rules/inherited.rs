//! One finding per inherited value: findings of one rule that point at the same value in SAM
//! `Globals` (a `Timeout` every function inherits, a `Tracing: PassThrough`) are one cause, so
//! they are reported once, at that value, naming every resource that inherits it.

use std::collections::HashMap;

use crate::diagnostic::{Finding, Related};
use crate::files::FileId;
use crate::model::tree::Segment;
use crate::project::Project;
use crate::span::Span;

/// Whether a finding points into `Globals`.
fn is_inherited(finding: &Finding) -> bool {
    finding.path.as_ref().is_some_and(|p| matches!(p.segments().first(), Some(Segment::Key(k)) if k == "Globals"))
}

/// Merges the findings of one rule at one `Globals` value into the first of them (in input
/// order); the others become related locations at their resources' logical ids. Findings
/// elsewhere pass through unchanged.
pub fn merge(findings: Vec<Finding>, project: &Project) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut first_at: HashMap<(String, FileId, Span), usize> = HashMap::new();
    let mut merged: HashMap<usize, Vec<Finding>> = HashMap::new();
    for finding in findings {
        if !is_inherited(&finding) || finding.resource.is_none() {
            out.push(finding);
            continue;
        }
        let key = (finding.code.to_string(), finding.file, finding.span);
        match first_at.get(&key) {
            Some(&first) => merged.entry(first).or_default().push(finding),
            None => {
                first_at.insert(key, out.len());
                out.push(finding);
            }
        }
    }
    for (index, others) in merged {
        absorb(&mut out[index], others, project);
    }
    out
}

/// Folds `others` into `first`: one message naming them, their logical ids and related
/// locations as related locations.
fn absorb(first: &mut Finding, others: Vec<Finding>, project: &Project) {
    let template = project.templates.iter().find(|t| t.file == first.file);
    let mut names = Vec::with_capacity(others.len());
    let mut related = Vec::new();
    for other in others {
        let Some(id) = other.resource else { continue };
        if let Some(resource) = template.and_then(|t| t.resource(&id)) {
            related.push(Related {
                file: first.file,
                span: resource.id_span,
                message: format!("`{id}` inherits this value"),
            });
        }
        related.extend(other.related.into_iter().filter(|r| !first.related.contains(r)));
        names.push(format!("`{id}`"));
    }
    if names.is_empty() {
        return;
    }
    if let Some(id) = &first.resource
        && let Some(resource) = template.and_then(|t| t.resource(id))
    {
        first.related.insert(
            0,
            Related { file: first.file, span: resource.id_span, message: format!("`{id}` inherits this value") },
        );
    }
    let count = names.len();
    let noun = if count == 1 { "resource inherits" } else { "resources inherit" };
    first.message = format!("{}; {count} more {noun} this `Globals` value: {}", first.message, names.join(", "));
    for r in related {
        if !first.related.contains(&r) {
            first.related.push(r);
        }
    }
}
