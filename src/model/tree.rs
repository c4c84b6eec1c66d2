//! The span-preserving document tree that YAML and JSON templates both load into.
//!
//! Nodes live in one arena and refer to each other by [`NodeId`]. A YAML alias is the *same*
//! node id as its anchor, never a copy, so an alias bomb costs memory linear in the text. Each
//! node records its first parent, which gives every node a [`TemplatePath`] without storing one.

use std::fmt;
use std::sync::Arc;

pub use crate::diagnostic::{Segment, TemplatePath};
use crate::span::Span;

/// Index of a node in its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// How a scalar was written. Quoted scalars are always strings; plain ones are typed by
/// their text (`30` is a number, `true` a boolean, `~` null).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    Quoted,
}

/// A key of a mapping with its position.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Shared, not owned: `<<` merges and SAM `Globals` copy entries into other mappings, and
    /// a copied 1 MB key must not be a copied megabyte.
    pub key: Arc<str>,
    pub key_span: Span,
    pub value: NodeId,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Scalar { text: Box<str>, style: ScalarStyle },
    Seq(Vec<NodeId>),
    Map(Vec<Entry>),
}

/// Where a node hangs in the tree: its parent and its slot there (entry or item index).
#[derive(Clone, Copy, Debug)]
pub struct Parent {
    pub node: NodeId,
    pub slot: u32,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
    pub parent: Option<Parent>,
    /// Number of nodes this node stands for once aliases are expanded (saturating).
    pub weight: u32,
    /// Nesting depth once aliases are expanded (a scalar is 1).
    pub depth: u32,
}

/// A mapping key that appears twice in one mapping.
#[derive(Clone, Debug)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub second: Span,
}

/// Resource limits for building a tree; exceeding one is a load error, not a crash.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting accepted, counted with aliases expanded.
    pub max_depth: u32,
    /// Most nodes accepted once aliases are expanded (what a consumer walking the tree sees).
    pub max_expanded_nodes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        // Real templates nest below 40 levels and stay under 100k nodes (CloudFormation takes
        // at most 1 MB of template, about 500k nodes at the very densest). A node costs about
        // 200 bytes at the peak of loading, so a million keeps one hostile file near 200 MB;
        // the depth bounds every recursive walk.
        Limits { max_depth: 256, max_expanded_nodes: 1_000_000 }
    }
}

/// Duplicate keys recorded per document (each is an SL002 finding); past this a file full of
/// repeated keys would cost a finding per line.
pub const MAX_DUPLICATES: usize = 1_000;

/// A loaded document: nodes, root, and what the loader noticed on the way.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    root: Option<NodeId>,
    pub duplicates: Vec<DuplicateKey>,
}

impl Tree {
    pub fn new() -> Self {
        Tree::default()
    }

    pub fn root(&self) -> Option<NodeRef<'_>> {
        self.root.map(|id| self.node(id))
    }

    pub fn set_root(&mut self, id: NodeId) {
        self.root = Some(id);
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { tree: self, id }
    }

    pub fn raw(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The span of every node, in no particular order.
    pub fn node_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.nodes.iter().map(|node| node.span)
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Adds a scalar node.
    pub fn push_scalar(&mut self, span: Span, text: impl Into<Box<str>>, style: ScalarStyle) -> NodeId {
        self.push(Node { span, kind: NodeKind::Scalar { text: text.into(), style }, parent: None, weight: 1, depth: 1 })
    }

    /// Adds a sequence whose items are already in the tree; items without a parent get this one.
    pub fn push_seq(&mut self, span: Span, items: Vec<NodeId>) -> NodeId {
        let (weight, depth) = self.measure(items.iter().copied());
        let id = self.next_id();
        for (slot, &item) in items.iter().enumerate() {
            self.adopt(item, id, slot);
        }
        self.push(Node { span, kind: NodeKind::Seq(items), parent: None, weight, depth })
    }

    /// Adds a mapping whose values are already in the tree; values without a parent get this one.
    pub fn push_map(&mut self, span: Span, entries: Vec<Entry>) -> NodeId {
        let (weight, depth) = self.measure(entries.iter().map(|e| e.value));
        let id = self.next_id();
        for (slot, entry) in entries.iter().enumerate() {
            self.adopt(entry.value, id, slot);
        }
        self.push(Node { span, kind: NodeKind::Map(entries), parent: None, weight, depth })
    }

    /// Sets a node's parent when it has none yet (a shared node keeps its first parent).
    pub fn adopt(&mut self, child: NodeId, parent: NodeId, slot: usize) {
        let node = &mut self.nodes[child.0 as usize];
        if node.parent.is_none() && child != parent {
            node.parent = Some(Parent { node: parent, slot: u32::try_from(slot).unwrap_or(u32::MAX) });
        }
    }

    /// Gives `node` a parent after the fact (used for synthetic nodes made by the model).
    pub fn set_parent(&mut self, node: NodeId, parent: Parent) {
        self.nodes[node.0 as usize].parent = Some(parent);
    }

    /// Rewrites every span (nodes, mapping keys, duplicate records). For a loader that had to
    /// parse an adjusted copy of the text and maps positions back to the original.
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for node in &mut self.nodes {
            node.span = f(node.span);
            if let NodeKind::Map(entries) = &mut node.kind {
                for entry in entries {
                    entry.key_span = f(entry.key_span);
                }
            }
        }
        for duplicate in &mut self.duplicates {
            duplicate.first = f(duplicate.first);
            duplicate.second = f(duplicate.second);
        }
    }

    fn next_id(&self) -> NodeId {
        NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX))
    }

    fn push(&mut self, node: Node) -> NodeId {
        let id = self.next_id();
        self.nodes.push(node);
        id
    }

    fn measure(&self, children: impl Iterator<Item = NodeId>) -> (u32, u32) {
        let mut weight: u32 = 1;
        let mut depth: u32 = 0;
        for child in children {
            let node = self.raw(child);
            weight = weight.saturating_add(node.weight);
            depth = depth.max(node.depth);
        }
        (weight, depth.saturating_add(1))
    }

    /// The path from the root to `id`, following first parents.
    pub fn path(&self, id: NodeId) -> TemplatePath {
        let mut segments = Vec::new();
        let mut current = id;
        // A parent is always pushed after its children, so the chain is acyclic; the bound
        // only guards against a malformed tree.
        for _ in 0..=self.nodes.len() {
            let Some(parent) = self.raw(current).parent else { break };
            let segment = match &self.raw(parent.node).kind {
                NodeKind::Map(entries) => entries
                    .get(parent.slot as usize)
                    .map(|e| Segment::Key(e.key.to_string()))
                    .unwrap_or(Segment::Index(parent.slot as usize)),
                _ => Segment::Index(parent.slot as usize),
            };
            segments.push(segment);
            current = parent.node;
        }
        segments.reverse();
        TemplatePath(segments)
    }

    /// The node at `path` from the root, if every step exists.
    pub fn lookup(&self, path: &TemplatePath) -> Option<NodeRef<'_>> {
        let mut node = self.root()?;
        for segment in &path.0 {
            node = match segment {
                Segment::Key(k) => node.get(k)?,
                Segment::Index(i) => node.item(*i)?,
            };
        }
        Some(node)
    }
}

/// A borrowed view of one node, with the queries rules use.
#[derive(Clone, Copy)]
pub struct NodeRef<'t> {
    pub tree: &'t Tree,
    pub id: NodeId,
}

impl fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeRef({:?} at {:?})", self.id, self.span())
    }
}

/// A scalar read with YAML 1.1/CloudFormation typing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarValue<'t> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'t str),
}

impl<'t> NodeRef<'t> {
    pub fn raw(self) -> &'t Node {
        self.tree.raw(self.id)
    }

    pub fn kind(self) -> &'t NodeKind {
        &self.raw().kind
    }

    pub fn span(self) -> Span {
        self.raw().span
    }

    pub fn path(self) -> TemplatePath {
        self.tree.path(self.id)
    }

    pub fn is_map(self) -> bool {
        matches!(self.kind(), NodeKind::Map(_))
    }

    pub fn is_seq(self) -> bool {
        matches!(self.kind(), NodeKind::Seq(_))
    }

    pub fn is_scalar(self) -> bool {
        matches!(self.kind(), NodeKind::Scalar { .. })
    }

    /// The entries of a mapping (empty for other nodes).
    pub fn entries(self) -> &'t [Entry] {
        match self.kind() {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// `(key, key span, value)` of each entry of a mapping.
    pub fn map_iter(self) -> impl Iterator<Item = (&'t str, Span, NodeRef<'t>)> + 't {
        let tree = self.tree;
        self.entries().iter().map(move |e| (&*e.key, e.key_span, tree.node(e.value)))
    }

    /// The items of a sequence (empty for other nodes).
    pub fn items(self) -> impl Iterator<Item = NodeRef<'t>> + 't {
        let tree = self.tree;
        let items: &'t [NodeId] = match self.kind() {
            NodeKind::Seq(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| tree.node(id))
    }

    pub fn item(self, index: usize) -> Option<NodeRef<'t>> {
        match self.kind() {
            NodeKind::Seq(items) => items.get(index).map(|&id| self.tree.node(id)),
            _ => None,
        }
    }

    pub fn len(self) -> usize {
        match self.kind() {
            NodeKind::Seq(items) => items.len(),
            NodeKind::Map(entries) => entries.len(),
            NodeKind::Scalar { .. } => 0,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The value under `key` in a mapping.
    pub fn get(self, key: &str) -> Option<NodeRef<'t>> {
        self.entry(key).map(|e| self.tree.node(e.value))
    }

    /// The entry under `key`, to point at the key rather than the value.
    pub fn entry(self, key: &str) -> Option<&'t Entry> {
        self.entries().iter().find(|e| &*e.key == key)
    }

    /// Follows a chain of keys: `node.at(&["Properties", "Timeout"])`.
    pub fn at(self, keys: &[&str]) -> Option<NodeRef<'t>> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The raw text of a scalar.
    pub fn scalar_text(self) -> Option<&'t str> {
        match self.kind() {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The scalar typed as CloudFormation reads it.
    pub fn scalar(self) -> Option<ScalarValue<'t>> {
        match self.kind() {
            NodeKind::Scalar { text, style: ScalarStyle::Quoted } => Some(ScalarValue::Str(text)),
            NodeKind::Scalar { text, style: ScalarStyle::Plain } => Some(type_plain_scalar(text)),
            _ => None,
        }
    }

    /// A string, or the text of a number/boolean (CloudFormation converts scalars freely).
    pub fn as_str(self) -> Option<&'t str> {
        match self.scalar()? {
            ScalarValue::Null => None,
            _ => self.scalar_text(),
        }
    }

    /// An integer, from a number or a numeric string (`Timeout: "30"` is valid CloudFormation).
    pub fn as_i64(self) -> Option<i64> {
        match self.scalar()? {
            ScalarValue::Int(n) => Some(n),
            ScalarValue::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            ScalarValue::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_f64(self) -> Option<f64> {
        match self.scalar()? {
            ScalarValue::Int(n) => Some(n as f64),
            ScalarValue::Float(f) => Some(f),
            ScalarValue::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A boolean, from `true`/`false` (any case, YAML 1.1 `yes`/`no`/`on`/`off` too) or the
    /// strings CloudFormation accepts.
    pub fn as_bool(self) -> Option<bool> {
        match self.scalar()? {
            ScalarValue::Bool(b) => Some(b),
            ScalarValue::Str(s) => parse_bool(s),
            _ => None,
        }
    }

    pub fn is_null(self) -> bool {
        matches!(self.scalar(), Some(ScalarValue::Null))
    }

    /// `Some(("Ref", arg))` or `Some(("Fn::GetAtt", arg))` when the node is an intrinsic
    /// function call: a one-entry mapping whose key is `Ref`, `Condition` or `Fn::*`.
    pub fn intrinsic(self) -> Option<(&'t str, NodeRef<'t>)> {
        match self.entries() {
            [only] if is_intrinsic_name(&only.key) => Some((&only.key, self.tree.node(only.value))),
            _ => None,
        }
    }
}

/// Whether a mapping key names an intrinsic function.
pub fn is_intrinsic_name(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// Types a plain scalar the way CloudFormation's YAML 1.1 reader does.
pub fn type_plain_scalar(text: &str) -> ScalarValue<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
        _ => {}
    }
    if let Some(b) = parse_bool(text) {
        return ScalarValue::Bool(b);
    }
    let first = text.as_bytes()[0];
    if first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.') {
        let digits = text.strip_prefix('+').unwrap_or(text);
        if let Ok(n) = digits.parse::<i64>() {
            return ScalarValue::Int(n);
        }
        if let Some(hex) = digits.strip_prefix("0x") {
            if let Ok(n) = i64::from_str_radix(hex, 16) {
                return ScalarValue::Int(n);
            }
        }
        if let Some(oct) = digits.strip_prefix("0o") {
            if let Ok(n) = i64::from_str_radix(oct, 8) {
                return ScalarValue::Int(n);
            }
        }
        let is_float_syntax = digits.bytes().any(|b| b.is_ascii_digit())
            && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
        if is_float_syntax {
            if let Ok(f) = digits.parse::<f64>() {
                return ScalarValue::Float(f);
            }
        }
    }
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" => ScalarValue::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => ScalarValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => ScalarValue::Float(f64::NAN),
        _ => ScalarValue::Str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Tree {
        // { Resources: { Fn: { Properties: { Timeout: 30 } } }, List: [a, *shared] }
        let mut t = Tree::new();
        let timeout = t.push_scalar(Span::new(40, 42), "30", ScalarStyle::Plain);
        let props = t.push_map(Span::new(30, 42), vec![entry("Timeout", 31, timeout)]);
        let func = t.push_map(Span::new(20, 42), vec![entry("Properties", 21, props)]);
        let resources = t.push_map(Span::new(10, 42), vec![entry("Fn", 11, func)]);
        let a = t.push_scalar(Span::new(50, 51), "a", ScalarStyle::Plain);
        let list = t.push_seq(Span::new(49, 60), vec![a, timeout]);
        let root = t.push_map(Span::new(0, 60), vec![entry("Resources", 0, resources), entry("List", 45, list)]);
        t.set_root(root);
        t
    }

    fn entry(key: &str, at: u32, value: NodeId) -> Entry {
        Entry { key: key.into(), key_span: Span::new(at, at + key.len() as u32), value }
    }

    #[test]
    fn paths_follow_first_parents() {
        let t = sample();
        let timeout = t.root().unwrap().at(&["Resources", "Fn", "Properties", "Timeout"]).unwrap();
        assert_eq!(timeout.path().to_string(), "Resources/Fn/Properties/Timeout");
        assert_eq!(timeout.path().resource(), Some("Fn"));
        // Shared through the list, the node keeps its first home.
        let shared = t.root().unwrap().get("List").unwrap().item(1).unwrap();
        assert_eq!(shared.id, timeout.id);
        assert_eq!(shared.path().to_string(), "Resources/Fn/Properties/Timeout");
    }

    #[test]
    fn lookup_inverts_path() {
        let t = sample();
        let path = TemplatePath::parse("/Resources/Fn/Properties/Timeout");
        assert_eq!(t.lookup(&path).unwrap().as_i64(), Some(30));
        assert_eq!(t.lookup(&TemplatePath::parse("List/0")).unwrap().as_str(), Some("a"));
    }

    #[test]
    fn weights_count_shared_nodes_as_expanded() {
        let t = sample();
        assert_eq!(t.root().unwrap().raw().weight, 8);
        assert_eq!(t.root().unwrap().raw().depth, 5);
    }

    #[test]
    fn plain_scalars_are_typed_like_cloudformation() {
        assert_eq!(type_plain_scalar("30"), ScalarValue::Int(30));
        assert_eq!(type_plain_scalar("yes"), ScalarValue::Bool(true));
        assert_eq!(type_plain_scalar("~"), ScalarValue::Null);
        assert_eq!(type_plain_scalar("1.5"), ScalarValue::Float(1.5));
        assert_eq!(type_plain_scalar("2012-10-17"), ScalarValue::Str("2012-10-17"));
        assert_eq!(type_plain_scalar("1e3"), ScalarValue::Float(1000.0));
        assert_eq!(type_plain_scalar("-"), ScalarValue::Str("-"));
    }
}
