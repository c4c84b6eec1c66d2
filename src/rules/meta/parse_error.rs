use crate::diagnostic::Site;
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that slint cannot use, at the position of the problem. That is a
    /// template that is not valid YAML or JSON, not UTF-8, contains NUL bytes, nests too
    /// deeply, expands aliases without bound, is too large, or is not a usable template (no or an empty `Resources` section, a resource
    /// without `Type`); a `Cargo.toml` or `.rs` file that does not parse; a file or folder
    /// that cannot be read.
    ///
    /// ## Why is this bad?
    /// CloudFormation rejects the template at deploy time, and every other rule is blind to a
    /// file it cannot read. slint reports the exact position of the problem and goes on with
    /// every other file.
    ///
    /// ## Example
    /// ```yaml
    /// Resources:
    ///   Orders:
    ///     Type: AWS::Serverless::Function
    ///     Properties: { Timeout: 30
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Resources:
    ///   Orders:
    ///     Type: AWS::Serverless::Function
    ///     Properties: { Timeout: 30 }
    /// ```
    pub struct ParseError {
        code: "SL001",
        name: "parse-error",
        category: Meta,
        severity: Error,
    }
}

impl Rule for ParseError {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for failure in &project.failures {
            cx.report(Site::new(failure.file, failure.span), failure.message.clone());
        }
    }
}
