//! Lambda functions, SAM and plain, with their effective settings and AWS defaults.

use crate::model::template::{LogicalId, ResourceId, ResourceKind, Setting, Template};
use crate::model::tree::{NodeId, NodeRef};

/// Concurrency AWS keeps unreserved in every account: reservations may not go below it.
pub const MIN_UNRESERVED: i64 = 100;

/// AWS Lambda's default timeout, in seconds.
pub const DEFAULT_TIMEOUT_S: i64 = 3;
/// AWS Lambda's default memory, in MB.
pub const DEFAULT_MEMORY_MB: i64 = 128;

crate::index::index_type! {
    /// A function of a template: an index into [`Template::functions`].
    pub struct FunctionId for Function;
}

/// One function of a template (`AWS::Serverless::Function` or `AWS::Lambda::Function`).
#[derive(Clone, Debug)]
pub struct Function {
    pub resource: ResourceId,
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
    /// Traced by another tracer than X-Ray (Datadog, OpenTelemetry), and the node that says so
    /// (`None` for a template-wide transform).
    pub traced_by: Option<(Tracer, Option<NodeId>)>,
    /// Where failed asynchronous invocations go: an on-failure destination
    /// (`EventInvokeConfig.DestinationConfig.OnFailure` in SAM, an `AWS::Lambda::EventInvokeConfig`
    /// resource) or a dead-letter queue (`DeadLetterQueue` in SAM, `DeadLetterConfig.TargetArn`).
    pub failure_destination: Option<NodeId>,
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
                resource: ResourceId::new(index),
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
                traced_by: other_tracer(template, props),
                failure_destination: failure_destination(template, resource, props),
                function_url: if sam { get("FunctionUrlConfig").map(|n| n.id) } else { None },
                events: Vec::new(),
                peak_rps: declared_load(template, resource, "peak-rps"),
                avg_duration_ms: declared_load(template, resource, "avg-duration-ms"),
            }
        })
        .collect()
}

/// The node that sends a function's failed asynchronous invocations somewhere.
fn failure_destination(
    template: &Template,
    resource: &crate::model::template::Resource,
    props: Option<NodeRef<'_>>,
) -> Option<NodeId> {
    let set = |n: Option<NodeRef<'_>>| n.filter(|n| !n.is_null()).map(|n| n.id);
    let own = props.and_then(|p| {
        set(p.at(&["EventInvokeConfig", "DestinationConfig", "OnFailure"]))
            .or_else(|| set(p.get("DeadLetterQueue")))
            .or_else(|| set(p.at(&["DeadLetterConfig", "TargetArn"])))
    });
    own.or_else(|| {
        template.resources.iter().find_map(|r| {
            if r.type_name != "AWS::Lambda::EventInvokeConfig" {
                return None;
            }
            let config = template.properties(r)?;
            let target = config.get("FunctionName").and_then(crate::model::intrinsics::direct_reference);
            if target != Some(resource.id.as_str()) {
                return None;
            }
            set(config.at(&["DestinationConfig", "OnFailure", "Destination"]))
        })
    })
}

/// A tracer other than X-Ray.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracer {
    /// The Datadog Lambda extension or library (layers, `DD_TRACE_ENABLED`, the
    /// `DatadogServerless` macro).
    Datadog,
    /// The AWS Distro for OpenTelemetry or another OpenTelemetry Lambda layer or wrapper.
    OpenTelemetry,
}

impl Tracer {
    pub fn label(self) -> &'static str {
        match self {
            Tracer::Datadog => "Datadog",
            Tracer::OpenTelemetry => "OpenTelemetry",
        }
    }
}

/// How a function is traced when not by X-Ray: an environment variable, a layer, or the
/// Datadog macro on the whole template.
fn other_tracer(template: &Template, props: Option<NodeRef<'_>>) -> Option<(Tracer, Option<NodeId>)> {
    let variables = props.and_then(|p| p.at(&["Environment", "Variables"]));
    let variable = |name: &str| variables.and_then(|v| v.get(name));
    if let Some(node) = variable("DD_TRACE_ENABLED")
        && template.resolve_scalar(node).and_then(|n| n.scalar_text()).is_some_and(|t| t.eq_ignore_ascii_case("true"))
    {
        return Some((Tracer::Datadog, Some(node.id)));
    }
    if let Some(node) = variable("AWS_LAMBDA_EXEC_WRAPPER")
        && let Some(tracer) = text_of(template, node).and_then(|t| tracer_named(&t))
    {
        return Some((tracer, Some(node.id)));
    }
    let layers = props.and_then(|p| p.get("Layers"));
    for layer in layers.into_iter().flat_map(|l| l.items()) {
        if let Some(tracer) = text_of(template, layer).and_then(|t| tracer_named(&t)) {
            return Some((tracer, Some(layer.id)));
        }
    }
    datadog_macro(template).then_some((Tracer::Datadog, None))
}

/// The tracer a layer ARN or wrapper path names: Datadog's layers (`Datadog-Extension`,
/// `Datadog-Python312`, ..) and wrapper (`/opt/datadog_wrapper`), the ADOT layers
/// (`aws-otel-*`, `AWSOpenTelemetryDistro*`), the community OpenTelemetry layers
/// (`opentelemetry-*`) and OpenTelemetry wrappers (`/opt/otel-handler`, `/opt/otel-instrument`,
/// ..). A bare `otel` elsewhere is not enough (`hotel-utils`).
fn tracer_named(text: &str) -> Option<Tracer> {
    let lower = text.to_ascii_lowercase();
    if lower.contains(":layer:datadog-") || lower.contains("datadog_wrapper") || lower.contains("datadog-extension") {
        Some(Tracer::Datadog)
    } else if lower.contains(":layer:aws-otel-") || lower.contains("opentelemetry") || lower.starts_with("/opt/otel") {
        Some(Tracer::OpenTelemetry)
    } else {
        None
    }
}

/// The text of a string, a `Fn::Sub` template or a parameter default.
fn text_of(template: &Template, node: NodeRef<'_>) -> Option<String> {
    if let Some(text) = template.resolve_scalar(node).and_then(|n| n.scalar_text()) {
        return Some(text.to_string());
    }
    let ("Fn::Sub", arg) = node.intrinsic()? else { return None };
    arg.as_str().or_else(|| arg.item(0).and_then(|i| i.as_str())).map(str::to_string)
}

/// The template uses Datadog's `DatadogServerless` macro, which adds the Datadog layers to
/// every function.
fn datadog_macro(template: &Template) -> bool {
    let Some(transform) = template.root().and_then(|r| r.get("Transform")) else { return false };
    let is_datadog = |n: NodeRef<'_>| {
        let name = n.as_str().or_else(|| n.get("Name").and_then(|m| m.as_str()));
        name.is_some_and(|m| m.starts_with("DatadogServerless"))
    };
    is_datadog(transform) || transform.items().any(is_datadog)
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
