//! Lambda functions, SAM and plain, with their effective settings and AWS defaults.

use crate::model::template::{LogicalId, ResourceKind, Setting, Template};
use crate::model::tree::NodeId;

/// AWS Lambda's default timeout, in seconds.
pub const DEFAULT_TIMEOUT_S: i64 = 3;
/// AWS Lambda's default memory, in MB.
pub const DEFAULT_MEMORY_MB: i64 = 128;

/// One function of a template (`AWS::Serverless::Function` or `AWS::Lambda::Function`).
#[derive(Clone, Debug)]
pub struct Function {
    /// Index of its resource in [`Template::resources`].
    pub resource: usize,
    pub id: LogicalId,
    /// Declared with SAM (`AWS::Serverless::Function`).
    pub sam: bool,
    /// `Timeout` in seconds (default 3).
    pub timeout: Setting<i64>,
    /// `MemorySize` in MB (default 128).
    pub memory_size: Setting<i64>,
    /// `ReservedConcurrentExecutions` (no default: the function shares the account pool).
    pub reserved_concurrency: Setting<i64>,
    /// The node that sets the tracing mode (`Tracing` or `TracingConfig.Mode`), if any.
    pub tracing: Option<NodeId>,
    /// Active X-Ray tracing.
    pub tracing_active: bool,
    /// `FunctionUrlConfig` (SAM), which makes the function synchronously invocable over HTTPS.
    pub function_url: Option<NodeId>,
    /// Indexes into [`Template::events`] of every event source that invokes this function.
    pub events: Vec<usize>,
    /// Declared load from `Metadata.slint`: peak invocations per second.
    pub peak_rps: Setting<f64>,
    /// Declared load from `Metadata.slint`: average duration in milliseconds.
    pub avg_duration_ms: Setting<f64>,
}

pub fn collect(template: &Template) -> Vec<Function> {
    template
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind.is_function())
        .map(|(index, resource)| {
            let props = template.properties(resource);
            let get = |key: &str| props.and_then(|p| p.get(key));
            let sam = resource.kind == ResourceKind::ServerlessFunction;
            let tracing = if sam { get("Tracing") } else { get("TracingConfig").and_then(|t| t.get("Mode")) };
            Function {
                resource: index,
                id: resource.id.clone(),
                sam,
                timeout: template.int_setting(get("Timeout"), Some(DEFAULT_TIMEOUT_S)),
                memory_size: template.int_setting(get("MemorySize"), Some(DEFAULT_MEMORY_MB)),
                reserved_concurrency: template.int_setting(get("ReservedConcurrentExecutions"), None),
                tracing: tracing.map(|t| t.id),
                tracing_active: tracing
                    .and_then(|t| template.resolve_scalar(t))
                    .and_then(|t| t.as_str())
                    .is_some_and(|m| m == "Active"),
                function_url: if sam { get("FunctionUrlConfig").map(|n| n.id) } else { None },
                events: Vec::new(),
                peak_rps: declared_load(template, resource, "peak-rps"),
                avg_duration_ms: declared_load(template, resource, "avg-duration-ms"),
            }
        })
        .collect()
}

/// A positive number under `Metadata.slint.<key>`; `Unknown` when present but not one.
fn declared_load(template: &Template, resource: &crate::model::template::Resource, key: &str) -> Setting<f64> {
    let Some(node) = resource.metadata.and_then(|m| template.node(m).at(&["slint", key])) else {
        return Setting::Unset;
    };
    match template.resolve_scalar(node).and_then(|n| n.as_f64()) {
        Some(v) if v.is_finite() && v > 0.0 => Setting::Set(v, node.id),
        _ => Setting::Unknown(node.id),
    }
}

impl Function {
    pub fn resource<'t>(&self, template: &'t Template) -> &'t crate::model::template::Resource {
        &template.resources[self.resource]
    }
}
