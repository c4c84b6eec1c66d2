//! The `syn` visitor of [`Collector`]: items, bodies and calls, and the small syntax helpers it
//! needs.

use super::*;

#[derive(Clone, Copy, Default)]
pub(super) struct FnPlace {
    pub(super) impl_block: Option<usize>,
    pub(super) in_trait: Option<usize>,
}

/// `tokio::select!`/`join!` arguments without their leading `biased;` (not an expression).
pub(super) fn without_biased(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Ident(i)), Some(TokenTree::Punct(p))) if i == "biased" && p.as_char() == ';' => {
            trees.collect()
        }
        _ => tokens,
    }
}

/// The plain identifiers of a macro's tokens, outside nested groups, as one-segment paths;
/// keywords and names followed by `::` or `!` are left out.
pub(super) fn macro_identifiers(tokens: proc_macro2::TokenStream) -> Vec<PathFact> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Ident(ident) = tree else { continue };
        let name = ident.to_string();
        let next_is_path_or_bang =
            matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' || p.as_char() == '!');
        let after_path = i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
        if next_is_path_or_bang || after_path || syn::parse_str::<syn::Ident>(&name).is_err() {
            continue;
        }
        out.push(PathFact { segments: vec![name], absolute: false });
    }
    out
}

pub(super) fn block_tail(block: &Block) -> Option<&Expr> {
    match block.stmts.last() {
        Some(Stmt::Expr(e, None)) => Some(e),
        _ => None,
    }
}

pub(super) fn literal_value(lit: &syn::Lit, negate: bool) -> ValueExpr {
    match lit {
        syn::Lit::Int(i) => match i.base10_parse::<i64>() {
            Ok(v) if negate => ValueExpr::Int(v.saturating_neg()),
            Ok(v) => ValueExpr::Int(v),
            Err(_) => ValueExpr::Other,
        },
        syn::Lit::Str(s) if !negate => ValueExpr::Str(s.value()),
        _ => ValueExpr::Other,
    }
}

pub(super) fn input_span(pat: &syn::Pat) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    match pat {
        syn::Pat::Ident(p) => p.ident.span(),
        syn::Pat::Type(t) => input_span(&t.pat),
        other => other.span(),
    }
}

pub(super) fn generic_bounds(sig: &Signature) -> Vec<(String, Vec<TypeFact>)> {
    let mut out: Vec<(String, Vec<TypeFact>)> = Vec::new();
    for param in &sig.generics.params {
        if let GenericParam::Type(t) = param {
            out.push((ident(&t.ident), syntax::bound_facts(t.bounds.iter())));
        }
    }
    if let Some(clause) = &sig.generics.where_clause {
        for predicate in &clause.predicates {
            let WherePredicate::Type(p) = predicate else {
                continue;
            };
            let Some(name) = syntax::type_fact(&p.bounded_ty).path.single().map(str::to_string) else {
                continue;
            };
            let bounds = syntax::bound_facts(p.bounds.iter());
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some((_, existing)) => existing.extend(bounds),
                None => out.push((name, bounds)),
            }
        }
    }
    out
}

/// One `static [ref] NAME: T = init;` of `lazy_static!`/`thread_local!`.
pub(super) struct StaticDecl {
    pub(super) name: proc_macro2::Ident,
    pub(super) ty: Type,
    pub(super) init: Expr,
}

pub(super) fn parse_static_decls(input: ParseStream) -> syn::Result<Vec<StaticDecl>> {
    let mut decls = Vec::new();
    while !input.is_empty() {
        input.call(Attribute::parse_outer)?;
        input.parse::<syn::Visibility>()?;
        input.parse::<Token![static]>()?;
        if input.peek(Token![ref]) {
            input.parse::<Token![ref]>()?;
        }
        let name: proc_macro2::Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty: Type = input.parse()?;
        input.parse::<Token![=]>()?;
        let init: Expr = input.parse()?;
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        }
        decls.push(StaticDecl { name, ty, init });
    }
    Ok(decls)
}

pub(super) fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if syntax::is_test_only(item_attrs(item)) {
            return;
        }
        if let Item::Mod(m) = item
            && m.ident == "tests"
        {
            return;
        }
        visit::visit_item(self, item);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.record_fn(&f.attrs, &f.sig, &f.block, FnPlace::default());
    }

    fn visit_item_impl(&mut self, imp: &'ast syn::ItemImpl) {
        let index = self.facts.impls.len();
        let span = self.map.between(self.map.start(imp.impl_token.span), self.map.end(imp.brace_token.span.close()));
        let trait_ = imp.trait_.as_ref().map(|(path, _)| syntax::path_type_fact(path));
        self.facts.impls.push(ImplFact {
            module: self.module,
            self_ty: type_fact(&imp.self_ty),
            trait_,
            span,
            fns: Vec::new(),
            resolvers: imp.attrs.iter().any(|a| {
                a.path().segments.last().is_some_and(|s| RESOLVER_ATTRIBUTES.contains(&s.ident.to_string().as_str()))
            }),
        });
        let saved = self.body.take();
        for item in &imp.items {
            if let ImplItem::Fn(f) = item
                && !syntax::is_test_only(&f.attrs)
            {
                let fn_index = self.facts.fns.len();
                self.record_fn(&f.attrs, &f.sig, &f.block, FnPlace { impl_block: Some(index), in_trait: None });
                self.facts.impls[index].fns.push(fn_index);
            }
        }
        self.body = saved;
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        let span = self.map.between(self.map.start(t.trait_token.span), self.map.end(t.brace_token.span.close()));
        let index = self.record_type(ident(&t.ident), TypeKind::Trait, span);
        let saved = self.body.take();
        for item in &t.items {
            if let TraitItem::Fn(f) = item
                && let Some(block) = &f.default
                && !syntax::is_test_only(&f.attrs)
            {
                self.record_fn(&f.attrs, &f.sig, block, FnPlace { impl_block: None, in_trait: Some(index) });
            }
        }
        self.body = saved;
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let span = self.map.between(self.map.start(s.struct_token.span), self.map.end(s.ident.span()));
        let index = self.record_type(ident(&s.ident), TypeKind::Struct, span);
        let fields = s
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.ident.as_ref().map_or_else(|| i.to_string(), ident), type_fact(&f.ty)))
            .collect();
        self.facts.types[index].fields = fields;
    }

    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        let span = self.map.between(self.map.start(e.enum_token.span), self.map.end(e.ident.span()));
        self.record_type(ident(&e.ident), TypeKind::Enum, span);
    }

    fn visit_item_union(&mut self, u: &'ast syn::ItemUnion) {
        let span = self.map.between(self.map.start(u.union_token.span), self.map.end(u.ident.span()));
        self.record_type(ident(&u.ident), TypeKind::Union, span);
    }

    fn visit_item_type(&mut self, t: &'ast syn::ItemType) {
        let span = self.map.between(self.map.start(t.type_token.span), self.map.end(t.semi_token.span));
        let index = self.record_type(ident(&t.ident), TypeKind::Alias, span);
        self.facts.types[index].alias_of = Some(type_fact(&t.ty));
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        let span = self.map.between(self.map.start(s.static_token.span), self.map.end(s.semi_token.span));
        self.record_static(ident(&s.ident), &s.ty, &s.expr, StaticForm::Static, span);
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        let span = self.map.between(self.map.start(c.const_token.span), self.map.end(c.semi_token.span));
        self.record_static(ident(&c.ident), &c.ty, &c.expr, StaticForm::Const, span);
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        self.record_module(m);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let span = self.map.between(self.map.start(u.use_token.span), self.map.end(u.semi_token.span));
        let public = matches!(u.vis, syn::Visibility::Public(_));
        self.record_use(&u.tree, &mut Vec::new(), u.leading_colon.is_some(), public, span);
    }

    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        let span = self.map.between(self.map.start(e.extern_token.span), self.map.end(e.semi_token.span));
        let name = ident(&e.ident);
        let alias = e.rename.as_ref().map_or_else(|| name.clone(), |(_, r)| ident(r));
        let (path, absolute) = if name == "self" { (vec!["crate".to_string()], false) } else { (vec![name], true) };
        let public = matches!(e.vis, syn::Visibility::Public(_));
        if e.attrs.iter().any(|a| a.path().is_ident("macro_use")) {
            // `#[macro_use] extern crate lambda_runtime;` brings its macros (`lambda!`) into
            // every module: recorded as a glob import of the crate.
            self.push_use(UseFact { alias: String::new(), path: path.clone(), glob: true, absolute, public, span });
        }
        self.push_use(UseFact { alias, path, glob: false, absolute, public, span });
    }

    fn visit_item_macro(&mut self, m: &'ast syn::ItemMacro) {
        self.record_item_macro(&m.mac, None);
    }

    fn visit_stmt_macro(&mut self, m: &'ast StmtMacro) {
        self.record_item_macro(&m.mac, None);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.bind_pattern(&local.pat);
        let Some(owner) = self.owner() else { return };
        let Some(name) = syntax::pat_ident(&local.pat) else {
            return;
        };
        let ty = match &local.pat {
            syn::Pat::Type(t) => Some(type_fact(&t.ty)),
            _ => None,
        };
        let init = local.init.as_ref().map(|i| self.value(&i.expr));
        let start = self.map.start(local.let_token.span);
        let span = self.map.between(start, self.map.end(local.semi_token.span));
        self.facts.lets.push(LetFact { owner, name, ty, init, span });
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        let iter_arg = std::mem::take(&mut self.pending_iter_arg);
        if self.depth >= MAX_EXPR_DEPTH {
            self.note_too_deep(expr);
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Call(c) => self.record_call(c),
            Expr::MethodCall(m) => self.record_method_call(m),
            Expr::Macro(m) => self.visit_expr_macro(m),
            Expr::Closure(c) => self.record_closure(c, iter_arg),
            Expr::Path(p) => self.record_path_use(p),
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                self.bind_pattern(&f.pat);
                self.in_loop(|this| this.visit_block(&f.body));
            }
            Expr::While(w) => self.in_loop(|this| {
                this.visit_expr(&w.cond);
                this.visit_block(&w.body);
            }),
            Expr::Loop(l) => self.in_loop(|this| this.visit_block(&l.body)),
            Expr::Return(r) => {
                if let Some(value) = &r.expr {
                    self.visit_expr(value);
                    let reduced = self.value(value);
                    if let Some(body) = self.body.as_mut()
                        && body.closures.is_empty()
                    {
                        body.returns.push(reduced);
                    }
                }
            }
            _ => visit::visit_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_expr_macro(&mut self, m: &'ast ExprMacro) {
        self.record_macro(&m.mac, Some(node(m)));
    }

    fn visit_pat(&mut self, pat: &'ast syn::Pat) {
        // Patterns in `match` arms, `if let` and closures bind names inside closures.
        self.bind_pattern(pat);
    }

    fn visit_type(&mut self, _: &'ast Type) {
        // Types are converted on demand; walking them here would only cost time.
    }
}
