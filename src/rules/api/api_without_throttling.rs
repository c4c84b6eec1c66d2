use crate::model::Template;
use crate::model::api::{Api, ApiKind};
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an API without a default throttle: a REST API (SAM `AWS::Serverless::Api`,
    /// the implicit API, or an `AWS::ApiGateway::RestApi` with a stage or deployment in the
    /// template) without a stage-wide `MethodSettings` entry (`ResourcePath: "/*"`,
    /// `HttpMethod: "*"`) that sets `ThrottlingRateLimit` or `ThrottlingBurstLimit`, and an
    /// HTTP or WebSocket API without `DefaultRouteSettings` throttling. A throttle on one
    /// path or method is fine in addition, but does not protect the rest of the stage.
    ///
    /// ## Why is this bad?
    /// Without a stage throttle, the only limit is the account-wide 10,000 requests per
    /// second shared by every API in the region. One noisy client or a retry storm scales the
    /// functions behind the API until the account's concurrency or a downstream database gives
    /// out, and takes the other APIs down with it.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Api
    ///   Properties:
    ///     StageName: prod
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Api
    ///   Properties:
    ///     StageName: prod
    ///     MethodSettings:
    ///       - ResourcePath: "/*"
    ///         HttpMethod: "*"
    ///         ThrottlingRateLimit: 100
    ///         ThrottlingBurstLimit: 50
    /// ```
    ///
    /// ## Known limitations
    /// Usage plans throttle per API key, not the stage as a whole, and are not counted. Entries
    /// that together throttle every method one by one are not recognised as a default. A plain
    /// API whose stage is created in another template is not checked.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html>
    pub struct ApiWithoutThrottling {
        code: "SL203",
        name: "api-without-throttling",
        category: Api,
        severity: Warning,
    }
}

impl Rule for ApiWithoutThrottling {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for api in &template.apis {
            let stages = api.stage_settings(template);
            if !stages.deployed || stages.configs.iter().any(|c| throttles(api, *c)) {
                continue;
            }
            let (setting, help) = match api.kind {
                ApiKind::Rest => (
                    "`MethodSettings` with a throttling limit",
                    "add `MethodSettings: [{ ResourcePath: \"/*\", HttpMethod: \"*\", ThrottlingRateLimit: <rps>, ThrottlingBurstLimit: <burst> }]` to the API (or its stage)",
                ),
                _ => (
                    "`DefaultRouteSettings` with a throttling limit",
                    "add `DefaultRouteSettings: { ThrottlingRateLimit: <rps>, ThrottlingBurstLimit: <burst> }` to the API (or its stage)",
                ),
            };
            cx.report(
                api.site(template),
                format!(
                    "{} has no stage-wide throttle ({setting}), so only the account-wide limit stops a flood",
                    api.describe()
                ),
            )
            .resource(api.id.0.clone())
            .help(help);
        }
    }
}

/// Whether a stage configuration sets a stage-wide throttle. A deployment's
/// `StageDescription` carries the stage defaults at its top level; `MethodSettings` entries
/// count only when they are the default entry for every path and method.
fn throttles(api: &Api, config: NodeRef<'_>) -> bool {
    let has_limit = |n: NodeRef<'_>| n.get("ThrottlingRateLimit").is_some() || n.get("ThrottlingBurstLimit").is_some();
    match api.kind {
        ApiKind::Rest => {
            has_limit(config)
                || config.get("MethodSettings").is_some_and(|m| m.items().any(|e| is_default_entry(e) && has_limit(e)))
        }
        ApiKind::Http | ApiKind::WebSocket => config.get("DefaultRouteSettings").is_some_and(has_limit),
    }
}

/// A `MethodSettings` entry for every resource and method: `HttpMethod: "*"` and
/// `ResourcePath: "/*"`, the only spelling of the stage default in a template (API Gateway
/// stores it under the key `*/*`; `~1` escapes a `/` inside a path, so `/~1*` is a resource
/// literally named `*`, not the default).
fn is_default_entry(entry: NodeRef<'_>) -> bool {
    let text = |key: &str| entry.get(key).and_then(|n| n.as_str());
    text("ResourcePath") == Some("/*") && text("HttpMethod") == Some("*")
}
