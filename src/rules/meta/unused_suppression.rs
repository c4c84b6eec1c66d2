use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a suppression that suppresses nothing: a `Metadata.slint.ignore` entry in a
    /// template, or a `// slint: allow(...)` comment in Rust, whose rule reports no finding
    /// there, or that names a rule that does not exist.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide the next real finding of that rule on that resource, and a
    /// misspelt rule name suppresses nothing while looking as if it did.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Metadata:
    ///     slint:
    ///       ignore: [SL101]   # the function has a reserved concurrency now
    ///   Properties:
    ///     ReservedConcurrentExecutions: 5
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     ReservedConcurrentExecutions: 5
    /// ```
    ///
    /// ## Known limitations
    /// A suppression of a rule that is not enabled in the run (through `--select`/`--ignore`)
    /// is not reported: slint cannot know whether it would match.
    pub struct UnusedSuppression {
        code: "SL003",
        name: "unused-suppression",
        category: Meta,
        severity: Warning,
    }
}

impl crate::rules::Rule for UnusedSuppression {
    // Reported by the suppression pass (`rules::suppress`), which runs after every rule.
}
