use crate::model::Template;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a function without active X-Ray tracing: no `Tracing: Active` (SAM, on the
    /// function or in `Globals`) or `TracingConfig: { Mode: Active }` (CloudFormation), and
    /// no other tracer: a function traced by Datadog (`DD_TRACE_ENABLED: true`, a Datadog
    /// layer, the `DatadogServerless` macro) or OpenTelemetry (an ADOT or OpenTelemetry layer,
    /// `AWS_LAMBDA_EXEC_WRAPPER: /opt/otel-*`) is traced.
    ///
    /// ## Why is this bad?
    /// When a serverless system slows down under load, the question is which hop is slow:
    /// the function, its cold starts, a downstream call, or a queue. Without traces, finding
    /// the bottleneck means guessing from logs.
    ///
    /// ## Example
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Tracing: PassThrough
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Globals:
    ///   Function:
    ///     Tracing: Active
    /// ```
    ///
    /// ## Known limitations
    /// Other tracers (New Relic, Lumigo, a tracer compiled into the binary) are not
    /// recognised; disable the rule when you use one. A layer named through `Fn::FindInMap` or
    /// an import is not read.
    pub struct TracingDisabled {
        code: "SL603",
        name: "tracing-disabled",
        category: Tuning,
        severity: Info,
    }
}

impl Rule for TracingDisabled {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for function in template.functions.iter().filter(|f| !f.tracing_active && f.traced_by.is_none()) {
            let site = match function.tracing {
                Some(node) => template.site(node),
                None => template.resource_site(function.resource(template)),
            };
            cx.report(site, format!("function `{}` has no active X-Ray tracing", function.id))
                .resource(function.id.0.clone())
                .help("set `Tracing: Active` (SAM, or in `Globals.Function`) or `TracingConfig: { Mode: Active }`");
        }
    }
}
