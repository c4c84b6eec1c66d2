//! Findings: what rules produce and renderers consume. Rules fill in data; they never format
//! output.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::files::FileId;
use crate::model::tree::TemplatePath;
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
