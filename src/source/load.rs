//! Loading: manifests → packages and crates, then every `.rs` file reachable from a crate root
//! through `mod` declarations, parsed in parallel waves (roots first, then the modules they
//! declare, ...). Each file is read and parsed exactly once, however many crates include it.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::ProblemKind;
use super::cargo::{self, Manifest, Package, PackageRole, WorkspaceSection, normalize};
use super::collect;
use super::comments;
use super::facts::{AllowComment, FileFacts, ModuleSource};
use crate::limits::{ReadError, ReadPolicy};
use crate::span::Span;
/// Ancestor folders searched for a workspace root.
const MAX_WORKSPACE_SEARCH: usize = 8;

/// A problem found while loading, against a file index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    pub file: LoadedFileId,
    pub span: Span,
    pub message: String,
    pub kind: ProblemKind,
}

crate::index::index_type! {
    /// A file of the loaded crates: an index into [`Loaded::files`]. Its `FileId` in the run's
    /// `SourceDb` is `first_file_id` plus the index ([`Loaded::file_id`]).
    pub struct LoadedFileId for LoadedFile;
}

pub struct LoadedFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    /// `None` for manifests and for Rust files that could not be parsed.
    pub facts: Option<FileFacts>,
}

/// Where code refers to a crate by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DepTarget {
    /// A crate of this analysis (a lib target).
    Crate(usize),
    /// A crate we do not have the source of, by its canonical crate name.
    External(String),
}

/// A compilation unit: a lib target or a bin target.
pub struct CrateUnit {
    /// The crate name: the lib's crate name, or the bin's name.
    pub name: String,
    pub package: usize,
    /// Index into the package's `bins` for bin targets.
    pub bin: Option<usize>,
    /// The root file, when it exists.
    pub root: Option<LoadedFileId>,
    /// Names code can use for other crates, after renames.
    pub deps: Vec<(String, DepTarget)>,
}

impl CrateUnit {
    pub fn is_lib(&self) -> bool {
        self.bin.is_none()
    }
}

#[derive(Default)]
pub struct Loaded {
    /// The `FileId` of `files[0]`.
    pub first_file_id: u32,
    pub files: Vec<LoadedFile>,
    pub packages: Vec<Package>,
    pub crates: Vec<CrateUnit>,
    pub problems: Vec<LoadProblem>,
    pub comments: Vec<(LoadedFileId, AllowComment)>,
    /// `(file, module, child)` of a `mod x;` → the file it loads.
    pub child_files: FxHashMap<(LoadedFileId, usize, usize), LoadedFileId>,
    by_path: FxHashMap<PathBuf, LoadedFileId>,
}

impl Loaded {
    fn add_file(&mut self, path: PathBuf, text: Arc<str>) -> LoadedFileId {
        let index = LoadedFileId::new(self.files.len());
        self.by_path.insert(path.clone(), index);
        self.files.push(LoadedFile { path, text, facts: None });
        index
    }

    /// The loaded file of a `FileId` this load handed out (see [`Loaded::file_id`]).
    pub fn loaded_file(&self, id: crate::files::FileId) -> LoadedFileId {
        LoadedFileId::new(id.0.saturating_sub(self.first_file_id) as usize)
    }

    /// The run's `FileId` of a loaded file.
    pub fn file_id(&self, file: LoadedFileId) -> crate::files::FileId {
        crate::files::FileId(self.first_file_id.saturating_add(u32::try_from(file.index()).unwrap_or(u32::MAX)))
    }

    fn problem(&mut self, file: LoadedFileId, span: Span, message: String, kind: ProblemKind) {
        self.problems.push(LoadProblem { file, span, message, kind });
    }
}

/// Loads the crates of `manifests`; files (manifests or `.rs`) are read only as `policy`
/// allows: small enough, and inside the folders slint was given.
pub fn load(manifests: &[PathBuf], first_file_id: u32, policy: &ReadPolicy) -> Loaded {
    let mut loaded = Loaded { first_file_id, ..Loaded::default() };
    let mut packages = PackageLoader { policy: policy.clone(), ..PackageLoader::default() };
    packages.run(manifests, &mut loaded);
    crate::timings::mark(|| crate::timings::counted("Cargo manifests", loaded.packages.len(), "package"));
    report_outside_workspace(&mut loaded);
    build_crates(&mut loaded);
    load_sources(&mut loaded, policy);
    loaded
}

/// Largest `.rs` file or manifest analysed. Parsing Rust costs about 160 bytes of memory per
/// byte of code (a 20 MB file took 3 GB and 14 s), so `max-file-size` alone is far too loose;
/// hand-written files stay well below this.
pub const MAX_PARSED_BYTES: u64 = 1 << 20;

/// Reads a `.rs` file or a manifest under `policy`, and within [`MAX_PARSED_BYTES`].
fn read_source(policy: &ReadPolicy, path: &Path) -> Result<Vec<u8>, (String, ProblemKind)> {
    // Outside as written (a path dependency on `/`): refused before anything touches it.
    if !policy.scope.allows_as_written(path) {
        return Err((crate::limits::OUT_OF_SCOPE.to_string(), ProblemKind::Info));
    }
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > MAX_PARSED_BYTES && size <= policy.max_bytes && policy.scope.allows(path) {
        let message = format!(
            "file is {size} bytes; slint analyses Rust sources and manifests of up to {MAX_PARSED_BYTES} bytes \
             (parsing needs about 160 bytes of memory per byte); not analysed"
        );
        return Err((message, ProblemKind::Info));
    }
    match policy.read(path) {
        Ok(bytes) => Ok(bytes),
        Err(ReadError::OutOfScope(message)) => Err((message, ProblemKind::Info)),
        Err(ReadError::Failed(message)) => Err((message, ProblemKind::Parse)),
    }
}

/// A text file read under `policy`; a refusal or failure as the problem to report.
fn read_text(policy: &ReadPolicy, path: &Path) -> Result<String, (String, ProblemKind)> {
    match read_source(policy, path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| ("file is not valid UTF-8".to_string(), ProblemKind::Parse)),
        Err(problem) => Err(problem),
    }
}

// ----- manifests ----------------------------------------------------------------------------

#[derive(Default)]
struct PackageLoader {
    /// Parsed manifests by normalized path (`None`: unreadable or broken).
    manifests: FxHashMap<PathBuf, Option<(LoadedFileId, Manifest)>>,
    /// Package index by normalized manifest path.
    packages: FxHashMap<PathBuf, usize>,
    /// Workspaces whose members were queued already.
    expanded: FxHashSet<PathBuf>,
    /// Ancestor manifests looked at for a `[workspace]`.
    peeked: FxHashMap<PathBuf, Option<WorkspaceSection>>,
    /// What may be read: `max-file-size`, and only inside the folders slint was given.
    policy: ReadPolicy,
    /// The manifests slint was given, read and parsed ahead in parallel; the (serial) walk
    /// takes them from here, so file ids and problems come out in the same order as without.
    prefetched: FxHashMap<PathBuf, Fetched>,
    /// Members of the workspaces looked at, by workspace folder: every member asks whether it
    /// belongs, and expanding the member globs costs a `stat` per member.
    members: FxHashMap<PathBuf, Vec<PathBuf>>,
    /// Packages inside a workspace that does not list them (cargo cannot build them), with
    /// that workspace's manifest.
    orphans: FxHashMap<PathBuf, PathBuf>,
    /// Lib and bin targets of the prefetched packages, found in parallel too (each costs a few
    /// `stat`s and a `read_dir` of `src/bin`).
    targets: FxHashMap<PathBuf, Targets>,
}

/// A package's lib target (crate name, root file) and its bin targets.
type Targets = (Option<(String, PathBuf)>, Vec<cargo::BinDecl>);

fn targets(manifest: &Manifest, path: &Path) -> Targets {
    let dir = path.parent().unwrap_or(Path::new(""));
    let name = manifest.package.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
    (cargo::lib_target(manifest, dir, name), cargo::bin_targets(manifest, dir, name))
}

/// A manifest's text and parse outcome (a panic in the parser as its message), or why it
/// could not be read.
type Fetched = Result<(String, Result<Result<Manifest, cargo::ManifestError>, String>), (String, ProblemKind)>;

fn fetch(policy: &ReadPolicy, path: &Path) -> Fetched {
    let text = read_text(policy, path)?;
    let parsed = parse_manifest_guarded(&text);
    Ok((text, parsed))
}

fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn manifest_path(path: &Path) -> PathBuf {
    if path.is_dir() { path.join("Cargo.toml") } else { path.to_path_buf() }
}

impl PackageLoader {
    fn run(&mut self, manifests: &[PathBuf], loaded: &mut Loaded) {
        let mut queue: VecDeque<(PathBuf, PackageRole)> =
            manifests.iter().map(|m| (absolute(&manifest_path(m)), PackageRole::Root)).collect();
        let policy = &self.policy;
        let fetched: Vec<(PathBuf, Fetched, Option<Targets>)> = queue
            .par_iter()
            .map(|(path, _)| {
                let fetched = fetch(policy, path);
                let found = match &fetched {
                    Ok((_, Ok(Ok(manifest)))) if manifest.package.is_some() => Some(targets(manifest, path)),
                    _ => None,
                };
                (path.clone(), fetched, found)
            })
            .collect();
        for (path, fetched, found) in fetched {
            if let Some(found) = found {
                self.targets.insert(path.clone(), found);
            }
            self.prefetched.insert(path, fetched);
        }
        while let Some((path, role)) = queue.pop_front() {
            if let Some(&index) = self.packages.get(&path) {
                if role == PackageRole::Root {
                    loaded.packages[index].role = PackageRole::Root;
                }
                continue;
            }
            let Some((file, manifest)) = self.load_manifest(&path, loaded) else {
                continue;
            };
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            if let (Some(workspace), PackageRole::Root) = (&manifest.workspace, role)
                && self.expanded.insert(path.clone())
            {
                let inside = |p: &Path| self.policy.scope.allows_as_written(p);
                for member in cargo::workspace_members(workspace, &dir, &inside) {
                    queue.push_back((member.join("Cargo.toml"), PackageRole::Root));
                }
            }
            if manifest.package.is_some() {
                let index = self.add_package(&path, file, &manifest, role, loaded);
                for dep in &loaded.packages[index].dependencies {
                    if let Some(dep_dir) = &dep.path {
                        queue.push_back((absolute(&dep_dir.join("Cargo.toml")), PackageRole::PathDependency));
                    }
                }
            }
        }
    }

    /// The `[workspace]` of an ancestor manifest, read without adding the file to the
    /// analysis (an unrelated or broken manifest above the project is none of our business).
    fn peek_workspace(&mut self, path: &Path) -> Option<WorkspaceSection> {
        if let Some(Some((_, manifest))) = self.manifests.get(path) {
            return manifest.workspace.clone();
        }
        if let Some(Ok((_, Ok(Ok(manifest))))) = self.prefetched.get(path) {
            return manifest.workspace.clone();
        }
        self.peeked
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = read_text(&self.policy, path).ok()?;
                parse_manifest_guarded(&text).ok()?.ok()?.workspace
            })
            .clone()
    }

    /// Reads and parses a manifest once; a broken one becomes a parse problem.
    fn load_manifest(&mut self, path: &Path, loaded: &mut Loaded) -> Option<(LoadedFileId, Manifest)> {
        if let Some(cached) = self.manifests.get(path) {
            return cached.clone();
        }
        let fetched = self.prefetched.remove(path).unwrap_or_else(|| fetch(&self.policy, path));
        let result = match fetched {
            Ok((text, parsed)) => {
                let file = loaded.add_file(path.to_path_buf(), Arc::from(text));
                match parsed {
                    Ok(Ok(manifest)) => Some((file, manifest)),
                    Ok(Err(e)) => {
                        let message = format!("cannot parse Cargo.toml: {}", e.message);
                        loaded.problem(file, e.span, message, ProblemKind::Parse);
                        None
                    }
                    Err(panic) => {
                        loaded.problem(file, Span::default(), panic, ProblemKind::Internal(MANIFEST_STAGE));
                        None
                    }
                }
            }
            Err((message, kind)) => {
                let file = loaded.add_file(path.to_path_buf(), Arc::from(""));
                loaded.problem(file, Span::default(), message, kind);
                None
            }
        };
        self.manifests.insert(path.to_path_buf(), result.clone());
        result
    }

    fn add_package(
        &mut self,
        path: &Path,
        file: LoadedFileId,
        manifest: &Manifest,
        role: PackageRole,
        loaded: &mut Loaded,
    ) -> usize {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = manifest.package.as_ref().map(|p| p.name.clone()).unwrap_or_default();
        let root = self.workspace_root(path, manifest, loaded);
        let workspace = root
            .as_ref()
            .and_then(|(root_path, _, ws)| ws.as_ref().map(|w| (w, root_path.parent().unwrap_or(Path::new("")))));
        let dependencies: Vec<cargo::Dependency> =
            manifest.dependencies.iter().map(|d| cargo::resolve_dependency(d, &dir, workspace)).collect();
        let own_profile = manifest
            .release_profile
            .clone()
            .map(|section| cargo::ReleaseProfile { manifest: loaded.file_id(file), section });
        let (release_profile, ignored_profile) = match &root {
            Some((root_path, root_file, _)) if root_path != path => {
                let root_profile = self
                    .manifests
                    .get(root_path)
                    .and_then(|m| m.as_ref())
                    .and_then(|(_, m)| m.release_profile.clone())
                    .map(|section| cargo::ReleaseProfile { manifest: loaded.file_id(*root_file), section });
                (root_profile, own_profile)
            }
            _ => (own_profile, None),
        };
        let (lib, bins) = self.targets.remove(path).unwrap_or_else(|| targets(manifest, path));
        let lib = lib.map(|(crate_name, path)| cargo::LibTarget { crate_name, path: normalize(&path), file: None });
        let bins = bins
            .into_iter()
            .map(|b| cargo::BinTarget {
                name: b.name,
                path: normalize(&b.path),
                file: None,
                declared: b.declared,
                required_features: b.required_features,
            })
            .collect();
        let package = Package {
            is_lambda: cargo::depends_on_lambda(&dependencies),
            name,
            name_span: manifest.package.as_ref().map(|p| p.span).unwrap_or_default(),
            manifest: loaded.file_id(file),
            manifest_path: path.to_path_buf(),
            dir,
            role,
            lib,
            bins,
            dependencies,
            workspace_root: root.map(|(p, _, _)| p),
            outside_workspace: self.orphans.get(path).cloned(),
            release_profile,
            ignored_profile,
            lambda_metadata: manifest.lambda_metadata.clone(),
        };
        loaded.packages.push(package);
        let index = loaded.packages.len() - 1;
        self.packages.insert(path.to_path_buf(), index);
        index
    }

    /// The workspace a package belongs to: itself when it has `[workspace]`, the folder named
    /// by `package.workspace`, or the nearest ancestor workspace that lists it as a member.
    fn workspace_root(
        &mut self,
        path: &Path,
        manifest: &Manifest,
        loaded: &mut Loaded,
    ) -> Option<(PathBuf, LoadedFileId, Option<WorkspaceSection>)> {
        if manifest.workspace.is_some() {
            let file = self.manifests.get(path).and_then(|m| m.as_ref()).map(|(f, _)| *f)?;
            return Some((path.to_path_buf(), file, manifest.workspace.clone()));
        }
        let dir = path.parent()?;
        if let Some(explicit) = manifest.package.as_ref().and_then(|p| p.workspace.as_ref()) {
            let root = absolute(&dir.join(explicit).join("Cargo.toml"));
            let (file, root_manifest) = self.load_manifest(&root, loaded)?;
            return Some((root, file, root_manifest.workspace));
        }
        for ancestor in dir.ancestors().skip(1).take(MAX_WORKSPACE_SEARCH) {
            let candidate = ancestor.join("Cargo.toml");
            let Some(workspace) = self.peek_workspace(&candidate) else {
                continue;
            };
            let members = self.members.entry(ancestor.to_path_buf()).or_insert_with(|| {
                cargo::workspace_members(&workspace, ancestor, &|p| self.policy.scope.allows_as_written(p))
            });
            if members.iter().any(|m| m == dir) {
                // Only now is the root part of the analysis (its profile applies).
                let (file, _) = self.load_manifest(&candidate, loaded)?;
                return Some((candidate, file, Some(workspace)));
            }
            // Cargo takes the first workspace above a package that does not exclude it as its
            // root, and refuses to build a package that root does not list.
            let excluded = workspace.exclude.iter().any(|e| dir.starts_with(normalize(&ancestor.join(e))));
            if !excluded {
                self.orphans.insert(path.to_path_buf(), candidate);
                return None;
            }
        }
        None
    }
}

/// What an internal error in manifest parsing is reported as.
const MANIFEST_STAGE: &str = "Cargo.toml parser";

/// Parses a manifest; a panic in the TOML parser is returned, not propagated.
fn parse_manifest_guarded(text: &str) -> Result<Result<Manifest, cargo::ManifestError>, String> {
    crate::fault::guarded(|| cargo::parse_manifest(text))
}

// ----- crates ---------------------------------------------------------------------------------

/// A root package that cargo cannot build because the workspace around it does not list it:
/// said once, at its manifest, instead of analysing code that is never deployed.
fn report_outside_workspace(loaded: &mut Loaded) {
    let mut problems = Vec::new();
    for package in loaded.packages.iter().filter(|p| p.role == PackageRole::Root && !p.bins.is_empty()) {
        let Some(workspace) = &package.outside_workspace else { continue };
        problems.push(LoadProblem {
            file: loaded.loaded_file(package.manifest),
            span: package.name_span,
            message: format!(
                "package `{}` is inside the workspace of `{}` but not one of its members: cargo cannot build it, \
                 so slint does not analyse its binaries",
                package.name,
                relative_to_package(&package.dir, workspace)
            ),
            kind: ProblemKind::Info,
        });
    }
    loaded.problems.extend(problems);
}

/// `../../Cargo.toml`: a manifest in a folder above the package's, as written from there.
fn relative_to_package(dir: &Path, manifest: &Path) -> String {
    let up = manifest.parent().and_then(|root| dir.strip_prefix(root).ok()).map_or(0, |rest| rest.components().count());
    format!("{}Cargo.toml", "../".repeat(up))
}

fn build_crates(loaded: &mut Loaded) {
    let lib_of: FxHashMap<PathBuf, usize> =
        loaded.packages.iter().enumerate().map(|(i, p)| (normalize(&p.dir), i)).collect();
    let mut crates = Vec::new();
    let mut lib_crate: FxHashMap<usize, usize> = FxHashMap::default();
    for (index, package) in loaded.packages.iter().enumerate() {
        if let Some(lib) = &package.lib {
            lib_crate.insert(index, crates.len());
            crates.push(CrateUnit {
                name: lib.crate_name.clone(),
                package: index,
                bin: None,
                root: None,
                deps: Vec::new(),
            });
        }
        if package.role == PackageRole::Root && package.outside_workspace.is_none() {
            for (b, bin) in package.bins.iter().enumerate() {
                crates.push(CrateUnit {
                    name: bin.name.clone(),
                    package: index,
                    bin: Some(b),
                    root: None,
                    deps: Vec::new(),
                });
            }
        }
    }
    for unit in &mut crates {
        let package = &loaded.packages[unit.package];
        for dep in &package.dependencies {
            if dep.kind != cargo::DepKind::Normal {
                continue;
            }
            let local = dep.path.as_ref().and_then(|p| lib_of.get(&normalize(p))).and_then(|p| lib_crate.get(p));
            let target = match local {
                Some(&c) => DepTarget::Crate(c),
                None => DepTarget::External(dep.crate_name()),
            };
            unit.deps.push((dep.name.clone(), target));
        }
        if unit.bin.is_some()
            && let (Some(lib), Some(&c)) = (&package.lib, lib_crate.get(&unit.package))
        {
            unit.deps.push((lib.crate_name.clone(), DepTarget::Crate(c)));
        }
    }
    loaded.crates = crates;
}

// ----- sources --------------------------------------------------------------------------------

/// The outcome of reading and parsing one file.
struct Parsed {
    text: Arc<str>,
    /// The facts, or where and why the file could not be analysed.
    facts: Result<FileFacts, (Span, String, ProblemKind)>,
    comments: Vec<AllowComment>,
}

/// What an internal error while parsing a `.rs` file is reported as.
const PARSE_STAGE: &str = "Rust source analysis (parsing)";

fn parse_one(path: &Path, policy: &ReadPolicy) -> Parsed {
    let bytes = match read_source(policy, path) {
        Ok(bytes) => bytes,
        Err((message, kind)) => return failed(Arc::from(""), Span::default(), message, kind),
    };
    let text: Arc<str> = match crate::model::load::decode(&bytes) {
        Ok(text) => Arc::from(text),
        // Kept lossy, so the finding can show where the bad byte is.
        Err(e) => return failed(Arc::from(String::from_utf8_lossy(&bytes)), e.span, e.message, ProblemKind::Parse),
    };
    // syn and the collector see hostile code; a panic costs this file, not the run.
    let analysed = crate::fault::guarded(|| (collect::collect_file(&text), comments::allow_comments(&text)));
    match analysed {
        Ok((Ok(facts), comments)) => Parsed { text, facts: Ok(facts), comments },
        Ok((Err(e), _)) => {
            let kind = if e.syntax { ProblemKind::Parse } else { ProblemKind::Info };
            failed(text, e.span, e.message, kind)
        }
        Err(panic) => {
            proc_macro2::extra::invalidate_current_thread_spans();
            failed(text, Span::default(), panic, ProblemKind::Internal(PARSE_STAGE))
        }
    }
}

fn failed(text: Arc<str>, span: Span, message: String, kind: ProblemKind) -> Parsed {
    Parsed { text, facts: Err((span, message, kind)), comments: Vec::new() }
}

/// Parses every crate root, then the files their `mod` declarations name, wave by wave.
fn load_sources(loaded: &mut Loaded, policy: &ReadPolicy) {
    let mut wave: Vec<(PathBuf, bool)> = Vec::new();
    let mut queued: FxHashSet<PathBuf> = FxHashSet::default();
    for unit in &loaded.crates {
        let package = &loaded.packages[unit.package];
        let path = match unit.bin {
            Some(b) => &package.bins[b].path,
            None => &package.lib.as_ref().expect("lib crates have a lib target").path,
        };
        if path.is_file() && queued.insert(path.clone()) {
            wave.push((path.clone(), true));
        }
    }
    let mut links: Vec<((LoadedFileId, usize, usize), PathBuf)> = Vec::new();
    let mut wave_number = 0;
    while !wave.is_empty() {
        wave_number += 1;
        let files = wave.len();
        let parsed: Vec<Parsed> = wave.par_iter().map(|(path, _)| parse_one(path, policy)).collect();
        let mut next = Vec::new();
        for ((path, mod_rs), result) in wave.into_iter().zip(parsed) {
            let index = loaded.add_file(path.clone(), result.text);
            loaded.comments.extend(result.comments.into_iter().map(|c| (index, c)));
            match result.facts {
                Ok(facts) => {
                    for (span, note) in &facts.notes {
                        loaded.problem(index, *span, note.clone(), ProblemKind::Info);
                    }
                    for (key, child_path, child_mod_rs) in module_files(index, &path, mod_rs, &facts, loaded, policy) {
                        if queued.insert(child_path.clone()) {
                            next.push((child_path.clone(), child_mod_rs));
                        }
                        links.push((key, child_path));
                    }
                    loaded.files[index].facts = Some(facts);
                }
                Err((span, message, kind)) => loaded.problem(index, span, message, kind),
            }
        }
        wave = next;
        crate::timings::mark(|| format!("Rust sources parsed (wave {wave_number}: {files} files)"));
    }
    for (key, path) in links {
        if let Some(&file) = loaded.by_path.get(&path) {
            loaded.child_files.insert(key, file);
        }
    }
    attach_target_files(loaded);
}

/// The files named by a parsed file's `mod x;` declarations that exist on disk; a missing
/// one is an informational problem at the declaration.
fn module_files(
    file: LoadedFileId,
    path: &Path,
    mod_rs: bool,
    facts: &FileFacts,
    loaded: &mut Loaded,
    policy: &ReadPolicy,
) -> Vec<((LoadedFileId, usize, usize), PathBuf, bool)> {
    let parent_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let own_dir = if mod_rs {
        parent_dir.clone()
    } else {
        parent_dir.join(path.file_stem().map(|s| s.to_os_string()).unwrap_or_default())
    };
    let mut out = Vec::new();
    for (m, module) in facts.modules.iter().enumerate() {
        let inline_path = inline_module_path(facts, m);
        for (c, child) in module.children.iter().enumerate() {
            let ModuleSource::File { path: attr } = &child.source else {
                continue;
            };
            let mut base = own_dir.clone();
            inline_path.iter().for_each(|segment| base.push(segment));
            let (candidates, child_mod_rs) = match attr {
                // `#[path]` at file level is relative to the file's folder; inside inline
                // modules, to the folder those modules stand for.
                Some(p) if inline_path.is_empty() => (vec![parent_dir.join(p)], true),
                Some(p) => (vec![base.join(p)], true),
                None => (vec![base.join(format!("{}.rs", child.name)), base.join(&child.name).join("mod.rs")], false),
            };
            // Outside as written (`#[path = "/etc/passwd"]`): refused without a `stat`.
            if candidates.iter().any(|p| !policy.scope.allows_as_written(p)) {
                let message = format!("module `{}`: {}", child.name, crate::limits::OUT_OF_SCOPE);
                loaded.problem(file, child.span, message, ProblemKind::Info);
                continue;
            }
            match candidates.iter().find(|p| p.is_file()) {
                // `#[path = "../../.."]` or a symlink must not make slint read outside the tree.
                Some(found) if !policy.scope.allows(found) => {
                    let message = format!("module `{}`: {}", child.name, crate::limits::OUT_OF_SCOPE);
                    loaded.problem(file, child.span, message, ProblemKind::Info);
                }
                Some(found) => {
                    let is_mod_rs = child_mod_rs || found.file_name().is_some_and(|n| n == "mod.rs");
                    out.push(((file, m, c), normalize(found), is_mod_rs));
                }
                None => {
                    let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
                    let message = format!("no file for module `{}` (looked for {})", child.name, looked.join(" and "));
                    loaded.problem(file, child.span, message, ProblemKind::Info);
                }
            }
        }
    }
    out
}

/// Names of the inline modules from the file root down to module `m`.
fn inline_module_path(facts: &FileFacts, m: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut current = m;
    while let Some(parent) = facts.modules.get(current).and_then(|module| module.parent) {
        names.push(facts.modules[current].name.clone());
        current = parent;
        if names.len() > facts.modules.len() {
            break;
        }
    }
    names.reverse();
    names
}

/// Fills in target root files and reports targets whose root file is missing.
fn attach_target_files(loaded: &mut Loaded) {
    let mut missing = Vec::new();
    let first = loaded.first_file_id;
    let to_id = |file: LoadedFileId| {
        crate::files::FileId(first.saturating_add(u32::try_from(file.index()).unwrap_or(u32::MAX)))
    };
    for unit in &mut loaded.crates {
        let package = &mut loaded.packages[unit.package];
        let (path, slot) = match unit.bin {
            Some(b) => (package.bins[b].path.clone(), &mut package.bins[b].file),
            None => {
                let lib = package.lib.as_mut().expect("lib crates have a lib target");
                (lib.path.clone(), &mut lib.file)
            }
        };
        unit.root = loaded.by_path.get(&path).copied();
        *slot = unit.root.map(to_id);
        if unit.root.is_none() {
            let span = unit.bin.and_then(|b| package.bins[b].declared).unwrap_or_default();
            let manifest = LoadedFileId::new(package.manifest.0.saturating_sub(first) as usize);
            let what = match unit.bin {
                Some(_) => format!("bin target `{}`", unit.name),
                None => format!("lib target `{}`", unit.name),
            };
            missing.push((manifest, span, format!("{what} points at {}, which does not exist", path.display())));
        }
    }
    for (file, span, message) in missing {
        loaded.problem(file, span, message, ProblemKind::Info);
    }
}
