//! The template as slint understands it, both ways: serialized to the JSON Guard evaluates, and
//! Guard's paths (`/Resources/Fn/Properties/Timeout`) resolved back to slint's nodes and spans.
//!
//! Both directions walk the same view: the loaded tree, except that `Resources/<id>/Properties`
//! is the resource's `Globals`-merged properties ([`Resource::properties`]). The merged node's
//! children are the original nodes, so a value inherited from `Globals` resolves to its line in
//! `Globals`. Everything else (short forms already in `Fn::` form, aliases and `<<` merges
//! expanded, duplicate keys resolved to the first, as [`NodeRef::get`] does) comes from the
//! tree, so Guard never sees YAML it would reject (aliases, surrogate escapes).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use crate::model::template::{Resource, Template};
use crate::model::tree::{NodeId, NodeKind, NodeRef, ScalarValue};
use crate::span::Span;

/// Deeper than the loader ever builds (its limit is 256); only keeps the recursion obviously
/// bounded for a hand-made tree.
const MAX_DEPTH: u32 = 1024;

/// The template as compact JSON, with SAM `Globals` merged into each resource's `Properties`.
pub fn to_json(template: &Template) -> String {
    let mut writer = JsonWriter { resources: resources_by_node(template), out: String::with_capacity(4096) };
    match template.root() {
        Some(root) => writer.root(root),
        None => writer.out.push_str("{}"),
    }
    writer.out
}

/// A node as compact JSON, as written (no `Globals` merge): for documents that are not
/// templates, such as the `input` of a Guard unit test.
pub fn node_to_json(node: NodeRef<'_>) -> String {
    let mut writer = JsonWriter { resources: HashMap::new(), out: String::with_capacity(1024) };
    writer.value(node, 0);
    writer.out
}

fn resources_by_node(template: &Template) -> HashMap<NodeId, &Resource> {
    template.resources.iter().map(|r| (r.node, r)).collect()
}

struct JsonWriter<'t> {
    resources: HashMap<NodeId, &'t Resource>,
    out: String,
}

impl<'t> JsonWriter<'t> {
    fn root(&mut self, root: NodeRef<'t>) {
        if !root.is_map() {
            return self.value(root, 0);
        }
        self.map(root, |w, key, value| match key {
            "Resources" if value.is_map() => {
                w.map(value, |w, _, resource| match w.resources.get(&resource.id).copied() {
                    Some(r) => w.resource(r, resource),
                    None => w.value(resource, 2),
                });
            }
            _ => w.value(value, 1),
        });
    }

    /// A resource, with its merged `Properties` in place of (or added to) the written ones.
    fn resource(&mut self, resource: &Resource, node: NodeRef<'t>) {
        let merged = resource.properties.map(|p| node.tree.node(p));
        self.out.push('{');
        let mut first = true;
        let mut written_properties = false;
        for (key, _, value) in unique_entries(node) {
            self.separator(&mut first);
            string(&mut self.out, key);
            self.out.push(':');
            match (key, merged) {
                ("Properties", Some(props)) => {
                    written_properties = true;
                    self.value(props, 3);
                }
                _ => self.value(value, 3),
            }
        }
        if let (false, Some(props)) = (written_properties, merged) {
            // Only `Globals` sets them: the resource has no `Properties` of its own.
            self.separator(&mut first);
            self.out.push_str("\"Properties\":");
            self.value(props, 3);
        }
        self.out.push('}');
    }

    fn value(&mut self, node: NodeRef<'t>, depth: u32) {
        if depth > MAX_DEPTH {
            self.out.push_str("null");
            return;
        }
        match node.kind() {
            NodeKind::Map(_) => self.map(node, |w, _, value| w.value(value, depth + 1)),
            NodeKind::Seq(_) => {
                self.out.push('[');
                for (i, item) in node.items().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(item, depth + 1);
                }
                self.out.push(']');
            }
            NodeKind::Scalar { text, .. } => scalar(&mut self.out, node.scalar(), text),
        }
    }

    fn map(&mut self, node: NodeRef<'t>, mut each: impl FnMut(&mut Self, &'t str, NodeRef<'t>)) {
        self.out.push('{');
        let mut first = true;
        for (key, _, value) in unique_entries(node) {
            self.separator(&mut first);
            string(&mut self.out, key);
            self.out.push(':');
            each(self, key, value);
        }
        self.out.push('}');
    }

    fn separator(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
    }
}

/// A mapping's entries without repeated keys: the first wins, as in [`NodeRef::get`] (the
/// repeat is an SL002 finding of its own).
fn unique_entries<'t>(node: NodeRef<'t>) -> impl Iterator<Item = (&'t str, Span, NodeRef<'t>)> {
    let mut seen: HashSet<&'t str> = HashSet::new();
    let small = node.len() <= 1;
    node.map_iter().filter(move |(key, _, _)| small || seen.insert(key))
}

/// A scalar typed as CloudFormation (and Guard's YAML 1.1 loader) reads it.
fn scalar(out: &mut String, value: Option<ScalarValue<'_>>, text: &str) {
    match value {
        Some(ScalarValue::Null) => out.push_str("null"),
        Some(ScalarValue::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
        Some(ScalarValue::Int(n)) => {
            let _ = write!(out, "{n}");
        }
        Some(ScalarValue::Float(f)) if f.is_finite() => match serde_json::Number::from_f64(f) {
            Some(number) => {
                let _ = write!(out, "{number}");
            }
            None => string(out, text),
        },
        // `.inf`, `.nan` and strings: JSON has no non-finite numbers.
        _ => string(out, text),
    }
}

/// A JSON string literal. Guard reads JSON with a YAML loader (libyaml), which rejects `\u`
/// surrogate pairs and raw characters YAML does not allow in a stream (C0/C1 controls, U+FFFE,
/// U+FFFF, a BOM inside the text); so other non-ASCII text is written as is (UTF-8) and only
/// those characters are escaped.
fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if matches!(c as u32, 0..=0x1f | 0x7f..=0x9f | 0xfeff | 0xfffe | 0xffff) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Where a Guard path lands in the view.
#[derive(Clone, Copy, Debug)]
pub struct Located<'t> {
    /// The deepest node reached.
    pub node: NodeRef<'t>,
    /// The key naming that node in its (view) parent, when it was reached through a mapping.
    pub key_span: Option<Span>,
    /// The resource the path is inside.
    pub resource: Option<&'t Resource>,
    /// Every step of the path was found.
    pub complete: bool,
}

/// Resolves a Guard path (`/Resources/Fn/Properties/Timeout`, list items as `/0`) in the same
/// view [`to_json`] writes. Guard does not escape `/` inside keys, so a step that is not a key
/// is retried joined with the steps after it.
pub fn resolve<'t>(template: &'t Template, path: &str) -> Option<Located<'t>> {
    let steps: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let root = template.root()?;
    let mut at = Located { node: root, key_span: None, resource: None, complete: true };
    let mut i = 0;
    while i < steps.len() {
        if let Some(props) = merged_properties(&at, steps[i], template) {
            at = props;
            i += 1;
            continue;
        }
        let Some((node, key_span, used)) = step(at.node, &steps[i..]) else {
            at.complete = false;
            break;
        };
        let resource = at.resource.or_else(|| resource_at(template, &steps[..i + used], node));
        at = Located { node, key_span, resource, complete: true };
        i += used;
    }
    Some(at)
}

/// At `Resources/<id>`, the step `Properties` goes to the merged properties.
fn merged_properties<'t>(at: &Located<'t>, step: &str, template: &'t Template) -> Option<Located<'t>> {
    let resource = at.resource.filter(|r| r.node == at.node.id && step == "Properties")?;
    let merged = template.node(resource.properties?);
    // Without `Properties` of its own the resource has no key to point at (only `Globals`).
    let key_span = at.node.entry("Properties").map(|e| e.key_span);
    Some(Located { node: merged, key_span, resource: Some(resource), complete: true })
}

/// The resource whose mapping `node` is, when `steps` is `Resources/<id>`.
fn resource_at<'t>(template: &'t Template, steps: &[&str], node: NodeRef<'t>) -> Option<&'t Resource> {
    match steps {
        ["Resources", _] => template.resources.iter().find(|r| r.node == node.id),
        _ => None,
    }
}

/// One step down from `node`: `(child, key span, steps used)`.
fn step<'t>(node: NodeRef<'t>, steps: &[&str]) -> Option<(NodeRef<'t>, Option<Span>, usize)> {
    match node.kind() {
        NodeKind::Seq(_) => {
            let index: usize = steps[0].parse().ok()?;
            Some((node.item(index)?, None, 1))
        }
        NodeKind::Map(_) => {
            // Keys holding `/` arrive split; the bound keeps a pathological path linear.
            let mut key = String::new();
            for (used, part) in steps.iter().take(8).enumerate() {
                if used > 0 {
                    key.push('/');
                }
                key.push_str(part);
                if let Some(entry) = node.entry(&key) {
                    return Some((node.tree.node(entry.value), Some(entry.key_span), used + 1));
                }
            }
            None
        }
        NodeKind::Scalar { .. } => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::files::FileId;
    use crate::model::load::{Format, load};
    use crate::model::template::Modelled;
    use crate::model::tree::Limits;

    pub(crate) fn template(text: &str, format: Format) -> Template {
        let tree = load(text, format, Limits::default()).expect("loads");
        match Template::build(FileId(0), tree) {
            Modelled::Template(t, _) => *t,
            _ => panic!("not a template"),
        }
    }

    const SAM: &str = "\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 60
    Architectures: [arm64]
Resources:
  Local:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 10
      Role: !GetAtt Role.Arn
  Inherits:
    Type: AWS::Serverless::Function
  Queue:
    Type: AWS::SQS::Queue
    Properties: {\"a/b\": 1, Name: \"😀 \\\"q\\\" \\x85\\uFFFE\", On: yes, N: ~, F: 1.5}
";

    #[test]
    fn globals_are_merged_and_short_forms_are_long() {
        let t = template(SAM, Format::Yaml);
        let json: serde_json::Value = serde_json::from_str(&to_json(&t)).unwrap();
        let local = &json["Resources"]["Local"]["Properties"];
        assert_eq!(local["Timeout"], 10);
        assert_eq!(local["Architectures"], serde_json::json!(["arm64"]));
        assert_eq!(local["Role"], serde_json::json!({"Fn::GetAtt": "Role.Arn"}));
        assert_eq!(json["Resources"]["Inherits"]["Properties"]["Timeout"], 60);
        let queue = &json["Resources"]["Queue"]["Properties"];
        assert_eq!(queue["Name"], "😀 \"q\" \u{85}\u{fffe}");
        assert_eq!(
            (&queue["On"], &queue["N"], &queue["F"]),
            (&serde_json::json!(true), &serde_json::Value::Null, &serde_json::json!(1.5))
        );
        assert!(to_json(&t).contains("😀 \\\"q\\\" \\u0085\\ufffe"), "raw UTF-8, escaped non-printables");
    }

    #[test]
    fn paths_resolve_through_the_merged_view() {
        let t = template(SAM, Format::Yaml);
        let line = |path: &str| {
            let at = resolve(&t, path).unwrap();
            assert!(at.complete, "{path}");
            let start = at.node.span().start as usize;
            SAM[..start].lines().count()
        };
        assert_eq!(line("/Resources/Local/Properties/Timeout"), 10);
        assert_eq!(line("/Resources/Local/Properties/Architectures/0"), 5, "inherited: its line in Globals");
        assert_eq!(line("/Resources/Inherits/Properties/Timeout"), 4);
        assert_eq!(line("/Resources/Queue/Properties/a/b"), 16, "a key holding a slash");
        let inherits = resolve(&t, "/Resources/Inherits/Properties").unwrap();
        assert_eq!(inherits.resource.map(|r| r.id.as_str()), Some("Inherits"));
        assert!(inherits.key_span.is_none(), "no `Properties` key of its own");
        let missing = resolve(&t, "/Resources/Local/Properties/Nope/x").unwrap();
        assert!(!missing.complete);
        assert_eq!(missing.resource.map(|r| r.id.as_str()), Some("Local"));
    }
}
