//! What starts a binary and which of its code is a handler.
//!
//! The tracer ([`super::invoke`]) walks a binary from `main` and asks this module three
//! questions on the way:
//! - **where it starts**: `main`, a `#[lambda]` main (all of it per invocation), a rocket
//!   `#[launch]` function, or, without `main`, a crate-local macro that writes it
//!   (`lambda_main!(get_items);`, whose arguments are the handlers) ([`entry`]);
//! - **which call starts the runtime** ([`Discovery::runtime_start`]): a Lambda runtime entry
//!   (`lambda_runtime::run`, `lambda_http::run_with_streaming_response`,
//!   `Runtime::new(x)..run()`, `lambda!`, `aws_lambda::start`, adapters such as
//!   `lambda_web::run_actix_on_lambda`), or a web server a Lambda Web Adapter function runs
//!   (`axum::serve`, actix `HttpServer`, rocket, warp, poem). A user function called `run` is
//!   not one: the path must resolve into one of those crates;
//! - **what a deferred callback is called**: the handler records (name, kind, route, payload
//!   type) of the functions and closures that init code hands on without calling them.
//!
//! Routes are read from the routers init code builds (axum `Router` chains with `route`,
//! `nest`, `merge`, `fallback`; actix `App`/`scope`/`resource`; route attributes such as
//! `#[get("/p")]`), after the trace, and name the handlers they lead to
//! (``GET /orders → `list` → ..``).
//!
//! Without any runtime start, functions with a Lambda event signature are handlers with low
//! confidence.

use rustc_hash::{FxHashMap, FxHashSet};

use super::facts::*;
use super::load::Loaded;
use super::load::LoadedFileId;
use super::resolve::{FnRef, ModId, Program, Resolved, TypeKey};
use super::scope::Scope;
use super::{Confidence, Handler, HandlerKind, Registration, RouteFact};
use crate::span::Span;

mod routes;

/// How many wrappers, variables and factories are looked through when reading routers.
const MAX_UNWRAP_DEPTH: usize = 16;

/// Crates whose `run` functions start the Lambda runtime (after renames).
const LAMBDA_CRATES: &[&str] =
    &["lambda_runtime", "lambda_http", "lambda", "netlify_lambda", "netlify_lambda_http", "aws_lambda"];
const RUN_FUNCTIONS: &[&str] =
    &["run", "run_concurrent", "run_with_streaming_response", "run_with_streaming_response_concurrent", "start"];
/// Framework adapters that take an app and run it on Lambda.
const ADAPTERS: &[&str] = &[
    "lambda_web::run_actix_on_lambda",
    "lambda_web::run_hyper_on_lambda",
    "lambda_web::launch_rocket_on_lambda",
    "warp_lambda::run",
    "poem_lambda::run",
    "actix_lambda::run",
];
/// Web servers: what a Lambda Web Adapter function runs. Each serves HTTP requests, so the
/// callbacks its app is built from are request handlers.
const WEB_SERVERS: &[&str] = &[
    "axum::serve",
    "axum::Server::bind",
    "axum::Server::from_tcp",
    "axum_server::bind",
    "axum_server::bind_rustls",
    "hyper::Server::bind",
    "hyper::server::Server::bind",
    "warp::serve",
    "actix_web::HttpServer::new",
    "rocket::build",
    "rocket::custom",
    "poem::Server::new",
    "salvo::Server::new",
    "tide::new",
    "tide::with_state",
];

/// A piece of code whose calls run together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    Fn(FnRef),
    Closure {
        file: LoadedFileId,
        closure: usize,
    },
    /// A global's initialiser.
    Static {
        file: LoadedFileId,
        index: usize,
    },
}

/// Where a binary starts.
pub enum Entry {
    /// `main` (or a rocket `#[launch]` function): init code that starts the runtime.
    Main(FnRef),
    /// `#[lambda] async fn main(event, ctx)`: the body of `main` runs per invocation.
    WholeMain(FnRef),
    /// No `main`, but a macro among the root module's items that writes one; the functions it
    /// is given are the handlers.
    Macro { file: LoadedFileId, index: usize, handlers: Vec<FnRef> },
    /// Nothing slint recognises.
    Unknown,
}

/// The entry of bin crate `krate`.
pub fn entry(program: &Program, krate: usize) -> Entry {
    let Some(root) = program.crate_root(krate) else {
        return Entry::Unknown;
    };
    let node = &program.modules[root.0];
    let Some(facts) = program.facts(node.file) else {
        return Entry::Unknown;
    };
    let Some(module) = facts.modules.get(node.local) else {
        return Entry::Unknown;
    };
    let fns = module.items.iter().filter_map(|(name, item)| match item {
        ItemRef::Fn(index) => Some((name, FnRef { file: node.file, index: *index })),
        _ => None,
    });
    let mut launch = None;
    for (name, f) in fns {
        let Some(function) = program.function(f) else { continue };
        if name == "main" {
            let whole = function.attrs.iter().any(|a| a.path.last() == "lambda");
            return if whole { Entry::WholeMain(f) } else { Entry::Main(f) };
        }
        if function.attrs.iter().any(|a| a.path.last() == "launch") {
            launch = Some(f);
        }
    }
    if let Some(f) = launch {
        return Entry::Main(f);
    }
    macro_entry(program, root, node.file).unwrap_or(Entry::Unknown)
}

/// `lambda_main!(get_items);` in the root module: the functions named in it.
fn macro_entry(program: &Program, root: ModId, file: LoadedFileId) -> Option<Entry> {
    let facts = program.facts(file)?;
    let local = program.modules[root.0].local;
    facts.item_macros.iter().enumerate().filter(|(_, m)| m.module == local).find_map(|(index, m)| {
        let handlers: Vec<FnRef> = m
            .args
            .iter()
            .filter_map(|path| match program.resolve(root, path, None) {
                Resolved::Fn(f) => Some(f),
                _ => None,
            })
            .collect();
        (!handlers.is_empty()).then_some(Entry::Macro { file, index, handlers })
    })
}

/// What discovery found for one binary.
#[derive(Default)]
pub struct Found {
    pub registration: Option<Registration>,
    pub handlers: Vec<Handler>,
    pub routes: Vec<RouteFact>,
    pub payload_types: Vec<String>,
    pub notes: Vec<(LoadedFileId, Span, String)>,
    /// The region of each handler, by handler index.
    pub regions: Vec<Region>,
    /// Route labels (`GET /orders`) of the regions routers lead to.
    pub labels: FxHashMap<Region, String>,
}

/// A runtime start: the API and whether it serves HTTP.
pub struct Start {
    pub api: String,
    pub http: bool,
}

/// A router chain seen in init code: `(file, owner, outermost call)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouterRoot {
    pub file: LoadedFileId,
    pub owner: Owner,
    pub call: usize,
}

/// Builds a binary's [`Found`] as the tracer reports what it meets.
pub struct Discovery<'p, 'a> {
    program: &'p Program<'a>,
    loaded: &'a Loaded,
    pub found: Found,
    by_region: FxHashMap<Region, usize>,
    /// Routes read from routers, with the region each leads to.
    route_regions: Vec<Option<Region>>,
    /// Functions whose router is nested into another one (`nest("/api", api())`): their own
    /// chain is read with the prefix from there.
    nested: FxHashSet<FnRef>,
    /// Router chains bound to a variable and nested from there (`let api = Router::new()..;
    /// Router::new().nest("/api", api)`), as `(file, outermost call)`.
    nested_chains: FxHashSet<(LoadedFileId, usize)>,
    /// Route attributes of handlers met on the way: `(region, METHOD, path)`.
    attr_routes: Vec<(Region, String, String, Span)>,
}

impl<'p, 'a> Discovery<'p, 'a> {
    pub fn new(program: &'p Program<'a>, loaded: &'a Loaded) -> Self {
        Discovery {
            program,
            loaded,
            found: Found::default(),
            by_region: FxHashMap::default(),
            route_regions: Vec::new(),
            nested: FxHashSet::default(),
            nested_chains: FxHashSet::default(),
            attr_routes: Vec::new(),
        }
    }

    // ----- runtime starts ---------------------------------------------------------------------

    /// Whether call `index` starts a Lambda runtime or a web server.
    pub fn runtime_start(&self, scope: &Scope, index: usize) -> Option<Start> {
        let call = scope.facts(self.program).calls.get(index)?;
        match &call.target {
            CallTarget::Path(path) => {
                let api = scope.path_name(self.program, path);
                if is_registration_path(&api) {
                    let http = api.starts_with("lambda_http") || ADAPTERS.contains(&api.as_str());
                    return Some(Start { api, http });
                }
                is_web_server(&api).then_some(Start { api, http: true })
            }
            CallTarget::Method { name, receiver } if name == "run" => self.runtime_chain(scope, receiver),
            CallTarget::Macro(path) if path.last() == "lambda" => {
                let api = scope.path_name(self.program, path);
                let lambda_crate = api.split("::").next().is_some_and(|c| LAMBDA_CRATES.contains(&c));
                let plain = api == "lambda" && self.package_is_lambda(scope);
                (lambda_crate || plain).then(|| Start { api: format!("{api}!"), http: false })
            }
            _ => None,
        }
    }

    /// `Runtime::new(svc).layer(..).run()` or `lambda_http::runtime(svc).run()`.
    fn runtime_chain(&self, scope: &Scope, receiver: &ValueExpr) -> Option<Start> {
        let facts = scope.facts(self.program);
        let mut current = receiver;
        for _ in 0..MAX_UNWRAP_DEPTH {
            // `let runtime = lambda_http::runtime(svc); runtime.run()`.
            if let ValueExpr::Path(path, span) = current
                && path.single().is_some()
            {
                current = scope.variable_init(self.program, path, span.start)?;
                continue;
            }
            let ValueExpr::Call(i) = current else {
                return None;
            };
            match &facts.calls[*i].target {
                CallTarget::Method { receiver, .. } => current = receiver,
                CallTarget::Path(path) => {
                    let root = scope.path_name(self.program, path);
                    let lambda_crate = root.split("::").next().is_some_and(|c| LAMBDA_CRATES.contains(&c));
                    let builder = root.ends_with("Runtime::new")
                        || root.ends_with("Runtime::from")
                        || root.ends_with("::runtime")
                        || root.ends_with("::runtime_concurrent");
                    return (lambda_crate && builder)
                        .then(|| Start { http: root.starts_with("lambda_http"), api: format!("{root}(..).run") });
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

    /// Records the first runtime start met.
    pub fn register(&mut self, scope: &Scope, index: usize, start: Start, via: &[String]) {
        if self.found.registration.is_some() {
            return;
        }
        let span = scope.facts(self.program).calls[index].span;
        self.found.registration = Some(Registration {
            concurrent: start.api.contains("concurrent"),
            streaming: start.api.contains("streaming"),
            http: start.http,
            api: start.api,
            file: self.loaded.file_id(scope.file),
            span,
            via: via.to_vec(),
        });
    }

    /// `#[lambda] async fn main`: the whole of `main` is the handler.
    pub fn whole_main(&mut self, main: FnRef) -> Option<(usize, Region)> {
        let function = self.program.function(main)?;
        let attr = function.attrs.iter().find(|a| a.path.last() == "lambda")?;
        self.found.registration = Some(Registration {
            api: format!("#[{}]", attr.path.joined()),
            concurrent: false,
            streaming: false,
            http: false,
            file: self.loaded.file_id(main.file),
            span: attr.span,
            via: vec!["main".to_string()],
        });
        Some(self.fn_handler(main, HandlerKind::WholeMain, Confidence::High))
    }

    /// `lambda_main!(get_items);`: the macro is the registration, its functions the handlers.
    pub fn macro_main(&mut self, file: LoadedFileId, index: usize, handlers: &[FnRef]) -> Vec<(usize, Region)> {
        let Some(fact) = self.program.facts(file).and_then(|f| f.item_macros.get(index)) else {
            return Vec::new();
        };
        self.found.registration = Some(Registration {
            api: format!("{}!", fact.path.joined()),
            concurrent: false,
            streaming: false,
            http: false,
            file: self.loaded.file_id(file),
            span: fact.span,
            via: Vec::new(),
        });
        handlers.iter().map(|&f| self.fn_handler(f, HandlerKind::Fn, Confidence::High)).collect()
    }

    // ----- handlers ---------------------------------------------------------------------------

    /// The handler of a function init code hands on (creating it the first time); handed to
    /// a middleware constructor (`from_fn(auth)`), it is middleware.
    pub fn deferred_fn(&mut self, f: FnRef, middleware: bool) -> (usize, Region) {
        let kind = if middleware { HandlerKind::Middleware } else { HandlerKind::Fn };
        self.fn_handler(f, kind, Confidence::High)
    }

    fn fn_handler(&mut self, f: FnRef, kind: HandlerKind, confidence: Confidence) -> (usize, Region) {
        let region = Region::Fn(f);
        if let Some(&existing) = self.by_region.get(&region) {
            return (existing, region);
        }
        let Some(function) = self.program.function(f) else {
            return (self.push_unknown(region), region);
        };
        let kind = match kind {
            HandlerKind::Fn if function.impl_block.is_some() || function.in_trait.is_some() => HandlerKind::Method,
            other => other,
        };
        let payload = function.params.first().and_then(|p| p.ty.as_ref()).and_then(|ty| self.payload_text(f, ty));
        let handler = Handler {
            name: self.program.fn_short_name(f),
            file: self.loaded.file_id(f.file),
            span: function.name_span,
            kind,
            confidence,
            payload_type: payload,
        };
        self.attribute_route(f);
        (self.push_handler(handler, region), region)
    }

    /// A handler record for a region whose function could not be read (never expected).
    fn push_unknown(&mut self, region: Region) -> usize {
        let handler = Handler {
            name: "{unknown}".to_string(),
            file: self.loaded.file_id(LoadedFileId::new(0)),
            span: Span::default(),
            kind: HandlerKind::Fn,
            confidence: Confidence::Low,
            payload_type: None,
        };
        self.push_handler(handler, region)
    }

    /// The handler of a closure init code hands on.
    pub fn deferred_closure(&mut self, scope: &Scope, closure: usize) -> (usize, Region) {
        let region = Region::Closure { file: scope.file, closure };
        if let Some(&existing) = self.by_region.get(&region) {
            return (existing, region);
        }
        let facts = scope.facts(self.program);
        let fact = &facts.closures[closure];
        let owner_name = match scope.fn_ref() {
            Some(f) => self.program.fn_short_name(f),
            None => "static".to_string(),
        };
        let handler = Handler {
            name: format!("{owner_name}::{{closure}}"),
            file: self.loaded.file_id(scope.file),
            span: fact.span,
            kind: HandlerKind::Closure,
            confidence: Confidence::High,
            payload_type: self.closure_payload(scope, closure),
        };
        (self.push_handler(handler, region), region)
    }

    /// The entry methods of a `Service<Req>` (or legacy `Handler`) impl for `ty`: a value of
    /// the type handed to the runtime (or to anything else) is called per request.
    pub fn service_impls(&mut self, ty: &TypeKey) -> Vec<(usize, Region)> {
        let mut out = Vec::new();
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
            let known = self.by_region.contains_key(&Region::Fn(f));
            let (handler, region) = self.fn_handler(f, HandlerKind::ServiceImpl, Confidence::High);
            let module = self.program.module_of(file, imp.module);
            if let (false, Some(request), Some(module)) = (known, trait_.args.first(), module) {
                self.found.handlers[handler].payload_type = Some(self.event_text(module, request));
            }
            out.push((handler, region));
        }
        out
    }

    /// The resolvers of a GraphQL object type (`#[Object] impl Query { .. }`) handed to a
    /// schema builder: each runs per request.
    pub fn resolvers(&mut self, ty: &TypeKey) -> Vec<(usize, Region)> {
        let mut out = Vec::new();
        for (file, index) in self.program.impls_of(ty) {
            let Some(imp) = self.program.facts(file).and_then(|f| f.impls.get(index)) else {
                continue;
            };
            if imp.resolvers {
                for &f in &imp.fns {
                    out.push(self.fn_handler(FnRef { file, index: f }, HandlerKind::Method, Confidence::High));
                }
            }
        }
        out
    }

    fn push_handler(&mut self, handler: Handler, region: Region) -> usize {
        self.found.handlers.push(handler);
        self.found.regions.push(region);
        let index = self.found.handlers.len() - 1;
        self.by_region.insert(region, index);
        index
    }

    /// After the trace: a runtime start whose handlers could not be told is noted, route
    /// handlers take their route's kind, and the event types are gathered.
    pub fn finish(&mut self) {
        for (route, region) in self.found.routes.iter_mut().zip(&self.route_regions) {
            route.handler = region.and_then(|r| self.by_region.get(&r).copied());
        }
        for (handler, region) in self.found.handlers.iter_mut().zip(&self.found.regions) {
            if let (HandlerKind::Fn | HandlerKind::Method | HandlerKind::Closure, Some(label)) =
                (&handler.kind, self.found.labels.get(region))
                && let Some((method, path)) = label.split_once(' ')
            {
                handler.kind = HandlerKind::Route { method: method.to_string(), path: path.to_string() };
            }
        }
        if let (Some(registration), true) = (&self.found.registration, self.found.handlers.is_empty()) {
            let message = format!(
                "slint could not tell which code `{}` runs per request: the value passed to it does not lead \
                 to a function or closure of this workspace, so this binary's invoke path was not analysed",
                registration.api
            );
            let file = self.loaded.loaded_file(registration.file);
            self.found.notes.push((file, registration.span, message));
        }
        self.collect_payloads();
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
        let http = self.found.registration.as_ref().is_some_and(|r| r.http);
        if http
            && (payloads.is_empty() || !self.found.routes.is_empty())
            && !payloads.iter().any(|p| p == "lambda_http::Request")
        {
            payloads.push("lambda_http::Request".to_string());
        }
        self.found.payload_types = payloads;
    }

    // ----- without a runtime start ------------------------------------------------------------

    /// Functions of the bin crate whose first parameter is a Lambda event: handlers with low
    /// confidence, when no runtime start was found.
    pub fn fallback(&mut self, krate: usize, main: Option<FnRef>) -> Vec<(usize, Region)> {
        if !self.loaded.packages[self.loaded.crates[krate].package].is_lambda {
            return Vec::new();
        }
        let files: FxHashSet<LoadedFileId> =
            self.program.modules.iter().filter(|m| m.krate == krate).map(|m| m.file).collect();
        let mut files: Vec<LoadedFileId> = files.into_iter().collect();
        files.sort_unstable();
        let mut out = Vec::new();
        for file in files {
            let Some(facts) = self.program.facts(file) else {
                continue;
            };
            for index in 0..facts.fns.len() {
                let f = FnRef { file, index };
                if Some(f) != main && self.has_event_signature(f) {
                    out.push(self.fn_handler(f, HandlerKind::Fn, Confidence::Low));
                }
            }
        }
        out
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

fn is_registration_path(api: &str) -> bool {
    if ADAPTERS.contains(&api) {
        return true;
    }
    let mut segments = api.split("::");
    let first = segments.next().unwrap_or("");
    let last = api.rsplit("::").next().unwrap_or("");
    LAMBDA_CRATES.contains(&first) && RUN_FUNCTIONS.contains(&last) && api.contains("::")
}

fn is_web_server(api: &str) -> bool {
    WEB_SERVERS.contains(&api)
}
