//! What `<Stack>.metadata.json` says about each construct, and how its paths, written on the
//! machine that synthesised the assembly, are found in the project under review.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A construct path as the CDK writes it: `/OrdersStack/CreateOrderFn/Resource`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConstructPath(pub String);

impl ConstructPath {
    /// How findings name the construct: no leading `/`, and without the `/Resource` (or
    /// `/Default`) child that every L2 construct puts its CloudFormation resource in, so
    /// `OrdersStack/CreateOrderFn` as written in the code.
    pub fn shown(&self) -> &str {
        let path = self.0.trim_start_matches('/');
        path.strip_suffix("/Resource").or_else(|| path.strip_suffix("/Default")).unwrap_or(path)
    }

    /// Whether this construct is `stack` itself or inside it.
    pub fn is_within(&self, stack: &ConstructPath) -> bool {
        self.0 == stack.0 || self.0.strip_prefix(stack.0.as_str()).is_some_and(|rest| rest.starts_with('/'))
    }
}

/// One frame of an `aws:cdk:creationStack`, as written: `new OrdersStack (/home/dev/app/lib/
/// orders-stack.ts:25:25)`. Line and column are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Frame {
    /// Parses a V8 stack frame; summaries such as `...aws-cdk-lib...` are no frames.
    pub fn parse(text: &str) -> Option<Frame> {
        let text = text.trim();
        let location = match (text.rfind('('), text.strip_suffix(')')) {
            (Some(open), Some(inner)) => &inner[open + 1..],
            _ => text.strip_prefix("at ").unwrap_or(text),
        };
        let location = location.strip_prefix("file://").unwrap_or(location);
        let mut parts = location.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let file = parts.next()?.to_string();
        (line > 0 && column > 0 && !file.is_empty()).then_some(Frame { file, line, column })
    }
}

/// What the metadata says about one construct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstructEntry {
    pub path: ConstructPath,
    /// `aws:cdk:logicalId`: the resource this construct is in its stack's template.
    pub logical_id: Option<String>,
    /// `aws:cdk:creationStack`, innermost frame first (summaries dropped).
    pub creation: Vec<Frame>,
    /// `aws:cdk:templateFile`: this construct is a stack (or nested stack) with this template.
    pub template_file: Option<String>,
}

/// Reads the entries of a metadata document: `{ "/path": [{ "type": .., "data": .. }] }`.
/// Entries of unknown types are skipped; a document of another shape gives nothing.
pub fn entries(document: &Value) -> Vec<ConstructEntry> {
    let Some(map) = document.as_object() else { return Vec::new() };
    map.iter().filter_map(|(path, items)| entry(path, items.as_array()?)).collect()
}

fn entry(path: &str, items: &[Value]) -> Option<ConstructEntry> {
    let mut entry = ConstructEntry {
        path: ConstructPath(path.to_string()),
        logical_id: None,
        creation: Vec::new(),
        template_file: None,
    };
    for item in items {
        let data = item.get("data");
        match item.get("type").and_then(Value::as_str) {
            Some("aws:cdk:logicalId") => entry.logical_id = data.and_then(Value::as_str).map(str::to_string),
            Some("aws:cdk:templateFile") => entry.template_file = data.and_then(Value::as_str).map(str::to_string),
            Some("aws:cdk:creationStack") => {
                let frames = data.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                entry.creation = frames.iter().filter_map(Value::as_str).filter_map(Frame::parse).collect();
            }
            _ => {}
        }
    }
    (entry.logical_id.is_some() || entry.template_file.is_some()).then_some(entry)
}

/// Maps absolute paths of the machine that synthesised the assembly onto the project: by
/// the longest suffix of the path that exists below the app's folder. The foreign path itself
/// is never opened, nor even looked at on this machine: only `root` joined with a suffix is.
#[derive(Debug)]
pub struct PathMap {
    root: PathBuf,
    /// The folder slint walked to find the app, when it holds the app folder: tried after the
    /// app folder, for paths no frame places (a Python app's creation stacks name no file of
    /// the project, and its crate may sit beside the app).
    walked: Option<PathBuf>,
    /// Foreign folders found to be the app's folder (the part a mapped file's suffix left),
    /// so that a folder path (an asset's crate folder, perhaps the app folder itself) maps too.
    foreign_roots: Vec<Vec<String>>,
    cache: HashMap<String, Option<PathBuf>>,
    /// Candidates outside the folders slint was given are not even `stat`ed.
    scope: crate::limits::ReadScope,
}

/// Most components of a foreign path considered (deeper ones are not tried).
const MAX_COMPONENTS: usize = 64;

impl PathMap {
    pub fn new(root: &Path) -> Self {
        PathMap {
            root: root.to_path_buf(),
            walked: None,
            foreign_roots: Vec::new(),
            cache: HashMap::new(),
            scope: crate::limits::ReadScope::anywhere(),
        }
    }

    /// Confines the candidates to `scope`, as written: one outside is not looked at.
    pub fn with_scope(mut self, scope: &crate::limits::ReadScope) -> Self {
        self.scope = scope.clone();
        self
    }

    /// Also tries `walked`, the folder given to slint, when it holds the app folder.
    pub fn with_walked(mut self, walked: &Path) -> Self {
        if walked.is_absolute() && walked != self.root && self.root.starts_with(walked) {
            self.walked = Some(walked.to_path_buf());
        }
        self
    }

    /// The project file or folder `foreign` stands for, if any. A path with `.` or `..` steps
    /// is taken as written up to them (no suffix containing one is tried).
    pub fn map(&mut self, foreign: &str) -> Option<PathBuf> {
        if let Some(known) = self.cache.get(foreign) {
            return known.clone();
        }
        let mapped = self.map_uncached(foreign);
        self.cache.insert(foreign.to_string(), mapped.clone());
        mapped
    }

    fn map_uncached(&mut self, foreign: &str) -> Option<PathBuf> {
        let parts = components(foreign)?;
        let plain = |rest: &&[String]| !rest.iter().any(|p| p == "." || p == "..");
        if let Some(rest) = self.foreign_roots.iter().find_map(|root| parts.strip_prefix(root.as_slice()).filter(plain))
        {
            return Some(join(&self.root, rest)).filter(|p| exists(&self.scope, p));
        }
        if let Some(beside) = self.beside_root(&parts) {
            return Some(beside);
        }
        // Longest suffix first; a suffix must keep at least one component.
        let first_plain = parts.iter().rposition(|p| p == "." || p == "..").map_or(0, |i| i + 1);
        if let Some(start) = longest_existing_suffix(&self.scope, &self.root, &parts[first_plain..]) {
            let start = first_plain + start;
            if start > 0 {
                self.foreign_roots.push(parts[..start].to_vec());
            }
            return Some(join(&self.root, &parts[start..]));
        }
        let walked = self.walked.as_ref()?;
        let start = longest_existing_suffix(&self.scope, walked, &parts[first_plain..])?;
        Some(join(walked, &parts[first_plain + start..]))
    }

    /// A path beside the app folder on the foreign machine (a crate next to `infra/`), placed
    /// the same way beside it here: `/home/dev/repo/crates/orders` with the app at
    /// `/home/dev/repo/infra` is `<root>/../crates/orders`. Whether it may be read is the
    /// caller's [`crate::limits::ReadScope`] to say.
    fn beside_root(&self, parts: &[String]) -> Option<PathBuf> {
        self.foreign_roots.iter().find_map(|foreign_root| {
            let common = foreign_root.iter().zip(parts).take_while(|(a, b)| a == b).count();
            // Sharing nothing but `/home` is no evidence of being beside the app.
            if common < 2 || foreign_root.len() - common > 4 {
                return None;
            }
            let mut local = self.root.clone();
            for _ in common..foreign_root.len() {
                local.pop();
            }
            let local = join(&local, &parts[common..]);
            exists(&self.scope, &local).then_some(local)
        })
    }
}

/// Where the longest suffix of `parts` that exists below `base` starts.
fn longest_existing_suffix(scope: &crate::limits::ReadScope, base: &Path, parts: &[String]) -> Option<usize> {
    (0..parts.len()).find(|&start| exists(scope, &join(base, &parts[start..])))
}

/// Whether `path` exists, asked only when it is inside `scope` as written.
fn exists(scope: &crate::limits::ReadScope, path: &Path) -> bool {
    let path = crate::fs::absolute(Path::new("/"), path);
    scope.allows_as_written(&path) && path.symlink_metadata().is_ok()
}

/// The components of a foreign absolute path (`/` or `\` separated; a drive `C:` dropped).
fn components(foreign: &str) -> Option<Vec<String>> {
    let parts: Vec<String> = foreign
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .enumerate()
        .filter(|(i, p)| !(*i == 0 && p.len() == 2 && p.ends_with(':')))
        .map(|(_, p)| p.to_string())
        .collect();
    (!parts.is_empty() && parts.len() <= MAX_COMPONENTS).then_some(parts)
}

fn join(root: &Path, parts: &[String]) -> PathBuf {
    let mut path = root.to_path_buf();
    path.extend(parts);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_parse_with_and_without_a_function_name() {
        let frame = Frame::parse("new OrdersStack (/home/dev/app/lib/orders-stack.ts:25:7)").unwrap();
        assert_eq!(frame, Frame { file: "/home/dev/app/lib/orders-stack.ts".into(), line: 25, column: 7 });
        let windows = Frame::parse(r"Object.<anonymous> (C:\Users\dev\app\bin\app.ts:6:1)").unwrap();
        assert_eq!((windows.file.as_str(), windows.line, windows.column), (r"C:\Users\dev\app\bin\app.ts", 6, 1));
        let bare = Frame::parse("at file:///srv/app/bin/app.mjs:3:9").unwrap();
        assert_eq!(bare.file, "/srv/app/bin/app.mjs");
        assert_eq!(Frame::parse("...new RestApi2 in aws-cdk-lib..."), None);
        assert_eq!(Frame::parse("(no user code in 10 frames, use --stack-trace-limit to capture more)"), None);
    }

    #[test]
    fn construct_paths_are_shown_without_their_resource_child() {
        assert_eq!(ConstructPath("/OrdersStack/CreateOrderFn/Resource".into()).shown(), "OrdersStack/CreateOrderFn");
        assert_eq!(ConstructPath("/OrdersStack/OrdersApi/Account".into()).shown(), "OrdersStack/OrdersApi/Account");
        let stack = ConstructPath("/OrdersStack/Reports".into());
        assert!(ConstructPath("/OrdersStack/Reports/GetOrderFn/Resource".into()).is_within(&stack));
        assert!(!ConstructPath("/OrdersStack/ReportsBucket/Resource".into()).is_within(&stack));
    }

    #[test]
    fn foreign_paths_map_by_their_longest_existing_suffix() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cdk-app");
        let mut map = PathMap::new(&root);
        assert_eq!(map.map("/home/runner/work/app/lib/orders-stack.ts"), Some(root.join("lib/orders-stack.ts")));
        // Learned from the file above: the foreign app folder maps onto the root itself.
        assert_eq!(map.map("/home/runner/work/app"), Some(root.clone()));
        let mut windows = PathMap::new(&root);
        assert_eq!(windows.map(r"D:\a\app\bin\orders.ts"), Some(root.join("bin/orders.ts")));
        assert_eq!(windows.map("/elsewhere/none/such.ts"), None);
        // Beside the app folder: the folder holding it is found the same way here.
        assert_eq!(map.map("/home/runner/work/SL101"), Some(root.parent().unwrap().join("SL101")));
        assert_eq!(map.map("/home/elsewhere/SL101"), None, "shares only `/home` with the app");
        // A Python app's crate beside it, with no frame to learn from: found from the folder
        // slint walked.
        let app = root.join("cdk.out");
        let mut python = PathMap::new(&app).with_walked(&root);
        assert_eq!(python.map("/home/dev/repo/lib/orders-stack.ts"), Some(root.join("lib/orders-stack.ts")));
        assert_eq!(PathMap::new(&app).map("/home/dev/repo/lib/orders-stack.ts"), None);
        // Outside the folders slint was given, a candidate is not even looked at.
        let scope = crate::limits::ReadScope::of(std::slice::from_ref(&root), &root);
        let mut confined = PathMap::new(&root).with_scope(&scope);
        assert_eq!(confined.map("/home/runner/work/app/lib/orders-stack.ts"), Some(root.join("lib/orders-stack.ts")));
        assert_eq!(confined.map("/home/runner/work/SL101"), None, "beside the app, outside the scope");
        assert_eq!(confined.map("/home/runner/work/app/../../etc/passwd"), None);
        // `..` never climbs out: only what follows the last `..` is tried.
        assert_eq!(PathMap::new(&root).map("/x/../../etc/passwd"), None);
    }
}
