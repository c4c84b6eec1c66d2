//! Runs the enabled rules over a loaded project: per template in parallel, then project-wide
//! rules, then suppressions, per-path ignores and severity overrides, then a stable sort.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::diagnostic::{Finding, RuleInfo, Severity, Site};
use crate::guard::Packs;
use crate::project::Project;
use crate::rules::{Context, Rule, registry, suppress};
use crate::settings::Settings;

/// The built-in rules enabled by the settings.
pub fn enabled_rules(settings: &Settings) -> Vec<&'static dyn Rule> {
    registry::RULES.iter().copied().filter(|r| settings.rules.is_enabled(&RuleInfo::from_meta(r.meta()))).collect()
}

/// Every finding of the run (built-in rules and Guard `packs`), final and sorted.
pub fn run(project: &Project, settings: &Settings, packs: &Packs) -> Vec<Finding> {
    let rules = enabled_rules(settings);
    let mut findings: Vec<Finding> = project
        .templates
        .par_iter()
        .flat_map_iter(|template| {
            let mut cx = Context::new(project, &settings.rules);
            for rule in &rules {
                cx.enter(rule.meta());
                let outcome = catch_unwind(AssertUnwindSafe(|| rule.check_template(template, &mut cx)));
                if outcome.is_err() {
                    cx.report(Site::new(template.file, crate::span::Span::at(0)), internal_error_message(rule));
                }
            }
            let mut found = cx.into_findings();
            found.extend(packs.check_template(template, &settings.rules));
            found
        })
        .collect();
    let mut cx = Context::new(project, &settings.rules);
    for rule in &rules {
        cx.enter(rule.meta());
        let outcome = catch_unwind(AssertUnwindSafe(|| rule.check_project(project, &mut cx)));
        if outcome.is_err() {
            let file = project.db.iter().next().map(|f| f.id).unwrap_or(crate::files::FileId(0));
            cx.report(Site::new(file, crate::span::Span::at(0)), internal_error_message(rule));
        }
    }
    findings.extend(cx.into_findings());
    finish(findings, project, settings, &rules, packs)
}

fn internal_error_message(rule: &&'static dyn Rule) -> String {
    format!(
        "internal error: rule {} ({}) panicked on this file; please report it with the file",
        rule.meta().code,
        rule.meta().name
    )
}

/// Suppressions, per-path ignores, severity overrides, sorting.
fn finish(
    findings: Vec<Finding>,
    project: &Project,
    settings: &Settings,
    rules: &[&'static dyn Rule],
    packs: &Packs,
) -> Vec<Finding> {
    // With pack rules known, a suppression of one that matches nothing is reported too.
    let mut known = registry::infos();
    known.extend(packs.infos());
    let is_enabled = |info: &RuleInfo| settings.rules.is_enabled(info);
    let state = |rule: &str| suppress::rule_state(rule, &known, &is_enabled);
    let report_unused = rules.iter().any(|r| r.meta().code == "SL003");
    let suppressions = suppress::collect(project);
    let mut findings = suppress::apply(findings, &suppressions, report_unused, &state);
    findings.retain(|f| !ignored_by_path(f, project, settings));
    for finding in &mut findings {
        if let Some(severity) = settings.rules.severity(&finding.code) {
            finding.severity = severity;
        }
    }
    sort(&mut findings, project);
    findings
}

fn ignored_by_path(finding: &Finding, project: &Project, settings: &Settings) -> bool {
    if settings.per_path_ignores.is_empty() {
        return false;
    }
    let path = &project.db.get(finding.file).path;
    let info = finding_info(finding);
    settings.per_path_ignores.iter().any(|p| p.applies(path, &info))
}

fn finding_info(finding: &Finding) -> RuleInfo {
    let category = registry::by_code(&finding.code).map_or("pack", |m| m.category.as_str());
    RuleInfo {
        code: finding.code.clone(),
        name: finding.name.clone(),
        category: category.into(),
        severity: finding.severity,
        summary: "".into(),
        docs: "".into(),
    }
}

/// Sorts by file path, line, column, code, then message: output is identical run to run.
pub fn sort(findings: &mut [Finding], project: &Project) {
    findings.sort_by(|a, b| {
        let (fa, fb) = (project.db.get(a.file), project.db.get(b.file));
        fa.display
            .cmp(&fb.display)
            .then(a.span.start.cmp(&b.span.start))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Counts by severity.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}
