//! Fixture crates under `testdata/source/<case>/`: each test analyses one and pins how its
//! calls are classified (invoke vs init), what the handlers are, and where things point.

use std::path::{Path, PathBuf};

use super::*;

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join("source")
        .join(case)
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
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn binary<'m>(model: &'m SourceModel, name: &str) -> &'m Binary {
    model
        .binaries
        .iter()
        .find(|b| b.name == name)
        .unwrap_or_else(|| panic!("no binary {name}: {:#?}", model.binaries))
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
    calls
        .iter()
        .find(|c| label(c) == wanted)
        .unwrap_or_else(|| panic!("no call {wanted} in {:?}", labels(calls)))
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
        text(&model, registration.file, registration.span)
            .starts_with("run(service_fn(|event: LambdaEvent<Value>|")
    );
    assert_eq!(bin.handlers.len(), 1);
    let handler = &bin.handlers[0];
    assert_eq!(
        (handler.name.as_str(), &handler.kind),
        ("main::{closure}", &HandlerKind::Closure)
    );
    assert_eq!(handler.payload_type.as_deref(), Some("serde_json::Value"));
    assert_eq!(bin.payload_types, ["serde_json::Value"]);

    // The config and the client are built once, in main.
    let new = find(&bin.init_calls, "aws_sdk_dynamodb::Client::new");
    assert_eq!(text(&model, new.file, new.span), "Client::new(&config)");
    assert_eq!(
        (new.via.as_slice(), new.handler),
        (&["main".to_string()][..], None)
    );
    assert!(has(&bin.init_calls, "aws_config::load_defaults"));
    assert!(!has(&bin.invoke_calls, "aws_sdk_dynamodb::Client::new"));
    assert!(!has(&bin.invoke_calls, "aws_config::load_defaults"));

    // `client.clone()` inside the closure is a method call, not a constructor.
    let clone = find(&bin.invoke_calls, ".clone");
    assert_eq!(text(&model, clone.file, clone.span), "client.clone()");
    let Callee::Method {
        receiver_type,
        receiver,
        ..
    } = &clone.callee
    else {
        unreachable!()
    };
    assert_eq!(receiver_type.as_deref(), Some("aws_sdk_dynamodb::Client"));
    assert_eq!(receiver, &Receiver::Path("client".into()));
    assert_eq!(clone.via, ["main::{closure}"]);

    // The SDK request builder chain knows its root.
    let send = bin
        .invoke_calls
        .iter()
        .find(|c| text(&model, c.file, c.span).starts_with("client.get_item()"))
        .unwrap();
    assert_eq!(
        text(&model, send.file, send.span),
        "client.get_item().table_name(\"orders\").send()"
    );
    let Callee::Method { chain_root, .. } = &send.callee else {
        unreachable!()
    };
    assert_eq!(
        chain_root.as_deref(),
        Some("aws_sdk_dynamodb::Client::get_item")
    );
    assert_eq!(
        send.chain_args,
        [
            ("get_item".to_string(), vec![]),
            ("table_name".to_string(), vec![])
        ]
    );

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
    assert!(
        everything
            .iter()
            .all(|c| label(c) != "aws_sdk_dynamodb::Client::from_conf")
    );
    // The helper's `#[cfg(test)]` mock client is not a second reqwest constructor.
    let reqwest_new = everything
        .iter()
        .filter(|c| label(c) == "reqwest::Client::new")
        .count();
    assert_eq!(reqwest_new, 1);
}

#[test]
fn allow_comments_are_collected() {
    let model = analyse_case("shared_client");
    let [comment] = model.suppressions.as_slice() else {
        panic!("{:?}", model.suppressions)
    };
    assert_eq!(file_name(&model, comment.file), "helpers.rs");
    assert_eq!((comment.line, comment.target_line()), (8, 9));
    assert_eq!(comment.rules, ["client-in-handler"]);
    assert_eq!(
        comment.reason.as_deref(),
        Some("a fixture for suppression comments")
    );
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
    assert_eq!(
        (bin.handlers[0].name.as_str(), &bin.handlers[0].kind),
        ("create_order", &HandlerKind::Fn)
    );
    assert_eq!(
        text(&model, bin.handlers[0].file, bin.handlers[0].span),
        "create_order"
    );
    assert_eq!(bin.payload_types, ["crate::Order"]);

    let new = find(&bin.invoke_calls, "aws_sdk_sesv2::Client::new");
    assert_eq!(
        text(&model, new.file, new.span),
        "aws_sdk_sesv2::Client::new(&config)"
    );
    assert_eq!(new.via, ["create_order", "send_receipt", "mailer"]);
    assert!(new.in_loop, "send_receipt is called in a loop");
    assert!(has(&bin.invoke_calls, "aws_config::load_from_env"));

    let send = bin
        .invoke_calls
        .iter()
        .find(|c| text(&model, c.file, c.span).ends_with(".send()"))
        .unwrap();
    let Callee::Method { chain_root, .. } = &send.callee else {
        unreachable!()
    };
    assert_eq!(
        chain_root.as_deref(),
        Some("aws_sdk_sesv2::Client::send_email")
    );
    let run = find(&bin.init_calls, "lambda_runtime::run");
    assert_eq!(run.via, ["main"]);
    assert!(
        bin.init_calls
            .iter()
            .all(|c| label(c) != "aws_sdk_sesv2::Client::new")
    );
}
