use crate::files::FileId;
use crate::model::events::{EventKind, Trigger};
use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::BinaryId;
use crate::source::canonical;
use crate::source::{CallFact, Callee};
use crate::span::Span;

/// Crates whose calls do I/O of their own (databases, HTTP, email, search).
const IO_CRATES: &[&str] = &[
    "reqwest",
    "ureq",
    "hyper",
    "hyper_util",
    "surf",
    "isahc",
    "awc",
    "sqlx",
    "tokio_postgres",
    "postgres",
    "diesel",
    "diesel_async",
    "mysql",
    "mysql_async",
    "sea_orm",
    "tiberius",
    "redis",
    "mongodb",
    "bb8",
    "r2d2",
    "mobc",
    "rusqlite",
    "lettre",
    "elasticsearch",
    "opensearch",
];

/// Modules of `std` and `tokio` whose functions touch files, sockets or processes.
const IO_MODULES: &[&str] = &["fs", "net", "process"];

/// Methods of an SDK client that are not operations.
const NOT_OPERATIONS: &[&str] = &["clone", "config", "to_owned", "as_ref", "borrow", "deref"];

declare_rule! {
    /// ## What it does
    /// Flags a function behind API Gateway whose invoke path does nothing effectful but send
    /// the request to SQS. Behind API Gateway means a REST or HTTP API event of a template
    /// that deploys it, or, without a template, a handler that takes an API request. Its only
    /// I/O is `send_message` or `send_message_batch`: no other AWS SDK operation, database,
    /// HTTP, file or socket call. The finding is at the send.
    ///
    /// ## Why is this bad?
    /// API Gateway can write to SQS itself through a service integration. The function adds a
    /// cold start and its duration to every request, holds a unit of concurrency per
    /// in-flight request (so a traffic spike can be throttled before it reaches the queue the
    /// architecture put there to absorb it), and costs an invocation per message.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn submit(sqs: &aws_sdk_sqs::Client, request: Request) -> Result<Response<Body>, Error> {
    ///     let body = std::str::from_utf8(request.body())?;
    ///     sqs.send_message().queue_url(QUEUE_URL).message_body(body).send().await?;
    ///     Ok(Response::builder().status(202).body(Body::Empty)?)
    /// }
    /// ```
    ///
    /// Use instead: an HTTP API integration (or a REST API `x-amazon-apigateway-integration`
    /// of type `aws` to `arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/<queue>`).
    /// ```yaml
    /// SubmitIntegration:
    ///   Type: AWS::ApiGatewayV2::Integration
    ///   Properties:
    ///     ApiId: !Ref HttpApi
    ///     IntegrationType: AWS_PROXY
    ///     IntegrationSubtype: SQS-SendMessage
    ///     PayloadFormatVersion: "1.0"
    ///     CredentialsArn: !GetAtt ApiToSqsRole.Arn
    ///     RequestParameters:
    ///       QueueUrl: !Ref Submissions
    ///       MessageBody: $request.body
    /// ```
    ///
    /// ## Known limitations
    /// Validation, authorisation or transformation that API Gateway cannot express (request
    /// models and mapping templates cover the common cases) is a reason to keep the function:
    /// suppress with a reason. Sends in a loop (one request fanned out into several messages)
    /// are not reported. I/O through crates slint does not know, or through methods on values
    /// whose type it cannot see, is not counted.
    pub struct FunctionOnlyForwardsToSqs {
        code: "SL206",
        name: "function-only-forwards-to-sqs",
        category: Api,
        severity: Info,
    }
}

impl Rule for FunctionOnlyForwardsToSqs {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, binary) in BinaryId::enumerate(&project.source.binaries) {
            let calls: Vec<&CallFact> = binary.invoke_calls.iter().filter(|c| !c.guarded).collect();
            let mut sends = Vec::new();
            let mut other_effect = false;
            for call in &calls {
                match effect(call) {
                    Effect::Send if !call.in_loop => sends.push(*call),
                    Effect::Send | Effect::Other => other_effect = true,
                    Effect::None => {}
                }
            }
            let Some(send) = sends.first() else { continue };
            if other_effect {
                continue;
            }
            let Some(api) = api_trigger(project, index) else { continue };
            let operation = send.callee.name();
            let finding = code::report_call(
                cx,
                project,
                index,
                send,
                At::Method,
                format!(
                    "{} only forwards the request to SQS (`{operation}`) for {}; API Gateway can send it to the queue without a function",
                    chain(send),
                    api.description
                ),
            );
            finding.help(match api.kind {
                Some(EventKind::HttpApi) => "replace the function with an HTTP API integration: `AWS::ApiGatewayV2::Integration` with `IntegrationType: AWS_PROXY`, `IntegrationSubtype: SQS-SendMessage` and `RequestParameters` `QueueUrl`/`MessageBody`",
                Some(EventKind::Api) => "replace the function with a REST API service integration: `x-amazon-apigateway-integration` of type `aws` to `arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/<queue>` with an `Action=SendMessage` request template",
                _ => "if API Gateway invokes it, replace the function with a service integration: an HTTP API `SQS-SendMessage` integration, or a REST API `x-amazon-apigateway-integration` of type `aws` to `sqs:path/<account>/<queue>`",
            });
            if let Some((file, span)) = api.site {
                finding.related(file, span, "the API route it serves");
            }
        }
    }
}

enum Effect {
    /// An SQS `send_message`/`send_message_batch`.
    Send,
    /// Any other I/O.
    Other,
    None,
}

fn effect(call: &CallFact) -> Effect {
    if let Some((service, operation)) = code::sdk_operation(call) {
        return match (service, operation) {
            (_, op) if NOT_OPERATIONS.contains(&op) => Effect::None,
            ("aws_sdk_sqs", "send_message" | "send_message_batch") => Effect::Send,
            _ => Effect::Other,
        };
    }
    if code::db_open(call).is_some() {
        return Effect::Other;
    }
    let io_module = match &call.callee {
        Callee::Path(path) => {
            let mut segments = canonical::segments(path);
            matches!(segments.next(), Some("std" | "tokio"))
                && segments.next().is_some_and(|module| IO_MODULES.contains(&module))
        }
        _ => false,
    };
    let io_crate =
        code::call_crate(call).is_some_and(|krate| IO_CRATES.contains(&krate) || krate.starts_with("rusoto_"));
    if io_module || io_crate { Effect::Other } else { Effect::None }
}

/// The API Gateway trigger of a binary.
struct ApiTrigger {
    /// `the REST API event `Submit` (`SubmitFunction`)`, `its API caller (the handler takes
    /// `ApiGatewayProxyRequest`)`.
    description: String,
    kind: Option<EventKind>,
    site: Option<(FileId, Span)>,
}

/// The first synchronous REST or HTTP API event of a function deploying the binary, or,
/// without a template, an API Gateway (or `lambda_http`) payload.
fn api_trigger(project: &Project, index: BinaryId) -> Option<ApiTrigger> {
    let deployed = code::deployments(project, index);
    for d in &deployed {
        for &e in &d.function.events {
            let event = &d.template.events[e];
            if event.trigger == Trigger::Sync && matches!(event.kind, EventKind::Api | EventKind::HttpApi) {
                return Some(ApiTrigger {
                    description: format!("{} (`{}`)", event.describe(d.template), d.function.id),
                    kind: Some(event.kind),
                    site: Some((d.template.file, event.key_span)),
                });
            }
        }
    }
    if !deployed.is_empty() {
        return None;
    }
    let payload = project.source.binaries[index].payload_types.iter().find(|p| {
        p.starts_with("lambda_http::")
            || p.ends_with("ApiGatewayProxyRequest")
            || p.ends_with("ApiGatewayV2httpRequest")
    })?;
    let kind = if payload.ends_with("ApiGatewayProxyRequest") {
        Some(EventKind::Api)
    } else if payload.ends_with("ApiGatewayV2httpRequest") {
        Some(EventKind::HttpApi)
    } else {
        None
    };
    let short = if payload.starts_with("lambda_http::") { payload.as_str() } else { canonical::last(payload) };
    Some(ApiTrigger { description: format!("its HTTP caller (the handler takes `{short}`)"), kind, site: None })
}
