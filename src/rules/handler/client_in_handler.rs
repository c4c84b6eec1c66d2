use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::CallFact;
use crate::source::canonical;

declare_rule! {
    /// ## What it does
    /// Flags an AWS SDK config or client, an HTTP client, or a cache/database client built on
    /// the invoke path: in the handler or in anything it calls, outside a once-initialiser.
    /// Covered: `aws_config::load_defaults`/`load_from_env`/`defaults(..)`/`from_env()`,
    /// every `aws_sdk_*::Client::new`/`from_conf`, rusoto `*Client::new`, `reqwest::Client::new`
    /// / `builder()` and `reqwest::get` (which builds a client per call), `ureq::get`/`post`/`put`
    /// and the other `ureq` request functions (an agent per call), hyper, ureq, surf and
    /// isahc clients, `redis::Client::open`, `mongodb::Client::with_uri_str`/`with_options`.
    ///
    /// ## Why is this bad?
    /// Building a client resolves credentials (environment, files, IMDS), loads TLS roots and
    /// opens fresh connections: tens to hundreds of milliseconds, paid on every invocation
    /// instead of once per execution environment. Under load that latency becomes
    /// concurrency: the same traffic needs more concurrent executions, and every invocation
    /// re-does DNS and TLS against the service.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn handler(event: LambdaEvent<Value>) -> Result<(), Error> {
    ///     let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    ///     let s3 = aws_sdk_s3::Client::new(&config);
    ///     s3.put_object().bucket("b").key("k").send().await?;
    ///     Ok(())
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// #[tokio::main]
    /// async fn main() -> Result<(), Error> {
    ///     let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    ///     let s3 = aws_sdk_s3::Client::new(&config);
    ///     run(service_fn(|event| handler(&s3, event))).await
    /// }
    /// ```
    /// or a `static CLIENT: OnceLock<Client>` initialised with `get_or_init`. SDK clients are
    /// cheap to clone (one reference count).
    ///
    /// ## Known limitations
    /// Code that only a macro writes (a `macro_rules!` body, a procedural macro) is not seen,
    /// and a method on a value whose type slint cannot see is followed only by name and arity
    /// (see the README's "Rust code"). A client that must differ per request
    /// (an API Gateway management client for the caller's endpoint) is a legitimate case:
    /// build it from a shared `SdkConfig` and suppress with a reason.
    pub struct ClientInHandler {
        code: "SL501",
        name: "client-in-handler",
        category: Handler,
        severity: Warning,
    }
}

impl Rule for ClientInHandler {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, _, call) in code::invoke_calls(project) {
            let Some((what, path)) = client_construction(call) else { continue };
            let looped = code::in_loop(call);
            code::report_call(
                cx,
                project,
                index,
                call,
                At::Call,
                format!("`{path}` builds {what}{looped} on every invocation ({})", chain(call)),
            )
            .help("build it once in `main` (or in a `OnceLock`/`LazyLock`) and pass it to the handler; clients are cheap to clone");
        }
    }
}

/// What a call constructs, if it is a client constructor: `("an AWS SDK client", path)`.
fn client_construction(call: &CallFact) -> Option<(&'static str, &str)> {
    let path = code::path(call)?;
    let segments: Vec<&str> = canonical::segments(path).collect();
    let what = match segments.as_slice() {
        ["aws_config", "load_defaults" | "load_from_env" | "from_env" | "defaults"] => "an AWS SDK configuration",
        ["aws_config", "ConfigLoader", "default"] => "an AWS SDK configuration",
        [krate, .., "Client", "new" | "from_conf" | "from_env"] if krate.starts_with("aws_sdk_") => "an AWS SDK client",
        [krate, .., client, "new" | "new_with"] if krate.starts_with("rusoto_") && client.ends_with("Client") => {
            "a rusoto client"
        }
        ["rusoto_core", "HttpClient", "new"] => "a rusoto HTTP client",
        ["reqwest", "Client" | "ClientBuilder", "new" | "builder"] => "an HTTP client",
        ["reqwest", "get"] => "an HTTP client (`reqwest::get` makes a new one per call)",
        ["reqwest", "blocking", "Client", "new" | "builder"] | ["reqwest", "blocking", "get"] => {
            "a blocking HTTP client"
        }
        ["hyper", "Client", "new" | "builder"] | ["hyper_util", "client", "legacy", "Client", "builder"] => {
            "an HTTP client"
        }
        ["ureq", "agent" | "AgentBuilder"] | ["surf", "Client", "new"] | ["isahc", "HttpClient", "new"] => {
            "an HTTP client"
        }
        ["ureq", "get" | "post" | "put" | "delete" | "patch" | "head" | "request" | "request_url"] => {
            "an HTTP agent (`ureq::get` and the other request functions make a new one per call)"
        }
        ["awc", "Client", "new" | "default"] => "an HTTP client",
        ["redis", "Client", "open"] => "a Redis client",
        ["mongodb", "Client", "with_uri_str" | "with_options"] => "a MongoDB client",
        _ => return None,
    };
    Some((what, path))
}
