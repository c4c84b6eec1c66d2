//! SQS queues with the settings the queue rules read.

use crate::model::intrinsics::{direct_reference, references_within};
use crate::model::template::{LogicalId, ResourceKind, Setting, Template};
use crate::model::tree::{NodeId, NodeRef};

/// SQS's default visibility timeout, in seconds.
pub const DEFAULT_VISIBILITY_TIMEOUT_S: i64 = 30;

#[derive(Clone, Debug)]
pub struct Queue {
    /// Index into [`Template::resources`].
    pub resource: usize,
    pub id: LogicalId,
    /// `VisibilityTimeout` in seconds (default 30).
    pub visibility_timeout: Setting<i64>,
    /// `RedrivePolicy`, which sends failed messages to a dead-letter queue.
    pub redrive_policy: Option<NodeId>,
    /// Some other resource uses this queue as its dead-letter queue or failure destination.
    pub is_dead_letter_queue: bool,
    /// Indexes into [`Template::resources`] of the EventBridge pipes that read this queue
    /// (`AWS::Pipes::Pipe` with it as `Source`): consumers as much as a Lambda event source.
    pub pipes: Vec<usize>,
    pub fifo: bool,
}

/// Keys under which CloudFormation and SAM name a dead-letter queue or failure destination.
const DEAD_LETTER_KEYS: &[&str] =
    &["RedrivePolicy", "DeadLetterQueue", "DeadLetterConfig", "OnFailure", "RedriveAllowPolicy"];

pub fn collect(template: &Template) -> Vec<Queue> {
    let dead_letter_targets = dead_letter_targets(template);
    template
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == ResourceKind::SqsQueue)
        .map(|(index, resource)| {
            let props = template.properties(resource);
            let get = |key: &str| props.and_then(|p| p.get(key));
            Queue {
                resource: index,
                id: resource.id.clone(),
                visibility_timeout: template.int_setting(get("VisibilityTimeout"), Some(DEFAULT_VISIBILITY_TIMEOUT_S)),
                redrive_policy: get("RedrivePolicy").filter(|p| !p.is_null()).map(|p| p.id),
                is_dead_letter_queue: dead_letter_targets.iter().any(|t| *t == resource.id.0),
                fifo: get("FifoQueue").and_then(|f| f.as_bool()).unwrap_or(false),
                pipes: pipes_reading(template, resource.id.as_str()),
            }
        })
        .collect()
}

/// The pipes whose `Source` is the queue `logical_id`.
fn pipes_reading(template: &Template, logical_id: &str) -> Vec<usize> {
    let reads = |r: &crate::model::template::Resource| {
        template.property(r, "Source").and_then(direct_reference) == Some(logical_id)
    };
    template
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == ResourceKind::Pipe && reads(r))
        .map(|(i, _)| i)
        .collect()
}

/// Logical ids referenced from any dead-letter setting of any resource.
fn dead_letter_targets(template: &Template) -> Vec<&str> {
    let mut targets = Vec::new();
    for resource in &template.resources {
        let Some(props) = template.properties(resource) else { continue };
        collect_dead_letter_refs(props, &mut targets, 0);
    }
    targets
}

fn collect_dead_letter_refs<'t>(node: NodeRef<'t>, out: &mut Vec<&'t str>, depth: u32) {
    if depth > 8 {
        return;
    }
    for (key, _, value) in node.map_iter() {
        if DEAD_LETTER_KEYS.contains(&key) {
            references_within(value, out);
        } else if value.is_map() && value.intrinsic().is_none() {
            collect_dead_letter_refs(value, out, depth + 1);
        } else {
            for item in value.items().filter(|i| i.is_map()) {
                collect_dead_letter_refs(item, out, depth + 1);
            }
        }
    }
}
