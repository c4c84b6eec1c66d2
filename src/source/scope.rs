//! What a name means at a point inside one body (a function or a global's initialiser):
//! `let` bindings before that point, parameters, closure parameters, then module items. On
//! top of it, light receiver-type inference and the local code a call can lead to.

use super::facts::*;
use super::load::LoadedFileId;
use super::resolve::{FnRef, ModId, Program, Resolved, TypeKey};

/// How deep inference follows `let` initialisers, fields and return types.
const MAX_INFER_DEPTH: usize = 8;

/// Methods that hand back (a reference to) their receiver's type or its content.
const SAME_TYPE_METHODS: &[&str] = &[
    "clone",
    "to_owned",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "deref",
    "unwrap",
    "expect",
    "lock",
    "read",
    "write",
    "get",
    "get_or_init",
    "get_or_try_init",
    "force",
];

/// Globals that hand out their content (`static C: OnceLock<Client>` → `Client`).
const LAZY_TYPES: &[&str] =
    &["OnceLock", "OnceCell", "LazyLock", "Lazy", "LazyCell", "Mutex", "RwLock", "ArcSwap", "ThreadLocal"];

/// Where calls lead inside our code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Fn(FnRef),
    /// A closure bound to a local variable and called through it.
    Closure {
        file: LoadedFileId,
        closure: usize,
    },
}

/// One body and the module it is in.
#[derive(Clone, Debug)]
pub struct Scope {
    pub file: LoadedFileId,
    pub owner: Owner,
    pub module: ModId,
    pub self_ty: Option<TypeKey>,
}

impl Scope {
    pub fn for_fn(program: &Program, f: FnRef) -> Option<Scope> {
        Some(Scope {
            file: f.file,
            owner: Owner::Fn(f.index),
            module: program.fn_module(f)?,
            self_ty: program.impl_self_type(f),
        })
    }

    pub fn for_owner(program: &Program, file: LoadedFileId, owner: Owner) -> Option<Scope> {
        match owner {
            Owner::Fn(index) => Scope::for_fn(program, FnRef { file, index }),
            Owner::Static(index) => {
                let item = program.facts(file)?.statics.get(index)?;
                Some(Scope { file, owner, module: program.module_of(file, item.module)?, self_ty: None })
            }
        }
    }

    pub fn facts<'a>(&self, program: &Program<'a>) -> &'a FileFacts {
        program.facts(self.file).expect("scopes are only made for parsed files")
    }

    pub fn function<'a>(&self, program: &Program<'a>) -> Option<&'a FnFact> {
        match self.owner {
            Owner::Fn(index) => self.facts(program).fns.get(index),
            Owner::Static(_) => None,
        }
    }

    pub fn fn_ref(&self) -> Option<FnRef> {
        match self.owner {
            Owner::Fn(index) => Some(FnRef { file: self.file, index }),
            Owner::Static(_) => None,
        }
    }

    pub fn resolve(&self, program: &Program, path: &PathFact) -> Resolved {
        program.resolve(self.module, path, self.self_ty.as_ref())
    }

    /// The canonical text of a written path here.
    pub fn path_name(&self, program: &Program, path: &PathFact) -> String {
        program.resolved_name(&self.resolve(program, path))
    }

    /// The last `let name` of this body that ends before `position` (a `let` is in scope after
    /// its own statement: `let client = client.clone();` refers to the outer `client`).
    pub fn let_before<'a>(&self, program: &Program<'a>, name: &str, position: u32) -> Option<&'a LetFact> {
        let facts = self.facts(program);
        program
            .lets_of(self.file, self.owner)
            .iter()
            .map(|&i| &facts.lets[i])
            .filter(|l| l.name == name && l.span.end <= position)
            .max_by_key(|l| l.span.start)
    }

    /// The initialiser of the local variable `path` names (a single name), bound before
    /// `position`: how a value handed on through `let x = ..; f(x)` is followed.
    pub fn variable_init<'a>(&self, program: &Program<'a>, path: &PathFact, position: u32) -> Option<&'a ValueExpr> {
        self.let_before(program, path.single()?, position)?.init.as_ref()
    }

    /// A parameter of the function by name, with its position.
    pub fn param<'a>(&self, program: &Program<'a>, name: &str) -> Option<(usize, &'a ParamFact)> {
        self.function(program)?.params.iter().enumerate().find(|(_, p)| p.name.as_deref() == Some(name))
    }

    /// A parameter of a closure of this body that encloses `position`.
    pub fn closure_param<'a>(&self, program: &Program<'a>, name: &str, position: u32) -> Option<&'a ParamFact> {
        self.facts(program)
            .closures
            .iter()
            .filter(|c| c.owner == self.owner && c.span.start <= position && position < c.span.end)
            .flat_map(|c| c.params.iter())
            .find(|p| p.name.as_deref() == Some(name))
    }

    // ----- types ------------------------------------------------------------------------------

    /// The type of a value, as far as declarations and constructors tell.
    pub fn infer(&self, program: &Program, value: &ValueExpr) -> Option<TypeKey> {
        self.infer_at(program, value, 0)
    }

    fn infer_at(&self, program: &Program, value: &ValueExpr, depth: usize) -> Option<TypeKey> {
        if depth > MAX_INFER_DEPTH {
            return None;
        }
        match value {
            ValueExpr::Path(path, span) => self.infer_path(program, path, span.start, depth),
            ValueExpr::Field(base, name) => {
                let owner = self.infer_at(program, base, depth + 1)?;
                program.field_type(&owner, name)
            }
            ValueExpr::Struct(path, _) => match self.resolve(program, path) {
                Resolved::Type(key) => Some(key),
                _ => None,
            },
            ValueExpr::Call(i) => self.infer_call(program, *i, depth),
            _ => None,
        }
    }

    fn infer_path(&self, program: &Program, path: &PathFact, position: u32, depth: usize) -> Option<TypeKey> {
        if let Some(name) = path.single() {
            if name == "self" {
                return self.self_ty.clone();
            }
            if let Some(param) = self.closure_param(program, name, position) {
                return param.ty.as_ref().and_then(|t| self.declared_type(program, t));
            }
            if let Some(binding) = self.let_before(program, name, position) {
                if let Some(ty) = &binding.ty {
                    return self.declared_type(program, ty);
                }
                return self.infer_at(program, binding.init.as_ref()?, depth + 1);
            }
            if let Some((_, param)) = self.param(program, name) {
                return param.ty.as_ref().and_then(|t| self.declared_type(program, t));
            }
        }
        match self.resolve(program, path) {
            Resolved::Static { file, index } => {
                let item = program.facts(file)?.statics.get(index)?;
                let mut ty = &item.ty;
                while LAZY_TYPES.contains(&ty.path.last()) && !ty.args.is_empty() {
                    ty = &ty.args[0];
                }
                program.resolve_type(program.module_of(file, item.module)?, ty, None)
            }
            Resolved::Type(key) => Some(key),
            _ => None,
        }
    }

    /// A declared type, with generic parameters replaced by their first trait bound.
    pub fn declared_type(&self, program: &Program, ty: &TypeFact) -> Option<TypeKey> {
        if let (Some(name), Some(function)) = (ty.path.single(), self.function(program))
            && let Some((_, bounds)) = function.generics.iter().find(|(g, _)| g == name)
        {
            return bounds.first().and_then(|b| program.resolve_type(self.module, b, self.self_ty.as_ref()));
        }
        program.resolve_type(self.module, ty, self.self_ty.as_ref())
    }

    fn infer_call(&self, program: &Program, index: usize, depth: usize) -> Option<TypeKey> {
        let call = self.facts(program).calls.get(index)?;
        match &call.target {
            CallTarget::Path(path) => match self.resolve(program, path) {
                Resolved::Fn(f) => program.output_type(f, None),
                Resolved::Assoc { ty, name } => {
                    let method = program.methods(&ty, &name).into_iter().next();
                    match method {
                        Some(m) => program.output_type(m, Some(&ty)),
                        None => is_constructor(&name).then_some(ty),
                    }
                }
                Resolved::External(full) => external_constructor_type(&full),
                _ => None,
            },
            CallTarget::Method { name, receiver } => {
                let receiver_ty = self.infer_at(program, receiver, depth + 1)?;
                if SAME_TYPE_METHODS.contains(&name.as_str()) {
                    return Some(receiver_ty);
                }
                let method = program.methods(&receiver_ty, name).into_iter().next()?;
                program.output_type(method, Some(&receiver_ty))
            }
            _ => None,
        }
    }

    // ----- where calls lead -------------------------------------------------------------------

    /// Our code a call runs: the function or method it names, methods of the receiver's type
    /// (or of every impl of a trait receiver), a closure called through a variable.
    pub fn call_targets(&self, program: &Program, index: usize) -> Vec<Target> {
        let Some(call) = self.facts(program).calls.get(index) else {
            return Vec::new();
        };
        match &call.target {
            CallTarget::Path(path) => {
                if let Some(name) = path.single()
                    && let Some(closure) = self.closure_variable(program, name, call.span.start)
                {
                    return vec![Target::Closure { file: self.file, closure }];
                }
                self.path_targets(program, path)
            }
            CallTarget::Method { name, receiver } => match self.infer(program, receiver) {
                Some(ty) => program.methods(&ty, name).into_iter().map(Target::Fn).collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Functions passed by name as arguments (`.map(parse)`, `get_or_init(init)`).
    pub fn argument_targets(&self, program: &Program, index: usize) -> Vec<Target> {
        let Some(call) = self.facts(program).calls.get(index) else {
            return Vec::new();
        };
        call.args
            .iter()
            .filter_map(|arg| match arg {
                ValueExpr::Path(path, span) if !self.is_local_variable(program, path, span.start) => Some(path),
                _ => None,
            })
            .flat_map(|path| self.path_targets(program, path))
            .collect()
    }

    fn path_targets(&self, program: &Program, path: &PathFact) -> Vec<Target> {
        match program.resolve_value(self.module, path, self.self_ty.as_ref()) {
            Resolved::Fn(f) => vec![Target::Fn(f)],
            Resolved::Assoc { ty, name } => program.methods(&ty, &name).into_iter().map(Target::Fn).collect(),
            _ => Vec::new(),
        }
    }

    fn is_local_variable(&self, program: &Program, path: &PathFact, position: u32) -> bool {
        let Some(name) = path.single() else {
            return false;
        };
        self.let_before(program, name, position).is_some()
            || self.param(program, name).is_some()
            || self.closure_param(program, name, position).is_some()
    }

    /// `let h = |ev| ..;` then `h(ev)`: the closure behind the variable.
    fn closure_variable(&self, program: &Program, name: &str, position: u32) -> Option<usize> {
        match self.let_before(program, name, position)?.init.as_ref()? {
            ValueExpr::Closure(c) => Some(*c),
            _ => None,
        }
    }
}

/// Associated functions that build a value of their type.
pub fn is_constructor(name: &str) -> bool {
    matches!(name, "new" | "default" | "open" | "create" | "init" | "connect" | "from_conf" | "from_env")
        || name.starts_with("new_")
        || name.starts_with("from_")
        || name.starts_with("with_")
        || name.starts_with("connect_")
        || name == "from"
}

/// `aws_sdk_s3::Client::new` → `aws_sdk_s3::Client`: an external constructor's type.
fn external_constructor_type(full: &str) -> Option<TypeKey> {
    let (ty, name) = super::canonical::split_last(full)?;
    let type_name = super::canonical::last(ty);
    let starts_upper = type_name.chars().next().is_some_and(char::is_uppercase);
    (starts_upper && is_constructor(name)).then(|| TypeKey::External(ty.to_string()))
}
