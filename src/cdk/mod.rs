//! CDK apps: the cloud assembly's stack templates are linted like any template, and what the
//! assembly's metadata and the app's TypeScript say is kept here, so that findings point at
//! the user's code (the construct's line, with the generated template as a related location),
//! name constructs rather than hashed logical ids, and functions link to their crates.
//!
//! [`assembly`] reads `cdk.out` through its manifest, [`metadata`] reads construct paths and
//! creation stacks and maps the synthesising machine's paths onto the project, and
//! [`typescript`] reads the construct's call.

pub mod assembly;
pub mod metadata;
pub mod typescript;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Finding, Related};
use crate::discover::{Discovery, Input, WalkProblem};
use crate::files::{FileId, SourceDb, display_path};
use crate::limits::ReadScope;
use crate::link::{CodeRef, FunctionLink};
use crate::model::Template;
use crate::model::tree::Segment;
use crate::settings::Settings;
use crate::span::{LineIndex, Span};

pub use assembly::Assembly;
use metadata::{ConstructPath, PathMap};
use typescript::{CodeSource, ConstructCall};

/// The CDK apps under the folders discovery walked: their stack templates join the inputs, the
/// walked copies inside an assembly written elsewhere leave them, and the assemblies' problems
/// become walk problems.
pub fn find_in(discovery: &mut Discovery) -> Vec<Assembly> {
    let mut found: BTreeMap<PathBuf, Input> =
        std::mem::take(&mut discovery.inputs).into_iter().map(|input| (input.path.clone(), input)).collect();
    let mut assemblies = Vec::new();
    for walked in &discovery.walked {
        assemblies.extend(find_apps(walked, &mut found));
    }
    for problem in assemblies.iter().flat_map(|a| &a.problems) {
        let (path, message) = (problem.path.clone(), problem.message.clone());
        discovery.problems.push(WalkProblem { path, message, not_read: problem.not_analysed });
    }
    discovery.inputs = found.into_values().collect();
    assemblies
}

/// The CDK apps under a walked folder: the folder itself and every folder holding a walked
/// `cdk.json`. Their stack templates become inputs (always modelled as templates).
fn find_apps(walked: &Path, found: &mut BTreeMap<PathBuf, Input>) -> Vec<Assembly> {
    let mut roots: Vec<PathBuf> = found
        .keys()
        .filter(|p| p.starts_with(walked) && p.file_name().is_some_and(|n| n == "cdk.json"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    roots.push(walked.to_path_buf());
    roots.sort();
    roots.dedup();
    let mut assemblies: Vec<Assembly> = roots.iter().filter_map(|root| Assembly::find(root)).collect();
    for assembly in &mut assemblies {
        assembly.walked = walked.to_path_buf();
    }
    // `slint check cdk.out`: the assembly itself was given. Its app folder is outside what
    // slint may read, so findings stay in the templates, naming constructs.
    let given_assembly = walked.join("manifest.json").is_file() && !walked.join("cdk.json").is_file();
    if let (true, Some(app)) = (given_assembly && assemblies.is_empty(), walked.parent()) {
        assemblies.push(Assembly { walked: walked.to_path_buf(), ..Assembly::at(app, walked) });
    }
    // An assembly written elsewhere by `output` of `cdk.json` was walked (only `cdk.out` is
    // skipped by name, which costs the walk nothing; a stat per folder for the CDK's marker
    // file cost the corpus's 540 folders 2.6 ms). Its asset folders hold copies of the
    // project, crates included: drop what the walk found there.
    let elsewhere: Vec<&Path> =
        assemblies.iter().map(|a| a.dir.as_path()).filter(|d| d.file_name().is_some_and(|n| n != "cdk.out")).collect();
    if !elsewhere.is_empty() {
        found.retain(|path, input| input.named || !elsewhere.iter().any(|dir| path.starts_with(dir)));
    }
    for stack in assemblies.iter().flat_map(|a| &a.stacks) {
        let path = stack.template.clone();
        found.entry(path.clone()).or_insert(Input { path, kind: crate::discover::InputKind::Document, named: true });
    }
    assemblies
}

/// Where a construct is written in the project: the innermost creation-stack frame that is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub file: FileId,
    /// The word the frame points at (`new`, a method name).
    pub span: Span,
    /// The call there, when the TypeScript was read.
    pub call: Option<ConstructCall>,
}

/// A resource of a CDK stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdkResource {
    pub construct: ConstructPath,
    pub written: Option<Written>,
    /// `aws:asset:path` of a Lambda function mapped into the project, when it is a crate folder
    /// (a `RustFunction` synthesised without bundling).
    pub crate_dir: Option<PathBuf>,
}

/// A stack template of a CDK app and its resources by logical id.
#[derive(Clone, Debug)]
pub struct CdkStack {
    /// Index into the project's templates.
    pub template: crate::model::TemplateId,
    pub file: FileId,
    /// The app's folder: `process.cwd()` when `cdk` ran, and where shown paths start.
    pub root: PathBuf,
    pub resources: HashMap<String, CdkResource>,
}

/// Every CDK stack of the run.
#[derive(Clone, Debug, Default)]
pub struct CdkModel {
    pub stacks: Vec<CdkStack>,
    /// TypeScript files that could not be analysed, and why (reported as SL005).
    pub problems: Vec<(FileId, String)>,
    by_file: HashMap<FileId, usize>,
}

/// A TypeScript file read: its path, text, lines, the spans its frames point at, and the calls.
struct ReadCode {
    path: PathBuf,
    text: Arc<str>,
    lines: LineIndex,
    spans: Vec<Span>,
    /// The calls, or why the file was not parsed.
    calls: Result<Vec<Option<ConstructCall>>, String>,
}

/// A frame mapped into the project, before its file is read.
struct Located {
    stack: usize,
    logical_id: String,
    file: PathBuf,
    line: u32,
    column: u32,
}

impl CdkModel {
    /// Matches each assembly's stacks with the loaded templates, maps every resource's creation
    /// stack into the project, and reads each TypeScript file it leads to once (adding it to
    /// `db`, so findings can point into it).
    pub fn build(
        assemblies: &[Assembly],
        templates: &[Template],
        db: &mut SourceDb,
        scope: &ReadScope,
        max_file_size: u64,
        cwd: &Path,
    ) -> CdkModel {
        let mut model = CdkModel::default();
        let mut located = Vec::new();
        for assembly in assemblies {
            let mut paths = PathMap::new(&assembly.root).with_walked(&assembly.walked).with_scope(scope);
            for stack in &assembly.stacks {
                let Some(construct) = &stack.construct else { continue };
                let Some(index) = templates.iter().position(|t| db.get(t.file).path == stack.template) else {
                    continue;
                };
                let template = &templates[index];
                let mut resources = HashMap::new();
                for entry in assembly.resources_of(construct) {
                    let Some(id) = entry.logical_id.clone() else { continue };
                    let frame = entry.creation.iter().find_map(|f| {
                        let file = paths.map(&f.file).filter(|p| is_user_code(p, scope))?;
                        Some((file, f.line, f.column))
                    });
                    if let Some((file, line, column)) = frame {
                        let stack = model.stacks.len();
                        located.push(Located { stack, logical_id: id.clone(), file, line, column });
                    }
                    let crate_dir = asset_crate(template, &id, &mut paths, scope);
                    resources.insert(id, CdkResource { construct: entry.path.clone(), written: None, crate_dir });
                }
                model.by_file.insert(template.file, model.stacks.len());
                model.stacks.push(CdkStack {
                    template: crate::model::TemplateId::new(index),
                    file: template.file,
                    root: assembly.root.clone(),
                    resources,
                });
            }
        }
        model.read_code(located, db, max_file_size, cwd);
        model
    }

    /// Reads and parses each file the frames lead to once (in parallel), and records where
    /// each resource is written.
    fn read_code(&mut self, located: Vec<Located>, db: &mut SourceDb, max_file_size: u64, cwd: &Path) {
        let mut by_file: BTreeMap<PathBuf, Vec<&Located>> = BTreeMap::new();
        for place in &located {
            by_file.entry(place.file.clone()).or_default().push(place);
        }
        let roots: HashMap<usize, &Path> = self.stacks.iter().enumerate().map(|(i, s)| (i, s.root.as_path())).collect();
        let read: Vec<ReadCode> = by_file
            .par_iter()
            .map(|(path, places)| {
                let text = match read_text(path, max_file_size) {
                    Ok(text) => text,
                    Err(reason) => {
                        let (text, lines): (Arc<str>, _) = (Arc::from(""), LineIndex::new(""));
                        return ReadCode { path: path.clone(), text, lines, spans: Vec::new(), calls: Err(reason) };
                    }
                };
                let lines = LineIndex::new(&text);
                let spans: Vec<Span> = places.iter().map(|p| word_at(&text, &lines, p.line, p.column)).collect();
                let offsets: Vec<u32> = spans.iter().map(|s| s.start).collect();
                let dirname = path.parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
                let app_root =
                    roots.get(&places[0].stack).map(|r| r.to_string_lossy().into_owned()).unwrap_or_default();
                let request = typescript::Request { text: &text, offsets: &offsets, dirname: &dirname, cwd: &app_root };
                // A frame in another language's file (a `.py` of a Python app) keeps its line.
                let calls = if typescript::is_script(path) {
                    typescript::analyse(&request)
                } else {
                    Ok(vec![None; offsets.len()])
                };
                ReadCode { path: path.clone(), text, lines, spans, calls }
            })
            .collect();
        for ReadCode { path, text, lines, spans, calls } in read {
            let display = display_path(&path, cwd);
            let file = db.add_indexed(path.clone(), display, text, lines);
            let calls = match calls {
                Ok(calls) => calls,
                // Unread: the constructs stay in the template. Unparsed: they keep their line.
                Err(reason) => {
                    let stays = if spans.is_empty() { "stay in the template" } else { "point at their line" };
                    self.problems.push((
                        file,
                        format!(
                            "the TypeScript is not analysed: {reason}; findings on its constructs {stays}, \
                             and their crates are not linked from it"
                        ),
                    ));
                    vec![None; spans.len()]
                }
            };
            for ((place, span), call) in by_file[&path].iter().zip(spans).zip(calls) {
                if let Some(resource) = self.stacks[place.stack].resources.get_mut(&place.logical_id) {
                    resource.written = Some(Written { file, span, call });
                }
            }
        }
    }

    /// The CDK stack whose template is `file`.
    pub fn stack(&self, file: FileId) -> Option<&CdkStack> {
        self.by_file.get(&file).map(|&i| &self.stacks[i])
    }

    /// The code references of the Rust functions of every CDK stack, and the functions whose
    /// code slint could not find (already resolved to their reason).
    pub fn code_refs(
        &self,
        templates: &[Template],
        settings: &Settings,
        scope: &ReadScope,
        template_path: impl Fn(&Template) -> PathBuf,
    ) -> (Vec<CodeRef>, Vec<FunctionLink>) {
        let mut refs = Vec::new();
        let mut unlinked = Vec::new();
        for stack in &self.stacks {
            let template = &templates[stack.template];
            for (fi, function) in crate::model::FunctionId::enumerate(&template.functions) {
                let Some(resource) = stack.resources.get(function.id.as_str()) else { continue };
                let configured = settings.function_setting(&template_path(template), resource.construct.shown());
                let found = match configured.and_then(|c| c.krate.clone()) {
                    Some(dir) => {
                        Some(Ok(CrateCode { dir, bin: configured.and_then(|c| c.bin.clone()), cargo_lambda: true }))
                    }
                    None => code_of(template, function.resource(template), resource, &stack.root),
                };
                let shown = |dir: &Path| display_path(dir, &stack.root);
                match found {
                    None => {}
                    Some(Ok(CrateCode { dir, bin, cargo_lambda })) => refs.push(CodeRef {
                        template: stack.template,
                        function: fi,
                        outside: !scope.allows_as_written(&dir),
                        shown: shown(&dir),
                        dir,
                        bin,
                        built_by_cargo_lambda: cargo_lambda,
                        node: None,
                    }),
                    Some(Err(reason)) => {
                        let code = CodeRef {
                            template: stack.template,
                            function: fi,
                            dir: stack.root.clone(),
                            bin: None,
                            built_by_cargo_lambda: true,
                            node: None,
                            shown: ".".into(),
                            outside: false,
                        };
                        let reason = format!(
                            "{reason}; map it in slint.toml: [functions.\"{}\"] crate = \"..\", bin = \"..\"",
                            resource.construct.shown()
                        );
                        unlinked.push(FunctionLink {
                            template: stack.template,
                            function: fi,
                            code,
                            binary: Err(crate::link::Unlinked(reason)),
                        });
                    }
                }
            }
        }
        (refs, unlinked)
    }
}

/// Where a function's code is: its crate folder, the bin when known, and whether cargo-lambda
/// builds it (`RustFunction`, `target/lambda/<bin>`) or plain cargo (`target/<profile>`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct CrateCode {
    dir: PathBuf,
    bin: Option<String>,
    cargo_lambda: bool,
}

/// The crate folder and bin of a CDK function, in the order: `aws:asset:path` when it is
/// a crate folder, then the construct's TypeScript. `None`: not a Rust function.
fn code_of(
    template: &Template,
    resource: &crate::model::template::Resource,
    cdk: &CdkResource,
    root: &Path,
) -> Option<Result<CrateCode, String>> {
    let call = cdk.written.as_ref().and_then(|w| w.call.as_ref());
    let rust_function = matches!(call.and_then(|c| c.code.as_ref()), Some(CodeSource::RustFunction { .. }));
    let runtime = template.property(resource, "Runtime").and_then(|r| r.as_str()).unwrap_or("");
    if !rust_function && !runtime.starts_with("provided") {
        return None;
    }
    let from_ts = match call.and_then(|c| c.code.as_ref()) {
        Some(CodeSource::RustFunction { manifest, bin }) => {
            Some(rust_function_code(manifest.as_ref(), bin.as_ref(), root))
        }
        Some(CodeSource::Asset(path)) => Some(asset_code(path, root)),
        None => None,
    };
    if let Some(dir) = &cdk.crate_dir {
        // The crate is known; the TypeScript still names the bin.
        let bin = match &from_ts {
            Some(Ok(code)) => code.bin.clone(),
            _ => None,
        };
        return Some(Ok(CrateCode { dir: dir.clone(), bin, cargo_lambda: true }));
    }
    Some(from_ts.unwrap_or_else(|| {
        Err(match &cdk.written {
            None => "no frame of its creation stack is a file of this project".to_string(),
            Some(Written { call: None, .. }) => {
                "slint could not read the TypeScript where it is created (see the Known limitations of the README)"
                    .to_string()
            }
            Some(_) => "slint found neither `new RustFunction` nor `Code.fromAsset` where it is created".to_string(),
        })
    }))
}

fn rust_function_code(
    manifest: Option<&typescript::Evaluated>,
    bin: Option<&typescript::Evaluated>,
    root: &Path,
) -> Result<CrateCode, String> {
    // cargo-lambda-cdk's default `manifestPath` is the working folder, where `cdk` ran.
    let manifest = match manifest {
        Some(Ok(path)) => crate::fs::absolute(root, Path::new(path)),
        Some(Err(text)) => return Err(format!("its `manifestPath` is `{text}`, which slint cannot evaluate")),
        None => root.to_path_buf(),
    };
    let dir = if manifest.file_name().is_some_and(|n| n == "Cargo.toml") {
        manifest.parent().map_or_else(|| root.to_path_buf(), Path::to_path_buf)
    } else {
        manifest
    };
    let bin = match bin {
        Some(Ok(bin)) => Some(bin.clone()),
        Some(Err(text)) => return Err(format!("its `binaryName` is `{text}`, which slint cannot evaluate")),
        None => None,
    };
    Ok(CrateCode { dir, bin, cargo_lambda: true })
}

/// `Code.fromAsset(<crate>/target/lambda/<bin>)`: cargo-lambda's output folder; or plain
/// cargo's, `<crate>/target/[<triple>/]<profile>` holding a `bootstrap` (the package's bin).
fn asset_code(path: &typescript::Evaluated, root: &Path) -> Result<CrateCode, String> {
    let path = match path {
        Ok(path) => path,
        Err(text) => return Err(format!("its code is `Code.fromAsset({text})`, which slint cannot evaluate")),
    };
    let absolute = crate::fs::absolute(root, Path::new(path));
    let text = absolute.to_string_lossy();
    if let Some((krate, rest)) = text.split_once("/target/lambda/") {
        let bin = rest.split('/').next().filter(|b| !b.is_empty()).map(str::to_string);
        return Ok(CrateCode { dir: PathBuf::from(krate), bin, cargo_lambda: true });
    }
    let plain_cargo = text.split_once("/target/").filter(|(_, rest)| {
        let steps: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        matches!(steps.as_slice(), [_, "debug" | "release"] | ["debug" | "release"])
    });
    match plain_cargo {
        Some((krate, _)) => Ok(CrateCode { dir: PathBuf::from(krate), bin: None, cargo_lambda: false }),
        None => Err(format!(
            "its asset folder `{}` is neither cargo-lambda's output (`<crate>/target/lambda/<bin>`) nor cargo's \
             (`<crate>/target/[<target>/]release`)",
            display_path(&absolute, root)
        )),
    }
}

/// A TypeScript file's text: within the size limit, UTF-8.
fn read_text(path: &Path, max_file_size: u64) -> Result<Arc<str>, String> {
    let bytes = crate::limits::read_limited(path, max_file_size)?;
    String::from_utf8(bytes).map(Arc::from).map_err(|_| "the file is not UTF-8".to_string())
}

/// `aws:asset:path` of a resource, mapped into the project, when it is a crate folder.
fn asset_crate(template: &Template, logical_id: &str, paths: &mut PathMap, scope: &ReadScope) -> Option<PathBuf> {
    let resource = template.resource(logical_id)?;
    if !resource.kind.is_function() {
        return None;
    }
    let metadata = template.node(resource.metadata?);
    let asset = metadata.get("aws:asset:path")?.as_str()?;
    // `asset.<hash>` (relative) is a copy in the assembly: it holds no crate.
    let absolute = asset.starts_with('/') || asset.get(1..3) == Some(":\\");
    let dir = paths.map(asset).filter(|_| absolute)?;
    (scope.allows(&dir) && dir.join("Cargo.toml").is_file()).then_some(dir)
}

/// A file of the project a finding may point into: not a dependency's, inside the folders
/// slint was given (the app's folder, or beside it), and readable.
fn is_user_code(path: &Path, scope: &ReadScope) -> bool {
    !path.components().any(|c| c.as_os_str() == "node_modules" || c.as_os_str() == "cdk.out")
        && path.is_file()
        && scope.allows(path)
}

/// The word starting at a 1-based line and column (V8's), as a span; one character at least.
fn word_at(text: &str, lines: &LineIndex, line: u32, column: u32) -> Span {
    let start = lines.offset_of(text, line as usize, column.saturating_sub(1) as usize);
    let rest = &text[start as usize..];
    let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len()).max(1);
    let end = (start as usize + len).min(text.len());
    Span::new(start, u32::try_from(end).unwrap_or(start))
}

/// Moves the findings on CDK stack templates to the code that creates the construct, with the
/// template location as a related location, and names constructs instead of logical ids.
pub fn relocate(mut findings: Vec<Finding>, cdk: &CdkModel, templates: &[Template], db: &SourceDb) -> Vec<Finding> {
    if cdk.stacks.is_empty() {
        return findings;
    }
    for finding in &mut findings {
        let mut touched: Vec<&CdkStack> = Vec::new();
        for related in &mut finding.related {
            if let Some(stack) = cdk.stack(related.file) {
                relocate_related(related, stack, &templates[stack.template]);
                touched.push(stack);
            }
        }
        let home = cdk.stack(finding.file);
        touched.extend(home);
        if !touched.is_empty() {
            finding.message = name_constructs(&finding.message, &touched);
            for related in &mut finding.related {
                related.message = name_constructs(&related.message, &touched);
            }
        }
        // Last: the related location it adds keeps the template's own names.
        if let Some(stack) = home {
            move_to_code(finding, stack, db);
        }
    }
    findings
}

fn move_to_code(finding: &mut Finding, stack: &CdkStack, db: &SourceDb) {
    // The resource of the node the rule points at (an event source mapping), else the one the
    // finding is about.
    let at_node = finding.path.as_ref().and_then(|p| p.resource()).map(str::to_string);
    let Some(id) = at_node.or_else(|| finding.resource.clone()) else { return };
    let Some(resource) = stack.resources.get(&id) else { return };
    let Some(written) = &resource.written else { return };
    let template = db.get(stack.file);
    let shown = template.display.rsplit('/').next().unwrap_or(&template.display).to_string();
    let node = finding.path.as_ref().map_or_else(|| format!("Resources/{id}"), |p| p.to_string());
    let related =
        Related { file: finding.file, span: finding.span, message: format!("generated as `{node}` in {shown}") };
    let property = finding.path.as_ref().and_then(|p| match p.segments() {
        [_, _, Segment::Key(section), Segment::Key(property), ..] if section == "Properties" => Some(property.as_str()),
        _ => None,
    });
    let key = property.and_then(|p| written.call.as_ref()?.key(&prop_name(p)));
    finding.file = written.file;
    finding.span = key.unwrap_or(written.span);
    // The template path is the related location's now; in the TypeScript it would mislead.
    finding.path = None;
    finding.related.insert(0, related);
}

/// A related location in a CDK template (the deploying function of a finding in Rust code)
/// moves to the construct's line too.
fn relocate_related(related: &mut Related, stack: &CdkStack, template: &Template) {
    let inside = template.resources.iter().find(|r| {
        let span = template.node(r.node).span();
        (span.start <= related.span.start && related.span.end <= span.end) || r.id_span == related.span
    });
    let Some(written) = inside.and_then(|r| stack.resources.get(r.id.as_str())).and_then(|c| c.written.as_ref()) else {
        return;
    };
    related.file = written.file;
    related.span = written.span;
}

/// The CDK prop a CloudFormation property is written as: lowerCamelCase, or its L2 name.
fn prop_name(property: &str) -> String {
    match property {
        "TracingConfig" => "tracing".into(),
        "RedrivePolicy" => "deadLetterQueue".into(),
        "ScalingConfig" => "maxConcurrency".into(),
        "FunctionResponseTypes" => "reportBatchItemFailures".into(),
        "DeadLetterConfig" => "deadLetterQueue".into(),
        _ => {
            let mut chars = property.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// Replaces each backticked logical id of the stacks with its construct path.
fn name_constructs(message: &str, stacks: &[&CdkStack]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push('`');
        let quoted = i % 2 == 0;
        match stacks.iter().find_map(|s| s.resources.get(part)).filter(|_| quoted) {
            Some(resource) => out.push_str(resource.construct.shown()),
            None => out.push_str(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_are_named_as_cdk_props() {
        assert_eq!(prop_name("Timeout"), "timeout");
        assert_eq!(prop_name("ReservedConcurrentExecutions"), "reservedConcurrentExecutions");
        assert_eq!(prop_name("TracingConfig"), "tracing");
    }

    #[test]
    fn asset_folders_of_cargo_lambda_and_of_cargo_name_their_crate() {
        let root = Path::new("/app");
        let code = |path: &str| asset_code(&Ok(path.to_string()), root);
        let lambda = code("services/orders/target/lambda/create-order/").unwrap();
        assert_eq!(
            (lambda.dir, lambda.bin, lambda.cargo_lambda),
            ("/app/services/orders".into(), Some("create-order".into()), true)
        );
        let musl = code("functions/target/x86_64-unknown-linux-musl/debug/").unwrap();
        assert_eq!((musl.dir, musl.bin, musl.cargo_lambda), ("/app/functions".into(), None, false));
        assert!(code("/app/target/release").is_ok());
        assert!(code("/app/legacy").unwrap_err().contains("neither cargo-lambda's output"));
        assert!(code("/app/target/release/deps/extra").is_err(), "not a profile folder");
    }

    #[test]
    fn messages_name_constructs_only_inside_backticks() {
        let mut resources = HashMap::new();
        let construct = ConstructPath("/S/Fn/Resource".into());
        resources.insert("FnAB12".to_string(), CdkResource { construct, written: None, crate_dir: None });
        let stack =
            CdkStack { template: crate::model::TemplateId::new(0), file: FileId(0), root: PathBuf::new(), resources };
        assert_eq!(name_constructs("function `FnAB12` and FnAB12", &[&stack]), "function `S/Fn` and FnAB12");
    }
}
