use std::collections::BTreeMap;

use crate::diagnostic::{Finding, Site};
use crate::files::FileId;
use crate::model::{FunctionId, TemplateId};
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};
use crate::source::PackageId;
use crate::source::cargo::{ProfileSection, Setting, SettingValue};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Flags a Lambda crate built without cargo-lambda whose release profile lacks the
    /// settings that make a small, fast binary: `strip = true` (or `"symbols"`), `lto = true`
    /// (or `"fat"`/`"thin"`) and `codegen-units = 1`. The profile checked is the one cargo
    /// uses: the workspace root's `[profile.release]` (or the package's own outside a
    /// workspace). The finding points at `[profile.release]`, or at the package name when
    /// there is none. Also flagged: a `[profile.release]` written only in a workspace member
    /// (cargo ignores it, with a warning), and `debug` info or `opt-level = 0`/`1` in release.
    /// A crate counts as built without cargo-lambda when a template function deploys it with
    /// `BuildMethod: makefile` (whose `build-<Function>` target does not run `cargo lambda
    /// build`), or from the crate's folder without `BuildMethod: rust-cargolambda`.
    ///
    /// ## Why is this bad?
    /// Cargo's release defaults keep the symbol table (only debug info is stripped, since
    /// Rust 1.77), optimise 16 codegen units separately and do no cross-crate LTO. The
    /// binary is bigger and slower than it needs to be: a bigger package takes longer to
    /// download and load on every cold start, and every invocation runs less optimised code.
    /// `cargo lambda build --release` applies these settings itself (unless the manifest sets
    /// them or `--disable-optimizations` is passed); a plain `cargo build --release` does not.
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "orders"
    ///
    /// [profile.release]
    /// opt-level = 3
    /// ```
    ///
    /// Use instead: these settings in the workspace root's `Cargo.toml` (the package's,
    /// outside a workspace),
    /// ```toml
    /// [profile.release]
    /// strip = true
    /// lto = true
    /// codegen-units = 1
    /// panic = "abort" # optional: smaller still, but a panic ends the execution environment
    /// ```
    /// or build with `BuildMethod: rust-cargolambda`.
    ///
    /// ## Known limitations
    /// Crates that no template deploys are skipped: how they are built is unknown. A function
    /// mapped to its crate in `slint.toml` counts as built without cargo-lambda unless its
    /// template says `BuildMethod: rust-cargolambda`. Settings from `.cargo/config.toml`,
    /// `CARGO_PROFILE_RELEASE_*` variables, `RUSTFLAGS` (`-C strip=symbols`) or a custom
    /// `--profile` are not read.
    pub struct UnoptimizedReleaseProfile {
        code: "SL601",
        name: "unoptimized-release-profile",
        category: Tuning,
        severity: Info,
    }
}

impl Rule for UnoptimizedReleaseProfile {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        // Packages of a workspace share the root's profile: one finding per place.
        let mut places: BTreeMap<(FileId, Span), Place> = BTreeMap::new();
        for (index, package) in PackageId::enumerate(&project.source.packages) {
            if !package.is_lambda {
                continue;
            }
            let builders = plain_builds(project, index);
            if builders.is_empty() {
                continue;
            }
            let (file, span, kind) = match (&package.release_profile, &package.ignored_profile) {
                (Some(profile), _) => (profile.manifest, profile.section.span, Kind::Used(&profile.section)),
                (None, Some(ignored)) => (ignored.manifest, ignored.section.span, Kind::Ignored),
                (None, None) => (package.manifest, package.name_span, Kind::Missing),
            };
            places.entry((file, span)).or_insert_with(|| Place::new(kind)).add(&package.name, &builders);
            // A member's profile next to the root's is ignored too.
            if let (Some(_), Some(ignored)) = (&package.release_profile, &package.ignored_profile) {
                places
                    .entry((ignored.manifest, ignored.section.span))
                    .or_insert_with(|| Place::new(Kind::IgnoredBesideRoot))
                    .add(&package.name, &builders);
            }
        }
        for ((file, span), place) in places {
            report(project, cx, file, span, &place);
        }
    }
}

#[derive(Clone, Copy)]
enum Kind<'p> {
    /// The profile cargo uses.
    Used(&'p ProfileSection),
    /// Only a member has one; cargo ignores it and uses its defaults.
    Ignored,
    /// A member's profile, ignored because the root has its own.
    IgnoredBesideRoot,
    /// No profile anywhere.
    Missing,
}

struct Place<'p> {
    kind: Kind<'p>,
    packages: Vec<String>,
    /// `(template, function)` of the functions that build these packages without cargo-lambda.
    builders: Vec<(TemplateId, FunctionId)>,
}

impl<'p> Place<'p> {
    fn new(kind: Kind<'p>) -> Self {
        Place { kind, packages: Vec::new(), builders: Vec::new() }
    }

    fn add(&mut self, package: &str, builders: &[(TemplateId, FunctionId)]) {
        self.packages.push(package.to_string());
        for b in builders {
            if !self.builders.contains(b) {
                self.builders.push(*b);
            }
        }
    }
}

/// The template functions deploying a binary of package `index` without cargo-lambda.
fn plain_builds(project: &Project, index: PackageId) -> Vec<(TemplateId, FunctionId)> {
    let mut out = Vec::new();
    for link in &project.links {
        let Ok(binary) = link.binary else { continue };
        if project.source.binaries[binary].package == index && !link.code.built_by_cargo_lambda {
            out.push((link.template, link.function));
        }
    }
    out
}

fn report(project: &Project, cx: &mut Context<'_>, file: FileId, span: Span, place: &Place<'_>) {
    let names: Vec<String> = place.packages.iter().map(|p| format!("`{p}`")).collect();
    let (names, is, its) =
        if names.len() == 1 { (names.join(""), "is", "its") } else { (list(&names), "are", "their") };
    let site = Site::new(file, span);
    let root_help = "put `[profile.release]` with `strip = true`, `lto = true` and `codegen-units = 1` in the workspace root's `Cargo.toml` (or the package's, outside a workspace), or build with cargo-lambda";
    match place.kind {
        Kind::Used(profile) => {
            let missing = missing(profile);
            if !missing.is_empty() {
                let finding = cx.report(
                    site,
                    format!(
                        "{names} {is} built without cargo-lambda and {its} release profile lacks {}",
                        list(&missing)
                    ),
                );
                finding.help("add them to `[profile.release]` for a smaller binary and faster cold starts, or build with cargo-lambda");
                relate(finding, project, &place.builders);
            }
            for (setting, why) in harmful(profile) {
                let finding = cx.report(Site::new(file, setting.span), format!("the release profile of {names} {why}"));
                finding.help("remove it from `[profile.release]`: Lambda runs the release build");
                relate(finding, project, &place.builders);
            }
        }
        Kind::Ignored => {
            let finding = cx.report(
                site,
                format!(
                    "cargo ignores this `[profile.release]` of workspace member {names} (profiles are read from the workspace root only), so the release build has no `strip`, `lto` or `codegen-units = 1`"
                ),
            );
            finding.help(root_help);
            relate(finding, project, &place.builders);
        }
        Kind::IgnoredBesideRoot => {
            let finding = cx.report(
                site,
                format!("cargo ignores this `[profile.release]` of workspace member {names}; the workspace root's profile applies"),
            );
            finding.help("move the settings to the workspace root's `[profile.release]` and delete this one");
            relate(finding, project, &place.builders);
        }
        Kind::Missing => {
            let finding = cx.report(
                site,
                format!("{names} {is} built without cargo-lambda and has no `[profile.release]` (`strip`, `lto`, `codegen-units = 1`)"),
            );
            finding.help(root_help);
            relate(finding, project, &place.builders);
        }
    }
}

/// Relates the template functions that build the crate without cargo-lambda.
fn relate(finding: &mut Finding, project: &Project, builders: &[(TemplateId, FunctionId)]) {
    for &(t, f) in builders {
        let template = &project.templates[t];
        let function = &template.functions[f];
        if finding.resource.is_none() {
            finding.resource(function.id.0.clone());
        }
        let resource = function.resource(template);
        finding.related(
            template.file,
            resource.id_span,
            format!("function `{}` builds it without cargo-lambda", function.id),
        );
    }
}

/// The size settings a profile lacks, as they should be written.
fn missing(profile: &ProfileSection) -> Vec<&'static str> {
    let mut out = Vec::new();
    let strip = profile
        .strip
        .as_ref()
        .is_some_and(|s| matches!(&s.value, SettingValue::Bool(true)) || s.value.as_str() == Some("symbols"));
    if !strip {
        out.push("`strip = true`");
    }
    let lto = profile.lto.as_ref().is_some_and(|s| {
        matches!(&s.value, SettingValue::Bool(true)) || matches!(s.value.as_str(), Some("fat" | "thin"))
    });
    if !lto {
        out.push("`lto = true`");
    }
    if !profile.codegen_units.as_ref().is_some_and(|s| s.value == SettingValue::Int(1)) {
        out.push("`codegen-units = 1`");
    }
    out
}

/// Settings that make the release build a debug-like build.
fn harmful(profile: &ProfileSection) -> Vec<(&Setting, &'static str)> {
    let mut out = Vec::new();
    if let Some(opt) = &profile.opt_level {
        let low = matches!(&opt.value, SettingValue::Int(0 | 1)) || matches!(opt.value.as_str(), Some("0" | "1"));
        if low {
            out.push((opt, "sets a low `opt-level`: the code Lambda runs is barely optimised"));
        }
    }
    // Debug info only costs size when it is not stripped.
    let stripped = profile.strip.as_ref().is_some_and(|s| {
        matches!(&s.value, SettingValue::Bool(true)) || matches!(s.value.as_str(), Some("symbols" | "debuginfo"))
    });
    if let Some(debug) = &profile.debug {
        let off = matches!(&debug.value, SettingValue::Bool(false) | SettingValue::Int(0))
            || matches!(debug.value.as_str(), Some("none"));
        if !off && !stripped {
            out.push((debug, "keeps debug info: the package and its cold start grow"));
        }
    }
    out
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
