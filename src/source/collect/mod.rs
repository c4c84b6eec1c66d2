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

#[cfg(test)]
mod tests;
mod visitor;

use super::prescan::{nesting_problem, strip_preamble, without_test_modules};
use super::vocab::*;
use visitor::*;

/// Expressions nested deeper than this are not looked into by the visitor.
const MAX_EXPR_DEPTH: usize = 384;
/// Steps when following receiver chains in collected facts.
const MAX_CHAIN_STEPS: usize = 256;

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

/// How a call treats its arguments' code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ArgKind {
    Plain,
    /// Runs once per environment (a once-initialiser).
    Guard,
    /// Runs off the async workers.
    Offload,
}

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
