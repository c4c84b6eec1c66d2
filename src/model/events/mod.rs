//! Event sources: everything that invokes a function, as first-class values with their
//! trigger class.
//!
//! They come from SAM `Events`, `FunctionUrlConfig`, SAM authorizers, and plain resources
//! (`AWS::Lambda::EventSourceMapping`, `AWS::Lambda::Permission`, SNS subscriptions,
//! EventBridge rules and schedules, S3 notifications, API Gateway integrations and
//! authorizers, ALB target groups, Cognito triggers, AppSync data sources, function URLs) and
//! OpenAPI `DefinitionBody` integrations.

use crate::model::api::ApiKind;
use crate::model::function::FunctionId;
use crate::model::intrinsics::{direct_reference, references_within};
use crate::model::template::{ResourceId, ResourceKind, Setting, Template};
use crate::model::tree::{NodeId, NodeRef};
use crate::span::Span;

mod build;

pub use build::collect;

/// How the function is invoked: does a caller wait for it?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// A caller waits for the response (API Gateway, function URL, ALB, authorizers, Cognito).
    Sync,
    /// Lambda queues or polls the event; nobody waits (SQS, SNS, EventBridge, S3, streams).
    Async,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// API Gateway REST API.
    Api,
    /// API Gateway HTTP API.
    HttpApi,
    WebSocket,
    FunctionUrl,
    Alb,
    /// A Lambda authorizer of an API.
    Authorizer,
    Cognito,
    AppSync,
    Alexa,
    Sqs,
    Sns,
    EventBridge,
    Schedule,
    S3,
    Kinesis,
    DynamoDb,
    Msk,
    SelfManagedKafka,
    Mq,
    DocumentDb,
    CloudWatchLogs,
    IoT,
    /// Anything else that invokes the function (asynchronously as far as slint knows).
    Other,
}

impl EventKind {
    /// The kind of a SAM event `Type`.
    pub fn from_sam_type(type_name: &str) -> EventKind {
        use EventKind::*;
        match type_name {
            "Api" => Api,
            "HttpApi" => HttpApi,
            "SQS" => Sqs,
            "SNS" => Sns,
            "EventBridgeRule" | "CloudWatchEvent" => EventBridge,
            "Schedule" | "ScheduleV2" => Schedule,
            "S3" => S3,
            "Kinesis" => Kinesis,
            "DynamoDB" => DynamoDb,
            "MSK" => Msk,
            "SelfManagedKafka" => SelfManagedKafka,
            "MQ" => Mq,
            "DocumentDB" => DocumentDb,
            "CloudWatchLogs" => CloudWatchLogs,
            "IoTRule" => IoT,
            "Cognito" => Cognito,
            "AlexaSkill" => Alexa,
            _ => Other,
        }
    }

    /// The trigger class of the kind, before route-level overrides.
    pub fn trigger(self) -> Trigger {
        use EventKind::*;
        match self {
            Api | HttpApi | WebSocket | FunctionUrl | Alb | Authorizer | Cognito | AppSync | Alexa => Trigger::Sync,
            _ => Trigger::Async,
        }
    }

    /// Lambda polls the source through an event source mapping (batches, partial failures).
    pub fn is_polled(self) -> bool {
        use EventKind::*;
        matches!(self, Sqs | Kinesis | DynamoDb | Msk | SelfManagedKafka | Mq | DocumentDb)
    }

    /// An ordered stream: Kinesis, DynamoDB streams.
    pub fn is_stream(self) -> bool {
        matches!(self, EventKind::Kinesis | EventKind::DynamoDb)
    }

    /// AWS's default `BatchSize` for polled sources.
    pub fn default_batch_size(self) -> Option<i64> {
        use EventKind::*;
        match self {
            Sqs => Some(10),
            Kinesis | DynamoDb | Msk | SelfManagedKafka | Mq | DocumentDb => Some(100),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        use EventKind::*;
        match self {
            Api => "REST API",
            HttpApi => "HTTP API",
            WebSocket => "WebSocket API",
            FunctionUrl => "function URL",
            Alb => "load balancer",
            Authorizer => "API authorizer",
            Cognito => "Cognito trigger",
            AppSync => "AppSync resolver",
            Alexa => "Alexa skill",
            Sqs => "SQS queue",
            Sns => "SNS topic",
            EventBridge => "EventBridge rule",
            Schedule => "schedule",
            S3 => "S3 notification",
            Kinesis => "Kinesis stream",
            DynamoDb => "DynamoDB stream",
            Msk => "MSK topic",
            SelfManagedKafka => "Kafka topic",
            Mq => "Amazon MQ broker",
            DocumentDb => "DocumentDB change stream",
            CloudWatchLogs => "CloudWatch Logs subscription",
            IoT => "IoT rule",
            Other => "event",
        }
    }
}

/// Where an event source is declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `Events/<name>` of a SAM function.
    SamEvent { name: String },
    /// `FunctionUrlConfig` of a SAM function.
    FunctionUrlConfig,
    /// An authorizer in a SAM API's `Auth.Authorizers`.
    SamAuthorizer { api: usize, name: String },
    /// A resource of its own (event source mapping, permission, method, subscription, rule...).
    Resource { resource: ResourceId },
    /// An operation or security scheme in an API's OpenAPI definition.
    OpenApi { api: usize },
}

/// An API route an event source serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Index into [`Template::apis`], when known.
    pub api: Option<usize>,
    /// Uppercase HTTP method (`ANY` for any).
    pub method: String,
    pub path: String,
}

/// Something that invokes a function.
#[derive(Clone, Debug)]
pub struct EventSource {
    pub kind: EventKind,
    pub trigger: Trigger,
    pub origin: Origin,
    /// Index into [`Template::functions`] of the invoked function, when resolved.
    pub function: Option<FunctionId>,
    /// Where findings about the event source point: the event's key or resource's logical id.
    pub key_span: Span,
    /// The event's or resource's mapping.
    pub node: NodeId,
    /// The event's `Properties` (SAM) or the resource's `Properties`.
    pub properties: Option<NodeId>,
    /// Logical id of the queue, stream, topic, bucket or API the events come from.
    pub source: Option<String>,
    pub route: Option<Route>,
    /// The `X-Amz-Invocation-Type: 'Event'` request parameter that makes an API route invoke
    /// the function asynchronously.
    pub async_marker: Option<NodeId>,
    /// The integration timeout in milliseconds (`TimeoutInMillis`), for API routes.
    pub integration_timeout_ms: Setting<i64>,
}

impl EventSource {
    /// A property of the event (`BatchSize`, `Queue`, ...).
    pub fn property<'t>(&self, template: &'t Template, key: &str) -> Option<NodeRef<'t>> {
        self.properties.map(|p| template.node(p)).and_then(|p| p.get(key))
    }

    /// A finding site at the event's key (SAM) or the declaring resource's logical id.
    pub fn site(&self, template: &Template) -> crate::diagnostic::Site {
        template.site_at(self.key_span, self.node)
    }

    /// Declared as a polling event source: a SAM event of a polled type or an
    /// `AWS::Lambda::EventSourceMapping`.
    pub fn is_mapping(&self, template: &Template) -> bool {
        self.kind.is_polled()
            && match self.origin {
                Origin::SamEvent { .. } => true,
                Origin::Resource { resource } => template.resources[resource].kind == ResourceKind::EventSourceMapping,
                _ => false,
            }
    }

    /// `the SQS queue event `Jobs``, `the event source mapping `JobsMapping``, `the API method
    /// `GetReport``, for messages (so a message can start with it and stay lowercase).
    pub fn describe(&self, template: &Template) -> String {
        let name = self.name(template);
        match &self.origin {
            Origin::Resource { resource } => {
                format!("the {} `{name}`", resource_noun(template.resources[*resource].kind, self.kind))
            }
            Origin::OpenApi { .. } => match &self.route {
                Some(route) => format!("the {} route `{} {}`", self.kind.label(), route.method, route.path),
                None => format!("the {} authorizer `{name}`", self.kind.label()),
            },
            Origin::FunctionUrlConfig => "its function URL".to_string(),
            Origin::SamAuthorizer { .. } => format!("the authorizer `{name}`"),
            Origin::SamEvent { .. } => format!("the {} event `{name}`", self.kind.label()),
        }
    }

    /// Whether the event source is switched off (`Enabled: false`).
    pub fn is_disabled(&self, template: &Template) -> bool {
        self.property(template, "Enabled").and_then(|e| e.as_bool()) == Some(false)
    }

    /// The display name: the SAM event name or the declaring resource's logical id.
    pub fn name<'t>(&'t self, template: &'t Template) -> &'t str {
        match &self.origin {
            Origin::SamEvent { name } | Origin::SamAuthorizer { name, .. } => name,
            Origin::FunctionUrlConfig => "FunctionUrlConfig",
            Origin::Resource { resource } => template.resources[*resource].id.as_str(),
            Origin::OpenApi { api } => template.apis[*api].id.as_str(),
        }
    }
}

/// What a resource that declares an event source is called in messages.
fn resource_noun(kind: ResourceKind, event: EventKind) -> &'static str {
    match kind {
        ResourceKind::EventSourceMapping => "event source mapping",
        ResourceKind::LambdaPermission => "permission",
        ResourceKind::LambdaUrl => "function URL",
        ResourceKind::SnsSubscription => "SNS subscription",
        ResourceKind::SnsTopic => "SNS topic",
        ResourceKind::EventsRule if event == EventKind::Schedule => "scheduled rule",
        ResourceKind::EventsRule => "EventBridge rule",
        ResourceKind::SchedulerSchedule => "schedule",
        ResourceKind::S3Bucket => "S3 bucket",
        ResourceKind::ApiGatewayMethod => "API method",
        ResourceKind::ApiGatewayV2Integration => "API integration",
        ResourceKind::ApiGatewayAuthorizer | ResourceKind::ApiGatewayV2Authorizer => "authorizer",
        ResourceKind::TargetGroup => "target group",
        ResourceKind::CognitoUserPool => "Cognito user pool",
        ResourceKind::AppSyncDataSource => "AppSync data source",
        _ => event.label(),
    }
}

/// The header that makes API Gateway invoke Lambda asynchronously.
const INVOCATION_TYPE_PARAMETER: &str = "integration.request.header.X-Amz-Invocation-Type";

/// The `'Event'` invocation-type parameter in an integration's request parameters.
pub fn async_invocation_marker(request_parameters: Option<NodeRef<'_>>) -> Option<NodeId> {
    let params = request_parameters?;
    let (_, _, value) = params.map_iter().find(|(k, _, _)| k.eq_ignore_ascii_case(INVOCATION_TYPE_PARAMETER))?;
    let text = value.as_str()?.trim();
    (text.trim_matches('\'') == "Event").then_some(value.id)
}

/// The AWS service behind an event kind, as a permission's principal names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    ApiGateway,
    EventBridge,
    /// Every other kind is its own service.
    Other(EventKind),
}

impl EventKind {
    /// The service that invokes the function for this kind of event.
    pub fn service(self) -> Service {
        use EventKind::*;
        match self {
            Api | HttpApi | WebSocket | Authorizer => Service::ApiGateway,
            EventBridge | Schedule => Service::EventBridge,
            other => Service::Other(other),
        }
    }
}

/// Fills [`crate::model::function::Function::events`].
pub fn link_to_functions(template: &mut Template) {
    for (ei, event) in template.events.iter().enumerate() {
        if let Some(fi) = event.function {
            template.functions[fi].events.push(ei);
        }
    }
}
