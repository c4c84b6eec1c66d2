//! The rule engine's vocabulary: what a rule is, how it is documented, how it reports.
//!
//! A rule is one file under its category folder. Its doc comment is its documentation
//! (`slint explain` prints it), captured by [`declare_rule!`] without a proc-macro crate.

use std::fmt;

pub use crate::diagnostic::RuleInfo;
use crate::diagnostic::{Finding, Severity, Site};
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

/// The hundreds digit of a rule code: the scaling-risk domain it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// SL0xx: the input itself (parse errors, duplicate keys, suppressions).
    Meta,
    /// SL1xx: concurrency caps and budgets.
    Concurrency,
    /// SL2xx: the API edge (validation, timeouts, throttling, caching).
    Api,
    /// SL3xx: queues and streams (batching, partial failure, dead-letter queues).
    Queues,
    /// SL4xx: databases (proxies, pools, connections).
    Database,
    /// SL5xx: what the handler does on every invocation.
    Handler,
    /// SL6xx: packaging and tuning (release profile, memory, tracing).
    Tuning,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Meta,
        Category::Concurrency,
        Category::Api,
        Category::Queues,
        Category::Database,
        Category::Handler,
        Category::Tuning,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Meta => "meta",
            Category::Concurrency => "concurrency",
            Category::Api => "api",
            Category::Queues => "queues",
            Category::Database => "database",
            Category::Handler => "handler",
            Category::Tuning => "tuning",
        }
    }

    /// The code prefix of the category's range: `SL1` for concurrency.
    pub fn code_prefix(self) -> &'static str {
        match self {
            Category::Meta => "SL0",
            Category::Concurrency => "SL1",
            Category::Api => "SL2",
            Category::Queues => "SL3",
            Category::Database => "SL4",
            Category::Handler => "SL5",
            Category::Tuning => "SL6",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule option settable in `slint.toml` under `[rules.<CODE>]`.
#[derive(Clone, Copy, Debug)]
pub struct RuleOption {
    pub name: &'static str,
    pub default: u64,
    pub doc: &'static str,
}

/// Everything about a rule except its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `SL` and three digits; never reused.
    pub code: &'static str,
    /// Kebab-case name of the risky pattern; reads as "allow ‹name›".
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub options: &'static [RuleOption],
    /// The doc comment, verbatim.
    pub docs: &'static str,
    /// Where the rule is declared, for contributors.
    pub source: &'static str,
}

impl RuleMeta {
    /// The documentation as markdown (the doc comment without the space after `///`).
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            // Rust examples are `rust,ignore` so rustdoc does not compile them; readers only
            // need the language.
            out.push_str(if line.starts_with("```rust,ignore") { "```rust" } else { line });
            out.push('\n');
        }
        format!("{}\n", out.trim_matches('\n'))
    }

    /// The first sentence of the `What it does` section, for tables and SARIF short
    /// descriptions.
    pub fn summary(&self) -> String {
        let paragraph: Vec<&str> = self
            .docs
            .lines()
            .map(str::trim)
            .skip_while(|l| !l.starts_with("## What it does"))
            .skip(1)
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty())
            .collect();
        let text = paragraph.join(" ");
        match text.find(". ") {
            Some(end) => text[..end + 1].to_string(),
            None if text.is_empty() => self.name.to_string(),
            None => text,
        }
    }
}

/// What every rule implements. Rules are stateless; everything per run lives in [`Context`].
pub trait Rule: Send + Sync + 'static {
    fn meta(&self) -> &'static RuleMeta;

    /// Called once per template.
    fn check_template(&self, _template: &crate::model::Template, _cx: &mut Context<'_>) {}

    /// Called once per run, after every file is loaded and linked.
    fn check_project(&self, _project: &crate::project::Project, _cx: &mut Context<'_>) {}
}

/// Per-run, per-unit state handed to a rule: settings, and the findings it reports.
pub struct Context<'a> {
    pub project: &'a crate::project::Project,
    settings: &'a RuleSettings,
    current: &'static RuleMeta,
    findings: Vec<Finding>,
}

impl<'a> Context<'a> {
    pub fn new(project: &'a crate::project::Project, settings: &'a RuleSettings) -> Self {
        Context { project, settings, current: &meta::ParseError::META, findings: Vec::new() }
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

    /// The value of one of the current rule's options (its default unless configured).
    pub fn option(&self, name: &str) -> u64 {
        self.settings.option(self.current, name)
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

impl RuleInfo {
    pub fn from_meta(meta: &'static RuleMeta) -> Self {
        RuleInfo {
            code: meta.code.into(),
            name: meta.name.into(),
            category: meta.category.as_str().into(),
            severity: meta.severity,
            summary: meta.summary().into(),
            docs: meta.markdown().into(),
        }
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
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                category: $crate::rules::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                options: declare_rule!(@options $($options)?),
                docs: concat!($($doc, "\n"),*),
                source: concat!(file!(), ":", line!()),
            };
        }
    };
    (@options) => { &[] };
    (@options $options:expr) => { $options };
}
pub(crate) use declare_rule;
