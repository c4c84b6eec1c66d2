//! The cloud assembly a CDK app synthesises (`cdk.out/`), read through its `manifest.json`:
//! the stack templates (nested stacks and stages included) and the construct metadata. The
//! bookkeeping files themselves (`manifest.json`, `tree.json`, `*.assets.json`,
//! `*.metadata.json`, asset folders) are never linted as templates.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::cdk::metadata::{self, ConstructEntry, ConstructPath};

/// Stages (`assembly-*` folders) nest; deeper than this is not followed.
const MAX_STAGE_DEPTH: usize = 8;

/// The largest manifest or metadata file read (real ones are tens of kilobytes).
const MAX_BOOKKEEPING_BYTES: u64 = 16 << 20;

/// One stack template of the assembly (a top-level stack, a stage's stack or a nested stack).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackTemplate {
    pub template: PathBuf,
    /// The stack's construct path, when the metadata names it (`/OrdersStack/Reports`).
    pub construct: Option<ConstructPath>,
}

/// A problem with the assembly's own files: reported (SL001 at the file), the rest goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssemblyProblem {
    pub path: PathBuf,
    pub message: String,
    /// Nothing wrong with the file, but the app was not analysed (SL005), as opposed to a
    /// broken assembly file (SL001).
    pub not_analysed: bool,
}

/// A CDK app: its folder, its cloud assembly, what the assembly holds.
#[derive(Clone, Debug, Default)]
pub struct Assembly {
    /// The app's folder (holding `cdk.json`): paths of the assembly are mapped onto it.
    pub root: PathBuf,
    /// The folder slint walked to find it (the root itself, or a folder holding it).
    pub walked: PathBuf,
    /// The cloud assembly folder (`cdk.out`, or `output` of `cdk.json`).
    pub dir: PathBuf,
    pub stacks: Vec<StackTemplate>,
    /// Every construct of every metadata file that is a resource or a stack.
    pub constructs: Vec<ConstructEntry>,
    pub problems: Vec<AssemblyProblem>,
}

impl Assembly {
    /// The app in `root`, if it is one: a folder holding `cdk.json` or `cdk.out/manifest.json`.
    /// An app whose assembly was not synthesised yet is reported, not skipped in silence.
    pub fn find(root: &Path) -> Option<Assembly> {
        let cdk_json = root.join("cdk.json");
        let has_cdk_json = cdk_json.is_file();
        let out = output_folder(&cdk_json).unwrap_or_else(|| "cdk.out".to_string());
        let dir = root.join(&out);
        let manifest = dir.join("manifest.json");
        if !has_cdk_json && !manifest.is_file() {
            return None;
        }
        if manifest.is_file() {
            return Some(Assembly::at(root, &dir));
        }
        let message = format!(
            "not analysed: a CDK app without a cloud assembly (no {out}/manifest.json), so its stacks were not \
             linted; run `npx cdk ls` (or `cdk synth`) before slint"
        );
        let problems = vec![AssemblyProblem { path: cdk_json, message, not_analysed: true }];
        Some(Assembly { root: root.to_path_buf(), dir, problems, ..Assembly::default() })
    }

    /// The assembly in `dir` (holding `manifest.json`) of the app in `root`.
    pub fn at(root: &Path, dir: &Path) -> Assembly {
        let mut assembly = Assembly { root: root.to_path_buf(), dir: dir.to_path_buf(), ..Assembly::default() };
        assembly.read_manifest(dir, 0);
        assembly.dedup_stacks();
        assembly
    }

    fn problem(&mut self, path: &Path, message: String) {
        self.problems.push(AssemblyProblem { path: path.to_path_buf(), message, not_analysed: false });
    }

    /// Reads one `manifest.json`: its stacks, their metadata, and its stages' assemblies.
    fn read_manifest(&mut self, dir: &Path, depth: usize) {
        let manifest = dir.join("manifest.json");
        let Some(document) = self.read_json(&manifest) else { return };
        let Some(artifacts) = document.get("artifacts").and_then(Value::as_object) else {
            self.problem(&manifest, "not a cloud assembly manifest: no `artifacts` object".into());
            return;
        };
        for (name, artifact) in artifacts {
            let properties = artifact.get("properties");
            match artifact.get("type").and_then(Value::as_str) {
                Some("aws:cloudformation:stack") => self.read_stack(dir, &manifest, name, artifact),
                Some("cdk:cloud-assembly") if depth < MAX_STAGE_DEPTH => {
                    let Some(stage) = properties.and_then(|p| p.get("directoryName")).and_then(Value::as_str) else {
                        continue;
                    };
                    match inside(dir, stage) {
                        Some(stage_dir) => self.read_manifest(&stage_dir, depth + 1),
                        None => self.problem(&manifest, escaping("directoryName", name, stage)),
                    }
                }
                _ => {}
            }
        }
    }

    fn read_stack(&mut self, dir: &Path, manifest: &Path, name: &str, artifact: &Value) {
        let Some(template) = artifact.pointer("/properties/templateFile").and_then(Value::as_str) else {
            self.problem(manifest, format!("stack `{name}` has no `properties.templateFile`"));
            return;
        };
        let Some(template_path) = inside(dir, template) else {
            self.problem(manifest, escaping("templateFile", name, template));
            return;
        };
        self.stacks.push(StackTemplate { template: template_path, construct: None });
        // Older assemblies keep the metadata in the manifest itself.
        if let Some(inline) = artifact.get("metadata") {
            self.add_metadata(dir, inline);
        }
        if let Some(file) = artifact.get("additionalMetadataFile").and_then(Value::as_str) {
            match inside(dir, file) {
                Some(path) => {
                    if let Some(document) = self.read_json(&path) {
                        self.add_metadata(dir, &document);
                    }
                }
                None => self.problem(manifest, escaping("additionalMetadataFile", name, file)),
            }
        }
    }

    /// Adds the constructs of a metadata document; a construct naming a template file is a
    /// stack, and a nested stack's template is found this way.
    fn add_metadata(&mut self, dir: &Path, document: &Value) {
        for entry in metadata::entries(document) {
            if let Some(file) = entry.template_file.as_deref().and_then(|f| inside(dir, f)) {
                self.stacks.push(StackTemplate { template: file, construct: Some(entry.path.clone()) });
            }
            self.constructs.push(entry);
        }
    }

    /// A template listed twice (as a stack and by its construct's metadata) is analysed once,
    /// keeping the entry that names the construct.
    fn dedup_stacks(&mut self) {
        self.stacks.sort_by(|a, b| a.template.cmp(&b.template).then(b.construct.is_some().cmp(&a.construct.is_some())));
        self.stacks.dedup_by(|later, first| later.template == first.template);
    }

    fn read_json(&mut self, path: &Path) -> Option<Value> {
        let bytes = match crate::limits::read_limited(path, MAX_BOOKKEEPING_BYTES) {
            Ok(bytes) => bytes,
            Err(message) => {
                self.problem(path, message);
                return None;
            }
        };
        match serde_json::from_slice(&bytes) {
            Ok(value) => Some(value),
            Err(error) => {
                self.problem(path, format!("the cloud assembly file is not valid JSON: {error}"));
                None
            }
        }
    }

    /// The stack (or nested stack) whose template is `template`, and which construct it is.
    pub fn stack_of(&self, template: &Path) -> Option<&StackTemplate> {
        self.stacks.iter().find(|s| s.template == template)
    }

    /// The constructs that are resources of the stack `stack`: inside its construct path and
    /// not inside a nested stack of it.
    pub fn resources_of<'a>(&'a self, stack: &'a ConstructPath) -> impl Iterator<Item = &'a ConstructEntry> + 'a {
        let nested: Vec<&ConstructPath> = self
            .stacks
            .iter()
            .filter_map(|s| s.construct.as_ref())
            .filter(|c| c.0 != stack.0 && c.is_within(stack))
            .collect();
        self.constructs.iter().filter(move |c| {
            c.logical_id.is_some() && c.path.is_within(stack) && !nested.iter().any(|n| c.path.is_within(n))
        })
    }
}

/// `output` of `cdk.json`, when it names a folder other than `cdk.out`.
fn output_folder(cdk_json: &Path) -> Option<String> {
    let bytes = crate::limits::read_limited(cdk_json, crate::limits::MAX_CONFIG_BYTES).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    let out = value.get("output")?.as_str()?;
    inside(Path::new("/"), out).map(|_| out.to_string())
}

/// `relative` joined onto `dir` when it is a plain relative path that stays inside `dir`.
fn inside(dir: &Path, relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    (plain && !relative.is_empty() && !relative.contains('\\')).then(|| dir.join(path))
}

fn escaping(key: &str, artifact: &str, value: &str) -> String {
    format!("artifact `{artifact}`: `{key}` `{value}` leads out of the cloud assembly, so it was not read")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cdk-app")
    }

    #[test]
    fn the_manifest_lists_the_stack_and_the_metadata_its_nested_stack() {
        let assembly = Assembly::find(&app()).expect("a CDK app");
        assert!(assembly.problems.is_empty(), "{:?}", assembly.problems);
        let names: Vec<(String, Option<&str>)> = assembly
            .stacks
            .iter()
            .map(|s| {
                (
                    s.template.file_name().unwrap().to_string_lossy().into_owned(),
                    s.construct.as_ref().map(|c| c.0.as_str()),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("OrdersStack.template.json".to_string(), Some("/OrdersStack")),
                ("OrdersStackReports4839B7AB.nested.template.json".to_string(), Some("/OrdersStack/Reports")),
            ]
        );
        let nested = ConstructPath("/OrdersStack/Reports".into());
        let ids: Vec<&str> = assembly.resources_of(&nested).filter_map(|c| c.logical_id.as_deref()).collect();
        assert!(ids.contains(&"GetOrderFn491BEFB0"), "{ids:?}");
        let top = ConstructPath("/OrdersStack".into());
        let ids: Vec<&str> = assembly.resources_of(&top).filter_map(|c| c.logical_id.as_deref()).collect();
        assert!(ids.contains(&"CreateOrderFnDC0D005D") && !ids.contains(&"GetOrderFn491BEFB0"), "{ids:?}");
    }

    #[test]
    fn paths_in_the_manifest_stay_inside_the_assembly() {
        assert_eq!(inside(Path::new("/a"), "t.json"), Some(PathBuf::from("/a/t.json")));
        assert_eq!(inside(Path::new("/a"), "../t.json"), None);
        assert_eq!(inside(Path::new("/a"), "/etc/passwd"), None);
        assert_eq!(inside(Path::new("/a"), r"..\t.json"), None);
    }
}
