use std::time::{Duration, Instant};

use super::repair::only_inside_flow_content;
use super::*;
use crate::model::load::test_support::{at, parse_err_with, parse_with, pos, snippet};

thread_local! {
    /// Re-parses done by `reparse_until_clean` on this thread.
    pub(super) static REPARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Loads `text`, returning how many re-parses the repairs took.
fn reparses(text: &str) -> (Result<Tree, LoadError>, usize) {
    REPARSES.with(|n| n.set(0));
    let result = load(text, Limits::default());
    (result, REPARSES.with(std::cell::Cell::get))
}

fn parse(text: &str) -> Tree {
    parse_with(load, text)
}

fn parse_err(text: &str) -> LoadError {
    parse_err_with(load, text)
}

const SAM: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Handler: bootstrap   # the binary
      Description: \"orders API\"  # quoted
      Role: !GetAtt OrdersRole.Arn
      Code: |
        fn main() {}
      Events: {}
";

#[test]
fn keys_and_values_have_exact_positions() {
    let tree = parse(SAM);
    let props = at(&tree, &["Resources", "Orders", "Properties"]);
    let timeout = props.get("Timeout").unwrap();
    assert_eq!(timeout.as_i64(), Some(60));
    assert_eq!(pos(SAM, timeout.span().start), (7, 16));
    assert_eq!(snippet(SAM, timeout.span()), "60");
    let entry = props.entry("Timeout").unwrap();
    assert_eq!(pos(SAM, entry.key_span.start), (7, 7));
    assert_eq!(snippet(SAM, entry.key_span), "Timeout");
    // saphyr's end markers run past a quoted scalar into the comment; ours stop at the quote.
    assert_eq!(snippet(SAM, props.get("Description").unwrap().span()), "\"orders API\"");
    assert_eq!(snippet(SAM, props.get("Handler").unwrap().span()), "bootstrap");
    // A block scalar spans from its indicator to its last character.
    assert_eq!(snippet(SAM, props.get("Code").unwrap().span()), "|\n        fn main() {}");
    assert_eq!(props.get("Code").unwrap().scalar(), Some(crate::model::tree::ScalarValue::Str("fn main() {}\n")));
}

#[test]
fn block_collections_span_from_first_key_to_last_value() {
    let tree = parse(SAM);
    let props = at(&tree, &["Resources", "Orders", "Properties"]);
    assert_eq!(pos(SAM, props.span().start), (7, 7));
    assert!(snippet(SAM, props.span()).starts_with("Timeout: 60"));
    assert!(snippet(SAM, props.span()).ends_with("Events: {}"));
    let root = tree.root().unwrap();
    assert_eq!(root.span().start, 0);
    assert_eq!(root.span().end as usize, SAM.trim_end().len());
}

#[test]
fn every_short_form_becomes_its_long_form() {
    let names = [
        "Ref",
        "Condition",
        "Sub",
        "GetAtt",
        "If",
        "Join",
        "Select",
        "Split",
        "FindInMap",
        "ImportValue",
        "Base64",
        "Cidr",
        "GetAZs",
        "Equals",
        "And",
        "Or",
        "Not",
        "Transform",
        "Length",
        "ToJsonString",
        "Contains",
        "EachMemberEquals",
        "EachMemberIn",
        "RefAll",
        "ValueOf",
        "ForEach",
    ];
    let text: String = names.iter().map(|n| format!("K{n}: !{n} value\n")).collect();
    let tree = parse(&text);
    for name in names {
        let node = at(&tree, &[&format!("K{name}")]);
        let (key, arg) = node.intrinsic().unwrap_or_else(|| panic!("{name} is not an intrinsic"));
        let expected = if matches!(name, "Ref" | "Condition") { name.to_string() } else { format!("Fn::{name}") };
        assert_eq!(key, expected);
        assert_eq!(arg.as_str(), Some("value"));
        let entry = &node.entries()[0];
        assert_eq!(snippet(&text, entry.key_span), format!("!{name}"));
        assert_eq!(snippet(&text, node.span()), format!("!{name} value"));
        assert_eq!(snippet(&text, arg.span()), "value");
    }
}

#[test]
fn nested_short_forms_in_flow_sequences() {
    let text = "Value: !If [IsProd, !Ref Bucket, !Ref AWS::NoValue]\n";
    let tree = parse(text);
    let value = at(&tree, &["Value"]);
    assert_eq!(snippet(text, value.span()), "!If [IsProd, !Ref Bucket, !Ref AWS::NoValue]");
    let (key, args) = value.intrinsic().unwrap();
    assert_eq!(key, "Fn::If");
    assert_eq!(pos(text, value.entries()[0].key_span.start), (1, 8));
    assert_eq!(snippet(text, args.span()), "[IsProd, !Ref Bucket, !Ref AWS::NoValue]");
    assert_eq!(args.item(0).unwrap().as_str(), Some("IsProd"));
    let bucket = args.item(1).unwrap();
    assert_eq!(bucket.intrinsic().map(|(k, a)| (k, a.as_str())), Some(("Ref", Some("Bucket"))));
    assert_eq!(snippet(text, bucket.span()), "!Ref Bucket");
    assert_eq!(pos(text, bucket.span().start), (1, 21));
    let no_value = args.item(2).unwrap();
    assert_eq!(no_value.intrinsic().map(|(k, a)| (k, a.as_str())), Some(("Ref", Some("AWS::NoValue"))));
    assert_eq!(value.path().to_string(), "Value");
    assert_eq!(no_value.intrinsic().unwrap().1.path().to_string(), "Value/Fn::If/2/Ref");
}

#[test]
fn sub_list_form_and_block_short_forms() {
    let text = "\
Name: !Sub # a comment between tag and value
  - '${Env}-${Suffix}'
  - Suffix: !Select [0, !Split ['-', !Ref AWS::StackName]]
Cond: !And
  - !Equals [!Ref Env, prod]
  - !Condition HasBucket
Mapped: !FindInMap
  - Map
  - !Ref AWS::Region
  - Key
";
    let tree = parse(text);
    let name = at(&tree, &["Name"]);
    let (key, list) = name.intrinsic().unwrap();
    assert_eq!(key, "Fn::Sub");
    assert_eq!(pos(text, list.span().start), (2, 3));
    assert_eq!(list.item(0).unwrap().as_str(), Some("${Env}-${Suffix}"));
    assert_eq!(snippet(text, list.item(0).unwrap().span()), "'${Env}-${Suffix}'");
    let select = list.item(1).unwrap().get("Suffix").unwrap();
    let (key, args) = select.intrinsic().unwrap();
    assert_eq!(key, "Fn::Select");
    let (key, split) = args.item(1).unwrap().intrinsic().unwrap();
    assert_eq!(key, "Fn::Split");
    assert_eq!(split.item(1).unwrap().intrinsic().unwrap().0, "Ref");
    let cond = at(&tree, &["Cond"]).intrinsic().unwrap().1;
    assert_eq!(cond.item(0).unwrap().intrinsic().unwrap().0, "Fn::Equals");
    assert_eq!(cond.item(1).unwrap().intrinsic().map(|(k, a)| (k, a.as_str())), Some(("Condition", Some("HasBucket"))));
    let mapped = at(&tree, &["Mapped"]);
    assert_eq!(mapped.intrinsic().unwrap().1.len(), 3);
    assert_eq!(snippet(text, mapped.span()), "!FindInMap\n  - Map\n  - !Ref AWS::Region\n  - Key");
}

#[test]
fn get_att_stays_one_string() {
    let text = "Arn: !GetAtt Orders.Arn\nBlock: !GetAtt\n  - Orders\n  - Arn\n";
    let tree = parse(text);
    let (key, arg) = at(&tree, &["Arn"]).intrinsic().unwrap();
    assert_eq!((key, arg.as_str()), ("Fn::GetAtt", Some("Orders.Arn")));
    assert_eq!(at(&tree, &["Block"]).intrinsic().unwrap().1.len(), 2);
}

#[test]
fn core_and_unknown_tags() {
    let text = "A: !!str 123\nB: !!int '5'\nC: !Custom value\nD: 123\nE: !Custom [1]\nF: !Ref\n";
    let tree = parse(text);
    let kind = |k: &str| at(&tree, &[k]).raw().kind.clone();
    assert!(matches!(kind("A"), NodeKind::Scalar { style: ScalarStyle::Quoted, .. }));
    assert_eq!(at(&tree, &["A"]).scalar(), Some(crate::model::tree::ScalarValue::Str("123")));
    assert!(matches!(kind("B"), NodeKind::Scalar { style: ScalarStyle::Quoted, .. }));
    assert_eq!(at(&tree, &["C"]).as_str(), Some("value"));
    assert_eq!(snippet(text, at(&tree, &["C"]).span()), "value");
    assert_eq!(at(&tree, &["D"]).as_i64(), Some(123));
    assert_eq!(at(&tree, &["E"]).len(), 1);
    // A short form with nothing after it refers to an empty (null) value.
    let (key, arg) = at(&tree, &["F"]).intrinsic().unwrap();
    assert_eq!(key, "Ref");
    assert!(arg.is_null());
}

#[test]
fn aliases_share_the_anchor_node() {
    let text = "\
Defaults: &defaults
  Runtime: provided.al2023
  Layers: &layers [a, b]
One:
  Settings: *defaults
  Layers: *layers
Two: *defaults
";
    let tree = parse(text);
    let defaults = at(&tree, &["Defaults"]);
    assert_eq!(at(&tree, &["One", "Settings"]).id, defaults.id);
    assert_eq!(at(&tree, &["Two"]).id, defaults.id);
    assert_eq!(at(&tree, &["One", "Layers"]).id, at(&tree, &["Defaults", "Layers"]).id);
    // A shared node keeps its first home.
    assert_eq!(at(&tree, &["Two", "Runtime"]).path().to_string(), "Defaults/Runtime");
    assert_eq!(pos(text, defaults.span().start), (2, 3));
    // Expanded weight counts every alias: Defaults 5, One 1 + 5 + 3, Two 5, root 1.
    assert_eq!(tree.root().unwrap().raw().weight, 20);
}

#[test]
fn merge_keys_single_list_and_override_order() {
    let text = "\
Base: &base {Runtime: python3.12, Timeout: 3, MemorySize: 128}
Big: &big {Timeout: 30, MemorySize: 1024, Tracing: Active}
Single:
  <<: *base
  Timeout: 10
List:
  Handler: app.handler
  <<: [*big, *base]
  Runtime: rust
";
    let tree = parse(text);
    let single = at(&tree, &["Single"]);
    let keys: Vec<&str> = single.map_iter().map(|(k, ..)| k).collect();
    assert_eq!(keys, ["Runtime", "MemorySize", "Timeout"]);
    assert_eq!(single.get("Timeout").unwrap().as_i64(), Some(10));
    assert_eq!(single.get("Runtime").unwrap().id, at(&tree, &["Base", "Runtime"]).id);
    // A merged key points where it was written.
    assert_eq!(pos(text, single.entry("Runtime").unwrap().key_span.start), (1, 14));

    let list = at(&tree, &["List"]);
    let keys: Vec<&str> = list.map_iter().map(|(k, ..)| k).collect();
    assert_eq!(keys, ["Handler", "Timeout", "MemorySize", "Tracing", "Runtime"]);
    assert_eq!(list.get("Timeout").unwrap().as_i64(), Some(30)); // earlier map wins
    assert_eq!(list.get("MemorySize").unwrap().id, at(&tree, &["Big", "MemorySize"]).id);
    assert_eq!(list.get("Runtime").unwrap().as_str(), Some("rust")); // explicit key wins
    assert!(tree.duplicates.is_empty(), "merged keys are not duplicates");
}

#[test]
fn inline_merge_values_get_the_target_as_parent() {
    let text = "Fn:\n  <<: {Timeout: 3}\n  Handler: h\n";
    let tree = parse(text);
    let timeout = at(&tree, &["Fn", "Timeout"]);
    assert_eq!(timeout.path().to_string(), "Fn/Timeout");
    assert_eq!(pos(text, timeout.span().start), (2, 17));
}

#[test]
fn merge_of_a_scalar_is_an_error() {
    let text = "A: 1\nB:\n  <<: *x\n";
    assert!(parse_err(text).message.contains("unknown anchor"));
    let text = "A: &x 1\nB:\n  <<: *x\n";
    let err = parse_err(text);
    assert_eq!(err.message, "the value of a merge key `<<` must be a mapping or a list of mappings");
    assert_eq!(pos(text, err.span.start), (3, 7));
    let err = parse_err("A: &x {a: 1}\nB:\n  <<: [*x, 2]\n");
    assert!(err.message.contains("merge key"));
    // A quoted "<<" is an ordinary key.
    let tree = parse("A:\n  '<<': 1\n");
    assert_eq!(at(&tree, &["A", "<<"]).as_i64(), Some(1));
}

#[test]
fn duplicate_keys_are_recorded_and_the_last_value_wins() {
    let text = "Resources:\n  A: 1\n  B: 2\n  A: 3\nResources: {}\n";
    let tree = parse(text);
    assert_eq!(tree.duplicates.len(), 2);
    let d = &tree.duplicates[0];
    assert_eq!(d.key, "A");
    assert_eq!((pos(text, d.first.start), pos(text, d.second.start)), ((2, 3), (4, 3)));
    let d = &tree.duplicates[1];
    assert_eq!(d.key, "Resources");
    assert_eq!((pos(text, d.first.start), pos(text, d.second.start)), ((1, 1), (5, 1)));
    // The last value, in the first entry's place.
    let root = tree.root().unwrap();
    assert_eq!(root.len(), 1);
    assert!(root.get("Resources").unwrap().is_empty());
}

#[test]
fn duplicate_keys_in_big_mappings() {
    let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k42: again\n");
    let tree = parse(&text);
    assert_eq!(tree.duplicates.len(), 1);
    assert_eq!(pos(&text, tree.duplicates[0].first.start), (43, 1));
    assert_eq!(pos(&text, tree.duplicates[0].second.start), (101, 1));
    assert_eq!(at(&tree, &["k42"]).as_str(), Some("again"));
    assert_eq!(tree.root().unwrap().entries()[42].key.as_ref(), "k42");
}

#[test]
fn crlf_gives_the_same_positions_as_lf() {
    let crlf = SAM.replace('\n', "\r\n");
    let (lf_tree, crlf_tree) = (parse(SAM), parse(&crlf));
    let keys = ["Resources", "Orders", "Properties", "Description"];
    let (a, b) = (at(&lf_tree, &keys), at(&crlf_tree, &keys));
    assert_eq!(pos(SAM, a.span().start), pos(&crlf, b.span().start));
    assert_eq!(pos(SAM, a.span().end), pos(&crlf, b.span().end));
    let keys = ["Resources", "Orders", "Properties", "Code"];
    assert_eq!(at(&crlf_tree, &keys).as_str(), Some("fn main() {}\n"));
    assert_eq!(snippet(&crlf, at(&crlf_tree, &keys).span()), "|\r\n        fn main() {}");
}

#[test]
fn bom_is_skipped_and_offsets_stay_byte_offsets() {
    let text = "\u{feff}Resources:\n  Fn: {Timeout: 30}\n";
    let tree = parse(text);
    let entry = tree.root().unwrap().entry("Resources").unwrap();
    assert_eq!(entry.key_span, Span::new(3, 12));
    assert_eq!(pos(text, entry.key_span.start), (1, 1));
    let timeout = at(&tree, &["Resources", "Fn", "Timeout"]);
    assert_eq!(snippet(text, timeout.span()), "30");
    assert_eq!(pos(text, timeout.span().start), (2, 17));
}

#[test]
fn unicode_columns_and_byte_offsets() {
    // Long enough to need several char-offset checkpoints.
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("clé{i}: \"héllo wörld ✓ 🚀\"\n"));
    }
    text.push_str("Dernière: !Ref Ünïcode\n");
    let tree = parse(&text);
    let value = at(&tree, &["Dernière"]);
    assert_eq!(pos(&text, value.span().start), (201, 11));
    assert_eq!(snippet(&text, value.span()), "!Ref Ünïcode");
    let s = at(&tree, &["clé150"]);
    assert_eq!(snippet(&text, s.span()), "\"héllo wörld ✓ 🚀\"");
    assert_eq!(pos(&text, s.span().start), (151, 9));
}

#[test]
fn empty_documents_have_no_root() {
    for text in ["", "   \n\n", "# just a comment\n# another\n", "---\n", "\u{feff}", "--- # c\n...\n"] {
        let tree = parse(text);
        assert!(tree.root().is_none(), "{text:?}");
        assert!(tree.duplicates.is_empty());
    }
}

#[test]
fn a_key_without_value_is_null() {
    let text = "Resources:\nOutputs:\n";
    let tree = parse(text);
    let resources = at(&tree, &["Resources"]);
    assert!(resources.is_null());
    assert_eq!(resources.scalar_text(), Some(""));
    assert_eq!(pos(text, resources.span().start), (1, 10));
}

#[test]
fn only_the_first_document_is_read() {
    let tree = parse("a: 1\n---\nb: [\n");
    assert_eq!(at(&tree, &["a"]).as_i64(), Some(1));
    assert!(tree.root().unwrap().get("b").is_none());
}

#[test]
fn mapping_keys_must_be_scalars() {
    let text = "a: 1\n? [x, y]\n: v\n";
    let err = parse_err(text);
    assert_eq!(err.message, "mapping keys must be scalars");
    assert_eq!(pos(text, err.span.start), (2, 3));
    assert_eq!(parse_err("{[a]: 1}").message, "mapping keys must be scalars");
    assert_eq!(parse_err("!Ref a: b\n").message, "mapping keys must be scalars");
    // An alias of a scalar is a fine key.
    let tree = parse("a: &k name\n*k : v\n");
    assert_eq!(at(&tree, &["name"]).as_str(), Some("v"));
}

/// A guard against runaway (quadratic or worse) work, not a measurement: a debug build of
/// these inputs takes 1–4 s on a 2-core machine with other builds running, and a blow-up
/// takes minutes. 5 s failed under a load average of 6.
fn assert_quick(start: Instant) {
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
}

#[test]
fn deep_flow_nesting_is_a_clean_error() {
    for (text, step) in [("[".repeat(100_000), 1), ("{a: ".repeat(100_000), 4)] {
        let start = Instant::now();
        let err = parse_err(&text);
        assert_quick(start);
        // saphyr caps flow nesting itself, at the 256th open bracket.
        assert_eq!(err.message, "flow collections (`[`, `{`) nested deeper than 255 levels");
        assert_eq!(err.span.start as usize, 255 * step);
    }
}

#[test]
fn deep_block_nesting_stops_at_the_limit() {
    let text = "- ".repeat(100_000);
    let start = Instant::now();
    let err = parse_err(&text);
    assert_quick(start);
    assert_eq!(err.message, "nesting deeper than 256 levels");
    assert_eq!(err.span.start, 2 * 256);

    let mut text = String::new();
    for level in 0..2_000 {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    let err = parse_err(&text);
    assert_eq!(err.message, "nesting deeper than 256 levels");
    assert_eq!(pos(&text, err.span.start), (257, 257));
}

#[test]
fn depth_limit_counts_scalars_wrappers_and_aliases() {
    let limits = Limits { max_depth: 4, ..Limits::default() };
    assert!(load("[[[1]]]", limits).is_ok());
    let err = load("[[[[1]]]]", limits).unwrap_err();
    assert_eq!((err.message.as_str(), err.span.start), ("nesting deeper than 4 levels", 4));
    let err = load("[[[[[]]]]]", limits).unwrap_err();
    assert_eq!(err.message, "nesting deeper than 4 levels");
    // `!Ref x` is a mapping holding a scalar: two levels.
    assert!(load("[[!Ref x]]", limits).is_ok());
    assert!(load("[[[!Ref x]]]", limits).is_err());
    // An alias is as deep as its anchor.
    let text = "a: &d [[1]]\nb: [[*d]]\n";
    let err = load(text, limits).unwrap_err();
    assert_eq!(pos(text, err.span.start), (2, 6));
}

#[test]
fn alias_bomb_is_rejected_without_expanding() {
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let prev = format!("*l{}", level - 1);
        let items = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("l{level}: &l{level} [{items}]\n"));
    }
    let start = Instant::now();
    let err = parse_err(&text);
    assert_quick(start);
    assert_eq!(err.message, "aliases expand to more than 1000000 nodes (alias bomb?)");
    // l0..l4 expand to 123,456 nodes with the root; each `*l4` adds 111,111, so the
    // eighth one in `l5` crosses a million.
    assert_eq!(snippet(&text, err.span), "*l4");
    assert_eq!(pos(&text, err.span.start), (6, 45));
    // Below the limit, the same shape loads as a handful of shared nodes.
    let limits = Limits { max_expanded_nodes: u32::MAX, ..Limits::default() };
    let tree = load(&text, limits).unwrap();
    assert!(tree.len() < 120, "{} nodes", tree.len());
    // The root: 1 + 11 + 111 + ... + 1,111,111,111.
    assert_eq!(tree.root().unwrap().raw().weight, 1_234_567_900);
}

#[test]
fn keys_repeated_by_merges_and_aliases_are_bounded_in_bytes() {
    // A 1 MB key merged into mappings: each merge hashes it again; the 65th crosses 64 MiB.
    let key = "K".repeat(1 << 20);
    let text = format!("a: &a {{{key}: 1}}\nb: [{}]\n", vec!["{<<: *a}"; 100].join(", "));
    let start = Instant::now();
    let err = parse_err(&text);
    assert_quick(start);
    assert_eq!(err.message, "aliases and merge keys repeat more than 67108864 bytes of mapping keys (alias bomb?)");
    assert_eq!(pos(&text, err.span.start), (2, 5 + 64 * 10));
    // An alias of a long scalar used as a key copies it.
    let text = format!("a: &k {key}\nb: [{}]\n", vec!["{*k : 1}"; 100].join(", "));
    let err = parse_err(&text);
    assert!(err.message.starts_with("aliases and merge keys repeat more than"), "{}", err.message);
    assert_eq!(snippet(&text, err.span), "*k");
}

#[test]
fn recursive_and_unknown_aliases_are_errors() {
    let text = "a: &a [1, *a]\n";
    let err = parse_err(text);
    assert_eq!(err.message, "alias `*a` refers to an anchor that is not complete yet (recursive alias)");
    assert_eq!(pos(text, err.span.start), (1, 11));
    assert!(parse_err("a: &a {b: {c: *a}}\n").message.contains("recursive alias"));
    let text = "a: 1\nb: *missing\n";
    let err = parse_err(text);
    assert_eq!(err.message, "unknown anchor in alias `*missing`");
    assert_eq!(pos(text, err.span.start), (2, 4));
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let text = "a: [1, 2\n";
    let err = parse_err(text);
    assert_eq!(pos(text, err.span.start), (2, 1));
    assert_eq!(err.message, "while parsing a flow sequence, expected ',' or ']'");

    let text = "a:\n  b: 1\n c: 2\n";
    let err = parse_err(text);
    assert_eq!(pos(text, err.span.start), (3, 2));
    assert_eq!(err.message, "while parsing a block mapping, did not find expected key");

    let text = "a:\n\tb: 1\n";
    let err = parse_err(text);
    assert_eq!(err.message, "found a tab character where indentation is expected");
    assert_eq!(pos(text, err.span.start), (2, 1));

    let text = "a: \"x\\qy\"\n";
    let err = parse_err(text);
    assert_eq!(err.message, "while parsing a quoted scalar, found unknown escape character");
    assert_eq!(pos(text, err.span.start), (1, 4));

    let text = "a: 1\nb\nc: 2\n";
    let err = parse_err(text);
    assert_eq!(pos(text, err.span.start), (3, 1));
}

#[test]
fn under_indented_flow_content_loads_like_pyyaml() {
    // Closing brackets at the key's column, and a JSON body at the key's column: YAML 1.2
    // rejects both, PyYAML and CloudFormation accept them.
    let text = "\
Statement:
  - Effect: Allow
    Action: [
      \"s3:GetObject\",
      \"s3:PutObject\"
    ]
    Resource: '*'
Schema: {\"title\": \"Stats\",
\"type\": \"object\",
\"required\": [\"to\"] }
Policy: !Sub '{
    \"Resource\": \"${Bucket}\"
  }'
After: 1
";
    let tree = parse(text);
    let action = at(&tree, &["Statement"]).item(0).unwrap().get("Action").unwrap();
    assert_eq!(action.len(), 2);
    assert_eq!(action.item(1).unwrap().as_str(), Some("s3:PutObject"));
    // Positions are in the original text, not the re-indented copy.
    assert_eq!(pos(text, action.item(1).unwrap().span().start), (5, 7));
    assert_eq!(snippet(text, action.span()), "[\n      \"s3:GetObject\",\n      \"s3:PutObject\"\n    ]");
    let schema = at(&tree, &["Schema"]);
    assert_eq!(schema.get("type").unwrap().as_str(), Some("object"));
    assert_eq!(pos(text, schema.entry("required").unwrap().key_span.start), (10, 1));
    assert_eq!(pos(text, schema.span().end), (10, 21));
    let (_, policy) = at(&tree, &["Policy"]).intrinsic().unwrap();
    assert_eq!(policy.as_str(), Some("{ \"Resource\": \"${Bucket}\" }"));
    assert_eq!(pos(text, policy.span().start), (11, 14));
    assert_eq!(pos(text, policy.span().end), (13, 5));
    assert_eq!(pos(text, at(&tree, &["After"]).span().start), (14, 8));
}

#[test]
fn genuine_indentation_errors_are_not_repaired() {
    // Not flow content: a real structure error, reported where saphyr finds it.
    let text = "a:\n  b: [1,\n  2]\n c: 3\n";
    let err = parse_err(text);
    assert_eq!(pos(text, err.span.start), (4, 2));
    // A flow collection that does not end its line is left alone.
    let text = "a:\n  b: [1,\n  2] x\n";
    assert!(load(text, Limits::default()).is_err());
}

#[test]
fn repairs_are_bounded_by_the_bytes_they_reparse() {
    // 40 constructs to re-indent after 2 MB, under quoted keys (which the lexical guess
    // leaves alone): each repair re-parses the whole text, so only 15 of them are tried
    // (32 MB / 2.0005 MB) and the file is rejected at the first error.
    let constructs: String = (0..40).map(|i| format!("\"k{i}\": [\n1\n]\n")).collect();
    let text = format!("# {}\n{constructs}", "x".repeat(2 << 20));
    let start = Instant::now();
    let (result, parses) = reparses(&text);
    assert_quick(start);
    let err = result.unwrap_err();
    assert_eq!((pos(&text, err.span.start), err.message.as_str()), ((3, 1), "invalid indentation"));
    assert_eq!(parses, 15);
    // A small file with the same constructs is repaired in full, one parse each.
    let (tree, parses) = reparses(&constructs[..constructs.find("\"k20").unwrap()]);
    assert_eq!(at(&tree.unwrap(), &["k19"]).item(0).unwrap().as_i64(), Some(1));
    assert_eq!(parses, 20);
}

#[test]
fn constructs_that_look_alike_are_repaired_in_one_parse() {
    // The shape of the corpus's MSK templates: JSON policies closed at their key's column.
    let policy = |name: &str| {
        format!("  - PolicyName: {name}\n    PolicyDocument: !Sub '{{\n      \"Action\": \"*\"\n    }}'\n")
    };
    let text = format!(
        "Policies:\n{}{}Notes: |\n  - Key: '{{\n  }}\nMore: [a,\n]\nOthers:\n{}Last: 1\n",
        policy("A"),
        policy("B"),
        policy("C")
    );
    let (tree, parses) = reparses(&text);
    let tree = tree.unwrap();
    assert_eq!(parses, 1, "one re-parse for the four constructs");
    let documents: Vec<String> = (0..3)
        .map(|i| {
            let list = if i < 2 { at(&tree, &["Policies"]).item(i) } else { at(&tree, &["Others"]).item(0) };
            let policy = list.unwrap().get("PolicyDocument").unwrap();
            policy.intrinsic().unwrap().1.as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(documents, ["{ \"Action\": \"*\" }"; 3]);
    // The block scalar's text is not re-indented, though a line in it looks like a value.
    assert_eq!(at(&tree, &["Notes"]).as_str(), Some("- Key: '{\n}\n"));
    assert_eq!(at(&tree, &["More"]).len(), 1);
    assert_eq!(pos(&text, at(&tree, &["Last"]).span().start), (20, 7));
}

#[test]
fn a_wrong_guess_is_dropped_and_repairs_go_one_by_one() {
    // After the rejected `[`, the line `  - [x,` looks like a sequence item opening a flow
    // collection, but it continues the plain scalar `one`: the guess re-indents `  y]`, a
    // line of that plain scalar. The tree shows it, the guess is dropped, and the repair is
    // done again alone (two re-parses), with the same result.
    let text = "a: [\n]\nb: one\n  - [x,\n  y]\nc: 3\n";
    let (tree, parses) = reparses(text);
    let tree = tree.unwrap();
    assert_eq!(parses, 2);
    assert_eq!(at(&tree, &["b"]).as_str(), Some("one - [x, y]"));
    assert_eq!(at(&tree, &["c"]).as_i64(), Some(3));
    assert_eq!(pos(text, at(&tree, &["c"]).span().start), (6, 4));
}

#[test]
fn guessing_costs_linear_time_on_constructs_that_never_close() {
    // After one repairable construct, 200,000 lines each opening a flow sequence that
    // never closes: finding each one's end scans the rest of the file.
    let text = format!("a: [\n]\n{}", "k: [\n".repeat(200_000));
    let start = Instant::now();
    assert!(load(&text, Limits::default()).is_err());
    assert_quick(start);
}

#[test]
fn guesses_are_kept_only_inside_flow_content() {
    let text = "a: '\n  x'\nb: [1,\n  2]\nc: plain\n  text\n";
    let tree = parse(text);
    let line = |n: usize| text.match_indices('\n').nth(n - 2).map(|(i, _)| i + 1).unwrap();
    assert!(only_inside_flow_content(text, &tree, [line(2), line(4)].into_iter()));
    assert!(!only_inside_flow_content(text, &tree, [line(2), line(6)].into_iter()));
    assert!(!only_inside_flow_content(text, &tree, [line(3)].into_iter()), "a line starting a mapping entry");
}

#[test]
fn indentless_sequences_start_at_their_dash() {
    let text = "Action:\n- s3:GetObject\n- s3:PutObject\nNext: 1\n";
    let tree = parse(text);
    let action = at(&tree, &["Action"]);
    assert_eq!(snippet(text, action.span()), "- s3:GetObject\n- s3:PutObject");
}

#[test]
fn block_scalar_at_end_of_file_without_newline() {
    let tree = parse("a: |\n  {\n  }");
    assert_eq!(at(&tree, &["a"]).as_str(), Some("{\n}"));
    let tree = parse("a: |\n  {\n  }\n");
    assert_eq!(at(&tree, &["a"]).as_str(), Some("{\n}\n"));
    let tree = parse("a: >-\n  x");
    assert_eq!(at(&tree, &["a"]).as_str(), Some("x"));
}

#[test]
fn char_offsets_match_a_naive_count() {
    let text = "aé\u{feff}🚀x\n".repeat(50);
    let offsets = CharOffsets::new(&text);
    for (char_index, (byte, _)) in text.char_indices().enumerate() {
        assert_eq!(offsets.byte_offset(&text, char_index), byte as u32);
    }
    assert_eq!(offsets.byte_offset(&text, text.chars().count()), text.len() as u32);
    assert_eq!(offsets.byte_offset(&text, usize::MAX), text.len() as u32);
}
