//! Everything a run loaded: the files, the templates modelled from them, and what could not
//! be loaded. Built once, in parallel; rules only read it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Discovery, Input, InputKind, WalkProblem};
use crate::files::{FileId, SourceDb, display_path};
use crate::model::load::{self, LoadError};
use crate::model::template::{Modelled, StructureError, Template};
use crate::model::tree::{DuplicateKey, Limits};
use crate::settings::Settings;
use crate::span::{LineIndex, Span};

/// A panic caught while loading one file (reported as SL004, naming the stage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternalFailure {
    pub file: FileId,
    pub span: Span,
    /// What was running: `YAML parser`, `template model`, `Rust source analysis`, ...
    pub stage: String,
    pub message: String,
}

/// A file that could not be read, decoded, parsed or used (reported as SL001).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFailure {
    pub file: FileId,
    pub span: Span,
    pub message: String,
    /// The file could not be used at all (as opposed to a structure error in a template).
    pub fatal: bool,
}

/// A file slint left out on purpose and says so (SL005): a symlink out of the folders it was
/// given, a FIFO where a template or `Cargo.toml` would be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRead {
    pub file: FileId,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Project {
    pub db: SourceDb,
    pub templates: Vec<Template>,
    pub failures: Vec<LoadFailure>,
    /// Files the walk found but did not read, and why.
    pub not_read: Vec<NotRead>,
    /// Panics caught while loading a file: the file is skipped, the run goes on.
    pub internal_errors: Vec<InternalFailure>,
    /// Duplicate mapping keys of every template, by file.
    pub duplicates: Vec<(FileId, DuplicateKey)>,
    /// Files that were read and kept (templates, named documents, sources).
    pub files_checked: usize,
    /// The Rust crates: packages, binaries, their handlers and invoke paths.
    pub source: crate::source::SourceModel,
    /// Template functions and the binaries they deploy.
    pub links: Vec<crate::link::FunctionLink>,
    /// Rust sources and manifests read.
    pub sources_checked: usize,
    /// The CDK stacks among the templates: where their constructs are written.
    pub cdk: crate::cdk::CdkModel,
}

/// How loading one input ended.
enum Loaded {
    Template(Box<Template>, Vec<StructureError>, Vec<DuplicateKey>),
    Broken(Vec<StructureError>, Vec<DuplicateKey>),
    Failed(LoadError),
    /// A stage panicked on the file: `(stage, panic message)`.
    Panicked(&'static str, String),
    /// Read fine but not something slint lints (a walked YAML file that is no template).
    Ignored,
}

/// Options for loading files.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub max_file_size: u64,
    pub limits: Limits,
    /// The folders files may be read from (Rust sources and manifests the templates lead to).
    pub scope: crate::limits::ReadScope,
}

impl Project {
    /// Reads and models every input in parallel, then analyses the Rust crates the templates
    /// deploy (and Lambda crates found on their own) and links functions to their binaries.
    /// File ids follow the (sorted) input order, so ids and output are the same run to run.
    pub fn load(discovery: Discovery, settings: &Settings, options: LoadOptions) -> Project {
        let cwd = settings.cwd.as_path();
        let mut discovery = discovery;
        let cdk = crate::cdk::find_in(&mut discovery);
        let Discovery { inputs, problems, .. } = discovery;
        let results: Vec<(Arc<str>, LineIndex, Loaded)> = inputs
            .par_iter()
            .enumerate()
            .map(|(index, input)| {
                let (text, loaded) =
                    load_input(FileId(index as u32), input, &options, settings.inject_panic.as_deref());
                // Built here, in parallel, rather than when the file joins the database.
                let lines = LineIndex::new(&text);
                (text, lines, loaded)
            })
            .collect();
        let mut project = Project::default();
        for (input, (text, lines, loaded)) in inputs.iter().zip(results) {
            if matches!(loaded, Loaded::Ignored) {
                continue;
            }
            let file = project.db.add_indexed(input.path.clone(), display_path(&input.path, cwd), text, lines);
            project.record(file, loaded);
        }
        for problem in problems {
            project.record_walk_problem(problem, cwd);
        }
        crate::timings::mark(|| crate::timings::counted("templates loaded", project.templates.len(), "template"));
        if !cdk.is_empty() {
            let before = project.db.len();
            project.cdk = crate::cdk::CdkModel::build(
                &cdk,
                &project.templates,
                &mut project.db,
                &options.scope,
                options.max_file_size,
                cwd,
            );
            project.files_checked += project.db.len() - before;
            for (file, message) in &project.cdk.problems {
                project.not_read.push(NotRead { file: *file, message: message.clone() });
            }
            let code_files = project.db.len() - before;
            crate::timings::mark(|| crate::timings::counted("CDK constructs located", code_files, "TypeScript file"));
        }
        project.load_sources(&inputs, settings, &options);
        project
    }

    /// Analyses the crates: the ones template functions point at, Lambda crates found by the
    /// walk, and the crates of named `.rs` files; then links functions to binaries.
    fn load_sources(&mut self, inputs: &[Input], settings: &Settings, options: &LoadOptions) {
        let template_paths: Vec<PathBuf> = self.templates.iter().map(|t| self.db.get(t.file).path.clone()).collect();
        let mut refs = crate::link::code_refs(&self.templates, &template_paths, settings, &options.scope);
        let (cdk_refs, unlinked) =
            self.cdk.code_refs(&self.templates, settings, &options.scope, |t| self.db.get(t.file).path.clone());
        refs.extend(cdk_refs);
        let mut manifests: Vec<PathBuf> =
            refs.iter().filter(|r| !r.outside).map(|r| r.dir.join("Cargo.toml")).filter(|m| m.is_file()).collect();
        for input in inputs {
            match input.kind {
                InputKind::Manifest if input.named || mentions_lambda_runtime(&input.path) => {
                    manifests.push(input.path.clone())
                }
                InputKind::RustSource => manifests.extend(nearest_manifest(&input.path)),
                _ => {}
            }
        }
        manifests.sort();
        manifests.dedup();
        if manifests.is_empty() {
            // Functions whose code is outside, or has no Cargo.toml, still say so (SL005).
            self.links = crate::link::resolve(refs, &crate::source::SourceModel::default());
            self.links.extend(unlinked);
            return;
        }
        let first = u32::try_from(self.db.len()).unwrap_or(u32::MAX);
        let policy = crate::limits::ReadPolicy::new(options.max_file_size, options.scope.clone());
        let mut source = crate::source::analyse_limited(&manifests, first, &policy);
        let files: Vec<(PathBuf, Arc<str>, LineIndex)> = std::mem::take(&mut source.files)
            .into_par_iter()
            .map(|(path, text)| {
                let lines = LineIndex::new(&text);
                (path, text, lines)
            })
            .collect();
        for (path, text, lines) in files {
            let display = display_path(&path, &settings.cwd);
            self.db.add_indexed(path, display, text, lines);
        }
        self.sources_checked = self.db.len() - first as usize;
        self.files_checked += self.sources_checked;
        for problem in &source.problems {
            self.record_source_problem(problem);
        }
        self.links = crate::link::resolve(refs, &source);
        self.links.extend(unlinked);
        self.source = source;
        crate::timings::mark(|| "Rust files indexed, functions linked".into());
    }

    fn record_source_problem(&mut self, problem: &crate::source::SourceProblem) {
        let (file, span, message) = (problem.file, problem.span, problem.message.clone());
        match &problem.kind {
            crate::source::ProblemKind::Parse => self.failures.push(LoadFailure { file, span, message, fatal: true }),
            crate::source::ProblemKind::Internal(stage) => {
                self.internal_errors.push(InternalFailure { file, span, stage: stage.to_string(), message })
            }
            crate::source::ProblemKind::Info => {}
        }
    }

    /// A project of one document given as text, read from nowhere: what `slint check` would
    /// make of a file at `path` named on the command line. For fuzzing and embedding.
    pub fn from_text(path: PathBuf, text: &str, settings: &Settings, limits: Limits) -> Project {
        let loaded = model_document(FileId(0), &path, text, true, limits, None);
        let mut project = Project::default();
        let display = display_path(&path, &settings.cwd);
        let file = project.db.add(path, display, Arc::from(text));
        project.record(file, loaded);
        project
    }

    fn record(&mut self, file: FileId, loaded: Loaded) {
        match loaded {
            Loaded::Template(mut template, errors, duplicates) => {
                self.files_checked += 1;
                self.record_structure(file, errors, duplicates);
                // Ids were provisional (the input's index) while loading in parallel.
                template.file = file;
                self.templates.push(*template);
            }
            Loaded::Broken(errors, duplicates) => {
                self.files_checked += 1;
                self.record_structure(file, errors, duplicates);
            }
            Loaded::Failed(error) => {
                self.files_checked += 1;
                self.failures.push(LoadFailure { file, span: error.span, message: error.message, fatal: true });
            }
            Loaded::Panicked(stage, message) => {
                self.files_checked += 1;
                let stage = stage.to_string();
                self.internal_errors.push(InternalFailure { file, span: Span::at(0), stage, message });
            }
            Loaded::Ignored => {}
        }
    }

    fn record_structure(&mut self, file: FileId, errors: Vec<StructureError>, duplicates: Vec<DuplicateKey>) {
        self.failures.extend(errors.into_iter().map(|e| LoadFailure {
            file,
            span: e.span,
            message: e.message,
            fatal: false,
        }));
        self.duplicates.extend(duplicates.into_iter().map(|d| (file, d)));
    }

    fn record_walk_problem(&mut self, problem: WalkProblem, cwd: &Path) {
        let display = display_path(&problem.path, cwd);
        let file = self.db.add(problem.path, display, Arc::from(""));
        if problem.not_read {
            self.not_read.push(NotRead { file, message: problem.message });
            return;
        }
        self.files_checked += 1;
        self.failures.push(LoadFailure { file, span: Span::at(0), message: problem.message, fatal: true });
    }

    /// Lambda binaries: those with a runtime start or handlers, of a Lambda crate, or deployed
    /// by a template function.
    pub fn lambda_binaries(&self) -> impl Iterator<Item = &crate::source::Binary> {
        let deployed: std::collections::HashSet<crate::source::BinaryId> =
            self.links.iter().filter_map(|l| l.binary.as_ref().ok().copied()).collect();
        crate::source::BinaryId::enumerate(&self.source.binaries)
            .filter(move |(id, b)| b.coverage.is_lambda() || deployed.contains(id))
            .map(|(_, b)| b)
    }

    /// Number of files that could not be used at all.
    pub fn parse_failures(&self) -> usize {
        let mut files: Vec<FileId> = self.failures.iter().filter(|f| f.fatal).map(|f| f.file).collect();
        files.dedup();
        files.len()
    }

    /// Number of files modelled as templates, including ones with structure errors.
    pub fn template_count(&self) -> usize {
        let mut broken: Vec<FileId> = self.failures.iter().filter(|f| !f.fatal).map(|f| f.file).collect();
        broken.sort();
        broken.dedup();
        broken.retain(|f| !self.templates.iter().any(|t| t.file == *f));
        self.templates.len() + broken.len()
    }
}

/// Whether a walked `Cargo.toml` may be a Lambda crate: it names a Lambda runtime crate.
/// Other crates of a monorepo are not analysed (their bins cannot be Lambda handlers).
fn mentions_lambda_runtime(manifest: &Path) -> bool {
    crate::limits::read_limited(manifest, crate::limits::DEFAULT_MAX_FILE_SIZE)
        .is_ok_and(|bytes| bytes.windows(6).any(|w| w == b"lambda"))
}

/// The `Cargo.toml` of the crate a named `.rs` file belongs to.
fn nearest_manifest(file: &Path) -> Option<PathBuf> {
    file.ancestors().skip(1).take(12).map(|dir| dir.join("Cargo.toml")).find(|m| m.is_file())
}

/// Words every template contains; a walked file without any of them is not read further.
const TEMPLATE_MARKERS: &[&str] = &["Resources", "AWSTemplateFormatVersion", "AWS::Serverless"];

fn looks_like_template_text(text: &str) -> bool {
    TEMPLATE_MARKERS.iter().any(|m| text.contains(m))
}

fn load_input(file: FileId, input: &Input, options: &LoadOptions, inject: Option<&str>) -> (Arc<str>, Loaded) {
    if input.kind != InputKind::Document {
        // Rust sources and manifests are loaded by the source analysis.
        return (Arc::from(""), Loaded::Ignored);
    }
    let bytes = match crate::limits::read_limited(&input.path, options.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => return (Arc::from(""), Loaded::Failed(LoadError { span: Span::at(0), message })),
    };
    let text = match load::decode_text(&bytes) {
        Ok(text) => text,
        Err(error) => {
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).as_ref());
            // A walked file that does not look like a template is not one of ours, unless it
            // looks like one in UTF-16 without a byte-order mark: that must not vanish.
            let utf16 = load::looks_like_utf16(&bytes, TEMPLATE_MARKERS);
            if !input.named && !looks_like_template_text(&lossy) && !utf16 {
                return (Arc::from(""), Loaded::Ignored);
            }
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                // Broken UTF-16: the error's position is in text that could not be decoded.
                return (Arc::from(""), Loaded::Failed(LoadError { span: Span::at(0), message: error.message }));
            }
            if utf16 && !looks_like_template_text(&lossy) {
                let message = "file looks like UTF-16 without a byte-order mark; slint reads UTF-8, or UTF-16 that starts with its byte-order mark";
                return (Arc::from(""), Loaded::Failed(LoadError { span: Span::at(0), message: message.into() }));
            }
            return (lossy, Loaded::Failed(error));
        }
    };
    if !input.named && !looks_like_template_text(&text) {
        return (Arc::from(""), Loaded::Ignored);
    }
    let text: Arc<str> = Arc::from(text.as_ref());
    let loaded = model_document(file, &input.path, &text, input.named, options.limits, inject);
    (text, loaded)
}

fn maybe_inject(inject: Option<&str>, stage: &str) {
    if inject == Some(stage) {
        panic!("injected by SLINT_INTERNAL_PANIC for testing");
    }
}

/// Parses and models one document. The parsers and the model are fed hostile text: a panic
/// in either costs this file (an SL004 finding naming the stage), not the run. `inject`
/// (`SLINT_INTERNAL_PANIC=parser` or `model`) makes a stage panic, for tests.
fn model_document(file: FileId, path: &Path, text: &str, named: bool, limits: Limits, inject: Option<&str>) -> Loaded {
    let format = load::detect_format(path, text);
    let parser = match format {
        load::Format::Yaml => "YAML parser",
        load::Format::Json => "JSON parser",
    };
    let parse = || {
        maybe_inject(inject, "parser");
        load::load(text, format, limits)
    };
    let mut tree = match crate::fault::guarded(parse) {
        Ok(Ok(tree)) => tree,
        Ok(Err(error)) => return Loaded::Failed(error),
        Err(panic) => return Loaded::Panicked(parser, panic),
    };
    let duplicates = std::mem::take(&mut tree.duplicates);
    let build = || {
        maybe_inject(inject, "model");
        Template::build(file, tree)
    };
    let modelled = match crate::fault::guarded(build) {
        Ok(modelled) => modelled,
        Err(panic) => return Loaded::Panicked("template model", panic),
    };
    match modelled {
        Modelled::Template(template, errors) => Loaded::Template(template, errors, duplicates),
        Modelled::Broken(_, errors) => Loaded::Broken(errors, duplicates),
        Modelled::NotATemplate(_) if named => Loaded::Broken(Vec::new(), duplicates),
        Modelled::NotATemplate(_) => Loaded::Ignored,
    }
}
