//! Evaluating packs on one template, and turning Guard's failures into findings at slint's
//! spans.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Cursor;

use cfn_guard::commands::Executable;
use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
use cfn_guard::utils::reader::{ReadBuffer, Reader};
use cfn_guard::utils::writer::{WriteBuffer, Writer};
use cfn_guard::{CommandBuilder, ValidateBuilder};

use crate::diagnostic::{Finding, RuleInfo, RuleMeta, Severity, Site};
use crate::fault::guarded;
use crate::guard::message::{self, Message};
use crate::guard::pack::{CATEGORY, Pack, PackRule};
use crate::guard::report::{self, At, Failure, Report};
use crate::guard::view::{self, Located};
use crate::guard::{FailureRules, gate};
use crate::model::Template;
use crate::model::tree::{NodeId, NodeRef, TemplatePath};
use crate::settings::RuleSettings;
use crate::span::Span;

use rayon::prelude::*;

/// Guard's exit code when it could not evaluate (its reason is on its error stream).
const GUARD_ERROR: i32 = 5;

/// Templates that need the same rule files go to Guard together, this many per payload:
/// Guard parses each rules file once per payload (about 0.3 ms of CPU per file, the bulk of a
/// gated run), and batches this small still spread over the cores.
const BATCH: usize = 16;

/// The packs with a rule the settings enable; the others are not run.
fn active_packs<'p>(packs: &'p [Pack], settings: &RuleSettings) -> Vec<&'p Pack> {
    packs.iter().filter(|p| p.rules.iter().any(|r| settings.is_enabled(&r.info))).collect()
}

/// The findings of every pack on every template, one list per template in template order:
/// the same findings as evaluating each alone, with templates that need the same rule
/// files of a pack evaluated together (see [`BATCH`]) and batches in parallel.
pub fn check_templates(
    packs: &[Pack],
    templates: &[Template],
    settings: &RuleSettings,
    failures: &FailureRules,
) -> Vec<Vec<Finding>> {
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); templates.len()];
    let active = active_packs(packs, settings);
    if active.is_empty() {
        return out;
    }
    let types: Vec<Result<Option<Vec<&str>>, String>> =
        templates.par_iter().map(|t| within_guard_limits(t).map(|()| gate::resource_types(t))).collect();
    // Per pack, the templates of each set of admitted rule files, in template order.
    let mut jobs: Vec<(&Pack, Vec<usize>, Vec<usize>)> = Vec::new();
    let mut needs_data = vec![false; templates.len()];
    for pack in &active {
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for (index, types) in types.iter().enumerate() {
            let Ok(types) = types else { continue };
            let files = pack.admitted_files(types.as_deref());
            if files.is_empty() {
                continue;
            }
            needs_data[index] = true;
            match groups.iter_mut().find(|(f, _)| *f == files) {
                Some((_, members)) => members.push(index),
                None => groups.push((files, vec![index])),
            }
        }
        for (files, members) in groups {
            jobs.extend(members.chunks(BATCH).map(|chunk| (*pack, files.clone(), chunk.to_vec())));
        }
    }
    let data: Vec<Option<String>> = templates
        .par_iter()
        .zip(needs_data.par_iter())
        .map(|(template, &needed)| needed.then(|| view::to_json(template)))
        .collect();
    for (index, types) in types.iter().enumerate() {
        if let Err(reason) = types {
            out[index] = beyond_limits(&active, &templates[index], reason, settings, failures);
        }
    }
    let found: Vec<Vec<(usize, Vec<Finding>)>> = jobs
        .par_iter()
        .map(|(pack, files, members)| check_batch(pack, files, members, templates, &data, settings, failures))
        .collect();
    for (index, findings) in found.into_iter().flatten() {
        out[index].extend(findings);
    }
    out
}

/// One pack on a batch of templates in one Guard call; template by template when Guard cannot
/// evaluate the batch whole, so that a bad template costs only its own findings.
fn check_batch(
    pack: &Pack,
    files: &[usize],
    members: &[usize],
    templates: &[Template],
    data: &[Option<String>],
    settings: &RuleSettings,
    failures: &FailureRules,
) -> Vec<(usize, Vec<Finding>)> {
    let texts: Vec<&str> = members.iter().map(|&i| data[i].as_deref().unwrap_or("{}")).collect();
    if members.len() > 1 {
        let outcome = guarded(|| {
            let reports = report::parse_each(&validate(pack.batch_payload(files, &texts))?, members.len())?;
            Ok::<_, String>(
                members
                    .iter()
                    .zip(&reports)
                    .map(|(&i, report)| (i, to_findings(pack, report, &templates[i], settings)))
                    .collect::<Vec<_>>(),
            )
        });
        if let Ok(Ok(found)) = outcome {
            return found;
        }
    }
    members
        .iter()
        .zip(texts)
        .map(|(&i, text)| (i, check_one(pack, files, &templates[i], text, settings, failures)))
        .collect()
}

/// One pack's rule files `files` on one template (its JSON text).
fn check_one(
    pack: &Pack,
    files: &[usize],
    template: &Template,
    data: &str,
    settings: &RuleSettings,
    failures: &FailureRules,
) -> Vec<Finding> {
    // A panic in Guard or on slint's side (path resolution) costs this template's pack
    // findings, not the run: it is an internal error (SL004) naming the pack.
    let outcome = guarded(|| {
        report::parse(&validate(pack.batch_payload(files, &[data]))?)
            .map(|report| to_findings(pack, &report, template, settings))
    });
    match outcome {
        Ok(Ok(found)) => found,
        Ok(Err(reason)) if settings.is_enabled(&RuleInfo::from_meta(failures.parse_error)) => {
            vec![cannot_evaluate(failures.parse_error, pack, template, &reason)]
        }
        Err(panic) if settings.is_enabled(&RuleInfo::from_meta(failures.internal_error)) => {
            vec![crashed(failures.internal_error, pack, template, &panic)]
        }
        Ok(Err(_)) | Err(_) => Vec::new(),
    }
}

/// A template too large for Guard: SL001 per active pack, when SL001 runs.
fn beyond_limits(
    active: &[&Pack],
    template: &Template,
    reason: &str,
    settings: &RuleSettings,
    failures: &FailureRules,
) -> Vec<Finding> {
    if !settings.is_enabled(&RuleInfo::from_meta(failures.parse_error)) {
        return Vec::new();
    }
    active.iter().map(|p| cannot_evaluate(failures.parse_error, p, template, reason)).collect()
}

/// A panic while evaluating `pack` on a template, reported as SL004.
fn crashed(meta: &RuleMeta, pack: &Pack, template: &Template, panic: &str) -> Finding {
    let site = Site::new(template.file, top_of(template));
    let message = format!("internal error: Guard pack `{}` panicked on this template: {panic}", pack.name);
    let mut finding = Finding::new(meta.code, meta.name, meta.severity, site, message);
    finding.help(format!(
        "this is a bug in slint or cfn-guard; please report it with the template. The rules of pack `{}` did not \
         run on it; the built-in rules did",
        pack.name
    ));
    finding
}

/// Most nodes (aliases expanded) of a template handed to Guard. cfn-guard keeps a path string
/// and more per value, about 2 KB a node (4 KB in mappings): a million-node template, which
/// slint's own rules take, would cost Guard gigabytes. Real templates have a few thousand.
pub const GUARD_MAX_NODES: u32 = 50_000;

/// Most entries of one mapping handed to Guard: its time grows with the square of a mapping's
/// size (40,000 keys take 14 s). CloudFormation allows 500 resources, 200 parameters.
pub const GUARD_MAX_ENTRIES: usize = 2_000;

/// Whether Guard may be given this template; the reason (a finding's message) when not.
fn within_guard_limits(template: &Template) -> Result<(), String> {
    let nodes = template.root().map_or(0, |r| r.raw().weight);
    if nodes > GUARD_MAX_NODES {
        return Err(format!("it has {nodes} nodes (aliases expanded), more than the {GUARD_MAX_NODES} Guard is given"));
    }
    let tree = &template.tree;
    let widest = (0..tree.len()).map(|i| tree.node(NodeId(i as u32)).entries().len()).max().unwrap_or(0);
    if widest > GUARD_MAX_ENTRIES {
        return Err(format!("a mapping has {widest} keys, more than the {GUARD_MAX_ENTRIES} Guard is given"));
    }
    Ok(())
}

/// Runs one pack on one data document (JSON text) and reads the report.
pub fn evaluate(pack: &Pack, data_json: &str) -> Result<Report, String> {
    report::parse(&run_guard(pack, data_json)?)
}

/// One `Validate` call: payload mode (rules and data in memory), structured JSON written into a
/// `Vec` — never `run_checks`, whose result is cut at 8 KiB. cfn-guard has a few `panic!`s in
/// its reporters; the caller catches them (see [`check_template`]).
pub fn run_guard(pack: &Pack, data_json: &str) -> Result<String, String> {
    validate(pack.payload(data_json))
}

/// The deprecation notices Guard's evaluator gives for one data document (JSON text), such as
/// a `NOT IN` that passed because nothing could be compared. Guard writes them only to the
/// error stream of its unstructured output, so this is a second, unstructured run; for
/// `slint test-pack`, which shows them as `cfn-guard test` does.
pub fn deprecations(pack: &Pack, data_json: &str) -> Vec<String> {
    let Ok(command) = ValidateBuilder::default()
        .payload(true)
        .output_format(OutputFormatType::JSON)
        .show_summary(vec![ShowSummaryType::None])
        .try_build()
    else {
        return Vec::new();
    };
    let mut reader = Reader::new(ReadBuffer::Cursor(Cursor::new(pack.payload(data_json).into_bytes())));
    let Ok(mut writer) = Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new())) else {
        return Vec::new();
    };
    if command.execute(&mut writer, &mut reader).is_err() {
        return Vec::new();
    }
    let errors = writer.err_to_stripped().unwrap_or_default();
    // Guard quotes the clause with its own spacing (`not IN  [1,2]`); one space between words.
    let lines = errors.lines().filter(|l| l.trim_start().starts_with("DEPRECATION:"));
    lines.map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

fn validate(payload: String) -> Result<String, String> {
    let command = ValidateBuilder::default()
        .payload(true)
        .structured(true)
        .output_format(OutputFormatType::JSON)
        .show_summary(vec![ShowSummaryType::None])
        .try_build()
        .map_err(|e| e.to_string())?;
    let mut reader = Reader::new(ReadBuffer::Cursor(Cursor::new(payload.into_bytes())));
    // Both streams into memory: Guard must not write to slint's stdout or stderr.
    let mut writer =
        Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new())).map_err(|e| e.to_string())?;
    let code = command.execute(&mut writer, &mut reader).map_err(|e| one_line(&e.to_string()))?;
    if code == GUARD_ERROR {
        let reason = writer.err_to_stripped().unwrap_or_default();
        return Err(one_line(if reason.trim().is_empty() { "Guard reported an error" } else { &reason }));
    }
    writer.into_string().map_err(|e| e.to_string())
}

/// Guard's errors can quote a whole document; a finding message is one short line.
fn one_line(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    // "..., data beginning with" is followed by the template's first 100 characters.
    let line = line.split(", data beginning with").next().unwrap_or(line);
    let mut line: String = line.chars().take(200).collect();
    if text.trim().chars().count() > line.chars().count() {
        line.push('…');
    }
    line
}

/// A template Guard cannot evaluate is reported as SL001 (slint parsed it, so its built-in
/// rules still ran): the organisation's rules did not run on it, which should not pass silently.
fn cannot_evaluate(meta: &RuleMeta, pack: &Pack, template: &Template, reason: &str) -> Finding {
    let site = Site::new(template.file, top_of(template));
    let message = format!("Guard pack `{}` cannot evaluate this template: {reason}", pack.name);
    let mut finding = Finding::new(meta.code, meta.name, meta.severity, site, message);
    finding.help(format!(
        "the rules of pack `{}` did not run on this template (slint's built-in rules did); fix what Guard reports, \
         or ask the pack's authors",
        pack.name
    ));
    finding
}

/// The findings of one report: one per failing clause and place, deduplicated (two clauses of a
/// rule failing at the same node say the same thing twice).
fn to_findings(pack: &Pack, report: &Report, template: &Template, settings: &RuleSettings) -> Vec<Finding> {
    let mut seen: HashSet<(String, Span, Option<String>)> = HashSet::new();
    let mut findings = Vec::new();
    for failure in &report.failures {
        let fallback;
        let rule = match pack.rule(&failure.rule) {
            Some(rule) => rule,
            None => {
                fallback = unknown_rule(pack, &failure.rule);
                &fallback
            }
        };
        if !settings.is_enabled(&rule.info) {
            continue;
        }
        let finding = to_finding(pack, rule, failure, template);
        if seen.insert((finding.code.to_string(), finding.span, finding.resource.clone())) {
            findings.push(finding);
        }
    }
    findings
}

/// A rule Guard reported that the parse tree did not show (should not happen); reported as a
/// warning rather than dropped.
fn unknown_rule(pack: &Pack, guard_name: &str) -> PackRule {
    let name = guard_name.rsplit('/').next().unwrap_or(guard_name).to_string();
    PackRule {
        info: RuleInfo {
            code: Cow::Owned(format!("{}/{name}", pack.name)),
            name: Cow::Owned(name.clone()),
            category: Cow::Borrowed(CATEGORY),
            severity: Severity::Warning,
            summary: Cow::Borrowed(""),
            docs: Cow::Borrowed(""),
        },
        name,
        help: None,
    }
}

fn to_finding(pack: &Pack, rule: &PackRule, failure: &Failure, template: &Template) -> Finding {
    let message = failure.custom_message.as_deref().map(|m| message::parse_lenient(pack.original_message(m)));
    let message = message.unwrap_or_default();
    let placed = place(template, &failure.at);
    let resource = placed.resource.map(|r| r.id.to_string());
    let path = placed.site.path.as_ref().map(|p| p.to_string()).unwrap_or_default();
    let text = finding_text(&message, failure, resource.as_deref(), &path);
    let severity = message.severity.unwrap_or(rule.info.severity);
    let mut finding = Finding::new(rule.info.code.clone(), rule.info.name.clone(), severity, placed.site, text);
    if let Some(help) = message.help.as_ref().or(rule.help.as_ref()) {
        finding.help(fill_in(help, resource.as_deref(), &path));
    }
    if let Some(r) = placed.inherited_by {
        finding.related(template.file, r.id_span, format!("`{}` inherits this value from `Globals`", r.id));
    }
    finding
}

/// The message: the clause's text with `{resource}` and `{path}` filled in, or a description of
/// the clause when it has no custom message.
fn finding_text(message: &Message, failure: &Failure, resource: Option<&str>, path: &str) -> String {
    if !message.text.is_empty() {
        return fill_in(&message.text, resource, path);
    }
    let subject = resource.map(|r| format!("`{r}`: ")).unwrap_or_default();
    match &failure.at {
        At::Missing { remaining, .. } if !remaining.is_empty() => {
            format!("{subject}`{remaining}` is missing (`{}`)", failure.context)
        }
        At::Value(_) => format!("{subject}`{path}` fails `{}`", failure.context),
        _ => format!("{subject}`{}` is not satisfied", failure.context),
    }
}

/// `{resource}` and `{path}` in a message or a `help:` line.
fn fill_in(text: &str, resource: Option<&str>, path: &str) -> String {
    text.replace("{resource}", resource.unwrap_or("")).replace("{path}", path)
}

/// Where a finding goes.
struct Placed<'t> {
    site: Site,
    resource: Option<&'t crate::model::Resource>,
    /// The resource that inherits the value, when the site is in `Globals`.
    inherited_by: Option<&'t crate::model::Resource>,
}

/// A failing value at its node (a collection at the key naming it); a missing property at the
/// logical id of the resource that lacks it; a failure slint cannot follow to a node at the
/// resource its path names, else at the top of the template.
fn place<'t>(template: &'t Template, at: &At) -> Placed<'t> {
    let nowhere = || match at.resource().and_then(|id| template.resources.iter().find(|r| r.id.as_str() == id)) {
        Some(resource) => {
            Placed { site: template.resource_site(resource), resource: Some(resource), inherited_by: None }
        }
        None => Placed { site: Site::new(template.file, top_of(template)), resource: None, inherited_by: None },
    };
    match at {
        At::Value(path) => match view::resolve(template, path) {
            Some(found) if found.complete => {
                let site = Site::new(template.file, value_span(&found)).with_path(TemplatePath::parse(path));
                let inherited_by = found.resource.filter(|_| is_in_globals(found.node));
                Placed { site, resource: found.resource, inherited_by }
            }
            Some(found) => at_resource_or_node(template, &found),
            None => nowhere(),
        },
        At::Missing { traversed_to, .. } => match view::resolve(template, traversed_to) {
            Some(found) => at_resource_or_node(template, &found),
            None => nowhere(),
        },
        At::Nowhere => nowhere(),
    }
}

fn at_resource_or_node<'t>(template: &'t Template, found: &Located<'t>) -> Placed<'t> {
    let site = match found.resource {
        Some(resource) => template.resource_site(resource),
        None => Site::new(template.file, found.key_span.unwrap_or_else(|| Span::at(found.node.span().start)))
            .with_path(found.node.path()),
    };
    Placed { site, resource: found.resource, inherited_by: None }
}

/// A scalar's own span; a mapping or list is pointed at by its key, not highlighted whole.
fn value_span(found: &Located<'_>) -> Span {
    match found.key_span {
        Some(key) if !found.node.is_scalar() => key,
        _ => found.node.span(),
    }
}

fn is_in_globals(node: NodeRef<'_>) -> bool {
    matches!(node.path().segments().first(), Some(crate::model::tree::Segment::Key(k)) if k == "Globals")
}

/// The first key of the document (line 1 for most templates).
fn top_of(template: &Template) -> Span {
    template.root().and_then(|r| r.entries().first().map(|e| e.key_span)).unwrap_or(Span::at(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pack on one template, through the batched path.
    fn check_template(
        packs: &[Pack],
        template: &Template,
        settings: &RuleSettings,
        failures: &FailureRules,
    ) -> Vec<Finding> {
        check_templates(packs, std::slice::from_ref(template), settings, failures).pop().unwrap_or_default()
    }

    fn test_failure_rules() -> FailureRules {
        FailureRules {
            parse_error: &crate::rules::meta::ParseError::META,
            internal_error: &crate::rules::meta::InternalError::META,
        }
    }
    use crate::guard::pack::{RuleFile, build};
    use crate::model::load::Format;

    fn pack(text: &str) -> Pack {
        build(
            "org".into(),
            "org.guard".into(),
            vec![RuleFile { path: None, display: "org.guard".into(), text: text.into() }],
        )
        .unwrap()
    }

    fn template(text: &str) -> Template {
        crate::guard::view::tests::template(text, Format::Yaml)
    }

    const TIMEOUT_RULE: &str = "\
let fns = Resources.*[ Type == 'AWS::Serverless::Function' ]
rule TIMEOUT when %fns !empty {
    %fns.Properties.Timeout <= 30 <<severity: error\ntimeout of {resource} is above 30 s>>
}
";

    #[test]
    fn templates_past_guard_limits_are_not_given_to_guard() {
        let tags: String = (0..=GUARD_MAX_ENTRIES).map(|i| format!("k{i}: v, ")).collect();
        let text =
            format!("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {{Tags: {{{tags}}}}}\n");
        let findings =
            check_template(&[pack(TIMEOUT_RULE)], &template(&text), &RuleSettings::default(), &test_failure_rules());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "SL001");
        assert!(findings[0].message.ends_with("a mapping has 2001 keys, more than the 2000 Guard is given"));
        let items = "x, ".repeat(GUARD_MAX_NODES as usize);
        let text =
            format!("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {{Layers: [{items}]}}\n");
        let findings =
            check_template(&[pack(TIMEOUT_RULE)], &template(&text), &RuleSettings::default(), &test_failure_rules());
        assert!(
            findings[0].message.contains("nodes (aliases expanded), more than the 50000"),
            "{}",
            findings[0].message
        );
    }

    /// Guard's `run_checks` returns only what is left in an 8 KiB buffer; this report is far
    /// bigger and every failure must still become a finding.
    #[test]
    fn reports_above_8_kib_lose_nothing() {
        let count = 150;
        let mut text = String::from("Transform: AWS::Serverless-2016-10-31\nResources:\n");
        for i in 0..count {
            text.push_str(&format!(
                "  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 60\n"
            ));
        }
        let template = template(&text);
        let pack = pack(TIMEOUT_RULE);
        let raw = run_guard(&pack, &view::to_json(&template)).unwrap();
        assert!(raw.len() > 8 * 1024 * 10, "the report is {} bytes", raw.len());
        let findings =
            check_template(std::slice::from_ref(&pack), &template, &RuleSettings::default(), &test_failure_rules());
        assert_eq!(findings.len(), count);
        let lines: HashSet<usize> = findings.iter().map(|f| text[..f.span.start as usize].lines().count()).collect();
        assert_eq!(lines.len(), count, "each at its own Timeout line");
        assert_eq!(findings[149].message, "timeout of Fn149 is above 30 s");
        assert_eq!(findings[0].severity, Severity::Error);
    }

    /// cloudformation-guard issue 91: Guard alone does not merge SAM `Globals`, so a function
    /// inheriting `Architectures` fails a rule it satisfies. On slint's view it passes.
    #[test]
    fn functions_inheriting_from_globals_pass_unlike_plain_guard() {
        let template = template(
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Architectures: [arm64]\n\
             Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: bootstrap\n",
        );
        let pack = pack("rule ARM { Resources.*.Properties.Architectures[*] == 'arm64' }");
        let as_written = view::node_to_json(template.root().unwrap());
        assert_eq!(evaluate(&pack, &as_written).unwrap().failed.iter().collect::<Vec<_>>(), ["ARM"]);
        let report = evaluate(&pack, &view::to_json(&template)).unwrap();
        assert_eq!(report.passed.iter().collect::<Vec<_>>(), ["ARM"]);
    }

    /// Aliases, `<<` merges and characters Guard's loader rejects in a file are fine in the
    /// JSON slint gives it.
    #[test]
    fn guard_takes_what_its_own_loader_rejects() {
        let text = "Resources:\n  A: &queue\n    Type: AWS::SQS::Queue\n    Properties: {Name: \"😀\\x85\"}\n  B: *queue\n\
                    C:\n    <<: *queue\n";
        let template = template(text);
        let pack = pack("rule Q { Resources.*.Properties.Name exists }");
        let report = evaluate(&pack, &view::to_json(&template)).unwrap();
        assert_eq!(report.passed.iter().collect::<Vec<_>>(), ["Q"]);
    }

    #[test]
    fn a_batch_gives_each_template_what_it_gets_alone() {
        let texts: Vec<String> = [10, 60, 45, 5, 90]
            .iter()
            .map(|s| {
                format!("Resources:\n  Fn{s}:\n    Type: AWS::Serverless::Function\n    Properties: {{Timeout: {s}}}\n")
            })
            .chain(["Resources:\n  Q:\n    Type: AWS::SQS::Queue\n".to_string()])
            .collect();
        let templates: Vec<Template> = texts.iter().map(|t| template(t)).collect();
        let packs = [pack(TIMEOUT_RULE)];
        let settings = RuleSettings::default();
        let batched = check_templates(&packs, &templates, &settings, &test_failure_rules());
        let alone: Vec<Vec<Finding>> =
            templates.iter().map(|t| check_template(&packs, t, &settings, &test_failure_rules())).collect();
        assert_eq!(batched, alone);
        let failing: Vec<usize> = batched.iter().enumerate().filter(|(_, f)| !f.is_empty()).map(|(i, _)| i).collect();
        assert_eq!(failing, [1, 2, 4], "the 60, 45 and 90 s functions");
        assert_eq!(batched[1][0].message, "timeout of Fn60 is above 30 s");
    }

    #[test]
    fn a_batch_guard_cannot_evaluate_whole_is_evaluated_template_by_template() {
        let pack = pack(TIMEOUT_RULE);
        let good = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Timeout: 60}\n";
        // Guard's data loader rejects the empty document, which fails the batch call; the good
        // template still gets its finding from its own call.
        let templates = [template(good), template(good)];
        let data = vec![Some(view::to_json(&templates[0])), Some(String::new())];
        let found =
            check_batch(&pack, &[0], &[0, 1], &templates, &data, &RuleSettings::default(), &test_failure_rules());
        assert_eq!(found[0].1.len(), 1, "{:?}", found[0].1);
        assert_eq!(found[0].1[0].message, "timeout of Fn is above 30 s");
        assert_eq!(found[1].1.len(), 1);
        assert_eq!(found[1].1[0].code, "SL001", "the document Guard cannot read: {:?}", found[1].1);
    }

    #[test]
    fn a_panicking_or_failing_guard_is_an_error_not_a_crash() {
        // Not a template Guard can read: its loader wants a mapping or list.
        let pack = pack(TIMEOUT_RULE);
        assert!(run_guard(&pack, "").is_err());
        assert_eq!(one_line("\n  first\nsecond"), "first…");
    }
}
