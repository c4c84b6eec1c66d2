use crate::model::Template;
use crate::model::events::{EventKind, EventSource, Trigger};
use crate::rules::{Context, Rule, declare_rule};

/// API Gateway's default REST integration timeout.
const REST_LIMIT_MS: i64 = 29_000;
/// HTTP API's maximum (and default) integration timeout.
const HTTP_LIMIT_MS: i64 = 30_000;

declare_rule! {
    /// ## What it does
    /// Flags a function behind API Gateway whose `Timeout` is longer than the API's
    /// integration timeout: 29 s for a REST API unless the integration's `TimeoutInMillis`
    /// raises it, 30 s for an HTTP API (or its lower `TimeoutInMillis`). The finding points
    /// at the `Timeout` that causes it, in the function or in the `Globals` it inherits from.
    ///
    /// ## Why is this bad?
    /// API Gateway stops waiting and returns `504 Gateway Timeout` to the client, but the
    /// function keeps running until its own timeout: the client retries while the first
    /// invocation still holds a concurrency slot (and any database connection), so slow
    /// periods multiply load exactly when the backend is struggling.
    ///
    /// ## Example
    /// ```yaml
    /// Globals:
    ///   Function:
    ///     Timeout: 60
    /// Resources:
    ///   Orders:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Events:
    ///         Get: { Type: Api, Properties: { Path: /orders, Method: get } }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Globals:
    ///   Function:
    ///     Timeout: 25
    /// ```
    ///
    /// ## Known limitations
    /// A function reached only through an OpenAPI definition or `AWS::ApiGatewayV2::Integration`
    /// of another stack is not seen. Routes made asynchronous with
    /// `X-Amz-Invocation-Type: 'Event'` are exempt: API Gateway does not wait for them.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html>
    pub struct TimeoutExceedsApiLimit {
        code: "SL202",
        name: "timeout-exceeds-api-limit",
        category: Api,
        severity: Error,
    }
}

impl Rule for TimeoutExceedsApiLimit {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for function in &template.functions {
            let (Some(timeout_s), Some(node)) = (function.timeout.value(), function.timeout.node()) else {
                continue;
            };
            let strictest = function
                .events
                .iter()
                .map(|&i| &template.events[i])
                .filter_map(|event| integration_limit_ms(event).map(|limit| (limit, event)))
                .min_by_key(|(limit, _)| *limit);
            let Some((limit_ms, event)) = strictest else { continue };
            if timeout_s * 1000 <= limit_ms {
                continue;
            }
            let help = match event.kind {
                EventKind::Api => format!(
                    "lower `Timeout` to {} s or less, or return early (202) and finish the work from a queue; \
                     a REST integration can wait longer only with `TimeoutInMillis` and a quota increase",
                    limit_ms / 1000
                ),
                _ => format!(
                    "lower `Timeout` to {} s or less, or return early (202) and finish the work from a queue",
                    limit_ms / 1000
                ),
            };
            cx.report(
                template.site(node),
                format!(
                    "function `{}` has a {timeout_s} s timeout but {} stops waiting after {}",
                    function.id,
                    event.describe(template),
                    seconds(limit_ms)
                ),
            )
            .resource(function.id.0.clone())
            .related(template.file, event.key_span, "the API integration that times out first")
            .help(help);
        }
    }
}

/// The integration timeout of a synchronous API route, in milliseconds.
fn integration_limit_ms(event: &EventSource) -> Option<i64> {
    if event.trigger != Trigger::Sync || event.route.is_none() {
        return None;
    }
    let default = match event.kind {
        EventKind::Api | EventKind::WebSocket => REST_LIMIT_MS,
        EventKind::HttpApi => HTTP_LIMIT_MS,
        _ => return None,
    };
    Some(event.integration_timeout_ms.value().filter(|ms| *ms > 0).unwrap_or(default))
}

fn seconds(ms: i64) -> String {
    if ms % 1000 == 0 { format!("{} s", ms / 1000) } else { format!("{:.1} s", ms as f64 / 1000.0) }
}
