//! SAM semantics that CloudFormation itself does not have: `Globals`.
//!
//! SAM documents the merge: a resource's own scalar wins, maps are merged key by key, lists
//! are concatenated (globals first). Intrinsic-function values are never merged into. The
//! merged `Properties` is a synthetic node whose children are the *original* nodes, so a value
//! inherited from `Globals` keeps pointing at its line in `Globals`.

use crate::model::template::Template;
use crate::model::tree::{Entry, NodeId, NodeKind, Tree};

/// The `Globals` section that applies to a resource type.
pub fn globals_section(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "AWS::Serverless::Function" => "Function",
        "AWS::Serverless::Api" => "Api",
        "AWS::Serverless::HttpApi" => "HttpApi",
        "AWS::Serverless::SimpleTable" => "SimpleTable",
        "AWS::Serverless::StateMachine" => "StateMachine",
        "AWS::Serverless::LayerVersion" => "LayerVersion",
        "AWS::Serverless::CapacityProvider" => "CapacityProvider",
        _ => return None,
    })
}

/// Replaces each SAM resource's `properties` with its `Globals`-merged view.
pub fn merge_globals(template: &mut Template) {
    if template.globals.is_empty() {
        return;
    }
    for index in 0..template.resources.len() {
        let resource = &template.resources[index];
        let Some(section) = globals_section(&resource.type_name) else { continue };
        let Some(global) = template.globals.iter().find(|(k, _)| k == section).map(|(_, id)| *id) else {
            continue;
        };
        let merged = match resource.properties {
            None => global,
            Some(local) => merge(&mut template.tree, global, local),
        };
        template.resources[index].properties = Some(merged);
    }
}

/// Merges `global` under `local` following SAM's rules; returns the node to use.
pub fn merge(tree: &mut Tree, global: NodeId, local: NodeId) -> NodeId {
    merge_at_depth(tree, global, local, 0)
}

fn merge_at_depth(tree: &mut Tree, global: NodeId, local: NodeId, depth: u32) -> NodeId {
    // Both trees are depth-limited by the loader; this bound only keeps recursion obviously
    // finite.
    if depth > 64 || global == local {
        return local;
    }
    let (g, l) = (tree.node(global), tree.node(local));
    if g.intrinsic().is_some() || l.intrinsic().is_some() {
        return local;
    }
    match (g.kind(), l.kind()) {
        (NodeKind::Map(g_entries), NodeKind::Map(l_entries)) => {
            let (g_entries, l_entries) = (g_entries.clone(), l_entries.clone());
            let span = l.span();
            let parent = l.raw().parent;
            let mut entries: Vec<Entry> = Vec::with_capacity(l_entries.len() + g_entries.len());
            for entry in &l_entries {
                let value = match g_entries.iter().find(|g| g.key == entry.key) {
                    Some(g) => merge_at_depth(tree, g.value, entry.value, depth + 1),
                    None => entry.value,
                };
                entries.push(Entry { value, ..entry.clone() });
            }
            for entry in g_entries {
                if !l_entries.iter().any(|l| l.key == entry.key) {
                    entries.push(entry);
                }
            }
            let merged = tree.push_map(span, entries);
            if let Some(parent) = parent {
                tree.set_parent(merged, parent);
            }
            merged
        }
        (NodeKind::Seq(g_items), NodeKind::Seq(l_items)) => {
            let items: Vec<NodeId> = g_items.iter().chain(l_items.iter()).copied().collect();
            let span = l.span();
            let parent = l.raw().parent;
            let merged = tree.push_seq(span, items);
            if let Some(parent) = parent {
                tree.set_parent(merged, parent);
            }
            merged
        }
        _ => local,
    }
}
