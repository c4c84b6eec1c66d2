//! `Cargo.toml` as slint needs it: package name, lib and bin targets (with cargo's
//! inference rules), dependencies with renames, workspaces, the release profile and
//! cargo-lambda metadata. Parsed with `toml`'s spanned document API so every fact can point
//! back into the manifest; a manifest that does not parse is an error with its position.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::files::FileId;
use crate::span::Span;

/// Crates whose presence makes a package a Lambda function crate.
const LAMBDA_CRATES: &[&str] =
    &["lambda_runtime", "lambda_http", "netlify_lambda", "netlify_lambda_http", "lambda_web"];

/// A manifest that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub span: Span,
    pub message: String,
}

/// What one `Cargo.toml` declares, before targets are looked up on disk.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub package: Option<PackageSection>,
    pub lib: Option<LibSection>,
    pub bins: Vec<BinSection>,
    pub dependencies: Vec<DependencySpec>,
    pub workspace: Option<WorkspaceSection>,
    pub release_profile: Option<ProfileSection>,
    pub lambda_metadata: Option<LambdaMetadata>,
}

#[derive(Clone, Debug, Default)]
pub struct PackageSection {
    pub name: String,
    pub span: Span,
    pub autobins: bool,
    /// `package.workspace = "../.."`: an explicit workspace root.
    pub workspace: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct LibSection {
    pub name: Option<String>,
    pub path: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct BinSection {
    pub name: Option<String>,
    pub path: Option<String>,
    pub required_features: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepKind {
    Normal,
    Dev,
    Build,
}

/// One dependency entry as written (`workspace = true` not yet resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DependencySpec {
    /// The key: the name code uses (hyphens become underscores there).
    pub key: String,
    /// `package = ".."` when renamed.
    pub package: Option<String>,
    pub path: Option<String>,
    pub git: Option<String>,
    pub workspace: bool,
    pub optional: bool,
    pub kind: DepKind,
    /// The `cfg(..)`/triple of a `[target.X.dependencies]` table.
    pub target: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct WorkspaceSection {
    pub members: Vec<String>,
    pub exclude: Vec<String>,
    pub dependencies: Vec<DependencySpec>,
    pub span: Span,
}

/// A value in `[profile.release]`, with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub value: SettingValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingValue {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl SettingValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            SettingValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// `[profile.release]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSection {
    /// The `[profile.release]` header (or the `release` key).
    pub span: Span,
    pub strip: Option<Setting>,
    pub lto: Option<Setting>,
    pub codegen_units: Option<Setting>,
    pub opt_level: Option<Setting>,
    pub debug: Option<Setting>,
    pub panic: Option<Setting>,
}

/// `[package.metadata.lambda]` (cargo-lambda), flattened: `deploy.memory = 512` becomes
/// `("deploy.memory", "512")`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LambdaMetadata {
    pub span: Span,
    pub entries: Vec<(String, String)>,
}

/// Parses a manifest's text. Never panics.
pub fn parse_manifest(text: &str) -> Result<Manifest, ManifestError> {
    let document = DeTable::parse(text).map_err(|e| ManifestError {
        span: e.span().map(Span::from_range).unwrap_or_default(),
        message: e.message().to_string(),
    })?;
    let root = document.get_ref();
    let mut manifest = Manifest {
        package: table(root, "package").map(|(p, span)| package_section(p, span)),
        lib: table(root, "lib").map(|(l, _)| LibSection { name: string(l, "name"), path: string(l, "path") }),
        bins: array_of_tables(root, "bin").map(|(b, span)| bin_section(b, span)).collect(),
        dependencies: Vec::new(),
        workspace: table(root, "workspace").map(|(w, span)| workspace_section(w, span)),
        release_profile: table(root, "profile").and_then(|(p, _)| table(p, "release")).map(|(r, s)| profile(r, s)),
        lambda_metadata: table(root, "package")
            .and_then(|(p, _)| table(p, "metadata"))
            .and_then(|(m, _)| table(m, "lambda"))
            .map(|(l, span)| lambda_metadata(l, span)),
    };
    collect_dependencies(root, None, &mut manifest.dependencies);
    if let Some((targets, _)) = table(root, "target") {
        for (key, value) in targets.iter() {
            if let Some(t) = value.get_ref().as_table() {
                collect_dependencies(t, Some(key.get_ref().to_string()), &mut manifest.dependencies);
            }
        }
    }
    // Tables are sorted by key; source order reads better and is what users expect.
    manifest.dependencies.sort_by_key(|d| d.span.start);
    Ok(manifest)
}

fn entry<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

fn table<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<(&'a DeTable<'i>, Span)> {
    let value = entry(t, key)?;
    value.get_ref().as_table().map(|inner| (inner, Span::from_range(value.span())))
}

fn string(t: &DeTable<'_>, key: &str) -> Option<String> {
    entry(t, key).and_then(|v| v.get_ref().as_str()).map(str::to_string)
}

fn boolean(t: &DeTable<'_>, key: &str) -> Option<bool> {
    entry(t, key).and_then(|v| v.get_ref().as_bool())
}

fn strings(t: &DeTable<'_>, key: &str) -> Vec<String> {
    entry(t, key)
        .and_then(|v| v.get_ref().as_array())
        .map(|a| a.iter().filter_map(|v| v.get_ref().as_str()).map(str::to_string).collect())
        .unwrap_or_default()
}

fn array_of_tables<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> impl Iterator<Item = (&'a DeTable<'i>, Span)> {
    entry(t, key).and_then(|v| v.get_ref().as_array()).into_iter().flat_map(|a| a.iter()).filter_map(|v| {
        let table = v.get_ref().as_table()?;
        // The item's own span is its `[[header]]`; extend it over the table's entries.
        let end = table.iter().map(|(_, value)| value.span().end).max().unwrap_or(v.span().end);
        Some((table, Span::from_range(v.span().start..end.max(v.span().end))))
    })
}

fn package_section(p: &DeTable<'_>, span: Span) -> PackageSection {
    PackageSection {
        name: string(p, "name").unwrap_or_default(),
        span: entry(p, "name").map_or(span, |v| Span::from_range(v.span())),
        autobins: boolean(p, "autobins").unwrap_or(true),
        workspace: string(p, "workspace"),
    }
}

fn bin_section(b: &DeTable<'_>, span: Span) -> BinSection {
    BinSection {
        name: string(b, "name"),
        path: string(b, "path"),
        required_features: strings(b, "required-features"),
        span,
    }
}

fn workspace_section(w: &DeTable<'_>, span: Span) -> WorkspaceSection {
    let mut dependencies = Vec::new();
    if let Some((deps, _)) = table(w, "dependencies") {
        for (key, value) in deps.iter() {
            dependencies.push(dependency(key, value, DepKind::Normal, None));
        }
    }
    WorkspaceSection { members: strings(w, "members"), exclude: strings(w, "exclude"), dependencies, span }
}

fn collect_dependencies(t: &DeTable<'_>, target: Option<String>, out: &mut Vec<DependencySpec>) {
    let tables = [
        ("dependencies", DepKind::Normal),
        ("dev-dependencies", DepKind::Dev),
        ("dev_dependencies", DepKind::Dev),
        ("build-dependencies", DepKind::Build),
        ("build_dependencies", DepKind::Build),
    ];
    for (name, kind) in tables {
        if let Some((deps, _)) = table(t, name) {
            for (key, value) in deps.iter() {
                out.push(dependency(key, value, kind, target.clone()));
            }
        }
    }
}

fn dependency(
    key: &Spanned<toml::de::DeString<'_>>,
    value: &Spanned<DeValue<'_>>,
    kind: DepKind,
    target: Option<String>,
) -> DependencySpec {
    let detail = value.get_ref().as_table();
    let get = |k: &str| detail.and_then(|d| string(d, k));
    DependencySpec {
        key: key.get_ref().to_string(),
        package: get("package"),
        path: get("path"),
        git: get("git"),
        workspace: detail.and_then(|d| boolean(d, "workspace")).unwrap_or(false),
        optional: detail.and_then(|d| boolean(d, "optional")).unwrap_or(false),
        kind,
        target,
        span: Span::from_range(key.span().start..value.span().end),
    }
}

fn profile(r: &DeTable<'_>, span: Span) -> ProfileSection {
    let setting = |key: &str| {
        entry(r, key).and_then(|v| {
            let value = match v.get_ref() {
                DeValue::Boolean(b) => SettingValue::Bool(*b),
                DeValue::String(s) => SettingValue::Str(s.to_string()),
                DeValue::Integer(i) => {
                    SettingValue::Int(i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()?)
                }
                _ => return None,
            };
            Some(Setting { value, span: Span::from_range(v.span()) })
        })
    };
    ProfileSection {
        span,
        strip: setting("strip"),
        lto: setting("lto"),
        codegen_units: setting("codegen-units"),
        opt_level: setting("opt-level"),
        debug: setting("debug"),
        panic: setting("panic"),
    }
}

fn lambda_metadata(l: &DeTable<'_>, span: Span) -> LambdaMetadata {
    let mut entries = Vec::new();
    flatten(l, String::new(), &mut entries, 0);
    LambdaMetadata { span, entries }
}

fn flatten(t: &DeTable<'_>, prefix: String, out: &mut Vec<(String, String)>, depth: usize) {
    for (key, value) in t.iter() {
        let name = if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{}", key.get_ref()) };
        match value.get_ref() {
            DeValue::Table(inner) if depth < 8 => flatten(inner, name, out, depth + 1),
            DeValue::String(s) => out.push((name, s.to_string())),
            DeValue::Integer(i) => out.push((name, i.as_str().to_string())),
            DeValue::Float(f) => out.push((name, f.as_str().to_string())),
            DeValue::Boolean(b) => out.push((name, b.to_string())),
            DeValue::Array(a) => {
                let items: Vec<String> = a.iter().filter_map(|v| v.get_ref().as_str().map(str::to_string)).collect();
                out.push((name, items.join(",")));
            }
            _ => {}
        }
    }
}

// ----- resolved package model ---------------------------------------------------------------

/// Why a package is part of the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackageRole {
    /// Named by a manifest passed to `analyse`, or a member of a workspace passed there.
    Root,
    /// Only reached as a `path =` dependency: its lib target is loaded, its bins are not.
    PathDependency,
}

/// A Cargo package with its targets and dependencies resolved.
#[derive(Clone, Debug)]
pub struct Package {
    pub name: String,
    /// The `name` value in the manifest (the `[package]` table when it has none).
    pub name_span: Span,
    /// The package's `Cargo.toml`.
    pub manifest: FileId,
    pub manifest_path: PathBuf,
    pub dir: PathBuf,
    pub role: PackageRole,
    pub lib: Option<LibTarget>,
    pub bins: Vec<BinTarget>,
    pub dependencies: Vec<Dependency>,
    /// Depends (normally, not dev/build) on `lambda_runtime`/`lambda_http` or a fork, directly
    /// or under another name.
    pub is_lambda: bool,
    /// The workspace root's manifest, when the package is in a workspace.
    pub workspace_root: Option<PathBuf>,
    /// The manifest of a workspace above the package that does not list it as a member:
    /// cargo refuses to build the package (legacy code left in a workspace's folder).
    pub outside_workspace: Option<PathBuf>,
    /// The release profile cargo uses: the workspace root's, or the package's own when it is
    /// not in a workspace.
    pub release_profile: Option<ReleaseProfile>,
    /// A `[profile.release]` in a workspace member, which cargo ignores (with a warning).
    pub ignored_profile: Option<ReleaseProfile>,
    pub lambda_metadata: Option<LambdaMetadata>,
}

impl Package {
    /// The crate name code uses for this package's lib (`my-lib` → `my_lib`).
    pub fn lib_crate_name(&self) -> Option<&str> {
        self.lib.as_ref().map(|l| l.crate_name.as_str())
    }

    /// The dependency code refers to as `ident` (after renames).
    pub fn dependency(&self, ident: &str) -> Option<&Dependency> {
        self.dependencies.iter().find(|d| d.name == ident)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseProfile {
    /// The manifest the profile is written in.
    pub manifest: FileId,
    pub section: ProfileSection,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibTarget {
    pub crate_name: String,
    pub path: PathBuf,
    /// The root file, when it exists and was loaded.
    pub file: Option<FileId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinTarget {
    pub name: String,
    pub path: PathBuf,
    /// The root file, when it exists and was loaded.
    pub file: Option<FileId>,
    /// The `[[bin]]` table, for declared targets (inferred ones have none).
    pub declared: Option<Span>,
    pub required_features: Vec<String>,
}

/// A dependency with `workspace = true` and renames resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The name code uses: the key with hyphens as underscores.
    pub name: String,
    /// The real package name (`package = ".."`, or the key).
    pub package: String,
    pub kind: DepKind,
    pub target: Option<String>,
    /// The dependency's directory, for `path =` dependencies.
    pub path: Option<PathBuf>,
    pub git: Option<String>,
    pub optional: bool,
    pub span: Span,
}

impl Dependency {
    /// The crate name the package's lib has (`aws-sdk-s3` → `aws_sdk_s3`).
    pub fn crate_name(&self) -> String {
        crate_ident(&self.package)
    }
}

/// `my-crate` → `my_crate`.
pub fn crate_ident(name: &str) -> String {
    name.replace('-', "_")
}

/// Resolves a dependency entry, using the workspace's `[workspace.dependencies]` for
/// `workspace = true` entries.
pub fn resolve_dependency(
    spec: &DependencySpec,
    dir: &Path,
    workspace: Option<(&WorkspaceSection, &Path)>,
) -> Dependency {
    let inherited = spec
        .workspace
        .then(|| workspace.and_then(|(w, root)| w.dependencies.iter().find(|d| d.key == spec.key).map(|d| (d, root))))
        .flatten();
    let (package, path, git) = match inherited {
        Some((base, root)) => (
            spec.package.clone().or_else(|| base.package.clone()),
            base.path.as_ref().map(|p| root.join(p)),
            base.git.clone(),
        ),
        None => (spec.package.clone(), spec.path.as_ref().map(|p| dir.join(p)), spec.git.clone()),
    };
    Dependency {
        name: crate_ident(&spec.key),
        package: package.unwrap_or_else(|| spec.key.clone()),
        kind: spec.kind,
        target: spec.target.clone(),
        path,
        git,
        optional: spec.optional,
        span: spec.span,
    }
}

/// Whether the dependencies make this a Lambda function crate.
pub fn depends_on_lambda(dependencies: &[Dependency]) -> bool {
    dependencies.iter().any(|d| {
        let name = d.crate_name();
        d.kind == DepKind::Normal
            && (LAMBDA_CRATES.contains(&name.as_str())
                || (name == "lambda" && d.git.as_deref().is_some_and(|g| g.contains("lambda-rust-runtime"))))
    })
}

/// The lib target: `[lib] path` or `src/lib.rs` when it exists.
pub fn lib_target(manifest: &Manifest, dir: &Path, package_name: &str) -> Option<(String, PathBuf)> {
    let declared = manifest.lib.as_ref();
    let path = match declared.and_then(|l| l.path.as_ref()) {
        Some(p) => dir.join(p),
        None => {
            let default = dir.join("src").join("lib.rs");
            if !default.is_file() {
                return None;
            }
            default
        }
    };
    let name = declared.and_then(|l| l.name.clone()).unwrap_or_else(|| package_name.to_string());
    Some((crate_ident(&name), path))
}

/// A bin target before its file is loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinDecl {
    pub name: String,
    pub path: PathBuf,
    pub declared: Option<Span>,
    pub required_features: Vec<String>,
}

/// Bin targets by cargo's rules: `[[bin]]` tables (path given, or inferred from the name),
/// then, unless `autobins = false`, `src/main.rs` (named after the package), `src/bin/*.rs`
/// and `src/bin/*/main.rs` that no declared target already names.
pub fn bin_targets(manifest: &Manifest, dir: &Path, package_name: &str) -> Vec<BinDecl> {
    let mut bins: Vec<BinDecl> = Vec::new();
    for bin in &manifest.bins {
        let Some(name) = bin.name.clone() else {
            continue;
        };
        let path = match &bin.path {
            Some(p) => dir.join(p),
            None => infer_bin_path(dir, &name, package_name),
        };
        bins.push(BinDecl { name, path, declared: Some(bin.span), required_features: bin.required_features.clone() });
    }
    let autobins = manifest.package.as_ref().is_none_or(|p| p.autobins);
    if autobins {
        for (name, path) in discovered_bins(dir, package_name) {
            let taken = bins.iter().any(|b| b.name == name || b.path == path);
            if !taken {
                bins.push(BinDecl { name, path, declared: None, required_features: Vec::new() });
            }
        }
    }
    bins
}

fn infer_bin_path(dir: &Path, name: &str, package_name: &str) -> PathBuf {
    let candidates = [
        dir.join("src").join("bin").join(format!("{name}.rs")),
        dir.join("src").join("bin").join(name).join("main.rs"),
    ];
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return found.clone();
    }
    if name == package_name {
        return dir.join("src").join("main.rs");
    }
    candidates[0].clone()
}

fn discovered_bins(dir: &Path, package_name: &str) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let main = dir.join("src").join("main.rs");
    if main.is_file() {
        found.push((package_name.to_string(), main));
    }
    let Ok(entries) = std::fs::read_dir(dir.join("src").join("bin")) else {
        return found;
    };
    let mut more: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let path = e.path();
            let name = path.file_name()?.to_str()?.to_string();
            if path.is_file() {
                name.strip_suffix(".rs").map(|stem| (stem.to_string(), path.clone()))
            } else {
                let main = path.join("main.rs");
                main.is_file().then_some((name, main))
            }
        })
        .collect();
    more.sort();
    found.extend(more);
    found
}

/// Workspace members: `members` entries (with `*`, `?`, `[..]` globs per path component),
/// minus `exclude`, keeping directories that hold a `Cargo.toml`. A folder outside the ones
/// slint may read (`inside` is false) is neither listed nor `stat`ed: it is kept as written,
/// and reading its manifest is refused later (SL005).
pub fn workspace_members(workspace: &WorkspaceSection, root: &Path, inside: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let excluded: Vec<PathBuf> = workspace.exclude.iter().flat_map(|e| expand_glob(root, e, inside)).collect();
    let excluded_literal: Vec<PathBuf> = workspace.exclude.iter().map(|e| normalize(&root.join(e))).collect();
    let mut members = Vec::new();
    for pattern in &workspace.members {
        for dir in expand_glob(root, pattern, inside) {
            let dir = normalize(&dir);
            let is_excluded = excluded.iter().chain(&excluded_literal).any(|e| normalize(e) == dir);
            let holds_manifest = !inside(&dir) || dir.join("Cargo.toml").is_file();
            if !is_excluded && holds_manifest && !members.contains(&dir) {
                members.push(dir);
            }
        }
    }
    members
}

fn expand_glob(root: &Path, pattern: &str, inside: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut current = vec![root.to_path_buf()];
    for part in pattern.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".") {
        let is_glob = part.contains(['*', '?', '[']);
        let mut next = Vec::new();
        for dir in &current {
            if !is_glob || !inside(&normalize(dir)) {
                next.push(dir.join(part));
                continue;
            }
            let Ok(matcher) = globset::Glob::new(part).map(|g| g.compile_matcher()) else {
                continue;
            };
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut matched: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir() && matcher.is_match(e.file_name()))
                .map(|e| e.path())
                .collect();
            matched.sort();
            next.extend(matched);
        }
        current = next;
    }
    current
}

/// Removes `.` and resolves `..` lexically, so paths compare equal without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_targets_and_profile_are_read() {
        let text = r#"
[package]
name = "orders-api"
autobins = false

[[bin]]
name = "create"
path = "src/create.rs"

[dependencies]
lambda = { package = "lambda_runtime", version = "0.14" }
aws-sdk-s3 = "1"
shared = { path = "../shared" }

[target.'cfg(unix)'.dependencies]
sqs = { package = "aws-sdk-sqs", version = "1" }

[dev-dependencies]
lambda_http = "0.17"

[profile.release]
strip = true
lto = "thin"
codegen-units = 1
opt-level = "z"

[package.metadata.lambda.deploy]
memory = 512
"#;
        let m = parse_manifest(text).unwrap();
        let p = m.package.as_ref().unwrap();
        assert_eq!((p.name.as_str(), p.autobins), ("orders-api", false));
        assert_eq!(m.bins[0].name.as_deref(), Some("create"));
        let dir = Path::new("/x/orders");
        let deps: Vec<Dependency> = m.dependencies.iter().map(|d| resolve_dependency(d, dir, None)).collect();
        let names: Vec<(&str, &str, DepKind)> =
            deps.iter().map(|d| (d.name.as_str(), d.package.as_str(), d.kind)).collect();
        assert_eq!(
            names,
            [
                ("lambda", "lambda_runtime", DepKind::Normal),
                ("aws_sdk_s3", "aws-sdk-s3", DepKind::Normal),
                ("shared", "shared", DepKind::Normal),
                ("sqs", "aws-sdk-sqs", DepKind::Normal),
                ("lambda_http", "lambda_http", DepKind::Dev),
            ]
        );
        assert_eq!(deps[2].path.as_deref(), Some(Path::new("/x/orders/../shared")));
        assert_eq!(deps[3].target.as_deref(), Some("cfg(unix)"));
        assert!(depends_on_lambda(&deps));
        assert!(!depends_on_lambda(&deps[4..]), "dev-dependencies do not make a Lambda crate");
        let profile = m.release_profile.unwrap();
        assert_eq!(&text[profile.span.start as usize..profile.span.end as usize], "[profile.release]");
        assert_eq!(profile.strip.unwrap().value, SettingValue::Bool(true));
        assert_eq!(profile.codegen_units.unwrap().value, SettingValue::Int(1));
        assert_eq!(profile.opt_level.unwrap().value, SettingValue::Str("z".into()));
        assert!(profile.debug.is_none());
        assert_eq!(m.lambda_metadata.unwrap().entries, [("deploy.memory".to_string(), "512".to_string())]);
    }

    #[test]
    fn workspace_dependencies_are_inherited() {
        let root = parse_manifest(
            "[workspace]\nmembers = [\"a\"]\n[workspace.dependencies]\nlr = { package = \"lambda_runtime\", version = \"1\" }\nshared = { path = \"libs/shared\" }\n",
        )
        .unwrap();
        let member = parse_manifest(
            "[package]\nname = \"a\"\n[dependencies]\nlr.workspace = true\nshared = { workspace = true }\n",
        )
        .unwrap();
        let ws = root.workspace.as_ref().unwrap();
        let deps: Vec<Dependency> = member
            .dependencies
            .iter()
            .map(|d| resolve_dependency(d, Path::new("/r/a"), Some((ws, Path::new("/r")))))
            .collect();
        assert_eq!(deps[0].package, "lambda_runtime");
        assert_eq!(deps[1].path.as_deref(), Some(Path::new("/r/libs/shared")));
    }

    #[test]
    fn broken_manifest_reports_a_position() {
        let text = "[package]\nname = \"x\"\nversion = \n";
        let err = parse_manifest(text).unwrap_err();
        assert_eq!(err.span, Span::new(31, 31));
        assert!(err.message.contains("string values must be quoted") || !err.message.is_empty());
    }
}
