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

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle as YamlStyle, ScanError, Span as YamlSpan, Tag};

use crate::model::load::{Budget, LoadError, MapEntries};
use crate::model::tree::{Entry, Limits, NodeId, NodeKind, Parent, ScalarStyle, Tree};
use crate::span::Span;

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

/// Where a node's own text starts after its properties (`!Tag`, `&anchor`, in any order), and
/// the span of its tag. saphyr starts a node's span at its first property.
fn properties(text: &str, start: u32, limit: u32) -> (Option<Span>, u32) {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let mut i = start as usize;
    let mut tag = None;
    while i < limit {
        match bytes[i] {
            b'!' => {
                let end = property_end(bytes, i, limit);
                tag = Some(Span::from_range(i..end));
                i = end;
            }
            b'&' => i = property_end(bytes, i, limit),
            _ => break,
        }
        i = skip_separation(bytes, i, limit);
    }
    (tag, to_u32(i.min(limit)))
}

fn property_end(bytes: &[u8], start: usize, limit: usize) -> usize {
    if bytes[start..limit].starts_with(b"!<") {
        // A verbatim tag, `!<tag:yaml.org,2002:str>`, may hold any character up to `>`.
        return bytes[start..limit].iter().position(|&b| b == b'>').map_or(limit, |p| start + p + 1);
    }
    let rest = &bytes[start + 1..limit];
    let len = rest.iter().position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'));
    len.map_or(limit, |len| start + 1 + len)
}

/// Skips blanks, line breaks and comments.
fn skip_separation(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    loop {
        while i < limit && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i < limit && bytes[i] == b'#' {
            while i < limit && bytes[i] != b'\n' {
                i += 1;
            }
        } else {
            return i;
        }
    }
}

/// The `-` of an indentless sequence (`Key:` then `- item` at the key's column), whose start
/// event saphyr places at the first item's content instead.
fn indentless_sequence_start(text: &str, start: u32) -> u32 {
    let bytes = text.as_bytes();
    let start = start as usize;
    if matches!(bytes.get(start), Some(b'-' | b'[')) {
        return to_u32(start);
    }
    let before = &bytes[..start.min(bytes.len())];
    let blanks = before.iter().rev().take_while(|&&b| matches!(b, b' ' | b'\t')).count();
    match before.len().checked_sub(blanks + 1) {
        Some(dash) if blanks > 0 && before[dash] == b'-' => to_u32(dash),
        _ => to_u32(start),
    }
}

/// Where a scalar's text really ends. saphyr's end marker runs on past a quoted scalar over
/// trailing blanks and a comment, and past a block scalar over the following indentation.
fn scalar_end(text: &str, style: YamlStyle, start: u32, end: u32) -> u32 {
    let bytes = text.as_bytes();
    let (start, end) = (start as usize, (end as usize).min(bytes.len()));
    if start >= end {
        return to_u32(start.min(bytes.len()));
    }
    let quoted_end = match style {
        YamlStyle::SingleQuoted => single_quoted_end(&bytes[start..end]),
        YamlStyle::DoubleQuoted => double_quoted_end(&bytes[start..end]),
        _ => None,
    };
    if let Some(len) = quoted_end {
        return to_u32(start + len);
    }
    let trimmed = bytes[start..end].iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    to_u32(trimmed.map_or(start, |p| start + p + 1))
}

/// Length of a `'...'` scalar at the start of `bytes` (`''` is an escaped quote).
fn single_quoted_end(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// Length of a `"..."` scalar at the start of `bytes`.
fn double_quoted_end(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The start of a block scalar's header (`|`, `>-`, ...). saphyr starts an untagged block
/// scalar's span at its first content line; the header is on the last non-blank line before.
fn block_scalar_header(text: &str, content_start: u32) -> u32 {
    let bytes = text.as_bytes();
    let content_start = (content_start as usize).min(bytes.len());
    if matches!(bytes.get(content_start), Some(b'|' | b'>')) {
        return to_u32(content_start);
    }
    let before = &bytes[..content_start];
    let Some(header_end) = before.iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')) else {
        return to_u32(content_start);
    };
    let line_start = before[..header_end].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line = &bytes[line_start..=header_end];
    // The indicator is the first `|` or `>` after a blank (or at the line start) that only
    // indentation/chomping indicators, blanks and a comment follow.
    (0..line.len())
        .find(|&i| {
            matches!(line[i], b'|' | b'>')
                && (i == 0 || matches!(line[i - 1], b' ' | b'\t'))
                && is_block_header_rest(&line[i + 1..])
        })
        .map_or(to_u32(content_start), |i| to_u32(line_start + i))
}

/// saphyr ends a block scalar with a line break even when the file ends on its last line
/// without one; YAML (and PyYAML, so CloudFormation tooling) keeps only a break that is there.
fn without_phantom_line_break<'v>(text: &str, value: Cow<'v, str>, content_end: u32) -> Cow<'v, str> {
    let ends_file_without_break = !text.get(content_end as usize..).unwrap_or("").contains('\n');
    match value {
        Cow::Borrowed(v) if ends_file_without_break => Cow::Borrowed(v.strip_suffix('\n').unwrap_or(v)),
        Cow::Owned(mut v) if ends_file_without_break && v.ends_with('\n') => {
            v.pop();
            Cow::Owned(v)
        }
        other => other,
    }
}

fn is_block_header_rest(rest: &[u8]) -> bool {
    let indicators = rest.iter().take_while(|b| matches!(b, b'0'..=b'9' | b'+' | b'-')).count();
    let rest = &rest[indicators..];
    let blanks = rest.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let rest = &rest[blanks..];
    rest.is_empty() || (blanks > 0 && rest[0] == b'#')
}

/// saphyr's own message, reworded where it is unclear.
fn describe_scan_error(text: &str, at: u32, info: &str) -> String {
    match info {
        "tabs disallowed within this context (block indentation)" | "tab cannot be used as indentation" => {
            "found a tab character where indentation is expected".to_string()
        }
        "recursion limit exceeded" => "flow collections (`[`, `{`) nested deeper than 255 levels".to_string(),
        "simple key expect ':'" => "expected `:` after a mapping key".to_string(),
        "unexpected eof" => "unexpected end of file".to_string(),
        "while parsing node, found unknown anchor" => {
            let rest = text.get(at as usize..).unwrap_or("");
            let len = rest.find(|c: char| c.is_whitespace() || ",[]{}".contains(c)).unwrap_or(rest.len());
            format!("unknown anchor in alias `{}`", &rest[..len])
        }
        other => other.to_string(),
    }
}

/// saphyr reports a tab in indentation after the blanks; point at the tab itself.
fn offending_tab(text: &str, at: u32) -> u32 {
    let bytes = text.as_bytes();
    let at = (at as usize).min(bytes.len());
    let blanks_start = bytes[..at].iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(0, |p| p + 1);
    let tab = bytes[blanks_start..at].iter().position(|&b| b == b'\t');
    tab.map_or(to_u32(at), |p| to_u32(blanks_start + p))
}

// --- Under-indented flow content ---------------------------------------------------------
//
// saphyr follows YAML 1.2: inside a block collection, every line of a flow collection or a
// multi-line quoted scalar must be indented deeper than the collection. PyYAML, and with it
// the `sam` CLI, cfn-lint and CloudFormation, does not check this, and templates rely on it
// (a closing `]` at its key's column, a JSON policy pasted at the key's column). Indentation
// means nothing inside those constructs (continuation lines are folded, their leading blanks
// dropped), so the loader indents the offending lines of a rejected construct in a copy of
// the text, parses again, and maps every position back to the original.

/// A flow collection or quoted scalar, `[start, end)`, whose lines must reach `min_column`.
struct Repair {
    start: usize,
    end: usize,
    min_column: usize,
}

/// Each re-parse repairs at least one more construct; a file needing more is rejected with its
/// first error rather than parsed without end.
const MAX_REPAIRS: usize = 32;

/// Bytes the re-parses of one file may cover together, so that repairs cost a bounded multiple
/// of a real template's parse: 32 re-parses of a 1 MB template (CloudFormation's limit), one of
/// a 20 MB file. Without it a 20 MB file with 33 broken constructs costs 32 full parses.
const REPAIR_BUDGET_BYTES: usize = 32 << 20;

/// saphyr stops at the first rejected construct, so repairing them one by one costs a parse
/// each (four JSON policies at their key's column in one template: five parses). The first
/// re-parse therefore also re-indents every later construct that *looks* the same
/// ([`likely_repairs`]); that guess is kept only when the tree it allows puts every re-indented
/// line inside a quoted scalar or flow collection, where indentation means nothing. Otherwise
/// the repairs start over, one construct per parse.
fn load_under_indented(text: &str, limits: Limits, first: Failure) -> Result<Tree, LoadError> {
    let first_error = first.error.clone();
    let Some(repair) = first.repair else { return Err(first.error) };
    let mut parses_left = MAX_REPAIRS.min(REPAIR_BUDGET_BYTES / text.len().max(1));
    let guesses = likely_repairs(text, repair.end);
    if !guesses.is_empty() {
        let mut padding = Padding::indenting(text, std::iter::once(&repair).chain(&guesses));
        if let Ok(tree) = reparse_until_clean(text, limits, &mut padding, &mut parses_left) {
            if only_inside_flow_content(text, &tree, padding.inserts.keys().copied()) {
                return Ok(tree);
            }
        }
    }
    let mut padding = Padding::indenting(text, [&repair]);
    reparse_until_clean(text, limits, &mut padding, &mut parses_left).map_err(|error| error.unwrap_or(first_error))
}

/// Parses `text` with `padding`, adding the repair of each construct saphyr still rejects,
/// while parses are left. `Err(None)`: out of parses, or a repair that changes nothing (the
/// caller reports the first error); `Err(Some(e))`: a genuine error elsewhere.
fn reparse_until_clean(
    text: &str,
    limits: Limits,
    padding: &mut Padding,
    parses_left: &mut usize,
) -> Result<Tree, Option<LoadError>> {
    while *parses_left > 0 {
        *parses_left -= 1;
        #[cfg(test)]
        tests::REPARSES.with(|n| n.set(n.get() + 1));
        let padded = padding.apply(text);
        match build(&padded, limits) {
            Ok(mut tree) => {
                tree.map_spans(|span| padding.restore(span));
                return Ok(tree);
            }
            Err(Failure { repair: None, error }) => return Err(Some(padding.restore_error(error))),
            Err(Failure { repair: Some(repair), .. }) => {
                if !padding.indent(text, &repair) {
                    return Err(None);
                }
            }
        }
    }
    Err(None)
}

/// Quoted scalars and flow collections after `from` that saphyr would reject like the one it
/// did: one that opens a block mapping value (`Key: [`, `Key: !Sub '{`) or a sequence item
/// (`- {`) and continues on lines indented no deeper than that key or dash. Read lexically,
/// line by line (block scalars skipped), so it is a guess, checked by the caller.
fn likely_repairs(text: &str, from: usize) -> Vec<Repair> {
    let bytes = text.as_bytes();
    let line_after = |at: usize| bytes[at.min(bytes.len())..].iter().position(|&b| b == b'\n').map(|p| at + p + 1);
    let mut repairs = Vec::new();
    let mut block_scalar_parent: Option<usize> = None;
    // Looking for a construct's end may scan to the end of the text; lines opening constructs
    // that never close would make that quadratic, so the scans share a budget of twice the text.
    let mut scan_budget = 2 * bytes.len();
    let mut next = line_after(from);
    while let Some(line_start) = next.filter(|&at| at < bytes.len()) {
        let line_end = line_after(line_start).map_or(bytes.len(), |after| after - 1);
        next = line_after(line_start);
        let content = skip_blanks(bytes, line_start);
        let blank = content >= line_end || matches!(bytes[content], b'\r' | b'#');
        if let Some(parent) = block_scalar_parent {
            if blank || content - line_start > parent {
                continue;
            }
            block_scalar_parent = None;
        }
        if blank {
            continue;
        }
        let Some((value, parent)) = block_value(bytes, line_start, line_end) else { continue };
        match bytes[value] {
            b'|' | b'>' => block_scalar_parent = Some(parent),
            _ => {
                let end = construct_end(text, value);
                let scanned = end.unwrap_or(bytes.len()) - value;
                let Some(left) = scan_budget.checked_sub(scanned) else { break };
                scan_budget = left;
                if let Some(end) = end.filter(|&end| end > line_end) {
                    repairs.push(Repair { start: value, end, min_column: parent + 1 });
                    next = line_after(end - 1);
                }
            }
        }
    }
    repairs
}

/// Where the value of a block mapping entry or sequence item on this line starts (after any
/// tag or anchor), and the column of its key or dash, for a line like `  Key: !Sub '{`,
/// `- [` or `- Key: {`. None for anything else (a quoted key, a bare scalar, no value).
fn block_value(bytes: &[u8], line_start: usize, line_end: usize) -> Option<(usize, usize)> {
    let mut at = skip_blanks(bytes, line_start);
    let mut dash = None;
    while bytes.get(at) == Some(&b'-') && matches!(bytes.get(at + 1), Some(b' ' | b'\t')) {
        dash = Some(at - line_start);
        at = skip_blanks(bytes, at + 1);
    }
    if at >= line_end {
        return None;
    }
    let (value, parent) = match dash {
        Some(dash) if matches!(bytes[at], b'\'' | b'"' | b'[' | b'{' | b'|' | b'>' | b'!' | b'&') => (at, dash),
        _ => (skip_blanks(bytes, plain_key_colon(bytes, at, line_end)? + 1), at - line_start),
    };
    let value = skip_properties(bytes, value, line_end);
    (value < line_end && !matches!(bytes[value], b'\r' | b'#')).then_some((value, parent))
}

/// The `:` that ends a plain mapping key starting at `at`, on this line.
fn plain_key_colon(bytes: &[u8], at: usize, line_end: usize) -> Option<usize> {
    if matches!(
        bytes.get(at)?,
        b'\'' | b'"' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b','
    ) {
        return None;
    }
    (at..line_end)
        .find(|&i| bytes[i] == b':' && (i + 1 == line_end || matches!(bytes[i + 1], b' ' | b'\t' | b'\r')))
        .filter(|&colon| !bytes[at..colon].windows(2).any(|w| matches!(w, [b' ' | b'\t', b'#'])))
}

/// Skips a node's tag (`!Sub`) and anchor (`&name`), each followed by blanks.
fn skip_properties(bytes: &[u8], mut at: usize, line_end: usize) -> usize {
    while at < line_end && matches!(bytes[at], b'!' | b'&') {
        while at < line_end && !matches!(bytes[at], b' ' | b'\t' | b'\r') {
            at += 1;
        }
        at = skip_blanks(bytes, at);
    }
    at
}

/// Whether every one of `line_starts` lies strictly inside a quoted scalar or flow collection
/// of `tree` (a node whose text starts with a quote or bracket): re-indenting such a line
/// changes nothing, anywhere else it could change the structure.
fn only_inside_flow_content(text: &str, tree: &Tree, mut line_starts: impl Iterator<Item = usize>) -> bool {
    let bytes = text.as_bytes();
    let mut spans: Vec<(usize, usize)> = tree
        .node_spans()
        .map(|span| (span.start as usize, span.end as usize))
        .filter(|&(start, _)| matches!(bytes.get(start), Some(b'\'' | b'"' | b'[' | b'{')))
        .collect();
    spans.sort_unstable();
    let mut reach = 0;
    let furthest_end: Vec<usize> = spans
        .iter()
        .map(|&(_, end)| {
            reach = reach.max(end);
            reach
        })
        .collect();
    line_starts.all(|at| {
        let before = spans.partition_point(|&(start, _)| start < at);
        before > 0 && furthest_end[before - 1] > at
    })
}

/// Spaces inserted at line starts of the original text.
#[derive(Default)]
struct Padding {
    /// Original offset of a line start → spaces inserted there.
    inserts: BTreeMap<usize, usize>,
    /// Per insert, in order: where it starts in the padded text, its original offset, its
    /// length. Rebuilt on change, so mapping an offset back is a binary search.
    index: Vec<(usize, usize, usize)>,
}

impl Padding {
    /// Padding that re-indents `constructs`, given in original coordinates.
    fn indenting<'a>(text: &str, constructs: impl IntoIterator<Item = &'a Repair>) -> Padding {
        let mut padding = Padding::default();
        for construct in constructs {
            padding.indent_original(text, construct);
        }
        padding.reindex();
        padding
    }

    /// Indents every line starting inside `repair` (given in padded coordinates) to its
    /// minimum column. Returns false when nothing needed to change.
    fn indent(&mut self, text: &str, repair: &Repair) -> bool {
        let original = Repair {
            start: self.original(repair.start),
            end: self.original(repair.end),
            min_column: repair.min_column,
        };
        let changed = self.indent_original(text, &original);
        if changed {
            self.reindex();
        }
        changed
    }

    /// [`Padding::indent`] for a construct given in original coordinates, without reindexing.
    fn indent_original(&mut self, text: &str, repair: &Repair) -> bool {
        let (start, end) = (repair.start, repair.end);
        let bytes = text.as_bytes();
        let construct = bytes.get(start..end.min(bytes.len())).unwrap_or_default();
        let mut changed = false;
        for (i, _) in construct.iter().enumerate().filter(|&(_, &b)| b == b'\n') {
            let line_start = start + i + 1;
            let blanks = bytes[line_start..].iter().take_while(|&&b| matches!(b, b' ' | b'\t')).count();
            let inserted = self.inserts.get(&line_start).copied().unwrap_or(0);
            if blanks + inserted < repair.min_column {
                self.inserts.insert(line_start, repair.min_column - blanks);
                changed = true;
            }
        }
        changed
    }

    fn apply(&self, text: &str) -> String {
        let extra: usize = self.inserts.values().sum();
        let mut padded = String::with_capacity(text.len() + extra);
        let mut copied = 0;
        for (&at, &count) in &self.inserts {
            padded.push_str(&text[copied..at]);
            padded.extend(std::iter::repeat_n(' ', count));
            copied = at;
        }
        padded.push_str(&text[copied..]);
        padded
    }

    fn reindex(&mut self) {
        let mut shift = 0;
        self.index = (self.inserts.iter())
            .map(|(&at, &count)| {
                let entry = (at + shift, at, count);
                shift += count;
                entry
            })
            .collect();
    }

    /// The original offset of a padded offset; inserted spaces map to their line start.
    fn original(&self, padded: usize) -> usize {
        let after = self.index.partition_point(|&(start, ..)| start <= padded);
        let Some(&(start, at, count)) = after.checked_sub(1).and_then(|i| self.index.get(i)) else {
            return padded;
        };
        if padded < start + count { at } else { padded - (start - at) - count }
    }

    fn restore(&self, span: Span) -> Span {
        let start = self.original(span.start as usize);
        let end = self.original(span.end as usize).max(start);
        Span::from_range(start..end)
    }

    fn restore_error(&self, error: LoadError) -> LoadError {
        LoadError { span: self.restore(error.span), ..error }
    }
}

/// The end of the quoted scalar or flow collection starting at `start`.
fn construct_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let rest = bytes.get(start..)?;
    let len = match rest.first()? {
        b'\'' => single_quoted_end(rest)?,
        b'"' => double_quoted_end(rest)?,
        b'[' | b'{' => {
            let len = flow_collection_end(rest)?;
            // Only a flow collection that ends its line is a value in block context; anything
            // else is not understood well enough to touch.
            let after = skip_blanks(rest, len);
            if !matches!(rest.get(after), None | Some(b'\n' | b'\r' | b'#')) {
                return None;
            }
            len
        }
        _ => return None,
    };
    Some(start + len)
}

/// Length of the flow collection at the start of `bytes`. Inside a flow collection a plain
/// scalar cannot hold a bracket, so brackets outside quotes and comments are structure.
fn flow_collection_end(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let after_separator =
            i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n' | b'[' | b'{' | b',' | b':');
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\'' if after_separator => {
                i += single_quoted_end(&bytes[i..])?;
                continue;
            }
            b'"' if after_separator => {
                i += double_quoted_end(&bytes[i..])?;
                continue;
            }
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                i += bytes[i..].iter().position(|&b| b == b'\n').unwrap_or(bytes.len() - i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The 0-based column of a byte offset in characters, as saphyr counts them.
fn column_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let line_start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    text.get(line_start..offset).map_or(0, |s| s.chars().count())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Turns saphyr's character indexes into byte offsets: free for ASCII text, otherwise a
/// checkpoint every [`CHECKPOINT_EVERY`] characters and a short walk from it, so no lookup
/// costs more than a few dozen characters whatever order events come in.
struct CharOffsets {
    /// Byte offset of every `CHECKPOINT_EVERY`-th character; `None` for ASCII text.
    checkpoints: Option<Vec<u32>>,
}

const CHECKPOINT_EVERY: usize = 64;

impl CharOffsets {
    fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharOffsets { checkpoints: None };
        }
        let checkpoints = text.char_indices().step_by(CHECKPOINT_EVERY).map(|(i, _)| to_u32(i)).collect();
        CharOffsets { checkpoints: Some(checkpoints) }
    }

    fn byte_offset(&self, text: &str, char_index: usize) -> u32 {
        let Some(checkpoints) = &self.checkpoints else {
            return to_u32(char_index.min(text.len()));
        };
        let Some(&checkpoint) = checkpoints.get(char_index / CHECKPOINT_EVERY) else {
            return to_u32(text.len());
        };
        let rest = text.get(checkpoint as usize..).unwrap_or("");
        match rest.char_indices().nth(char_index % CHECKPOINT_EVERY) {
            Some((i, _)) => checkpoint + to_u32(i),
            None => to_u32(text.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::model::tree::NodeRef;
    use crate::span::LineIndex;

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
        load(text, Limits::default()).unwrap_or_else(|e| panic!("{e:?} at {:?}", pos(text, e.span.start)))
    }

    fn parse_err(text: &str) -> LoadError {
        match load(text, Limits::default()) {
            Ok(tree) => panic!("expected an error, got {:?}", tree.root()),
            Err(e) => e,
        }
    }

    /// 1-based (line, column) of a byte offset.
    fn pos(text: &str, offset: u32) -> (u32, u32) {
        let lc = LineIndex::new(text).line_col(text, offset);
        (lc.line, lc.column)
    }

    fn snippet(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    fn at<'t>(tree: &'t Tree, keys: &[&str]) -> NodeRef<'t> {
        tree.root().and_then(|r| r.at(keys)).unwrap_or_else(|| panic!("no node at {keys:?}"))
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
        assert_eq!(
            cond.item(1).unwrap().intrinsic().map(|(k, a)| (k, a.as_str())),
            Some(("Condition", Some("HasBucket")))
        );
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
    fn padding_maps_offsets_back() {
        let mut padding = Padding::default();
        padding.inserts.insert(4, 2);
        padding.inserts.insert(10, 3);
        padding.reindex();
        let text = "ab\ncd\nef\ngh\n";
        assert_eq!(padding.apply(text), "ab\nc  d\nef\ng   h\n");
        let original: Vec<usize> = (0..16).map(|o| padding.original(o)).collect();
        assert_eq!(original, [0, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10]);
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
}
