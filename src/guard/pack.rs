//! Loading packs: a `.guard` file, a folder of them, or `builtin:<name>` (the packs in `rules/`,
//! embedded in the binary). Every file is parsed by Guard's own parser when the pack loads, so a
//! broken pack stops the run (exit 2) before any template is analysed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{RuleInfo, Severity};
use crate::error::{Error, Result};
use crate::files::display_path;
use crate::guard::gate::{self, Gate};
use crate::guard::message::{self, Message};
use crate::limits;

/// A pack shipped with slint.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    pub rules: &'static str,
    /// Its Guard unit tests (`slint test-pack builtin:<name>`).
    pub tests: &'static str,
}

pub const BUILTINS: &[Builtin] = &[Builtin {
    name: "well-architected",
    rules: include_str!("../../rules/well-architected.guard"),
    tests: include_str!("../../rules/tests/well-architected-tests.yaml"),
}];

/// Category of every pack rule, for listings and `--select`.
pub const CATEGORY: &str = "pack";

/// One `.guard` file of a pack.
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// Where it was read from (`None` for a built-in pack).
    pub path: Option<PathBuf>,
    /// How messages name it: relative to the working directory, or `builtin:<name>`.
    pub display: String,
    pub text: String,
}

/// A rule of a pack, with what its custom messages declare (see the module docs).
#[derive(Clone, Debug)]
pub struct PackRule {
    /// The rule's name in Guard (`FUNCTIONS_ON_ARM64`).
    pub name: String,
    /// `<pack>/<RULE>`, name, category `pack`, severity and summary.
    pub info: RuleInfo,
    pub help: Option<String>,
}

/// A loaded and validated pack.
#[derive(Clone, Debug)]
pub struct Pack {
    /// The file stem or folder name: the prefix of its rule codes.
    pub name: String,
    /// As given: a path or `builtin:<name>`.
    pub origin: String,
    /// The canonical path (or `builtin:<name>`): the same pack named twice loads once.
    source: PathBuf,
    pub files: Vec<RuleFile>,
    pub rules: Vec<PackRule>,
    by_name: HashMap<String, usize>,
    /// Custom messages of several lines by the one-line form Guard reports for some clauses
    /// (`%var !empty`), where each line break became `;`.
    multiline_messages: HashMap<String, String>,
    /// `{"rules":[...],"data":[`: the part of Guard's payload that is the same for every
    /// template, built once (for `slint test-pack`, which runs every file).
    payload_prefix: String,
    /// Each file's text as a JSON string, and the templates it can fail on (see [`gate`]).
    quoted: Vec<(String, Option<Gate>)>,
}

impl Pack {
    /// A rule by the name Guard reports. Clauses outside a named rule form Guard's `default`
    /// rule, reported as `<rules file>/default`.
    pub fn rule(&self, guard_name: &str) -> Option<&PackRule> {
        let name = guard_name.rsplit('/').next().unwrap_or(guard_name);
        self.by_name.get(name).map(|&i| &self.rules[i])
    }

    /// A custom message as written, when Guard reported it with its line breaks turned into `;`.
    pub fn original_message<'m>(&'m self, reported: &'m str) -> &'m str {
        self.multiline_messages.get(reported).map_or(reported, String::as_str)
    }

    /// The rule files (indexes) that may fail on a template with these resource types.
    pub fn admitted_files(&self, types: Option<&[&str]>) -> Vec<usize> {
        self.quoted
            .iter()
            .enumerate()
            .filter(|(_, (_, g))| g.as_ref().is_none_or(|g| g.admits(types)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Guard's payload for several templates (JSON texts) and the rule files `files`: Guard
    /// parses each rules file once per payload, whatever the number of data documents.
    pub fn batch_payload(&self, files: &[usize], data_json: &[&str]) -> String {
        let size = data_json.iter().map(|d| d.len() * 11 / 10 + 8).sum::<usize>() + self.payload_prefix.len();
        let mut payload = String::with_capacity(size);
        payload.push_str("{\"rules\":[");
        for (i, &file) in files.iter().enumerate() {
            if i > 0 {
                payload.push(',');
            }
            payload.push_str(&self.quoted[file].0);
        }
        payload.push_str("],\"data\":[");
        for (i, data) in data_json.iter().enumerate() {
            if i > 0 {
                payload.push(',');
            }
            payload.push_str(&serde_json::to_string(data).unwrap_or_else(|_| "\"{}\"".into()));
        }
        payload.push_str("]}");
        payload
    }

    /// Guard's payload (`{"rules": [...], "data": [<template JSON>]}`) for one template.
    pub fn payload(&self, data_json: &str) -> String {
        let mut payload = String::with_capacity(self.payload_prefix.len() + data_json.len() * 11 / 10 + 8);
        payload.push_str(&self.payload_prefix);
        payload.push_str(&serde_json::to_string(data_json).unwrap_or_else(|_| "\"{}\"".into()));
        payload.push_str("]}");
        payload
    }
}

/// Loads every pack named by `specs` (paths relative to `cwd`, or `builtin:<name>`).
pub fn load_all(specs: &[String], cwd: &Path) -> Result<Vec<Pack>> {
    let mut packs: Vec<Pack> = Vec::with_capacity(specs.len());
    for spec in specs {
        let pack = load(spec, cwd)?;
        if let Some(other) = packs.iter().find(|p| p.name == pack.name) {
            if other.source == pack.source {
                continue; // named twice (config and flag): one pack
            }
            return Err(Error::new(format!(
                "two Guard packs are named `{}` ({} and {}); rule codes would clash, rename one",
                pack.name, other.origin, pack.origin
            )));
        }
        packs.push(pack);
    }
    Ok(packs)
}

/// Loads and validates one pack.
pub fn load(spec: &str, cwd: &Path) -> Result<Pack> {
    let (name, files) = sources(spec, cwd)?;
    let mut pack = build(name, spec.to_string(), files)?;
    if !spec.starts_with("builtin:") {
        let path = cwd.join(spec);
        pack.source = std::fs::canonicalize(&path).unwrap_or(path);
    }
    Ok(pack)
}

/// Builds a pack from rule files already in memory.
pub fn build(name: String, origin: String, files: Vec<RuleFile>) -> Result<Pack> {
    let mut rules: Vec<PackRule> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut defined_in: HashMap<String, String> = HashMap::new();
    let mut multiline_messages: HashMap<String, String> = HashMap::new();
    let mut quoted = Vec::with_capacity(files.len());
    for file in &files {
        let (parsed_rules, gate) = parse_file(file)?;
        quoted.push((serde_json::to_string(&lean_text(file)).unwrap_or_else(|_| "\"\"".into()), gate));
        for parsed in parsed_rules {
            for (_, _, raw) in parsed.messages.iter().filter(|(_, _, m)| m.contains('\n')) {
                multiline_messages.insert(raw.replace('\n', ";"), raw.clone());
            }
            let rule = pack_rule(&name, file, parsed)?;
            match by_name.get(&rule.name) {
                // Guard gives each file its own `default` rule; in one pack they are one rule.
                Some(_) if rule.name == "default" => {}
                Some(_) => {
                    return Err(Error::new(format!(
                        "invalid Guard pack {}: rule `{}` is defined in both {} and {}",
                        origin, rule.name, defined_in[&rule.name], file.display
                    )));
                }
                None => {
                    by_name.insert(rule.name.clone(), rules.len());
                    defined_in.insert(rule.name.clone(), file.display.clone());
                    rules.push(rule);
                }
            }
        }
    }
    let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
    let payload_prefix =
        format!("{{\"rules\":{},\"data\":[", serde_json::to_string(&texts).unwrap_or_else(|_| "[]".into()));
    let source = PathBuf::from(&origin);
    Ok(Pack { name, origin, source, files, rules, by_name, multiline_messages, payload_prefix, quoted })
}

/// The pack's name and files.
fn sources(spec: &str, cwd: &Path) -> Result<(String, Vec<RuleFile>)> {
    if let Some(name) = spec.strip_prefix("builtin:") {
        let builtin = builtin(name)?;
        let file = RuleFile { path: None, display: spec.to_string(), text: builtin.rules.to_string() };
        return Ok((builtin.name.to_string(), vec![file]));
    }
    let path = cwd.join(spec);
    let unreadable =
        |e: std::io::Error| Error::new(format!("cannot read Guard pack {spec}: {}", crate::fs::io_reason(&e)));
    let meta = std::fs::metadata(&path).map_err(unreadable)?;
    let (name, paths) = if meta.is_dir() {
        let mut walk = PackWalk::default();
        walk.visit(&path, 0).map_err(unreadable)?;
        if let Some(link) = &walk.leads_out {
            return Err(Error::new(format!(
                "Guard pack {spec}: {} is a symlink that leads out of the pack folder; not read",
                display_path(link, cwd)
            )));
        }
        if walk.overflow {
            return Err(Error::new(format!(
                "Guard pack {spec} has more than {} .guard files or {} entries; name a smaller folder",
                limits::MAX_PACK_FILES,
                limits::MAX_PACK_ENTRIES
            )));
        }
        if walk.files.is_empty() {
            return Err(Error::new(format!("Guard pack {spec} is a folder without .guard files")));
        }
        (file_name(&path), walk.files)
    } else {
        // Only a rules file is read: a pack path naming `/etc/passwd` must not make slint
        // quote that file in a parse error.
        if !is_rules_file(&path) {
            return Err(Error::new(format!(
                "Guard pack {spec} is not a .guard or .ruleset file (nor a folder of them)"
            )));
        }
        (path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(), vec![path.clone()])
    };
    if name.is_empty() {
        return Err(Error::new(format!("cannot name Guard pack {spec}: use a file or folder with a name")));
    }
    let files = paths.into_iter().map(|p| read_rule_file(p, cwd)).collect::<Result<Vec<_>>>()?;
    Ok((name, files))
}

/// A built-in pack by name.
pub fn builtin(name: &str) -> Result<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name).ok_or_else(|| {
        let known: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
        Error::new(format!("unknown built-in Guard pack `{name}` (built-in packs: {})", known.join(", ")))
    })
}

fn file_name(path: &Path) -> String {
    // `--pack .` names the pack after the folder itself.
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn is_rules_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "guard" || e == "ruleset")
}

/// The `.guard` and `.ruleset` files under a pack folder, sorted (what `cfn-guard validate
/// --rules DIR` reads). Symlinks to folders are not followed (a link to `/` would walk the
/// machine); a symlinked rules file must resolve inside the pack folder (else the pack is an
/// error: it would read `/etc/passwd` through `x.guard`), and
/// the walk stops at [`limits::MAX_PACK_ENTRIES`] entries or [`limits::MAX_PACK_FILES`] files.
#[derive(Default)]
struct PackWalk {
    files: Vec<PathBuf>,
    /// Canonical pack folder, for symlinked files.
    root: Option<PathBuf>,
    entries: usize,
    overflow: bool,
    /// The first rules file that is a symlink leading out of the folder.
    leads_out: Option<PathBuf>,
}

impl PackWalk {
    fn visit(&mut self, dir: &Path, depth: usize) -> std::io::Result<()> {
        if depth == 0 {
            self.root = Some(std::fs::canonicalize(dir)?);
        }
        if depth > 16 || self.overflow {
            return Ok(());
        }
        let mut entries: Vec<(PathBuf, std::fs::FileType)> = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            self.entries += 1;
            if self.entries > limits::MAX_PACK_ENTRIES {
                self.overflow = true;
                return Ok(());
            }
            if let Ok(entry) = entry
                && let Ok(kind) = entry.file_type()
            {
                entries.push((entry.path(), kind));
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in entries {
            if kind.is_dir() {
                self.visit(&path, depth + 1)?;
            } else if is_rules_file(&path) {
                if kind.is_symlink() && !self.resolves_inside(&path) {
                    self.leads_out.get_or_insert(path);
                    continue;
                }
                self.files.push(path);
                if self.files.len() > limits::MAX_PACK_FILES {
                    self.overflow = true;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn resolves_inside(&self, link: &Path) -> bool {
        let real = std::fs::canonicalize(link);
        matches!((real, &self.root), (Ok(real), Some(root)) if real.starts_with(root))
    }
}

/// Reads one rules file as templates are read: a regular file (a FIFO in the pack folder or
/// `--pack /dev/zero` would hang the run or fill the memory), at most
/// [`limits::MAX_PACK_FILE_BYTES`], UTF-8.
fn read_rule_file(path: PathBuf, cwd: &Path) -> Result<RuleFile> {
    let display = display_path(&path, cwd);
    let text = limits::read_config_text(&path, limits::MAX_PACK_FILE_BYTES)
        .map_err(|why| Error::new(format!("cannot read Guard pack {display}: {why}")))?;
    Ok(RuleFile { path: Some(path), display, text })
}

/// A rule as the parse tree shows it: its name and its custom messages with their positions.
struct ParsedRule {
    name: String,
    /// `(line, column, message)`, in source order.
    messages: Vec<(u64, u64, String)>,
}

/// Parses a rules file with Guard's parser: its rules, and the templates it can fail on. A
/// parse error names the file, line and column.
fn parse_file(file: &RuleFile) -> Result<(Vec<ParsedRule>, Option<Gate>)> {
    let tree = match parse_tree(&file.text, &file.display) {
        Ok(Ok(Some(tree))) => tree,
        Ok(Ok(None)) => return Ok((Vec::new(), Some(Gate::default()))), // only comments: no rules
        Ok(Err(guard)) => return Err(parse_error(&file.display, &guard)),
        Err(_) => return Err(Error::new(format!("invalid Guard pack {}: Guard's parser crashed on it", file.display))),
    };
    let rules = tree.get("guard_rules").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let parsed = rules
        .iter()
        .map(|rule| {
            let name = rule.get("rule_name").and_then(Value::as_str).unwrap_or("default");
            let mut messages = Vec::new();
            custom_messages(rule, &mut messages, 0);
            messages.sort();
            ParsedRule { name: name.rsplit('/').next().unwrap_or(name).to_string(), messages }
        })
        .collect();
    Ok((parsed, gate::of_file(&tree)))
}

/// Guard's parse tree of a rules file, in its serde form (the tree's types are private to
/// cfn-guard); `Ok(None)` for a file of only comments.
fn parse_tree(text: &str, display: &str) -> std::thread::Result<std::result::Result<Option<Value>, String>> {
    catch_unwind(AssertUnwindSafe(|| match cfn_guard::commands::validate::parse_rules(text, display) {
        Ok(Some(rules)) => serde_json::to_value(&rules).map(Some).map_err(|e| e.to_string()),
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
    }))
}

/// The text Guard is given for a rules file on every template: the file with its comment lines
/// blanked (line numbers kept), when Guard parses that to the very same tree; else the file as
/// written (a `#` line inside a `<< >>` message is part of the message). Registry rules are half
/// comments, and Guard parses the text again on every call (see the module docs of `guard`).
fn lean_text(file: &RuleFile) -> Cow<'_, str> {
    let comment = |line: &str| line.trim_start().starts_with('#');
    if !file.text.lines().any(comment) {
        return Cow::Borrowed(&file.text);
    }
    let lean: String = file.text.split_inclusive('\n').map(|line| if comment(line) { "\n" } else { line }).collect();
    match (parse_tree(&file.text, &file.display), parse_tree(&lean, &file.display)) {
        (Ok(Ok(written)), Ok(Ok(blanked))) if written == blanked => Cow::Owned(lean),
        _ => Cow::Borrowed(&file.text),
    }
}

/// Every `custom_message` under a rule's parse tree, with the clause's `location`.
fn custom_messages(node: &Value, out: &mut Vec<(u64, u64, String)>, depth: usize) {
    if depth > 256 {
        return;
    }
    match node {
        Value::Object(map) => {
            if let Some(Value::String(message)) = map.get("custom_message") {
                let at = |k: &str| map.get("location").and_then(|l| l.get(k)).and_then(Value::as_u64).unwrap_or(0);
                out.push((at("line"), at("column"), message.clone()));
            }
            map.values().for_each(|v| custom_messages(v, out, depth + 1));
        }
        Value::Array(items) => items.iter().for_each(|v| custom_messages(v, out, depth + 1)),
        _ => {}
    }
}

/// A rule's identity: severity and help from the first message that declares them, summary
/// from the first message text.
fn pack_rule(pack: &str, file: &RuleFile, parsed: ParsedRule) -> Result<PackRule> {
    let mut declared: Vec<Message> = Vec::with_capacity(parsed.messages.len());
    for (line, column, raw) in &parsed.messages {
        let message = message::parse(raw).map_err(|e| {
            Error::new(format!("invalid Guard pack {}:{line}:{column}: rule `{}`: {e}", file.display, parsed.name))
        })?;
        declared.push(message);
    }
    let severity = declared.iter().find_map(|m| m.severity).unwrap_or(Severity::Warning);
    let help = declared.iter().find_map(|m| m.help.clone());
    // Placeholders have no value in a listing; they read as what they stand for.
    let placeholders = |t: &str| t.replace("{resource}", "<resource>").replace("{path}", "<path>");
    let summary = declared
        .iter()
        .map(|m| m.text.as_str())
        .find(|t| !t.is_empty())
        .map_or_else(|| format!("Guard rule {} of pack {pack}", parsed.name), placeholders);
    let docs = format!(
        "Guard rule `{}` of pack `{pack}` ({}).\n\n{}\n{}",
        parsed.name,
        file.display,
        summary,
        help.as_deref().map(|h| format!("\nHelp: {}\n", placeholders(h))).unwrap_or_default()
    );
    let info = RuleInfo {
        code: Cow::Owned(format!("{pack}/{}", parsed.name)),
        name: Cow::Owned(parsed.name.clone()),
        category: Cow::Borrowed(CATEGORY),
        severity,
        summary: Cow::Owned(summary),
        docs: Cow::Owned(docs),
    };
    Ok(PackRule { name: parsed.name, info, help })
}

/// Guard's parse errors read "Parser Error when parsing `Parsing Error Error parsing file F at
/// line L at column C, when handling WHAT, fragment REST-OF-FILE`"; this keeps the position, what
/// Guard was parsing, and the first line of the fragment.
fn parse_error(display: &str, guard: &str) -> Error {
    let line = number_after(guard, " at line ");
    let column = number_after(guard, " at column ");
    let location = match (line, column) {
        (Some(l), Some(c)) => format!("{display}:{l}:{c}"),
        (Some(l), None) => format!("{display}:{l}"),
        _ => display.to_string(),
    };
    let handling =
        guard.split_once("when handling ").and_then(|(_, rest)| rest.split_once(", fragment")).map(|(h, _)| h);
    let fragment = guard
        .split_once(", fragment ")
        .or_else(|| guard.split_once(", remaining "))
        .and_then(|(_, rest)| rest.lines().map(|l| l.trim().trim_end_matches('`')).find(|l| !l.is_empty()))
        .map(|f| f.chars().take(60).collect::<String>());
    let what = match handling {
        Some(h) => format!("Guard expected {}", h.trim().trim_start_matches("expecting ")),
        None => guard.lines().next().unwrap_or(guard).to_string(),
    };
    let near = fragment.map(|f| format!(" near `{f}`")).unwrap_or_default();
    Error::new(format!("invalid Guard pack {location}: {what}{near}"))
}

fn number_after(text: &str, marker: &str) -> Option<u64> {
    let (_, rest) = text.split_once(marker)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> RuleFile {
        RuleFile { path: None, display: "org.guard".into(), text: text.into() }
    }

    #[test]
    fn rules_take_severity_help_and_summary_from_their_messages() {
        let text = "\
let fns = Resources.*[ Type == 'AWS::Serverless::Function' ]
rule ARM when %fns !empty {
    %fns.Properties.Architectures exists <<
        severity: error
        help: set `Architectures: [arm64]`
        functions run on arm64
    >>
    %fns.Properties.Architectures[*] == 'arm64' <<severity: info\nnot arm64>>
}
rule PLAIN { Resources exists }
Resources exists
";
        let pack = build("org".into(), "org.guard".into(), vec![file(text)]).unwrap();
        let codes: Vec<&str> = pack.rules.iter().map(|r| r.info.code.as_ref()).collect();
        assert_eq!(codes, ["org/default", "org/ARM", "org/PLAIN"]);
        let arm = pack.rule("ARM").unwrap();
        assert_eq!(arm.info.severity, Severity::Error, "the first declared severity");
        assert_eq!(arm.help.as_deref(), Some("set `Architectures: [arm64]`"));
        assert_eq!(arm.info.summary, "functions run on arm64");
        assert_eq!(pack.rule("PLAIN").unwrap().info.severity, Severity::Warning);
        assert!(pack.rule("RULES_STDIN[1]/default").is_some());
        let payload: Value = serde_json::from_str(&pack.payload("{\"a\":1}")).unwrap();
        assert_eq!(payload["data"][0], "{\"a\":1}");
    }

    #[test]
    fn guard_gets_comment_lines_blanked_only_when_that_parses_the_same() {
        let commented = file("# header\nrule A {\n  # why\n  Resources exists\n}\n");
        assert_eq!(lean_text(&commented), "\nrule A {\n\n  Resources exists\n}\n");
        let in_message = file("rule A {\n  Resources exists <<\n  # not a comment here\n  >>\n}\n");
        assert_eq!(lean_text(&in_message), in_message.text, "the message would change");
    }

    #[test]
    fn parse_errors_name_file_line_and_column() {
        let err = build("org".into(), "org.guard".into(), vec![file("rule A {\n  Resources.*.Timeout <= \n}\n")])
            .unwrap_err();
        assert!(err.message().starts_with("invalid Guard pack org.guard:2:"), "{err}");
        assert!(err.message().contains("Guard expected"), "{err}");
        let bad_severity =
            build("org".into(), "o".into(), vec![file("rule A { Resources exists <<severity: fatal\nm>> }")]);
        assert!(bad_severity.unwrap_err().message().contains("org.guard:1:10: rule `A`: `severity: fatal`"));
    }

    #[test]
    fn duplicate_rules_and_unknown_builtins_are_errors() {
        let a = file("rule A { Resources exists }");
        let b = RuleFile { display: "b.guard".into(), ..a.clone() };
        let err = build("org".into(), "org".into(), vec![a, b]).unwrap_err();
        assert!(err.message().contains("rule `A` is defined in both org.guard and b.guard"), "{err}");
        assert!(builtin("nope").unwrap_err().message().contains("well-architected"));
        for builtin in BUILTINS {
            let pack = load(&format!("builtin:{}", builtin.name), Path::new(".")).unwrap();
            assert!(pack.rules.len() >= 5, "{} has its rules", builtin.name);
        }
    }
}
