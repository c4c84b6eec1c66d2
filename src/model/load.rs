//! Entry point of the loaders: bytes in, a [`Tree`] or a precise [`LoadError`] out.
//!
//! The YAML and JSON front ends live in [`super::yaml`] and [`super::json`]; what they share —
//! duplicate-key bookkeeping and the resource budget — lives here so both behave the same.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::model::tree::{DuplicateKey, Entry, Limits, MAX_DUPLICATES, NodeId, Tree};
use crate::span::Span;

/// The syntax a template is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Why a file could not be loaded, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub span: Span,
    pub message: String,
}

impl LoadError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        LoadError { span, message: message.into() }
    }

    /// An error pointing between two characters, at byte `offset`.
    pub fn at(offset: usize, message: impl Into<String>) -> Self {
        LoadError::new(Span::from_range(offset..offset), message)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// Decodes bytes: invalid UTF-8 → error at the first invalid byte
/// ("file is not valid UTF-8: invalid byte 0xE9"), a NUL byte → error at it ("file contains a
/// NUL byte; binary files cannot be templates").
/// A leading UTF-8 BOM is kept in the text (LineIndex ignores it for columns) but must not
/// break parsing.
pub fn decode(bytes: &[u8]) -> Result<&str, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            reject_nul(text.as_bytes())?;
            Ok(text)
        }
        Err(e) => {
            // Whichever problem comes first is the one reported.
            let at = e.valid_up_to();
            reject_nul(&bytes[..at])?;
            let end = e.error_len().map_or(bytes.len(), |len| at + len);
            let byte = bytes.get(at).copied().unwrap_or_default();
            Err(LoadError::new(
                Span::from_range(at..end),
                format!("file is not valid UTF-8: invalid byte 0x{byte:02X}"),
            ))
        }
    }
}

/// Decodes a file's bytes: UTF-8 as [`decode`] does, and UTF-16 (little or big endian) when it
/// starts with its byte-order mark, as Windows PowerShell 5 writes files by default. Spans
/// then point into the decoded text, which is what findings show.
pub fn decode_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, LoadError> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return decode(bytes).map(std::borrow::Cow::Borrowed),
    };
    let body = &bytes[2..];
    if body.len() % 2 == 1 {
        let at = bytes.len() - 1;
        return Err(LoadError::new(Span::from_range(at..bytes.len()), "file is not valid UTF-16: odd number of bytes"));
    }
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    });
    let mut text = String::with_capacity(body.len() / 2 + 1);
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => text.push(c),
            Err(e) => {
                return Err(LoadError::at(
                    text.len(),
                    format!("file is not valid UTF-16: unpaired surrogate 0x{:04X}", e.unpaired_surrogate()),
                ));
            }
        }
    }
    reject_nul(text.as_bytes())?;
    Ok(std::borrow::Cow::Owned(text))
}

/// Whether bytes that are not UTF-8 look like UTF-16 without a byte-order mark: one of the
/// words every template contains, spelled in UTF-16.
pub fn looks_like_utf16(bytes: &[u8], words: &[&str]) -> bool {
    words.iter().any(|word| {
        let le: Vec<u8> = word.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = word.encode_utf16().flat_map(u16::to_be_bytes).collect();
        bytes.windows(le.len()).any(|w| w == le || w == be)
    })
}

fn reject_nul(bytes: &[u8]) -> Result<(), LoadError> {
    match bytes.iter().position(|&b| b == 0) {
        Some(nul) => Err(LoadError::new(
            Span::from_range(nul..nul + 1),
            "file contains a NUL byte; binary files cannot be templates",
        )),
        None => Ok(()),
    }
}

/// Json when the first non-whitespace/non-BOM char is `{` and the extension is .json or
/// .template; Json for .json always; else Yaml.
pub fn detect_format(path: &Path, text: &str) -> Format {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if extension.eq_ignore_ascii_case("json") {
        return Format::Json;
    }
    let starts_with_brace = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).starts_with('{');
    if extension.eq_ignore_ascii_case("template") && starts_with_brace { Format::Json } else { Format::Yaml }
}

/// Parses text into a Tree. Empty / whitespace / comment-only document → Ok(tree with no root).
///
/// Spans are byte offsets into `text`, a leading BOM included.
///
/// Both parsers are third-party code fed hostile input. A panic is not caught here: the caller
/// (`project`) catches it and reports an internal error (SL004) naming the parser, and the
/// fuzz targets see it as the crash it is.
pub fn load(text: &str, format: Format, limits: Limits) -> Result<Tree, LoadError> {
    match format {
        Format::Yaml => super::yaml::load(text, limits),
        Format::Json => super::json::load(text, limits),
    }
}

/// Enforces [`Limits`] while a tree is built, so a hostile file is rejected before it costs
/// much time or memory.
pub(crate) struct Budget {
    limits: Limits,
    /// Bytes of mapping keys read again through aliases (`*k : v`) and `<<` merges.
    copied: u64,
    /// Nodes a consumer walking the finished tree would visit. It can run a little high (a
    /// replaced duplicate value, the `<<` value itself), never low.
    expanded: u64,
}

impl Budget {
    pub(crate) fn new(limits: Limits) -> Self {
        Budget { limits, expanded: 0, copied: 0 }
    }

    pub(crate) fn max_depth(&self) -> u32 {
        self.limits.max_depth
    }

    /// Fails when a node `depth` levels deep, under `levels_above` enclosing levels, nests
    /// deeper than the limit.
    pub(crate) fn check_depth(&self, levels_above: u32, depth: u32, span: Span) -> Result<(), LoadError> {
        if u64::from(levels_above) + u64::from(depth) > u64::from(self.limits.max_depth) {
            return Err(self.too_deep(span));
        }
        Ok(())
    }

    pub(crate) fn too_deep(&self, span: Span) -> LoadError {
        LoadError::new(span, format!("nesting deeper than {} levels", self.limits.max_depth))
    }

    /// Counts one new node written in the text.
    pub(crate) fn add_node(&mut self, span: Span) -> Result<(), LoadError> {
        self.expanded += 1;
        if self.expanded > u64::from(self.limits.max_expanded_nodes) {
            return Err(LoadError::new(
                span,
                format!("the document has more than {} nodes", self.limits.max_expanded_nodes),
            ));
        }
        Ok(())
    }

    /// Counts key bytes that aliases and merges make the loader hash or copy again: node
    /// counts alone miss a 1 MB key merged into 300,000 mappings.
    pub(crate) fn add_copy(&mut self, bytes: u64, span: Span) -> Result<(), LoadError> {
        self.copied = self.copied.saturating_add(bytes);
        if self.copied > MAX_COPIED_KEY_BYTES {
            return Err(LoadError::new(
                span,
                format!(
                    "aliases and merge keys repeat more than {MAX_COPIED_KEY_BYTES} bytes of mapping keys (alias bomb?)"
                ),
            ));
        }
        Ok(())
    }

    /// Counts the nodes an alias stands for; `span` is the alias.
    pub(crate) fn add_alias(&mut self, weight: u32, span: Span) -> Result<(), LoadError> {
        self.expanded += u64::from(weight);
        if self.expanded > u64::from(self.limits.max_expanded_nodes) {
            return Err(LoadError::new(
                span,
                format!("aliases expand to more than {} nodes (alias bomb?)", self.limits.max_expanded_nodes),
            ));
        }
        Ok(())
    }
}

/// Bytes of mapping keys that aliases and `<<` merges may repeat in one document: 64 times a
/// real template's whole text, a fraction of a second of hashing.
pub const MAX_COPIED_KEY_BYTES: u64 = 64 << 20;

/// Mappings up to this size find keys by a linear scan; bigger ones get a hash index, because
/// hostile input can hold a mapping with a million keys.
const LINEAR_SCAN_MAX: usize = 16;

/// The entries of one mapping under construction, with duplicate keys caught on insertion.
#[derive(Default)]
pub(crate) struct MapEntries {
    entries: Vec<Entry>,
    index: Option<HashMap<Arc<str>, usize>>,
}

impl MapEntries {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|e| &*e.key == key),
        }
    }

    /// Adds a key written in this mapping. A key seen before is recorded in `duplicates`; the
    /// entry keeps its first position and first key span but takes the new value, as the
    /// last value wins in CloudFormation.
    pub(crate) fn insert(&mut self, key: Box<str>, key_span: Span, value: NodeId, duplicates: &mut Vec<DuplicateKey>) {
        if let Some(i) = self.find(&key) {
            let entry = &mut self.entries[i];
            if duplicates.len() < MAX_DUPLICATES {
                duplicates.push(DuplicateKey { key: key.into(), first: entry.key_span, second: key_span });
            }
            entry.value = value;
            return;
        }
        let key: Arc<str> = Arc::from(key);
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push(Entry { key, key_span, value });
        if self.index.is_none() && self.entries.len() > LINEAR_SCAN_MAX {
            let index = self.entries.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect();
            self.index = Some(index);
        }
    }

    pub(crate) fn into_entries(self) -> Vec<Entry> {
        self.entries
    }
}

/// What the YAML and JSON loader tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Limits, LoadError, Tree};
    use crate::model::tree::NodeRef;
    use crate::span::{LineIndex, Span};

    /// A loader's tree for `text`, panicking with the error's position.
    pub fn parse_with(load: fn(&str, Limits) -> Result<Tree, LoadError>, text: &str) -> Tree {
        load(text, Limits::default()).unwrap_or_else(|e| panic!("{e:?} at {:?}", pos(text, e.span.start)))
    }

    /// A loader's error for `text`, panicking when it loads.
    pub fn parse_err_with(load: fn(&str, Limits) -> Result<Tree, LoadError>, text: &str) -> LoadError {
        match load(text, Limits::default()) {
            Ok(tree) => panic!("expected an error, got {:?}", tree.root()),
            Err(e) => e,
        }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn pos(text: &str, offset: u32) -> (u32, u32) {
        let lc = LineIndex::new(text).line_col(text, offset);
        (lc.line, lc.column)
    }

    pub fn snippet(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    pub fn at<'t>(tree: &'t Tree, keys: &[&str]) -> NodeRef<'t> {
        tree.root().and_then(|r| r.at(keys)).unwrap_or_else(|| panic!("no node at {keys:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_accepts_utf8_and_keeps_the_bom() {
        let bytes = "\u{feff}a: é\n".as_bytes();
        assert_eq!(decode(bytes).unwrap(), "\u{feff}a: é\n");
    }

    #[test]
    fn decode_points_at_the_first_invalid_byte() {
        let err = decode(b"a: caf\xE9\n").unwrap_err();
        assert_eq!(err.message, "file is not valid UTF-8: invalid byte 0xE9");
        assert_eq!(err.span, Span::new(6, 7));
    }

    #[test]
    fn decode_rejects_a_truncated_character_at_the_end() {
        let err = decode(b"a: \xE2\x82").unwrap_err();
        assert_eq!(err.message, "file is not valid UTF-8: invalid byte 0xE2");
        assert_eq!(err.span, Span::new(3, 5));
    }

    #[test]
    fn decode_text_reads_utf16_with_a_byte_order_mark() {
        let utf16 = |text: &str, le: bool| -> Vec<u8> {
            let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
            bytes.extend(text.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }));
            bytes
        };
        for le in [true, false] {
            assert_eq!(decode_text(&utf16("Resources: {é: 1}\n", le)).unwrap(), "Resources: {é: 1}\n");
            let mut odd = utf16("a", le);
            odd.push(0);
            assert!(decode_text(&odd).unwrap_err().message.contains("odd number of bytes"));
        }
        let lone = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        let err = decode_text(&lone).unwrap_err();
        assert_eq!(
            (err.span, err.message.as_str()),
            (Span::at(1), "file is not valid UTF-16: unpaired surrogate 0xD800")
        );
        assert_eq!(decode_text(b"a: 1").unwrap(), "a: 1");
        let bare: Vec<u8> = "Resources:".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(looks_like_utf16(&bare, &["Resources"]) && !looks_like_utf16(b"Resources", &["Resources"]));
    }

    #[test]
    fn decode_rejects_nul_bytes() {
        let err = decode(b"a: 1\n\0\0").unwrap_err();
        assert_eq!(err.message, "file contains a NUL byte; binary files cannot be templates");
        assert_eq!(err.span, Span::new(5, 6));
        // The earlier problem wins.
        let err = decode(b"\0 \xFF").unwrap_err();
        assert_eq!(err.span.start, 0);
        assert!(err.message.contains("NUL"));
        let err = decode(b"\xFF \0").unwrap_err();
        assert!(err.message.contains("0xFF"));
    }

    #[test]
    fn format_follows_extension_and_content() {
        let p = Path::new;
        assert_eq!(detect_format(p("t.json"), "a: 1"), Format::Json);
        assert_eq!(detect_format(p("T.JSON"), "{}"), Format::Json);
        assert_eq!(detect_format(p("t.template"), "\u{feff}\n  {\"a\": 1}"), Format::Json);
        assert_eq!(detect_format(p("t.template"), "a: {}"), Format::Yaml);
        assert_eq!(detect_format(p("t.yaml"), "{\"a\": 1}"), Format::Yaml);
        assert_eq!(detect_format(p("template"), "{}"), Format::Yaml);
    }

    #[test]
    fn load_dispatches_on_format() {
        let limits = Limits::default();
        let yaml = load("Timeout: !Ref T\n", Format::Yaml, limits).unwrap();
        assert_eq!(yaml.root().unwrap().get("Timeout").unwrap().intrinsic().unwrap().0, "Ref");
        let json = load("{\"Timeout\": 30}", Format::Json, limits).unwrap();
        assert_eq!(json.root().unwrap().get("Timeout").unwrap().as_i64(), Some(30));
        // JSON is YAML too, but only the JSON loader is strict about it.
        assert!(load("{\"a\": 1,}", Format::Yaml, limits).is_ok());
        assert!(load("{\"a\": 1,}", Format::Json, limits).is_err());
        assert!(load("", Format::Json, limits).unwrap().root().is_none());
    }

    #[test]
    fn duplicate_keys_keep_the_first_slot_and_the_last_value() {
        let mut dups = Vec::new();
        let mut map = MapEntries::default();
        map.insert("a".into(), Span::new(0, 1), NodeId(0), &mut dups);
        map.insert("b".into(), Span::new(5, 6), NodeId(1), &mut dups);
        map.insert("a".into(), Span::new(10, 11), NodeId(2), &mut dups);
        map.insert("a".into(), Span::new(20, 21), NodeId(3), &mut dups);
        let entries = map.into_entries();
        assert_eq!(entries.len(), 2);
        assert_eq!((&*entries[0].key, entries[0].value, entries[0].key_span), ("a", NodeId(3), Span::new(0, 1)));
        assert_eq!(dups.len(), 2);
        assert_eq!((dups[0].first, dups[0].second), (Span::new(0, 1), Span::new(10, 11)));
        assert_eq!((dups[1].first, dups[1].second), (Span::new(0, 1), Span::new(20, 21)));
    }

    #[test]
    fn duplicates_recorded_are_capped() {
        let mut dups = Vec::new();
        let mut map = MapEntries::default();
        for i in 0..(MAX_DUPLICATES as u32 + 10) {
            map.insert("a".into(), Span::at(i), NodeId(i), &mut dups);
        }
        assert_eq!(dups.len(), MAX_DUPLICATES);
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn big_mappings_switch_to_a_hash_index() {
        let mut dups = Vec::new();
        let mut map = MapEntries::default();
        for i in 0..100u32 {
            map.insert(format!("k{i}").into(), Span::at(i), NodeId(i), &mut dups);
        }
        assert!(map.index.is_some());
        map.insert("k7".into(), Span::at(500), NodeId(500), &mut dups);
        assert_eq!(map.len(), 100);
        assert_eq!(map.find("k7"), Some(7));
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].first, Span::at(7));
    }
}
