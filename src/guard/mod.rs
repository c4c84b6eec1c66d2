//! Organisation rule packs written in AWS CloudFormation Guard's DSL.
//!
//! This module is the only place that calls the `cfn-guard` crate. It sits behind the `guard`
//! cargo feature (on by default): cfn-guard brings ~80 extra crates, ~100 s of clean build and
//! ~2.5 MB of binary, so `cargo build --no-default-features` gives a small slint whose `--pack`
//! is an exit-2 error ("slint was built without Guard support").
//!
//! # Packs
//!
//! `--pack PATH` (repeatable) or `packs = [...]` in `slint.toml` names a `.guard` file, a folder
//! of `.guard`/`.ruleset` files (read recursively, sorted, as `cfn-guard validate --rules DIR`
//! does), or `builtin:<name>` for a pack shipped in `rules/` (embedded in the binary). The pack's
//! name is the file stem or the folder name; its rules report as `<pack>/<RULE_NAME>` (clauses
//! outside a named rule are Guard's `default` rule: `<pack>/default`). Every file is parsed with
//! Guard's parser when the pack loads: a pack that does not parse stops the run with exit 2 and
//! `invalid Guard pack <path>:<line>:<column>: <what Guard expected>`, before any template is
//! analysed.
//!
//! # What Guard sees
//!
//! The template as slint understands it, not the file: slint serializes its own tree to JSON
//! with SAM `Globals` merged into each resource's `Properties` (Guard alone does not do this:
//! cloudformation-guard issue 91), short forms in their `Fn::` form (`!GetAtt a.b` stays the
//! string `a.b`, as Guard's own loader keeps it), aliases and `<<` merge keys expanded, and the
//! first of two duplicate keys. Guard runs once per template per pack (payload mode, structured
//! JSON output into memory, never the 8 KiB-truncating `run_checks`), inside the per-template
//! parallel loop, under `catch_unwind`, with only the pack's rule files that can fail on that
//! template ([`gate`]: a file whose every rule is `when %v !empty` over
//! `Resources.*[ Type == ... ]` is left out for a template without such a resource).
//!
//! Why a payload and a JSON report rather than Guard's evaluator and its records: in the
//! cfn-guard 3.2.1 crate, the evaluator (`rules::eval::eval_rules_file`), its scope
//! (`rules::eval_context::root_scope`), the records (`EventRecord`, `RecordTracker`) and the
//! report builder (`simplified_json_from_root`) are all `pub(crate)`; `parse_rules` is public but
//! what it returns can only be evaluated by those. The public ways in are the `Validate` and
//! `Test` commands and `run_checks`, which parse the rules text on every call. So slint parses
//! each pack once on load (for its rules, messages and gates) and Guard parses again, per
//! template, only the files the gate lets through; most of Guard's cost (about 0.3 ms of CPU per
//! rules file and template, mostly evaluating) goes with the files left out.
//!
//! # Where findings point
//!
//! Each failing clause is one finding. Guard reports the failing value's path
//! (`/Resources/Fn/Properties/Timeout`); slint resolves it through the same merged view to its
//! own spans, so:
//! - a failing value is reported at the value (a mapping or list at its key); a value inherited
//!   from `Globals` at its line in `Globals`, with the inheriting resource as a related location;
//! - a missing property is reported at the logical id of the resource that lacks it;
//! - a clause with no path (on a variable) at the top of the template, with its message as
//!   written (Guard reports it with `;` for each line break);
//! - for `a OR b` (clauses or whole blocks), one finding per resource that fails, with the first
//!   failing clause that has a custom message (else the first): Guard flattens the blocks of a
//!   disjunction, so which alternative a clause came from is not in its report.
//!
//! Two clauses of one rule failing at the same place for the same resource are one finding.
//!
//! # The message convention
//!
//! A finding's message is the failing clause's custom message `<< >>`. Its leading lines may be
//! `key: value` headers, the rest is the message (lines joined by spaces):
//!
//! ```text
//! %functions.Properties.Architectures[*] == "arm64" <<
//!     severity: error
//!     help: set `Architectures: [arm64]` on the function or in `Globals.Function`
//!     {resource} does not run on arm64 (Graviton), which costs ~20% less per GB-second
//! >>
//! ```
//!
//! - `severity: error|warning|info`: any other value is a pack error (exit 2). A rule's
//!   severity, shown by `slint rules` and in SARIF, is the first `severity:` among its clauses'
//!   messages (in source order), default `warning`; a finding takes its own clause's
//!   `severity:` if it has one, else the rule's. `[rules."<pack>/<RULE>"] severity = ...` in
//!   `slint.toml` overrides both.
//! - `help: ...`: the fix, shown under the finding; a clause without one takes the rule's first.
//! - In the message and the help, `{resource}` becomes the logical id of the resource and `{path}` the
//!   template path (`Resources/Fn/Properties/Timeout`).
//! - A clause without a custom message gets a description of the clause
//!   (`` `Fn`: `Timeout` is missing (`%fns[*].Properties.Timeout EXISTS`) ``).
//! - The first message text of a rule is its summary in `slint rules`.
//!
//! Pack rules are rules like any other: `--select`/`--ignore` take `<pack>/` or
//! `<pack>/<RULE>`, suppressions name them (`Metadata: {slint: {ignore: [org/RULE]}}`),
//! `--fail-on` counts them, and SARIF lists them in `tool.driver.rules`.
//!
//! # Templates Guard cannot take
//!
//! If Guard fails on a template (an error or a crash in cfn-guard) slint reports SL001
//! `parse-error` for that template, naming the pack and Guard's reason: the organisation's rules
//! did not run on it, which must not pass silently. The built-in rules still run on it.
//!
//! # Unit tests
//!
//! `slint test-pack PACK` runs the pack's Guard unit-test files (`cfn-guard test` format; see
//! [`test_pack`]) through the same view as `slint check`.

#[cfg(feature = "guard")]
mod eval;
#[cfg(feature = "guard")]
mod gate;
#[cfg(feature = "guard")]
mod message;
#[cfg(feature = "guard")]
mod pack;
#[cfg(feature = "guard")]
mod report;
#[cfg(feature = "guard")]
mod test_pack;
#[cfg(feature = "guard")]
mod view;

#[cfg(not(feature = "guard"))]
mod disabled;

use crate::diagnostic::RuleMeta;

#[cfg(feature = "guard")]
use {
    crate::diagnostic::{Finding, RuleInfo},
    crate::error::Result,
    crate::model::Template,
    crate::settings::RuleSettings,
    std::io::Write,
    std::path::Path,
};

/// Whether this build can load packs.
pub const ENABLED: bool = cfg!(feature = "guard");

/// The rules a pack that does not run on a template is reported under: SL001 when Guard
/// cannot evaluate the template, SL004 when it panics. The rule engine names them, so Guard
/// depends on the rule metadata and not on the rules.
pub struct FailureRules {
    pub parse_error: &'static RuleMeta,
    pub internal_error: &'static RuleMeta,
}

/// The packs of a run, loaded and validated.
#[derive(Debug, Default)]
pub struct Packs {
    #[cfg(feature = "guard")]
    packs: Vec<pack::Pack>,
}

#[cfg(feature = "guard")]
impl Packs {
    /// Loads `specs` (paths relative to `cwd`, or `builtin:<name>`). Any problem is an error
    /// naming the pack (exit 2).
    pub fn load(specs: &[String], cwd: &Path) -> Result<Packs> {
        Ok(Packs { packs: pack::load_all(specs, cwd)? })
    }

    pub fn is_empty(&self) -> bool {
        self.packs.is_empty()
    }

    /// Every pack rule, for `slint rules`, SARIF and suppressions.
    pub fn infos(&self) -> Vec<RuleInfo> {
        self.packs.iter().flat_map(|p| p.rules.iter().map(|r| r.info.clone())).collect()
    }

    /// The findings of the enabled pack rules on every template, one list per template in
    /// order, with templates batched into Guard calls. The engine runs it beside the built-in rules.
    pub fn check_templates(
        &self,
        templates: &[Template],
        settings: &RuleSettings,
        failures: &FailureRules,
    ) -> Vec<Vec<Finding>> {
        eval::check_templates(&self.packs, templates, settings, failures)
    }
}

/// `slint test-pack`: runs the unit tests of the pack `spec`, writing one line per case to
/// `out`. `Ok(true)` when all pass; an error (exit 2) for a broken pack or test file.
#[cfg(feature = "guard")]
pub fn test_pack(spec: &str, test_data: Option<&Path>, cwd: &Path, out: &mut dyn Write) -> Result<bool> {
    test_pack::run(spec, test_data, cwd, out)
}

#[cfg(not(feature = "guard"))]
pub use disabled::test_pack;
