//! Queries shared by the rules over Rust code: which template functions deploy a binary, how
//! they are triggered, what a call is, and how a finding in code is reported (at the call,
//! with the handler chain, and the deploying template function as a related location).

use crate::diagnostic::{Finding, Site};
use crate::files::FileId;
use crate::link::FunctionLink;
use crate::model::Template;
use crate::model::events::{EventKind, Trigger};
use crate::model::function::Function;
use crate::project::Project;
use crate::rules::Context;
use crate::source::{Binary, CallFact, Callee};
use crate::span::Span;

/// A template function that deploys a binary.
pub struct Deployment<'p> {
    pub template: &'p Template,
    pub function: &'p Function,
    pub link: &'p FunctionLink,
}

/// The template functions that deploy binary `index`.
pub fn deployments(project: &Project, index: usize) -> Vec<Deployment<'_>> {
    project
        .links
        .iter()
        .filter(|l| l.binary.as_ref().is_ok_and(|b| *b == index))
        .map(|link| {
            let template = &project.templates[link.template];
            Deployment { template, function: &template.functions[link.function], link }
        })
        .collect()
}

/// Why slint believes callers wait for a binary's invocations.
pub struct SyncEvidence {
    /// Who waits: `the caller of the REST API event `Create` (`CreateOrderFunction`)`, `its HTTP
    /// caller (the handler takes `lambda_http::Request`)`.
    pub description: String,
    /// The event in the template, when the evidence is there.
    pub site: Option<(FileId, Span)>,
}

/// The first synchronous trigger of a binary: a synchronous event of a deploying function
/// (API routes made asynchronous with `X-Amz-Invocation-Type: 'Event'` do not count), or,
/// without a template, a handler payload only synchronous callers send.
pub fn sync_trigger(project: &Project, index: usize) -> Option<SyncEvidence> {
    let deployed = deployments(project, index);
    for d in &deployed {
        for &e in &d.function.events {
            let event = &d.template.events[e];
            if event.trigger == Trigger::Sync && event.kind != EventKind::Authorizer {
                return Some(SyncEvidence {
                    description: format!("the caller of {} (`{}`)", event.describe(d.template), d.function.id),
                    site: Some((d.template.file, event.key_span)),
                });
            }
        }
    }
    if !deployed.is_empty() {
        return None;
    }
    let binary = &project.source.binaries[index];
    binary.payload_types.iter().find(|p| is_sync_payload(p)).map(|p| SyncEvidence {
        description: format!("its HTTP caller (the handler takes `{}`)", short_type(p)),
        site: None,
    })
}

/// Event types only synchronous callers (API Gateway, ALB, function URLs) send.
fn is_sync_payload(type_name: &str) -> bool {
    const SYNC: &[&str] = &[
        "lambda_http::Request",
        "ApiGatewayProxyRequest",
        "ApiGatewayV2httpRequest",
        "ApiGatewayWebsocketProxyRequest",
        "AlbTargetGroupRequest",
        "LambdaFunctionUrlRequest",
        "http::Request",
    ];
    SYNC.iter().any(|s| type_name.ends_with(s) || type_name.starts_with("lambda_http::"))
}

fn short_type(type_name: &str) -> &str {
    if type_name.starts_with("lambda_http::") {
        return type_name;
    }
    type_name.rsplit("::").next().unwrap_or(type_name)
}

/// The canonical path of a function call (`aws_sdk_s3::Client::new`), if it is one.
pub fn path(call: &CallFact) -> Option<&str> {
    match &call.callee {
        Callee::Path(p) => Some(p),
        _ => None,
    }
}

/// `(service crate, operation)` of an AWS SDK client method call: `("aws_sdk_sesv2",
/// "send_email")`. Known from the receiver's declared type or the chain's first call.
pub fn sdk_operation(call: &CallFact) -> Option<(&str, &str)> {
    let Callee::Method { name, receiver_type, chain_root, .. } = &call.callee else { return None };
    let client = receiver_type
        .as_deref()
        .filter(|t| t.ends_with("::Client"))
        .or_else(|| chain_root.as_deref().and_then(|r| r.strip_suffix(&format!("::{name}"))));
    let krate = client?.split("::").next()?;
    krate.starts_with("aws_sdk_").then_some((krate, name.as_str()))
}

/// Whether a method call's chain (its own name or a sibling's) calls `method`.
pub fn chain_calls(call: &CallFact, method: &str) -> bool {
    call.chain_args.iter().any(|(name, _)| name == method)
}

/// The handler chain of a call for messages: `create_order → send_receipt`, with the closure
/// handed to the runtime named as such.
pub fn chain(call: &CallFact) -> String {
    let names: Vec<String> = call
        .via
        .iter()
        .map(|n| if n.ends_with("{closure}") { "the handler closure".to_string() } else { format!("`{n}`") })
        .collect();
    names.join(" → ")
}

/// Reports a finding at a call in a binary, naming the handler chain, with every deploying
/// template function as a related location and the first as the finding's resource.
pub fn report_call<'c>(
    cx: &'c mut Context<'_>,
    project: &Project,
    binary: usize,
    call: &CallFact,
    at_method: bool,
    message: String,
) -> &'c mut Finding {
    let span = if at_method { call.method_span } else { call.span };
    let finding = cx.report(Site::new(call.file, span), message);
    relate_deployments(finding, project, binary);
    finding
}

/// Adds the deploying template functions to a finding in code.
pub fn relate_deployments(finding: &mut Finding, project: &Project, binary: usize) {
    for d in deployments(project, binary) {
        let resource = d.function.resource(d.template);
        if finding.resource.is_none() {
            finding.resource(d.function.id.0.clone());
        }
        finding.related(d.template.file, resource.id_span, format!("deployed by function `{}`", d.function.id));
    }
}

/// The invoke-path calls of every binary, with the binary's index.
pub fn invoke_calls(project: &Project) -> impl Iterator<Item = (usize, &Binary, &CallFact)> {
    project
        .source
        .binaries
        .iter()
        .enumerate()
        .flat_map(|(i, b)| b.invoke_calls.iter().filter(|c| !c.guarded).map(move |c| (i, b, c)))
}

/// A blocking call, for rules about async code: what it does and the async alternative.
/// (The standard library's file API is spelled out here because rule files may not name it:
/// tests/conventions.rs keeps rules from reading files.)
pub struct Blocking {
    /// `sleeps (`std::thread::sleep`)`.
    pub what: String,
    pub instead: &'static str,
}

/// `ureq::get(url)` and friends: free functions that start a request.
const UREQ_REQUESTS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "request", "request_url"];

/// Whether `call` blocks its thread: `std::thread::sleep`, `std::fs` file I/O, stdin, blocking
/// TCP, `reqwest::blocking`, `ureq` requests, the synchronous `postgres` client.
pub fn blocking_call(call: &CallFact) -> Option<Blocking> {
    let blocking = |what: String, instead| Some(Blocking { what, instead });
    match &call.callee {
        Callee::Path(path) => {
            let segments: Vec<&str> = path.split("::").collect();
            match segments.as_slice() {
                ["std", "thread", "sleep"] => {
                    blocking(format!("sleeps (`{path}`)"), "await `tokio::time::sleep` instead")
                }
                [
                    "std",
                    "fs",
                    "read" | "read_to_string" | "write" | "copy" | "read_dir" | "remove_file" | "create_dir_all",
                ]
                | ["std", "fs", "File", "open" | "create"] => blocking(
                    format!("does blocking file I/O (`{path}`)"),
                    "use `tokio::fs`, or move the work into `tokio::task::spawn_blocking`",
                ),
                ["std", "io", "stdin"] => blocking(format!("reads stdin (`{path}`)"), "use `tokio::io::stdin`"),
                ["std", "net", "TcpStream", "connect" | "connect_timeout"] => {
                    blocking(format!("opens a blocking TCP connection (`{path}`)"), "use `tokio::net::TcpStream`")
                }
                ["reqwest", "blocking", "get"] => {
                    blocking(format!("makes a blocking HTTP request (`{path}`)"), "use the async `reqwest::Client`")
                }
                ["ureq", request] if UREQ_REQUESTS.contains(request) => blocking(
                    format!("makes a blocking HTTP request (`{path}`)"),
                    "use an async client (`reqwest::Client`)",
                ),
                ["postgres", "Client", ..] => blocking(
                    format!("uses the blocking Postgres client (`{path}`)"),
                    "use `tokio_postgres` or `sqlx`, or move the work into `tokio::task::spawn_blocking`",
                ),
                _ => None,
            }
        }
        Callee::Method { name, receiver_type, chain_root, .. } => {
            let name = name.as_str();
            let ty = receiver_type.as_deref().unwrap_or("");
            let root = chain_root.as_deref().unwrap_or("");
            let from = |prefix: &str| ty.starts_with(prefix) || root.starts_with(prefix);
            if name == "send" && from("reqwest::blocking::") {
                return blocking(
                    format!("makes a blocking HTTP request (`.{name}()` of a `reqwest::blocking` client)"),
                    "use the async `reqwest::Client`",
                );
            }
            let ureq_call = matches!(
                name,
                "call" | "send" | "send_json" | "send_string" | "send_form" | "send_bytes" | "send_empty"
            );
            // `ureq::get(..)` itself is reported; an agent's requests are reported where sent.
            let agent = root.strip_prefix("ureq::").is_some_and(|rest| !UREQ_REQUESTS.contains(&rest));
            if ureq_call && agent {
                return blocking(
                    format!("makes a blocking HTTP request (`.{name}()` of a `ureq` agent)"),
                    "use an async client (`reqwest::Client`)",
                );
            }
            if matches!(ty, "postgres::Client" | "postgres::Transaction") {
                return blocking(
                    format!("uses the blocking Postgres client (`{ty}::{name}`)"),
                    "use `tokio_postgres` or `sqlx`, or move the work into `tokio::task::spawn_blocking`",
                );
            }
            if name == "open" && root == "std::fs::OpenOptions::new" {
                return blocking(
                    "does blocking file I/O (`std::fs::OpenOptions::open`)".to_string(),
                    "use `tokio::fs`, or move the work into `tokio::task::spawn_blocking`",
                );
            }
            None
        }
        Callee::Macro(_) => None,
    }
}
