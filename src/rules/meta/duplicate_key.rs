use crate::diagnostic::Site;
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a YAML or JSON mapping that repeats a key, at the second occurrence, with the
    /// first as a related location.
    ///
    /// ## Why is this bad?
    /// Only one of the two values survives: CloudFormation (like most parsers) keeps the last
    /// one and silently drops the other. A duplicated `Properties` or `Events` key usually
    /// means half of a resource's configuration is never deployed.
    ///
    /// ## Example
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Timeout: 10
    ///     MemorySize: 512
    ///     Timeout: 30
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Timeout: 30
    ///     MemorySize: 512
    /// ```
    pub struct DuplicateKey {
        code: "SL002",
        name: "duplicate-key",
        category: Meta,
        severity: Error,
    }
}

impl Rule for DuplicateKey {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (file, duplicate) in &project.duplicates {
            cx.report(
                Site::new(*file, duplicate.second),
                format!("key `{}` is repeated; only this value is kept and the first one is dropped", duplicate.key),
            )
            .related(*file, duplicate.first, "first defined here")
            .help("remove one of the two keys, merging what each of them sets");
        }
    }
}
