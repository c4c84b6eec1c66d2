//! Small conversions from `syn` nodes to owned facts: spans, paths, types, attributes.
//!
//! Everything here is bounded: recursion over types stops at [`MAX_TYPE_DEPTH`], walks down
//! expression spines are loops with a step limit, so hostile input cannot exhaust the stack.

use proc_macro2::{Delimiter, Span as PmSpan, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, GenericArgument, Meta, Pat, PathArguments, ReturnType, Type, TypeParamBound};

use super::facts::{AttrFact, PathFact, TypeFact};
use crate::span::Span;

/// Types nested deeper than this are cut off (their inner arguments dropped).
const MAX_TYPE_DEPTH: usize = 16;
/// Steps along the left or right edge of an expression before giving up on a precise span.
const MAX_SPINE_STEPS: usize = 4096;

/// Converts `proc_macro2` spans into file byte spans.
///
/// `Span::byte_range` maps character positions to bytes through a `BTreeMap` that it also
/// grows, which costs more than the parse itself on a large file. A span's line and column
/// are a binary search away instead, and with our own table of line starts (in bytes) the
/// byte offset follows: directly for ASCII lines, by counting characters otherwise.
#[derive(Debug)]
pub struct SpanMap<'t> {
    /// Bytes stripped before the text was handed to syn (a byte-order mark, a `#!` line).
    base: usize,
    /// The text syn parsed (after the stripped bytes).
    text: &'t str,
    line_starts: Vec<usize>,
    ascii: bool,
}

impl<'t> SpanMap<'t> {
    pub fn new(base: usize, text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SpanMap { base, text, line_starts, ascii: text.is_ascii() }
    }

    fn offset(&self, at: proc_macro2::LineColumn) -> usize {
        let Some(&line_start) = at.line.checked_sub(1).and_then(|l| self.line_starts.get(l)) else {
            return self.base;
        };
        let within = if self.ascii {
            at.column
        } else {
            let rest = self.text.get(line_start..).unwrap_or("");
            rest.char_indices().nth(at.column).map_or(rest.len(), |(i, _)| i)
        };
        (self.base + line_start + within).min(self.base + self.text.len())
    }

    pub fn span(&self, span: PmSpan) -> Span {
        Span::from_range(self.start(span)..self.end(span))
    }

    pub fn start(&self, span: PmSpan) -> usize {
        self.offset(span.start())
    }

    pub fn end(&self, span: PmSpan) -> usize {
        self.offset(span.end())
    }

    pub fn between(&self, start: usize, end: usize) -> Span {
        Span::from_range(start..end.max(start))
    }

    /// Start of the first token of `expr`, following the left edge (`a.b().c` starts at `a`).
    pub fn expr_start(&self, expr: &Expr) -> usize {
        let mut e = expr;
        for _ in 0..MAX_SPINE_STEPS {
            let next: &Expr = match e {
                Expr::Call(c) => &c.func,
                Expr::MethodCall(m) => &m.receiver,
                Expr::Field(f) => &f.base,
                Expr::Index(i) => &i.expr,
                Expr::Await(a) => &a.base,
                Expr::Try(t) => &t.expr,
                Expr::Cast(c) => &c.expr,
                Expr::Binary(b) => &b.left,
                Expr::Assign(a) => &a.left,
                Expr::Range(r) => match &r.start {
                    Some(start) => start,
                    None => return self.start(r.limits.span()),
                },
                Expr::Path(p) => {
                    return self.path_start(p.qself.as_ref().map(|q| q.lt_token.span), &p.path);
                }
                Expr::Struct(s) => {
                    return self.path_start(s.qself.as_ref().map(|q| q.lt_token.span), &s.path);
                }
                Expr::Macro(m) => return self.path_start(None, &m.mac.path),
                Expr::Lit(l) => return self.start(l.lit.span()),
                Expr::Paren(p) => return self.start(p.paren_token.span.open()),
                Expr::Tuple(t) => return self.start(t.paren_token.span.open()),
                Expr::Array(a) => return self.start(a.bracket_token.span.open()),
                Expr::Reference(r) => return self.start(r.and_token.span),
                Expr::Unary(u) => return self.start(u.op.span()),
                Expr::Block(b) => return self.start(b.block.brace_token.span.open()),
                Expr::Async(a) => return self.start(a.async_token.span),
                Expr::Closure(c) => return self.closure_start(c),
                Expr::Return(r) => return self.start(r.return_token.span),
                Expr::If(i) => return self.start(i.if_token.span),
                Expr::Match(m) => return self.start(m.match_token.span),
                Expr::Loop(l) => return self.start(l.loop_token.span),
                Expr::While(w) => return self.start(w.while_token.span),
                Expr::ForLoop(f) => return self.start(f.for_token.span),
                Expr::Unsafe(u) => return self.start(u.unsafe_token.span),
                Expr::Let(l) => return self.start(l.let_token.span),
                _ => return self.start(e.span()),
            };
            e = next;
        }
        self.start(e.span())
    }

    /// End of the last token of `expr`, following the right edge.
    pub fn expr_end(&self, expr: &Expr) -> usize {
        let mut e = expr;
        for _ in 0..MAX_SPINE_STEPS {
            let next: &Expr = match e {
                Expr::Call(c) => return self.end(c.paren_token.span.close()),
                Expr::MethodCall(m) => return self.end(m.paren_token.span.close()),
                Expr::Macro(m) => return self.end(m.mac.delimiter.span().close()),
                Expr::Path(p) => return self.path_end(&p.path),
                Expr::Field(f) => return self.end(f.member.span()),
                Expr::Await(a) => return self.end(a.await_token.span),
                Expr::Try(t) => return self.end(t.question_token.span),
                Expr::Lit(l) => return self.end(l.lit.span()),
                Expr::Paren(p) => return self.end(p.paren_token.span.close()),
                Expr::Tuple(t) => return self.end(t.paren_token.span.close()),
                Expr::Array(a) => return self.end(a.bracket_token.span.close()),
                Expr::Index(i) => return self.end(i.bracket_token.span.close()),
                Expr::Struct(s) => return self.end(s.brace_token.span.close()),
                Expr::Block(b) => return self.end(b.block.brace_token.span.close()),
                Expr::Async(a) => return self.end(a.block.brace_token.span.close()),
                Expr::Unsafe(u) => return self.end(u.block.brace_token.span.close()),
                Expr::Loop(l) => return self.end(l.body.brace_token.span.close()),
                Expr::While(w) => return self.end(w.body.brace_token.span.close()),
                Expr::ForLoop(f) => return self.end(f.body.brace_token.span.close()),
                Expr::Match(m) => return self.end(m.brace_token.span.close()),
                Expr::If(i) => match &i.else_branch {
                    Some((_, other)) => other,
                    None => return self.end(i.then_branch.brace_token.span.close()),
                },
                Expr::Closure(c) => &c.body,
                Expr::Unary(u) => &u.expr,
                Expr::Reference(r) => &r.expr,
                Expr::Binary(b) => &b.right,
                Expr::Assign(a) => &a.right,
                Expr::Return(r) => match &r.expr {
                    Some(value) => value,
                    None => return self.end(r.return_token.span),
                },
                _ => return self.end(e.span()),
            };
            e = next;
        }
        self.end(e.span())
    }

    pub fn expr_span(&self, expr: &Expr) -> Span {
        self.between(self.expr_start(expr), self.expr_end(expr))
    }

    pub fn closure_start(&self, c: &syn::ExprClosure) -> usize {
        if let Some(t) = &c.constness {
            return self.start(t.span);
        }
        if let Some(t) = &c.asyncness {
            return self.start(t.span);
        }
        if let Some(t) = &c.capture {
            return self.start(t.span);
        }
        self.start(c.inputs_begin.span)
    }

    fn path_start(&self, qself: Option<PmSpan>, path: &syn::Path) -> usize {
        if let Some(lt) = qself {
            return self.start(lt);
        }
        if let Some(colon) = &path.leading_colon {
            return self.start(colon.spans[0]);
        }
        match path.segments.first() {
            Some(seg) => self.start(seg.ident.span()),
            None => self.start(path.span()),
        }
    }

    fn path_end(&self, path: &syn::Path) -> usize {
        match path.segments.last() {
            Some(seg) => self.end(seg.ident.span()),
            None => self.end(path.span()),
        }
    }

    pub fn attr_span(&self, attr: &Attribute) -> Span {
        self.between(self.start(attr.pound_token.span), self.end(attr.bracket_token.span.close()))
    }
}

/// An identifier as text, without the `r#` of raw identifiers.
pub fn ident(ident: &proc_macro2::Ident) -> String {
    let text = ident.to_string();
    match text.strip_prefix("r#") {
        Some(raw) => raw.to_string(),
        None => text,
    }
}

pub fn path_fact(path: &syn::Path) -> PathFact {
    PathFact {
        segments: path.segments.iter().map(|s| ident(&s.ident)).collect(),
        absolute: path.leading_colon.is_some(),
    }
}

/// The type arguments of a path's last segment (`Arc<Client>` → `[Client]`).
fn last_segment_args(path: &syn::Path, depth: usize) -> Vec<TypeFact> {
    let Some(last) = path.segments.last() else {
        return Vec::new();
    };
    match &last.arguments {
        PathArguments::AngleBracketed(args) if depth < MAX_TYPE_DEPTH => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(type_fact_at(ty, depth + 1)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn type_fact(ty: &Type) -> TypeFact {
    type_fact_at(ty, 0)
}

/// A trait path with its generic arguments (`Service<LambdaEvent<T>>`).
pub fn path_type_fact(path: &syn::Path) -> TypeFact {
    TypeFact { path: path_fact(path), args: last_segment_args(path, 0), ..TypeFact::default() }
}

fn type_fact_at(ty: &Type, depth: usize) -> TypeFact {
    let mut ty = ty;
    // References, parentheses and groups are looked through; bounded by the loop count.
    for _ in 0..MAX_SPINE_STEPS {
        match ty {
            Type::Reference(r) => ty = &r.elem,
            Type::Paren(p) => ty = &p.elem,
            Type::Group(g) => ty = &g.elem,
            Type::Ptr(p) => ty = &p.elem,
            _ => break,
        }
    }
    match ty {
        Type::Path(tp) if tp.qself.is_none() => {
            TypeFact { path: path_fact(&tp.path), args: last_segment_args(&tp.path, depth), ..TypeFact::default() }
        }
        Type::ImplTrait(t) => bound_fact(t.bounds.iter(), depth),
        Type::TraitObject(t) => bound_fact(t.bounds.iter(), depth),
        Type::Tuple(t) if depth < MAX_TYPE_DEPTH => {
            TypeFact { tuple: t.elems.iter().map(|e| type_fact_at(e, depth + 1)).collect(), ..TypeFact::default() }
        }
        _ => TypeFact::default(),
    }
}

fn bound_fact<'a>(bounds: impl Iterator<Item = &'a TypeParamBound>, depth: usize) -> TypeFact {
    for bound in bounds {
        if let TypeParamBound::Trait(t) = bound {
            return TypeFact {
                path: path_fact(&t.path),
                args: last_segment_args(&t.path, depth),
                bound: true,
                tuple: Vec::new(),
            };
        }
    }
    TypeFact::default()
}

/// The trait bounds of a generic parameter, as type facts.
pub fn bound_facts<'a>(bounds: impl Iterator<Item = &'a TypeParamBound>) -> Vec<TypeFact> {
    bounds
        .filter_map(|b| match b {
            TypeParamBound::Trait(t) => Some(TypeFact {
                path: path_fact(&t.path),
                args: last_segment_args(&t.path, 0),
                bound: true,
                tuple: Vec::new(),
            }),
            _ => None,
        })
        .collect()
}

pub fn return_type(output: &ReturnType) -> Option<TypeFact> {
    match output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some(type_fact(ty)),
    }
}

/// The identifier a pattern binds when it is a single name (`x`, `mut x`, `x: T`).
pub fn pat_ident(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(ident(&p.ident)),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// The binding of a destructured extractor parameter (`State(client): State<Client>`,
/// `Extension(repo): Extension<Repo>`): the wrapper's only field. The resolver looks through
/// such wrappers, so the binding gets the inner type.
pub fn extractor_ident(pat: &Pat) -> Option<String> {
    match pat {
        Pat::TupleStruct(t) if t.elems.len() == 1 => pat_ident(t.elems.first()?),
        _ => None,
    }
}

/// Every identifier a pattern binds, to a bounded depth.
pub fn pat_bindings(pat: &Pat, out: &mut Vec<String>) {
    pat_bindings_at(pat, out, 0);
}

fn pat_bindings_at(pat: &Pat, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_TYPE_DEPTH {
        return;
    }
    match pat {
        Pat::Ident(p) => {
            out.push(ident(&p.ident));
            if let Some((_, sub)) = &p.subpat {
                pat_bindings_at(sub, out, depth + 1);
            }
        }
        Pat::Type(t) => pat_bindings_at(&t.pat, out, depth + 1),
        Pat::Reference(r) => pat_bindings_at(&r.pat, out, depth + 1),
        Pat::Paren(p) => pat_bindings_at(&p.pat, out, depth + 1),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| pat_bindings_at(p, out, depth + 1)),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| pat_bindings_at(p, out, depth + 1)),
        Pat::Slice(s) => s.elems.iter().for_each(|p| pat_bindings_at(p, out, depth + 1)),
        Pat::Or(o) => o.cases.iter().for_each(|p| pat_bindings_at(p, out, depth + 1)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| pat_bindings_at(&f.pat, out, depth + 1)),
        _ => {}
    }
}

pub fn attr_fact(attr: &Attribute, map: &SpanMap) -> AttrFact {
    let first_str = match &attr.meta {
        Meta::List(list) => first_string_literal(&list.tokens),
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        Meta::Path(_) => None,
    };
    let path = path_fact(attr.path());
    let operation = match &attr.meta {
        Meta::List(list) if path.last() == "path" => operation(&list.tokens),
        _ => None,
    };
    AttrFact { path, first_str, operation, span: map.attr_span(attr) }
}

/// `get, path = "/items", ..` → `("get", "/items")`.
fn operation(tokens: &TokenStream) -> Option<(String, String)> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let method = match trees.first()? {
        TokenTree::Ident(i) => i.to_string(),
        _ => return None,
    };
    let path = trees.windows(3).find_map(|w| match w {
        [TokenTree::Ident(key), TokenTree::Punct(eq), TokenTree::Literal(lit)]
            if key == "path" && eq.as_char() == '=' =>
        {
            match syn::Lit::new(lit.clone()) {
                syn::Lit::Str(s) => Some(s.value()),
                _ => None,
            }
        }
        _ => None,
    })?;
    Some((method, path))
}

fn first_string_literal(tokens: &TokenStream) -> Option<String> {
    tokens.clone().into_iter().find_map(|tree| match tree {
        TokenTree::Literal(lit) => match syn::Lit::new(lit) {
            syn::Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Whether the item is compiled only for tests: `#[cfg(test)]`, `#[cfg(all(test, ..))]`, or
/// a test function (`#[test]`, `#[tokio::test]`, `#[bench]`).
pub fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        let last = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if last == "test" || last == "bench" {
            return true;
        }
        if !path.is_ident("cfg") {
            return false;
        }
        match &attr.meta {
            Meta::List(list) => cfg_requires_test(&list.tokens, 0),
            _ => false,
        }
    })
}

/// Evaluates a cfg predicate for "can only be true under `cfg(test)`": `test`, `all(.., test,
/// ..)`, `any(..)` when every branch requires test. `not(..)` never requires test.
fn cfg_requires_test(tokens: &TokenStream, depth: usize) -> bool {
    let predicates = split_predicates(tokens);
    predicates.len() == 1 && predicate_requires_test(&predicates[0], depth)
}

fn predicate_requires_test(predicate: &[TokenTree], depth: usize) -> bool {
    if depth > MAX_TYPE_DEPTH {
        return false;
    }
    match predicate {
        [TokenTree::Ident(id)] => id == "test",
        [TokenTree::Ident(id), TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis => {
            let inner = split_predicates(&g.stream());
            if id == "all" {
                inner.iter().any(|p| predicate_requires_test(p, depth + 1))
            } else if id == "any" {
                !inner.is_empty() && inner.iter().all(|p| predicate_requires_test(p, depth + 1))
            } else {
                false
            }
        }
        _ => false,
    }
}

fn split_predicates(tokens: &TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out = vec![Vec::new()];
    for tree in tokens.clone() {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push(Vec::new()),
            _ => out.last_mut().expect("never empty").push(tree),
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Whether a name looks like a global (`SCREAMING_CASE`, at least two characters).
pub fn is_screaming_case(name: &str) -> bool {
    name.len() >= 2
        && name.bytes().any(|b| b.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}
