//! The call vocabulary the collector and the invoke walk share: once-initialisers, offloads,
//! what runs a closure on the spot or at startup, method names too common to resolve,
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

/// Methods besides the iterator ones ([`LOOP_METHODS`], [`ITER_ADAPTERS`]) that
/// run their closure argument on the spot (or, for `spawn`, start it once from where they are
/// called): the closure is in its caller's mode.
pub const ON_SPOT_METHODS: &[&str] = &[
    "map_err",
    "map_ok",
    "or_else",
    "inspect_err",
    "unwrap_or_else",
    "map_or",
    "map_or_else",
    "ok_or_else",
    "get_or_insert_with",
    "or_insert_with",
    "or_insert_with_key",
    "and_modify",
    "is_some_and",
    "is_ok_and",
    "is_none_or",
    "reduce",
    "position",
    "rposition",
    "retain",
    "sort_by",
    "sort_by_key",
    "sort_unstable_by",
    "sort_unstable_by_key",
    "sort_by_cached_key",
    "dedup_by",
    "dedup_by_key",
    "max_by",
    "max_by_key",
    "min_by",
    "min_by_key",
    "partition",
    "binary_search_by",
    "binary_search_by_key",
    "with_context",
    "spawn",
    "spawn_local",
    "block_on",
    "scope",
    "in_scope",
    "with",
    "fetch_update",
    "call_once",
];
/// Functions that run their closure argument on the spot (by last path segment).
pub const ON_SPOT_FNS: &[&str] =
    &["spawn", "spawn_local", "block_on", "scope", "catch_unwind", "join", "repeat_with", "successors"];
/// Wrappers that neither run nor keep what they are given: where the wrapped value goes
/// decides (`config.custom_setup = Box::new(connect)` is no handler; `service_fn(h)` is).
pub const WRAPPERS: &[&str] = &["Box::new", "Box::pin", "Arc::new", "Rc::new", "Some", "Ok", "Pin::new"];
/// Macros whose arguments run where they are written.
pub const ON_SPOT_MACROS: &[&str] =
    &["join", "try_join", "select", "vec", "format", "pin", "matches", "write", "writeln"];
/// Calls whose closure argument builds an app once per worker at startup: init code.
pub const STARTUP_FNS: &[&str] = &["HttpServer::new", "run_actix_on_lambda", "actix_lambda::run"];
pub const STARTUP_METHODS: &[&str] = &["configure"];
/// Method names too common to say which workspace method an untyped receiver calls.
pub const COMMON_METHODS: &[&str] = &[
    "clone",
    "into",
    "from",
    "to_string",
    "to_owned",
    "fmt",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "hash",
    "default",
    "drop",
    "deref",
    "deref_mut",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "next",
    "poll",
    "iter",
    "len",
    "is_empty",
    "get",
    "set",
    "insert",
    "remove",
    "push",
    "pop",
    "contains",
    "unwrap",
    "expect",
    "map",
    "build",
    "new",
    "send",
    "call",
    "run",
    "execute",
    "await",
    "try_from",
    "try_into",
    "serialize",
    "deserialize",
    "lock",
    "read",
    "write",
    "load",
    "store",
    "parse",
    "to_vec",
    "as_str",
    "as_bytes",
    "extend",
    "clear",
    "first",
    "last",
];
/// Attributes that make a function a once-initialiser (the `cached` crate).
pub const ONCE_ATTRIBUTES: &[&str] = &["once", "cached", "io_cached", "memoize"];
