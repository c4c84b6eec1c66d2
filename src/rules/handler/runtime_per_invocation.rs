use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::CallFact;

declare_rule! {
    /// ## What it does
    /// Flags an async runtime or executor created on the invoke path:
    /// `tokio::runtime::Runtime::new()`, `tokio::runtime::Builder::new_current_thread()` /
    /// `new_multi_thread()` (reported once per builder chain), and
    /// `futures::executor::block_on`, in the handler or in anything it calls, outside a
    /// once-initialiser. A runtime built once in `main` to run the Lambda runtime
    /// (`rt.block_on(run(service_fn(handler)))`) is init code and is not reported.
    ///
    /// ## Why is this bad?
    /// Building a tokio runtime spawns its worker threads, its I/O driver and timer on every
    /// invocation, and dropping it joins them: milliseconds of pure overhead per request,
    /// which becomes concurrency under load. Clients created for one runtime do not work
    /// once it is dropped, so every invocation also rebuilds them and reconnects. Calling
    /// `block_on` inside an async handler blocks the runtime's thread (and panics for
    /// tokio's own `Runtime::block_on`), and can deadlock when the future needs that thread.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn handler(event: Value, _: Context) -> Result<Value, HandlerError> {
    ///     let rt = tokio::runtime::Runtime::new()?;
    ///     rt.block_on(save(event))
    /// }
    /// ```
    ///
    /// Use instead: one runtime for the life of the execution environment, with an `async`
    /// handler.
    /// ```rust,ignore
    /// #[tokio::main]
    /// async fn main() -> Result<(), Error> {
    ///     lambda_runtime::run(service_fn(handler)).await
    /// }
    ///
    /// async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    ///     save(event.payload).await
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// Other executors (`async_std::task::block_on`, `pollster::block_on`, `smol`) are not
    /// recognised, nor runtimes built behind a macro.
    pub struct RuntimePerInvocation {
        code: "SL505",
        name: "runtime-per-invocation",
        category: Handler,
        severity: Error,
    }
}

impl Rule for RuntimePerInvocation {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, _, call) in code::invoke_calls(project) {
            let Some((what, path)) = runtime_construction(call) else { continue };
            let looped = code::in_loop(call);
            code::report_call(cx, project, index, call, At::Call, format!("{} {what} (`{path}`){looped} on every invocation", chain(call)))
                .help("build the runtime once (`#[tokio::main]` on `main`) and make the handler `async`; await futures instead of blocking on them");
        }
    }
}

/// What a call creates, if it starts a runtime or an executor: `("builds a tokio runtime",
/// path)`.
fn runtime_construction(call: &CallFact) -> Option<(&'static str, &str)> {
    let path = code::path(call)?;
    let what = match path {
        "tokio::runtime::Runtime::new" => "builds a tokio runtime",
        "tokio::runtime::Builder::new_current_thread" | "tokio::runtime::Builder::new_multi_thread" => {
            "builds a tokio runtime"
        }
        "futures::executor::block_on" | "futures_executor::block_on" => "runs a future on a new executor",
        _ => return None,
    };
    Some((what, path))
}
