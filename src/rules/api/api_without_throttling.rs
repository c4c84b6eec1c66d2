use crate::model::Template;
use crate::model::api::{Api, ApiKind};
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an API without a default throttle: a REST API (SAM `AWS::Serverless::Api`,
    /// the implicit API, or an `AWS::ApiGateway::RestApi` with a stage or deployment in the
    /// template) without `MethodSettings` that set `ThrottlingRateLimit` or
    /// `ThrottlingBurstLimit`, and an HTTP or WebSocket API without `DefaultRouteSettings`
    /// throttling.
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
    /// Usage plans throttle per API key, not the stage as a whole, and are not counted. A plain
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
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

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

/// Whether a stage configuration sets a throttle.
fn throttles(api: &Api, config: NodeRef<'_>) -> bool {
    let has_limit = |n: NodeRef<'_>| n.get("ThrottlingRateLimit").is_some() || n.get("ThrottlingBurstLimit").is_some();
    match api.kind {
        ApiKind::Rest => has_limit(config) || config.get("MethodSettings").is_some_and(|m| m.items().any(has_limit)),
        ApiKind::Http | ApiKind::WebSocket => config.get("DefaultRouteSettings").is_some_and(has_limit),
    }
}
