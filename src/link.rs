//! The template ↔ code link: which crate and bin target each template function deploys.
//!
//! Derived from the function's `CodeUri` (also from `Globals`), `Metadata.BuildMethod`
//! (`rust-cargolambda`, `makefile`), `Metadata.BuildProperties.Binary`, a `CodeUri` that points
//! at cargo-lambda's output (`target/lambda/<bin>`), or `[functions.<id>]` `crate`/`bin` in
//! slint.toml for what cannot be derived. Functions that are not Rust (another runtime, a
//! prebuilt zip) are not linked and not reported.

use std::path::{Path, PathBuf};

use crate::limits::ReadScope;
use crate::model::function::FunctionId;
use crate::model::template::{Template, TemplateId};
use crate::model::tree::NodeId;
use crate::settings::Settings;
use crate::source::{BinaryId, SourceModel};

/// Where a function's code should be, before the crates are analysed.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeRef {
    pub template: TemplateId,
    pub function: FunctionId,
    /// The folder holding the package or workspace `Cargo.toml`.
    pub dir: PathBuf,
    /// The bin target, when the template (or config) names it.
    pub bin: Option<String>,
    /// cargo-lambda builds it (which applies an optimised release profile): `BuildMethod:
    /// rust-cargolambda`, a `CodeUri` under `target/lambda/`, or a `makefile` target that runs
    /// `cargo lambda build` without `--disable-optimizations`.
    pub built_by_cargo_lambda: bool,
    /// The node that points at the code (`CodeUri`, `Binary`), for findings.
    pub node: Option<NodeId>,
    /// How the folder is written where it is declared (`./services/orders`), for messages:
    /// absolute paths would differ from machine to machine.
    pub shown: String,
    /// The folder is outside the ones slint was given, as written: nothing in it is read or
    /// even `stat`ed, and the function gets SL005 `not read`.
    pub outside: bool,
}

/// A template function and the binary it deploys.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionLink {
    pub template: TemplateId,
    pub function: FunctionId,
    pub code: CodeRef,
    pub binary: Result<BinaryId, Unlinked>,
}

/// Why a function's code has no analysed binary (reported by SL005), in words that name the
/// folder as the template writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unlinked(pub String);

impl std::fmt::Display for Unlinked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The code references of every Rust function of the templates.
/// `scope` bounds what is read (a Makefile): a `CodeUri` may lead anywhere.
pub fn code_refs(
    templates: &[Template],
    template_paths: &[PathBuf],
    settings: &Settings,
    scope: &ReadScope,
) -> Vec<CodeRef> {
    let mut refs = Vec::new();
    for (ti, template) in TemplateId::enumerate(templates) {
        let Some(dir) = template_paths[ti.index()].parent() else { continue };
        for (fi, _) in FunctionId::enumerate(&template.functions) {
            if let Some(code) = code_ref(template, ti, fi, dir, &template_paths[ti.index()], settings, scope) {
                refs.push(code);
            }
        }
    }
    refs
}

fn code_ref(
    template: &Template,
    ti: TemplateId,
    fi: FunctionId,
    template_dir: &Path,
    template_path: &Path,
    settings: &Settings,
    scope: &ReadScope,
) -> Option<CodeRef> {
    let function = &template.functions[fi];
    let resource = function.resource(template);
    let configured = settings.function_setting(template_path, function.id.as_str());
    let metadata = resource.metadata.map(|m| template.node(m));
    let build_method = metadata.and_then(|m| m.get("BuildMethod")).and_then(|b| b.as_str()).unwrap_or("");
    if let Some(krate) = configured.and_then(|c| c.krate.as_ref()) {
        return Some(CodeRef {
            template: ti,
            function: fi,
            dir: krate.clone(),
            bin: configured.and_then(|c| c.bin.clone()),
            built_by_cargo_lambda: build_method == "rust-cargolambda",
            node: None,
            shown: format!("the `crate` of [functions.{}]", function.id),
            outside: !scope.allows_as_written(krate),
        });
    }
    let binary_node = metadata.and_then(|m| m.at(&["BuildProperties", "Binary"]));
    let code_uri = template.property(resource, "CodeUri");
    let uri = code_uri.and_then(|c| c.as_str())?;
    if uri.starts_with("s3://") || uri.ends_with(".zip") && !uri.contains("target/lambda/") {
        return None;
    }
    let runtime = template.property(resource, "Runtime").and_then(|r| r.as_str()).unwrap_or("");
    let cargo_lambda = build_method == "rust-cargolambda";
    // cargo-lambda's output layout: `<crate>/target/lambda/<bin>/...`.
    if let Some((crate_dir, rest)) = uri.split_once("target/lambda/") {
        let bin = rest.split('/').next().filter(|b| !b.is_empty()).map(str::to_string);
        let dir = normalise(&template_dir.join(crate_dir));
        return Some(CodeRef {
            template: ti,
            function: fi,
            outside: !scope.allows_as_written(&dir),
            dir,
            bin,
            built_by_cargo_lambda: true,
            node: code_uri.map(|c| c.id),
            shown: if crate_dir.is_empty() { ".".to_string() } else { crate_dir.trim_end_matches('/').to_string() },
        });
    }
    let dir = normalise(&template_dir.join(uri));
    let outside = !scope.allows_as_written(&dir);
    // Outside, the folder is not looked at: a `provided` runtime is taken for Rust, so that the
    // function is reported as not read rather than silently left out.
    let is_rust = cargo_lambda || (runtime.starts_with("provided") && (outside || dir.join("Cargo.toml").is_file()));
    if !is_rust {
        return None;
    }
    let recipe =
        if build_method == "makefile" { makefile_recipe(&dir, function.id.as_str(), scope) } else { Vec::new() };
    let bin = binary_node.and_then(|b| b.as_str()).map(str::to_string).or_else(|| recipe_bin(&recipe));
    Some(CodeRef {
        template: ti,
        function: fi,
        dir,
        bin,
        built_by_cargo_lambda: cargo_lambda || recipe_uses_cargo_lambda(&recipe),
        node: binary_node.or(code_uri).map(|n| n.id),
        shown: uri.to_string(),
        outside,
    })
}

/// The recipe lines of the `build-<LogicalId>` target of a Makefile (SAM's `makefile` build
/// method runs `make build-<LogicalId>`).
fn makefile_recipe(dir: &Path, logical_id: &str, scope: &ReadScope) -> Vec<String> {
    let makefile = dir.join("Makefile");
    if !scope.allows(&makefile) {
        return Vec::new();
    }
    let Some(text) = read_small(&makefile) else { return Vec::new() };
    let target = format!("build-{logical_id}:");
    let mut lines = Vec::new();
    let mut in_target = false;
    for line in text.lines() {
        if line.starts_with(&target) {
            in_target = true;
            continue;
        }
        if in_target && !line.starts_with('\t') && !line.trim().is_empty() {
            break;
        }
        if in_target {
            lines.push(line.to_string());
        }
    }
    lines
}

/// The `--bin <name>` of a recipe.
fn recipe_bin(recipe: &[String]) -> Option<String> {
    for line in recipe {
        let mut words = line.split_whitespace();
        while let Some(word) = words.next() {
            if word == "--bin" {
                return words.next().map(str::to_string);
            }
            if let Some(bin) = word.strip_prefix("--bin=") {
                return Some(bin.to_string());
            }
        }
    }
    None
}

/// Whether a recipe builds with cargo-lambda and keeps its release optimisations.
fn recipe_uses_cargo_lambda(recipe: &[String]) -> bool {
    recipe.iter().any(|line| {
        (line.contains("cargo lambda build") || line.contains("cargo-lambda build"))
            && !line.contains("--disable-optimizations")
    })
}

/// A small text file (a Makefile), or nothing.
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn normalise(path: &Path) -> PathBuf {
    crate::fs::absolute(Path::new("/"), path)
}

/// Links every code reference to an analysed binary.
pub fn resolve(refs: Vec<CodeRef>, source: &SourceModel) -> Vec<FunctionLink> {
    let index = source.binary_index();
    refs.into_iter()
        .map(|code| {
            let binary = if code.outside {
                Err(Unlinked(format!("not read: `{}` is outside the folders slint was given", code.shown)))
            } else if !code.dir.join("Cargo.toml").is_file() {
                Err(Unlinked(format!("no Cargo.toml in {}", code.shown)))
            } else {
                index
                    .find(source, &code.dir, code.bin.as_deref())
                    .map_err(|e| Unlinked(e.message.replace(&code.dir.display().to_string(), &code.shown)))
            };
            FunctionLink { template: code.template, function: code.function, code, binary }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makefile_targets_name_their_bin_and_builder() {
        let dir = std::env::temp_dir().join(format!("slint-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("Makefile"),
            "build-Other:\n\tcargo build --release --bin other\nbuild-Orders:\n\tcargo lambda build --release --bin orders\n\tcp target/lambda/orders/bootstrap $(ARTIFACTS_DIR)\nbuild-Raw:\n\tcargo lambda build --release --disable-optimizations\n",
        )
        .unwrap();
        let orders = makefile_recipe(&dir, "Orders", &ReadScope::anywhere());
        assert_eq!(recipe_bin(&orders).as_deref(), Some("orders"));
        assert!(recipe_uses_cargo_lambda(&orders));
        let other = makefile_recipe(&dir, "Other", &ReadScope::anywhere());
        assert_eq!(recipe_bin(&other).as_deref(), Some("other"));
        assert!(!recipe_uses_cargo_lambda(&other), "plain cargo");
        assert!(
            !recipe_uses_cargo_lambda(&makefile_recipe(&dir, "Raw", &ReadScope::anywhere())),
            "optimisations disabled"
        );
        assert!(makefile_recipe(&dir, "Missing", &ReadScope::anywhere()).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
