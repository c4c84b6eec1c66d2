//! One `syn` pass over one `.rs` file → [`FileFacts`].
//!
//! The visitor records items (functions, impls, types, globals, modules, `use`s) and, inside
//! every function body and global initialiser, each call with the context rules need later:
//! whether it runs in a loop, under a once-initialiser, inside which closure, and what its
//! arguments and receiver are (as [`ValueExpr`]s that point at other calls and closures).
//!
//! Test-only code (`#[cfg(test)]`, `#[test]` functions, `mod tests`) is skipped. Macro
//! bodies are opaque token streams to syn; the bodies of `lambda!`, `join!`, `try_join!` and
//! `select!` are parsed as comma-separated expressions when they parse that way, and
//! `lazy_static!`/`thread_local!` declarations are parsed as globals. Every other macro
//! body is not looked into (a documented limitation).

use rustc_hash::{FxHashMap, FxHashSet};

use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Block, Expr, ExprCall, ExprClosure, ExprMacro, ExprMethodCall, FnArg, GenericParam, ImplItem, Item,
    ItemMod, Macro, Signature, Stmt, StmtMacro, Token, TraitItem, Type, UseTree, WherePredicate,
};

use super::facts::*;
use super::syntax::{self, SpanMap, ident, path_fact, type_fact};
use crate::span::Span;

/// Brackets nested deeper than this make a file "pathological": it is not parsed.
pub const MAX_BRACKET_DEPTH: usize = 256;
/// Expressions nested deeper than this are not looked into by the visitor.
const MAX_EXPR_DEPTH: usize = 384;
/// Steps when following receiver chains in collected facts.
const MAX_CHAIN_STEPS: usize = 256;

/// Why a file could not be analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectError {
    pub span: Span,
    pub message: String,
    /// A syntax error (as opposed to a file slint declined to parse).
    pub syntax: bool,
}

/// Parses `text` and collects its facts. Never panics on malformed input; spans are byte
/// offsets into `text`. Must run on a thread with a generous stack (syn recurses on nested
/// expressions); see `super::analyse`.
pub fn collect_file(text: &str) -> Result<FileFacts, CollectError> {
    if let Some(problem) = nesting_problem(text) {
        return Err(problem);
    }
    let (base, content) = strip_preamble(text);
    let map = SpanMap::new(base, content);
    // What `syn::parse_file` does after the preamble, with test-only modules cut out of the
    // token stream in between: the collector would skip them anyway, and they are about a
    // quarter of real crates' code.
    let parsed = content
        .parse::<proc_macro2::TokenStream>()
        .map_err(syn::Error::from)
        .and_then(|tokens| syn::parse2::<syn::File>(without_test_modules(tokens)));
    let result = match parsed {
        Ok(file) => {
            let mut collector = Collector::new(map);
            collector.visit_file(&file);
            Ok(collector.finish())
        }
        Err(error) => {
            let range = error.span().byte_range();
            let span = Span::from_range(base + range.start..base + range.end);
            Err(CollectError { span, message: error.to_string(), syntax: true })
        }
    };
    // Spans are plain data now; free this thread's source map (it grows with every parse).
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// The file's tokens without its top-level test-only modules (`#[cfg(test)] mod x { .. }`,
/// `mod tests;`, as [`syntax::is_test_only`] and the visitor decide), so that syn does not
/// build what the visitor would skip. Only whole `mod` items are cut: at the top level of a
/// file, the `mod` keyword can only start one. Syntax errors inside them go unreported.
fn without_test_modules(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    let cut: Vec<std::ops::Range<usize>> = (0..trees.len()).filter_map(|at| test_module_at(&trees, at)).collect();
    if cut.is_empty() {
        return trees.into_iter().collect();
    }
    let keep = |index: &usize| !cut.iter().any(|range| range.contains(index));
    trees.into_iter().enumerate().filter(|(index, _)| keep(index)).map(|(_, tree)| tree).collect()
}

/// The token range of the test-only `mod` item whose `mod` keyword is `trees[at]`, if it is one.
fn test_module_at(trees: &[proc_macro2::TokenTree], at: usize) -> Option<std::ops::Range<usize>> {
    use proc_macro2::{Delimiter, TokenTree};
    let TokenTree::Ident(keyword) = &trees[at] else { return None };
    if keyword != "mod" {
        return None;
    }
    let Some(TokenTree::Ident(name)) = trees.get(at + 1) else { return None };
    let end = match trees.get(at + 2)? {
        TokenTree::Group(body) if body.delimiter() == Delimiter::Brace => at + 3,
        TokenTree::Punct(semi) if semi.as_char() == ';' => at + 3,
        _ => return None,
    };
    // Back over the visibility (`pub`, `pub(crate)`), then the outer attributes (`#[..]`).
    let mut start = at;
    if start > 0 && matches!(&trees[start - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis) {
        start -= 1;
    }
    if start > 0 && matches!(&trees[start - 1], TokenTree::Ident(vis) if vis == "pub") {
        start -= 1;
    } else if start < at {
        return None;
    }
    let attrs_end = start;
    while start >= 2
        && matches!(&trees[start - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
        && matches!(&trees[start - 2], TokenTree::Punct(p) if p.as_char() == '#')
    {
        start -= 2;
    }
    let attr_tokens: proc_macro2::TokenStream = trees[start..attrs_end].iter().cloned().collect();
    let attrs = Attribute::parse_outer.parse2(attr_tokens).ok()?;
    (name == "tests" || syntax::is_test_only(&attrs)).then_some(start..end)
}

/// A byte-order mark or a `#!` line is removed before parsing, as `syn::parse_file` would,
/// but here so that we know how many bytes to add back to every span.
fn strip_preamble(text: &str) -> (usize, &str) {
    let mut base = 0;
    let mut content = text;
    if let Some(rest) = content.strip_prefix('\u{feff}') {
        base += 3;
        content = rest;
    }
    if let Some(after) = content.strip_prefix("#!")
        && !after.trim_start().starts_with('[')
    {
        let line_end = content.find('\n').unwrap_or(content.len());
        base += line_end;
        content = &content[line_end..];
    }
    (base, content)
}

/// Finds code nested too deeply for a recursive parser, before parsing it. Two measures,
/// along the current nesting path (comments, strings and character literals skipped):
/// - brackets nested deeper than [`MAX_BRACKET_DEPTH`];
/// - the nesting score: brackets plus the prefix constructs syn also recurses on (unary
///   `! - * &`, closure bars, `<`, assignments, `->`, `..`, `return`/`break`/`move`/`async`/
///   `impl`/`dyn`/`fn`/`box`), counted within a statement (reset at `;`, `,` and `}` to the
///   enclosing bracket's count), above [`MAX_NESTING_SCORE`].
///
/// Real code stays far below both; generated or hostile files beyond them are reported
/// instead of crashing the run with a stack overflow.
pub fn nesting_problem(text: &str) -> Option<CollectError> {
    let bytes = text.as_bytes();
    let mut scanner = NestingScanner::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let step = match b {
            b'/' if next == Some(b'/') => {
                i = skip_line(bytes, i);
                continue;
            }
            b'/' if next == Some(b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'r' if is_raw_string_start(bytes, i) => {
                i = skip_raw_string(bytes, i + 1);
                continue;
            }
            b'\'' => {
                i = skip_char_literal(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => scanner.open(),
            b')' | b']' => scanner.close(),
            // A closing brace ends a block, an item or a statement: what follows starts over.
            b'}' => {
                scanner.close();
                scanner.separator()
            }
            b';' | b',' => scanner.separator(),
            b'-' if next == Some(b'>') => scanner.prefix(2),
            b'=' if matches!(next, Some(b'=') | Some(b'>')) => 2,
            b'!' | b'<' | b'>' if next == Some(b'=') => 2,
            b'.' if next == Some(b'.') => scanner.prefix(2),
            b'!' | b'-' | b'*' | b'&' | b'|' | b'<' | b'=' => scanner.prefix(1),
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(bytes.len(), |p| i + p);
                if RECURSIVE_KEYWORDS.contains(&&text[i..end]) {
                    scanner.prefix(end - i);
                }
                end - i
            }
            _ => 1,
        };
        if let Some(problem) = scanner.problem(i) {
            return Some(problem);
        }
        i += step.max(1);
    }
    None
}

/// Score above which a file is not parsed (see [`nesting_problem`]).
pub const MAX_NESTING_SCORE: usize = 1024;

const RECURSIVE_KEYWORDS: &[&str] = &["return", "break", "yield", "move", "async", "impl", "dyn", "fn", "box"];

#[derive(Default)]
struct NestingScanner {
    depth: usize,
    score: usize,
    /// The score when each open bracket was entered.
    stack: Vec<usize>,
    exceeded: Option<&'static str>,
}

impl NestingScanner {
    fn open(&mut self) -> usize {
        self.stack.push(self.score);
        self.depth += 1;
        self.score += 1;
        if self.depth > MAX_BRACKET_DEPTH {
            self.exceeded = Some("brackets");
        }
        self.check();
        1
    }

    fn close(&mut self) -> usize {
        self.depth = self.depth.saturating_sub(1);
        self.score = self.stack.pop().unwrap_or(0);
        1
    }

    /// A statement or argument ends: back to the enclosing bracket's score (plus itself).
    fn separator(&mut self) -> usize {
        self.score = self.stack.last().map_or(0, |s| s + 1);
        1
    }

    fn prefix(&mut self, len: usize) -> usize {
        self.score += 1;
        self.check();
        len
    }

    fn check(&mut self) {
        if self.exceeded.is_none() && self.score > MAX_NESTING_SCORE {
            self.exceeded = Some("operators");
        }
    }

    fn problem(&self, at: usize) -> Option<CollectError> {
        let message = match self.exceeded? {
            "brackets" => {
                format!("brackets are nested more than {MAX_BRACKET_DEPTH} levels deep; the file is not analysed")
            }
            _ => format!(
                "expressions or types are nested too deeply (more than {MAX_NESTING_SCORE} levels); the file is not analysed"
            ),
        };
        Some(CollectError { span: Span::from_range(at..at + 1), message, syntax: false })
    }
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p + 1)
}

fn skip_block_comment(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 2;
    let mut level = 1usize;
    while j < bytes.len() && level > 0 {
        if bytes[j] == b'/' && bytes.get(j + 1) == Some(&b'*') {
            level += 1;
            j += 2;
        } else if bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/') {
            level -= 1;
            j += 2;
        } else {
            j += 1;
        }
    }
    j
}

fn skip_string(bytes: &[u8], mut j: usize) -> usize {
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    j
}

fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    let prev_is_ident = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    let mut j = i + 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    !prev_is_ident && bytes.get(j) == Some(&b'"')
}

fn skip_raw_string(bytes: &[u8], mut j: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    j += 1; // the opening quote
    while j < bytes.len() {
        if bytes[j] == b'"' && bytes[j + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// `'x'`, `'\n'`, `'\u{..}'` are skipped; a lifetime (`'a`) is just a quote.
fn skip_char_literal(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1) == Some(&b'\\') {
        let close = bytes[i + 2..].iter().take(12).position(|&b| b == b'\'');
        return close.map_or(i + 1, |p| i + 2 + p + 1);
    }
    // One (possibly multi-byte) character followed by a quote.
    let mut j = i + 2;
    while j < bytes.len() && (bytes[j] & 0xC0) == 0x80 {
        j += 1;
    }
    if bytes.get(j) == Some(&b'\'') { j + 1 } else { i + 1 }
}

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

/// How a call treats its arguments' code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ArgKind {
    Plain,
    /// Runs once per environment (a once-initialiser).
    Guard,
    /// Runs off the async workers.
    Offload,
}

/// Iterator methods that call their closure once per element.
pub(super) const LOOP_METHODS: &[&str] = &[
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
pub(super) const ITER_ADAPTERS: &[&str] =
    &["map", "filter", "then", "and_then", "any", "all", "find", "find_map", "inspect", "take_while", "skip_while"];
/// Methods that start an iteration.
const ITER_SOURCES: &[&str] = &[
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
const OPAQUE_MACROS: &[&str] = &[
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
const RESOLVER_ATTRIBUTES: &[&str] = &["Object", "ComplexObject", "Subscription", "graphql_object", "OpenApi"];

/// The code a call is recorded against, and the lexical context inside it.
struct Body {
    owner: Owner,
    closures: Vec<usize>,
    frames: Vec<CaptureFrame>,
    loop_depth: u32,
    guard_depth: u32,
    offload_depth: u32,
    returns: Vec<ValueExpr>,
}

impl Body {
    fn new(owner: Owner) -> Self {
        Body {
            owner,
            closures: Vec::new(),
            frames: Vec::new(),
            loop_depth: 0,
            guard_depth: 0,
            offload_depth: 0,
            returns: Vec::new(),
        }
    }
}

/// Names bound and used inside one closure, to compute what it captures.
#[derive(Default)]
struct CaptureFrame {
    bound: FxHashSet<String>,
    used: Vec<String>,
    seen: FxHashSet<String>,
}

impl CaptureFrame {
    fn note_use(&mut self, name: &str) {
        if !self.bound.contains(name) && self.seen.insert(name.to_string()) {
            self.used.push(name.to_string());
        }
    }
}

struct Collector<'t> {
    map: SpanMap<'t>,
    facts: FileFacts,
    module: usize,
    body: Option<Body>,
    depth: usize,
    too_deep_noted: bool,
    /// Calls and closures by the address of their syn node, so that a parent expression can
    /// refer to the facts recorded for its children.
    calls_by_node: FxHashMap<usize, usize>,
    closures_by_node: FxHashMap<usize, usize>,
    /// Parsed macro bodies stay alive until the end so node addresses are never reused.
    keep_alive: Vec<Punctuated<Expr, Token![,]>>,
    /// The next expression visited is a closure argument of an iterator method.
    pending_iter_arg: bool,
}

fn node<T>(node: &T) -> usize {
    node as *const T as usize
}

impl<'t> Collector<'t> {
    fn new(map: SpanMap<'t>) -> Self {
        let facts = FileFacts { modules: vec![ModuleFacts::default()], ..FileFacts::default() };
        Collector {
            map,
            facts,
            module: 0,
            body: None,
            depth: 0,
            too_deep_noted: false,
            calls_by_node: FxHashMap::default(),
            closures_by_node: FxHashMap::default(),
            keep_alive: Vec::new(),
            pending_iter_arg: false,
        }
    }

    fn finish(self) -> FileFacts {
        self.facts
    }

    fn owner(&self) -> Option<Owner> {
        self.body.as_ref().map(|b| b.owner)
    }

    fn add_item(&mut self, name: String, item: ItemRef) {
        self.facts.modules[self.module].items.push((name, item));
    }

    /// Runs `f` with a fresh body context for `owner`, restoring the enclosing one after.
    fn with_body(&mut self, owner: Owner, f: impl FnOnce(&mut Self)) -> Body {
        let saved = self.body.replace(Body::new(owner));
        let saved_iter = std::mem::take(&mut self.pending_iter_arg);
        f(self);
        self.pending_iter_arg = saved_iter;
        std::mem::replace(&mut self.body, saved).expect("body was set above")
    }

    // ----- expressions → values -------------------------------------------------------------

    /// The reduced form of an already visited expression.
    fn value(&self, expr: &Expr) -> ValueExpr {
        self.value_at(expr, 0)
    }

    fn value_at(&self, expr: &Expr, depth: usize) -> ValueExpr {
        let mut e = expr;
        for _ in 0..MAX_CHAIN_STEPS {
            e = match e {
                Expr::Reference(r) => &r.expr,
                Expr::Paren(p) => &p.expr,
                Expr::Group(g) => &g.expr,
                Expr::Await(a) => &a.base,
                Expr::Try(t) => &t.expr,
                Expr::Cast(c) => &c.expr,
                Expr::Block(b) => match block_tail(&b.block) {
                    Some(tail) => tail,
                    None => return ValueExpr::Other,
                },
                Expr::Unsafe(u) => match block_tail(&u.block) {
                    Some(tail) => tail,
                    None => return ValueExpr::Other,
                },
                Expr::Call(c) => return self.call_value(node(c)),
                Expr::MethodCall(m) => return self.call_value(node(m)),
                Expr::Macro(m) => return self.call_value(node(m)),
                Expr::Closure(c) => {
                    return self.closures_by_node.get(&node(c)).map_or(ValueExpr::Other, |&i| ValueExpr::Closure(i));
                }
                Expr::Path(p) => return ValueExpr::Path(path_fact(&p.path), self.map.expr_span(e)),
                Expr::Struct(s) => {
                    return ValueExpr::Struct(path_fact(&s.path), self.map.expr_span(e));
                }
                Expr::Field(f) if depth < 32 => {
                    let member = match &f.member {
                        syn::Member::Named(name) => ident(name),
                        syn::Member::Unnamed(index) => index.index.to_string(),
                    };
                    return ValueExpr::Field(Box::new(self.value_at(&f.base, depth + 1)), member);
                }
                Expr::Lit(l) => return literal_value(&l.lit, false),
                Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => match &**expr {
                    Expr::Lit(l) => return literal_value(&l.lit, true),
                    _ => return ValueExpr::Other,
                },
                Expr::Async(a) => {
                    let span = self
                        .map
                        .between(self.map.start(a.async_token.span), self.map.end(a.block.brace_token.span.close()));
                    return ValueExpr::Async(span);
                }
                _ => return ValueExpr::Other,
            };
        }
        ValueExpr::Other
    }

    fn call_value(&self, key: usize) -> ValueExpr {
        self.calls_by_node.get(&key).map_or(ValueExpr::Other, |&i| ValueExpr::Call(i))
    }

    /// Start of an expression, using recorded call spans to avoid re-walking long chains.
    fn expr_start(&self, expr: &Expr) -> usize {
        let recorded = match expr {
            Expr::Call(c) => self.calls_by_node.get(&node(c)),
            Expr::MethodCall(m) => self.calls_by_node.get(&node(m)),
            _ => None,
        };
        match recorded {
            Some(&i) => self.facts.calls[i].span.start as usize,
            None => match expr {
                Expr::MethodCall(m) => self.expr_start(&m.receiver),
                Expr::Await(a) => self.expr_start(&a.base),
                Expr::Try(t) => self.expr_start(&t.expr),
                _ => self.map.expr_start(expr),
            },
        }
    }

    // ----- calls ----------------------------------------------------------------------------

    /// Reserves the slot of a call before its children are visited, so that calls are in
    /// source order with outer calls first.
    fn reserve_call(&mut self, owner: Owner) -> usize {
        let body = self.body.as_ref().expect("calls are only recorded inside a body");
        let site = CallSite {
            owner,
            span: Span::default(),
            method_span: Span::default(),
            target: CallTarget::Other,
            args: Vec::new(),
            in_loop: body.loop_depth > 0,
            guarded: body.guard_depth > 0 || matches!(owner, Owner::Static(_)),
            offloaded: body.offload_depth > 0,
            closure: body.closures.last().copied(),
            outer: None,
        };
        self.facts.calls.push(site);
        self.facts.calls.len() - 1
    }

    fn visit_args<'a>(&mut self, args: impl Iterator<Item = &'a Expr>, kind: ArgKind, iter: bool) -> Vec<ValueExpr> {
        let args: Vec<&Expr> = args.collect();
        let (guard, offload) = (kind == ArgKind::Guard, kind == ArgKind::Offload);
        if let Some(body) = self.body.as_mut() {
            body.guard_depth += u32::from(guard);
            body.offload_depth += u32::from(offload);
        }
        for arg in &args {
            self.pending_iter_arg = iter;
            self.visit_expr(arg);
            self.pending_iter_arg = false;
        }
        if let Some(body) = self.body.as_mut() {
            body.guard_depth -= u32::from(guard);
            body.offload_depth -= u32::from(offload);
        }
        args.iter().map(|a| self.value(a)).collect()
    }

    fn record_call(&mut self, c: &ExprCall) {
        let Some(owner) = self.owner() else {
            return visit::visit_expr_call(self, c);
        };
        let index = self.reserve_call(owner);
        self.calls_by_node.insert(node(c), index);
        let target = match &*c.func {
            Expr::Path(p) => CallTarget::Path(path_fact(&p.path)),
            other => {
                self.visit_expr(other);
                CallTarget::Other
            }
        };
        let kind = match &target {
            CallTarget::Path(p) if is_once_guard_path(p) => ArgKind::Guard,
            CallTarget::Path(p) if is_offload_path(p) => ArgKind::Offload,
            _ => ArgKind::Plain,
        };
        let args = self.visit_args(c.args.iter(), kind, false);
        let start = self.map.expr_start(&c.func);
        let end = self.map.end(c.paren_token.span.close());
        let site = &mut self.facts.calls[index];
        site.span = self.map.between(start, end);
        site.method_span = site.span;
        site.target = target;
        site.args = args;
    }

    fn record_method_call(&mut self, m: &ExprMethodCall) {
        let Some(owner) = self.owner() else {
            return visit::visit_expr_method_call(self, m);
        };
        let index = self.reserve_call(owner);
        self.calls_by_node.insert(node(m), index);
        self.visit_expr(&m.receiver);
        let receiver = self.value(&m.receiver);
        if let ValueExpr::Call(inner) = receiver {
            self.facts.calls[inner].outer.get_or_insert(index);
        }
        let name = ident(&m.method);
        let kind = if is_once_guard_method(&name) {
            ArgKind::Guard
        } else if is_offload_method(&name) {
            ArgKind::Offload
        } else {
            ArgKind::Plain
        };
        let iter = self.is_loop_method(&name, &receiver);
        let args = self.visit_args(m.args.iter(), kind, iter);
        let start = self.expr_start(&m.receiver);
        let end = self.map.end(m.paren_token.span.close());
        let name_start = self.map.start(m.method.span());
        let site = &mut self.facts.calls[index];
        site.span = self.map.between(start, end);
        site.method_span = self.map.between(name_start, end);
        site.target = CallTarget::Method { name, receiver: Box::new(receiver) };
        site.args = args;
    }

    fn is_loop_method(&self, name: &str, receiver: &ValueExpr) -> bool {
        if LOOP_METHODS.contains(&name) {
            return true;
        }
        ITER_ADAPTERS.contains(&name) && self.chain_iterates(receiver)
    }

    /// Whether a receiver chain starts an iteration (`v.iter().map(..)`, `stream::iter(v)`).
    fn chain_iterates(&self, receiver: &ValueExpr) -> bool {
        let mut current = receiver;
        for _ in 0..MAX_CHAIN_STEPS {
            let ValueExpr::Call(i) = current else {
                return false;
            };
            match &self.facts.calls[*i].target {
                CallTarget::Method { name, receiver } => {
                    if ITER_SOURCES.contains(&name.as_str())
                        || LOOP_METHODS.contains(&name.as_str())
                        || ITER_ADAPTERS.contains(&name.as_str())
                    {
                        return true;
                    }
                    current = receiver;
                }
                CallTarget::Path(p) => return p.last() == "iter",
                _ => return false,
            }
        }
        false
    }

    fn record_macro(&mut self, mac: &Macro, key: Option<usize>) {
        let Some(owner) = self.owner() else {
            return self.record_module_macro(mac);
        };
        let index = self.reserve_call(owner);
        if let Some(key) = key {
            self.calls_by_node.insert(key, index);
        }
        let path = path_fact(&mac.path);
        let args = if OPAQUE_MACROS.contains(&path.last()) { Vec::new() } else { self.parse_macro_args(mac) };
        let start = match mac.path.segments.first() {
            Some(seg) => self.map.start(seg.ident.span()),
            None => self.map.start(mac.bang_token.span),
        };
        let end = self.map.end(mac.delimiter.span().close());
        let site = &mut self.facts.calls[index];
        site.span = self.map.between(start, end);
        site.method_span = site.span;
        site.target = CallTarget::Macro(path);
        site.args = args;
    }

    /// A macro invocation among a module's items (`lambda_main!(get_items);`): it may write
    /// `main` itself, so the paths it is given are kept.
    fn record_module_macro(&mut self, mac: &Macro) {
        let path = path_fact(&mac.path);
        if OPAQUE_MACROS.contains(&path.last()) {
            return;
        }
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        let args = match parser.parse2(mac.tokens.clone()) {
            Ok(exprs) => exprs
                .iter()
                .filter_map(|e| match e {
                    Expr::Path(p) => Some(path_fact(&p.path)),
                    _ => None,
                })
                .collect(),
            // Not expressions (`lambda_main!(async bark_answer, dynamo = Client)`): at least the
            // names it is given are followed.
            Err(_) => macro_identifiers(mac.tokens.clone()),
        };
        let start = match mac.path.segments.first() {
            Some(seg) => self.map.start(seg.ident.span()),
            None => self.map.start(mac.bang_token.span),
        };
        let span = self.map.between(start, self.map.end(mac.delimiter.span().close()));
        self.facts.item_macros.push(ItemMacroFact { module: self.module, path, args, span });
    }

    fn parse_macro_args(&mut self, mac: &Macro) -> Vec<ValueExpr> {
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        let Ok(exprs) = parser.parse2(without_biased(mac.tokens.clone())) else {
            return Vec::new();
        };
        let args = self.visit_args(exprs.iter(), ArgKind::Plain, false);
        self.keep_alive.push(exprs);
        args
    }

    // ----- closures and paths ---------------------------------------------------------------

    fn record_closure(&mut self, c: &ExprClosure, iter_arg: bool) {
        let Some(body) = self.body.as_ref() else {
            return visit::visit_expr_closure(self, c);
        };
        let owner = body.owner;
        let guard = body.guard_depth > 0;
        let parent = body.closures.last().copied();
        let index = self.facts.closures.len();
        let mut frame = CaptureFrame::default();
        let mut params = Vec::new();
        for input in &c.inputs {
            let mut names = Vec::new();
            syntax::pat_bindings(input, &mut names);
            frame.bound.extend(names);
            let ty = match input {
                syn::Pat::Type(t) => Some(type_fact(&t.ty)),
                _ => None,
            };
            params.push(ParamFact { name: syntax::pat_ident(input), ty, span: self.map.span(input_span(input)) });
        }
        let span = self.map.between(self.map.closure_start(c), self.map.expr_end(&c.body));
        self.facts.closures.push(ClosureFact {
            owner,
            span,
            params,
            captures: Vec::new(),
            is_move: c.capture.is_some(),
            guard,
            parent,
            body: ValueExpr::Other,
        });
        self.closures_by_node.insert(node(c), index);
        let body = self.body.as_mut().expect("checked above");
        body.closures.push(index);
        body.frames.push(frame);
        if iter_arg {
            body.loop_depth += 1;
        }
        self.visit_expr(&c.body);
        let body = self.body.as_mut().expect("checked above");
        if iter_arg {
            body.loop_depth -= 1;
        }
        body.closures.pop();
        let frame = body.frames.pop().unwrap_or_default();
        if let Some(outer) = body.frames.last_mut() {
            frame.used.iter().for_each(|name| outer.note_use(name));
        }
        let value = self.value(&c.body);
        let fact = &mut self.facts.closures[index];
        fact.captures = frame.used;
        fact.body = value;
    }

    fn record_path_use(&mut self, p: &syn::ExprPath) {
        let Some(body) = self.body.as_mut() else {
            return;
        };
        if p.qself.is_none()
            && p.path.leading_colon.is_none()
            && p.path.segments.len() == 1
            && let Some(frame) = body.frames.last_mut()
        {
            frame.note_use(&ident(&p.path.segments[0].ident));
        }
        let Some(last) = p.path.segments.last() else {
            return;
        };
        if syntax::is_screaming_case(&last.ident.to_string()) {
            let guarded = body.guard_depth > 0;
            let owner = body.owner;
            let span =
                self.map.between(self.map.start(p.path.segments[0].ident.span()), self.map.end(last.ident.span()));
            self.facts.static_refs.push(StaticRef { owner, path: path_fact(&p.path), span, guarded });
        }
    }

    fn bind_pattern(&mut self, pat: &syn::Pat) {
        if let Some(frame) = self.body.as_mut().and_then(|b| b.frames.last_mut()) {
            let mut names = Vec::new();
            syntax::pat_bindings(pat, &mut names);
            frame.bound.extend(names);
        }
    }

    fn in_loop(&mut self, f: impl FnOnce(&mut Self)) {
        if let Some(body) = self.body.as_mut() {
            body.loop_depth += 1;
        }
        f(self);
        if let Some(body) = self.body.as_mut() {
            body.loop_depth -= 1;
        }
    }

    // ----- items ----------------------------------------------------------------------------

    fn record_fn(&mut self, attrs: &[Attribute], sig: &Signature, block: &Block, place: FnPlace) {
        let index = self.facts.fns.len();
        let name = ident(&sig.ident);
        let start = match &sig.asyncness {
            Some(t) => self.map.start(t.span),
            None => self.map.start(sig.fn_token.span),
        };
        let end = self.map.end(block.brace_token.span.close());
        let mut params = Vec::new();
        let mut has_self = false;
        for input in &sig.inputs {
            match input {
                FnArg::Receiver(_) => has_self = true,
                FnArg::Typed(t) => params.push(ParamFact {
                    name: syntax::pat_ident(&t.pat).or_else(|| syntax::extractor_ident(&t.pat)),
                    ty: Some(type_fact(&t.ty)),
                    span: self.map.span(input_span(&t.pat)),
                }),
            }
        }
        self.facts.fns.push(FnFact {
            name: name.clone(),
            module: self.module,
            impl_block: place.impl_block,
            in_trait: place.in_trait,
            span: self.map.between(start, end),
            name_span: self.map.span(sig.ident.span()),
            is_async: sig.asyncness.is_some(),
            attrs: attrs.iter().map(|a| syntax::attr_fact(a, &self.map)).collect(),
            has_self,
            params,
            output: syntax::return_type(&sig.output),
            generics: generic_bounds(sig),
            returns: Vec::new(),
            body: Some(self.map.between(self.map.start(block.brace_token.span.open()), end)),
        });
        if place.impl_block.is_none() && place.in_trait.is_none() {
            self.add_item(name, ItemRef::Fn(index));
        }
        let body = self.with_body(Owner::Fn(index), |this| {
            for stmt in &block.stmts {
                this.visit_stmt(stmt);
            }
            if let Some(tail) = block_tail(block) {
                let value = this.value(tail);
                this.body.as_mut().expect("inside with_body").returns.push(value);
            }
        });
        self.facts.fns[index].returns = body.returns;
    }

    fn record_static(&mut self, name: String, ty: &Type, expr: &Expr, form: StaticForm, span: Span) {
        let index = self.facts.statics.len();
        self.facts.statics.push(StaticFact {
            name: name.clone(),
            module: self.module,
            ty: type_fact(ty),
            form,
            span,
            init: None,
        });
        self.add_item(name, ItemRef::Static(index));
        let mut init = None;
        self.with_body(Owner::Static(index), |this| {
            this.visit_expr(expr);
            init = Some(this.value(expr));
        });
        self.facts.statics[index].init = init;
    }

    fn record_type(&mut self, name: String, kind: TypeKind, span: Span) -> usize {
        let index = self.facts.types.len();
        self.facts.types.push(TypeItem {
            name: name.clone(),
            module: self.module,
            kind,
            fields: Vec::new(),
            alias_of: None,
            span,
        });
        self.add_item(name, ItemRef::Type(index));
        index
    }

    fn record_use(&mut self, tree: &UseTree, prefix: &mut Vec<String>, absolute: bool, public: bool, span: Span) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(ident(&p.ident));
                self.record_use(&p.tree, prefix, absolute, public, span);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let name = ident(&n.ident);
                let (alias, path) = if name == "self" {
                    (prefix.last().cloned().unwrap_or_default(), prefix.clone())
                } else {
                    let mut path = prefix.clone();
                    path.push(name.clone());
                    (name, path)
                };
                self.push_use(UseFact { alias, path, glob: false, absolute, public, span });
            }
            UseTree::Rename(r) => {
                let alias = ident(&r.rename);
                if alias == "_" {
                    return;
                }
                let name = ident(&r.ident);
                let mut path = prefix.clone();
                if name != "self" {
                    path.push(name);
                }
                self.push_use(UseFact { alias, path, glob: false, absolute, public, span });
            }
            UseTree::Glob(_) => {
                self.push_use(UseFact {
                    alias: String::new(),
                    path: prefix.clone(),
                    glob: true,
                    absolute,
                    public,
                    span,
                });
            }
            UseTree::Group(g) => {
                for item in &g.items {
                    self.record_use(item, prefix, absolute, public, span);
                }
            }
        }
    }

    fn push_use(&mut self, fact: UseFact) {
        if !fact.path.is_empty() {
            self.facts.modules[self.module].uses.push(fact);
        }
    }

    fn record_module(&mut self, m: &ItemMod) {
        let name = ident(&m.ident);
        let span = self.map.between(self.map.start(m.mod_token.span), self.map.end(m.ident.span()));
        let parent = self.module;
        let source = match &m.content {
            Some(_) => {
                self.facts.modules.push(ModuleFacts {
                    name: name.clone(),
                    parent: Some(parent),
                    ..ModuleFacts::default()
                });
                ModuleSource::Inline(self.facts.modules.len() - 1)
            }
            None => {
                let path = m
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("path"))
                    .find_map(|a| syntax::attr_fact(a, &self.map).first_str);
                ModuleSource::File { path }
            }
        };
        let children = &mut self.facts.modules[parent].children;
        children.push(ChildModule { name: name.clone(), span, source: source.clone() });
        let child = children.len() - 1;
        self.add_item(name, ItemRef::Module(child));
        if let (ModuleSource::Inline(index), Some((_, items))) = (source, &m.content) {
            self.module = index;
            // Items of an inline module are not part of any enclosing function body.
            let saved = self.body.take();
            for item in items {
                self.visit_item(item);
            }
            self.body = saved;
            self.module = parent;
        }
    }

    /// `lazy_static! { .. }` and `thread_local! { .. }` declare globals; anything else in
    /// item or statement position is an (opaque) macro call.
    fn record_item_macro(&mut self, mac: &Macro, key: Option<usize>) {
        let form = match mac.path.segments.last().map(|s| s.ident.to_string()).as_deref() {
            Some("lazy_static") => Some(StaticForm::LazyStatic),
            Some("thread_local") => Some(StaticForm::ThreadLocal),
            _ => None,
        };
        match form {
            Some(form) => self.record_macro_statics(mac, form),
            None => self.record_macro(mac, key),
        }
    }

    fn record_macro_statics(&mut self, mac: &Macro, form: StaticForm) {
        let Ok(decls) = parse_static_decls.parse2(mac.tokens.clone()) else {
            return;
        };
        for decl in &decls {
            let span = self.map.between(self.map.start(decl.name.span()), self.map.expr_end(&decl.init));
            self.record_static(ident(&decl.name), &decl.ty, &decl.init, form, span);
        }
        self.keep_alive.push(decls.into_iter().map(|d| d.init).collect());
    }

    fn note_too_deep(&mut self, expr: &Expr) {
        if !self.too_deep_noted {
            self.too_deep_noted = true;
            let at = self.map.expr_start(expr);
            self.facts.notes.push((
                Span::from_range(at..at + 1),
                format!("expressions nested more than {MAX_EXPR_DEPTH} levels deep are not analysed"),
            ));
        }
    }
}

#[derive(Clone, Copy, Default)]
struct FnPlace {
    impl_block: Option<usize>,
    in_trait: Option<usize>,
}

/// `tokio::select!`/`join!` arguments without their leading `biased;` (not an expression).
fn without_biased(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Ident(i)), Some(TokenTree::Punct(p))) if i == "biased" && p.as_char() == ';' => {
            trees.collect()
        }
        _ => tokens,
    }
}

/// The plain identifiers of a macro's tokens, outside nested groups, as one-segment paths;
/// keywords and names followed by `::` or `!` are left out.
fn macro_identifiers(tokens: proc_macro2::TokenStream) -> Vec<PathFact> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Ident(ident) = tree else { continue };
        let name = ident.to_string();
        let next_is_path_or_bang =
            matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' || p.as_char() == '!');
        let after_path = i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
        if next_is_path_or_bang || after_path || syn::parse_str::<syn::Ident>(&name).is_err() {
            continue;
        }
        out.push(PathFact { segments: vec![name], absolute: false });
    }
    out
}

fn block_tail(block: &Block) -> Option<&Expr> {
    match block.stmts.last() {
        Some(Stmt::Expr(e, None)) => Some(e),
        _ => None,
    }
}

fn literal_value(lit: &syn::Lit, negate: bool) -> ValueExpr {
    match lit {
        syn::Lit::Int(i) => match i.base10_parse::<i64>() {
            Ok(v) if negate => ValueExpr::Int(v.saturating_neg()),
            Ok(v) => ValueExpr::Int(v),
            Err(_) => ValueExpr::Other,
        },
        syn::Lit::Str(s) if !negate => ValueExpr::Str(s.value()),
        _ => ValueExpr::Other,
    }
}

fn input_span(pat: &syn::Pat) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    match pat {
        syn::Pat::Ident(p) => p.ident.span(),
        syn::Pat::Type(t) => input_span(&t.pat),
        other => other.span(),
    }
}

fn generic_bounds(sig: &Signature) -> Vec<(String, Vec<TypeFact>)> {
    let mut out: Vec<(String, Vec<TypeFact>)> = Vec::new();
    for param in &sig.generics.params {
        if let GenericParam::Type(t) = param {
            out.push((ident(&t.ident), syntax::bound_facts(t.bounds.iter())));
        }
    }
    if let Some(clause) = &sig.generics.where_clause {
        for predicate in &clause.predicates {
            let WherePredicate::Type(p) = predicate else {
                continue;
            };
            let Some(name) = syntax::type_fact(&p.bounded_ty).path.single().map(str::to_string) else {
                continue;
            };
            let bounds = syntax::bound_facts(p.bounds.iter());
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some((_, existing)) => existing.extend(bounds),
                None => out.push((name, bounds)),
            }
        }
    }
    out
}

/// One `static [ref] NAME: T = init;` of `lazy_static!`/`thread_local!`.
struct StaticDecl {
    name: proc_macro2::Ident,
    ty: Type,
    init: Expr,
}

fn parse_static_decls(input: ParseStream) -> syn::Result<Vec<StaticDecl>> {
    let mut decls = Vec::new();
    while !input.is_empty() {
        input.call(Attribute::parse_outer)?;
        input.parse::<syn::Visibility>()?;
        input.parse::<Token![static]>()?;
        if input.peek(Token![ref]) {
            input.parse::<Token![ref]>()?;
        }
        let name: proc_macro2::Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty: Type = input.parse()?;
        input.parse::<Token![=]>()?;
        let init: Expr = input.parse()?;
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        }
        decls.push(StaticDecl { name, ty, init });
    }
    Ok(decls)
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if syntax::is_test_only(item_attrs(item)) {
            return;
        }
        if let Item::Mod(m) = item
            && m.ident == "tests"
        {
            return;
        }
        visit::visit_item(self, item);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.record_fn(&f.attrs, &f.sig, &f.block, FnPlace::default());
    }

    fn visit_item_impl(&mut self, imp: &'ast syn::ItemImpl) {
        let index = self.facts.impls.len();
        let span = self.map.between(self.map.start(imp.impl_token.span), self.map.end(imp.brace_token.span.close()));
        let trait_ = imp.trait_.as_ref().map(|(path, _)| syntax::path_type_fact(path));
        self.facts.impls.push(ImplFact {
            module: self.module,
            self_ty: type_fact(&imp.self_ty),
            trait_,
            span,
            fns: Vec::new(),
            resolvers: imp.attrs.iter().any(|a| {
                a.path().segments.last().is_some_and(|s| RESOLVER_ATTRIBUTES.contains(&s.ident.to_string().as_str()))
            }),
        });
        let saved = self.body.take();
        for item in &imp.items {
            if let ImplItem::Fn(f) = item
                && !syntax::is_test_only(&f.attrs)
            {
                let fn_index = self.facts.fns.len();
                self.record_fn(&f.attrs, &f.sig, &f.block, FnPlace { impl_block: Some(index), in_trait: None });
                self.facts.impls[index].fns.push(fn_index);
            }
        }
        self.body = saved;
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        let span = self.map.between(self.map.start(t.trait_token.span), self.map.end(t.brace_token.span.close()));
        let index = self.record_type(ident(&t.ident), TypeKind::Trait, span);
        let saved = self.body.take();
        for item in &t.items {
            if let TraitItem::Fn(f) = item
                && let Some(block) = &f.default
                && !syntax::is_test_only(&f.attrs)
            {
                self.record_fn(&f.attrs, &f.sig, block, FnPlace { impl_block: None, in_trait: Some(index) });
            }
        }
        self.body = saved;
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let span = self.map.between(self.map.start(s.struct_token.span), self.map.end(s.ident.span()));
        let index = self.record_type(ident(&s.ident), TypeKind::Struct, span);
        let fields = s
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.ident.as_ref().map_or_else(|| i.to_string(), ident), type_fact(&f.ty)))
            .collect();
        self.facts.types[index].fields = fields;
    }

    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        let span = self.map.between(self.map.start(e.enum_token.span), self.map.end(e.ident.span()));
        self.record_type(ident(&e.ident), TypeKind::Enum, span);
    }

    fn visit_item_union(&mut self, u: &'ast syn::ItemUnion) {
        let span = self.map.between(self.map.start(u.union_token.span), self.map.end(u.ident.span()));
        self.record_type(ident(&u.ident), TypeKind::Union, span);
    }

    fn visit_item_type(&mut self, t: &'ast syn::ItemType) {
        let span = self.map.between(self.map.start(t.type_token.span), self.map.end(t.semi_token.span));
        let index = self.record_type(ident(&t.ident), TypeKind::Alias, span);
        self.facts.types[index].alias_of = Some(type_fact(&t.ty));
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        let span = self.map.between(self.map.start(s.static_token.span), self.map.end(s.semi_token.span));
        self.record_static(ident(&s.ident), &s.ty, &s.expr, StaticForm::Static, span);
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        let span = self.map.between(self.map.start(c.const_token.span), self.map.end(c.semi_token.span));
        self.record_static(ident(&c.ident), &c.ty, &c.expr, StaticForm::Const, span);
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        self.record_module(m);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let span = self.map.between(self.map.start(u.use_token.span), self.map.end(u.semi_token.span));
        let public = matches!(u.vis, syn::Visibility::Public(_));
        self.record_use(&u.tree, &mut Vec::new(), u.leading_colon.is_some(), public, span);
    }

    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        let span = self.map.between(self.map.start(e.extern_token.span), self.map.end(e.semi_token.span));
        let name = ident(&e.ident);
        let alias = e.rename.as_ref().map_or_else(|| name.clone(), |(_, r)| ident(r));
        let (path, absolute) = if name == "self" { (vec!["crate".to_string()], false) } else { (vec![name], true) };
        let public = matches!(e.vis, syn::Visibility::Public(_));
        if e.attrs.iter().any(|a| a.path().is_ident("macro_use")) {
            // `#[macro_use] extern crate lambda_runtime;` brings its macros (`lambda!`) into
            // every module: recorded as a glob import of the crate.
            self.push_use(UseFact { alias: String::new(), path: path.clone(), glob: true, absolute, public, span });
        }
        self.push_use(UseFact { alias, path, glob: false, absolute, public, span });
    }

    fn visit_item_macro(&mut self, m: &'ast syn::ItemMacro) {
        self.record_item_macro(&m.mac, None);
    }

    fn visit_stmt_macro(&mut self, m: &'ast StmtMacro) {
        self.record_item_macro(&m.mac, None);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.bind_pattern(&local.pat);
        let Some(owner) = self.owner() else { return };
        let Some(name) = syntax::pat_ident(&local.pat) else {
            return;
        };
        let ty = match &local.pat {
            syn::Pat::Type(t) => Some(type_fact(&t.ty)),
            _ => None,
        };
        let init = local.init.as_ref().map(|i| self.value(&i.expr));
        let start = self.map.start(local.let_token.span);
        let span = self.map.between(start, self.map.end(local.semi_token.span));
        self.facts.lets.push(LetFact { owner, name, ty, init, span });
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        let iter_arg = std::mem::take(&mut self.pending_iter_arg);
        if self.depth >= MAX_EXPR_DEPTH {
            self.note_too_deep(expr);
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Call(c) => self.record_call(c),
            Expr::MethodCall(m) => self.record_method_call(m),
            Expr::Macro(m) => self.visit_expr_macro(m),
            Expr::Closure(c) => self.record_closure(c, iter_arg),
            Expr::Path(p) => self.record_path_use(p),
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                self.bind_pattern(&f.pat);
                self.in_loop(|this| this.visit_block(&f.body));
            }
            Expr::While(w) => self.in_loop(|this| {
                this.visit_expr(&w.cond);
                this.visit_block(&w.body);
            }),
            Expr::Loop(l) => self.in_loop(|this| this.visit_block(&l.body)),
            Expr::Return(r) => {
                if let Some(value) = &r.expr {
                    self.visit_expr(value);
                    let reduced = self.value(value);
                    if let Some(body) = self.body.as_mut()
                        && body.closures.is_empty()
                    {
                        body.returns.push(reduced);
                    }
                }
            }
            _ => visit::visit_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_expr_macro(&mut self, m: &'ast ExprMacro) {
        self.record_macro(&m.mac, Some(node(m)));
    }

    fn visit_pat(&mut self, pat: &'ast syn::Pat) {
        // Patterns in `match` arms, `if let` and closures bind names inside closures.
        self.bind_pattern(pat);
    }

    fn visit_type(&mut self, _: &'ast Type) {
        // Types are converted on demand; walking them here would only cost time.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> FileFacts {
        collect_file(text).expect("parses")
    }

    #[test]
    fn test_modules_are_cut_before_parsing_and_spans_stay_put() {
        let code = "#![allow(dead_code)]\n/// Docs.\n#[cfg(test)]\npub(crate) mod mocks { fn m() { Client::new(); } }\n\
                    mod tests;\n#[cfg(all(test, feature = \"x\"))] mod more { fn broken() { let = ; } }\n\
                    #[cfg(not(test))] mod real { pub fn handler() { send(); } }\nfn after() { other(); }\n";
        let f = facts(code);
        assert_eq!(call_names(&f), ["send", "other"]);
        let send = &f.calls[0];
        assert_eq!(&code[send.span.start as usize..send.span.end as usize], "send()");
        let names: Vec<&str> = f.modules[0].children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["real"]);
        // Not a module item: kept, so its syntax error is still reported.
        assert!(collect_file("fn tests() { let x = ; }").is_err());
    }

    fn call_names(f: &FileFacts) -> Vec<String> {
        f.calls
            .iter()
            .map(|c| match &c.target {
                CallTarget::Path(p) => p.joined(),
                CallTarget::Method { name, .. } => format!(".{name}"),
                CallTarget::Macro(p) => format!("{}!", p.joined()),
                CallTarget::Other => "?".to_string(),
            })
            .collect()
    }

    #[test]
    fn call_spans_cover_the_whole_call() {
        let text = "fn f() { let p = PgPoolOptions::new().max_connections(10).connect(url).await; }";
        let f = facts(text);
        let spans: Vec<&str> = f.calls.iter().map(|c| &text[c.span.start as usize..c.span.end as usize]).collect();
        assert_eq!(
            spans,
            [
                "PgPoolOptions::new().max_connections(10).connect(url)",
                "PgPoolOptions::new().max_connections(10)",
                "PgPoolOptions::new()"
            ]
        );
        assert_eq!(call_names(&f), [".connect", ".max_connections", "PgPoolOptions::new"]);
        assert_eq!(f.calls[1].args, [ValueExpr::Int(10)]);
        assert_eq!(f.calls[2].outer, Some(1));
        assert_eq!(f.calls[1].outer, Some(0));
    }

    #[test]
    fn once_guard_closures_mark_their_calls() {
        let text = r#"
            static CLIENT: OnceLock<Client> = OnceLock::new();
            fn client() -> &'static Client { CLIENT.get_or_init(|| Client::new()) }
            fn handler() { Client::new(); }
        "#;
        let f = facts(text);
        let guarded: Vec<(String, bool)> = call_names(&f).into_iter().zip(f.calls.iter().map(|c| c.guarded)).collect();
        assert_eq!(
            guarded,
            [
                ("OnceLock::new".to_string(), true),
                (".get_or_init".to_string(), false),
                ("Client::new".to_string(), true),
                ("Client::new".to_string(), false)
            ]
        );
        assert!(f.closures[0].guard);
        assert_eq!(f.static_refs.len(), 1);
    }

    #[test]
    fn loops_and_iterator_closures_are_loops() {
        let text = r#"
            fn f(v: Vec<u8>) {
                for x in v.iter() { a(x); }
                v.iter().map(|x| b(x)).count();
                opt.map(|x| c(x));
            }
        "#;
        let f = facts(text);
        let in_loop: Vec<(String, bool)> = call_names(&f).into_iter().zip(f.calls.iter().map(|c| c.in_loop)).collect();
        let expect = [
            (".iter", false),
            ("a", true),
            (".count", false),
            (".map", false),
            (".iter", false),
            ("b", true),
            (".map", false),
            ("c", false),
        ];
        assert_eq!(in_loop, expect.map(|(n, l)| (n.to_string(), l)));
    }

    #[test]
    fn test_code_is_skipped() {
        let text = r#"
            fn real() {}
            #[cfg(test)] mod mocks { fn mock() { Client::new(); } }
            mod tests { fn t() {} }
            #[test] fn t2() {}
            #[cfg(all(test, feature = "x"))] fn t3() {}
            #[cfg(not(test))] fn kept() {}
            #[cfg(any(test, feature = "x"))] fn kept_too() {}
        "#;
        let f = facts(text);
        let names: Vec<&str> = f.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["real", "kept", "kept_too"]);
        assert!(f.calls.is_empty());
    }

    #[test]
    fn use_trees_are_flattened() {
        let text = "use a::{b as c, d::{self, *}, e}; pub use ::f::g; extern crate h as i;";
        let f = facts(text);
        let uses: Vec<(String, String, bool, bool)> =
            f.modules[0].uses.iter().map(|u| (u.alias.clone(), u.path.join("::"), u.glob, u.absolute)).collect();
        let expect = [
            ("c", "a::b", false, false),
            ("d", "a::d", false, false),
            ("", "a::d", true, false),
            ("e", "a::e", false, false),
            ("g", "f::g", false, true),
            ("i", "h", false, true),
        ];
        assert_eq!(uses, expect.map(|(a, p, g, abs)| (a.to_string(), p.to_string(), g, abs)));
        assert!(f.modules[0].uses[4].public);
    }

    #[test]
    fn lazy_static_and_thread_local_are_globals() {
        let text = r#"
            lazy_static! { static ref CLIENT: Client = Client::new(); }
            thread_local! { static BUF: RefCell<Vec<u8>> = RefCell::new(Vec::new()); }
        "#;
        let f = facts(text);
        let forms: Vec<(&str, StaticForm)> = f.statics.iter().map(|s| (s.name.as_str(), s.form)).collect();
        assert_eq!(forms, [("CLIENT", StaticForm::LazyStatic), ("BUF", StaticForm::ThreadLocal)]);
        assert!(f.calls.iter().all(|c| c.guarded && matches!(c.owner, Owner::Static(_))));
        assert_eq!(call_names(&f), ["Client::new", "RefCell::new", "Vec::new"]);
    }

    #[test]
    fn closures_know_params_and_captures() {
        let text = "fn main() { let t = 1; run(service_fn(move |ev: LambdaEvent<Order>| save(&t, ev))); }";
        let f = facts(text);
        let c = &f.closures[0];
        assert_eq!(c.params[0].name.as_deref(), Some("ev"));
        assert_eq!(c.params[0].ty.as_ref().map(|t| t.path.joined()), Some("LambdaEvent".to_string()));
        assert_eq!(c.captures, ["t"]);
        assert!(c.is_move);
        assert!(matches!(c.body, ValueExpr::Call(_)));
    }

    #[test]
    fn macro_bodies_of_known_macros_are_parsed() {
        let text = "fn main() { lambda!(|e, c| handle(e, c)); println!(\"{}\", secret()); }";
        let f = facts(text);
        assert_eq!(call_names(&f), ["lambda!", "handle", "println!"]);
        assert!(matches!(f.calls[0].args[..], [ValueExpr::Closure(0)]));
    }

    #[test]
    fn returns_are_tail_and_return_values() {
        let text =
            "fn make(d: &Deps) -> impl Fn(Request) -> Fut { if x { return other(); } move |r| Box::pin(route(d, r)) }";
        let f = facts(text);
        assert_eq!(f.fns[0].returns.len(), 2);
        assert!(matches!(f.fns[0].returns[1], ValueExpr::Closure(0)));
    }

    #[test]
    fn bom_and_shebang_keep_offsets() {
        let text = "\u{feff}#!/usr/bin/env run\nfn main() { go(); }\n";
        let f = facts(text);
        let span = f.calls[0].span;
        assert_eq!(&text[span.start as usize..span.end as usize], "go()");
    }

    #[test]
    fn spans_are_bytes_in_non_ascii_and_crlf_text() {
        let text = "// día\r\nfn main() {\r\n    let s = \"héllo → ü\"; go(s);\r\n}\r\n";
        let f = facts(text);
        let span = f.calls[0].span;
        assert_eq!(&text[span.start as usize..span.end as usize], "go(s)");
        let binding = f.lets[0].span;
        assert_eq!(&text[binding.start as usize..binding.end as usize], "let s = \"héllo → ü\";");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let text = "fn main() {\n    let x = ;\n}\n";
        let err = collect_file(text).unwrap_err();
        assert!(err.syntax);
        assert_eq!(&text[err.span.start as usize..err.span.end as usize], ";");
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let text = format!("fn main() {{ {}1{} }}", "(".repeat(300), ")".repeat(300));
        let err = collect_file(&text).unwrap_err();
        assert!(!err.syntax);
        // Brackets in strings and comments do not count.
        let quiet = format!("fn main() {{ let s = \"{}\"; // {}\n }}", "(".repeat(300), "[".repeat(300));
        assert!(collect_file(&quiet).is_ok());
    }

    #[test]
    fn long_runs_of_prefix_operators_are_refused_before_parsing() {
        let text = format!("fn main() {{ let x = {}true; }}", "!".repeat(5_000));
        let err = collect_file(&text).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{}", err.message);
        // The count restarts with every statement and argument.
        let many = "fn main() { let a = !!x; let b = -*&y; f(!a, !b); }\n".repeat(2_000);
        assert!(collect_file(&many).is_ok());
    }
}
