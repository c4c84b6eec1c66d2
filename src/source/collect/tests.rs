use super::*;

fn facts(text: &str) -> FileFacts {
    collect_file(text).expect("parses")
}

#[test]
fn test_modules_are_cut_before_parsing_and_spans_stay_put() {
    let code = "#![allow(dead_code)]\n/// Docs.\n#[cfg(test)]\npub(crate) mod mocks { fn m() { Client::new(); } }\n\
                    mod tests;\n#[cfg(all(test, feature = \"x\"))] mod more { fn broken() { let = ; } }\n\
                    #[cfg(not(test))] mod real { pub fn handler() { send(); } }\nfn after() { other(); }\n";
    let f = facts(code);
    assert_eq!(call_names(&f), ["send", "other"]);
    let send = &f.calls[0];
    assert_eq!(&code[send.span.start as usize..send.span.end as usize], "send()");
    let names: Vec<&str> = f.modules[0].children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["real"]);
    // Not a module item: kept, so its syntax error is still reported.
    assert!(collect_file("fn tests() { let x = ; }").is_err());
}

fn call_names(f: &FileFacts) -> Vec<String> {
    f.calls
        .iter()
        .map(|c| match &c.target {
            CallTarget::Path(p) => p.joined(),
            CallTarget::Method { name, .. } => format!(".{name}"),
            CallTarget::Macro(p) => format!("{}!", p.joined()),
            CallTarget::Other => "?".to_string(),
        })
        .collect()
}

#[test]
fn call_spans_cover_the_whole_call() {
    let text = "fn f() { let p = PgPoolOptions::new().max_connections(10).connect(url).await; }";
    let f = facts(text);
    let spans: Vec<&str> = f.calls.iter().map(|c| &text[c.span.start as usize..c.span.end as usize]).collect();
    assert_eq!(
        spans,
        [
            "PgPoolOptions::new().max_connections(10).connect(url)",
            "PgPoolOptions::new().max_connections(10)",
            "PgPoolOptions::new()"
        ]
    );
    assert_eq!(call_names(&f), [".connect", ".max_connections", "PgPoolOptions::new"]);
    assert_eq!(f.calls[1].args, [ValueExpr::Int(10)]);
    assert_eq!(f.calls[2].outer, Some(1));
    assert_eq!(f.calls[1].outer, Some(0));
}

#[test]
fn once_guard_closures_mark_their_calls() {
    let text = r#"
            static CLIENT: OnceLock<Client> = OnceLock::new();
            fn client() -> &'static Client { CLIENT.get_or_init(|| Client::new()) }
            fn handler() { Client::new(); }
        "#;
    let f = facts(text);
    let guarded: Vec<(String, bool)> = call_names(&f).into_iter().zip(f.calls.iter().map(|c| c.guarded)).collect();
    assert_eq!(
        guarded,
        [
            ("OnceLock::new".to_string(), true),
            (".get_or_init".to_string(), false),
            ("Client::new".to_string(), true),
            ("Client::new".to_string(), false)
        ]
    );
    assert!(f.closures[0].guard);
    assert_eq!(f.static_refs.len(), 1);
}

#[test]
fn loops_and_iterator_closures_are_loops() {
    let text = r#"
            fn f(v: Vec<u8>) {
                for x in v.iter() { a(x); }
                v.iter().map(|x| b(x)).count();
                opt.map(|x| c(x));
            }
        "#;
    let f = facts(text);
    let in_loop: Vec<(String, bool)> = call_names(&f).into_iter().zip(f.calls.iter().map(|c| c.in_loop)).collect();
    let expect = [
        (".iter", false),
        ("a", true),
        (".count", false),
        (".map", false),
        (".iter", false),
        ("b", true),
        (".map", false),
        ("c", false),
    ];
    assert_eq!(in_loop, expect.map(|(n, l)| (n.to_string(), l)));
}

#[test]
fn test_code_is_skipped() {
    let text = r#"
            fn real() {}
            #[cfg(test)] mod mocks { fn mock() { Client::new(); } }
            mod tests { fn t() {} }
            #[test] fn t2() {}
            #[cfg(all(test, feature = "x"))] fn t3() {}
            #[cfg(not(test))] fn kept() {}
            #[cfg(any(test, feature = "x"))] fn kept_too() {}
        "#;
    let f = facts(text);
    let names: Vec<&str> = f.fns.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["real", "kept", "kept_too"]);
    assert!(f.calls.is_empty());
}

#[test]
fn use_trees_are_flattened() {
    let text = "use a::{b as c, d::{self, *}, e}; pub use ::f::g; extern crate h as i;";
    let f = facts(text);
    let uses: Vec<(String, String, bool, bool)> =
        f.modules[0].uses.iter().map(|u| (u.alias.clone(), u.path.join("::"), u.glob, u.absolute)).collect();
    let expect = [
        ("c", "a::b", false, false),
        ("d", "a::d", false, false),
        ("", "a::d", true, false),
        ("e", "a::e", false, false),
        ("g", "f::g", false, true),
        ("i", "h", false, true),
    ];
    assert_eq!(uses, expect.map(|(a, p, g, abs)| (a.to_string(), p.to_string(), g, abs)));
    assert!(f.modules[0].uses[4].public);
}

#[test]
fn lazy_static_and_thread_local_are_globals() {
    let text = r#"
            lazy_static! { static ref CLIENT: Client = Client::new(); }
            thread_local! { static BUF: RefCell<Vec<u8>> = RefCell::new(Vec::new()); }
        "#;
    let f = facts(text);
    let forms: Vec<(&str, StaticForm)> = f.statics.iter().map(|s| (s.name.as_str(), s.form)).collect();
    assert_eq!(forms, [("CLIENT", StaticForm::LazyStatic), ("BUF", StaticForm::ThreadLocal)]);
    assert!(f.calls.iter().all(|c| c.guarded && matches!(c.owner, Owner::Static(_))));
    assert_eq!(call_names(&f), ["Client::new", "RefCell::new", "Vec::new"]);
}

#[test]
fn closures_know_params_and_captures() {
    let text = "fn main() { let t = 1; run(service_fn(move |ev: LambdaEvent<Order>| save(&t, ev))); }";
    let f = facts(text);
    let c = &f.closures[0];
    assert_eq!(c.params[0].name.as_deref(), Some("ev"));
    assert_eq!(c.params[0].ty.as_ref().map(|t| t.path.joined()), Some("LambdaEvent".to_string()));
    assert_eq!(c.captures, ["t"]);
    assert!(c.is_move);
    assert!(matches!(c.body, ValueExpr::Call(_)));
}

#[test]
fn macro_bodies_of_known_macros_are_parsed() {
    let text = "fn main() { lambda!(|e, c| handle(e, c)); println!(\"{}\", secret()); }";
    let f = facts(text);
    assert_eq!(call_names(&f), ["lambda!", "handle", "println!"]);
    assert!(matches!(f.calls[0].args[..], [ValueExpr::Closure(0)]));
}

#[test]
fn returns_are_tail_and_return_values() {
    let text =
        "fn make(d: &Deps) -> impl Fn(Request) -> Fut { if x { return other(); } move |r| Box::pin(route(d, r)) }";
    let f = facts(text);
    assert_eq!(f.fns[0].returns.len(), 2);
    assert!(matches!(f.fns[0].returns[1], ValueExpr::Closure(0)));
}

#[test]
fn bom_and_shebang_keep_offsets() {
    let text = "\u{feff}#!/usr/bin/env run\nfn main() { go(); }\n";
    let f = facts(text);
    let span = f.calls[0].span;
    assert_eq!(&text[span.start as usize..span.end as usize], "go()");
}

#[test]
fn spans_are_bytes_in_non_ascii_and_crlf_text() {
    let text = "// día\r\nfn main() {\r\n    let s = \"héllo → ü\"; go(s);\r\n}\r\n";
    let f = facts(text);
    let span = f.calls[0].span;
    assert_eq!(&text[span.start as usize..span.end as usize], "go(s)");
    let binding = f.lets[0].span;
    assert_eq!(&text[binding.start as usize..binding.end as usize], "let s = \"héllo → ü\";");
}

#[test]
fn syntax_errors_have_positions() {
    let text = "fn main() {\n    let x = ;\n}\n";
    let err = collect_file(text).unwrap_err();
    assert!(err.syntax);
    assert_eq!(&text[err.span.start as usize..err.span.end as usize], ";");
}

#[test]
fn deep_brackets_are_refused_before_parsing() {
    let text = format!("fn main() {{ {}1{} }}", "(".repeat(300), ")".repeat(300));
    let err = collect_file(&text).unwrap_err();
    assert!(!err.syntax);
    // Brackets in strings and comments do not count.
    let quiet = format!("fn main() {{ let s = \"{}\"; // {}\n }}", "(".repeat(300), "[".repeat(300));
    assert!(collect_file(&quiet).is_ok());
}

#[test]
fn long_runs_of_prefix_operators_are_refused_before_parsing() {
    let text = format!("fn main() {{ let x = {}true; }}", "!".repeat(5_000));
    let err = collect_file(&text).unwrap_err();
    assert!(err.message.contains("nested too deeply"), "{}", err.message);
    // The count restarts with every statement and argument.
    let many = "fn main() { let a = !!x; let b = -*&y; f(!a, !b); }\n".repeat(2_000);
    assert!(collect_file(&many).is_ok());
}
