//! Finding a binary's Lambda registration and the handlers it is given.
//!
//! From `main` (and functions it calls, up to [`MAX_REGISTRATION_DEPTH`] deep, into the lib
//! target and path dependencies) the first call that resolves to a Lambda runtime entry is the
//! registration (`lambda_runtime::run`, `lambda_http::run_with_streaming_response`,
//! `Runtime::new(x)..run()`, `lambda!`, adapters such as `lambda_web::run_actix_on_lambda`;
//! `#[lambda]` on `main` makes all of `main` the handler). A user function called `run` is not
//! one: the path must resolve into a Lambda crate.
//!
//! Its argument is unwrapped to handler roots: `service_fn`/`handler_fn`/`ServiceBuilder`/
//! `Runtime::new(..).layer(..)`/`&x`/`x.clone()`/`Box::new` are looked through, variables are
//! followed to their initialiser (and parameters to the caller's argument), closures are
//! handlers, factory calls are followed into what they return, values of a type with a
//! `Service` impl give its `call`, and routers give their route handlers and middleware.
//! Without a registration, functions with a Lambda event signature are handlers with low
//! confidence.

use rustc_hash::FxHashSet;

use super::facts::*;
use super::load::Loaded;
use super::resolve::{FnRef, ModId, Program, Resolved, TypeKey};
use super::scope::Scope;
use super::{Confidence, Handler, HandlerKind, Registration, RouteFact};
use crate::span::Span;

/// How far from `main` the registration is searched.
const MAX_REGISTRATION_DEPTH: usize = 3;
/// How many wrappers, variables and factories are looked through.
const MAX_UNWRAP_DEPTH: usize = 16;

/// Crates whose `run` functions start the Lambda runtime (after renames).
const LAMBDA_CRATES: &[&str] = &["lambda_runtime", "lambda_http", "lambda", "netlify_lambda", "netlify_lambda_http"];
const RUN_FUNCTIONS: &[&str] =
    &["run", "run_concurrent", "run_with_streaming_response", "run_with_streaming_response_concurrent"];
/// Framework adapters that take an app and run it on Lambda.
const ADAPTERS: &[&str] = &[
    "lambda_web::run_actix_on_lambda",
    "lambda_web::run_hyper_on_lambda",
    "lambda_web::launch_rocket_on_lambda",
    "warp_lambda::run",
    "poem_lambda::run",
    "actix_lambda::run",
];
/// Calls whose first argument is the service (or handler) itself.
const WRAPPER_FUNCTIONS: &[&str] = &["service_fn", "handler_fn", "Box::new", "Box::pin", "Arc::new", "Rc::new"];
/// Methods that pass their receiver's service through.
const PASS_THROUGH_METHODS: &[&str] = &[
    "clone",
    "layer",
    "route_layer",
    "into_service",
    "into_make_service",
    "boxed",
    "boxed_clone",
    "with_state",
    "map_err",
    "map_request",
    "map_response",
    "map_result",
    "into",
    "to_owned",
];
/// Methods only routers have.
const ROUTER_METHODS: &[&str] = &["route", "nest", "merge", "fallback", "route_service", "nest_service"];
/// axum method routers.
const HTTP_METHODS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "options", "trace", "connect", "any"];

/// A piece of code whose calls run together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    Fn(FnRef),
    Closure {
        file: usize,
        closure: usize,
    },
    /// A function up to the end of the call at `end` (`main` before the runtime starts).
    FnUntil {
        f: FnRef,
        end: u32,
    },
    /// A global's initialiser.
    Static {
        file: usize,
        index: usize,
    },
}

/// What discovery found for one binary.
#[derive(Default)]
pub struct Found {
    pub registration: Option<Registration>,
    pub handlers: Vec<Handler>,
    /// `(handler, region)`: where each handler's code is.
    pub roots: Vec<(usize, Region)>,
    pub routes: Vec<RouteFact>,
    /// Init code and the function names leading to it.
    pub init_seeds: Vec<(Region, Vec<String>)>,
    /// Handler closures: not init, even though they sit inside `main`.
    pub excluded: Vec<(usize, Span)>,
    /// Handler functions: not followed as init code.
    pub handler_fns: FxHashSet<FnRef>,
    pub payload_types: Vec<String>,
    pub notes: Vec<(usize, Span, String)>,
}

/// Where the registration is: the functions from `main` to it (with the call taken in each),
/// the function it is in, and the call.
struct Located {
    chain: Vec<(FnRef, usize)>,
    scope: Scope,
    call: usize,
    entry: Entry,
}

/// A registration call and the value it was given.
struct Entry {
    api: String,
    /// The call whose first argument is the service (the registration itself, or the root
    /// `Runtime::new(x)` of a builder chain).
    argument_call: usize,
    /// `.layer(..)` calls of a runtime builder chain.
    layers: Vec<usize>,
}

pub fn discover(program: &Program, loaded: &Loaded, krate: usize) -> Found {
    let mut finder = Finder { program, loaded, found: Found::default(), callers: Vec::new() };
    finder.run(krate);
    finder.found
}

struct Finder<'p, 'a> {
    program: &'p Program<'a>,
    loaded: &'a Loaded,
    found: Found,
    /// Calls that led into the function being unwrapped (for parameter → argument).
    callers: Vec<(Scope, usize)>,
}

impl Finder<'_, '_> {
    fn run(&mut self, krate: usize) {
        let main = self.main_fn(krate);
        let whole_main = main.is_some_and(|m| self.whole_main(m));
        if !whole_main
            && let Some(main) = main
            && let Some(found) = self.search(main, 0, &mut vec![main], &mut Vec::new())
        {
            self.register(&found.chain, &found.scope, found.call, found.entry);
        }
        if self.found.handlers.is_empty() {
            self.fallback(krate, main);
        }
        self.collect_payloads();
    }

    fn main_fn(&self, krate: usize) -> Option<FnRef> {
        let root = self.program.crate_root(krate)?;
        let node = &self.program.modules[root.0];
        let module = self.program.facts(node.file)?.modules.get(node.local)?;
        module.items.iter().find_map(|(name, item)| match item {
            ItemRef::Fn(index) if name == "main" => Some(FnRef { file: node.file, index: *index }),
            _ => None,
        })
    }

    /// `#[lambda] async fn main(event, ctx)`: the body of `main` runs per invocation.
    fn whole_main(&mut self, main: FnRef) -> bool {
        let Some(function) = self.program.function(main) else {
            return false;
        };
        let Some(attr) = function.attrs.iter().find(|a| a.path.last() == "lambda") else {
            return false;
        };
        self.found.registration = Some(Registration {
            api: format!("#[{}]", attr.path.joined()),
            concurrent: false,
            streaming: false,
            file: self.loaded.file_id(main.file),
            span: attr.span,
            via: vec!["main".to_string()],
        });
        self.add_fn_handler(main, HandlerKind::WholeMain);
        true
    }

    // ----- registration ---------------------------------------------------------------------

    /// Depth-first through `main`'s calls in source order; the first registration wins.
    fn search(
        &self,
        f: FnRef,
        depth: usize,
        path: &mut Vec<FnRef>,
        chain: &mut Vec<(FnRef, usize)>,
    ) -> Option<Located> {
        let scope = Scope::for_fn(self.program, f)?;
        for &call in self.program.calls_of(f.file, Owner::Fn(f.index)) {
            if let Some(entry) = self.registration(&scope, call) {
                return Some(Located { chain: chain.clone(), scope, call, entry });
            }
            if depth >= MAX_REGISTRATION_DEPTH {
                continue;
            }
            for target in scope.call_targets(self.program, call) {
                let super::scope::Target::Fn(next) = target else {
                    continue;
                };
                if path.contains(&next) {
                    continue;
                }
                path.push(next);
                chain.push((f, call));
                let found = self.search(next, depth + 1, path, chain);
                chain.pop();
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }

    fn registration(&self, scope: &Scope, index: usize) -> Option<Entry> {
        let call = scope.facts(self.program).calls.get(index)?;
        match &call.target {
            CallTarget::Path(path) => {
                let api = scope.path_name(self.program, path);
                is_registration_path(&api).then_some(Entry { api, argument_call: index, layers: Vec::new() })
            }
            CallTarget::Method { name, receiver } if name == "run" => self.runtime_chain(scope, receiver),
            CallTarget::Macro(path) if path.last() == "lambda" => {
                let api = scope.path_name(self.program, path);
                let lambda_crate = api.split("::").next().is_some_and(|c| LAMBDA_CRATES.contains(&c));
                let plain = api == "lambda" && self.package_is_lambda(scope);
                (lambda_crate || plain).then(|| Entry {
                    api: format!("{api}!"),
                    argument_call: index,
                    layers: Vec::new(),
                })
            }
            _ => None,
        }
    }

    /// `Runtime::new(svc).layer(..).run()` or `lambda_http::runtime(svc).run()`.
    fn runtime_chain(&self, scope: &Scope, receiver: &ValueExpr) -> Option<Entry> {
        let facts = scope.facts(self.program);
        let mut layers = Vec::new();
        let mut current = receiver;
        for _ in 0..MAX_UNWRAP_DEPTH {
            // `let runtime = lambda_http::runtime(svc); runtime.run()`.
            if let ValueExpr::Path(path, span) = current
                && let Some(name) = path.single()
            {
                current = scope.let_before(self.program, name, span.start)?.init.as_ref()?;
                continue;
            }
            let ValueExpr::Call(i) = current else {
                return None;
            };
            match &facts.calls[*i].target {
                CallTarget::Method { name, receiver } => {
                    if name == "layer" {
                        layers.push(*i);
                    }
                    current = receiver;
                }
                CallTarget::Path(path) => {
                    let root = scope.path_name(self.program, path);
                    let lambda_crate = root.split("::").next().is_some_and(|c| LAMBDA_CRATES.contains(&c));
                    let builder = root.ends_with("Runtime::new")
                        || root.ends_with("Runtime::from")
                        || root.ends_with("::runtime")
                        || root.ends_with("::runtime_concurrent");
                    return (lambda_crate && builder).then(|| Entry {
                        api: format!("{root}(..).run"),
                        argument_call: *i,
                        layers,
                    });
                }
                _ => return None,
            }
        }
        None
    }

    fn package_is_lambda(&self, scope: &Scope) -> bool {
        let krate = self.program.modules[scope.module.0].krate;
        self.loaded.packages[self.loaded.crates[krate].package].is_lambda
    }

    fn register(&mut self, chain: &[(FnRef, usize)], scope: &Scope, call: usize, entry: Entry) {
        let facts = scope.facts(self.program);
        let site = &facts.calls[call];
        let mut via: Vec<String> = chain.iter().map(|(f, _)| self.program.fn_short_name(*f)).collect();
        if let Some(f) = scope.fn_ref() {
            via.push(self.program.fn_short_name(f));
        }
        self.found.registration = Some(Registration {
            concurrent: entry.api.contains("concurrent"),
            streaming: entry.api.contains("streaming"),
            api: entry.api.clone(),
            file: self.loaded.file_id(scope.file),
            span: site.span,
            via: via.clone(),
        });
        // Everything up to and including the registration call runs once.
        for (depth, (f, at)) in chain.iter().enumerate() {
            let end = self.program.facts(f.file).map_or(0, |facts| facts.calls[*at].span.end);
            self.found.init_seeds.push((Region::FnUntil { f: *f, end }, via[..=depth].to_vec()));
        }
        if let Some(f) = scope.fn_ref() {
            self.found.init_seeds.push((Region::FnUntil { f, end: site.span.end }, via.clone()));
        }
        let argument = facts.calls[entry.argument_call].args.first().cloned();
        match argument {
            Some(value) if is_app_factory_adapter(&entry.api) => self.app_factory(scope, &value, &via),
            Some(value) => self.unwrap(scope, &value, 0),
            None => {}
        }
        for layer in entry.layers {
            self.layer_middleware(scope, layer);
        }
        if self.found.handlers.is_empty() {
            let message = format!("slint could not tell which handler is passed to `{}`", entry.api);
            self.found.notes.push((scope.file, site.span, message));
        }
    }

    // ----- unwrapping the registered value ----------------------------------------------------

    fn unwrap(&mut self, scope: &Scope, value: &ValueExpr, depth: usize) {
        if depth > MAX_UNWRAP_DEPTH {
            return;
        }
        match value {
            ValueExpr::Closure(c) => {
                self.add_closure_handler(scope, *c, HandlerKind::Closure);
            }
            ValueExpr::Path(path, span) => self.unwrap_path(scope, path, span.start, depth),
            ValueExpr::Struct(path, _) => {
                if let Resolved::Type(ty) = scope.resolve(self.program, path) {
                    self.add_service_impl(&ty);
                }
            }
            ValueExpr::Call(i) => self.unwrap_call(scope, *i, depth),
            _ => {}
        }
    }

    fn unwrap_path(&mut self, scope: &Scope, path: &PathFact, position: u32, depth: usize) {
        if let Some(name) = path.single() {
            if let Some(binding) = scope.let_before(self.program, name, position) {
                if let Some(init) = binding.init.clone() {
                    self.unwrap(scope, &init, depth + 1);
                }
                return;
            }
            if let Some((index, _)) = scope.param(self.program, name) {
                self.unwrap_caller_argument(index, depth);
                return;
            }
        }
        match scope.resolve(self.program, path) {
            Resolved::Fn(f) => {
                self.add_fn_handler(f, HandlerKind::Fn);
            }
            Resolved::Assoc { ty, name } => {
                for method in self.program.methods(&ty, &name) {
                    self.add_fn_handler(method, HandlerKind::Method);
                }
            }
            Resolved::Type(ty) => self.add_service_impl(&ty),
            _ => {}
        }
    }

    /// A parameter of the function being unwrapped: continue with the caller's argument.
    fn unwrap_caller_argument(&mut self, index: usize, depth: usize) {
        let Some((caller, call)) = self.callers.pop() else {
            return;
        };
        let argument = caller.facts(self.program).calls[call].args.get(index).cloned();
        if let Some(argument) = argument {
            self.unwrap(&caller, &argument, depth + 1);
        }
        self.callers.push((caller, call));
    }

    fn unwrap_call(&mut self, scope: &Scope, index: usize, depth: usize) {
        if self.is_router(scope, index) {
            self.collect_router(scope, &ValueExpr::Call(index), "", depth);
            return;
        }
        let call = scope.facts(self.program).calls[index].clone();
        let first = call.args.first().cloned();
        match &call.target {
            CallTarget::Path(path) => {
                let resolved = scope.resolve(self.program, path);
                let name = self.program.resolved_name(&resolved);
                if is_wrapper(&name) {
                    if let Some(first) = first {
                        self.unwrap(scope, &first, depth + 1);
                    }
                    return;
                }
                match resolved {
                    Resolved::Fn(f) => self.unwrap_factory(scope, index, f, None, depth),
                    Resolved::Assoc { ty, name } => {
                        let methods = self.program.methods(&ty, &name);
                        for method in &methods {
                            self.unwrap_factory(scope, index, *method, Some(&ty), depth);
                        }
                        if methods.is_empty() {
                            self.add_service_impl(&ty);
                        }
                    }
                    _ => {}
                }
            }
            CallTarget::Method { name, receiver } => {
                if name == "service_fn" || name == "service" {
                    if let Some(first) = first {
                        self.unwrap(scope, &first, depth + 1);
                    }
                } else if PASS_THROUGH_METHODS.contains(&name.as_str()) {
                    if name == "layer" || name == "route_layer" {
                        self.layer_middleware(scope, index);
                    }
                    self.unwrap(scope, receiver, depth + 1);
                } else if let Some(ty) = scope.infer(self.program, receiver) {
                    for method in self.program.methods(&ty, name) {
                        self.unwrap_factory(scope, index, method, Some(&ty), depth);
                    }
                }
            }
            CallTarget::Macro(path) if path.last() == "lambda" => {
                if let Some(first) = first {
                    self.unwrap(scope, &first, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// A call to our own function that builds the service: what it returns is the service
    /// (a closure it returns is the per-invocation code; the rest of it is init code).
    fn unwrap_factory(&mut self, caller: &Scope, call: usize, f: FnRef, self_ty: Option<&TypeKey>, depth: usize) {
        let Some(scope) = Scope::for_fn(self.program, f) else {
            return;
        };
        let Some(function) = self.program.function(f) else {
            return;
        };
        let before = self.found.handlers.len();
        self.callers.push((caller.clone(), call));
        for value in &function.returns {
            self.unwrap(&scope, value, depth + 1);
        }
        self.callers.pop();
        if self.found.handlers.len() == before
            && let Some(ty) = self.program.output_type(f, self_ty)
        {
            self.add_service_impl(&ty);
        }
    }

    /// Closures passed to a runtime layer run around every invocation (`OtelLayer::new(|| ..)`),
    /// and `from_fn(mw)` middleware runs on every request.
    fn layer_middleware(&mut self, scope: &Scope, layer: usize) {
        let facts = scope.facts(self.program);
        for arg in facts.calls[layer].args.clone() {
            let ValueExpr::Call(inner) = arg else {
                continue;
            };
            let inner_call = &facts.calls[inner];
            let is_from_fn = matches!(&inner_call.target, CallTarget::Path(p) if p.last().starts_with("from_fn"));
            for value in inner_call.args.clone() {
                match value {
                    ValueExpr::Closure(c) => {
                        self.add_closure_handler(scope, c, HandlerKind::Middleware);
                    }
                    ValueExpr::Path(path, _) if is_from_fn => {
                        if let Resolved::Fn(f) = scope.resolve(self.program, &path) {
                            self.add_fn_handler(f, HandlerKind::Middleware);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    // ----- routers ----------------------------------------------------------------------------

    fn is_router(&self, scope: &Scope, index: usize) -> bool {
        let facts = scope.facts(self.program);
        let mut current = index;
        for _ in 0..MAX_UNWRAP_DEPTH * 16 {
            match &facts.calls[current].target {
                CallTarget::Method { name, receiver } => {
                    if ROUTER_METHODS.contains(&name.as_str()) {
                        return true;
                    }
                    let ValueExpr::Call(next) = **receiver else {
                        return false;
                    };
                    current = next;
                }
                CallTarget::Path(path) => {
                    return scope.path_name(self.program, path).ends_with("Router::new");
                }
                _ => return false,
            }
        }
        false
    }

    /// Routes of an axum `Router` chain: `.route(p, get(f).post(g))`, `.nest(p, r)`,
    /// `.merge(r)`, `.fallback(f)`, `.layer(from_fn(mw))`; routers built by our functions or
    /// bound to variables are followed.
    fn collect_router(&mut self, scope: &Scope, value: &ValueExpr, prefix: &str, depth: usize) {
        if depth > MAX_UNWRAP_DEPTH {
            return;
        }
        let facts = scope.facts(self.program);
        match value {
            ValueExpr::Path(path, span) => {
                if let Some(name) = path.single()
                    && let Some(init) = scope.let_before(self.program, name, span.start).and_then(|l| l.init.clone())
                {
                    self.collect_router(scope, &init, prefix, depth + 1);
                }
            }
            ValueExpr::Call(index) => {
                let call = facts.calls[*index].clone();
                match &call.target {
                    CallTarget::Method { name, receiver } => {
                        // The receiver first, so routes come in source order.
                        self.collect_router(scope, receiver, prefix, depth + 1);
                        self.router_method(scope, *index, name, &call.args, prefix, depth);
                    }
                    CallTarget::Path(path) => {
                        if let Resolved::Fn(f) = scope.resolve(self.program, path)
                            && let (Some(inner), Some(function)) =
                                (Scope::for_fn(self.program, f), self.program.function(f))
                        {
                            for returned in &function.returns {
                                self.collect_router(&inner, returned, prefix, depth + 1);
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn router_method(
        &mut self,
        scope: &Scope,
        index: usize,
        name: &str,
        args: &[ValueExpr],
        prefix: &str,
        depth: usize,
    ) {
        let path_arg = |i: usize| match args.get(i) {
            Some(ValueExpr::Str(s)) => Some(join_route(prefix, s)),
            _ => None,
        };
        match name {
            "route" => {
                let Some(path) = path_arg(0) else { return };
                for (method, handler) in self.method_router(scope, args.get(1), depth) {
                    self.add_route(scope, index, method, path.clone(), handler.as_ref());
                }
            }
            "route_service" | "nest_service" => {
                if let Some(path) = path_arg(0) {
                    self.add_route(scope, index, "ANY".to_string(), path, None);
                }
            }
            "nest" => {
                if let (Some(path), Some(inner)) = (path_arg(0), args.get(1)) {
                    self.collect_router(scope, inner, &path, depth + 1);
                }
            }
            "merge" => {
                if let Some(inner) = args.first() {
                    self.collect_router(scope, inner, prefix, depth + 1);
                }
            }
            "fallback" => {
                if let Some(handler) = args.first() {
                    self.add_value_handler(scope, handler, HandlerKind::Fallback);
                }
            }
            "layer" | "route_layer" => self.layer_middleware(scope, index),
            _ => {}
        }
    }

    /// `get(f).post(g)` → `[("GET", f), ("POST", g)]`; `on(MethodFilter::PUT, h)` too.
    fn method_router(
        &self,
        scope: &Scope,
        value: Option<&ValueExpr>,
        depth: usize,
    ) -> Vec<(String, Option<ValueExpr>)> {
        let mut out = Vec::new();
        let mut current = value.cloned();
        let facts = scope.facts(self.program);
        for _ in 0..MAX_UNWRAP_DEPTH {
            match current.take() {
                Some(ValueExpr::Call(i)) => {
                    let call = &facts.calls[i];
                    let name = match &call.target {
                        CallTarget::Method { name, receiver } => {
                            current = Some((**receiver).clone());
                            name.clone()
                        }
                        CallTarget::Path(path) => path.last().to_string(),
                        _ => break,
                    };
                    if HTTP_METHODS.contains(&name.as_str()) {
                        out.push((name.to_uppercase(), call.args.first().cloned()));
                    } else if let Some(service) = name.strip_suffix("_service")
                        && HTTP_METHODS.contains(&service)
                    {
                        out.push((service.to_uppercase(), None));
                    } else if name == "on" {
                        let method = match call.args.first() {
                            Some(ValueExpr::Path(p, _)) => p.last().to_uppercase(),
                            _ => "ANY".to_string(),
                        };
                        out.push((method, call.args.get(1).cloned()));
                    }
                }
                Some(ValueExpr::Path(path, span)) if depth < MAX_UNWRAP_DEPTH => {
                    let init = path
                        .single()
                        .and_then(|n| scope.let_before(self.program, n, span.start))
                        .and_then(|l| l.init.clone());
                    current = init;
                }
                _ => break,
            }
        }
        // Collected from the outermost call in; `get(a).post(b)` reads left to right.
        out.reverse();
        out
    }

    fn add_route(&mut self, scope: &Scope, call: usize, method: String, path: String, handler: Option<&ValueExpr>) {
        let duplicate = self.found.routes.iter().any(|r| r.method == method && r.path == path);
        let kind = HandlerKind::Route { method: method.clone(), path: path.clone() };
        let handler = handler.and_then(|h| self.add_value_handler(scope, h, kind));
        if !duplicate {
            let span = scope.facts(self.program).calls[call].method_span;
            let file = self.loaded.file_id(scope.file);
            self.found.routes.push(RouteFact { method, path, handler, file, span });
        }
    }

    /// A handler given as a value: a function path or a closure.
    fn add_value_handler(&mut self, scope: &Scope, value: &ValueExpr, kind: HandlerKind) -> Option<usize> {
        match value {
            ValueExpr::Closure(c) => Some(self.add_closure_handler(scope, *c, kind)),
            ValueExpr::Path(path, _) => match scope.resolve(self.program, path) {
                Resolved::Fn(f) => Some(self.add_fn_handler(f, kind)),
                Resolved::Assoc { ty, name } => {
                    let method = self.program.methods(&ty, &name).into_iter().next()?;
                    Some(self.add_fn_handler(method, kind))
                }
                _ => None,
            },
            _ => None,
        }
    }

    // ----- actix-web (lambda_web::run_actix_on_lambda) ----------------------------------------

    /// `run_actix_on_lambda(move || App::new()...)`: the factory builds the app once per worker
    /// (init code); the app's routes are the handlers.
    fn app_factory(&mut self, scope: &Scope, value: &ValueExpr, via: &[String]) {
        let facts = scope.facts(self.program);
        let value = self.through_variables(scope, value);
        let app = match &value {
            ValueExpr::Closure(c) => {
                self.found.init_seeds.push((Region::Closure { file: scope.file, closure: *c }, via.to_vec()));
                facts.closures[*c].body.clone()
            }
            other => other.clone(),
        };
        self.collect_actix(scope, &app, "", 0);
    }

    /// A value with local variables replaced by their initialisers.
    fn through_variables(&self, scope: &Scope, value: &ValueExpr) -> ValueExpr {
        let mut current = value.clone();
        for _ in 0..MAX_UNWRAP_DEPTH {
            let ValueExpr::Path(path, span) = &current else {
                break;
            };
            let init =
                path.single().and_then(|n| scope.let_before(self.program, n, span.start)).and_then(|l| l.init.clone());
            match init {
                Some(init) => current = init,
                None => break,
            }
        }
        current
    }

    /// Routes of an actix `App`/`Scope`/`Resource` chain: `.service(f)` with a `#[get("/p")]`
    /// function, `.service(web::scope("/api").service(..))`, `.service(web::resource("/p")
    /// .route(web::post().to(f)))`, `.route("/p", web::get().to(f))`, `.default_service(..)`.
    /// `.configure(f)` (routes added through a `ServiceConfig`) is not followed.
    fn collect_actix(&mut self, scope: &Scope, value: &ValueExpr, prefix: &str, depth: usize) {
        if depth > MAX_UNWRAP_DEPTH {
            return;
        }
        let facts = scope.facts(self.program);
        match value {
            ValueExpr::Path(path, span) => {
                if let Some(init) = path
                    .single()
                    .and_then(|n| scope.let_before(self.program, n, span.start))
                    .and_then(|l| l.init.clone())
                {
                    self.collect_actix(scope, &init, prefix, depth + 1);
                } else if let Resolved::Fn(f) = scope.resolve(self.program, path) {
                    self.attribute_route(f, prefix);
                }
            }
            ValueExpr::Call(index) => {
                let call = facts.calls[*index].clone();
                if let CallTarget::Method { name, receiver } = &call.target {
                    self.collect_actix(scope, receiver, prefix, depth + 1);
                    self.actix_method(scope, *index, name, &call.args, prefix, depth);
                }
            }
            _ => {}
        }
    }

    fn actix_method(
        &mut self,
        scope: &Scope,
        index: usize,
        name: &str,
        args: &[ValueExpr],
        prefix: &str,
        depth: usize,
    ) {
        match name {
            "service" => {
                let Some(service) = args.first() else { return };
                match self.actix_scope_path(scope, service) {
                    Some(("resource", path)) => {
                        let full = join_route(prefix, &path);
                        self.actix_resource(scope, service, &full);
                    }
                    Some((_, path)) => self.collect_actix(scope, service, &join_route(prefix, &path), depth + 1),
                    None => self.collect_actix(scope, service, prefix, depth + 1),
                }
            }
            "route" => {
                if let (Some(ValueExpr::Str(path)), Some(route)) = (args.first(), args.get(1)) {
                    let full = join_route(prefix, path);
                    for (method, handler) in self.actix_route(scope, route) {
                        self.add_route(scope, index, method, full.clone(), handler.as_ref());
                    }
                }
            }
            "default_service" => {
                if let Some(ValueExpr::Call(i)) = args.first()
                    && let Some((_, Some(handler))) = self.actix_route(scope, &ValueExpr::Call(*i)).into_iter().next()
                {
                    self.add_value_handler(scope, &handler, HandlerKind::Fallback);
                }
            }
            _ => {}
        }
    }

    /// The root of a `web::scope("/p")..` or `web::resource("/p")..` chain: its kind and path.
    fn actix_scope_path(&self, scope: &Scope, value: &ValueExpr) -> Option<(&'static str, String)> {
        let facts = scope.facts(self.program);
        let mut current = value.clone();
        for _ in 0..MAX_UNWRAP_DEPTH * 4 {
            let ValueExpr::Call(i) = current else {
                return None;
            };
            match &facts.calls[i].target {
                CallTarget::Method { receiver, .. } => current = (**receiver).clone(),
                CallTarget::Path(path) => {
                    let kind = match path.last() {
                        "scope" => "scope",
                        "resource" => "resource",
                        _ => return None,
                    };
                    let Some(ValueExpr::Str(p)) = facts.calls[i].args.first() else {
                        return None;
                    };
                    return Some((kind, p.clone()));
                }
                _ => return None,
            }
        }
        None
    }

    /// `web::resource("/p").route(web::get().to(f)).to(g)`.
    fn actix_resource(&mut self, scope: &Scope, value: &ValueExpr, path: &str) {
        let facts = scope.facts(self.program);
        let mut found = Vec::new();
        let mut current = value.clone();
        for _ in 0..MAX_UNWRAP_DEPTH * 4 {
            let ValueExpr::Call(i) = current else { break };
            let CallTarget::Method { name, receiver } = &facts.calls[i].target else {
                break;
            };
            let first = facts.calls[i].args.first();
            match name.as_str() {
                "route" => found.extend(first.into_iter().flat_map(|r| self.actix_route(scope, r)).map(|r| (i, r))),
                "to" => found.push((i, ("ANY".to_string(), first.cloned()))),
                _ => {}
            }
            current = (**receiver).clone();
        }
        // Walked from the outermost call in; add them in source order.
        for (call, (method, handler)) in found.into_iter().rev() {
            self.add_route(scope, call, method, path.to_string(), handler.as_ref());
        }
    }

    /// `web::get().to(f)` → `[("GET", f)]`; `web::route().to(f)` → `ANY`.
    fn actix_route(&self, scope: &Scope, value: &ValueExpr) -> Vec<(String, Option<ValueExpr>)> {
        let facts = scope.facts(self.program);
        let ValueExpr::Call(i) = value else {
            return Vec::new();
        };
        let call = &facts.calls[*i];
        let CallTarget::Method { name, receiver } = &call.target else {
            return Vec::new();
        };
        if name != "to" {
            return Vec::new();
        }
        let method = match &**receiver {
            ValueExpr::Call(root) => match &facts.calls[*root].target {
                CallTarget::Path(path) if HTTP_METHODS.contains(&path.last()) => path.last().to_uppercase(),
                _ => "ANY".to_string(),
            },
            _ => "ANY".to_string(),
        };
        vec![(method, call.args.first().cloned())]
    }

    /// A function with a route attribute (`#[get("/orders")]`), registered with `.service(f)`.
    fn attribute_route(&mut self, f: FnRef, prefix: &str) {
        let Some(function) = self.program.function(f) else {
            return;
        };
        for attr in &function.attrs {
            let method = attr.path.last();
            if let (true, Some(path)) = (HTTP_METHODS.contains(&method), &attr.first_str) {
                let method = method.to_uppercase();
                let path = join_route(prefix, path);
                let duplicate = self.found.routes.iter().any(|r| r.method == method && r.path == path);
                let handler = self.add_fn_handler(f, HandlerKind::Route { method: method.clone(), path: path.clone() });
                if !duplicate {
                    let file = self.loaded.file_id(f.file);
                    self.found.routes.push(RouteFact { method, path, handler: Some(handler), file, span: attr.span });
                }
            }
        }
    }

    // ----- handlers ---------------------------------------------------------------------------

    fn add_fn_handler(&mut self, f: FnRef, kind: HandlerKind) -> usize {
        self.add_fn_handler_with(f, kind, Confidence::High)
    }

    fn add_fn_handler_with(&mut self, f: FnRef, kind: HandlerKind, confidence: Confidence) -> usize {
        let region = Region::Fn(f);
        if let Some(existing) = self.existing(region, &kind) {
            return existing;
        }
        let function = self.program.function(f).expect("handlers are functions we parsed");
        let kind = match kind {
            HandlerKind::Fn if function.impl_block.is_some() => HandlerKind::Method,
            other => other,
        };
        let payload = function.params.first().and_then(|p| p.ty.as_ref()).and_then(|ty| self.payload_text(f, ty));
        self.found.handler_fns.insert(f);
        self.push_handler(
            Handler {
                name: self.program.fn_short_name(f),
                file: self.loaded.file_id(f.file),
                span: function.name_span,
                kind,
                confidence,
                payload_type: payload,
            },
            region,
        )
    }

    fn add_closure_handler(&mut self, scope: &Scope, closure: usize, kind: HandlerKind) -> usize {
        let region = Region::Closure { file: scope.file, closure };
        if let Some(existing) = self.existing(region, &kind) {
            return existing;
        }
        let facts = scope.facts(self.program);
        let fact = &facts.closures[closure];
        let owner_name = match scope.fn_ref() {
            Some(f) => self.program.fn_short_name(f),
            None => "static".to_string(),
        };
        let payload = self.closure_payload(scope, closure);
        self.found.excluded.push((scope.file, fact.span));
        self.push_handler(
            Handler {
                name: format!("{owner_name}::{{closure}}"),
                file: self.loaded.file_id(scope.file),
                span: fact.span,
                kind,
                confidence: Confidence::High,
                payload_type: payload,
            },
            region,
        )
    }

    /// The entry method of a `Service<Req>` (or legacy `Handler`) impl for `ty`.
    fn add_service_impl(&mut self, ty: &TypeKey) {
        for (file, index) in self.program.trait_impls_for(ty) {
            let Some(facts) = self.program.facts(file) else {
                continue;
            };
            let imp = &facts.impls[index];
            let Some(trait_) = &imp.trait_ else { continue };
            // tower's `Service::call`; the runtime's old `Handler` trait had `call` (0.3) or
            // `run` (0.1/0.2).
            let entry_points: &[&str] = match trait_.path.last() {
                "Service" => &["call"],
                "Handler" => &["call", "run"],
                _ => continue,
            };
            let Some(&call) = imp.fns.iter().find(|&&f| entry_points.contains(&facts.fns[f].name.as_str())) else {
                continue;
            };
            let f = FnRef { file, index: call };
            let handler = self.add_fn_handler(f, HandlerKind::ServiceImpl);
            let module = self.program.module_of(file, imp.module);
            if let (Some(request), Some(module)) = (trait_.args.first(), module) {
                self.found.handlers[handler].payload_type = Some(self.event_text(module, request));
            }
        }
    }

    fn existing(&self, region: Region, kind: &HandlerKind) -> Option<usize> {
        let routed = matches!(kind, HandlerKind::Route { .. });
        self.found.roots.iter().find_map(|&(handler, r)| {
            let same = r == region && (!routed || self.found.handlers[handler].kind == *kind);
            same.then_some(handler)
        })
    }

    fn push_handler(&mut self, handler: Handler, region: Region) -> usize {
        self.found.handlers.push(handler);
        let index = self.found.handlers.len() - 1;
        self.found.roots.push((index, region));
        index
    }

    // ----- payload types ----------------------------------------------------------------------

    fn payload_text(&self, f: FnRef, ty: &TypeFact) -> Option<String> {
        let module = self.program.fn_module(f)?;
        Some(self.event_text(module, ty))
    }

    /// `LambdaEvent<T>` → `T`; anything else as is, canonical.
    fn event_text(&self, module: ModId, ty: &TypeFact) -> String {
        if ty.path.last() == "LambdaEvent"
            && let Some(inner) = ty.args.first()
        {
            return self.program.type_text(module, inner, 0);
        }
        self.program.type_text(module, ty, 0)
    }

    /// A closure's event type: its first parameter's annotation, or the parameter type of the
    /// function it forwards that parameter to (`|ev| save(&t, ev)`).
    fn closure_payload(&self, scope: &Scope, closure: usize) -> Option<String> {
        let facts = scope.facts(self.program);
        let fact = &facts.closures[closure];
        let param = fact.params.first()?;
        if let Some(ty) = &param.ty {
            return Some(self.event_text(scope.module, ty));
        }
        let name = param.name.as_deref()?;
        for &i in self.program.calls_of(scope.file, scope.owner) {
            let call = &facts.calls[i];
            if call.span.start < fact.span.start || call.span.end > fact.span.end {
                continue;
            }
            let position =
                call.args.iter().position(|a| matches!(a, ValueExpr::Path(p, _) if p.single() == Some(name)));
            let Some(position) = position else { continue };
            for target in scope.call_targets(self.program, i) {
                let super::scope::Target::Fn(f) = target else {
                    continue;
                };
                let ty = self.program.function(f).and_then(|g| g.params.get(position)).and_then(|p| p.ty.as_ref());
                if let Some(ty) = ty {
                    return self.payload_text(f, ty);
                }
            }
        }
        None
    }

    fn collect_payloads(&mut self) {
        let mut payloads: Vec<String> = Vec::new();
        for handler in &self.found.handlers {
            let is_event =
                !matches!(handler.kind, HandlerKind::Route { .. } | HandlerKind::Middleware | HandlerKind::Fallback);
            if let (true, Some(p)) = (is_event, &handler.payload_type)
                && !payloads.contains(p)
            {
                payloads.push(p.clone());
            }
        }
        let http = self
            .found
            .registration
            .as_ref()
            .is_some_and(|r| r.api.starts_with("lambda_http") || ADAPTERS.iter().any(|a| r.api.starts_with(a)));
        if http
            && (payloads.is_empty() || !self.found.routes.is_empty())
            && !payloads.iter().any(|p| p == "lambda_http::Request")
        {
            payloads.push("lambda_http::Request".to_string());
        }
        self.found.payload_types = payloads;
    }

    // ----- without a registration -------------------------------------------------------------

    /// Functions of the bin crate whose first parameter is a Lambda event: handlers with low
    /// confidence. `main` is then init code as a whole.
    fn fallback(&mut self, krate: usize, main: Option<FnRef>) {
        if !self.loaded.packages[self.loaded.crates[krate].package].is_lambda {
            return;
        }
        let files: FxHashSet<usize> =
            self.program.modules.iter().filter(|m| m.krate == krate).map(|m| m.file).collect();
        let mut files: Vec<usize> = files.into_iter().collect();
        files.sort_unstable();
        for file in files {
            let Some(facts) = self.program.facts(file) else {
                continue;
            };
            for index in 0..facts.fns.len() {
                let f = FnRef { file, index };
                if Some(f) != main && self.has_event_signature(f) {
                    self.add_fn_handler_with(f, HandlerKind::Fn, Confidence::Low);
                }
            }
        }
        if let Some(main) = main {
            self.found.init_seeds.push((Region::Fn(main), vec!["main".to_string()]));
        }
    }

    fn has_event_signature(&self, f: FnRef) -> bool {
        let Some(function) = self.program.function(f) else {
            return false;
        };
        let Some(module) = self.program.fn_module(f) else {
            return false;
        };
        let Some(first) = function.params.first().and_then(|p| p.ty.as_ref()) else {
            return false;
        };
        let text = self.program.type_text(module, first, 0);
        let event = text.starts_with("lambda_runtime::LambdaEvent")
            || text.starts_with("lambda_http::LambdaEvent")
            || text.starts_with("lambda_http::Request")
            || text.starts_with("lambda_http::http::Request")
            || text.starts_with("aws_lambda_events::");
        let legacy = function.params.get(1).and_then(|p| p.ty.as_ref()).is_some_and(|ty| {
            let text = self.program.type_text(module, ty, 0);
            LAMBDA_CRATES.iter().any(|c| text == format!("{c}::Context"))
        });
        legacy || (function.is_async && event)
    }
}

/// Adapters whose argument builds a web app per worker rather than being the service.
fn is_app_factory_adapter(api: &str) -> bool {
    api == "lambda_web::run_actix_on_lambda" || api == "actix_lambda::run"
}

fn is_registration_path(api: &str) -> bool {
    if ADAPTERS.contains(&api) {
        return true;
    }
    let mut segments = api.split("::");
    let first = segments.next().unwrap_or("");
    let last = api.rsplit("::").next().unwrap_or("");
    LAMBDA_CRATES.contains(&first) && RUN_FUNCTIONS.contains(&last) && api.contains("::")
}

fn is_wrapper(name: &str) -> bool {
    let last = name.rsplit("::").next().unwrap_or("");
    let last_two = name.rsplitn(3, "::").take(2).collect::<Vec<_>>();
    let pair = match last_two.as_slice() {
        [b, a] => format!("{a}::{b}"),
        _ => String::new(),
    };
    let lambda_crate = name.split("::").next().is_some_and(|c| LAMBDA_CRATES.contains(&c));
    WRAPPER_FUNCTIONS.contains(&last)
        || WRAPPER_FUNCTIONS.contains(&pair.as_str())
        || pair.ends_with("Adapter::from")
        || (lambda_crate
            && (last == "handler" || last == "runtime" || last == "runtime_concurrent" || pair == "Runtime::new"))
}

fn join_route(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    let prefix = prefix.trim_end_matches('/');
    if path == "/" || path.is_empty() { prefix.to_string() } else { format!("{prefix}{path}") }
}
