//! Queries shared by the rules over Rust code: which template functions deploy a binary, how
//! they are triggered, what a call is, and how a finding in code is reported (at the call,
//! with the handler chain, and the deploying template function as a related location).

use crate::diagnostic::{Finding, Site};
use crate::files::FileId;
use crate::link::FunctionLink;
use crate::model::Template;
use crate::model::events::Trigger;
use crate::model::function::Function;
use crate::project::Project;
use crate::rules::Context;
use crate::source::canonical;
use crate::source::{Binary, BinaryId, CallFact, Callee, Receiver};
use crate::span::Span;

/// A template function that deploys a binary.
pub struct Deployment<'p> {
    pub template: &'p Template,
    pub function: &'p Function,
    pub link: &'p FunctionLink,
}

/// The template functions that deploy binary `index`.
pub fn deployments(project: &Project, index: BinaryId) -> Vec<Deployment<'_>> {
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
    /// Who waits, as the end of a sentence: `the caller of the REST API event `Create`
    /// (`CreateOrderFunction`) waits`, `callers of `Api` (its 3 synchronous triggers) wait`,
    /// `its HTTP caller (the handler takes `lambda_http::Request`) waits`.
    pub description: String,
    /// The (first) event in the template, when the evidence is there.
    pub site: Option<(FileId, Span)>,
}

/// The synchronous triggers of a binary: the synchronous events of its deploying functions
/// (API routes made asynchronous with `X-Amz-Invocation-Type: 'Event'` do not count; an API
/// authorizer does: the request waits for it), or, without a template, a handler payload only
/// synchronous callers send.
pub fn sync_trigger(project: &Project, index: BinaryId) -> Option<SyncEvidence> {
    let deployed = deployments(project, index);
    for d in &deployed {
        let sync: Vec<&crate::model::events::EventSource> =
            d.function.events.iter().map(|&e| &d.template.events[e]).filter(|e| e.trigger == Trigger::Sync).collect();
        let Some(first) = sync.first() else { continue };
        // A function with several routes (a router, manual dispatch) cannot say which route
        // reaches the call, so it is described as a whole.
        let description = match sync.len() {
            1 => format!("the caller of {} (`{}`) waits", first.describe(d.template), d.function.id),
            n => format!("callers of `{}` (its {n} synchronous triggers) wait", d.function.id),
        };
        return Some(SyncEvidence { description, site: Some((d.template.file, first.key_span)) });
    }
    if !deployed.is_empty() {
        return None;
    }
    let binary = &project.source.binaries[index];
    binary.payload_types.iter().find(|p| is_sync_payload(p)).map(|p| SyncEvidence {
        description: format!("its HTTP caller (the handler takes `{}`) waits", short_type(p)),
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
    // An authorizer's request: the API request waits for its answer.
    let authorizer = type_name.contains("CustomAuthorizer") && type_name.ends_with("Request");
    authorizer || SYNC.iter().any(|s| type_name.ends_with(s) || type_name.starts_with("lambda_http::"))
}

fn short_type(type_name: &str) -> &str {
    if type_name.starts_with("lambda_http::") {
        return type_name;
    }
    canonical::last(type_name)
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
        .or_else(|| chain_root.as_deref().and_then(|r| r.strip_suffix(name.as_str())?.strip_suffix("::")));
    let krate = canonical::first(client?);
    krate.starts_with("aws_sdk_").then_some((krate, name.as_str()))
}

/// Whether a method call's chain (its own name or a sibling's) calls `method`.
pub fn chain_calls(call: &CallFact, method: &str) -> bool {
    call.chain_args.iter().any(|(name, _)| name == method)
}

/// `, in a loop,` for a call made inside a loop on the invoke path (it then happens many times
/// per invocation), to put before "on every invocation".
pub fn in_loop(call: &CallFact) -> &'static str {
    if call.in_loop { ", in a loop," } else { "" }
}

/// The handler chain of a call for messages: `create_order → send_receipt`, with the closure
/// handed to the runtime named as such.
pub fn chain(call: &CallFact) -> String {
    let names: Vec<String> = call
        .via
        .iter()
        .map(|n| {
            if n.ends_with("{closure}") {
                "the handler closure".to_string()
            } else if is_route_label(n) {
                n.clone()
            } else {
                format!("`{n}`")
            }
        })
        .collect();
    names.join(" → ")
}

/// A route at the head of a chain (`POST /orders`): a method, a space and a path; function
/// names never hold a space.
fn is_route_label(name: &str) -> bool {
    name.split_once(' ')
        .is_some_and(|(method, path)| method.chars().all(|c| c.is_ascii_uppercase()) && !path.is_empty())
}

/// Where a finding on a call points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// The whole call expression (`Client::new(&config)`): the construction is the problem.
    Call,
    /// The method name of a method call (`.send()`): the operation is the problem.
    Method,
}

/// Reports a finding at a call in a binary, naming the handler chain, with every deploying
/// template function as a related location and the first as the finding's resource.
pub fn report_call<'c>(
    cx: &'c mut Context<'_>,
    project: &Project,
    binary: BinaryId,
    call: &CallFact,
    at: At,
    message: String,
) -> &'c mut Finding {
    let span = match at {
        At::Call => call.span,
        At::Method => call.method_span,
    };
    let finding = cx.report(Site::new(call.file, span), message);
    relate_deployments(finding, project, binary);
    finding
}

/// Reports a call on the invoke path of a binary that callers wait for (`{chain} {what}
/// while {who waits}`), with the trigger as a related location. Nothing when no caller waits.
pub fn report_on_sync_path<'c>(
    cx: &'c mut Context<'_>,
    project: &Project,
    binary: BinaryId,
    call: &CallFact,
    what: &str,
) -> Option<&'c mut Finding> {
    let sync = sync_trigger(project, binary)?;
    let message = format!("{} {what} while {}", chain(call), sync.description);
    let finding = report_call(cx, project, binary, call, At::Method, message);
    if let Some((file, span)) = sync.site {
        finding.related(file, span, "callers wait on this trigger");
    }
    Some(finding)
}

/// Adds the deploying template functions to a finding in code.
pub fn relate_deployments(finding: &mut Finding, project: &Project, binary: BinaryId) {
    for d in deployments(project, binary) {
        let resource = d.function.resource(d.template);
        if finding.resource.is_none() {
            finding.resource(d.function.id.0.clone());
        }
        finding.related(d.template.file, resource.id_span, format!("deployed by function `{}`", d.function.id));
    }
}

/// The invoke-path calls of every binary, with the binary's index.
pub fn invoke_calls(project: &Project) -> impl Iterator<Item = (BinaryId, &Binary, &CallFact)> {
    BinaryId::enumerate(&project.source.binaries)
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
/// TCP, `reqwest::blocking`, `ureq` requests, the synchronous `postgres` client, a connection
/// from an `r2d2` pool.
pub fn blocking_call(call: &CallFact) -> Option<Blocking> {
    let blocking = |what: String, instead| Some(Blocking { what, instead });
    match &call.callee {
        Callee::Path(path) => {
            let segments: Vec<&str> = canonical::segments(path).collect();
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
        Callee::Method { name, receiver_type, chain_root, receiver } => {
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
            // r2d2 (also as diesel's re-export) hands out connections by blocking the thread
            // until one is free; the diesel queries on it block too.
            // `POOL.get()` on a `static POOL: OnceLock<Pool>` is the cell's `get`, not the pool's.
            let on_static = matches!(receiver, Receiver::Path(p) if p.chars().any(|c| c.is_ascii_uppercase()) && !p.chars().any(|c| c.is_ascii_lowercase()));
            if matches!(name, "get" | "get_timeout") && !on_static && (from("r2d2::Pool") || from("diesel::r2d2::Pool"))
            {
                return blocking(
                    format!("waits for a pooled connection (`r2d2::Pool::{name}` blocks the thread)"),
                    "use an async pool (`deadpool`, `bb8`, `sqlx`), or move the query into `tokio::task::spawn_blocking`",
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

/// The template functions that deploy binary `index`, for messages: `` `Orders` ``,
/// `` `Orders` and `Refunds` ``, or, without a template, `` binary `orders` ``.
pub fn deployed_as(project: &Project, index: BinaryId) -> String {
    let mut names: Vec<String> = deployments(project, index).iter().map(|d| format!("`{}`", d.function.id)).collect();
    names.dedup();
    match names.as_slice() {
        [] => format!("binary `{}`", project.source.binaries[index].name),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The type a method is called on: its receiver's declared type, or the type of the first call
/// of its chain (`sqlx::postgres::PgPoolOptions` for
/// `PgPoolOptions::new().max_connections(1).connect(url)`).
pub fn method_type(call: &CallFact) -> Option<&str> {
    let Callee::Method { receiver_type, chain_root, .. } = &call.callee else { return None };
    receiver_type.as_deref().or_else(|| chain_root.as_deref().and_then(canonical::split_last).map(|(ty, _)| ty))
}

/// The crate a call goes to: the first segment of its path, of its method's type, or of its
/// macro.
pub fn call_crate(call: &CallFact) -> Option<&str> {
    let owner = match &call.callee {
        Callee::Path(p) | Callee::Macro(p) => p.as_str(),
        Callee::Method { .. } => method_type(call)?,
    };
    Some(canonical::first(owner)).filter(|c| !c.is_empty() && *c != "crate" && *c != "self" && *c != "super")
}

/// How a call is written, for messages: the canonical path of a function, `Type::method` for
/// a method on a value of known type, or `root()…method()` for a builder chain.
pub fn call_label(call: &CallFact) -> String {
    match &call.callee {
        Callee::Path(p) => p.clone(),
        Callee::Macro(m) => format!("{m}!"),
        Callee::Method { name, receiver_type: Some(ty), .. } => format!("{ty}::{name}"),
        Callee::Method { name, chain_root: Some(root), .. } if root.ends_with(&format!("::{name}")) => root.clone(),
        Callee::Method { name, chain_root: Some(root), .. } => format!("{root}()…{name}()"),
        Callee::Method { name, .. } => format!(".{name}()"),
    }
}

/// The database a connection or pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbEngine {
    Postgres,
    MySql,
    Sqlite,
    SqlServer,
    Redis,
    MongoDb,
    /// A SQL database the code does not name (`sqlx::Pool::<Postgres>` loses its parameter,
    /// `sea_orm::Database`, diesel's `Connection` trait).
    Sql,
    /// A generic pool (bb8, r2d2, mobc) whose connection manager decides.
    Unknown,
}

impl DbEngine {
    pub fn label(self) -> &'static str {
        match self {
            DbEngine::Postgres => "Postgres",
            DbEngine::MySql => "MySQL",
            DbEngine::Sqlite => "SQLite",
            DbEngine::SqlServer => "SQL Server",
            DbEngine::Redis => "Redis",
            DbEngine::MongoDb => "MongoDB",
            DbEngine::Sql => "SQL",
            DbEngine::Unknown => "database",
        }
    }

    /// A database server RDS runs and an RDS Proxy fronts (or may, when the engine is not
    /// named).
    pub fn may_be_rds(self) -> bool {
        matches!(self, DbEngine::Postgres | DbEngine::MySql | DbEngine::Sql | DbEngine::Unknown)
    }
}

/// The library that manages a connection pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolLibrary {
    Sqlx,
    SeaOrm,
    Bb8,
    R2d2,
    Deadpool,
    Mobc,
    MySqlAsync,
    MongoDb,
}

impl PoolLibrary {
    pub fn label(self) -> &'static str {
        match self {
            PoolLibrary::Sqlx => "sqlx",
            PoolLibrary::SeaOrm => "SeaORM",
            PoolLibrary::Bb8 => "bb8",
            PoolLibrary::R2d2 => "r2d2",
            PoolLibrary::Deadpool => "deadpool",
            PoolLibrary::Mobc => "mobc",
            PoolLibrary::MySqlAsync => "mysql_async",
            PoolLibrary::MongoDb => "MongoDB",
        }
    }

    /// The label with its indefinite article: `a sqlx`, `an r2d2`.
    pub fn with_article(self) -> String {
        let article = if self == PoolLibrary::R2d2 { "an" } else { "a" };
        format!("{article} {}", self.label())
    }

    /// The builder methods that set the pool's maximum size.
    pub fn size_methods(self) -> &'static [&'static str] {
        match self {
            PoolLibrary::Sqlx | PoolLibrary::SeaOrm => &["max_connections"],
            PoolLibrary::Bb8 | PoolLibrary::R2d2 | PoolLibrary::Deadpool => &["max_size"],
            PoolLibrary::Mobc => &["max_open"],
            PoolLibrary::MySqlAsync | PoolLibrary::MongoDb => &[],
        }
    }

    /// The maximum size when none is set: `Some(10)`, or `None` when it depends on the
    /// machine (deadpool: 4 × the CPU cores) or slint does not model it.
    pub fn default_size(self) -> Option<i64> {
        match self {
            PoolLibrary::Sqlx | PoolLibrary::SeaOrm | PoolLibrary::Bb8 | PoolLibrary::R2d2 | PoolLibrary::Mobc => {
                Some(10)
            }
            PoolLibrary::Deadpool | PoolLibrary::MySqlAsync | PoolLibrary::MongoDb => None,
        }
    }

    /// The pool library whose size a type's builder sets (`sqlx::postgres::PgPoolOptions`,
    /// `bb8::Pool`, `sea_orm::ConnectOptions`, `deadpool_postgres::PoolConfig`), also through
    /// re-exports such as `diesel::r2d2::Pool` and
    /// `diesel_async::pooled_connection::bb8::Pool`.
    pub fn of_type(ty: &str) -> Option<PoolLibrary> {
        let mut segments = canonical::segments(ty);
        let krate = segments.next()?;
        let last = canonical::last(ty);
        let reexported = |library: &str| segments.clone().any(|s| s == library);
        match krate {
            "sqlx" if last.ends_with("PoolOptions") || last.ends_with("Pool") => Some(PoolLibrary::Sqlx),
            "sea_orm" if last == "ConnectOptions" => Some(PoolLibrary::SeaOrm),
            "bb8" => Some(PoolLibrary::Bb8),
            "r2d2" => Some(PoolLibrary::R2d2),
            "mobc" => Some(PoolLibrary::Mobc),
            k if k.starts_with("deadpool") => Some(PoolLibrary::Deadpool),
            "diesel" | "diesel_async" if reexported("bb8") => Some(PoolLibrary::Bb8),
            "diesel" | "diesel_async" if reexported("r2d2") => Some(PoolLibrary::R2d2),
            "diesel" | "diesel_async" if reexported("mobc") => Some(PoolLibrary::Mobc),
            "diesel" | "diesel_async" if reexported("deadpool") => Some(PoolLibrary::Deadpool),
            _ => None,
        }
    }
}

/// A call that opens a database connection or builds a connection pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbOpen {
    pub engine: DbEngine,
    /// The pool library, for a pool; `None` for a single connection.
    pub pool: Option<PoolLibrary>,
}

impl DbOpen {
    /// `a Postgres connection`, `a sqlx pool of Postgres connections`.
    pub fn describe(&self) -> String {
        match (self.pool, self.engine) {
            (None, DbEngine::Unknown | DbEngine::Sql) => "a database connection".to_string(),
            (None, engine) => format!("a {} connection", engine.label()),
            (Some(PoolLibrary::MongoDb), _) => "a MongoDB client and its connection pool".to_string(),
            (Some(pool), DbEngine::Unknown | DbEngine::Sql) => format!("{} connection pool", pool.with_article()),
            (Some(pool), engine) => format!("{} pool of {} connections", pool.with_article(), engine.label()),
        }
    }
}

/// Whether `call` opens a database connection or builds a pool (research R2): sqlx
/// connections, pools and `PoolOptions`, tokio-postgres and postgres, diesel `establish`,
/// mysql_async, SeaORM, tiberius, bb8/r2d2/mobc/deadpool pools, Redis connections and
/// MongoDB clients.
pub fn db_open(call: &CallFact) -> Option<DbOpen> {
    let connection = |engine| Some(DbOpen { engine, pool: None });
    let pool = |engine, library| Some(DbOpen { engine, pool: Some(library) });
    match &call.callee {
        Callee::Path(path) => {
            // `krate::function` or `krate::..::Type::function`, read from the end.
            let mut back = canonical::segments(path).rev();
            let (function, before) = (back.next()?, back.next()?);
            let (krate, ty) = match back.next_back() {
                Some(krate) => (krate, before),
                None => (before, ""),
            };
            match (krate, ty, function) {
                ("sqlx", _, "connect" | "connect_with") if ty.ends_with("Connection") => connection(sqlx_engine(ty)),
                ("sqlx", _, "connect" | "connect_with" | "connect_lazy" | "connect_lazy_with")
                    if ty.ends_with("Pool") =>
                {
                    pool(sqlx_engine(ty), PoolLibrary::Sqlx)
                }
                ("tokio_postgres", "", "connect") => connection(DbEngine::Postgres),
                ("postgres", "Client" | "Connection", "connect") => connection(DbEngine::Postgres),
                ("diesel" | "diesel_async", _, "establish") => connection(diesel_engine(ty)),
                ("mysql_async" | "mysql", "Conn", "new" | "from_url") => connection(DbEngine::MySql),
                ("mysql_async" | "mysql", "Pool", "new" | "from_url") => pool(DbEngine::MySql, PoolLibrary::MySqlAsync),
                ("sea_orm", "Database", "connect") => pool(DbEngine::Sql, PoolLibrary::SeaOrm),
                ("tiberius", "Client", "connect") => connection(DbEngine::SqlServer),
                ("redis", "ConnectionManager", "new") => connection(DbEngine::Redis),
                ("mongodb", "Client", "with_uri_str" | "with_options") => pool(DbEngine::MongoDb, PoolLibrary::MongoDb),
                ("r2d2", "Pool", "new") => pool(DbEngine::Unknown, PoolLibrary::R2d2),
                ("mobc", "Pool", "new") => pool(DbEngine::Unknown, PoolLibrary::Mobc),
                _ => None,
            }
        }
        Callee::Method { name, .. } => {
            const REDIS: &[&str] = &[
                "get_async_connection",
                "get_multiplexed_async_connection",
                "get_multiplexed_async_connection_with_config",
                "get_multiplexed_tokio_connection",
                "get_connection_manager",
            ];
            let ty = method_type(call);
            let krate = ty.map(canonical::first).unwrap_or("");
            let last = ty.map(canonical::last).unwrap_or("");
            match name.as_str() {
                "connect" | "connect_with" | "connect_lazy" | "connect_lazy_with"
                    if krate == "sqlx" && last.ends_with("PoolOptions") =>
                {
                    pool(sqlx_engine(last), PoolLibrary::Sqlx)
                }
                "connect" if krate == "sqlx" && last.ends_with("ConnectOptions") => connection(sqlx_engine(last)),
                "connect" if matches!(krate, "tokio_postgres" | "postgres") && last == "Config" => {
                    connection(DbEngine::Postgres)
                }
                "build" | "build_unchecked" => match PoolLibrary::of_type(ty?)? {
                    // diesel's re-exports pool SQL connections; the plain crates any manager's.
                    library @ (PoolLibrary::Bb8 | PoolLibrary::R2d2 | PoolLibrary::Mobc) => {
                        let engine = if krate.starts_with("diesel") { DbEngine::Sql } else { DbEngine::Unknown };
                        pool(engine, library)
                    }
                    PoolLibrary::Deadpool => pool(deadpool_engine(krate), PoolLibrary::Deadpool),
                    _ => None,
                },
                "create_pool" if krate.starts_with("deadpool") => pool(deadpool_engine(krate), PoolLibrary::Deadpool),
                "get_connection" if krate == "redis" => connection(DbEngine::Redis),
                n if REDIS.contains(&n) && (krate == "redis" || ty.is_none()) => connection(DbEngine::Redis),
                _ => None,
            }
        }
        Callee::Macro(_) => None,
    }
}

/// `PgPool`, `MySqlConnection`, `SqlitePoolOptions`, ...: the engine in a sqlx type's name.
fn sqlx_engine(ty: &str) -> DbEngine {
    if ty.starts_with("Pg") {
        DbEngine::Postgres
    } else if ty.starts_with("MySql") {
        DbEngine::MySql
    } else if ty.starts_with("Sqlite") {
        DbEngine::Sqlite
    } else {
        DbEngine::Sql
    }
}

/// `PgConnection`, `AsyncMysqlConnection`, `SqliteConnection`: the engine of a diesel type.
fn diesel_engine(ty: &str) -> DbEngine {
    let ty = ty.strip_prefix("Async").unwrap_or(ty);
    if ty.starts_with("Pg") {
        DbEngine::Postgres
    } else if ty.starts_with("Mysql") {
        DbEngine::MySql
    } else if ty.starts_with("Sqlite") {
        DbEngine::Sqlite
    } else {
        DbEngine::Sql
    }
}

/// `deadpool_postgres` → Postgres, `deadpool_redis` → Redis.
fn deadpool_engine(krate: &str) -> DbEngine {
    match krate {
        "deadpool_postgres" => DbEngine::Postgres,
        "deadpool_redis" => DbEngine::Redis,
        "deadpool_diesel" | "diesel" | "diesel_async" => DbEngine::Sql,
        _ => DbEngine::Unknown,
    }
}

/// The calls of a binary on both paths (invoke first), each call site once.
pub fn all_calls(binary: &Binary) -> Vec<&CallFact> {
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(
        binary.invoke_calls.len() + binary.init_calls.len(),
        Default::default(),
    );
    binary
        .invoke_calls
        .iter()
        .chain(&binary.init_calls)
        .filter(|c| seen.insert((c.file, c.span.start, c.span.end)))
        .collect()
}
