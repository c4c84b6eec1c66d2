use crate::project::Project;
use crate::rules::code;
use crate::rules::{Context, Rule, declare_rule};
use crate::source::{CallFact, Callee};

declare_rule! {
    /// ## What it does
    /// Flags a slow downstream call on the invoke path of a function that callers wait for:
    /// sending email through SES or SESv2, publishing to SNS, calling a third-party HTTP API
    /// (`reqwest`, `ureq`), invoking another Lambda synchronously, long AWS calls (Bedrock,
    /// SageMaker, synchronous Step Functions), and sleeping. The function counts as synchronous
    /// when a template deploys it behind API Gateway, a function URL, a load balancer, Cognito
    /// or AppSync, or, without a template, when its handler takes an HTTP request. API routes
    /// made asynchronous by `X-Amz-Invocation-Type: 'Event'` and queue workers are exempt.
    ///
    /// ## Why is this bad?
    /// The caller waits for the slowest dependency: an email provider's latency, a third-party
    /// API's outage, or a retry loop becomes the API's latency and timeout. Each waiting
    /// request holds a concurrency slot the whole time, so a slow downstream multiplies the
    /// function's concurrency and can exhaust the account's.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn create_order(req: Request) -> Result<Response<Body>, Error> {
    ///     save(&order).await?;
    ///     ses.send_email().destination(to).content(receipt).send().await?; // the caller waits
    ///     Ok(Response::new(Body::Empty))
    /// }
    /// ```
    ///
    /// Use instead: enqueue the slow work and return; a queue worker does it.
    /// ```rust,ignore
    ///     sqs.send_message().queue_url(&queue).message_body(json).send().await?;
    ///     Ok(Response::builder().status(202).body(Body::Empty)?)
    /// ```
    ///
    /// ## Known limitations
    /// HTTP calls to your own services look like third-party calls; calls to `localhost`
    /// (extensions, sidecars) are not reported when the URL is a literal or a `format!`. Whether an SDK call is
    /// slow depends on the operation; only the operations listed above are flagged.
    pub struct SlowCallOnSyncPath {
        code: "SL502",
        name: "slow-call-on-sync-path",
        category: Handler,
        severity: Warning,
    }
}

impl Rule for SlowCallOnSyncPath {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, _, call) in code::invoke_calls(project) {
            let Some(what) = slow_call(call) else { continue };
            if let Some(finding) = code::report_on_sync_path(cx, project, index, call, what) {
                finding.help("move the slow work behind a queue (send an SQS message and return 202; a worker does the rest), or invoke it asynchronously");
            }
        }
    }
}

/// Calls to a process on the same host (a Lambda extension such as the Parameters and
/// Secrets extension on `localhost:2773`, a sidecar) are not third-party calls.
fn is_local(call: &CallFact) -> bool {
    call.chain_strings.iter().any(|s| {
        let url = s.trim_start_matches("http://").trim_start_matches("https://");
        url.starts_with("localhost") || url.starts_with("127.0.0.1") || url.starts_with("[::1]")
    })
}

/// A description of the slow call, if `call` is one.
fn slow_call(call: &CallFact) -> Option<&'static str> {
    if let Some((service, operation)) = code::sdk_operation(call) {
        return match (service, operation) {
            ("aws_sdk_ses" | "aws_sdk_sesv2", op) if op.starts_with("send_") => Some("sends an email through SES"),
            ("aws_sdk_sns", "publish" | "publish_batch") => Some("publishes to SNS"),
            ("aws_sdk_pinpoint", "send_messages") | ("aws_sdk_pinpointsmsvoicev2", "send_text_message") => {
                Some("sends a message through Pinpoint")
            }
            ("aws_sdk_lambda", "invoke") if !code::chain_calls(call, "invocation_type") => {
                Some("invokes another Lambda function and waits for it")
            }
            (
                "aws_sdk_bedrockruntime",
                "invoke_model" | "converse" | "converse_stream" | "invoke_model_with_response_stream",
            ) => Some("calls a Bedrock model"),
            ("aws_sdk_sagemakerruntime", "invoke_endpoint") => Some("calls a SageMaker endpoint"),
            ("aws_sdk_sfn", "start_sync_execution") => Some("runs a Step Functions execution synchronously"),
            _ => None,
        };
    }
    if is_local(call) {
        return None;
    }
    match &call.callee {
        Callee::Path(path) => match path.as_str() {
            "reqwest::get" | "reqwest::blocking::get" => Some("calls an HTTP API"),
            "ureq::get" | "ureq::post" | "ureq::put" | "ureq::delete" | "ureq::request" => Some("calls an HTTP API"),
            "tokio::time::sleep" | "std::thread::sleep" => Some("sleeps"),
            _ => None,
        },
        Callee::Method { name, chain_root, receiver_type, .. } => {
            let http_client = |t: &str| t.starts_with("reqwest::") || t.starts_with("ureq::");
            let from_http_client =
                chain_root.as_deref().is_some_and(http_client) || receiver_type.as_deref().is_some_and(http_client);
            (name == "send" && from_http_client).then_some("calls an HTTP API")
        }
        Callee::Macro(_) => None,
    }
}
