//! The rule engine's vocabulary: what a rule is, how it is documented, how it reports.
//!
//! A rule is one file under its category folder. Its doc comment is its documentation
//! (`slint explain` prints it), captured by [`declare_rule!`] without a proc-macro crate.

pub use crate::diagnostic::{Category, RuleInfo, RuleMeta, RuleOption};
use crate::diagnostic::{Finding, Site};
use crate::settings::RuleSettings;

pub mod code;
pub mod engine;
pub mod inherited;
pub mod registry;
pub mod suppress;

pub mod api;
pub mod concurrency;
pub mod database;
pub mod handler;
pub mod meta;
pub mod queues;
pub mod tuning;

/// A rule's identity, implemented by [`declare_rule!`] from the rule's declaration.
pub trait RuleMetadata {
    fn meta(&self) -> &'static RuleMeta;
}

/// What every rule implements. Rules are stateless; everything per run lives in [`Context`].
/// [`RuleMetadata`] comes from [`declare_rule!`], so a rule file implements only its checks.
pub trait Rule: RuleMetadata + Send + Sync + 'static {
    /// Called once per template.
    fn check_template(&self, _template: &crate::model::Template, _cx: &mut Context<'_>) {}

    /// Called once per run, after every file is loaded and linked.
    fn check_project(&self, _project: &crate::project::Project, _cx: &mut Context<'_>) {}
}

/// Per-run, per-unit state handed to a rule: settings, and the findings it reports.
pub struct Context<'a> {
    pub project: &'a crate::project::Project,
    /// The concurrency budgets planned from the project (SL103, SL104).
    pub capacity: &'a crate::capacity::CapacityPlan,
    settings: &'a RuleSettings,
    current: &'static RuleMeta,
    findings: Vec<Finding>,
}

impl<'a> Context<'a> {
    pub fn new(
        project: &'a crate::project::Project,
        capacity: &'a crate::capacity::CapacityPlan,
        settings: &'a RuleSettings,
    ) -> Self {
        Context { project, capacity, settings, current: &meta::ParseError::META, findings: Vec::new() }
    }

    /// Points reports at `rule` until the next call.
    pub fn enter(&mut self, rule: &'static RuleMeta) {
        self.current = rule;
    }

    /// Reports a finding of the current rule at `site`; chain `.help(..)` and friends on the
    /// result.
    pub fn report(&mut self, site: Site, message: impl Into<String>) -> &mut Finding {
        let meta = self.current;
        self.findings.push(Finding::new(meta.code, meta.name, meta.severity, site, message));
        self.findings.last_mut().expect("just pushed")
    }

    /// Adds a finding built elsewhere (the engine's internal errors).
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// The value of one of the current rule's options (its default unless configured). The
    /// option is the rule's own constant, so a misspelt name does not compile.
    pub fn option(&self, option: &RuleOption) -> u64 {
        self.settings.option(self.current, option)
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Declares a rule: its doc comment becomes [`RuleMeta::docs`].
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct UncappedAsyncConsumer {
///         code: "SL101", name: "uncapped-async-consumer",
///         category: Concurrency, severity: Warning,
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            category: $category:ident,
            severity: $severity:ident
            $(, options: $options:expr)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::diagnostic::RuleMeta {
                code: $code,
                name: $name,
                category: $crate::diagnostic::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                options: declare_rule!(@options $($options)?),
                docs: concat!($($doc, "\n"),*),
                source: concat!(file!(), ":", line!()),
            };
        }

        impl $crate::rules::RuleMetadata for $ty {
            fn meta(&self) -> &'static $crate::diagnostic::RuleMeta {
                &Self::META
            }
        }
    };
    (@options) => { &[] };
    (@options $options:expr) => { $options };
}
pub(crate) use declare_rule;
