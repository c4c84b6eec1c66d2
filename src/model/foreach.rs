//! `Fn::ForEach` loops of the `AWS::LanguageExtensions` transform, expanded under `Resources`.
//!
//! A loop is an entry `Fn::ForEach::<Name>: [Identifier, Collection, {OutputKey: Fragment}]`.
//! CloudFormation replaces it with one copy of the fragment per collection value, the
//! identifier substituted in the output key (`${Identifier}`, or `&{Identifier}` for the value
//! without its non-alphanumeric characters), in `Fn::Sub` strings and for `Ref: Identifier`.
//! The copies are new nodes whose spans are those of the loop body, so a finding about a
//! generated resource points at the line that declares it. A loop slint cannot evaluate (a
//! collection from `Fn::FindInMap`, `Fn::GetAZs`, an import, a parameter without default) is
//! skipped and reported as [`Unexpanded`], never as a parse error: the template is valid.

use std::sync::Arc;

use crate::model::template::Parameter;
use crate::model::tree::{Entry, NodeId, NodeKind, NodeRef, Tree};
use crate::span::Span;

/// The key prefix of a loop.
pub const PREFIX: &str = "Fn::ForEach::";

/// Loops nested deeper than this are not expanded (CloudFormation allows five levels).
const MAX_NESTING: u32 = 5;

/// Most nodes all loops of a template may create; past it the remaining loops are skipped.
const MAX_CREATED_NODES: usize = 500_000;

/// A loop slint did not expand, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unexpanded {
    /// The loop's `Fn::ForEach::<Name>` key.
    pub span: Span,
    /// The loop's value (for the finding's template path).
    pub node: NodeId,
    pub reason: String,
}

/// Whether a mapping has a loop among its keys.
pub fn has_loops(map: NodeRef<'_>) -> bool {
    map.map_iter().any(|(k, _, _)| k.starts_with(PREFIX))
}

/// Replaces the loops of the `Resources` mapping `resources` by their expansion: returns a new
/// mapping (ordinary entries first, in order, then generated ones at their loop's place) that
/// hangs where `resources` hung, and the loops it could not expand.
pub fn expand_resources(tree: &mut Tree, resources: NodeId, parameters: &[Parameter]) -> (NodeId, Vec<Unexpanded>) {
    let entries = tree.node(resources).entries().to_vec();
    let mut expander = Expander { tree, parameters, created: 0, unexpanded: Vec::new() };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        expander.entry(entry, 0, &mut out);
    }
    let Expander { tree, unexpanded, .. } = expander;
    let span = tree.node(resources).span();
    let parent = tree.raw(resources).parent;
    let map = tree.push_map(span, out);
    if let Some(parent) = parent {
        tree.set_parent(map, parent);
    }
    (map, unexpanded)
}

struct Expander<'a> {
    tree: &'a mut Tree,
    parameters: &'a [Parameter],
    created: usize,
    unexpanded: Vec<Unexpanded>,
}

/// One loop variable bound to one value.
struct Binding<'v> {
    identifier: &'v str,
    value: &'v str,
}

impl Expander<'_> {
    /// Appends `entry` to `out`, or its expansion when it is a loop.
    fn entry(&mut self, entry: Entry, depth: u32, out: &mut Vec<Entry>) {
        if !entry.key.starts_with(PREFIX) {
            out.push(entry);
            return;
        }
        let skip = |reason: &str| Unexpanded { span: entry.key_span, node: entry.value, reason: reason.to_string() };
        if depth >= MAX_NESTING {
            self.unexpanded.push(skip("it is nested deeper than the five levels CloudFormation allows"));
            return;
        }
        let Some((identifier, values, body)) = self.parse_loop(entry.value) else {
            self.unexpanded.push(skip(
                "its collection is not a list slint can evaluate (a literal list, or a parameter with a default)",
            ));
            return;
        };
        for value in &values {
            let binding = Binding { identifier: &identifier, value };
            for body_entry in self.tree.node(body).entries().to_vec() {
                if self.created > MAX_CREATED_NODES {
                    self.unexpanded.push(skip("expanding it would create more nodes than slint analyses"));
                    return;
                }
                let key = substitute(&body_entry.key, &binding);
                let value = self.copy(body_entry.value, &binding, false);
                let generated = Entry { key: Arc::from(key), key_span: body_entry.key_span, value };
                self.entry(generated, depth + 1, out);
            }
        }
    }

    /// `(identifier, collection values, fragment mapping)` of a loop value, when evaluable.
    fn parse_loop(&self, value: NodeId) -> Option<(String, Vec<String>, NodeId)> {
        let node = self.tree.node(value);
        if node.len() != 3 || !node.is_seq() {
            return None;
        }
        let identifier = node.item(0)?.as_str()?.to_string();
        let body = node.item(2).filter(|b| b.is_map())?.id;
        let values = self.collection(node.item(1)?)?;
        Some((identifier, values, body))
    }

    /// The values of a literal list, or of a `Ref` to a parameter whose default is a list or
    /// a comma-delimited string.
    fn collection(&self, node: NodeRef<'_>) -> Option<Vec<String>> {
        let list = match node.intrinsic() {
            None => node,
            Some(("Ref", target)) => {
                let name = target.as_str()?;
                let parameter = self.parameters.iter().find(|p| p.id.as_str() == name)?;
                let default = self.tree.node(parameter.default?);
                if let Some(text) = default.scalar_text() {
                    return Some(text.split(',').map(|v| v.trim().to_string()).collect());
                }
                default
            }
            Some(_) => return None,
        };
        if !list.is_seq() {
            return None;
        }
        list.items().map(|item| item.scalar_text().map(str::to_string)).collect()
    }

    /// A copy of the subtree at `id` with the binding applied; `in_sub` when inside `Fn::Sub`.
    fn copy(&mut self, id: NodeId, binding: &Binding<'_>, in_sub: bool) -> NodeId {
        self.created += 1;
        let node = self.tree.node(id);
        let span = node.span();
        if let Some(("Ref", target)) = node.intrinsic()
            && target.as_str() == Some(binding.identifier)
        {
            return self.tree.push_scalar(span, binding.value, crate::model::tree::ScalarStyle::Quoted);
        }
        match node.kind().clone() {
            NodeKind::Scalar { text, style } => {
                let text = if in_sub { substitute(&text, binding) } else { text.to_string() };
                self.tree.push_scalar(span, text, style)
            }
            NodeKind::Seq(items) => {
                let items = items.into_iter().map(|item| self.copy(item, binding, in_sub)).collect();
                self.tree.push_seq(span, items)
            }
            NodeKind::Map(entries) => {
                let entries = entries
                    .into_iter()
                    .map(|e| {
                        let is_sub = &*e.key == "Fn::Sub";
                        let value = self.copy(e.value, binding, in_sub || is_sub);
                        let key = if in_sub { e.key.clone() } else { Arc::from(substitute(&e.key, binding)) };
                        Entry { key, key_span: e.key_span, value }
                    })
                    .collect();
                self.tree.push_map(span, entries)
            }
        }
    }
}

/// `text` with `${Identifier}` replaced by the value and `&{Identifier}` by its alphanumeric
/// characters.
fn substitute(text: &str, binding: &Binding<'_>) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let alphanumeric: String = binding.value.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    text.replace(&format!("${{{}}}", binding.identifier), binding.value)
        .replace(&format!("&{{{}}}", binding.identifier), &alphanumeric)
}

#[cfg(test)]
mod tests {
    use crate::files::FileId;
    use crate::model::load::{Format, load};
    use crate::model::template::{Modelled, Template};
    use crate::model::tree::Limits;

    fn build(text: &str) -> Template {
        let tree = load(text, Format::Yaml, Limits::default()).unwrap();
        match Template::build(FileId(0), tree) {
            Modelled::Template(t, errors) => {
                assert!(errors.is_empty(), "{errors:?}");
                *t
            }
            _ => panic!("not a template"),
        }
    }

    const HEADER: &str =
        "Transform: AWS::LanguageExtensions\nParameters:\n  Names: {Type: CommaDelimitedList, Default: \"a-1,b\"}\n";

    #[test]
    fn expands_a_literal_list_with_spans_on_the_body() {
        let text = format!(
            "{HEADER}Resources:\n  Fn::ForEach::Queues:\n    - Name\n    - [Orders, Refunds]\n    - Q${{Name}}:\n        Type: AWS::SQS::Queue\n        Properties: {{QueueName: !Sub '${{Name}}-q', Tag: !Ref Name}}\n"
        );
        let t = build(&text);
        let ids: Vec<&str> = t.resources.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["QOrders", "QRefunds"]);
        let body_key = text.find("Q${Name}").unwrap();
        assert_eq!(t.resources[0].id_span.start as usize, body_key);
        let props = t.properties(&t.resources[1]).unwrap();
        assert_eq!(props.get("QueueName").unwrap().get("Fn::Sub").unwrap().as_str(), Some("Refunds-q"));
        assert_eq!(props.get("Tag").unwrap().as_str(), Some("Refunds"));
        assert!(t.unexpanded.is_empty());
    }

    #[test]
    fn expands_a_parameter_default_and_the_alphanumeric_form() {
        let text = format!(
            "{HEADER}Resources:\n  Fn::ForEach::Topics:\n    - N\n    - !Ref Names\n    - T&{{N}}: {{Type: AWS::SNS::Topic}}\n  Plain: {{Type: AWS::SNS::Topic}}\n"
        );
        let ids: Vec<String> = build(&text).resources.iter().map(|r| r.id.0.clone()).collect();
        assert_eq!(ids, ["Ta1", "Tb", "Plain"]);
    }

    #[test]
    fn an_unevaluable_collection_is_skipped_not_an_error() {
        let text = format!(
            "{HEADER}Resources:\n  Fn::ForEach::Buckets:\n    - Id\n    - !FindInMap [Buckets, !Ref Env, Ids]\n    - B${{Id}}: {{Type: AWS::S3::Bucket}}\n  Plain: {{Type: AWS::SNS::Topic}}\n"
        );
        let t = build(&text);
        assert_eq!(t.resources.len(), 1);
        assert_eq!(t.unexpanded.len(), 1);
        assert_eq!(t.unexpanded[0].span.start as usize, text.find("Fn::ForEach::Buckets").unwrap());
    }

    #[test]
    fn nested_loops_expand() {
        let text = format!(
            "{HEADER}Resources:\n  Fn::ForEach::Outer:\n    - A\n    - [x, y]\n    - Fn::ForEach::Inner:\n        - B\n        - [\"1\", \"2\"]\n        - R${{A}}${{B}}: {{Type: AWS::SNS::Topic}}\n"
        );
        let ids: Vec<String> = build(&text).resources.iter().map(|r| r.id.0.clone()).collect();
        assert_eq!(ids, ["Rx1", "Rx2", "Ry1", "Ry2"]);
    }

    #[test]
    fn a_loop_bomb_is_bounded() {
        // Five nested loops over 30 values: 24 million resources if expanded in full.
        let values = format!("[{}]", (0..30).map(|i| format!("v{i}")).collect::<Vec<_>>().join(", "));
        let mut body = "{\"R${I0}${I1}${I2}${I3}${I4}\": {Type: AWS::SNS::Topic}}".to_string();
        for depth in (0..5).rev() {
            body = format!("{{Fn::ForEach::L{depth}: [I{depth}, {values}, {body}]}}");
        }
        let text = format!("Transform: AWS::LanguageExtensions\nResources: {body}\n");
        let start = std::time::Instant::now();
        let tree = load(&text, Format::Yaml, Limits::default()).unwrap();
        let Modelled::Broken(_, errors) = Template::build(FileId(0), tree) else { panic!("modelled") };
        assert!(errors[0].message.contains("more than the 2000 slint analyses"), "{}", errors[0].message);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}
