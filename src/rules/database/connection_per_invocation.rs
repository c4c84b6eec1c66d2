use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a database connection opened, or a connection pool built, on the invoke path: in
    /// the handler or in anything it calls, outside a once-initialiser. Covered: sqlx
    /// connections, pools and `PoolOptions` (`connect`, `connect_with`, `connect_lazy`),
    /// `tokio_postgres::connect` and `Config::connect`, `postgres::Client::connect`, diesel
    /// `establish`, `mysql_async` `Conn::new`/`from_url` and `Pool::new`,
    /// `sea_orm::Database::connect`, `tiberius::Client::connect`, bb8, r2d2 and mobc
    /// `Pool::builder()…build(..)`, deadpool `create_pool` and `Pool::builder(..)…build()`, Redis
    /// `get_connection`/`get_multiplexed_async_connection`/`ConnectionManager::new`, and
    /// `mongodb::Client::with_uri_str`/`with_options`.
    ///
    /// ## Why is this bad?
    /// Every invocation pays the TCP, TLS and authentication handshake (tens of milliseconds,
    /// more with IAM tokens), and a pool built per invocation adds its bookkeeping and never
    /// reuses anything. Connections that are not closed cleanly linger on the server, so a
    /// traffic burst multiplies open connections until the database refuses new ones
    /// (`too many connections`), failing every function that shares it.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn create_order(request: Request) -> Result<Response<Body>, Error> {
    ///     let pool = PgPoolOptions::new().max_connections(1).connect(&env::var("DATABASE_URL")?).await?;
    ///     sqlx::query("INSERT INTO orders ..").execute(&pool).await?;
    ///     Ok(Response::new(Body::Empty))
    /// }
    /// ```
    ///
    /// Use instead: open it once per execution environment and share it.
    /// ```rust,ignore
    /// #[tokio::main]
    /// async fn main() -> Result<(), Error> {
    ///     let pool = PgPoolOptions::new().max_connections(1).connect_lazy(&env::var("DATABASE_URL")?)?;
    ///     run(service_fn(|request| create_order(&pool, request))).await
    /// }
    /// ```
    /// or a `static POOL: OnceCell<PgPool>` initialised with `get_or_init`.
    ///
    /// ## Known limitations
    /// A builder stored in a variable before it connects (`let options = PgPoolOptions::new();
    /// options.connect(..)`) and drivers not listed above are not recognised. A connection
    /// that must be per request (a tenant's own database) is a legitimate case: cache it per
    /// tenant, or suppress with a reason.
    pub struct ConnectionPerInvocation {
        code: "SL402",
        name: "connection-per-invocation",
        category: Database,
        severity: Error,
    }
}

impl Rule for ConnectionPerInvocation {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, _, call) in code::invoke_calls(project) {
            let Some(open) = code::db_open(call) else { continue };
            let verb = if open.pool.is_some() { "builds" } else { "opens" };
            let looped = code::in_loop(call);
            code::report_call(
                cx,
                project,
                index,
                call,
                At::Call,
                format!(
                    "{} {verb} {} (`{}`){looped} on every invocation of {}",
                    chain(call),
                    open.describe(),
                    code::call_label(call),
                    code::deployed_as(project, index)
                ),
            )
            .help("open it once per execution environment (in `main`, or lazily in a `OnceCell`/`OnceLock`) and pass it to the handler; a connection per invocation pays the handshake every time and can exhaust the database's connections under load");
        }
    }
}
