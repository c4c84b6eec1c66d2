//! Findings: what rules produce and renderers consume. Rules fill in data; they never format
//! output.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::files::FileId;
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file: the node or call a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub file: FileId,
    pub span: Span,
    /// The template path of the node, when the site is in a template.
    pub path: Option<TemplatePath>,
}

impl Site {
    pub fn new(file: FileId, span: Span) -> Self {
        Site { file, span, path: None }
    }

    pub fn with_path(mut self, path: TemplatePath) -> Self {
        self.path = Some(path);
        self
    }
}

/// A secondary location, usually in another file (the template function of a handler
/// finding, the first occurrence of a duplicate key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// One reported problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `SL101`, or `<pack>/<RULE>` for Guard pack rules.
    pub code: Cow<'static, str>,
    /// The rule's kebab-case name.
    pub name: Cow<'static, str>,
    pub severity: Severity,
    /// Lowercase start, no trailing period, names the resource or function.
    pub message: String,
    pub file: FileId,
    pub span: Span,
    pub path: Option<TemplatePath>,
    /// The logical id of the resource the finding is about.
    pub resource: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Finding {
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        name: impl Into<Cow<'static, str>>,
        severity: Severity,
        site: Site,
        message: impl Into<String>,
    ) -> Self {
        let resource = site.path.as_ref().and_then(|p| p.resource()).map(str::to_string);
        Finding {
            code: code.into(),
            name: name.into(),
            severity,
            message: message.into(),
            file: site.file,
            span: site.span,
            path: site.path,
            resource,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Names the resource the finding is about, when the site itself is elsewhere (a value
    /// inherited from `Globals`).
    pub fn resource(&mut self, logical_id: impl Into<String>) -> &mut Self {
        self.resource = Some(logical_id.into());
        self
    }

    pub fn related(&mut self, file: FileId, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Related { file, span, message: message.into() });
        self
    }

    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }
}

/// A rule's identity independent of where it comes from (built-in or Guard pack), for
/// listings, documentation and SARIF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub category: Cow<'static, str>,
    pub severity: Severity,
    /// One line: the first sentence of `What it does`.
    pub summary: Cow<'static, str>,
    /// The full documentation (markdown).
    pub docs: Cow<'static, str>,
}

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

/// Every built-in rule's metadata, as the rule registry lists it; settings resolve selectors and
/// options against it without depending on the rules themselves.
pub type Catalog = &'static [&'static RuleMeta];

/// The rule of `catalog` with this code (upper case, `SL101`).
pub fn by_code(catalog: Catalog, code: &str) -> Option<&'static RuleMeta> {
    catalog.iter().copied().find(|m| m.code == code)
}

/// The rule of `catalog` with this name (`queue-without-dlq`).
pub fn by_name(catalog: Catalog, name: &str) -> Option<&'static RuleMeta> {
    catalog.iter().copied().find(|m| m.name == name)
}

/// One step of a [`TemplatePath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Where a node sits in a template, as cfn-lint and Guard name it:
/// `Resources/Orders/Properties/Timeout`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TemplatePath(pub Vec<Segment>);

impl TemplatePath {
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Parses a `/`-separated path such as Guard reports (`/Resources/Fn/Properties/Timeout`).
    /// All-digit steps become indexes.
    pub fn parse(text: &str) -> TemplatePath {
        TemplatePath(
            text.trim_start_matches('/')
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| match s.parse::<usize>() {
                    Ok(i) if s.bytes().all(|b| b.is_ascii_digit()) => Segment::Index(i),
                    _ => Segment::Key(s.to_string()),
                })
                .collect(),
        )
    }

    /// The logical id when the path is inside `Resources/<id>`.
    pub fn resource(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Segment::Key(top), Segment::Key(id), ..] if top == "Resources" => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for TemplatePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            match segment {
                Segment::Key(k) => f.write_str(k)?,
                Segment::Index(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}
