use crate::model::Template;
use crate::model::api::ApiKind;
use crate::model::events::{EventKind, EventSource, Origin};
use crate::model::template::ResourceKind;
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Lambda authorizer whose results are not cached: a SAM authorizer with
    /// `Identity.ReauthorizeEvery: 0`, a SAM `REQUEST` authorizer without identity sources
    /// (API Gateway cannot cache without them), an HTTP API authorizer without a positive
    /// `ReauthorizeEvery`, an `AWS::ApiGateway::Authorizer` with `AuthorizerResultTtlInSeconds:
    /// 0`, an `AWS::ApiGatewayV2::Authorizer` without a positive TTL, or an OpenAPI
    /// `x-amazon-apigateway-authorizer` with `authorizerResultTtlInSeconds: 0`.
    ///
    /// ## Why is this bad?
    /// Without caching, every API request invokes the authorizer function before the handler:
    /// the API needs twice the concurrency, both functions share the account's pool, and the
    /// authorizer's latency (often a JWKS fetch) is added to every request. With a TTL of a
    /// few minutes, repeat callers are authorized from the cache.
    ///
    /// ## Example
    /// ```yaml
    /// Auth:
    ///   Authorizers:
    ///     TokenAuth:
    ///       FunctionArn: !GetAtt Authorizer.Arn
    ///       Identity: { ReauthorizeEvery: 0 }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    ///       Identity: { ReauthorizeEvery: 300 }
    /// ```
    ///
    /// WebSocket API authorizers run once per connection and are not reported.
    ///
    /// ## Known limitations
    /// An authorizer whose decision must not be cached (per-request signatures) is a
    /// legitimate exception: suppress the finding with a reason.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html>
    pub struct UncachedAuthorizer {
        code: "SL105",
        name: "uncached-authorizer",
        category: Concurrency,
        severity: Warning,
    }
}

/// Why an authorizer caches nothing, and the node that says so (if any).
struct Uncached<'t> {
    reason: &'static str,
    node: Option<NodeRef<'t>>,
}

impl Rule for UncachedAuthorizer {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for event in template.events.iter().filter(|e| e.kind == EventKind::Authorizer) {
            let Some(props) = event.properties.map(|p| template.node(p)) else { continue };
            let Some(uncached) = uncached(template, event, props) else { continue };
            let function = event.function.map(|f| template.functions[f].id.to_string()).unwrap_or_default();
            let site = match uncached.node {
                Some(node) => template.site(node.id),
                None => event.site(template),
            };
            let finding = cx
                .report(
                    site,
                    format!(
                        "{} caches nothing ({}): every request also invokes function `{function}`, doubling the concurrency the API needs",
                        event.describe(template),
                        uncached.reason
                    ),
                )
                .help("cache authorizer results for a few minutes (`ReauthorizeEvery` / `AuthorizerResultTtlInSeconds`: 300) keyed on identity sources such as the `Authorization` header");
            if event.function.is_some() {
                finding.resource(function);
            }
        }
    }
}

fn uncached<'t>(template: &'t Template, event: &EventSource, props: NodeRef<'t>) -> Option<Uncached<'t>> {
    match &event.origin {
        Origin::SamAuthorizer { api, .. } => sam_authorizer(template.apis[*api].kind, props),
        Origin::Resource { resource } => match template.resources[*resource].kind {
            ResourceKind::ApiGatewayAuthorizer => ttl(props.get("AuthorizerResultTtlInSeconds"), Some(300), "TTL 0")
                .or_else(|| {
                    let request = props.get("Type").and_then(|t| t.as_str()) == Some("REQUEST");
                    let no_sources =
                        props.get("IdentitySource").and_then(|s| s.as_str()).is_none_or(|s| s.trim().is_empty());
                    (request && no_sources)
                        .then_some(Uncached { reason: "a REQUEST authorizer without identity sources", node: None })
                }),
            ResourceKind::ApiGatewayV2Authorizer => {
                // A WebSocket authorizer runs once per connection, not per message.
                let websocket = event
                    .source
                    .as_deref()
                    .and_then(|id| template.apis.iter().find(|a| a.id.as_str() == id))
                    .is_some_and(|a| a.kind == ApiKind::WebSocket);
                if websocket {
                    return None;
                }
                let request = props.get("AuthorizerType").and_then(|t| t.as_str()) == Some("REQUEST");
                if request { ttl(props.get("AuthorizerResultTtlInSeconds"), None, "no positive TTL") } else { None }
            }
            _ => None,
        },
        // `props` is the `x-amazon-apigateway-authorizer` object.
        Origin::OpenApi { .. } => ttl(props.get("authorizerResultTtlInSeconds"), Some(300), "TTL 0"),
        _ => None,
    }
}

/// SAM `Auth.Authorizers.<name>` of a REST or HTTP API.
fn sam_authorizer(api: ApiKind, props: NodeRef<'_>) -> Option<Uncached<'_>> {
    let identity = props.get("Identity");
    let every = identity.and_then(|i| i.get("ReauthorizeEvery"));
    if api == ApiKind::Http {
        // HTTP APIs cache only when told to.
        return ttl(every, None, "no positive `ReauthorizeEvery`");
    }
    if let Some(uncached) = ttl(every, Some(300), "`ReauthorizeEvery: 0`") {
        return Some(uncached);
    }
    let request = props.get("FunctionPayloadType").and_then(|t| t.as_str()) == Some("REQUEST");
    let has_sources = identity.is_some_and(|i| {
        ["Headers", "QueryStrings", "StageVariables", "Context"].iter().any(|k| i.get(k).is_some_and(|s| !s.is_empty()))
    });
    (request && !has_sources)
        .then_some(Uncached { reason: "a REQUEST authorizer without identity sources", node: None })
}

/// A TTL that is 0, or absent where the default is no caching.
fn ttl<'t>(node: Option<NodeRef<'t>>, default: Option<i64>, reason: &'static str) -> Option<Uncached<'t>> {
    match node {
        Some(n) => (n.as_i64() == Some(0)).then_some(Uncached { reason, node: Some(n) }),
        None => default.is_none().then_some(Uncached { reason, node: None }),
    }
}
