//! The call vocabulary the collector and the invoke walk share: once-initialisers, offloads,
//! iterator methods that loop, and the macros and attributes with known meaning.

use super::facts::PathFact;

/// Method names whose closure arguments run once per environment.
pub fn is_once_guard_method(name: &str) -> bool {
    matches!(
        name,
        "get_or_init"
            | "get_or_try_init"
            | "get_or_init_with"
            | "get_or_try_init_with"
            | "call_once"
            | "call_once_force"
    )
}

/// `Lazy::new(..)`, `LazyLock::new(..)`, `LazyCell::new(..)`: the argument runs once.
pub fn is_once_guard_path(path: &PathFact) -> bool {
    let n = path.segments.len();
    n >= 2
        && path.segments[n - 1] == "new"
        && matches!(path.segments[n - 2].as_str(), "Lazy" | "LazyLock" | "LazyCell" | "LazyBox")
}

/// `spawn_blocking(..)`, `block_in_place(..)`, `thread::spawn(..)`: the argument runs where
/// blocking is allowed (a blocking-pool or an OS thread), not on an async worker.
pub fn is_offload_path(path: &PathFact) -> bool {
    let n = path.segments.len();
    matches!(path.last(), "spawn_blocking" | "block_in_place")
        || (n >= 2 && path.segments[n - 1] == "spawn" && path.segments[n - 2] == "thread")
}

/// `handle.spawn_blocking(..)` on a runtime handle.
pub fn is_offload_method(name: &str) -> bool {
    name == "spawn_blocking"
}

/// Iterator methods that call their closure once per element.
pub const LOOP_METHODS: &[&str] = &[
    "for_each",
    "try_for_each",
    "for_each_concurrent",
    "try_for_each_concurrent",
    "fold",
    "try_fold",
    "filter_map",
    "flat_map",
    "map_while",
    "scan",
];
/// Adapters that loop only when the receiver is an iterator or stream.
pub const ITER_ADAPTERS: &[&str] =
    &["map", "filter", "then", "and_then", "any", "all", "find", "find_map", "inspect", "take_while", "skip_while"];
/// Methods that start an iteration.
pub const ITER_SOURCES: &[&str] = &[
    "iter",
    "into_iter",
    "iter_mut",
    "par_iter",
    "into_par_iter",
    "chunks",
    "windows",
    "lines",
    "split",
    "drain",
    "keys",
    "values",
    "values_mut",
    "chars",
    "bytes",
    "enumerate",
    "zip",
    "records",
];

/// Macros whose bodies are never parsed: they take format strings, tokens or JSON, never
/// code that hands a function on. Any other macro's body is parsed as comma-separated
/// expressions when it is one (`routes![list, create]`, `lambda_main!(handler)`,
/// `join!(a(), b())`), so the functions and closures passed to it are followed.
pub const OPAQUE_MACROS: &[&str] = &[
    "println",
    "print",
    "eprintln",
    "eprint",
    "write",
    "writeln",
    "format_args",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "unreachable",
    "unimplemented",
    "todo",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "event",
    "span",
    "info_span",
    "debug_span",
    "error_span",
    "warn_span",
    "trace_span",
    "instrument",
    "json",
    "html",
    "concat",
    "stringify",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "cfg",
    "matches",
    "anyhow",
    "bail",
    "ensure",
    "eyre",
    "dbg",
    "line",
    "file",
    "column",
    "module_path",
    "compile_error",
    "macro_rules",
];

/// Attributes of an `impl` block whose methods a schema or an API service calls per request
/// (async-graphql's `#[Object]`, `#[ComplexObject]`, `#[Subscription]`; juniper's
/// `#[graphql_object]`; poem-openapi's `#[OpenApi]`).
pub const RESOLVER_ATTRIBUTES: &[&str] = &["Object", "ComplexObject", "Subscription", "graphql_object", "OpenApi"];
