//! Name resolution over the loaded crates: module trees, `use` maps (renames, globs,
//! `self`/`super`/`crate`, re-exports, `extern crate .. as ..`) and Cargo renames, so a path
//! in code becomes either a local item with a stable id or a canonical external path such as
//! `aws_sdk_s3::Client::new`.
//!
//! Resolution is deliberately light: no type checking, no macro expansion, first match wins.
//! Every recursion is depth-limited, so re-export cycles and hostile code cannot loop.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Mutex;

use super::facts::*;
use super::load::LoadedFileId;
use super::load::{CrateUnit, DepTarget, Loaded, LoadedFile};

/// Re-export chains and alias chains followed before giving up.
const MAX_RESOLVE_DEPTH: usize = 12;
/// Module nesting followed when building module trees.
const MAX_MODULE_DEPTH: usize = 64;
/// Scope lookups one top-level lookup may make. The depth limit alone still lets each level
/// try every `use` of a module: 30 glob imports over 12 levels is 30^12 lookups (a fuzzed file
/// hung for minutes). Real paths take a few dozen.
const MAX_RESOLVE_STEPS: usize = 4_096;

thread_local! {
    /// Lookups left for the top-level lookup running on this thread; reset by each.
    static STEPS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_RESOLVE_STEPS) };
}

/// Spends one lookup of the current resolution; false once they are used up.
fn take_step() -> bool {
    STEPS_LEFT.with(|left| match left.get() {
        0 => false,
        n => {
            left.set(n - 1);
            true
        }
    })
}

/// Crates that are always in scope.
const BUILTIN_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro"];

/// Wrapper types looked through when inferring which type a value really is.
const TRANSPARENT_TYPES: &[&str] = &["Arc", "Rc", "Box", "State", "Extension", "Data", "Cow", "Pin", "ManuallyDrop"];
/// Types whose first argument is what a function really returns.
const RESULT_TYPES: &[&str] = &["Result", "Option", "Future", "Poll"];

/// A function of one of the loaded files: stable across crates, lib targets and path deps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnRef {
    pub file: LoadedFileId,
    pub index: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModId(pub usize);

/// A type: one of ours (`file`, index into `types`), or an external path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeKey {
    Local { file: LoadedFileId, index: usize },
    External(String),
}

/// What a path stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Fn(FnRef),
    /// `Type::name` where the type is one of ours (an associated fn or method).
    Assoc {
        ty: TypeKey,
        name: String,
    },
    Type(TypeKey),
    Static {
        file: LoadedFileId,
        index: usize,
    },
    Module(ModId),
    /// A path into a crate we do not have: canonical, renames applied.
    External(String),
    /// A single name that is no item: usually a local variable (or a prelude name).
    Unresolved(String),
}

pub struct ModNode {
    pub krate: usize,
    pub file: LoadedFileId,
    pub local: usize,
    pub parent: Option<ModId>,
    /// Segments from the crate root (`["handlers", "orders"]`).
    pub path: Vec<String>,
    pub children: Vec<(String, ModId)>,
}

pub struct Program<'a> {
    pub files: &'a [LoadedFile],
    pub crates: &'a [CrateUnit],
    pub modules: Vec<ModNode>,
    module_of: FxHashMap<(LoadedFileId, usize), ModId>,
    crate_roots: Vec<Option<ModId>>,
    impls_by_type: FxHashMap<TypeKey, Vec<(LoadedFileId, usize)>>,
    impls_by_trait: FxHashMap<TypeKey, Vec<(LoadedFileId, usize)>>,
    /// Per `(file, owner)`: its calls, `let`s and static references, in source order.
    calls_by_owner: FxHashMap<(LoadedFileId, Owner), Vec<usize>>,
    lets_by_owner: FxHashMap<(LoadedFileId, Owner), Vec<usize>>,
    refs_by_owner: FxHashMap<(LoadedFileId, Owner), Vec<usize>>,
    /// `(file, closure)` → the call that takes the closure as a direct argument.
    closure_args: FxHashMap<(LoadedFileId, usize), usize>,
    /// Methods (functions with `self`) of every impl and trait, by name: the candidates of a
    /// method call whose receiver's type is unknown.
    methods_by_name: FxHashMap<&'a str, Vec<FnRef>>,
    /// Answers of top-level scope lookups, per module (see [`Program::top_lookup`]).
    scopes: Vec<Mutex<ScopeCache>>,
}

/// The top-level lookups of one module: a name as a path's first segment (without and with
/// external glob imports), and as a later segment (`module::name`).
#[derive(Default)]
struct ScopeCache([FxHashMap<String, Option<Resolved>>; 3]);

/// Which top-level lookup is asked; each is a pure function of the module and the name.
#[derive(Clone, Copy)]
enum TopLookup {
    First = 0,
    FirstWithGlobs = 1,
    Member = 2,
}

impl<'a> Program<'a> {
    pub fn new(loaded: &'a Loaded) -> Program<'a> {
        let mut program = Program {
            files: &loaded.files,
            crates: &loaded.crates,
            modules: Vec::new(),
            module_of: FxHashMap::default(),
            crate_roots: Vec::new(),
            impls_by_type: FxHashMap::default(),
            impls_by_trait: FxHashMap::default(),
            calls_by_owner: FxHashMap::default(),
            lets_by_owner: FxHashMap::default(),
            refs_by_owner: FxHashMap::default(),
            closure_args: FxHashMap::default(),
            methods_by_name: FxHashMap::default(),
            scopes: Vec::new(),
        };
        for (krate, unit) in loaded.crates.iter().enumerate() {
            let root = unit.root.filter(|&f| loaded.files[f].facts.is_some());
            let root = root.map(|file| program.build_module(krate, (file, 0), None, Vec::new(), loaded, 0));
            program.crate_roots.push(root);
        }
        program.scopes = program.modules.iter().map(|_| Mutex::default()).collect();
        program.index_impls();
        program.index_owners();
        program
    }

    fn index_owners(&mut self) {
        for (file, loaded) in LoadedFileId::enumerate(self.files) {
            let Some(facts) = &loaded.facts else { continue };
            for (i, call) in facts.calls.iter().enumerate() {
                self.calls_by_owner.entry((file, call.owner)).or_default().push(i);
                for arg in &call.args {
                    if let ValueExpr::Closure(c) = arg {
                        self.closure_args.entry((file, *c)).or_insert(i);
                    }
                }
            }
            for (index, function) in facts.fns.iter().enumerate() {
                if function.has_self {
                    self.methods_by_name.entry(function.name.as_str()).or_default().push(FnRef { file, index });
                }
            }
            for (i, binding) in facts.lets.iter().enumerate() {
                self.lets_by_owner.entry((file, binding.owner)).or_default().push(i);
            }
            for (i, reference) in facts.static_refs.iter().enumerate() {
                self.refs_by_owner.entry((file, reference.owner)).or_default().push(i);
            }
        }
    }

    pub fn calls_of(&self, file: LoadedFileId, owner: Owner) -> &[usize] {
        self.calls_by_owner.get(&(file, owner)).map_or(&[], Vec::as_slice)
    }

    pub fn lets_of(&self, file: LoadedFileId, owner: Owner) -> &[usize] {
        self.lets_by_owner.get(&(file, owner)).map_or(&[], Vec::as_slice)
    }

    /// The call that takes closure `closure` of `file` as a direct argument.
    pub fn closure_argument_of(&self, file: LoadedFileId, closure: usize) -> Option<usize> {
        self.closure_args.get(&(file, closure)).copied()
    }

    /// Every method named `name` (impl methods and trait methods with a body or not).
    pub fn methods_named(&self, name: &str) -> &[FnRef] {
        self.methods_by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The files of crate `krate` and of every crate of this analysis it depends on: the code
    /// a binary can run.
    pub fn crate_files(&self, krate: usize) -> FxHashSet<LoadedFileId> {
        let mut crates = vec![krate];
        let mut seen: FxHashSet<usize> = FxHashSet::default();
        seen.insert(krate);
        while let Some(k) = crates.pop() {
            for (_, dep) in &self.crates[k].deps {
                if let DepTarget::Crate(d) = dep
                    && seen.insert(*d)
                {
                    crates.push(*d);
                }
            }
        }
        self.modules.iter().filter(|m| seen.contains(&m.krate)).map(|m| m.file).collect()
    }

    pub fn static_refs_of(&self, file: LoadedFileId, owner: Owner) -> &[usize] {
        self.refs_by_owner.get(&(file, owner)).map_or(&[], Vec::as_slice)
    }

    pub fn facts(&self, file: LoadedFileId) -> Option<&'a FileFacts> {
        self.files.get(file.index()).and_then(|f| f.facts.as_ref())
    }

    pub fn function(&self, f: FnRef) -> Option<&'a FnFact> {
        self.facts(f.file).and_then(|facts| facts.fns.get(f.index))
    }

    pub fn crate_root(&self, krate: usize) -> Option<ModId> {
        self.crate_roots.get(krate).copied().flatten()
    }

    /// The module (in the first crate that includes it) of a file's local module.
    pub fn module_of(&self, file: LoadedFileId, local: usize) -> Option<ModId> {
        self.module_of.get(&(file, local)).copied()
    }

    pub fn fn_module(&self, f: FnRef) -> Option<ModId> {
        self.module_of(f.file, self.function(f)?.module)
    }

    /// Adds module `local` of `file` to crate `krate`, then its children.
    fn build_module(
        &mut self,
        krate: usize,
        (file, local): (LoadedFileId, usize),
        parent: Option<ModId>,
        path: Vec<String>,
        loaded: &Loaded,
        depth: usize,
    ) -> ModId {
        let id = ModId(self.modules.len());
        self.modules.push(ModNode { krate, file, local, parent, path: path.clone(), children: Vec::new() });
        self.module_of.entry((file, local)).or_insert(id);
        let Some(module) = loaded.files[file].facts.as_ref().and_then(|f| f.modules.get(local)) else {
            return id;
        };
        if depth >= MAX_MODULE_DEPTH {
            return id;
        }
        let mut children = Vec::new();
        for (c, child) in module.children.iter().enumerate() {
            let target = match &child.source {
                ModuleSource::Inline(index) => Some((file, *index)),
                ModuleSource::File { .. } => loaded.child_files.get(&(file, local, c)).map(|&f| (f, 0)),
            };
            let Some((child_file, child_local)) = target else {
                continue;
            };
            if loaded.files[child_file].facts.is_none() || self.is_ancestor(id, child_file, child_local) {
                continue;
            }
            let mut child_path = path.clone();
            child_path.push(child.name.clone());
            let child_id = self.build_module(krate, (child_file, child_local), Some(id), child_path, loaded, depth + 1);
            children.push((child.name.clone(), child_id));
        }
        self.modules[id.0].children = children;
        id
    }

    /// Whether `(file, local)` is `id` or one of its ancestors (a `#[path]` cycle).
    fn is_ancestor(&self, id: ModId, file: LoadedFileId, local: usize) -> bool {
        let mut current = Some(id);
        while let Some(m) = current {
            let node = &self.modules[m.0];
            if node.file == file && node.local == local {
                return true;
            }
            current = node.parent;
        }
        false
    }

    fn index_impls(&mut self) {
        let mut by_type: FxHashMap<TypeKey, Vec<(LoadedFileId, usize)>> = FxHashMap::default();
        let mut by_trait: FxHashMap<TypeKey, Vec<(LoadedFileId, usize)>> = FxHashMap::default();
        for (file, loaded) in LoadedFileId::enumerate(self.files) {
            let Some(facts) = &loaded.facts else { continue };
            for (index, imp) in facts.impls.iter().enumerate() {
                let Some(module) = self.module_of(file, imp.module) else {
                    continue;
                };
                if let Some(key) = self.resolve_type(module, &imp.self_ty, None) {
                    by_type.entry(key).or_default().push((file, index));
                }
                if let Some(key) = imp.trait_.as_ref().and_then(|t| self.resolve_type(module, t, None)) {
                    by_trait.entry(key).or_default().push((file, index));
                }
            }
        }
        self.impls_by_type = by_type;
        self.impls_by_trait = by_trait;
    }

    // ----- paths ------------------------------------------------------------------------------

    /// Resolves a path as written in module `module`. `self_ty` is the `Self` of an impl.
    pub fn resolve(&self, module: ModId, path: &PathFact, self_ty: Option<&TypeKey>) -> Resolved {
        self.resolve_segments(module, &path.segments, path.absolute, self_ty, 0)
            .unwrap_or_else(|| Resolved::Unresolved(path.joined()))
    }

    /// [`Program::resolve`] for a path in value position (called, or passed as a function):
    /// a single name that is both a module and an imported function (`mod handler;` beside
    /// `use crate::handler::handler;`) is the function.
    pub fn resolve_value(&self, module: ModId, path: &PathFact, self_ty: Option<&TypeKey>) -> Resolved {
        let resolved = self.resolve(module, path, self_ty);
        let (Resolved::Module(_), Some(name)) = (&resolved, path.single()) else {
            return resolved;
        };
        let node = &self.modules[module.0];
        let uses = self.facts(node.file).and_then(|f| f.modules.get(node.local)).map(|m| m.uses.as_slice());
        for import in uses.unwrap_or_default().iter().filter(|u| !u.glob && u.alias == name) {
            let import_path = PathFact { segments: import.path.clone(), absolute: import.absolute };
            let root = self.crate_root(node.krate).unwrap_or(module);
            for base in [module, root] {
                if let Some(found @ Resolved::Fn(_)) =
                    self.resolve_segments(base, &import_path.segments, import_path.absolute, self_ty, 1)
                {
                    return found;
                }
            }
        }
        resolved
    }

    fn resolve_segments(
        &self,
        module: ModId,
        segments: &[String],
        absolute: bool,
        self_ty: Option<&TypeKey>,
        depth: usize,
    ) -> Option<Resolved> {
        let (first, rest) = segments.split_first()?;
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        let start = if absolute {
            self.extern_crate(module, first).unwrap_or_else(|| Resolved::External(first.clone()))
        } else {
            match first.as_str() {
                "crate" => Resolved::Module(self.crate_root(self.modules[module.0].krate)?),
                "self" if !rest.is_empty() => Resolved::Module(module),
                "super" => Resolved::Module(self.modules[module.0].parent.unwrap_or(module)),
                "Self" => Resolved::Type(self_ty?.clone()),
                name => match self.scope_lookup(module, name, depth, TopLookup::First) {
                    Some(found) => found,
                    None => match self
                        .extern_crate(module, name)
                        .or_else(|| self.scope_lookup(module, name, depth, TopLookup::FirstWithGlobs))
                    {
                        Some(found) => found,
                        None if rest.is_empty() => {
                            return Some(Resolved::Unresolved(name.to_string()));
                        }
                        // An unknown first segment: a crate we have no manifest entry for, or a
                        // prelude type (`Box::new`); keep the path as written.
                        None => Resolved::External(name.to_string()),
                    },
                },
            }
        };
        let mut current = start;
        for (i, segment) in rest.iter().enumerate() {
            current = match current {
                Resolved::Module(m) if segment == "super" => Resolved::Module(self.modules[m.0].parent.unwrap_or(m)),
                Resolved::Module(m) => self.scope_lookup(m, segment, depth, TopLookup::Member)?,
                Resolved::Type(TypeKey::Local { file, index }) if i + 1 == rest.len() => {
                    Resolved::Assoc { ty: TypeKey::Local { file, index }, name: segment.clone() }
                }
                Resolved::Type(TypeKey::External(base)) | Resolved::External(base) => {
                    Resolved::External(format!("{base}::{segment}"))
                }
                _ => return None,
            };
        }
        Some(current)
    }

    /// [`Program::lookup`] for resolution at `depth`: a top-level one (`depth` 0) is answered
    /// once per module and name, and shared by every binary and thread.
    fn scope_lookup(&self, module: ModId, name: &str, depth: usize, kind: TopLookup) -> Option<Resolved> {
        let external_globs = !matches!(kind, TopLookup::First);
        // A later segment is looked up one level deeper than the path it belongs to.
        let lookup_depth = if matches!(kind, TopLookup::Member) { depth + 1 } else { depth };
        if depth == 0 {
            self.top_lookup(module, name, kind, lookup_depth, external_globs)
        } else {
            self.lookup(module, name, lookup_depth, external_globs)
        }
    }

    /// A top-level lookup, cached. It starts with a full step budget, so its answer depends on
    /// nothing but the module and the name: the cache cannot make output depend on which
    /// binary or thread asked first.
    fn top_lookup(
        &self,
        module: ModId,
        name: &str,
        kind: TopLookup,
        depth: usize,
        external_globs: bool,
    ) -> Option<Resolved> {
        let cache = self.scopes.get(module.0)?;
        let cached = |cache: &Mutex<ScopeCache>| {
            let guard = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            guard.0[kind as usize].get(name).cloned()
        };
        if let Some(found) = cached(cache) {
            return found;
        }
        STEPS_LEFT.with(|left| left.set(MAX_RESOLVE_STEPS));
        let found = self.lookup(module, name, depth, external_globs);
        let mut guard = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.0[kind as usize].insert(name.to_string(), found.clone());
        found
    }

    /// A name in a module's scope: its items, its `use`s, then its glob imports.
    ///
    /// A glob import of a crate we do not have (`use lambda_runtime::*;`) can only say "the
    /// name is probably from there"; it is consulted only when `external_globs` is set, after
    /// the crate names (so `serde_json::Value` stays `serde_json`).
    fn lookup(&self, module: ModId, name: &str, depth: usize, external_globs: bool) -> Option<Resolved> {
        if depth > MAX_RESOLVE_DEPTH || !take_step() {
            return None;
        }
        let node = &self.modules[module.0];
        let facts = self.facts(node.file)?;
        let local = facts.modules.get(node.local)?;
        for (item_name, item) in &local.items {
            if item_name != name {
                continue;
            }
            let found = match *item {
                ItemRef::Fn(index) => Resolved::Fn(FnRef { file: node.file, index }),
                ItemRef::Type(index) => self.local_type(node.file, index, depth),
                ItemRef::Static(index) => Resolved::Static { file: node.file, index },
                ItemRef::Module(_) => match node.children.iter().find(|(n, _)| n == name) {
                    Some((_, child)) => Resolved::Module(*child),
                    None => continue,
                },
            };
            return Some(found);
        }
        for import in local.uses.iter().filter(|u| !u.glob && u.alias == name) {
            if let Some(found) = self.resolve_segments(module, &import.path, import.absolute, None, depth + 1) {
                return Some(found);
            }
        }
        let mut external_glob = None;
        for import in local.uses.iter().filter(|u| u.glob) {
            match self.resolve_segments(module, &import.path, import.absolute, None, depth + 1) {
                Some(Resolved::Module(target)) if target != module => {
                    if let Some(found) = self.lookup(target, name, depth + 1, external_globs) {
                        return Some(found);
                    }
                }
                Some(Resolved::External(base)) if external_glob.is_none() => {
                    external_glob = Some(format!("{base}::{name}"));
                }
                _ => {}
            }
        }
        // `use lambda_runtime::*;` then `run(..)`: the only way the name can be in scope.
        external_glob.filter(|_| external_globs && !is_prelude_name(name)).map(Resolved::External)
    }

    /// A local type, following `type X = ..;` aliases.
    fn local_type(&self, file: LoadedFileId, index: usize, depth: usize) -> Resolved {
        let Some(item) = self.facts(file).and_then(|f| f.types.get(index)) else {
            return Resolved::Type(TypeKey::Local { file, index });
        };
        if let (TypeKind::Alias, Some(target), Some(module)) =
            (item.kind, &item.alias_of, self.module_of(file, item.module))
            && depth < MAX_RESOLVE_DEPTH
            && let Some(key) = self.resolve_type_at(module, target, None, depth + 1)
        {
            return Resolved::Type(key);
        }
        Resolved::Type(TypeKey::Local { file, index })
    }

    /// A crate name in scope in `module`'s crate: dependencies (after renames), the package's
    /// own lib, and the built-in crates.
    fn extern_crate(&self, module: ModId, name: &str) -> Option<Resolved> {
        let krate = &self.crates[self.modules[module.0].krate];
        if let Some((_, target)) = krate.deps.iter().find(|(ident, _)| ident == name) {
            return Some(match target {
                DepTarget::Crate(c) => match self.crate_root(*c) {
                    Some(root) => Resolved::Module(root),
                    None => Resolved::External(self.crates[*c].name.clone()),
                },
                DepTarget::External(canonical) => Resolved::External(canonical.clone()),
            });
        }
        BUILTIN_CRATES.contains(&name).then(|| Resolved::External(name.to_string()))
    }

    // ----- types ------------------------------------------------------------------------------

    /// The type a written type stands for, looking through references, `Arc`/`Box`/`Rc` and
    /// extractor wrappers (`State<T>`, `Extension<T>`, `Data<T>`).
    pub fn resolve_type(&self, module: ModId, ty: &TypeFact, self_ty: Option<&TypeKey>) -> Option<TypeKey> {
        self.resolve_type_at(module, ty, self_ty, 0)
    }

    fn resolve_type_at(
        &self,
        module: ModId,
        ty: &TypeFact,
        self_ty: Option<&TypeKey>,
        depth: usize,
    ) -> Option<TypeKey> {
        let mut ty = ty;
        while TRANSPARENT_TYPES.contains(&ty.path.last()) && !ty.args.is_empty() {
            ty = &ty.args[0];
        }
        if ty.path.segments.is_empty() {
            return None;
        }
        match self.resolve_segments(module, &ty.path.segments, ty.path.absolute, self_ty, depth)? {
            Resolved::Type(key) => Some(key),
            Resolved::External(path) => Some(TypeKey::External(path)),
            _ => None,
        }
    }

    /// What a function's declared output really is: `Result<T, E>`, `Option<T>`,
    /// `impl Future<Output = T>`-ish wrappers are unwrapped to `T` (first argument).
    pub fn output_type(&self, f: FnRef, self_ty: Option<&TypeKey>) -> Option<TypeKey> {
        let function = self.function(f)?;
        let module = self.fn_module(f)?;
        let mut ty = function.output.as_ref()?;
        while RESULT_TYPES.contains(&ty.path.last()) && !ty.args.is_empty() {
            ty = &ty.args[0];
        }
        if ty.path.single() == Some("Self") {
            return self_ty.cloned().or_else(|| self.impl_self_type(f));
        }
        self.resolve_type(module, ty, self_ty)
    }

    /// The `Self` type of the impl a method is defined in.
    pub fn impl_self_type(&self, f: FnRef) -> Option<TypeKey> {
        let function = self.function(f)?;
        let facts = self.facts(f.file)?;
        if let Some(imp) = function.impl_block.and_then(|i| facts.impls.get(i)) {
            let module = self.module_of(f.file, imp.module)?;
            return self.resolve_type(module, &imp.self_ty, None);
        }
        function.in_trait.map(|index| TypeKey::Local { file: f.file, index })
    }

    pub fn type_item(&self, key: &TypeKey) -> Option<(&'a TypeItem, LoadedFileId)> {
        match key {
            TypeKey::Local { file, index } => self.facts(*file)?.types.get(*index).map(|t| (t, *file)),
            TypeKey::External(_) => None,
        }
    }

    pub fn is_trait(&self, key: &TypeKey) -> bool {
        self.type_item(key).is_some_and(|(t, _)| t.kind == TypeKind::Trait)
    }

    /// The declared type of a struct field, resolved in the struct's module.
    pub fn field_type(&self, owner: &TypeKey, field: &str) -> Option<TypeKey> {
        let (item, file) = self.type_item(owner)?;
        let (_, ty) = item.fields.iter().find(|(name, _)| name == field)?;
        let module = self.module_of(file, item.module)?;
        self.resolve_type(module, ty, Some(owner))
    }

    /// Methods named `name` that a value of type `ty` can call: inherent and trait impls of
    /// the type; for a trait (a `dyn`/`impl`/generic receiver), every impl of the trait and
    /// the trait's default method.
    pub fn methods(&self, ty: &TypeKey, name: &str) -> Vec<FnRef> {
        let mut out = Vec::new();
        let impls = if self.is_trait(ty) { self.impls_by_trait.get(ty) } else { self.impls_by_type.get(ty) };
        for &(file, index) in impls.into_iter().flatten() {
            let Some(facts) = self.facts(file) else {
                continue;
            };
            for &f in &facts.impls[index].fns {
                if facts.fns[f].name == name {
                    out.push(FnRef { file, index: f });
                }
            }
        }
        if out.is_empty() {
            out.extend(self.default_methods(ty, name));
        }
        out
    }

    /// Default trait methods named `name`: of the trait itself, or of traits the type
    /// implements in the workspace.
    fn default_methods(&self, ty: &TypeKey, name: &str) -> Vec<FnRef> {
        let mut traits = Vec::new();
        if self.is_trait(ty) {
            traits.push(ty.clone());
        } else {
            for &(file, index) in self.impls_by_type.get(ty).into_iter().flatten() {
                let Some(facts) = self.facts(file) else {
                    continue;
                };
                let imp = &facts.impls[index];
                let module = self.module_of(file, imp.module);
                if let (Some(t), Some(m)) = (&imp.trait_, module)
                    && let Some(key) = self.resolve_type(m, t, None)
                {
                    traits.push(key);
                }
            }
        }
        let mut out = Vec::new();
        for key in traits {
            let TypeKey::Local { file, index } = key else {
                continue;
            };
            let Some(facts) = self.facts(file) else {
                continue;
            };
            out.extend(
                facts
                    .fns
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.in_trait == Some(index) && f.name == name)
                    .map(|(i, _)| FnRef { file, index: i }),
            );
        }
        out
    }

    /// Every impl block of a type, inherent or of a trait, as `(file, impl index)`.
    pub fn impls_of(&self, ty: &TypeKey) -> Vec<(LoadedFileId, usize)> {
        self.impls_by_type.get(ty).cloned().unwrap_or_default()
    }

    /// The trait impls (`impl Trait for T`) of a type, as `(file, impl index)`.
    pub fn trait_impls_for(&self, ty: &TypeKey) -> Vec<(LoadedFileId, usize)> {
        self.impls_by_type
            .get(ty)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&(file, index)| self.facts(file).is_some_and(|f| f.impls[index].trait_.is_some()))
            .collect()
    }

    // ----- names for people -------------------------------------------------------------------

    /// `crate::handlers::orders` for a bin's own module, `mylib::handlers` in a lib crate.
    pub fn module_path(&self, module: ModId) -> String {
        let node = &self.modules[module.0];
        let unit = &self.crates[node.krate];
        let mut out = if unit.is_lib() { unit.name.clone() } else { "crate".to_string() };
        for segment in &node.path {
            out.push_str("::");
            out.push_str(segment);
        }
        out
    }

    /// The canonical path of a local function (`crate::handlers::create_order`,
    /// `orders::repo::Repo::save`).
    pub fn fn_path(&self, f: FnRef) -> String {
        let Some(function) = self.function(f) else {
            return String::new();
        };
        let module = self.fn_module(f).map(|m| self.module_path(m)).unwrap_or_else(|| "crate".to_string());
        match self.impl_self_type(f) {
            Some(ty) => format!("{}::{}", self.type_name(&ty), function.name),
            None => format!("{module}::{}", function.name),
        }
    }

    /// The short name used in call chains: `create_order`, `Repo::save`.
    pub fn fn_short_name(&self, f: FnRef) -> String {
        let Some(function) = self.function(f) else {
            return String::new();
        };
        match self.impl_self_type(f).and_then(|ty| self.type_item(&ty)) {
            Some((item, _)) => format!("{}::{}", item.name, function.name),
            None => function.name.clone(),
        }
    }

    pub fn type_name(&self, key: &TypeKey) -> String {
        match key {
            TypeKey::External(path) => path.clone(),
            TypeKey::Local { file, index } => {
                let Some(item) = self.facts(*file).and_then(|f| f.types.get(*index)) else {
                    return String::new();
                };
                let module = self.module_of(*file, item.module).map(|m| self.module_path(m)).unwrap_or_default();
                format!("{module}::{}", item.name)
            }
        }
    }

    /// The canonical text of a resolved path.
    pub fn resolved_name(&self, resolved: &Resolved) -> String {
        match resolved {
            Resolved::Fn(f) => self.fn_path(*f),
            Resolved::Assoc { ty, name } => format!("{}::{name}", self.type_name(ty)),
            Resolved::Type(ty) => self.type_name(ty),
            Resolved::Static { file, index } => {
                let Some(item) = self.facts(*file).and_then(|f| f.statics.get(*index)) else {
                    return String::new();
                };
                let module = self.module_of(*file, item.module).map(|m| self.module_path(m)).unwrap_or_default();
                format!("{module}::{}", item.name)
            }
            Resolved::Module(m) => self.module_path(*m),
            Resolved::External(path) | Resolved::Unresolved(path) => path.clone(),
        }
    }

    /// A written type as canonical text, generic arguments included
    /// (`LambdaEvent<SqsEvent>` → `lambda_runtime::LambdaEvent<aws_lambda_events::..::SqsEvent>`).
    pub fn type_text(&self, module: ModId, ty: &TypeFact, depth: usize) -> String {
        if !ty.tuple.is_empty() {
            let parts: Vec<String> = ty.tuple.iter().map(|t| self.type_text(module, t, depth + 1)).collect();
            return format!("({})", parts.join(", "));
        }
        let base = match self.resolve_segments(module, &ty.path.segments, ty.path.absolute, None, 0) {
            Some(Resolved::Type(key)) => self.type_name(&key),
            Some(Resolved::External(path)) => path,
            _ => ty.path.joined(),
        };
        if ty.args.is_empty() || depth > 4 {
            return base;
        }
        let args: Vec<String> = ty.args.iter().map(|a| self.type_text(module, a, depth + 1)).collect();
        format!("{base}<{}>", args.join(", "))
    }
}

fn is_prelude_name(name: &str) -> bool {
    matches!(
        name,
        "Ok" | "Err"
            | "Some"
            | "None"
            | "Box"
            | "Vec"
            | "String"
            | "Option"
            | "Result"
            | "drop"
            | "Default"
            | "ToString"
            | "Into"
            | "From"
            | "Iterator"
            | "Clone"
            | "format"
            | "println"
            | "vec"
    )
}
