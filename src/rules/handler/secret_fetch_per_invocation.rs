use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::canonical;
use crate::source::{CallFact, Callee, Package};

declare_rule! {
    /// ## What it does
    /// Flags a read of Secrets Manager, SSM Parameter Store or AppConfig on the invoke path:
    /// `get_secret_value`/`batch_get_secret_value` (`aws_sdk_secretsmanager`, rusoto),
    /// `get_parameter`/`get_parameters`/`get_parameters_by_path` (`aws_sdk_ssm`, rusoto) and
    /// `start_configuration_session`/`get_latest_configuration` (`aws_sdk_appconfigdata`), in
    /// the handler or in anything it calls, outside a once-initialiser. Reads through a caching
    /// client (`aws_secretsmanager_caching::SecretsManagerCachingClient`,
    /// `aws_secretsmanager_cache::SecretCache`) are not reported.
    ///
    /// ## Why is this bad?
    /// Configuration and secrets rarely change between two invocations, but each read is a
    /// network round trip (tens of milliseconds) paid on every request, and it counts against
    /// the service's API quota: Secrets Manager's `GetSecretValue` and Parameter Store's
    /// standard throughput are limited per account and Region, so a traffic spike turns into
    /// throttling errors (`ThrottlingException`, `Rate exceeded`) in every function that reads
    /// per invocation.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn handler(sm: &aws_sdk_secretsmanager::Client, event: LambdaEvent<Value>) -> Result<Value, Error> {
    ///     let secret = sm.get_secret_value().secret_id("db-password").send().await?;
    ///     connect(secret.secret_string().unwrap_or_default()).await
    /// }
    /// ```
    ///
    /// Use instead: read it once per execution environment, in `main` or a once-initialiser,
    /// ```rust,ignore
    /// static PASSWORD: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    ///
    /// let password = PASSWORD
    ///     .get_or_try_init(|| async {
    ///         let secret = sm.get_secret_value().secret_id("db-password").send().await?;
    ///         Ok::<_, Error>(secret.secret_string().unwrap_or_default().to_string())
    ///     })
    ///     .await?;
    /// ```
    /// or, when the value rotates, a caching client with a TTL
    /// (`aws_secretsmanager_caching::SecretsManagerCachingClient`) or the AWS Parameters and
    /// Secrets Lambda Extension (`http://localhost:2773`, cached in the execution environment).
    ///
    /// ## Known limitations
    /// A hand-written cache (a `Mutex<HashMap>` with an expiry around the SDK call) is not
    /// recognised: suppress with a reason. When slint cannot tell the receiver's type, a call
    /// counts only if its chain names the SDK's request field (`.secret_id(..)`, `.name(..)`,
    /// `.path(..)`, ..), the crate depends on the service's SDK crate and, for Secrets Manager,
    /// on no caching crate.
    pub struct SecretFetchPerInvocation {
        code: "SL503",
        name: "secret-fetch-per-invocation",
        category: Handler,
        severity: Warning,
    }
}

impl Rule for SecretFetchPerInvocation {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, binary, call) in code::invoke_calls(project) {
            let package = &project.source.packages[binary.package];
            let Some((what, operation)) = secret_read(call, package) else { continue };
            let looped = code::in_loop(call);
            code::report_call(
                cx,
                project,
                index,
                call,
                At::Method,
                format!("{} {what} (`{operation}`){looped} on every invocation", chain(call)),
            )
            .help("read it once (in `main` or a `OnceCell`/`LazyLock` initialiser), or through a caching client or the Parameters and Secrets extension when it rotates");
        }
    }
}

/// `(what it does, operation)` of a secret or configuration read.
fn secret_read<'c>(call: &'c CallFact, package: &Package) -> Option<(&'static str, &'c str)> {
    if let Some((service, operation)) = code::sdk_operation(call) {
        return store(service, operation).map(|s| (s, operation));
    }
    let Callee::Method { name, receiver_type, chain_root, .. } = &call.callee else { return None };
    // rusoto clients: `SecretsManagerClient::get_secret_value(request)`.
    let rusoto = receiver_type
        .as_deref()
        .or_else(|| chain_root.as_deref().and_then(|r| canonical::split_last(r).map(|(t, _)| t)));
    if let Some(krate) = rusoto.map(canonical::first).filter(|k| k.starts_with("rusoto_")) {
        let service = krate.replace("rusoto_", "aws_sdk_");
        return store(&service, name).map(|s| (s, name.as_str()));
    }
    if receiver_type.is_some() {
        return None;
    }
    // Unknown receiver: the SDK's fluent builder shows in the chain.
    let (service, field) = match name.as_str() {
        "get_secret_value" | "batch_get_secret_value" => ("aws_sdk_secretsmanager", "secret_id"),
        "get_parameter" | "get_parameters" => ("aws_sdk_ssm", if name == "get_parameter" { "name" } else { "names" }),
        "get_parameters_by_path" => ("aws_sdk_ssm", "path"),
        "get_latest_configuration" => ("aws_sdk_appconfigdata", "configuration_token"),
        "start_configuration_session" => ("aws_sdk_appconfigdata", "application_identifier"),
        _ => return None,
    };
    let depends = |krate: &str| package.dependencies.iter().any(|d| d.crate_name() == krate);
    let cached = service == "aws_sdk_secretsmanager"
        && (depends("aws_secretsmanager_caching") || depends("aws_secretsmanager_cache"));
    let batch = name == "batch_get_secret_value" && code::chain_calls(call, "secret_id_list");
    let fluent = code::chain_calls(call, field) || batch;
    if !fluent || !depends(service) || cached {
        return None;
    }
    store(service, name).map(|s| (s, name.as_str()))
}

/// What the operation does, for messages.
fn store(service: &str, operation: &str) -> Option<&'static str> {
    match (service, operation) {
        ("aws_sdk_secretsmanager", "get_secret_value" | "batch_get_secret_value") => {
            Some("reads a secret from Secrets Manager")
        }
        ("aws_sdk_ssm", "get_parameter" | "get_parameters" | "get_parameters_by_path") => Some("reads Parameter Store"),
        ("aws_sdk_appconfigdata", "get_latest_configuration") => Some("fetches AppConfig configuration"),
        ("aws_sdk_appconfigdata", "start_configuration_session") => Some("starts an AppConfig configuration session"),
        _ => None,
    }
}
