use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports that slint itself failed on a file: a rule, a parser, the template model, the
    /// Rust source analysis or a Guard pack's evaluation panicked. The finding names the file
    /// and the rule or stage; every other file, and every other rule on this file, is still
    /// analysed.
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
    // A rule's panic is reported by the engine, which catches it (`rules::engine::guarded`);
    // panics while loading a file (a parser, the template model, the source analysis) are
    // caught there and kept in the project.
    fn check_project(&self, project: &crate::project::Project, cx: &mut crate::rules::Context<'_>) {
        for failure in &project.internal_errors {
            let site = crate::diagnostic::Site::new(failure.file, failure.span);
            cx.report(
                site,
                format!("internal error: the {} panicked on this file: {}", failure.stage, failure.message),
            )
            .help("this is a bug in slint; please report it with the file. The other files were checked");
        }
    }
}
