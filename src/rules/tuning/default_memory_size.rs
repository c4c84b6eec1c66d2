use crate::model::Setting;
use crate::model::Template;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a function that does not set `MemorySize` (on itself or in `Globals`), so it runs
    /// with Lambda's 128 MB default.
    ///
    /// ## Why is this bad?
    /// Lambda allocates CPU in proportion to memory: at 128 MB a function gets a small fraction
    /// of a vCPU, so it runs (and holds its concurrency slot) longer. Under load, slower
    /// invocations mean more concurrent executions for the same traffic; for most functions a
    /// larger size is both faster and no more expensive.
    ///
    /// ## Example
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: bootstrap
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: bootstrap
    ///     MemorySize: 512
    /// ```
    /// and measure (for example with AWS Lambda Power Tuning).
    ///
    /// ## Known limitations
    /// An explicit `MemorySize: 128` is taken as a deliberate choice and not reported.
    pub struct DefaultMemorySize {
        code: "SL602",
        name: "default-memory-size",
        category: Tuning,
        severity: Info,
    }
}

impl Rule for DefaultMemorySize {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for function in &template.functions {
            if !matches!(function.memory_size, Setting::Default(_)) {
                continue;
            }
            cx.report(
                template.resource_site(function.resource(template)),
                format!(
                    "function `{}` runs with the default 128 MB of memory and the small CPU share that comes with it",
                    function.id
                ),
            )
            .help("set `MemorySize` (on the function or in `Globals`) to a measured value, for example 512");
        }
    }
}
