//! YAML templates → [`Tree`], built from saphyr-parser's event stream.
//!
//! The builder pulls events with `Parser::next_event` and keeps its own stack of open
//! collections: saphyr's `Parser::load` recurses once per nesting level, this does not, and it
//! stops as soon as the stack passes `Limits::max_depth`. (saphyr's scanner itself caps flow
//! nesting at 255 levels — its flow level is a `u8` — and reports "recursion limit exceeded".)
//!
//! CloudFormation semantics applied on the way:
//! * short-form tags become the long form: `!Ref X` → `{Ref: X}`, `!If [...]` → `{Fn::If: [...]}`;
//! * an alias is the same node as its anchor (never a copy), and the weight the tree records for
//!   every node makes alias bombs cheap to detect;
//! * `<<` merge keys are expanded; duplicate keys are recorded, and the last value wins.
//!
//! Only the first document of a multi-document stream is read: CloudFormation takes one
//! document per file, so a later `---` section (and any syntax error in it) is ignored.
//!
//! This file is the builder; `spans` corrects the positions saphyr gets wrong, and `repair`
//! re-parses the under-indented flow content that PyYAML (and so CloudFormation) accepts.

use std::borrow::Cow;
use std::collections::HashSet;

use saphyr_parser::{Event, Parser, ScalarStyle as YamlStyle, ScanError, Span as YamlSpan, Tag};

use crate::model::load::{Budget, LoadError, MapEntries};
use crate::model::tree::{Entry, Limits, NodeId, NodeKind, Parent, ScalarStyle, Tree};
use crate::span::Span;

mod repair;
mod spans;
#[cfg(test)]
mod tests;

use repair::{Repair, construct_end, load_under_indented};
use spans::{
    CharOffsets, block_scalar_header, column_of, describe_scan_error, indentless_sequence_start, offending_tab,
    properties, scalar_end, skip_separation, without_phantom_line_break,
};

pub(crate) fn load(text: &str, limits: Limits) -> Result<Tree, LoadError> {
    match build(text, limits) {
        Ok(tree) => Ok(tree),
        Err(Failure { repair: None, error }) => Err(error),
        Err(failure) => load_under_indented(text, limits, failure),
    }
}

/// Why a build failed; for content indented less than YAML 1.2 requires, what to re-indent.
struct Failure {
    error: LoadError,
    repair: Option<Repair>,
}

impl From<LoadError> for Failure {
    fn from(error: LoadError) -> Self {
        Failure { error, repair: None }
    }
}

fn build(text: &str, limits: Limits) -> Result<Tree, Failure> {
    let mut builder = Builder::new(text, limits);
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| builder.scan_failure(&e))?;
        match event {
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
            Event::Scalar(value, style, anchor, tag) => builder.scalar(value, style, anchor, tag.as_deref(), span)?,
            Event::SequenceStart(anchor, tag) => builder.open(Collection::Seq, anchor, tag.as_deref(), span)?,
            Event::MappingStart(anchor, tag) => builder.open(Collection::Map, anchor, tag.as_deref(), span)?,
            Event::SequenceEnd | Event::MappingEnd => builder.close(span)?,
            Event::Alias(id) => builder.alias(id, span)?,
        }
    }
    Ok(builder.finish())
}

/// What a tag means to CloudFormation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TagMeaning {
    /// A short-form intrinsic function; the key of its long form.
    ShortForm(&'static str),
    /// `!!str`: the scalar is a string whatever it looks like.
    Str,
    /// Any other tag (`!!int`, unknown local tags): the value is kept, the tag dropped.
    Ignored,
}

fn tag_meaning(tag: Option<&Tag>) -> TagMeaning {
    match tag {
        Some(tag) if tag.handle == "!" => {
            short_form_key(&tag.suffix).map_or(TagMeaning::Ignored, TagMeaning::ShortForm)
        }
        Some(tag) if tag.is_yaml_core_schema() && tag.suffix == "str" => TagMeaning::Str,
        _ => TagMeaning::Ignored,
    }
}

/// The long-form key of a CloudFormation short-form tag (`GetAtt` → `Fn::GetAtt`).
fn short_form_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "If" => "Fn::If",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ForEach" => "Fn::ForEach",
        _ => return None,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Collection {
    Seq,
    Map,
}

/// What an anchor id stands for so far.
#[derive(Clone, Copy, Debug)]
enum Anchor {
    Unset,
    /// The anchored collection is still open: an alias to it would be recursive.
    Open,
    Done(NodeId),
}

/// A short form to wrap a node in once it is complete: `!If [...]` → `{Fn::If: [...]}`.
#[derive(Clone, Copy, Debug)]
struct Wrapper {
    key: &'static str,
    tag_span: Span,
}

/// A mapping key read, waiting for its value.
struct PendingKey {
    text: Box<str>,
    span: Span,
    /// A plain `<<`: its value is merged, not stored.
    is_merge: bool,
    /// Every node created from here on belongs to the key's value.
    first_value_node: u32,
}

/// The mappings a `<<` key merges in, and where it stood.
struct Merge {
    /// Number of explicit entries before the `<<`; merged entries are placed there.
    slot: usize,
    sources: Vec<NodeId>,
    first_value_node: u32,
}

#[derive(Default)]
struct MapFrame {
    entries: MapEntries,
    key: Option<PendingKey>,
    merges: Vec<Merge>,
}

enum FrameKind {
    Seq(Vec<NodeId>),
    Map(MapFrame),
}

/// A collection being read.
struct Frame {
    kind: FrameKind,
    /// Where the collection's own text starts (after any tag or anchor).
    start: u32,
    /// The furthest end of anything read inside. Block collections end there: their end event
    /// points at whatever follows, often on a later line.
    end: u32,
    anchor: usize,
    wrapper: Option<Wrapper>,
    /// Children written here (not aliased) that carry an anchor, in creation order (so sorted).
    anchored: Vec<NodeId>,
    /// A `[...]` or `{...}` collection rather than an indented one.
    flow: bool,
}

impl Frame {
    /// Nesting levels the frame adds: one, or two with a short-form wrapper around it.
    fn levels(&self) -> u32 {
        1 + u32::from(self.wrapper.is_some())
    }
}

struct Builder<'t> {
    text: &'t str,
    offsets: CharOffsets,
    tree: Tree,
    budget: Budget,
    stack: Vec<Frame>,
    /// Nesting levels of the open frames, short-form wrappers included.
    levels: u32,
    /// By saphyr's anchor id (ids count up from 1 in document order).
    anchors: Vec<Anchor>,
    root: Option<NodeId>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, limits: Limits) -> Self {
        Builder {
            text,
            offsets: CharOffsets::new(text),
            tree: Tree::new(),
            budget: Budget::new(limits),
            stack: Vec::new(),
            levels: 0,
            anchors: Vec::new(),
            root: None,
        }
    }

    fn finish(mut self) -> Tree {
        if let Some(root) = self.root {
            // An explicit but empty document (`---` alone) is as empty as an empty file.
            let empty = matches!(&self.tree.raw(root).kind,
                NodeKind::Scalar { text, style: ScalarStyle::Plain } if text.is_empty());
            if !empty {
                self.tree.set_root(root);
            }
        }
        self.tree
    }

    fn scan_failure(&self, error: &ScanError) -> Failure {
        let mut at = self.offsets.byte_offset(self.text, error.marker().index());
        if error.info().contains("tab") {
            at = offending_tab(self.text, at);
        }
        Failure {
            error: LoadError::new(Span::at(at), describe_scan_error(self.text, at, error.info())),
            repair: self.indentation_repair(error.info(), at as usize),
        }
    }

    /// How to re-indent the flow collection or quoted scalar that saphyr rejected for a
    /// continuation line indented no deeper than its block parent. YAML 1.2 forbids that, but
    /// PyYAML (so the `sam` CLI, cfn-lint and CloudFormation itself) accepts it, and real
    /// templates do it, typically a closing `]` or `}` at the key's column.
    fn indentation_repair(&self, info: &str, at: usize) -> Option<Repair> {
        let quoted = info == "invalid indentation in quoted scalar";
        let flow = matches!(info, "invalid indentation" | "invalid indentation in flow construct");
        if !quoted && !flow {
            return None;
        }
        let block = self.stack.iter().rposition(|f| !f.flow)?;
        let min_column = column_of(self.text, self.stack[block].start as usize) + 1;
        // saphyr reports a quoted scalar at its opening quote. A flow collection's own start
        // event is still held back by the scanner (it might be a key), so it starts where
        // the block parent's pending value starts, unless the parser got to it already.
        let start = if quoted {
            at
        } else {
            match self.stack.get(block + 1) {
                Some(outermost_flow) => outermost_flow.start as usize,
                None => self.pending_value_start(&self.stack[block])?,
            }
        };
        let end = construct_end(self.text, start)?;
        (start <= at && at <= end).then_some(Repair { start, end, min_column })
    }

    /// Where the next value of a block collection starts: after the pending key's `:`, or
    /// after the next `-`, and after any tag or anchor.
    fn pending_value_start(&self, frame: &Frame) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let (from, indicator) = match &frame.kind {
            FrameKind::Map(map) => (map.key.as_ref()?.span.end as usize, b':'),
            FrameKind::Seq(_) => (frame.end as usize, b'-'),
        };
        let i = skip_separation(bytes, from, bytes.len());
        if bytes.get(i) != Some(&indicator) {
            return None;
        }
        let after = skip_separation(bytes, i + 1, bytes.len());
        let (_, value_start) = properties(self.text, to_u32(after), to_u32(bytes.len()));
        Some(value_start as usize)
    }

    fn byte_span(&self, span: YamlSpan) -> (u32, u32) {
        let start = self.offsets.byte_offset(self.text, span.start.index());
        let end = self.offsets.byte_offset(self.text, span.end.index());
        (start, end.max(start))
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { kind: FrameKind::Map(map), .. }) if map.key.is_none())
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: YamlStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: YamlSpan,
    ) -> Result<(), LoadError> {
        let (start, end) = self.byte_span(span);
        let meaning = tag_meaning(tag);
        let (tag_span, mut value_start) = properties(self.text, start, end);
        let block = matches!(style, YamlStyle::Literal | YamlStyle::Folded);
        if block {
            value_start = block_scalar_header(self.text, value_start);
        }
        let value_span = Span::new(value_start, scalar_end(self.text, style, value_start, end));
        let value = if block { without_phantom_line_break(self.text, value, value_span.end) } else { value };
        let plain = matches!(style, YamlStyle::Plain) && meaning != TagMeaning::Str;
        let style = if plain { ScalarStyle::Plain } else { ScalarStyle::Quoted };

        if self.expecting_key() {
            if let TagMeaning::ShortForm(_) = meaning {
                return Err(LoadError::new(Span::new(start, value_span.end), "mapping keys must be scalars"));
            }
            if anchor > 0 {
                // Rare, but an alias may reuse an anchored key as a value later.
                let id = self.tree.push_scalar(value_span, &*value, style);
                self.define_anchor(anchor, Anchor::Done(id));
            }
            let is_merge = plain && tag.is_none() && value == "<<";
            self.set_key(value.into_owned().into_boxed_str(), value_span, is_merge);
            return Ok(());
        }

        self.budget.add_node(value_span)?;
        let mut id = self.tree.push_scalar(value_span, value.into_owned(), style);
        if let TagMeaning::ShortForm(key) = meaning {
            self.budget.add_node(value_span)?;
            id = self.wrap(id, Wrapper { key, tag_span: tag_span.unwrap_or(Span::at(start)) });
        }
        self.define_anchor(anchor, Anchor::Done(id));
        self.attach(id, self.tree.raw(id).span, anchor > 0)
    }

    fn open(&mut self, kind: Collection, anchor: usize, tag: Option<&Tag>, span: YamlSpan) -> Result<(), LoadError> {
        let (start, end) = self.byte_span(span);
        if self.expecting_key() {
            return Err(LoadError::new(Span::new(start, end), "mapping keys must be scalars"));
        }
        let (tag_span, mut value_start) = properties(self.text, start, end);
        if kind == Collection::Seq {
            value_start = indentless_sequence_start(self.text, value_start);
        }
        let wrapper = match tag_meaning(tag) {
            TagMeaning::ShortForm(key) => Some(Wrapper { key, tag_span: tag_span.unwrap_or(Span::at(start)) }),
            TagMeaning::Str | TagMeaning::Ignored => None,
        };
        let frame = Frame {
            kind: match kind {
                Collection::Seq => FrameKind::Seq(Vec::new()),
                Collection::Map => FrameKind::Map(MapFrame::default()),
            },
            start: value_start,
            end: value_start,
            anchor,
            wrapper,
            anchored: Vec::new(),
            flow: matches!(self.text.as_bytes().get(value_start as usize), Some(b'[' | b'{')),
        };
        // Checked before anything is stacked, so 100,000 nested `[` cost 257 frames at most.
        let levels = self.levels + frame.levels();
        if levels > self.budget.max_depth() {
            return Err(self.budget.too_deep(Span::new(start, end)));
        }
        for _ in 0..frame.levels() {
            self.budget.add_node(Span::new(start, end))?;
        }
        self.define_anchor(anchor, Anchor::Open);
        self.levels = levels;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, span: YamlSpan) -> Result<(), LoadError> {
        let (end_start, end_end) = self.byte_span(span);
        let Some(frame) = self.stack.pop() else {
            return Err(LoadError::at(end_start as usize, "unbalanced end of a collection"));
        };
        self.levels -= frame.levels();
        // A flow collection's end event covers its bracket; a block collection's is empty.
        let end = if end_end > end_start { end_end } else { frame.end };
        let span = Span::new(frame.start, end.max(frame.start));
        let mut id = match frame.kind {
            FrameKind::Seq(items) => self.tree.push_seq(span, items),
            FrameKind::Map(map) => self.build_map(span, map)?,
        };
        self.reclaim_anchored(id, &frame.anchored);
        if let Some(wrapper) = frame.wrapper {
            id = self.wrap(id, wrapper);
        }
        self.define_anchor(frame.anchor, Anchor::Done(id));
        self.attach(id, self.tree.raw(id).span, frame.anchor > 0)
    }

    /// Gives anchored children back to the collection they were written in. An alias inside a
    /// sibling is built first (children before parents), so the alias's parent adopted the
    /// anchored node before its real parent existed.
    fn reclaim_anchored(&mut self, parent: NodeId, anchored: &[NodeId]) {
        if anchored.is_empty() {
            return;
        }
        let children: Vec<NodeId> = match &self.tree.raw(parent).kind {
            NodeKind::Seq(items) => items.clone(),
            NodeKind::Map(entries) => entries.iter().map(|e| e.value).collect(),
            NodeKind::Scalar { .. } => return,
        };
        for (slot, child) in children.into_iter().enumerate() {
            let adopted_elsewhere = self.tree.raw(child).parent.is_some_and(|p| p.node != parent);
            if adopted_elsewhere && anchored.binary_search(&child).is_ok() {
                let slot = u32::try_from(slot).unwrap_or(u32::MAX);
                self.tree.set_parent(child, Parent { node: parent, slot });
            }
        }
    }

    fn alias(&mut self, anchor: usize, span: YamlSpan) -> Result<(), LoadError> {
        let (start, end) = self.byte_span(span);
        let site = Span::new(start, end);
        let name = self.text.get(start as usize..end as usize).unwrap_or("*");
        let node = match self.anchors.get(anchor) {
            Some(Anchor::Done(node)) => *node,
            Some(Anchor::Open) => {
                return Err(LoadError::new(
                    site,
                    format!("alias `{name}` refers to an anchor that is not complete yet (recursive alias)"),
                ));
            }
            Some(Anchor::Unset) | None => {
                return Err(LoadError::new(site, format!("unknown anchor in alias `{name}`")));
            }
        };
        if self.expecting_key() {
            let Some(text) = self.tree.node(node).scalar_text() else {
                return Err(LoadError::new(site, "mapping keys must be scalars"));
            };
            self.budget.add_copy(text.len() as u64, site)?;
            self.set_key(text.into(), site, false);
            return Ok(());
        }
        self.budget.add_alias(self.tree.raw(node).weight, site)?;
        self.attach(node, site, false)
    }

    fn define_anchor(&mut self, anchor: usize, state: Anchor) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, Anchor::Unset);
        }
        self.anchors[anchor] = state;
    }

    fn set_key(&mut self, text: Box<str>, span: Span, is_merge: bool) {
        let first_value_node = u32::try_from(self.tree.len()).unwrap_or(u32::MAX);
        if let Some(Frame { kind: FrameKind::Map(map), end, .. }) = self.stack.last_mut() {
            *end = (*end).max(span.end);
            map.key = Some(PendingKey { text, span, is_merge, first_value_node });
        }
    }

    /// Wraps a complete node in its short form's mapping; the key points at the tag.
    fn wrap(&mut self, inner: NodeId, wrapper: Wrapper) -> NodeId {
        let inner_span = self.tree.raw(inner).span;
        let span = Span::new(wrapper.tag_span.start, inner_span.end.max(wrapper.tag_span.end));
        let entry = Entry { key: wrapper.key.into(), key_span: wrapper.tag_span, value: inner };
        self.tree.push_map(span, vec![entry])
    }

    /// Hangs a complete node into the open collection (or makes it the root). `site` is where it
    /// appears in the text: the node itself, or the alias standing for it; `anchored` says the
    /// node is written here and carries an anchor.
    fn attach(&mut self, id: NodeId, site: Span, anchored: bool) -> Result<(), LoadError> {
        self.budget.check_depth(self.levels, self.tree.raw(id).depth, site)?;
        let Some(frame) = self.stack.last_mut() else {
            self.root.get_or_insert(id);
            return Ok(());
        };
        frame.end = frame.end.max(site.end);
        if anchored {
            frame.anchored.push(id);
        }
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(id),
            FrameKind::Map(map) => {
                let Some(key) = map.key.take() else {
                    return Err(LoadError::new(site, "a mapping value without a key"));
                };
                if key.is_merge {
                    let sources = merge_sources(&self.tree, id).ok_or_else(|| {
                        LoadError::new(site, "the value of a merge key `<<` must be a mapping or a list of mappings")
                    })?;
                    map.merges.push(Merge { slot: map.entries.len(), sources, first_value_node: key.first_value_node });
                } else {
                    map.entries.insert(key.text, key.span, id, &mut self.tree.duplicates);
                }
            }
        }
        Ok(())
    }

    /// Builds a mapping, expanding its `<<` merge keys: explicit keys win over merged ones, and
    /// earlier merged mappings over later ones. Merged entries share the source's value nodes.
    fn build_map(&mut self, span: Span, map: MapFrame) -> Result<NodeId, LoadError> {
        if map.merges.is_empty() {
            return Ok(self.tree.push_map(span, map.entries.into_entries()));
        }
        // Merging hashes every key of every source again.
        let sources = map.merges.iter().flat_map(|m| m.sources.iter());
        let key_bytes: u64 = sources.flat_map(|&s| self.tree.node(s).entries()).map(|e| e.key.len() as u64).sum();
        self.budget.add_copy(key_bytes, span)?;
        let (entries, inline) = merge_entries(&self.tree, map);
        let id = self.tree.push_map(span, entries);
        // A mapping written inline under `<<` has no home of its own in the document, so its
        // values' first parent becomes the mapping they were merged into.
        for (slot, first_value_node) in inline {
            let Some(value) = self.tree.node(id).entries().get(slot).map(|e| e.value) else {
                continue;
            };
            let parent = self.tree.raw(value).parent;
            if parent.is_some_and(|p| p.node.0 >= first_value_node && p.node != id) {
                self.tree.set_parent(value, Parent { node: id, slot: u32::try_from(slot).unwrap_or(u32::MAX) });
            }
        }
        Ok(id)
    }
}

/// The mappings a `<<` value stands for: a mapping, or a list of mappings.
fn merge_sources(tree: &Tree, value: NodeId) -> Option<Vec<NodeId>> {
    let node = tree.node(value);
    if node.is_map() {
        return Some(vec![value]);
    }
    if !node.is_seq() {
        return None;
    }
    node.items().map(|item| item.is_map().then_some(item.id)).collect()
}

/// The entries of a mapping with its merges applied, each merged run at the position of its
/// `<<` key; also the slots of merged entries written inline under `<<`, with the first node id
/// of that `<<` value.
fn merge_entries(tree: &Tree, map: MapFrame) -> (Vec<Entry>, Vec<(usize, u32)>) {
    let MapFrame { entries: explicit, merges, .. } = map;
    let mut merged: Vec<(usize, Entry, u32)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for merge in &merges {
        for &source in &merge.sources {
            for entry in tree.node(source).entries() {
                if explicit.find(&entry.key).is_none() && seen.insert(&entry.key) {
                    merged.push((merge.slot, entry.clone(), merge.first_value_node));
                }
            }
        }
    }
    let explicit = explicit.into_entries();
    let mut out = Vec::with_capacity(explicit.len() + merged.len());
    let mut inline = Vec::new();
    let mut merged = merged.into_iter().peekable();
    let mut take_merged_up_to = |slot: usize, out: &mut Vec<Entry>| {
        while let Some((_, entry, first_value_node)) = merged.next_if(|(s, ..)| *s <= slot) {
            if entry.value.0 >= first_value_node {
                inline.push((out.len(), first_value_node));
            }
            out.push(entry);
        }
    };
    let count = explicit.len();
    for (i, entry) in explicit.into_iter().enumerate() {
        take_merged_up_to(i, &mut out);
        out.push(entry);
    }
    take_merged_up_to(count, &mut out);
    (out, inline)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
