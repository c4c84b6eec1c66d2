//! SAM semantics that CloudFormation itself does not have: `Globals`.
//!
//! SAM documents the merge: a resource's own scalar wins, maps are merged key by key, lists
//! are concatenated (globals first). Intrinsic-function values are never merged into. The
//! merged `Properties` is a synthetic node whose children are the *original* nodes, so a value
//! inherited from `Globals` keeps pointing at its line in `Globals`.

use std::collections::{HashMap, HashSet};

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

/// Entries `Globals` merging may write over a whole template. Each merged mapping holds the
/// entries of both sides, so without a bound a large `Globals` section merged into 2,000
/// functions costs 2,000 copies of itself (a 2 MB file took gigabytes).
pub const MAX_MERGED_ENTRIES: u64 = 1_000_000;

/// Replaces each SAM resource's `properties` with its `Globals`-merged view. Fails, with the
/// finding's message, when merging would write more than [`MAX_MERGED_ENTRIES`] entries.
pub fn merge_globals(template: &mut Template) -> Result<(), String> {
    if template.globals.is_empty() {
        return Ok(());
    }
    let mut budget = MAX_MERGED_ENTRIES;
    for index in 0..template.resources.len() {
        let resource = &template.resources[index];
        let Some(section) = globals_section(&resource.type_name) else { continue };
        let Some(global) = template.globals.iter().find(|(k, _)| k == section).map(|(_, id)| *id) else {
            continue;
        };
        let merged = match resource.properties {
            None => global,
            Some(local) => merge(&mut template.tree, global, local, &mut budget).ok_or_else(|| {
                format!(
                    "merging `Globals` into the resources writes more than {MAX_MERGED_ENTRIES} entries; \
                     the template is not analysed"
                )
            })?,
        };
        template.resources[index].properties = Some(merged);
    }
    Ok(())
}

/// Merges `global` under `local` following SAM's rules; returns the node to use, or `None`
/// when the entries written would exceed what is left of `budget`.
pub fn merge(tree: &mut Tree, global: NodeId, local: NodeId, budget: &mut u64) -> Option<NodeId> {
    merge_at_depth(tree, global, local, 0, budget)
}

fn merge_at_depth(tree: &mut Tree, global: NodeId, local: NodeId, depth: u32, budget: &mut u64) -> Option<NodeId> {
    // Both trees are depth-limited by the loader; this bound only keeps recursion obviously
    // finite.
    if depth > 64 || global == local {
        return Some(local);
    }
    let (g, l) = (tree.node(global), tree.node(local));
    if g.intrinsic().is_some() || l.intrinsic().is_some() {
        return Some(local);
    }
    match (g.kind(), l.kind()) {
        (NodeKind::Map(g_entries), NodeKind::Map(l_entries)) => {
            *budget = budget.checked_sub((g_entries.len() + l_entries.len()) as u64)?;
            let (g_entries, l_entries) = (g_entries.clone(), l_entries.clone());
            let span = l.span();
            let parent = l.raw().parent;
            // Keys looked up by hash: both sides may hold thousands of keys.
            let g_index: HashMap<&str, NodeId> = g_entries.iter().map(|e| (&*e.key, e.value)).collect();
            let l_keys: HashSet<&str> = l_entries.iter().map(|e| &*e.key).collect();
            let mut entries: Vec<Entry> = Vec::with_capacity(l_entries.len() + g_entries.len());
            for entry in &l_entries {
                let value = match g_index.get(&*entry.key) {
                    Some(&g) => merge_at_depth(tree, g, entry.value, depth + 1, budget)?,
                    None => entry.value,
                };
                entries.push(Entry { value, ..entry.clone() });
            }
            entries.extend(g_entries.iter().filter(|g| !l_keys.contains(&*g.key)).cloned());
            let merged = tree.push_map(span, entries);
            if let Some(parent) = parent {
                tree.set_parent(merged, parent);
            }
            Some(merged)
        }
        (NodeKind::Seq(g_items), NodeKind::Seq(l_items)) => {
            *budget = budget.checked_sub((g_items.len() + l_items.len()) as u64)?;
            let items: Vec<NodeId> = g_items.iter().chain(l_items.iter()).copied().collect();
            let span = l.span();
            let parent = l.raw().parent;
            let merged = tree.push_seq(span, items);
            if let Some(parent) = parent {
                tree.set_parent(merged, parent);
            }
            Some(merged)
        }
        _ => Some(local),
    }
}
