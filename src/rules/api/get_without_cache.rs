use crate::model::Template;
use crate::model::api::ApiKind;
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a REST API that serves `GET` methods while API Gateway caching is off: neither
    /// `CacheClusterEnabled` nor any `MethodSettings` entry with `CachingEnabled: true` on the
    /// API or its stage.
    ///
    /// ## Why is this bad?
    /// Every read reaches the function and its database, even when thousands of clients ask
    /// for the same resource. A stage cache answers repeated `GET`s without invoking Lambda,
    /// which cuts concurrency, latency and cost for read-heavy APIs.
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
    ///     CacheClusterEnabled: true
    ///     CacheClusterSize: "0.5"
    ///     MethodSettings:
    ///       - { ResourcePath: "/*", HttpMethod: "GET", CachingEnabled: true, CacheTtlInSeconds: 60 }
    /// ```
    ///
    /// ## Known limitations
    /// Responses that must not be cached (per-user data without a cache key) make this a
    /// deliberate choice; the rule is informational. HTTP APIs have no cache and are not
    /// checked (put CloudFront in front of them).
    pub struct GetWithoutCache {
        code: "SL204",
        name: "get-without-cache",
        category: Api,
        severity: Info,
    }
}

impl Rule for GetWithoutCache {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for (index, api) in template.apis.iter().enumerate() {
            if api.kind != ApiKind::Rest {
                continue;
            }
            let gets = template.methods.iter().filter(|m| m.api == Some(index) && m.method == "GET").count();
            let stages = api.stage_settings(template);
            if gets == 0 || !stages.deployed || stages.configs.iter().any(|c| caches(*c)) {
                continue;
            }
            let plural = if gets == 1 { "" } else { "s" };
            cx.report(api.site(template), format!("{} serves {gets} GET method{plural} with caching off", api.describe()))
                .resource(api.id.0.clone())
                .help("enable the stage cache (`CacheClusterEnabled: true`) and `CachingEnabled` in `MethodSettings` for the GET methods that can be cached");
        }
    }
}

fn caches(config: NodeRef<'_>) -> bool {
    let enabled = |n: NodeRef<'_>, key: &str| n.get(key).and_then(|v| v.as_bool()) == Some(true);
    enabled(config, "CacheClusterEnabled")
        || enabled(config, "CachingEnabled")
        || config.get("MethodSettings").is_some_and(|m| m.items().any(|s| enabled(s, "CachingEnabled")))
}
