//! Fixture crates under `testdata/source/<case>/`: each test analyses one and pins how its
//! calls are classified (invoke vs init), what the handlers are, and where things point.

use std::path::{Path, PathBuf};

use super::*;

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join("source").join(case)
}

fn analyse_case(case: &str) -> SourceModel {
    analyse(&[fixture(case)], 0)
}

/// The source text a fact points at.
fn text(model: &SourceModel, file: FileId, span: Span) -> &str {
    let text = &model.files[file.0 as usize].1;
    &text[span.start as usize..span.end as usize]
}

fn file_name(model: &SourceModel, file: FileId) -> String {
    let path = &model.files[file.0 as usize].0;
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn binary<'m>(model: &'m SourceModel, name: &str) -> &'m Binary {
    model.binaries.iter().find(|b| b.name == name).unwrap_or_else(|| panic!("no binary {name}: {:#?}", model.binaries))
}

/// `path`, `.method` or `macro!` of a call, for compact assertions.
fn label(call: &CallFact) -> String {
    match &call.callee {
        Callee::Path(p) => p.clone(),
        Callee::Method { name, .. } => format!(".{name}"),
        Callee::Macro(m) => format!("{m}!"),
    }
}

fn labels(calls: &[CallFact]) -> Vec<String> {
    calls.iter().map(label).collect()
}

fn find<'b>(calls: &'b [CallFact], wanted: &str) -> &'b CallFact {
    calls.iter().find(|c| label(c) == wanted).unwrap_or_else(|| panic!("no call {wanted} in {:?}", labels(calls)))
}

fn has(calls: &[CallFact], wanted: &str) -> bool {
    calls.iter().any(|c| label(c) == wanted)
}

#[test]
fn client_built_in_main_and_cloned_in_the_closure_is_init() {
    let model = analyse_case("shared_client");
    assert!(model.problems.is_empty(), "{:?}", model.problems);
    let bin = binary(&model, "shared-client");
    let registration = bin.registration.as_ref().expect("registration");
    assert_eq!(registration.api, "lambda_runtime::run");
    assert!(
        text(&model, registration.file, registration.span).starts_with("run(service_fn(|event: LambdaEvent<Value>|")
    );
    assert_eq!(bin.handlers.len(), 1);
    let handler = &bin.handlers[0];
    assert_eq!((handler.name.as_str(), &handler.kind), ("main::{closure}", &HandlerKind::Closure));
    assert_eq!(handler.payload_type.as_deref(), Some("serde_json::Value"));
    assert_eq!(bin.payload_types, ["serde_json::Value"]);

    // The config and the client are built once, in main.
    let new = find(&bin.init_calls, "aws_sdk_dynamodb::Client::new");
    assert_eq!(text(&model, new.file, new.span), "Client::new(&config)");
    assert_eq!((new.via.as_slice(), new.handler), (&["main".to_string()][..], None));
    assert!(has(&bin.init_calls, "aws_config::load_defaults"));
    assert!(!has(&bin.invoke_calls, "aws_sdk_dynamodb::Client::new"));
    assert!(!has(&bin.invoke_calls, "aws_config::load_defaults"));

    // `client.clone()` inside the closure is a method call, not a constructor.
    let clone = find(&bin.invoke_calls, ".clone");
    assert_eq!(text(&model, clone.file, clone.span), "client.clone()");
    let Callee::Method { receiver_type, receiver, .. } = &clone.callee else { unreachable!() };
    assert_eq!(receiver_type.as_deref(), Some("aws_sdk_dynamodb::Client"));
    assert_eq!(receiver, &Receiver::Path("client".into()));
    assert_eq!(clone.via, ["main::{closure}"]);

    // The SDK request builder chain knows its root.
    let send = bin.invoke_calls.iter().find(|c| text(&model, c.file, c.span).starts_with("client.get_item()")).unwrap();
    assert_eq!(text(&model, send.file, send.span), "client.get_item().table_name(\"orders\").send()");
    let Callee::Method { chain_root, .. } = &send.callee else { unreachable!() };
    assert_eq!(chain_root.as_deref(), Some("aws_sdk_dynamodb::Client::get_item"));
    assert_eq!(send.chain_args, [("get_item".to_string(), vec![]), ("table_name".to_string(), vec![])]);

    // A client built two calls below the handler, in another module, is on the invoke path.
    let http = find(&bin.invoke_calls, "reqwest::Client::new");
    assert_eq!(file_name(&model, http.file), "helpers.rs");
    assert_eq!(http.via, ["main::{closure}", "handle", "notify", "send"]);
    assert_eq!(http.handler, Some(0));
}

#[test]
fn test_only_code_is_ignored() {
    let model = analyse_case("shared_client");
    let bin = binary(&model, "shared-client");
    let everything: Vec<&CallFact> = bin.invoke_calls.iter().chain(&bin.init_calls).collect();
    assert!(everything.iter().all(|c| label(c) != "aws_sdk_dynamodb::Client::from_conf"));
    // The helper's `#[cfg(test)]` mock client is not a second reqwest constructor.
    let reqwest_new = everything.iter().filter(|c| label(c) == "reqwest::Client::new").count();
    assert_eq!(reqwest_new, 1);
}

#[test]
fn allow_comments_are_collected() {
    let model = analyse_case("shared_client");
    let [comment] = model.suppressions.as_slice() else { panic!("{:?}", model.suppressions) };
    assert_eq!(file_name(&model, comment.file), "helpers.rs");
    assert_eq!((comment.line, comment.target_line()), (8, 9));
    assert_eq!(comment.rules, ["client-in-handler"]);
    assert_eq!(comment.reason.as_deref(), Some("a fixture for suppression comments"));
    assert_eq!(
        text(&model, comment.file, comment.span),
        "// slint: allow(client-in-handler) a fixture for suppression comments"
    );
}

#[test]
fn client_built_two_calls_below_a_named_handler() {
    let model = analyse_case("deep_helper");
    let bin = binary(&model, "deep-helper");
    assert_eq!(bin.handlers.len(), 1);
    assert_eq!((bin.handlers[0].name.as_str(), &bin.handlers[0].kind), ("create_order", &HandlerKind::Fn));
    assert_eq!(text(&model, bin.handlers[0].file, bin.handlers[0].span), "create_order");
    assert_eq!(bin.payload_types, ["crate::Order"]);

    let new = find(&bin.invoke_calls, "aws_sdk_sesv2::Client::new");
    assert_eq!(text(&model, new.file, new.span), "aws_sdk_sesv2::Client::new(&config)");
    assert_eq!(new.via, ["create_order", "send_receipt", "mailer"]);
    assert!(new.in_loop, "send_receipt is called in a loop");
    assert!(has(&bin.invoke_calls, "aws_config::load_from_env"));

    let send = bin.invoke_calls.iter().find(|c| text(&model, c.file, c.span).ends_with(".send()")).unwrap();
    let Callee::Method { chain_root, .. } = &send.callee else { unreachable!() };
    assert_eq!(chain_root.as_deref(), Some("aws_sdk_sesv2::Client::send_email"));
    let run = find(&bin.init_calls, "lambda_runtime::run");
    assert_eq!(run.via, ["main"]);
    assert!(bin.init_calls.iter().all(|c| label(c) != "aws_sdk_sesv2::Client::new"));
}

#[test]
fn once_initialisers_are_init_even_when_reached_from_the_handler() {
    let model = analyse_case("once_cells");
    let bin = binary(&model, "once-cells");
    assert_eq!(bin.handlers.len(), 1);
    assert_eq!(bin.handlers[0].name, "handler");
    assert_eq!(bin.payload_types, ["lambda_http::Request"]);
    let constructors = [
        "aws_sdk_s3::Client::from_conf",
        "aws_sdk_dynamodb::Client::new",
        "aws_config::load_from_env",
        "reqwest::Client::new",
        "aws_sdk_sqs::Client::from_conf",
        "aws_sdk_sns::Client::from_conf",
    ];
    for constructor in constructors {
        assert!(!has(&bin.invoke_calls, constructor), "{constructor} is not on the invoke path");
        assert!(has(&bin.init_calls, constructor), "{constructor} is init code: {:?}", labels(&bin.init_calls));
    }
    // OnceLock::get_or_init in a helper the handler calls.
    let s3 = find(&bin.init_calls, "aws_sdk_s3::Client::from_conf");
    assert!(s3.guarded);
    assert_eq!((s3.via.as_slice(), s3.handler), (&["handler".to_string(), "s3".to_string()][..], Some(0)));
    // tokio OnceCell (const_new) with an async initialiser.
    let ddb = find(&bin.init_calls, "aws_sdk_dynamodb::Client::new");
    assert_eq!(text(&model, ddb.file, ddb.span), "aws_sdk_dynamodb::Client::new(&aws_config::load_from_env().await)");
    // LazyLock, once_cell Lazy with a function, lazy_static!: reached through the global.
    assert!(find(&bin.init_calls, "reqwest::Client::new").guarded);
    assert_eq!(find(&bin.init_calls, "aws_sdk_sqs::Client::from_conf").via, ["handler", "make_sqs"]);
    assert_eq!(find(&bin.init_calls, "aws_sdk_sns::Client::from_conf").via, ["handler", "build_sns"]);
    // The requests themselves are per invocation, with their client types known.
    let scan = find(&bin.invoke_calls, ".scan");
    let Callee::Method { receiver_type, .. } = &scan.callee else { unreachable!() };
    assert_eq!(receiver_type.as_deref(), Some("aws_sdk_dynamodb::Client"));
    let chain_roots: Vec<String> = bin
        .invoke_calls
        .iter()
        .filter(|c| label(c) == ".send")
        .filter_map(|c| match &c.callee {
            Callee::Method { chain_root, .. } => chain_root.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        chain_roots,
        [
            "aws_sdk_s3::Client::list_buckets",
            "aws_sdk_dynamodb::Client::scan",
            "reqwest::Client::get",
            "aws_sdk_sqs::Client::list_queues",
            "aws_sdk_sns::Client::list_topics"
        ]
    );
}

#[test]
fn renamed_crates_resolve_to_their_package() {
    let model = analyse_case("renamed");
    let package = &model.packages[0];
    assert!(package.is_lambda, "`lambda = {{ package = \"lambda_runtime\" }}` is a Lambda dependency");
    assert_eq!(package.dependency("lambda").map(|d| d.package.as_str()), Some("lambda_runtime"));
    let bin = binary(&model, "renamed");
    let registration = bin.registration.as_ref().unwrap();
    assert_eq!(registration.api, "lambda_runtime::run");
    assert_eq!(text(&model, registration.file, registration.span), "lambda::run(lambda::service_fn(list))");
    assert_eq!(bin.handlers[0].name, "list");
    // `use aws_sdk_s3 as s3; s3::Client::new(..)`.
    let new = find(&bin.invoke_calls, "aws_sdk_s3::Client::new");
    assert_eq!(text(&model, new.file, new.span), "s3::Client::new(&config)");
    assert!(has(&bin.init_calls, "lambda_runtime::service_fn"));
}

#[test]
fn a_user_function_called_run_is_not_a_registration() {
    let model = analyse_case("renamed");
    let bin = binary(&model, "own_run");
    assert_eq!(bin.registration, None);
    // The handler-shaped function is still found, by its signature, with low confidence.
    assert_eq!(bin.handlers.len(), 1);
    assert_eq!((bin.handlers[0].name.as_str(), bin.handlers[0].confidence), ("on_event", Confidence::Low));
    assert_eq!(find(&bin.init_calls, "crate::run").via, ["main"]);
}

#[test]
fn a_pool_built_once_in_main_is_init_with_its_size() {
    let model = analyse_case("sqlx_pool");
    let bin = binary(&model, "sqlx-pool");
    let connect = find(&bin.init_calls, ".connect");
    assert_eq!(text(&model, connect.file, connect.span), "PgPoolOptions::new().max_connections(10).connect(&url)");
    assert_eq!(connect.chain_args, [("max_connections".to_string(), vec![10])]);
    let Callee::Method { chain_root, .. } = &connect.callee else { unreachable!() };
    assert_eq!(chain_root.as_deref(), Some("sqlx::postgres::PgPoolOptions::new"));
    let size = find(&bin.init_calls, ".max_connections");
    assert_eq!(size.literal_args, [10]);
    assert_eq!(text(&model, size.file, size.method_span), "max_connections(10)");
    assert_eq!(find(&bin.init_calls, "std::env::var").string_args, ["DATABASE_URL"]);
    assert!(!has(&bin.invoke_calls, ".connect"));
    // Queries per invocation, in a loop.
    let execute = find(&bin.invoke_calls, ".execute");
    assert!(execute.in_loop);
    assert_eq!(execute.via, ["main::{closure}", "handle"]);
    let Callee::Method { chain_root, .. } = &execute.callee else { unreachable!() };
    assert_eq!(chain_root.as_deref(), Some("sqlx::query"));
}

#[test]
fn axum_router_routes_are_counted_and_their_handlers_traced() {
    let model = analyse_case("axum_router");
    let bin = binary(&model, "axum-router");
    assert_eq!(bin.registration.as_ref().unwrap().api, "lambda_http::run");
    let routes: Vec<(&str, &str)> = bin.routes.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
    assert_eq!(routes, [("GET", "/orders"), ("POST", "/orders"), ("GET", "/orders/{id}")]);
    let names: Vec<(&str, &HandlerKind)> = bin.handlers.iter().map(|h| (h.name.as_str(), &h.kind)).collect();
    assert_eq!(
        names,
        [
            // Handed on outer call first: `get(list).post(create)` hands `create` on first.
            ("create", &HandlerKind::Route { method: "POST".into(), path: "/orders".into() }),
            ("list", &HandlerKind::Route { method: "GET".into(), path: "/orders".into() }),
            ("one", &HandlerKind::Route { method: "GET".into(), path: "/orders/{id}".into() }),
            ("auth", &HandlerKind::Middleware),
        ]
    );
    assert_eq!(bin.routes[1].handler, Some(0));
    assert_eq!(bin.payload_types, ["lambda_http::Request"]);
    let route = &bin.routes[2];
    assert_eq!(text(&model, route.file, route.span), "route(\"/orders/{id}\", get(orders::one))");
    let new = find(&bin.invoke_calls, "reqwest::Client::new");
    assert_eq!(new.via, ["POST /orders", "create"]);
    assert_eq!(new.handler, Some(0));
    // Building the router is init code.
    assert_eq!(find(&bin.init_calls, "axum::Router::new").via, ["main", "app"]);
    assert!(has(&bin.invoke_calls, ".run"), "the middleware's `next.run(request)` runs per request");
}

#[test]
fn factory_body_is_init_and_its_closure_is_the_handler() {
    let model = analyse_case("factory");
    let bin = binary(&model, "factory");
    assert_eq!(bin.handlers.len(), 1);
    let handler = &bin.handlers[0];
    assert_eq!((handler.name.as_str(), &handler.kind), ("make_handler::{closure}", &HandlerKind::Closure));
    assert_eq!(text(&model, handler.file, handler.span), "move |req| Box::pin(route(deps, req, template.clone()))");
    assert_eq!(handler.payload_type.as_deref(), Some("lambda_http::Request"));
    let read = find(&bin.init_calls, "std::fs::read_to_string");
    assert_eq!(read.via, ["main", "make_handler"]);
    assert!(has(&bin.init_calls, "reqwest::Client::new"));
    assert!(!has(&bin.invoke_calls, "std::fs::read_to_string"));
    assert_eq!(find(&bin.invoke_calls, "crate::route").via, ["make_handler::{closure}"]);
    let get = find(&bin.invoke_calls, ".get");
    assert_eq!(get.via, ["make_handler::{closure}", "route"]);
    let Callee::Method { receiver_type, receiver, .. } = &get.callee else { unreachable!() };
    assert_eq!(receiver_type.as_deref(), Some("reqwest::Client"));
    assert_eq!(receiver, &Receiver::Field("deps.http".into()));
    assert!(!has(&bin.init_calls, "crate::route"), "the returned closure is not init code");
}

#[test]
fn service_impl_call_is_the_handler() {
    let model = analyse_case("service_impl");
    let bin = binary(&model, "service-impl");
    assert_eq!(bin.handlers.len(), 1);
    let handler = &bin.handlers[0];
    assert_eq!((handler.name.as_str(), &handler.kind), ("Counter::call", &HandlerKind::ServiceImpl));
    assert_eq!(text(&model, handler.file, handler.span), "call");
    assert_eq!(bin.payload_types, ["serde_json::Value"]);
    let new = find(&bin.invoke_calls, "reqwest::Client::new");
    assert_eq!(new.via, ["Counter::call"]);
    assert!(!has(&bin.invoke_calls, "std::task::Poll::Ready"), "poll_ready is not the handler");
}

#[test]
fn whole_main_under_the_lambda_attribute_runs_per_invocation() {
    let model = analyse_case("whole_main");
    let package = &model.packages[0];
    assert!(package.is_lambda, "the git `lambda` crate of the runtime repository");
    let bin = binary(&model, "whole-main");
    let registration = bin.registration.as_ref().unwrap();
    assert_eq!(registration.api, "#[lambda]");
    assert_eq!(text(&model, registration.file, registration.span), "#[lambda]");
    assert_eq!(bin.handlers[0].kind, HandlerKind::WholeMain);
    assert_eq!(bin.payload_types, ["serde_json::Value"]);
    let new = find(&bin.invoke_calls, "rusoto_sqs::SqsClient::new");
    assert_eq!(new.via, ["main"]);
    assert!(bin.init_calls.is_empty());
}

#[test]
fn bin_targets_follow_cargo_rules() {
    let model = analyse_case("multi_bin");
    let package = &model.packages[0];
    let bins: Vec<(&str, String, bool)> = package
        .bins
        .iter()
        .map(|b| {
            let relative = b.path.strip_prefix(&package.dir).unwrap().to_string_lossy().replace('\\', "/");
            (b.name.as_str(), relative, b.file.is_some())
        })
        .collect();
    assert_eq!(
        bins,
        [
            ("custom", "src/entry/custom.rs".to_string(), true),
            ("ghost", "src/bin/ghost.rs".to_string(), false),
            ("multi", "src/main.rs".to_string(), true),
            ("a", "src/bin/a.rs".to_string(), true),
            ("b", "src/bin/b/main.rs".to_string(), true),
        ]
    );
    let ghost = model.problems.iter().find(|p| p.message.contains("ghost")).expect("a problem for the missing bin");
    assert_eq!(ghost.kind, ProblemKind::Info);
    assert!(text(&model, ghost.file, ghost.span).starts_with("[[bin]]\nname = \"ghost\""));

    let apis: Vec<(&str, &str, bool, bool)> = model
        .binaries
        .iter()
        .map(|b| {
            let r = b.registration.as_ref().unwrap();
            (b.name.as_str(), r.api.as_str(), r.concurrent, r.streaming)
        })
        .collect();
    assert_eq!(
        apis,
        [
            ("custom", "lambda_runtime::Runtime::new(..).run", false, false),
            ("multi", "lambda_runtime::lambda!", false, false),
            ("a", "lambda_runtime::run_concurrent", true, false),
            ("b", "lambda_http::run_with_streaming_response", false, true),
        ]
    );
    let handlers: Vec<(&str, &str)> =
        model.binaries.iter().map(|b| (b.name.as_str(), b.handlers[0].name.as_str())).collect();
    assert_eq!(handlers, [("custom", "echo"), ("multi", "on_event"), ("a", "on_a"), ("b", "on_b")]);
    assert_eq!(binary(&model, "b").payload_types, ["lambda_http::Request"]);
    assert_eq!(file_name(&model, binary(&model, "b").handlers[0].file), "stream.rs");
    assert_eq!(binary(&model, "multi").payload_types, ["serde_json::Value"]);
    // The runtime builder's layers are init code.
    assert!(has(&binary(&model, "custom").init_calls, "lambda_runtime::layers::TracingLayer::new"));
}

#[test]
fn binary_lookup_explains_what_is_missing() {
    let model = analyse_case("multi_bin");
    let dir = fixture("multi_bin");
    assert_eq!(model.find_binary(&dir, Some("a")).unwrap().name, "a");
    let ghost = model.find_binary(&dir, Some("ghost")).unwrap_err();
    assert_eq!(ghost.to_string(), "bin target `ghost` is declared but its source file does not exist");
    let nope = model.find_binary(&dir, Some("nope")).unwrap_err().to_string();
    assert!(nope.starts_with("no bin target named `nope` in "), "{nope}");
    assert!(nope.ends_with("(found: custom, ghost, multi, a, b)"), "{nope}");
    let ambiguous = model.find_binary(&dir, None).unwrap_err().to_string();
    assert!(ambiguous.contains("has 4 bin targets (custom, multi, a, b); name one"), "{ambiguous}");
    let elsewhere = model.find_binary(Path::new("/nowhere"), Some("a")).unwrap_err().to_string();
    assert_eq!(elsewhere, "no Cargo package with bin targets in /nowhere");
}

#[test]
fn virtual_workspace_with_the_handler_in_a_path_dependency() {
    let model = analyse_case("workspace");
    let names: Vec<(&str, PackageRole)> = model.packages.iter().map(|p| (p.name.as_str(), p.role)).collect();
    assert_eq!(names, [("orders", PackageRole::Root), ("serve", PackageRole::Root), ("shared", PackageRole::Root)]);
    let orders = &model.packages[0];
    assert!(orders.is_lambda, "lambda_runtime.workspace = true");
    let profile = orders.release_profile.as_ref().expect("the workspace root's profile");
    assert_eq!(file_name(&model, profile.manifest), "Cargo.toml");
    assert_eq!(text(&model, profile.manifest, profile.section.span), "[profile.release]");
    assert_eq!(profile.section.strip.as_ref().map(|s| s.value.clone()), Some(cargo::SettingValue::Bool(true)));
    let ignored = orders.ignored_profile.as_ref().expect("the member's own profile is ignored by cargo");
    assert_eq!(ignored.section.opt_level.as_ref().map(|s| s.value.clone()), Some(cargo::SettingValue::Int(0)));
    assert!(model.packages[1].ignored_profile.is_none());

    let bin = binary(&model, "orders");
    assert_eq!(bin.handlers[0].name, "create_order");
    assert_eq!(file_name(&model, bin.handlers[0].file), "handlers.rs");
    let new = find(&bin.invoke_calls, "aws_sdk_sesv2::Client::new");
    assert_eq!(new.via, ["create_order", "send_receipt"]);
    let Callee::Method { chain_root, .. } = &find(&bin.invoke_calls, ".send").callee else { unreachable!() };
    assert_eq!(chain_root.as_deref(), Some("aws_sdk_sesv2::Client::send_email"));
    assert_eq!(
        labels(&bin.invoke_calls).iter().filter(|l| l.starts_with("shared::")).collect::<Vec<_>>(),
        ["shared::handlers::send_receipt"]
    );
}

#[test]
fn registration_inside_a_library_function_called_from_main() {
    let model = analyse_case("workspace");
    let bin = binary(&model, "serve");
    let registration = bin.registration.as_ref().unwrap();
    assert_eq!(registration.api, "lambda_runtime::run");
    assert_eq!(registration.via, ["main", "serve"]);
    assert_eq!(file_name(&model, registration.file), "lib.rs");
    assert_eq!(bin.handlers[0].name, "serve::{closure}");
    assert_eq!(bin.handlers[0].payload_type.as_deref(), Some("serde_json::Value"));
    assert_eq!(find(&bin.invoke_calls, "shared::handlers::save").via, ["serve::{closure}"]);
    assert_eq!(find(&bin.init_calls, "std::env::var").via, ["main"]);
    assert_eq!(find(&bin.init_calls, "shared::serve").via, ["main"]);
    assert_eq!(find(&bin.init_calls, "lambda_runtime::run").via, ["main", "serve"]);
    assert!(!has(&bin.init_calls, "shared::handlers::save"));
}

#[test]
fn broken_files_are_problems_and_the_rest_is_analysed() {
    let model = analyse(&[fixture("broken"), fixture("broken_manifest")], 7);
    let problems: Vec<(String, ProblemKind, &str)> =
        model.problems.iter().map(|p| (file_name_at(&model, p.file, 7), p.kind, p.message.as_str())).collect();
    let parse = model.problems.iter().find(|p| file_name_at(&model, p.file, 7) == "bad.rs").expect("bad.rs");
    assert_eq!(parse.kind, ProblemKind::Parse);
    assert_eq!(text_at(&model, parse.file, parse.span, 7), ";");
    let deep = problems.iter().find(|p| p.0 == "deep.rs").expect("deep.rs");
    assert_eq!(deep.1, ProblemKind::Info);
    assert!(deep.2.contains("nested more than 256 levels"));
    let missing = problems.iter().find(|p| p.0 == "main.rs").expect("missing module");
    assert!(missing.2.starts_with("no file for module `missing`"), "{}", missing.2);
    let manifest = model.problems.iter().find(|p| p.message.starts_with("cannot parse Cargo.toml")).unwrap();
    assert_eq!(manifest.kind, ProblemKind::Parse);
    assert_eq!(text_at(&model, manifest.file, Span::new(manifest.span.start, manifest.span.start + 1), 7), "=");
    assert_eq!(model.problems.len(), 4, "{problems:?}");

    let bin = binary(&model, "broken");
    assert_eq!(bin.root, FileId(7 + 2), "after the two manifests");
    assert_eq!(bin.handlers[0].name, "handle");
    assert_eq!(labels(&bin.invoke_calls), ["reqwest::get", "Ok"]);
}

fn file_name_at(model: &SourceModel, file: FileId, first: u32) -> String {
    file_name(model, FileId(file.0 - first))
}

fn text_at(model: &SourceModel, file: FileId, span: Span, first: u32) -> &str {
    text(model, FileId(file.0 - first), span)
}

#[test]
fn modules_paths_globs_and_reexports_resolve() {
    let model = analyse_case("modules");
    assert!(model.problems.is_empty(), "{:?}", model.problems);
    let bin = binary(&model, "modules");
    // `use lambda_runtime::*;` then `run(service_fn(..))`; the handler through `pub use .. as`.
    assert_eq!(bin.registration.as_ref().unwrap().api, "lambda_runtime::run");
    assert_eq!(bin.handlers[0].name, "entry");
    assert_eq!(file_name(&model, bin.handlers[0].file), "api.rs");
    assert_eq!(bin.payload_types, ["serde_json::Value"]);
    let gets: Vec<(String, Vec<String>, String)> = bin
        .invoke_calls
        .iter()
        .filter(|c| label(c) == "reqwest::get")
        .map(|c| (c.string_args[0].clone(), c.via.clone(), file_name(&model, c.file)))
        .collect();
    let expect = [
        ("https://deep.example.com", &["entry", "deep"][..], "c.rs"),
        ("https://placed.example.com", &["entry", "inline_helper", "placed"][..], "place.rs"),
        ("https://spawned.example.com", &["entry", "spawned"][..], "b.rs"),
    ];
    let expect: Vec<(String, Vec<String>, String)> = expect
        .iter()
        .map(|(url, via, file)| (url.to_string(), via.iter().map(|v| v.to_string()).collect(), file.to_string()))
        .collect();
    let mut gets = gets;
    gets.sort();
    assert_eq!(gets, expect);
    // Callees are canonical: `use .. as renamed`, a glob of a local module, `#[path]`.
    for callee in ["crate::b::c::deep", "crate::e::f::inline_helper", "crate::d::placed", "crate::b::spawned"] {
        assert!(has(&bin.invoke_calls, callee), "{callee} in {:?}", labels(&bin.invoke_calls));
    }
    assert!(has(&bin.invoke_calls, "tokio::join!"));
    assert!(has(&bin.invoke_calls, "tokio::spawn"));
}

#[test]
fn older_and_rarer_registration_forms() {
    let model = analyse_case("forms");
    let summary: Vec<(&str, Option<&str>, Vec<&str>)> = model
        .binaries
        .iter()
        .map(|b| {
            let api = b.registration.as_ref().map(|r| r.api.as_str());
            (b.name.as_str(), api, b.handlers.iter().map(|h| h.name.as_str()).collect())
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("handler-fn", Some("lambda_runtime::run"), vec!["func"]),
            ("http-handler", Some("lambda_http::lambda_runtime::run"), vec!["hello"]),
            ("service-builder", Some("lambda_http::run"), vec!["on_request"]),
            ("netlify", Some("netlify_lambda::run"), vec!["greet"]),
            ("closure-var", Some("lambda_runtime::run"), vec!["main::{closure}"]),
            ("method-handler", Some("lambda_runtime::run"), vec!["main::{closure}"]),
            ("external-runtime", Some("lambda_runtime::run"), vec!["my_handler"]),
            ("http-runtime", Some("lambda_http::runtime_concurrent(..).run"), vec!["on_req"]),
            ("closure-builds", Some("lambda_runtime::run"), vec!["main::{closure}"]),
            // A Lambda extension is not a function handler.
            ("extension", None, vec![]),
        ]
    );
    assert_eq!(binary(&model, "http-handler").payload_types, ["lambda_http::Request"]);
    assert!(binary(&model, "http-runtime").registration.as_ref().unwrap().concurrent);

    let closure_var = binary(&model, "closure-var");
    assert!(has(&closure_var.init_calls, "aws_sdk_dynamodb::Client::new"));
    let put = find(&closure_var.invoke_calls, ".put_item");
    assert_eq!(put.via, ["main::{closure}", "process"]);
    let Callee::Method { receiver_type, receiver, .. } = &put.callee else { unreachable!() };
    assert_eq!(receiver_type.as_deref(), Some("aws_sdk_dynamodb::Client"));
    assert_eq!(receiver, &Receiver::Field("state.table".into()));

    // A method called on a state value built in main.
    let method = binary(&model, "method-handler");
    let load = find(&method.invoke_calls, "aws_config::load_from_env");
    assert_eq!(load.via, ["main::{closure}", "Handler::handle", "Handler::audit"]);
    assert_eq!(find(&method.init_calls, "crate::Handler::new").via, ["main"]);

    // A closure handler that builds its client: per invocation, although it sits in `main`.
    let closure = binary(&model, "closure-builds");
    let new = find(&closure.invoke_calls, "reqwest::Client::new");
    assert_eq!((new.via.as_slice(), new.handler), (&["main::{closure}".to_string()][..], Some(0)));
    assert_eq!(text(&model, new.file, new.span), "reqwest::Client::new()");
    assert!(!has(&closure.init_calls, "reqwest::Client::new"));
    assert_eq!(labels(&closure.init_calls), ["lambda_runtime::run", "lambda_runtime::service_fn"]);

    let external = binary(&model, "external-runtime");
    assert!(has(&external.init_calls, ".build"), "the runtime is built once");
}

/// A throwaway crate in the temp folder, removed when dropped.
struct TempCrate {
    dir: PathBuf,
}

impl TempCrate {
    fn new(name: &str, files: &[(&str, String)]) -> TempCrate {
        let dir = std::env::temp_dir().join(format!("slint-source-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        TempCrate { dir }
    }
}

impl Drop for TempCrate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Found by the `rust_source` fuzz target: name resolution tried every glob import at every
/// level of a re-export chain, exponential in the depth; it hung for minutes.
#[test]
fn name_resolution_is_bounded_in_steps() {
    const MANIFEST: &str =
        "[package]\nname = \"globs\"\nversion = \"0.1.0\"\n\n[dependencies]\nlambda_runtime = \"0.13\"\n";
    // Twenty modules that glob-import each other, and a name none of them has.
    let globs: String = (0..20).map(|j| format!("pub use super::m{j}::*; ")).collect();
    let mut text: String = (0..20).map(|i| format!("mod m{i} {{ {globs} }}\n")).collect();
    text.push_str("use m0::*;\nfn main() { missing(); }\n");
    let fuzzed = include_str!("../../testdata/fuzz/rust_source/resolve-timeout.rs").to_string();
    for (name, main) in [("globs", text), ("fuzzed", fuzzed)] {
        let krate = TempCrate::new(name, &[("Cargo.toml", MANIFEST.to_string()), ("src/main.rs", main)]);
        let start = std::time::Instant::now();
        let model = analyse(std::slice::from_ref(&krate.dir), 0);
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{name}: {:?}", start.elapsed());
        assert_eq!(model.binaries.len(), 1, "{name}");
    }
}

#[test]
fn pathological_files_do_not_crash_the_analysis() {
    let n = 20_000;
    let cases: Vec<(&str, String)> = vec![
        ("unary", format!("fn f() -> bool {{ {}true }}", "!".repeat(n))),
        ("negation", format!("fn f() -> i64 {{ {}1 }}", "- ".repeat(n))),
        ("method_chain", format!("fn f() {{ a(){}; }}", ".b(1)".repeat(n))),
        ("binary_chain", format!("fn f() -> i64 {{ 1{} }}", " + x()".repeat(n))),
        ("field_chain", format!("fn f() {{ let _ = a{}; }}", ".b".repeat(n))),
        ("try_chain", format!("fn f() {{ a(){}; }}", "?".repeat(n))),
        ("else_if", format!("fn f(x: i32) {{ if x == 0 {{ a(); }}{} }}", " else if x == 1 { a(); }".repeat(n / 4))),
        ("returns", format!("fn f() {{ {}1; }}", "return ".repeat(n / 4))),
        ("closures", format!("fn f() {{ let _ = {}1; }}", "|| ".repeat(n / 4))),
        ("generics", format!("fn f(_: {}u8{}) {{}}", "Vec<".repeat(2_000), ">".repeat(2_000))),
        ("casts", format!("fn f() {{ let _ = 1{}; }}", " as u8".repeat(n))),
        ("nested_mods", format!("{}{}", "mod m { ".repeat(300), "}".repeat(300))),
        ("garbage", "fn ) ( } { ]] [[ \u{0} ' \" r#\"".to_string()),
    ];
    let mut files: Vec<(&str, String)> = vec![
        ("Cargo.toml", "[package]\nname = \"patho\"\n[dependencies]\nlambda_runtime = \"1\"\n".to_string()),
        ("src/main.rs", {
            let mods: String = cases.iter().map(|(name, _)| format!("mod {name};\n")).collect();
            format!(
                "{mods}\n#[tokio::main]\nasync fn main() {{ lambda_runtime::run(lambda_runtime::service_fn(handle)).await; }}\n\
                 async fn handle(e: lambda_runtime::LambdaEvent<String>) {{ method_chain::f(); }}\n"
            )
        }),
    ];
    let paths: Vec<String> = cases.iter().map(|(name, _)| format!("src/{name}.rs")).collect();
    for ((_, text), path) in cases.iter().zip(&paths) {
        files.push((path.as_str(), text.clone()));
    }
    let krate = TempCrate::new("pathological", &files);
    let model = analyse(std::slice::from_ref(&krate.dir), 0);
    let bin = binary(&model, "patho");
    assert_eq!(bin.handlers[0].name, "handle");
    // A long method chain parses (syn loops over it); the visitor stops at its depth limit.
    let chain = bin.invoke_calls.iter().filter(|c| label(c) == ".b").count();
    assert!(chain > 100 && chain < n, "{chain}");
    // Every file is read; those nested beyond the limits are reported, not parsed.
    assert_eq!(model.files.len(), 2 + cases.len());
    let mut reported: Vec<String> = model.problems.iter().map(|p| file_name(&model, p.file)).collect();
    reported.sort();
    // Refused before parsing (prefix operators, closures, generics, brackets), a syntax error,
    // or parsed with the innermost part of a very long chain left out by the visitor.
    let expect = [
        "binary_chain.rs",
        "casts.rs",
        "closures.rs",
        "else_if.rs",
        "field_chain.rs",
        "garbage.rs",
        "generics.rs",
        "method_chain.rs",
        "negation.rs",
        "nested_mods.rs",
        "returns.rs",
        "try_chain.rs",
        "unary.rs",
    ];
    assert_eq!(reported, expect);
    let garbage = model.problems.iter().find(|p| file_name(&model, p.file) == "garbage.rs").unwrap();
    assert_eq!(garbage.kind, ProblemKind::Parse);
}

#[test]
fn non_utf8_and_missing_manifests_are_problems() {
    let krate = TempCrate::new(
        "odd",
        &[
            ("Cargo.toml", "[package]\nname = \"odd\"\n".to_string()),
            ("src/main.rs", "mod latin;\nfn main() {}\n".to_string()),
        ],
    );
    std::fs::write(krate.dir.join("src/latin.rs"), b"fn caf\xe9() {}").unwrap();
    let model = analyse(&[krate.dir.clone(), krate.dir.join("nowhere")], 0);
    let messages: Vec<&str> = model.problems.iter().map(|p| p.message.as_str()).collect();
    let latin = model.problems.iter().find(|p| p.message.starts_with("file is not valid UTF-8"));
    let latin = latin.unwrap_or_else(|| panic!("{messages:?}"));
    assert_eq!((latin.message.as_str(), latin.span), ("file is not valid UTF-8: invalid byte 0xE9", Span::new(6, 7)));
    assert!(messages.iter().any(|m| m.starts_with("cannot read file: no such file")), "{messages:?}");
    assert_eq!(binary(&model, "odd").registration, None);
}

#[test]
fn actix_app_factory_is_init_and_its_routes_are_handlers() {
    let model = analyse_case("actix");
    let package = &model.packages[0];
    assert!(package.is_lambda, "lambda-web depends on lambda_http");
    let bin = binary(&model, "actix-app");
    assert_eq!(bin.registration.as_ref().unwrap().api, "lambda_web::run_actix_on_lambda");
    let routes: Vec<(&str, &str)> = bin.routes.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
    assert_eq!(routes, [("GET", "/health"), ("GET", "/api/orders"), ("POST", "/api/orders"), ("GET", "/version")]);
    let handlers: Vec<&str> = bin.handlers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(handlers, ["health", "list_orders", "create_order", "version"]);
    assert_eq!(text(&model, bin.routes[0].file, bin.routes[0].span), "#[get(\"/health\")]");
    assert_eq!(bin.payload_types, ["lambda_http::Request"]);
    // The factory closure runs once per worker: init code, not a handler.
    assert_eq!(find(&bin.init_calls, "std::fs::read_dir").via, ["main"]);
    assert!(has(&bin.init_calls, "actix_web::App::new"));
    assert_eq!(find(&bin.invoke_calls, "reqwest::Client::new").via, ["POST /api/orders", "create_order"]);
}

#[test]
fn code_handed_to_spawn_blocking_is_offloaded() {
    let model = analyse_case("offloaded");
    let bin = binary(&model, "offloaded");
    let offloaded = |wanted: &str| find(&bin.invoke_calls, wanted).offloaded;
    // Directly in the handler, and in a task spawned on the runtime: on the async workers.
    assert!(!offloaded("std::thread::sleep"));
    assert!(!offloaded("std::fs::read_dir"));
    assert!(!offloaded("tokio::task::spawn_blocking"), "the spawn itself runs on the worker");
    // In a closure given to `spawn_blocking` (also a runtime handle's), `block_in_place` or
    // `thread::spawn`, and in what such a closure calls.
    for call in ["std::fs::write", "std::fs::remove_file", "std::fs::copy", "std::fs::read"] {
        assert!(offloaded(call), "{call}");
    }
    let read = find(&bin.invoke_calls, "std::fs::read");
    assert_eq!(text(&model, read.file, read.span), "std::fs::read(\"/tmp/e\")", "the first one, in the thread");
    let in_resize =
        bin.invoke_calls.iter().find(|c| label(c) == "std::fs::read" && c.via.len() == 2).expect("resize's read");
    assert!(in_resize.offloaded && in_resize.via == ["handler", "resize"]);
    // A function passed by name to `spawn_blocking`.
    let created = find(&bin.invoke_calls, "std::fs::create_dir_all");
    assert!(created.offloaded && created.via == ["handler", "write_out"]);
}

#[test]
fn legacy_entries_boxed_callbacks_and_missing_starts() {
    let model = analyse_case("entries");
    let legacy = binary(&model, "legacy-start");
    assert_eq!(legacy.registration.as_ref().unwrap().api, "aws_lambda::start");
    assert_eq!(legacy.handlers[0].name, "handler");
    assert_eq!(find(&legacy.invoke_calls, "reqwest::blocking::Client::new").via, ["handler"]);
    assert_eq!(legacy.coverage, Coverage::Analysed);
    // `Box::new(open_connection)` neither runs nor registers it: not a handler.
    let boxed = binary(&model, "boxed-callback");
    let names: Vec<&str> = boxed.handlers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["handler"]);
    assert!(!has(&boxed.invoke_calls, "reqwest::Client::new"));
    // A Lambda crate's bin with neither a runtime start nor a handler is said, not skipped.
    let none = binary(&model, "no-start");
    assert_eq!(none.coverage, Coverage::NoEntry);
    let note = model.problems.iter().find(|p| p.message.contains("bin `no-start`")).expect("an SL005 note");
    assert_eq!(note.kind, ProblemKind::Info);
}
