//! Runs the enabled rules over a loaded project: per template in parallel, then project-wide
//! rules, then suppressions, per-path ignores and severity overrides, then a stable sort.

use rayon::prelude::*;

use crate::capacity::CapacityPlan;
use crate::diagnostic::{Finding, RuleInfo, Severity, Site};
use crate::fault::guarded;
use crate::guard::{FailureRules, Packs};
use crate::project::Project;
use crate::rules::meta::{InternalError, ParseError};
use crate::rules::{Context, Rule, inherited, registry, suppress};
use crate::settings::Settings;
use crate::span::Span;

/// The built-in rules enabled by the settings.
pub fn enabled_rules(settings: &Settings) -> Vec<&'static dyn Rule> {
    registry::RULES.iter().copied().filter(|r| settings.rules.is_enabled(&RuleInfo::from_meta(r.meta()))).collect()
}

/// A pack that cannot run on a template is reported as a parse error (SL001) or, when it
/// panics, an internal error (SL004).
const PACK_FAILURES: FailureRules =
    FailureRules { parse_error: &ParseError::META, internal_error: &InternalError::META };

/// Every finding of the run (built-in rules and Guard `packs`), final and sorted.
pub fn run(project: &Project, plan: &CapacityPlan, settings: &Settings, packs: &Packs) -> Vec<Finding> {
    let rules = enabled_rules(settings);
    let inject = settings.inject_panic.as_deref();
    let ((mut findings, pack_findings), project_findings) = rayon::join(
        || {
            rayon::join(
                || run_template_rules(project, plan, settings, &rules, inject),
                || packs.check_templates(&project.templates, &settings.rules, &PACK_FAILURES),
            )
        },
        || run_project_rules(project, plan, settings, &rules),
    );
    findings.extend(pack_findings.into_iter().flatten());
    findings.extend(project_findings);
    finish(findings, project, settings, &rules, packs)
}

/// Every built-in rule on every template, templates in parallel.
fn run_template_rules(
    project: &Project,
    plan: &CapacityPlan,
    settings: &Settings,
    rules: &[&'static dyn Rule],
    inject: Option<&str>,
) -> Vec<Finding> {
    project
        .templates
        .par_iter()
        .flat_map_iter(|template| {
            let mut cx = Context::new(project, plan, &settings.rules);
            for rule in rules {
                cx.enter(rule.meta());
                let outcome = guarded(|| {
                    maybe_inject(rule, inject);
                    rule.check_template(template, &mut cx)
                });
                if let Err(panic) = outcome {
                    cx.push(internal_error(Site::new(template.file, Span::at(0)), rule, &panic));
                }
            }
            cx.into_findings()
        })
        .collect()
}

/// The project-wide rules (those reading the Rust side, capacity, links), rules in parallel:
/// each walks every binary, and together they were a serial 7 ms of a 300-file run.
fn run_project_rules(
    project: &Project,
    plan: &CapacityPlan,
    settings: &Settings,
    rules: &[&'static dyn Rule],
) -> Vec<Finding> {
    rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut cx = Context::new(project, plan, &settings.rules);
            cx.enter(rule.meta());
            if let Err(panic) = guarded(|| rule.check_project(project, &mut cx)) {
                // A project-wide rule has no single file; the first file of the run stands for it.
                let file = project.db.iter().next().map(|f| f.id).unwrap_or(crate::files::FileId(0));
                cx.push(internal_error(Site::new(file, Span::at(0)), rule, &panic));
            }
            cx.into_findings()
        })
        .collect()
}

/// Panics inside the rule named by `SLINT_INTERNAL_PANIC` (tests only rely on this).
fn maybe_inject(rule: &&'static dyn Rule, inject: Option<&str>) {
    if inject == Some(rule.meta().code) {
        panic!("injected by SLINT_INTERNAL_PANIC for testing");
    }
}

/// An SL004 finding for a rule that panicked.
fn internal_error(site: Site, rule: &&'static dyn Rule, panic: &str) -> Finding {
    let meta = &InternalError::META;
    let mut finding = Finding::new(
        meta.code,
        meta.name,
        meta.severity,
        site,
        format!("internal error: rule {} ({}) panicked on this file: {panic}", rule.meta().code, rule.meta().name),
    );
    finding.help("this is a bug in slint; please report it with the file. The other rules and files were checked");
    finding
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
    let mut findings = suppress::apply(project, findings, &suppressions, report_unused, &state);
    findings.retain(|f| !ignored_by_path(f, project, settings));
    let findings = inherited::merge(findings, project);
    let mut findings = crate::cdk::relocate(findings, &project.cdk, &project.templates, &project.db);
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
