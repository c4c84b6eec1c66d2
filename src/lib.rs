//! slint: an architecture linter for AWS serverless projects.
//!
//! Models in, rules in the middle, renderers out:
//! [`discover`] finds files, [`project`] loads them once into [`model`]s, [`rules`] query the
//! models and produce [`diagnostic::Finding`]s, [`report`] turns findings into text.

pub mod capacity;
pub mod cdk;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod files;
pub mod guard;
pub mod limits;
pub mod link;
pub mod model;
pub mod project;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod span;
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

/// Finds and loads every file under `paths` once, and plans the concurrency budgets.
pub fn load(paths: &[PathBuf], settings: &Settings) -> error::Result<Project> {
    timings::mark(|| "start-up, config and packs".into());
    let discovery = discover::discover(paths, &settings.cwd, &settings.exclude)?;
    timings::mark(|| timings::counted("walk", discovery.inputs.len(), "file"));
    let options = LoadOptions {
        max_file_size: settings.max_file_size,
        limits: model::tree::Limits::default(),
        scope: limits::ReadScope::of(paths, &settings.cwd),
    };
    let mut project = Project::load(discovery, settings, options);
    project.capacity = capacity::plan(&project, settings);
    Ok(project)
}

/// Lints `paths` (files and folders) with `settings`.
pub fn check(paths: &[PathBuf], settings: &Settings) -> error::Result<Outcome> {
    // First: a broken pack is exit 2 before any template is analysed.
    let packs = guard::Packs::load(&settings.packs, &settings.cwd)?;
    let project = load(paths, settings)?;
    let findings = rules::engine::run(&project, settings, &packs);
    timings::mark(|| timings::counted("rules", findings.len(), "finding"));
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
    };
    let mut rules = rules::registry::infos();
    rules.extend(packs.infos());
    Ok(Outcome { project, report: Report { findings, summary }, rules })
}
