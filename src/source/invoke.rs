//! The invoke path and the init code of one binary: one reachability analysis from `main`.
//!
//! The walk starts at the binary's entry ([`handlers::entry`]) in **init** mode: `main` runs
//! once per execution environment, and so does everything it calls. Each region (a function,
//! a closure, a global's initialiser) is visited once per mode, so the cost is linear in the
//! code and there is no depth limit. Edges are:
//! - calls into our code: functions, methods of known receiver types, every workspace impl of a
//!   trait receiver (`dyn Store`, `T: Store`), closures called through variables, and, when the
//!   receiver's type is unknown, every method of the binary's crates with that name and arity
//!   (class-hierarchy analysis, minus names every type has);
//! - functions and closures *handed* to a call (as arguments, also inside macro invocations
//!   such as `routes![list, create]`).
//!
//! What init code hands on without calling is a **deferred callback**: it runs per request,
//! so it becomes a handler and is walked in **invoke** mode (`service_fn(h)`, `get(h)`,
//! `route(..)`, `from_fn(mw)`, a closure a factory returns, a value of a type with a tower
//! `Service` impl). Callbacks handed to combinators that run them on the spot (iterator and
//! `Option`/`Result` adapters, `tokio::spawn` and `thread::spawn`, `block_on`) stay in their
//! caller's mode; those handed to once-initialisers (`get_or_init`, `LazyLock::new`, the
//! `cached` crate's `#[once]`) and to app factories (`HttpServer::new`, `configure`) are init
//! code, even when a handler reaches them.
//!
//! A binary whose walk meets no runtime start (`lambda_runtime::run`, a web server) keeps no
//! deferred callbacks: it is walked again with handlers found by signature (low confidence).
//!
//! Each call site is reported once per mode, by the first (shortest) chain that reaches it.
//! What a call site is (its callee, arguments and chain) and where it leads are worked out
//! once per site ([`Sites`]) and shared by every binary that reaches it; only how a path
//! reaches it (handler, chain, loop and offload flags) is per binary.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use super::facts::*;
use super::handlers::{self, Discovery, Entry, Found, Region, RouterRoot};
use super::load::Loaded;
use super::load::LoadedFileId;
use super::resolve::{FnRef, Program, Resolved, TypeKey};
use super::scope::{Scope, Target};
use super::vocab::{
    COMMON_METHODS, ITER_ADAPTERS, LOOP_METHODS, ON_SPOT_FNS, ON_SPOT_MACROS, ON_SPOT_METHODS, ONCE_ATTRIBUTES,
    STARTUP_FNS, STARTUP_METHODS, WRAPPERS, is_offload_method, is_offload_path, is_once_guard_method,
    is_once_guard_path,
};
use super::{CallFact, Callee, Receiver, ResolvedCall};

/// Steps along one method chain.
const MAX_CHAIN: usize = 256;
/// A method name with more candidates than this, when the receiver's type is unknown, says
/// nothing about which one runs: it is not followed.
const MAX_CHA_CANDIDATES: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    Invoke,
    Init,
}

/// How a call treats the code handed to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Disposition {
    /// Runs it where it is: the caller's mode.
    Same,
    /// Runs it once (a once-initialiser, an app factory).
    Init,
    /// Runs it off the async workers, where it is.
    Offload,
    /// Keeps it to run later: per request, when handed on by init code.
    Deferred,
}

struct Work {
    region: Region,
    mode: Mode,
    via: Vec<String>,
    in_loop: bool,
    /// Reached through a closure or function handed to `spawn_blocking` (or the like).
    offloaded: bool,
    handler: Option<usize>,
}

pub struct Traced {
    pub invoke: Vec<CallFact>,
    pub init: Vec<CallFact>,
}

/// What tracing works out about each call site, kept for every binary that reaches it: the
/// bins of a package share its lib, the handlers of a bin its helpers.
pub struct Sites {
    /// By file, then by index into the file's `calls`; filled as calls are reached.
    cells: Vec<Vec<OnceLock<Site>>>,
}

impl Sites {
    pub fn new(program: &Program) -> Sites {
        let calls = |file: LoadedFileId| program.facts(file).map_or(0, |facts| facts.calls.len());
        Sites {
            cells: (0..program.files.len())
                .map(|file| (0..calls(LoadedFileId::new(file))).map(|_| OnceLock::new()).collect())
                .collect(),
        }
    }
}

/// One call site, as every path that reaches it sees it.
struct Site {
    /// `None` for a call of something that is not a path (`(expr)(..)`): not reported.
    resolved: Option<Arc<ResolvedCall>>,
    /// Where the call leads, in order: its callees, then what is passed to it by name.
    edges: Vec<Edge>,
}

struct Edge {
    target: Target,
    /// How the target appears in call chains (`send_receipt`, `Repo::save`, `{closure}`).
    name: String,
    /// Passed as an argument (a function or closure handed to the call), not called by it.
    argument: bool,
    /// A guess by name and arity for a receiver of unknown type: followed only into the
    /// binary's own crates.
    guessed: bool,
}

impl Site {
    fn work_out(program: &Program, loaded: &Loaded, scope: &Scope, index: usize) -> Site {
        let call = &scope.facts(program).calls[index];
        // Inferred once: the fact shows it and the call graph follows it.
        let receiver_type = match &call.target {
            CallTarget::Method { receiver, .. } => scope.infer(program, receiver),
            _ => None,
        };
        let resolved = callee(program, scope, index, receiver_type.as_ref()).map(|callee| {
            let facts = scope.facts(program);
            Arc::new(ResolvedCall {
                file: loaded.file_id(scope.file),
                span: call.span,
                method_span: call.method_span,
                callee,
                literal_args: call.args.iter().filter_map(int).collect(),
                string_args: string_args(facts, index),
                chain_args: chain_args(facts, index),
                chain_strings: chain_strings(facts, index),
                guarded: call.guarded,
            })
        });
        let (targets, guessed) = match (&call.target, &receiver_type) {
            (CallTarget::Method { name, .. }, Some(ty)) => {
                (program.methods(ty, name).into_iter().map(Target::Fn).collect(), false)
            }
            (CallTarget::Method { name, receiver }, None) => {
                (guess_methods(program, scope, name, receiver, call.args.len()), true)
            }
            _ => (scope.call_targets(program, index), false),
        };
        let arguments = scope.argument_targets(program, index);
        let edge = |target: Target, argument: bool, guessed: bool| {
            let name = match target {
                Target::Fn(f) => program.fn_short_name(f),
                Target::Closure { .. } => "{closure}".to_string(),
            };
            Edge { target, name, argument, guessed }
        };
        let edges = targets
            .into_iter()
            .map(|t| edge(t, false, guessed))
            .chain(arguments.into_iter().map(|t| edge(t, true, false)));
        Site { resolved, edges: edges.collect() }
    }
}

/// The methods a call on a receiver of unknown type may run: every method of that name
/// taking that many arguments, unless the name is one every type has or too many share it.
fn guess_methods(program: &Program, scope: &Scope, name: &str, receiver: &ValueExpr, arity: usize) -> Vec<Target> {
    // A chain on a value from elsewhere (`client.get_item().key(..).send()`) is not ours.
    let plain_receiver = match receiver {
        ValueExpr::Path(..) | ValueExpr::Field(..) => true,
        ValueExpr::Call(i) => matches!(
            &scope.facts(program).calls[*i].target,
            CallTarget::Path(path) if matches!(scope.resolve(program, path), Resolved::Fn(_) | Resolved::Assoc { .. })
        ),
        _ => false,
    };
    if !plain_receiver || COMMON_METHODS.contains(&name) {
        return Vec::new();
    }
    let candidates: Vec<Target> = program
        .methods_named(name)
        .iter()
        .filter(|&&f| program.function(f).is_some_and(|g| g.params.len() == arity && g.body.is_some()))
        .map(|&f| Target::Fn(f))
        .collect();
    if candidates.len() > MAX_CHA_CANDIDATES { Vec::new() } else { candidates }
}

/// Walks bin crate `krate` from its entry: its handlers, routes, and both paths.
pub fn analyse(program: &Program, sites: &Sites, loaded: &Loaded, krate: usize) -> (Found, Traced) {
    let entry = handlers::entry(program, krate);
    let mut tracer = Tracer::new(program, sites, loaded, krate, true);
    tracer.start(&entry);
    tracer.run();
    let found_start = tracer.discovery.found.registration.is_some();
    if !found_start {
        // No runtime start: what `main` hands on is not known to run per request. Walk again
        // from `main` without deferring, with the handlers a signature tells.
        tracer = Tracer::new(program, sites, loaded, krate, false);
        tracer.start(&entry);
        let main = match entry {
            Entry::Main(f) => Some(f),
            _ => None,
        };
        for (handler, region) in tracer.discovery.fallback(krate, main) {
            tracer.push_root(handler, region);
        }
        tracer.run();
    }
    let roots = std::mem::take(&mut tracer.router_roots);
    tracer.discovery.read_routers(&roots);
    tracer.discovery.finish();
    tracer.label_chains();
    let Tracer { discovery, traced, .. } = tracer;
    (discovery.found, traced)
}

struct Tracer<'p, 'a> {
    program: &'p Program<'a>,
    sites: &'p Sites,
    loaded: &'a Loaded,
    discovery: Discovery<'p, 'a>,
    /// Whether callbacks handed on by init code become handlers.
    defer: bool,
    /// The files of the binary's crates: where guessed methods may lead.
    files: FxHashSet<LoadedFileId>,
    queue: VecDeque<Work>,
    visited: FxHashSet<(Region, Mode)>,
    reported: FxHashSet<(LoadedFileId, usize, Mode)>,
    dispositions: FxHashMap<(LoadedFileId, usize), Disposition>,
    router_roots: Vec<RouterRoot>,
    seen_routers: FxHashSet<RouterRoot>,
    traced: Traced,
}

impl<'p, 'a> Tracer<'p, 'a> {
    fn new(program: &'p Program<'a>, sites: &'p Sites, loaded: &'a Loaded, krate: usize, defer: bool) -> Self {
        Tracer {
            program,
            sites,
            loaded,
            discovery: Discovery::new(program, loaded),
            defer,
            files: program.crate_files(krate),
            queue: VecDeque::new(),
            visited: FxHashSet::default(),
            reported: FxHashSet::default(),
            dispositions: FxHashMap::default(),
            router_roots: Vec::new(),
            seen_routers: FxHashSet::default(),
            traced: Traced { invoke: Vec::new(), init: Vec::new() },
        }
    }

    fn start(&mut self, entry: &Entry) {
        match entry {
            Entry::Main(f) => {
                let name = self.program.fn_short_name(*f);
                self.push(Region::Fn(*f), Mode::Init, vec![name], Flags::default(), None);
            }
            Entry::WholeMain(f) => {
                if let Some((handler, region)) = self.discovery.whole_main(*f) {
                    self.push_root(handler, region);
                }
            }
            Entry::Macro { file, index, handlers } => {
                for (handler, region) in self.discovery.macro_main(*file, *index, handlers) {
                    self.push_root(handler, region);
                }
            }
            Entry::Unknown => {}
        }
    }

    fn run(&mut self) {
        while let Some(work) = self.queue.pop_front() {
            self.visit(&work);
        }
    }

    fn push(&mut self, region: Region, mode: Mode, via: Vec<String>, flags: Flags, handler: Option<usize>) {
        if self.visited.insert((region, mode)) {
            let Flags { in_loop, offloaded } = flags;
            self.queue.push_back(Work { region, mode, via, in_loop, offloaded, handler });
        }
    }

    /// A handler: its code runs per invocation.
    fn push_root(&mut self, handler: usize, region: Region) {
        let name = self.discovery.found.handlers[handler].name.clone();
        self.push(region, Mode::Invoke, vec![name], Flags::default(), Some(handler));
    }

    /// The file, owner and span limits of a region, and the closure it is (if one).
    fn region_parts(&self, region: Region) -> Option<(LoadedFileId, Owner, u32, u32, Option<usize>)> {
        Some(match region {
            Region::Fn(f) => (f.file, Owner::Fn(f.index), 0, u32::MAX, None),
            Region::Closure { file, closure } => {
                let c = self.program.facts(file)?.closures.get(closure)?;
                (file, c.owner, c.span.start, c.span.end, Some(closure))
            }
            Region::Static { file, index } => (file, Owner::Static(index), 0, u32::MAX, None),
        })
    }

    fn visit(&mut self, work: &Work) {
        let Some((file, owner, start, end, boundary)) = self.region_parts(work.region) else {
            return;
        };
        let Some(scope) = Scope::for_owner(self.program, file, owner) else {
            return;
        };
        let facts = scope.facts(self.program);
        for &index in self.program.calls_of(file, owner) {
            let call = &facts.calls[index];
            let inside = call.span.start >= start && call.span.end <= end;
            if !inside || (work.mode == Mode::Init && self.in_deferred_closure(&scope, call.closure, boundary)) {
                continue;
            }
            let mode = if call.guarded { Mode::Init } else { work.mode };
            let Some(cell) = self.sites.cells.get(file.index()).and_then(|calls| calls.get(index)) else {
                continue;
            };
            let site = cell.get_or_init(|| Site::work_out(self.program, self.loaded, &scope, index));
            if mode == Mode::Init {
                self.init_call(&scope, index, work);
            }
            self.report(file, call, index, mode, work, site);
            self.follow(&scope, call, index, mode, work, site);
        }
        if work.mode == Mode::Init && self.defer {
            self.defer_closures(&scope, start, end, boundary);
        }
        for &index in self.program.static_refs_of(file, owner) {
            let reference = &facts.static_refs[index];
            let inside = reference.span.start >= start && reference.span.end <= end;
            if let (true, Resolved::Static { file, index }) = (inside, scope.resolve(self.program, &reference.path)) {
                self.push(Region::Static { file, index }, Mode::Init, work.via.clone(), Flags::default(), work.handler);
            }
        }
    }

    /// What init code does besides calling: start the runtime, build routers, hand values
    /// with a `Service` impl on.
    fn init_call(&mut self, scope: &Scope, index: usize, work: &Work) {
        if let Some(start) = self.discovery.runtime_start(scope, index) {
            self.discovery.register(scope, index, start, &work.via);
        }
        let root = RouterRoot { file: scope.file, owner: scope.owner, call: index };
        if !self.seen_routers.contains(&root) && self.discovery.is_router_root(scope, index) {
            self.seen_routers.insert(root);
            self.router_roots.push(root);
        }
        if self.defer && self.disposition_of_call(scope, index) == Disposition::Deferred {
            self.defer_services(scope, index);
        }
    }

    /// Values handed on whose type has a `Service` impl (its `call` runs per request) or GraphQL
    /// resolvers (`Schema::build(Query, ..)`: each resolver runs per request).
    fn defer_services(&mut self, scope: &Scope, index: usize) {
        let facts = scope.facts(self.program);
        for arg in &facts.calls[index].args {
            if matches!(arg, ValueExpr::Closure(_) | ValueExpr::Int(_) | ValueExpr::Str(_) | ValueExpr::Other) {
                continue;
            }
            let Some(ty @ TypeKey::Local { .. }) = scope.infer(self.program, arg) else {
                continue;
            };
            let mut roots = self.discovery.service_impls(&ty);
            roots.extend(self.discovery.resolvers(&ty));
            for (handler, region) in roots {
                self.push_root(handler, region);
            }
        }
    }

    /// Closures of this region that init code hands on: each is a handler.
    fn defer_closures(&mut self, scope: &Scope, start: u32, end: u32, boundary: Option<usize>) {
        let facts = scope.facts(self.program);
        for (index, closure) in facts.closures.iter().enumerate() {
            let direct = closure.owner == scope.owner
                && closure.parent == boundary
                && Some(index) != boundary
                && closure.span.start >= start
                && closure.span.end <= end;
            if direct && !closure.guard && self.closure_disposition(scope, index) == Disposition::Deferred {
                let (handler, region) = self.discovery.deferred_closure(scope, index);
                self.push_root(handler, region);
            }
        }
    }

    /// Whether a call inside closure `innermost` (walking out to the region's own closure)
    /// sits in a closure that is handed on rather than run here.
    fn in_deferred_closure(&mut self, scope: &Scope, innermost: Option<usize>, boundary: Option<usize>) -> bool {
        if !self.defer {
            return false;
        }
        let facts = scope.facts(self.program);
        let mut current = innermost;
        for _ in 0..MAX_CHAIN {
            match current {
                None => return false,
                Some(c) if Some(c) == boundary => return false,
                Some(c) => {
                    if self.closure_disposition(scope, c) == Disposition::Deferred {
                        return true;
                    }
                    current = facts.closures.get(c).and_then(|fact| fact.parent);
                }
            }
        }
        false
    }

    /// How the code a closure is runs: decided by the call it is handed to (directly or
    /// through a `let`), handed on when it is returned, stored or kept.
    fn closure_disposition(&mut self, scope: &Scope, closure: usize) -> Disposition {
        if let Some(&known) = self.dispositions.get(&(scope.file, closure)) {
            return known;
        }
        let facts = scope.facts(self.program);
        let disposition = if facts.closures.get(closure).is_some_and(|c| c.guard) {
            Disposition::Init
        } else if let Some(call) = self.program.closure_argument_of(scope.file, closure) {
            self.disposition_of_call(scope, call)
        } else {
            self.let_closure_disposition(scope, closure)
        };
        self.dispositions.insert((scope.file, closure), disposition);
        disposition
    }

    /// `let h = |ev| ..;` then `h(ev)` (run here) or `service_fn(h)` (as that call decides).
    fn let_closure_disposition(&self, scope: &Scope, closure: usize) -> Disposition {
        let facts = scope.facts(self.program);
        let binding = self
            .program
            .lets_of(scope.file, scope.owner)
            .iter()
            .map(|&i| &facts.lets[i])
            .find(|l| l.init == Some(ValueExpr::Closure(closure)));
        let Some(binding) = binding else {
            return Disposition::Deferred;
        };
        let is_name =
            |value: &ValueExpr| matches!(value, ValueExpr::Path(p, _) if p.single() == Some(binding.name.as_str()));
        for &i in self.program.calls_of(scope.file, scope.owner) {
            let call = &facts.calls[i];
            if call.span.start < binding.span.end {
                continue;
            }
            if matches!(&call.target, CallTarget::Path(p) if p.single() == Some(binding.name.as_str())) {
                return Disposition::Same;
            }
            if call.args.iter().any(is_name) {
                return self.disposition_of_call(scope, i);
            }
        }
        Disposition::Deferred
    }

    /// How call `index` treats the code handed to it.
    fn disposition_of_call(&self, scope: &Scope, index: usize) -> Disposition {
        let facts = scope.facts(self.program);
        let call = &facts.calls[index];
        if is_guard_call(call) {
            return Disposition::Init;
        }
        if is_offload_call(call) {
            return Disposition::Offload;
        }
        match &call.target {
            CallTarget::Method { name, .. } => {
                if STARTUP_METHODS.contains(&name.as_str()) {
                    Disposition::Init
                } else if is_on_spot_method(name) && !self.is_filter_chain(scope, index) {
                    Disposition::Same
                } else {
                    Disposition::Deferred
                }
            }
            CallTarget::Path(path) => {
                let name = scope.path_name(self.program, path);
                let n = path.segments.len();
                let last_two = if n >= 2 { path.segments[n - 2..].join("::") } else { path.joined() };
                if WRAPPERS.contains(&last_two.as_str()) {
                    return Disposition::Same;
                }
                if STARTUP_FNS.iter().any(|s| name.ends_with(s)) {
                    Disposition::Init
                } else if ON_SPOT_FNS.contains(&path.last()) && !name.starts_with("axum") {
                    Disposition::Same
                } else {
                    Disposition::Deferred
                }
            }
            CallTarget::Macro(path) if ON_SPOT_MACROS.contains(&path.last()) => Disposition::Same,
            CallTarget::Macro(_) => Disposition::Deferred,
            CallTarget::Other => Disposition::Same,
        }
    }

    /// A warp filter chain (`warp::path("x").and_then(list)`): its `map`/`and_then` run per
    /// request, unlike those of an `Option` or an iterator.
    fn is_filter_chain(&self, scope: &Scope, index: usize) -> bool {
        let site = self.sites.cells.get(scope.file.index()).and_then(|c| c.get(index)).and_then(OnceLock::get);
        let root = match site.and_then(|s| s.resolved.as_deref()).map(|r| &r.callee) {
            Some(Callee::Method { chain_root: Some(root), .. }) => root.clone(),
            _ => match chain_root(self.program, scope, index) {
                Some(root) => root,
                None => return false,
            },
        };
        root.starts_with("warp::")
    }

    /// Where the call leads: its callees (in its mode, or init for a `#[once]` function), and
    /// what is handed to it, as the call's disposition says.
    fn follow(&mut self, scope: &Scope, call: &CallSite, index: usize, mode: Mode, work: &Work, site: &Site) {
        let in_loop = work.in_loop || call.in_loop;
        let offloaded = work.offloaded || call.offloaded;
        let handed = if site.edges.iter().any(|e| e.argument) {
            self.disposition_of_call(scope, index)
        } else {
            Disposition::Same
        };
        for edge in &site.edges {
            if edge.guessed && !matches!(edge.target, Target::Fn(f) if self.files.contains(&f.file)) {
                continue;
            }
            let mut flags = Flags { in_loop, offloaded };
            let next_mode = if !edge.argument {
                match edge.target {
                    Target::Fn(f) if self.is_once_fn(f) => Mode::Init,
                    _ => mode,
                }
            } else {
                match handed {
                    Disposition::Same => mode,
                    Disposition::Init => Mode::Init,
                    Disposition::Offload => {
                        flags.offloaded = true;
                        mode
                    }
                    Disposition::Deferred if mode == Mode::Init && self.defer => {
                        if let Target::Fn(f) = edge.target {
                            let (handler, region) = self.discovery.deferred_fn(f, is_middleware_call(call));
                            self.push_root(handler, region);
                        }
                        continue;
                    }
                    Disposition::Deferred => mode,
                }
            };
            let region = match edge.target {
                Target::Fn(f) => Region::Fn(f),
                Target::Closure { file, closure } => Region::Closure { file, closure },
            };
            // Most edges lead somewhere already queued: skip building their chain.
            if self.visited.contains(&(region, next_mode)) {
                continue;
            }
            let mut via = work.via.clone();
            via.push(edge.name.clone());
            self.push(region, next_mode, via, flags, work.handler);
        }
    }

    /// A function the `cached` crate memoises (`#[once]`, `#[cached]`): it runs once.
    fn is_once_fn(&self, f: FnRef) -> bool {
        self.program.function(f).is_some_and(|g| g.attrs.iter().any(|a| ONCE_ATTRIBUTES.contains(&a.path.last())))
    }

    fn report(&mut self, file: LoadedFileId, call: &CallSite, index: usize, mode: Mode, work: &Work, site: &Site) {
        if !self.reported.insert((file, index, mode)) {
            return;
        }
        let Some(resolved) = &site.resolved else {
            return;
        };
        let fact = CallFact {
            site: Arc::clone(resolved),
            handler: work.handler,
            via: work.via.clone(),
            in_loop: work.in_loop || call.in_loop,
            offloaded: work.offloaded || call.offloaded,
        };
        match mode {
            Mode::Invoke => self.traced.invoke.push(fact),
            Mode::Init => self.traced.init.push(fact),
        }
    }

    /// Calls reached from a route handler name the route first: ``GET /orders → `list` → ..``.
    fn label_chains(&mut self) {
        let found = &self.discovery.found;
        for call in &mut self.traced.invoke {
            let label = call.handler.and_then(|h| found.regions.get(h)).and_then(|r| found.labels.get(r));
            if let Some(label) = label {
                call.via.insert(0, label.clone());
            }
        }
    }
}

fn callee(program: &Program, scope: &Scope, index: usize, receiver_type: Option<&TypeKey>) -> Option<Callee> {
    let call = &scope.facts(program).calls[index];
    Some(match &call.target {
        CallTarget::Path(path) => Callee::Path(scope.path_name(program, path)),
        CallTarget::Macro(path) => Callee::Macro(scope.path_name(program, path)),
        CallTarget::Method { name, receiver } => Callee::Method {
            name: name.clone(),
            receiver_type: receiver_type.map(|t| program.type_name(t)),
            chain_root: chain_root(program, scope, index),
            receiver: receiver_kind(receiver),
        },
        CallTarget::Other => return None,
    })
}

/// The first call of the chain `index` is part of, canonical: an external root call
/// (`sqlx::postgres::PgPoolOptions::new`), or the first method applied to a value of a
/// known type (`aws_sdk_sesv2::Client::send_email` for `client.send_email()..send()`,
/// also when the client comes from one of our functions: `ddb().await.scan()..`).
fn chain_root(program: &Program, scope: &Scope, index: usize) -> Option<String> {
    let facts = scope.facts(program);
    let mut current = index;
    for _ in 0..MAX_CHAIN {
        match &facts.calls[current].target {
            CallTarget::Method { receiver, name } => {
                if let ValueExpr::Call(next) = **receiver
                    && continues_chain(program, scope, next)
                {
                    current = next;
                    continue;
                }
                if let Some(ty) = scope.infer(program, receiver) {
                    return Some(format!("{}::{name}", program.type_name(&ty)));
                }
                return match &**receiver {
                    ValueExpr::Call(next) => chain_root(program, scope, *next).filter(|_| *next != index),
                    _ => None,
                };
            }
            CallTarget::Path(path) => return Some(scope.path_name(program, path)),
            _ => return None,
        }
    }
    None
}

/// A receiver call that is part of the chain: a method call, or a call into a crate we do
/// not have (a builder such as `PgPoolOptions::new()`), as opposed to our own accessor.
fn continues_chain(program: &Program, scope: &Scope, call: usize) -> bool {
    match &scope.facts(program).calls[call].target {
        CallTarget::Method { .. } => true,
        CallTarget::Path(path) => !matches!(scope.resolve(program, path), Resolved::Fn(_) | Resolved::Assoc { .. }),
        _ => false,
    }
}

/// What a piece of code inherits from the call that leads to it.
#[derive(Clone, Copy, Default)]
struct Flags {
    in_loop: bool,
    offloaded: bool,
}

/// `spawn_blocking(f)`: `f` runs off the async workers.
fn is_offload_call(call: &CallSite) -> bool {
    match &call.target {
        CallTarget::Method { name, .. } => is_offload_method(name),
        CallTarget::Path(path) => is_offload_path(path),
        _ => false,
    }
}

/// Whether a method runs its closure argument where it is called.
fn is_on_spot_method(name: &str) -> bool {
    [ON_SPOT_METHODS, LOOP_METHODS, ITER_ADAPTERS].iter().any(|list| list.contains(&name))
}

/// `from_fn(auth)`, `from_fn_with_state(..)`, `middleware::from_fn(..)`: the function runs
/// around every request.
fn is_middleware_call(call: &CallSite) -> bool {
    matches!(&call.target, CallTarget::Path(path) if path.last().starts_with("from_fn"))
}

fn is_guard_call(call: &CallSite) -> bool {
    match &call.target {
        CallTarget::Method { name, .. } => is_once_guard_method(name),
        CallTarget::Path(path) => is_once_guard_path(path),
        _ => false,
    }
}

fn int(value: &ValueExpr) -> Option<i64> {
    match value {
        ValueExpr::Int(i) => Some(*i),
        _ => None,
    }
}

/// The other calls of `index`'s method chain, root first (`PgPoolOptions::new()` and
/// `.max_connections(10)` for the `.connect(url)` of the same chain).
fn chain_members(facts: &FileFacts, index: usize) -> Vec<usize> {
    let mut below = Vec::new();
    let mut current = index;
    for _ in 0..MAX_CHAIN {
        let CallTarget::Method { receiver, .. } = &facts.calls[current].target else {
            break;
        };
        let ValueExpr::Call(next) = **receiver else {
            break;
        };
        below.push(next);
        current = next;
    }
    below.reverse();
    let mut above = Vec::new();
    let mut current = index;
    for _ in 0..MAX_CHAIN {
        let Some(outer) = facts.calls[current].outer else {
            break;
        };
        above.push(outer);
        current = outer;
    }
    below.into_iter().chain(above).collect()
}

/// The other method calls of `index`'s chain with their integer arguments, root first.
fn chain_args(facts: &FileFacts, index: usize) -> Vec<(String, Vec<i64>)> {
    chain_members(facts, index)
        .into_iter()
        .filter_map(|i| match &facts.calls[i].target {
            CallTarget::Method { name, .. } => {
                Some((name.clone(), facts.calls[i].args.iter().filter_map(int).collect()))
            }
            _ => None,
        })
        .collect()
}

/// String arguments of a call: literals, and the template of a `format!` argument.
fn string_args(facts: &FileFacts, index: usize) -> Vec<String> {
    facts.calls[index].args.iter().filter_map(|a| string_value(facts, a)).collect()
}

fn string_value(facts: &FileFacts, value: &ValueExpr) -> Option<String> {
    match value {
        ValueExpr::Str(s) => Some(s.clone()),
        ValueExpr::Call(i) => match &facts.calls.get(*i)?.target {
            CallTarget::Macro(path) if path.last() == "format" => match facts.calls[*i].args.first()? {
                ValueExpr::Str(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// String arguments of every call of `index`'s chain, itself included (the URL given to
/// `.get(..)` of a `client.get(url).send()` chain).
fn chain_strings(facts: &FileFacts, index: usize) -> Vec<String> {
    let mut members = chain_members(facts, index);
    members.push(index);
    members.into_iter().flat_map(|i| string_args(facts, i)).collect()
}

fn receiver_kind(receiver: &ValueExpr) -> Receiver {
    match receiver {
        ValueExpr::Path(p, _) if p.single() == Some("self") => Receiver::SelfValue,
        ValueExpr::Path(p, _) => Receiver::Path(p.joined()),
        ValueExpr::Field(..) => field_text(receiver, 0).map_or(Receiver::Other, Receiver::Field),
        ValueExpr::Call(_) => Receiver::Call,
        _ => Receiver::Other,
    }
}

fn field_text(value: &ValueExpr, depth: usize) -> Option<String> {
    match value {
        ValueExpr::Path(p, _) => Some(p.joined()),
        ValueExpr::Field(base, name) if depth < 16 => Some(format!("{}.{name}", field_text(base, depth + 1)?)),
        _ => None,
    }
}
