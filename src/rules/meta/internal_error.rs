use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports that slint itself failed on a file: a rule or a parser panicked. The finding
    /// names the file and the rule; every other file, and every other rule on this file, is
    /// still analysed.
    ///
    /// ## Why is this bad?
    /// It is a bug in slint, not in your project, but it means this file was not fully
    /// checked. Please report it with the file (or a reduced copy).
    ///
    /// ## Example
    /// ```text
    /// template.yaml:1:1: error SL004 internal error: rule SL101 (uncapped-async-consumer) panicked on this file: ...
    /// ```
    ///
    /// Use instead: nothing to change in the project; upgrade slint, or `--ignore` the rule
    /// that fails until it is fixed.
    pub struct InternalError {
        code: "SL004",
        name: "internal-error",
        category: Meta,
        severity: Error,
    }
}

impl crate::rules::Rule for InternalError {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }
    // Reported by the engine when it catches a panic (`rules::engine::guarded`).
}
