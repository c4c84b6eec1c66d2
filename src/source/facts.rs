//! What one `.rs` file says, as plain owned data.
//!
//! [`collect`](super::collect) fills these in with one `syn` pass; everything after it (name
//! resolution, handler discovery, the invoke path) reads only these structs, so no `syn` type
//! and no `proc_macro2` span ever leaves the parsing task. Indexes (`usize`) point into the
//! vectors of the same [`FileFacts`].

use crate::span::Span;

/// Everything collected from one file.
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    /// `modules[0]` is the file itself; inline `mod x { .. }` blocks follow.
    pub modules: Vec<ModuleFacts>,
    pub fns: Vec<FnFact>,
    pub impls: Vec<ImplFact>,
    pub types: Vec<TypeItem>,
    pub statics: Vec<StaticFact>,
    /// Every call, method call and macro call in source order (outer before inner).
    pub calls: Vec<CallSite>,
    pub closures: Vec<ClosureFact>,
    pub lets: Vec<LetFact>,
    /// Uses of `SCREAMING_CASE` paths outside call position (`CLIENT.get_or_init(..)`): how the
    /// invoke path finds the lazily initialised globals it touches.
    pub static_refs: Vec<StaticRef>,
    /// Macro invocations among a module's items (`lambda_main!(handler);`).
    pub item_macros: Vec<ItemMacroFact>,
    /// Things the collector chose not to look into (too deep), as informational notes.
    pub notes: Vec<(Span, String)>,
}

/// A module: the file root or an inline `mod x { .. }`.
#[derive(Clone, Debug, Default)]
pub struct ModuleFacts {
    /// Empty for the file root.
    pub name: String,
    pub parent: Option<usize>,
    pub uses: Vec<UseFact>,
    /// Named items defined directly in this module.
    pub items: Vec<(String, ItemRef)>,
    pub children: Vec<ChildModule>,
}

/// An item a name in a module stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemRef {
    Fn(usize),
    Type(usize),
    Static(usize),
    /// Index into the module's `children`.
    Module(usize),
}

/// `mod x;` or `mod x { .. }`.
#[derive(Clone, Debug)]
pub struct ChildModule {
    pub name: String,
    pub span: Span,
    pub source: ModuleSource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleSource {
    /// Index into [`FileFacts::modules`].
    Inline(usize),
    /// Another file; `path` is the `#[path = ".."]` value, if any.
    File { path: Option<String> },
}

/// One name a `use` (or `extern crate`) brings into scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseFact {
    /// The local name (after `as`); empty for a glob.
    pub alias: String,
    /// The imported path, first segment possibly `crate`, `self`, `super`.
    pub path: Vec<String>,
    pub glob: bool,
    /// Written with a leading `::` or as `extern crate`: the first segment is a crate.
    pub absolute: bool,
    pub public: bool,
    pub span: Span,
}

/// A path as written, generic arguments dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PathFact {
    pub segments: Vec<String>,
    /// Leading `::`.
    pub absolute: bool,
}

impl FileFacts {
    /// Every function and method of the file with its whole span, named as a reader names it:
    /// `name`, `Type::name` in an `impl` (the last segment of the type's path), `Trait::name`
    /// in a trait. (Baselines key Rust findings by the innermost one.)
    pub fn function_extents(&self) -> Vec<FunctionExtent> {
        self.fns
            .iter()
            .map(|f| {
                let owner = match (f.impl_block, f.in_trait) {
                    (Some(i), _) => Some(self.impls.get(i).map_or("impl", |imp| match imp.self_ty.path.last() {
                        "" => "impl",
                        name => name,
                    })),
                    (None, Some(t)) => self.types.get(t).map(|ty| ty.name.as_str()),
                    (None, None) => None,
                };
                let name = match owner {
                    Some(owner) => format!("{owner}::{}", f.name),
                    None => f.name.clone(),
                };
                FunctionExtent { span: f.span, name }
            })
            .collect()
    }
}

/// A function of a file: its whole span and its name (see [`FileFacts::function_extents`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionExtent {
    pub span: Span,
    pub name: String,
}

impl PathFact {
    pub fn single(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [one] if !self.absolute => Some(one),
            _ => None,
        }
    }

    pub fn last(&self) -> &str {
        self.segments.last().map(String::as_str).unwrap_or("")
    }

    pub fn joined(&self) -> String {
        self.segments.join("::")
    }
}

/// A type as written, simplified: its path and generic type arguments. References, `mut`,
/// parentheses and groups are stripped; `impl Trait`/`dyn Trait` keep the first trait bound
/// with `bound` set; anything else (tuples, slices, fn pointers) is `Other`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TypeFact {
    pub path: PathFact,
    pub args: Vec<TypeFact>,
    /// `impl Trait` / `dyn Trait`: `path` names the trait.
    pub bound: bool,
    /// Tuple element types (`(Value, Context)` in legacy handlers); empty otherwise.
    pub tuple: Vec<TypeFact>,
}

impl TypeFact {
    pub fn is_other(&self) -> bool {
        self.path.segments.is_empty() && self.tuple.is_empty()
    }
}

/// A function or method.
#[derive(Clone, Debug)]
pub struct FnFact {
    pub name: String,
    pub module: usize,
    /// The impl block this is a method of.
    pub impl_block: Option<usize>,
    /// The trait (index into `types`) this is a default method of.
    pub in_trait: Option<usize>,
    /// The whole item, from the `fn` keyword (or visibility) to the closing brace.
    pub span: Span,
    pub name_span: Span,
    pub is_async: bool,
    pub attrs: Vec<AttrFact>,
    pub has_self: bool,
    /// Parameters other than `self`.
    pub params: Vec<ParamFact>,
    pub output: Option<TypeFact>,
    /// Type parameters and their trait bounds (`<R: Repo>`, `where R: Repo`).
    pub generics: Vec<(String, Vec<TypeFact>)>,
    /// The tail expression and every `return` value (not those of nested closures).
    pub returns: Vec<ValueExpr>,
    pub body: Option<Span>,
}

/// An attribute: its path and, when present, its first string literal argument
/// (`#[get("/x")]` → `get`, `/x`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrFact {
    pub path: PathFact,
    pub first_str: Option<String>,
    /// An OpenAPI route attribute's operation: `#[utoipa::path(get, path = "/items")]` →
    /// `("get", "/items")`.
    pub operation: Option<(String, String)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamFact {
    /// The binding name for a plain `name: T` parameter.
    pub name: Option<String>,
    pub ty: Option<TypeFact>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ImplFact {
    pub module: usize,
    pub self_ty: TypeFact,
    /// `impl Trait for T`: the trait with its generic arguments (`Service<LambdaEvent<T>>`).
    pub trait_: Option<TypeFact>,
    pub span: Span,
    pub fns: Vec<usize>,
    /// `#[Object] impl Query { .. }` (GraphQL resolvers) or `#[OpenApi] impl Api { .. }`
    /// (poem-openapi endpoints): run per request once the type is handed to a schema or service.
    pub resolvers: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    Struct,
    Enum,
    Union,
    Trait,
    Alias,
}

#[derive(Clone, Debug)]
pub struct TypeItem {
    pub name: String,
    pub module: usize,
    pub kind: TypeKind,
    /// Named fields of a struct.
    pub fields: Vec<(String, TypeFact)>,
    /// The aliased type of `type X = ..;`.
    pub alias_of: Option<TypeFact>,
    pub span: Span,
}

/// Where a global came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticForm {
    Static,
    Const,
    LazyStatic,
    ThreadLocal,
}

/// A `static`/`const` item (also inside `lazy_static!`/`thread_local!`).
#[derive(Clone, Debug)]
pub struct StaticFact {
    pub name: String,
    pub module: usize,
    pub ty: TypeFact,
    pub form: StaticForm,
    pub span: Span,
    pub init: Option<ValueExpr>,
}

/// Whose code a call belongs to: the innermost function item, or a global's initialiser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    Fn(usize),
    Static(usize),
}

/// What is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// `a::b::f(..)`.
    Path(PathFact),
    /// `receiver.name(..)`.
    Method { name: String, receiver: Box<ValueExpr> },
    /// `a::m!(..)`; arguments only when the body was parsed (see the collector).
    Macro(PathFact),
    /// `(expr)(..)`: a call of something that is not a path.
    Other,
}

/// One call expression.
#[derive(Clone, Debug)]
pub struct CallSite {
    pub owner: Owner,
    /// The whole call expression (receiver chain included for method calls).
    pub span: Span,
    /// For a method call, `name(args)` without the receiver; otherwise the whole call.
    pub method_span: Span,
    pub target: CallTarget,
    pub args: Vec<ValueExpr>,
    pub in_loop: bool,
    /// Inside a closure passed to a once-initialiser (`get_or_init`, `LazyLock::new`, ..) or
    /// in a global's initialiser.
    pub guarded: bool,
    /// Inside a closure passed to `spawn_blocking`, `block_in_place` or `thread::spawn`: it
    /// runs where blocking is allowed, off the async worker threads.
    pub offloaded: bool,
    /// The innermost closure the call is in.
    pub closure: Option<usize>,
    /// The method call this call is the receiver of (`a().b()`: `a` → `b`), for chains.
    pub outer: Option<usize>,
}

/// A closure expression.
#[derive(Clone, Debug)]
pub struct ClosureFact {
    pub owner: Owner,
    pub span: Span,
    pub params: Vec<ParamFact>,
    /// Single identifiers the body reads (outside call position) without binding them itself:
    /// the captured variables, over-approximated (a unit struct or a function passed by name
    /// also shows up).
    pub captures: Vec<String>,
    pub is_move: bool,
    /// The closure is an argument of a once-initialiser.
    pub guard: bool,
    pub parent: Option<usize>,
    /// What the closure returns (its body expression).
    pub body: ValueExpr,
}

/// A macro invoked among a module's items, with the paths it was given.
#[derive(Clone, Debug)]
pub struct ItemMacroFact {
    pub module: usize,
    pub path: PathFact,
    /// Arguments that are plain paths (`lambda_main!(get_items)` → `get_items`).
    pub args: Vec<PathFact>,
    /// From the `!` to the closing delimiter.
    pub span: Span,
}

/// `let name[: ty] = init;` with a single identifier pattern.
#[derive(Clone, Debug)]
pub struct LetFact {
    pub owner: Owner,
    pub name: String,
    pub ty: Option<TypeFact>,
    pub init: Option<ValueExpr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct StaticRef {
    pub owner: Owner,
    pub path: PathFact,
    pub span: Span,
    pub guarded: bool,
}

/// An expression, reduced to what handler discovery needs. `&x`, `(x)`, `x.await`, `x?` and
/// blocks' tail expressions are looked through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueExpr {
    /// A path: a local variable, a function, a unit struct, a static.
    Path(PathFact, Span),
    /// Index into [`FileFacts::calls`].
    Call(usize),
    /// Index into [`FileFacts::closures`].
    Closure(usize),
    Field(Box<ValueExpr>, String),
    /// `T { .. }`.
    Struct(PathFact, Span),
    Int(i64),
    Str(String),
    /// `async { .. }`; its calls belong to the enclosing owner.
    Async(Span),
    Other,
}

/// A `// slint: allow(rule, ..) reason` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowComment {
    /// 1-based line of the comment.
    pub line: u32,
    pub span: Span,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The comment is alone on its line (it applies to the next line); otherwise it ends a
    /// line of code (and applies to that line).
    pub own_line: bool,
}

/// Why a file could not be analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectError {
    pub span: Span,
    pub message: String,
    /// A syntax error (as opposed to a file slint declined to parse).
    pub syntax: bool,
}
