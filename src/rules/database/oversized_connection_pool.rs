use crate::project::Project;
use crate::rules::code::{self, At, PoolLibrary, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::BinaryId;
use crate::source::canonical;
use crate::source::{CallFact, Callee};

/// Builder methods that consume a pool builder (a size set in their chain belongs to them).
const OPENERS: &[&str] =
    &["connect", "connect_with", "connect_lazy", "connect_lazy_with", "build", "build_unchecked", "create_pool"];

declare_rule! {
    /// ## What it does
    /// Flags a connection pool in a Lambda binary that lets one execution environment hold
    /// more than one connection. That is an explicit `max_connections(n)` (sqlx, SeaORM),
    /// `max_size(n)` (bb8, r2d2, deadpool) or `max_open(n)` (mobc) with n > 1, or a pool left
    /// at its library's default (10 for sqlx, SeaORM, bb8, r2d2 and mobc; 4 × the CPU cores
    /// for deadpool). Pools built once in `main` count as much as pools built per invocation.
    /// A binary that registers with `run_concurrent` (Lambda Managed Instances) is exempt: it
    /// serves several requests at once, so a larger pool is legitimate.
    ///
    /// ## Why is this bad?
    /// A classic Lambda execution environment handles one request at a time, so a pool rarely
    /// uses more than one connection, yet it may open them all (`min_idle`, bursts of
    /// concurrent queries) and hold them while the environment is frozen. The database sees
    /// pool size × concurrent environments: 10 connections each at a concurrency of 100 is
    /// 1,000 connections, beyond what most RDS instances accept.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let pool = PgPoolOptions::new().max_connections(10).connect(&url).await?;
    /// run(service_fn(|event| handle(&pool, event))).await
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// let pool = PgPoolOptions::new().max_connections(1).connect(&url).await?;
    /// run(service_fn(|event| handle(&pool, event))).await
    /// ```
    /// and cap the function's `ReservedConcurrentExecutions` to what the database (or its RDS
    /// Proxy) accepts.
    ///
    /// ## Known limitations
    /// A size read from a variable or configuration is not evaluated (the pool is then not
    /// reported), and a deadpool `PoolConfig` written as a struct literal is not seen (the
    /// pool is reported with the default size). A handler that runs several queries
    /// concurrently (`join!`) may legitimately use a few connections: suppress with a reason.
    pub struct OversizedConnectionPool {
        code: "SL403",
        name: "oversized-connection-pool",
        category: Database,
        severity: Warning,
    }
}

impl Rule for OversizedConnectionPool {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, binary) in BinaryId::enumerate(&project.source.binaries) {
            let lambda = binary.registration.is_some() || !code::deployments(project, index).is_empty();
            if !lambda || binary.registration.as_ref().is_some_and(|r| r.concurrent) {
                continue;
            }
            let calls = code::all_calls(binary);
            for call in &calls {
                if let Some((library, size)) = explicit_size(call) {
                    let Some(size) = size.filter(|&n| n > 1) else { continue };
                    let setting = format!("`{}({size})`", call.callee.name());
                    let message = message(project, index, call, library, &setting, Some(size));
                    code::report_call(cx, project, index, call, At::Method, message).help(HELP);
                    continue;
                }
                let Some(library) = code::db_open(call).and_then(|open| open.pool) else { continue };
                if library.size_methods().is_empty() || sized_in_chain(call, library) || sized_apart(&calls, library) {
                    continue;
                }
                let setting = match library.default_size() {
                    Some(n) => format!("the default size ({n})"),
                    None => "the default size (4 × the CPU cores)".to_string(),
                };
                let message = message(project, index, call, library, &setting, library.default_size());
                code::report_call(cx, project, index, call, At::Call, message).help(HELP);
            }
        }
    }
}

const HELP: &str = "an execution environment serves one request at a time: size the pool to 1 (`max_connections(1)`, `max_size(1)`) and cap `ReservedConcurrentExecutions` to what the database or its RDS Proxy accepts; use `run_concurrent` if the handler really serves requests concurrently";

/// `{chain} builds a sqlx pool with `max_connections(10)` for each execution environment of
/// `F`, which serves one request at a time: up to 200 connections at its reserved concurrency
/// of 20`.
fn message(
    project: &Project,
    index: BinaryId,
    call: &CallFact,
    library: PoolLibrary,
    setting: &str,
    size: Option<i64>,
) -> String {
    let deployments = code::deployments(project, index);
    let reserved: Option<i64> = if deployments.is_empty() {
        None
    } else {
        deployments.iter().map(|d| d.function.reserved_concurrency.value().filter(|&n| n > 0)).sum()
    };
    let worst = match (size, reserved) {
        (Some(size), Some(reserved)) => {
            let total = size.saturating_mul(reserved);
            format!("up to {total} connections at its reserved concurrency of {reserved}")
        }
        (Some(size), None) => format!("{size} connections × its concurrency in the worst case"),
        (None, _) => "the pool size × its concurrency in the worst case".to_string(),
    };
    format!(
        "{} builds {} pool with {setting} for each execution environment of {}, which serves one request at a time: {worst}",
        chain(call),
        library.with_article(),
        code::deployed_as(project, index)
    )
}

/// A pool size set by a builder method (`max_connections(10)`) or a `PoolConfig::new(16)`,
/// with its literal value when it has one.
fn explicit_size(call: &CallFact) -> Option<(PoolLibrary, Option<i64>)> {
    match &call.callee {
        Callee::Method { name, .. } => {
            let library = PoolLibrary::of_type(code::method_type(call)?)?;
            library.size_methods().contains(&name.as_str()).then(|| (library, call.literal_args.first().copied()))
        }
        Callee::Path(path) => {
            let (krate, rest) = canonical::split_first(path)?;
            (krate.starts_with("deadpool") && rest.ends_with("PoolConfig::new"))
                .then(|| (PoolLibrary::Deadpool, call.literal_args.first().copied()))
        }
        Callee::Macro(_) => None,
    }
}

/// The pool's own chain sets its size (`PgPoolOptions::new().max_connections(1).connect(..)`).
fn sized_in_chain(call: &CallFact, library: PoolLibrary) -> bool {
    library.size_methods().iter().any(|m| code::chain_calls(call, m))
}

/// The binary sets a size for this library outside a pool-building chain (a builder kept in
/// a variable, `cfg.pool = Some(PoolConfig::new(1))`, SeaORM's `opts.max_connections(1)`):
/// slint cannot tell which pool it belongs to, so it assumes it is this one.
fn sized_apart(calls: &[&CallFact], library: PoolLibrary) -> bool {
    calls.iter().any(|c| {
        explicit_size(c).is_some_and(|(l, _)| l == library)
            && !c.chain_args.iter().any(|(name, _)| OPENERS.contains(&name.as_str()))
    })
}
