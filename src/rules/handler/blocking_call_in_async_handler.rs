use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::Binary;

declare_rule! {
    /// ## What it does
    /// Flags a blocking call on the invoke path of an async handler: `std::thread::sleep`,
    /// the standard library's blocking file API (`fs::read`, `fs::write`, `fs::copy`,
    /// `File::create`, opening a file, ..), `std::io::stdin`, `std::net::TcpStream::connect`,
    /// `reqwest::blocking` requests, `ureq` requests, the synchronous `postgres::Client`, and
    /// taking a connection from an `r2d2` pool (`pool.get()`, also diesel's `diesel::r2d2`).
    /// Code handed to `tokio::task::spawn_blocking`, `block_in_place` or `std::thread::spawn`
    /// (a closure, or a function passed by name, and what they call) is exempt: blocking is
    /// what those are for. Handlers of the legacy synchronous `lambda!` runtime are not async
    /// and are not reported.
    ///
    /// ## Why is this bad?
    /// The Lambda runtime polls the handler's future on a tokio worker thread. A blocking call
    /// holds that thread: timers, the SDK's connection pool, and everything else the runtime
    /// drives stall until it returns, and with `run_concurrent` (Lambda Managed Instances)
    /// every other in-flight request on the thread waits too. Latency grows with the slowest
    /// blocking call, and so does the concurrency the same traffic needs. The blocking
    /// `reqwest` client even panics when it is created or dropped inside the runtime.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    ///     std::thread::sleep(Duration::from_millis(100)); // backoff
    ///     let body = reqwest::blocking::get("https://example.com/rates")?.text()?;
    ///     Ok(json!({ "rates": body }))
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// async fn handler(http: &reqwest::Client, event: LambdaEvent<Value>) -> Result<Value, Error> {
    ///     tokio::time::sleep(Duration::from_millis(100)).await;
    ///     let body = http.get("https://example.com/rates").send().await?.text().await?;
    ///     Ok(json!({ "rates": body }))
    /// }
    /// ```
    /// and `tokio::fs` for files, or `tokio::task::spawn_blocking` for work that has to block.
    ///
    /// ## Known limitations
    /// Only the calls listed above are known to block; CPU-heavy loops and the `diesel`
    /// queries themselves (reported through the `r2d2` connection they need) are not
    /// recognised. A function reached both from a `spawn_blocking`
    /// closure and directly is judged by the first way slint reaches it. Binaries whose
    /// runtime start slint could not find are skipped: whether their handler is async is
    /// unknown.
    pub struct BlockingCallInAsyncHandler {
        code: "SL504",
        name: "blocking-call-in-async-handler",
        category: Handler,
        severity: Warning,
    }
}

impl Rule for BlockingCallInAsyncHandler {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, binary, call) in code::invoke_calls(project) {
            if call.offloaded || !is_async(binary) {
                continue;
            }
            let Some(blocking) = code::blocking_call(call) else { continue };
            let looped = if call.in_loop { " in a loop" } else { "" };
            code::report_call(
                cx,
                project,
                index,
                call,
                At::Method,
                format!("{} {}{looped}, blocking an async runtime thread", chain(call), blocking.what),
            )
            .help(format!("{}; blocking stalls everything else the runtime drives", blocking.instead));
        }
    }
}

/// Whether the binary's handlers run on an async runtime: every current runtime entry, but
/// not the legacy `lambda!` macro (lambda_runtime 0.1), whose handlers are plain functions.
fn is_async(binary: &Binary) -> bool {
    binary.registration.as_ref().is_some_and(|r| !r.api.ends_with("lambda!"))
}
