//! The Rust side of slint: what the Lambda crates a template deploys do, as facts rules read.
//!
//! [`analyse`] takes Cargo manifests and builds a [`SourceModel`]:
//! 1. manifests → packages, their lib and bin targets, dependencies with renames, workspaces
//!    ([`cargo`]);
//! 2. every `.rs` file reachable from a target root through `mod` declarations is read and
//!    parsed once, in parallel, by one `syn` pass into owned facts ([`collect`], [`facts`]);
//! 3. names are resolved through `use` maps and Cargo renames ([`resolve`]);
//! 4. per bin target, the Lambda registration in `main` and the handlers it is given are found
//!    ([`handlers`]), then the **invoke path** (code run on every invocation) and the **init**
//!    code (run once per execution environment) are traced ([`invoke`]).
//!
//! Rules never parse: they read [`Binary::invoke_calls`], [`Binary::init_calls`],
//! [`Binary::routes`], [`Package::release_profile`] and so on. No `syn` type leaves this
//! module; every fact carries a [`FileId`] and a byte [`Span`].

pub mod cargo;
pub mod collect;
mod comments;
pub mod facts;
mod handlers;
mod invoke;
mod load;
mod resolve;
mod scope;
mod syntax;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cargo::{
    BinTarget, DepKind, Dependency, LambdaMetadata, LibTarget, Package, PackageRole, ReleaseProfile,
};

use crate::files::FileId;
use crate::span::Span;

/// Stack size of the parsing threads: syn recurses once per nesting level of an expression.
const PARSE_STACK_BYTES: usize = 64 << 20;

/// Everything the Rust side found.
#[derive(Clone, Debug, Default)]
pub struct SourceModel {
    /// Every file read (manifests and `.rs` files), in `FileId` order: `files[i]` has
    /// `FileId(first_file_id + i)`. The caller appends them to its `SourceDb` in this order.
    pub files: Vec<(PathBuf, Arc<str>)>,
    pub packages: Vec<Package>,
    /// Bin targets of the root packages whose root file exists.
    pub binaries: Vec<Binary>,
    pub problems: Vec<SourceProblem>,
    pub suppressions: Vec<CommentSuppression>,
}

/// One bin target: its Lambda registration, handlers, and the calls on its invoke and init
/// paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binary {
    /// Index into [`SourceModel::packages`].
    pub package: usize,
    pub name: String,
    pub root: FileId,
    pub registration: Option<Registration>,
    pub handlers: Vec<Handler>,
    /// Calls that run on every invocation, each call site once (reached first, by a shortest
    /// chain, from the first handler that reaches it).
    pub invoke_calls: Vec<CallFact>,
    /// Calls that run once per execution environment: `main` up to the registration, what it
    /// calls, once-initialisers and global initialisers reached from anywhere.
    pub init_calls: Vec<CallFact>,
    /// Distinct `(method, path)` routes of a web-framework router handed to the runtime.
    pub routes: Vec<RouteFact>,
    /// Event types the handlers take (`lambda_http::Request`,
    /// `aws_lambda_events::event::sqs::SqsEvent`), canonical, without duplicates.
    pub payload_types: Vec<String>,
}

/// The call that starts the Lambda runtime loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// Canonical API: `lambda_runtime::run`, `lambda_http::run_with_streaming_response`,
    /// `lambda_runtime::Runtime::new(..).run`, `lambda_runtime::lambda!`, `#[lambda]`.
    pub api: String,
    /// Multi-concurrency (`run_concurrent`, Lambda Managed Instances).
    pub concurrent: bool,
    /// Response streaming.
    pub streaming: bool,
    pub file: FileId,
    pub span: Span,
    /// Functions from `main` to the one that registers (`["main", "serve"]`).
    pub via: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handler {
    /// `create_order`, `Counter::call`, `main::{closure}`.
    pub name: String,
    pub file: FileId,
    /// The function's name, or the whole closure.
    pub span: Span,
    pub kind: HandlerKind,
    pub confidence: Confidence,
    /// The event type it takes, canonical, when declared.
    pub payload_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandlerKind {
    /// A named function.
    Fn,
    /// A closure (its body is the handler).
    Closure,
    /// A method (`service_fn(Handler::handle)`).
    Method,
    /// `call` of a hand-written `Service` (or legacy `Handler`) impl.
    ServiceImpl,
    /// A web-framework route handler.
    Route { method: String, path: String },
    /// Middleware that runs on every request (`from_fn(mw)`, runtime layers).
    Middleware,
    /// The router's fallback.
    Fallback,
    /// `#[lambda] async fn main(event, ctx)`: the whole of `main` runs per invocation.
    WholeMain,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Found through a signature alone (no registration was understood).
    Low,
    /// Found from the registration.
    High,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteFact {
    /// `GET`, `POST`, .., `ANY`.
    pub method: String,
    pub path: String,
    /// Index into [`Binary::handlers`].
    pub handler: Option<usize>,
    pub file: FileId,
    /// The `route(..)` call, without its receiver.
    pub span: Span,
}

/// One call on an invoke or init path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFact {
    pub file: FileId,
    /// The whole call expression (receiver chain included).
    pub span: Span,
    /// For a method call, `name(args)` without the receiver (where a finding about, say,
    /// `.max_connections(10)` should point); otherwise the whole call.
    pub method_span: Span,
    pub callee: Callee,
    /// Integer literal arguments, in order.
    pub literal_args: Vec<i64>,
    /// String literal arguments, in order (env var names, routes, URLs).
    pub string_args: Vec<String>,
    /// The other method calls of the same chain and their integer literal arguments
    /// (`PgPoolOptions::new().max_connections(10).connect(url)`: the `connect` call has
    /// `[("max_connections", [10])]`).
    pub chain_args: Vec<(String, Vec<i64>)>,
    /// Index into [`Binary::handlers`] of the handler it was reached from (none for init code
    /// reached from `main`).
    pub handler: Option<usize>,
    /// Functions from the handler (or `main`) to the one containing the call:
    /// `["create_order", "send_receipt"]`.
    pub via: Vec<String>,
    /// In a loop (or an iterator closure) here or at a call on the way.
    pub in_loop: bool,
    /// Inside a once-initialiser or a global's initialiser.
    pub guarded: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callee {
    /// A function or associated function, canonical: `aws_sdk_sesv2::Client::new`,
    /// `crate::handlers::create_order`, `reqwest::get`.
    Path(String),
    Method {
        name: String,
        /// The receiver's type when declarations tell (`aws_sdk_sesv2::Client`).
        receiver_type: Option<String>,
        /// The first call of the method chain, canonical: `sqlx::postgres::PgPoolOptions::new`
        /// for `PgPoolOptions::new().max_connections(10).connect(url)`, or
        /// `aws_sdk_sesv2::Client::send_email` for `client.send_email().to(..).send()`.
        chain_root: Option<String>,
        receiver: Receiver,
    },
    /// A macro call (`sqlx::migrate!`, `panic!`).
    Macro(String),
}

impl Callee {
    /// The path, method name or macro name.
    pub fn name(&self) -> &str {
        match self {
            Callee::Path(p) | Callee::Macro(p) => p,
            Callee::Method { name, .. } => name,
        }
    }
}

/// What a method is called on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receiver {
    SelfValue,
    /// A variable or a path (`client`, `CLIENT`).
    Path(String),
    /// A field access (`self.client`, `state.db`).
    Field(String),
    /// The result of another call (a chain).
    Call,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A file that does not parse (a manifest or a `.rs` file): an SL001 finding.
    Parse,
    /// Something slint could not follow (a missing module file, a handler it could not
    /// resolve, a file too deeply nested to analyse).
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceProblem {
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub kind: ProblemKind,
}

/// `// slint: allow(rule, ..) reason` in a Rust file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentSuppression {
    pub file: FileId,
    /// 1-based line of the comment.
    pub line: u32,
    /// The comment.
    pub span: Span,
    /// Codes or names, as written.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// Alone on its line: it applies to the next line; otherwise to its own line.
    pub own_line: bool,
}

impl CommentSuppression {
    /// The 1-based line whose findings this comment suppresses.
    pub fn target_line(&self) -> u32 {
        if self.own_line {
            self.line.saturating_add(1)
        } else {
            self.line
        }
    }
}

/// Why [`SourceModel::find_binary`] found nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryLookupError {
    pub message: String,
}

impl fmt::Display for BinaryLookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BinaryLookupError {}

impl SourceModel {
    /// The binary `name` (or the only binary, when `name` is `None`) of the packages in `dir`:
    /// the package there, or the members of the workspace there.
    pub fn find_binary(
        &self,
        dir: &Path,
        name: Option<&str>,
    ) -> Result<&Binary, BinaryLookupError> {
        let dir = cargo::normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
        let in_scope = |package: &Package| {
            package.dir == dir
                || package
                    .workspace_root
                    .as_ref()
                    .and_then(|r| r.parent())
                    .is_some_and(|r| r == dir)
        };
        let candidates: Vec<&Binary> = self
            .binaries
            .iter()
            .filter(|b| in_scope(&self.packages[b.package]))
            .collect();
        let declared: Vec<String> = self
            .packages
            .iter()
            .filter(|p| in_scope(p))
            .flat_map(|p| p.bins.iter().map(|b| b.name.clone()))
            .collect();
        let error = |message: String| Err(BinaryLookupError { message });
        match name {
            Some(name) => match candidates.iter().find(|b| b.name == name) {
                Some(found) => Ok(found),
                None if declared.iter().any(|d| d == name) => error(format!(
                    "bin target `{name}` is declared but its source file does not exist"
                )),
                None if declared.is_empty() => error(format!(
                    "no Cargo package with bin targets in {}",
                    dir.display()
                )),
                None => error(format!(
                    "no bin target named `{name}` in {} (found: {})",
                    dir.display(),
                    declared.join(", ")
                )),
            },
            None => match candidates.as_slice() {
                [only] => Ok(only),
                [] => error(format!("no bin target in {}", dir.display())),
                many => {
                    let names: Vec<&str> = many.iter().map(|b| b.name.as_str()).collect();
                    error(format!(
                        "{} has {} bin targets ({}); name one (BuildProperties.Binary)",
                        dir.display(),
                        many.len(),
                        names.join(", ")
                    ))
                }
            },
        }
    }
}

/// Loads the crates of `manifests` (package or workspace `Cargo.toml` files, or folders
/// holding one) and analyses every bin target. Runs in parallel; reads and parses every file
/// once. Never panics on malformed input: problems are reported in the model.
pub fn analyse(manifests: &[PathBuf], first_file_id: u32) -> SourceModel {
    // syn recurses on nested code; parse on threads with room for it, as many as the
    // caller's pool has.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .stack_size(PARSE_STACK_BYTES)
        .thread_name(|i| format!("slint-source-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(|| analyse_here(manifests, first_file_id)),
        Err(_) => analyse_here(manifests, first_file_id),
    }
}

fn analyse_here(manifests: &[PathBuf], first_file_id: u32) -> SourceModel {
    use rayon::prelude::*;

    let loaded = load::load(manifests, first_file_id);
    let program = resolve::Program::new(&loaded);
    let binaries: Vec<(Binary, Vec<SourceProblem>)> = loaded
        .crates
        .par_iter()
        .enumerate()
        .filter(|(_, unit)| unit.bin.is_some() && unit.root.is_some())
        .map(|(index, _)| binary(&program, &loaded, index))
        .collect();
    let mut problems: Vec<SourceProblem> = loaded
        .problems
        .iter()
        .map(|p| SourceProblem {
            file: loaded.file_id(p.file),
            span: p.span,
            message: p.message.clone(),
            kind: if p.parse {
                ProblemKind::Parse
            } else {
                ProblemKind::Info
            },
        })
        .collect();
    let mut out = Vec::new();
    for (binary, notes) in binaries {
        out.push(binary);
        problems.extend(notes);
    }
    let suppressions = loaded
        .comments
        .iter()
        .map(|(file, c)| CommentSuppression {
            file: loaded.file_id(*file),
            line: c.line,
            span: c.span,
            rules: c.rules.clone(),
            reason: c.reason.clone(),
            own_line: c.own_line,
        })
        .collect();
    let files = loaded
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    SourceModel {
        files,
        packages: loaded.packages.clone(),
        binaries: out,
        problems,
        suppressions,
    }
}

/// Handlers and both paths of one bin crate.
fn binary(
    program: &resolve::Program,
    loaded: &load::Loaded,
    krate: usize,
) -> (Binary, Vec<SourceProblem>) {
    let unit = &loaded.crates[krate];
    let found = handlers::discover(program, loaded, krate);
    let traced = invoke::trace(program, loaded, &found);
    let notes = found
        .notes
        .iter()
        .map(|(file, span, message)| SourceProblem {
            file: loaded.file_id(*file),
            span: *span,
            message: message.clone(),
            kind: ProblemKind::Info,
        })
        .collect();
    let binary = Binary {
        package: unit.package,
        name: unit.name.clone(),
        root: loaded.file_id(unit.root.unwrap_or_default()),
        registration: found.registration.clone(),
        handlers: found.handlers.clone(),
        invoke_calls: traced.invoke,
        init_calls: traced.init,
        routes: found.routes.clone(),
        payload_types: found.payload_types.clone(),
    };
    (binary, notes)
}
