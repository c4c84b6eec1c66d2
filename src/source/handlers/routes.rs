//! Routes: read after the trace from the routers init code builds (axum `Router` chains with
//! `route`, `nest`, `merge`, `fallback`; actix `App`/`scope`/`resource`) and from route
//! attributes (`#[get("/p")]`, `#[utoipa::path(..)]`), each naming the handler it leads to.

use super::*;

/// Methods only routers have.
const ROUTER_METHODS: &[&str] = &["route", "routes", "nest", "merge", "fallback", "route_service", "nest_service"];
/// axum method routers.
const HTTP_METHODS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "options", "trace", "connect", "any"];

impl Discovery<'_, '_> {
    /// Whether call `index` is the outermost call of a router chain.
    pub fn is_router_root(&self, scope: &Scope, index: usize) -> bool {
        let facts = scope.facts(self.program);
        facts.calls[index].outer.is_none() && (self.is_router(scope, index) || self.is_actix_app(scope, index))
    }

    /// Reads the routes of the router chains init code built, outermost routers first.
    pub fn read_routers(&mut self, roots: &[RouterRoot]) {
        // A router nested into another (`nest("/api", api())`) is read from there, with its
        // prefix: first mark those, then read the others.
        let mut reads = Vec::new();
        for root in roots {
            let Some(scope) = Scope::for_owner(self.program, root.file, root.owner) else {
                continue;
            };
            let before = self.found.routes.len();
            if self.is_actix_app(&scope, root.call) {
                self.collect_actix(&scope, &ValueExpr::Call(root.call), "", 0);
            } else {
                self.collect_router(&scope, &ValueExpr::Call(root.call), "", 0);
            }
            reads.push((root, before..self.found.routes.len()));
        }
        let nested = std::mem::take(&mut self.nested);
        let mut routes = Vec::new();
        let mut regions = Vec::new();
        let mut labels = FxHashMap::default();
        let mut seen = FxHashSet::default();
        let all_routes = std::mem::take(&mut self.found.routes);
        let all_regions = std::mem::take(&mut self.route_regions);
        for (root, range) in reads {
            let in_nested = matches!(root.owner, Owner::Fn(index) if nested.contains(&FnRef { file: root.file, index }))
                || self.nested_chains.contains(&(root.file, root.call));
            if in_nested {
                continue;
            }
            for i in range {
                let (route, region) = (&all_routes[i], all_regions[i]);
                if let Some(region) = region {
                    labels.entry(region).or_insert_with(|| format!("{} {}", route.method, route.path));
                }
                if seen.insert((route.method.clone(), route.path.clone())) {
                    routes.push(route.clone());
                    regions.push(region);
                }
            }
        }
        // Handlers with a route attribute (`#[get("/p")]`) that no router read named.
        for (region, method, path, span) in std::mem::take(&mut self.attr_routes) {
            labels.entry(region).or_insert_with(|| format!("{method} {path}"));
            if seen.insert((method.clone(), path.clone())) {
                let Region::Fn(f) = region else { continue };
                let file = self.loaded.file_id(f.file);
                routes.push(RouteFact { method, path, handler: None, file, span });
                regions.push(Some(region));
            }
        }
        self.found.routes.extend(routes);
        self.route_regions.extend(regions);
        self.found.labels = labels;
    }

    pub(super) fn is_actix_app(&self, scope: &Scope, index: usize) -> bool {
        let facts = scope.facts(self.program);
        let mut current = index;
        for _ in 0..MAX_UNWRAP_DEPTH * 16 {
            match &facts.calls[current].target {
                CallTarget::Method { receiver, .. } => {
                    let ValueExpr::Call(next) = **receiver else {
                        return false;
                    };
                    current = next;
                }
                CallTarget::Path(path) => {
                    let name = scope.path_name(self.program, path);
                    return name.ends_with("App::new") && name.starts_with("actix_web");
                }
                _ => return false,
            }
        }
        false
    }

    pub(super) fn is_router(&self, scope: &Scope, index: usize) -> bool {
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
    pub(super) fn collect_router(&mut self, scope: &Scope, value: &ValueExpr, prefix: &str, depth: usize) {
        if depth > MAX_UNWRAP_DEPTH {
            return;
        }
        let facts = scope.facts(self.program);
        match value {
            ValueExpr::Path(path, span) => {
                if let Some(init) = scope.variable_init(self.program, path, span.start).cloned() {
                    if let ValueExpr::Call(chain) = init {
                        self.nested_chains.insert((scope.file, chain));
                    }
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
                            self.nested.insert(f);
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

    pub(super) fn router_method(
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
            // utoipa: `.routes(routes!(list, create))`, each with its `#[utoipa::path(..)]`.
            "routes" => {
                let Some(ValueExpr::Call(list)) = args.first() else { return };
                for handler in scope.facts(self.program).calls[*list].args.clone() {
                    if let ValueExpr::Path(path, _) = &handler
                        && let Resolved::Fn(f) = scope.resolve(self.program, path)
                    {
                        self.read_attribute_route(f, prefix);
                    }
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
            _ => {}
        }
    }

    /// `get(f).post(g)` → `[("GET", f), ("POST", g)]`; `on(MethodFilter::PUT, h)` too.
    pub(super) fn method_router(
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
                    current = scope.variable_init(self.program, &path, span.start).cloned();
                }
                _ => break,
            }
        }
        // Collected from the outermost call in; `get(a).post(b)` reads left to right.
        out.reverse();
        out
    }

    /// A route read from a router, with the region its handler is.
    pub(super) fn add_route(
        &mut self,
        scope: &Scope,
        call: usize,
        method: String,
        path: String,
        handler: Option<&ValueExpr>,
    ) {
        let region = handler.and_then(|h| self.value_region(scope, h));
        let span = scope.facts(self.program).calls[call].method_span;
        let file = self.loaded.file_id(scope.file);
        self.found.routes.push(RouteFact { method, path, handler: None, file, span });
        self.route_regions.push(region);
    }

    /// The code a handler value is: a function path or a closure.
    pub(super) fn value_region(&self, scope: &Scope, value: &ValueExpr) -> Option<Region> {
        match value {
            ValueExpr::Closure(c) => Some(Region::Closure { file: scope.file, closure: *c }),
            ValueExpr::Path(path, _) => match scope.resolve(self.program, path) {
                Resolved::Fn(f) => Some(Region::Fn(f)),
                Resolved::Assoc { ty, name } => self.program.methods(&ty, &name).into_iter().next().map(Region::Fn),
                _ => None,
            },
            _ => None,
        }
    }

    // ----- actix-web ---------------------------------------------------------------------------

    /// Routes of an actix `App`/`Scope`/`Resource` chain: `.service(f)` with a `#[get("/p")]`
    /// function, `.service(web::scope("/api").service(..))`, `.service(web::resource("/p")
    /// .route(web::post().to(f)))`, `.route("/p", web::get().to(f))`, `.default_service(..)`.
    /// `.configure(f)` (routes added through a `ServiceConfig`) is not followed.
    pub(super) fn collect_actix(&mut self, scope: &Scope, value: &ValueExpr, prefix: &str, depth: usize) {
        if depth > MAX_UNWRAP_DEPTH {
            return;
        }
        let facts = scope.facts(self.program);
        match value {
            ValueExpr::Path(path, span) => {
                if let Some(init) = scope.variable_init(self.program, path, span.start).cloned() {
                    self.collect_actix(scope, &init, prefix, depth + 1);
                } else if let Resolved::Fn(f) = scope.resolve(self.program, path) {
                    self.read_attribute_route(f, prefix);
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

    pub(super) fn actix_method(
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
            _ => {}
        }
    }

    /// The root of a `web::scope("/p")..` or `web::resource("/p")..` chain: its kind and path.
    pub(super) fn actix_scope_path(&self, scope: &Scope, value: &ValueExpr) -> Option<(&'static str, String)> {
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
    pub(super) fn actix_resource(&mut self, scope: &Scope, value: &ValueExpr, path: &str) {
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
    pub(super) fn actix_route(&self, scope: &Scope, value: &ValueExpr) -> Vec<(String, Option<ValueExpr>)> {
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
    pub(super) fn read_attribute_route(&mut self, f: FnRef, prefix: &str) {
        for (method, path, span) in self.route_attributes(f) {
            let path = join_route(prefix, &path);
            let file = self.loaded.file_id(f.file);
            self.found.routes.push(RouteFact { method, path, handler: None, file, span });
            self.route_regions.push(Some(Region::Fn(f)));
        }
    }

    /// A handler met without a router (rocket's `routes![..]`, a `.service(f)` in code the
    /// routers were not read from): its route attribute still names it.
    pub(super) fn attribute_route(&mut self, f: FnRef) {
        for (method, path, span) in self.route_attributes(f) {
            self.attr_routes.push((Region::Fn(f), method, path, span));
        }
    }

    /// `(METHOD, path, attribute)` of each route attribute of a function.
    pub(super) fn route_attributes(&self, f: FnRef) -> Vec<(String, String, Span)> {
        let Some(function) = self.program.function(f) else {
            return Vec::new();
        };
        let route = |attr: &AttrFact| {
            if let Some((method, path)) = &attr.operation
                && HTTP_METHODS.contains(&method.as_str())
            {
                return Some((method.to_uppercase(), path.clone(), attr.span));
            }
            let method = attr.path.last();
            HTTP_METHODS.contains(&method).then(|| Some((method.to_uppercase(), attr.first_str.clone()?, attr.span)))?
        };
        function.attrs.iter().filter_map(route).collect()
    }
}

pub(super) fn join_route(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    let prefix = prefix.trim_end_matches('/');
    if path == "/" || path.is_empty() { prefix.to_string() } else { format!("{prefix}{path}") }
}
