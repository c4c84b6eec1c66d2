//! One finding per shared value: findings of one rule about different resources that point at
//! the same template node are one cause: a value in SAM `Globals` (a `Timeout` every function
//! inherits, a `Tracing: PassThrough`), the body of an `Fn::ForEach` loop that generates
//! several resources, a YAML anchor merged into several. They are reported once, at that node,
//! naming every resource that shares it.

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

/// Merges the findings of one rule at one template node about different resources into the
/// first of them (in input order); the others become related locations at their resources'
/// logical ids. Findings in code, or without a resource, pass through unchanged.
pub fn merge(findings: Vec<Finding>, project: &Project) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut first_at: HashMap<(String, FileId, Span), usize> = HashMap::new();
    let mut merged: HashMap<usize, Vec<Finding>> = HashMap::new();
    // A rule that reports twice about one resource at one node has two causes there.
    for finding in findings {
        if finding.path.is_none() || finding.resource.is_none() {
            out.push(finding);
            continue;
        }
        let key = (finding.code.to_string(), finding.file, finding.span);
        match first_at.get(&key) {
            Some(&first) if out[first].resource != finding.resource => merged.entry(first).or_default().push(finding),
            Some(_) => out.push(finding),
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
                message: format!(
                    "`{id}` {}",
                    if is_inherited(first) { "inherits this value" } else { "shares this value" }
                ),
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
            Related {
                file: first.file,
                span: resource.id_span,
                message: format!(
                    "`{id}` {}",
                    if is_inherited(first) { "inherits this value" } else { "shares this value" }
                ),
            },
        );
    }
    let count = names.len();
    let (one, many, what) = if is_inherited(first) {
        ("inherits", "inherit", "this `Globals` value")
    } else {
        ("shares", "share", "this definition")
    };
    let noun = if count == 1 { format!("resource {one}") } else { format!("resources {many}") };
    first.message = format!("{}; {count} more {noun} {what}: {}", first.message, names.join(", "));
    for r in related {
        if !first.related.contains(&r) {
            first.related.push(r);
        }
    }
}
