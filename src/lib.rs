//! slint: an architecture linter for AWS serverless projects.
//!
//! Models in, rules in the middle, renderers out:
//! [`discover`] finds files, [`project`] loads them once into [`model`]s, [`rules`] query the
//! models and produce [`diagnostic::Finding`]s, [`report`] turns findings into text.

pub mod baseline;
pub mod capacity;
pub mod cdk;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fault;
pub mod files;
pub mod fs;
pub mod guard;
mod index;
pub mod limits;
pub mod link;
pub mod model;
pub mod project;
pub mod report;
pub mod root;
pub mod rules;
pub mod settings;
pub mod source;
pub mod span;
pub mod text;
pub mod timings;

use std::path::PathBuf;

use crate::diagnostic::{RuleInfo, Severity};
use crate::project::{LoadOptions, Project};
use crate::report::{Report, Summary};
use crate::settings::Settings;

/// The outcome of `slint check`: the project (for its files) and the final report.
pub struct Outcome {
    pub project: Project,
    pub report: Report,
    /// Every rule of the run, built-in and from Guard packs (SARIF lists them all).
    pub rules: Vec<RuleInfo>,
}

impl Outcome {
    /// Whether a finding reaches the `--fail-on` threshold (exit code 1).
    pub fn fails(&self, settings: &Settings) -> bool {
        match settings.fail_threshold() {
            Some(threshold) => self.report.findings.iter().any(|f| f.severity >= threshold),
            None => false,
        }
    }
}

/// Finds and loads every file under `paths` once.
pub fn load(paths: &[PathBuf], settings: &Settings) -> error::Result<Project> {
    load_within(paths, paths, settings)
}

/// Loads the project around `request`: everything under its root (named files kept as
/// named), reading nothing outside the root.
pub fn load_request(request: &root::Request, settings: &Settings) -> error::Result<Project> {
    load_within(&request.inputs(), std::slice::from_ref(&request.root), settings)
}

/// Loads `inputs`, reading nothing outside `roots`.
fn load_within(inputs: &[PathBuf], roots: &[PathBuf], settings: &Settings) -> error::Result<Project> {
    timings::mark(|| "start-up, config and packs".into());
    let discovery = discover::discover(inputs, &settings.cwd, &settings.exclude)?;
    timings::mark(|| timings::counted("walk", discovery.inputs.len(), "file"));
    let options = LoadOptions {
        max_file_size: settings.max_file_size,
        limits: model::tree::Limits::default(),
        scope: limits::ReadScope::of(roots, &settings.cwd),
    };
    Ok(Project::load(discovery, settings, options))
}

/// What `slint check` does besides linting: compare with a baseline, or record one.
#[derive(Clone, Debug, Default)]
pub enum BaselineUse {
    #[default]
    None,
    /// Report only findings the baseline does not hold, and its stale entries.
    Compare(baseline::Baseline),
    /// Keep every finding, to be written as the new baseline.
    Record,
}

/// Lints the project around `request` and reports the findings located in what it names
/// (after `baseline`, when there is one).
pub fn check_request(request: &root::Request, settings: &Settings, baseline: &BaselineUse) -> error::Result<Outcome> {
    // First: a broken pack is exit 2 before any path is looked at or template analysed.
    let packs = guard::Packs::load(&settings.packs, &settings.cwd)?;
    request.check_paths()?;
    let mut project = load_request(request, settings)?;
    let mut findings = run_rules(&project, settings, &packs);
    let comparison = match baseline {
        BaselineUse::Compare(recorded) => {
            let mut known = rules::registry::infos();
            known.extend(packs.infos());
            let enabled = |code: &str| known.iter().find(|i| i.code == code).map(|i| settings.rules.is_enabled(i));
            recorded.compare(&mut findings, &mut project, request, &enabled)
        }
        _ => baseline::Comparison::default(),
    };
    findings.retain(|f| request.reports(&project.db.get(f.file).path));
    // Stale entries are reported like unused suppressions: when SL003 runs. The engine sorted
    // the rest already.
    let unused_suppressions = RuleInfo::from_meta(&rules::meta::UnusedSuppression::META);
    if !comparison.stale.is_empty() && settings.rules.is_enabled(&unused_suppressions) {
        findings.extend(comparison.stale);
        rules::engine::sort(&mut findings, &project);
    }
    let mut outcome = outcome(project, findings, &packs);
    outcome.report.summary.baselined = comparison.known;
    Ok(outcome)
}

/// Lints `paths` (files and folders) with `settings`.
pub fn check(paths: &[PathBuf], settings: &Settings) -> error::Result<Outcome> {
    // First: a broken pack is exit 2 before any template is analysed.
    let packs = guard::Packs::load(&settings.packs, &settings.cwd)?;
    let project = load(paths, settings)?;
    let findings = run_rules(&project, settings, &packs);
    Ok(outcome(project, findings, &packs))
}

/// Plans the concurrency budgets, then runs the built-in rules and the packs: every finding,
/// final and sorted.
fn run_rules(project: &Project, settings: &Settings, packs: &guard::Packs) -> Vec<diagnostic::Finding> {
    let plan = capacity::plan(project, settings);
    let findings = rules::engine::run(project, &plan, settings, packs);
    timings::mark(|| timings::counted("rules", findings.len(), "finding"));
    findings
}

fn outcome(project: Project, findings: Vec<diagnostic::Finding>, packs: &guard::Packs) -> Outcome {
    let summary = Summary {
        files: project.files_checked,
        templates: project.template_count(),
        sources: project.sources_checked,
        findings: findings.len(),
        errors: rules::engine::count(&findings, Severity::Error),
        warnings: rules::engine::count(&findings, Severity::Warning),
        infos: rules::engine::count(&findings, Severity::Info),
        parse_failures: project.parse_failures(),
        lambda_binaries: project.lambda_binaries().count(),
        binaries_not_analysed: project.lambda_binaries().filter(|b| !b.coverage.is_analysed()).count(),
        functions: project.templates.iter().map(|t| t.functions.len()).sum(),
        functions_linked: project.links.iter().filter(|l| l.binary.is_ok()).count(),
        baselined: 0,
    };
    let mut rules = rules::registry::infos();
    rules.extend(packs.infos());
    Outcome { project, report: Report { findings, summary }, rules }
}
