//! The invoke path and the init code of one binary.
//!
//! Breadth-first from every handler root over calls into our own code (functions, methods of
//! known receiver types, trait impls of the workspace, closures called through variables,
//! functions passed by name), through modules, the lib target and path dependencies, at most
//! [`MAX_DEPTH`] calls deep and each region once per mode. Calls under a once-initialiser
//! (`get_or_init(..)`, `LazyLock::new(..)`, global initialisers) are init code even when a
//! handler reaches them, and so is everything they call. Init code also starts at `main`
//! before the registration; handler closures and handler functions are not init code.
//!
//! Each call site is reported once per mode, by the first (shortest) chain that reaches it.
//! What a call site is (its callee, arguments and chain) and where it leads are worked out
//! once per site ([`Sites`]) and shared by every binary that reaches it; only how a path
//! reaches it (handler, chain, loop and offload flags) is per binary.

use rustc_hash::FxHashSet;
use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use super::collect::{is_offload_method, is_offload_path, is_once_guard_method, is_once_guard_path};
use super::facts::*;
use super::handlers::{Found, Region};
use super::load::Loaded;
use super::resolve::{Program, Resolved, TypeKey};
use super::scope::{Scope, Target};
use super::{CallFact, Callee, Receiver, ResolvedCall};

/// Calls followed from a handler (or from `main`).
pub const MAX_DEPTH: usize = 8;
/// Steps along one method chain.
const MAX_CHAIN: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    Invoke,
    Init,
}

struct Work {
    region: Region,
    mode: Mode,
    via: Vec<String>,
    depth: usize,
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
        let calls = |file: usize| program.facts(file).map_or(0, |facts| facts.calls.len());
        Sites {
            cells: (0..program.files.len()).map(|file| (0..calls(file)).map(|_| OnceLock::new()).collect()).collect(),
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
        let targets = match (&call.target, &receiver_type) {
            (CallTarget::Method { name, .. }, Some(ty)) => {
                program.methods(ty, name).into_iter().map(Target::Fn).collect()
            }
            (CallTarget::Method { .. }, None) => Vec::new(),
            _ => scope.call_targets(program, index),
        };
        let arguments = scope.argument_targets(program, index);
        let edge = |target: Target, argument: bool| {
            let name = match target {
                Target::Fn(f) => program.fn_short_name(f),
                Target::Closure { .. } => "{closure}".to_string(),
            };
            Edge { target, name, argument }
        };
        let edges = targets.into_iter().map(|t| edge(t, false)).chain(arguments.into_iter().map(|t| edge(t, true)));
        Site { resolved, edges: edges.collect() }
    }
}

pub fn trace(program: &Program, sites: &Sites, loaded: &Loaded, found: &Found) -> Traced {
    let mut tracer = Tracer {
        program,
        sites,
        loaded,
        found,
        queue: VecDeque::new(),
        visited: FxHashSet::default(),
        reported: FxHashSet::default(),
        traced: Traced { invoke: Vec::new(), init: Vec::new() },
    };
    for &(handler, region) in &found.roots {
        let name = found.handlers[handler].name.clone();
        tracer.push(region, Mode::Invoke, vec![name], 0, Flags::default(), Some(handler));
    }
    for (region, via) in &found.init_seeds {
        tracer.push(*region, Mode::Init, via.clone(), 0, Flags::default(), None);
    }
    while let Some(work) = tracer.queue.pop_front() {
        tracer.visit(&work);
    }
    tracer.traced
}

struct Tracer<'p, 'a> {
    program: &'p Program<'a>,
    sites: &'p Sites,
    loaded: &'a Loaded,
    found: &'p Found,
    queue: VecDeque<Work>,
    visited: FxHashSet<(Region, Mode)>,
    reported: FxHashSet<(usize, usize, Mode)>,
    traced: Traced,
}

impl Tracer<'_, '_> {
    fn push(
        &mut self,
        region: Region,
        mode: Mode,
        via: Vec<String>,
        depth: usize,
        flags: Flags,
        handler: Option<usize>,
    ) {
        if depth <= MAX_DEPTH && self.visited.insert((region, mode)) {
            let Flags { in_loop, offloaded } = flags;
            self.queue.push_back(Work { region, mode, via, depth, in_loop, offloaded, handler });
        }
    }

    /// The file, owner and span limits of a region.
    fn region_parts(&self, region: Region) -> Option<(usize, Owner, u32, u32)> {
        Some(match region {
            Region::Fn(f) => (f.file, Owner::Fn(f.index), 0, u32::MAX),
            Region::FnUntil { f, end } => (f.file, Owner::Fn(f.index), 0, end),
            Region::Closure { file, closure } => {
                let c = self.program.facts(file)?.closures.get(closure)?;
                (file, c.owner, c.span.start, c.span.end)
            }
            Region::Static { file, index } => (file, Owner::Static(index), 0, u32::MAX),
        })
    }

    fn visit(&mut self, work: &Work) {
        let Some((file, owner, start, end)) = self.region_parts(work.region) else {
            return;
        };
        let Some(scope) = Scope::for_owner(self.program, file, owner) else {
            return;
        };
        let facts = scope.facts(self.program);
        let until = matches!(work.region, Region::FnUntil { .. });
        for &index in self.program.calls_of(file, owner) {
            let call = &facts.calls[index];
            let inside = if until { call.span.start < end } else { call.span.start >= start && call.span.end <= end };
            if !inside || (work.mode == Mode::Init && self.is_handler_code(file, call)) {
                continue;
            }
            let mode = if call.guarded { Mode::Init } else { work.mode };
            let Some(cell) = self.sites.cells.get(file).and_then(|calls| calls.get(index)) else {
                continue;
            };
            let site = cell.get_or_init(|| Site::work_out(self.program, self.loaded, &scope, index));
            self.report(file, call, index, mode, work, site);
            self.follow(call, mode, work, site);
        }
        for &index in self.program.static_refs_of(file, owner) {
            let reference = &facts.static_refs[index];
            let inside = if until {
                reference.span.start < end
            } else {
                reference.span.start >= start && reference.span.end <= end
            };
            if let (true, Resolved::Static { file, index }) = (inside, scope.resolve(self.program, &reference.path)) {
                self.push(
                    Region::Static { file, index },
                    Mode::Init,
                    work.via.clone(),
                    work.depth + 1,
                    Flags::default(),
                    work.handler,
                );
            }
        }
    }

    /// Calls inside a handler closure are never init code, even inside `main`.
    fn is_handler_code(&self, file: usize, call: &CallSite) -> bool {
        self.found
            .excluded
            .iter()
            .any(|&(f, span)| f == file && span.start <= call.span.start && call.span.end <= span.end)
    }

    /// Where the call leads: its callee, functions passed by name (init code when passed to a
    /// once-initialiser), a closure behind a variable.
    fn follow(&mut self, call: &CallSite, mode: Mode, work: &Work, site: &Site) {
        let in_loop = work.in_loop || call.in_loop;
        let offloaded = work.offloaded || call.offloaded;
        let guard = is_guard_call(call);
        let offload = is_offload_call(call);
        for edge in &site.edges {
            let (next_mode, offloaded) = match (edge.argument, guard) {
                (false, _) => (mode, offloaded),
                (true, true) => (Mode::Init, offloaded || offload),
                (true, false) => (mode, offloaded || offload),
            };
            let region = match edge.target {
                Target::Fn(f) => {
                    if next_mode == Mode::Init && self.found.handler_fns.contains(&f) {
                        continue;
                    }
                    Region::Fn(f)
                }
                Target::Closure { file, closure } => Region::Closure { file, closure },
            };
            // Most edges lead somewhere already queued: skip building their chain.
            if work.depth + 1 > MAX_DEPTH || self.visited.contains(&(region, next_mode)) {
                continue;
            }
            let mut via = work.via.clone();
            via.push(edge.name.clone());
            self.push(region, next_mode, via, work.depth + 1, Flags { in_loop, offloaded }, work.handler);
        }
    }

    fn report(&mut self, file: usize, call: &CallSite, index: usize, mode: Mode, work: &Work, site: &Site) {
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
