//! Event sources: everything that invokes a function, as first-class values with their
//! trigger class.
//!
//! They come from SAM `Events`, `FunctionUrlConfig`, SAM authorizers, and plain resources
//! (`AWS::Lambda::EventSourceMapping`, `AWS::Lambda::Permission`, SNS subscriptions,
//! EventBridge rules and schedules, S3 notifications, API Gateway integrations and
//! authorizers, ALB target groups, Cognito triggers, AppSync data sources, function URLs) and
//! OpenAPI `DefinitionBody` integrations.

use crate::model::api::ApiKind;
use crate::model::intrinsics::{direct_reference, references_within};
use crate::model::template::{ResourceKind, Setting, Template};
use crate::model::tree::{NodeId, NodeRef};
use crate::span::Span;

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
    Resource { resource: usize },
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
    pub function: Option<usize>,
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

struct Builder<'t> {
    template: &'t Template,
    events: Vec<EventSource>,
}

impl<'t> Builder<'t> {
    fn function_index(&self, node: Option<NodeRef<'t>>) -> Option<usize> {
        let node = node?;
        let mut refs = Vec::new();
        match direct_reference(node) {
            Some(id) => refs.push(id),
            None => references_within(node, &mut refs),
        }
        if refs.is_empty() {
            // A literal function name or ARN that matches a function's `FunctionName`.
            let text = node.as_str()?;
            return self.template.functions.iter().position(|f| {
                let name = self.template.property(f.resource(self.template), "FunctionName").and_then(|n| n.as_str());
                name.is_some_and(|n| text == n || text.ends_with(&format!(":function:{n}")))
            });
        }
        refs.iter().find_map(|id| self.function_of(id))
    }

    fn function_of(&self, logical_id: &str) -> Option<usize> {
        let index = self.template.resource_index(logical_id)?;
        let resource = &self.template.resources[index];
        if resource.kind.is_function() {
            return self.template.functions.iter().position(|f| f.resource == index);
        }
        // An alias or version points at its function.
        if matches!(resource.type_name.as_str(), "AWS::Lambda::Alias" | "AWS::Lambda::Version") {
            return self.function_index(self.template.property(resource, "FunctionName"));
        }
        None
    }

    fn reference(&self, node: Option<NodeRef<'t>>) -> Option<String> {
        let node = node?;
        let id = direct_reference(node)?;
        self.template.resource(id).map(|r| r.id.0.clone())
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: EventKind,
        origin: Origin,
        function: Option<usize>,
        key_span: Span,
        node: NodeId,
        properties: Option<NodeId>,
        source: Option<String>,
    ) -> &mut EventSource {
        self.events.push(EventSource {
            kind,
            trigger: kind.trigger(),
            origin,
            function,
            key_span,
            node,
            properties,
            source,
            route: None,
            async_marker: None,
            integration_timeout_ms: Setting::Unset,
        });
        self.events.last_mut().expect("just pushed")
    }
}

/// Collects every event source of the template.
pub fn collect(template: &Template) -> Vec<EventSource> {
    let mut b = Builder { template, events: Vec::new() };
    for (fi, function) in template.functions.iter().enumerate() {
        if function.sam {
            collect_sam_events(&mut b, fi);
        }
    }
    for (ri, resource) in template.resources.iter().enumerate() {
        collect_resource_events(&mut b, ri, resource.kind);
    }
    for (ai, api) in template.apis.iter().enumerate() {
        collect_sam_authorizers(&mut b, ai);
        if let Some(definition) = api.definition {
            collect_openapi_events(&mut b, ai, template.node(definition));
        }
    }
    drop_permissions_with_integrations(template, &mut b.events);
    b.events
}

/// An `AWS::Lambda::Permission` only allows a service to invoke; it neither invokes nor says
/// how. When the template also declares how that service invokes the function (an API
/// integration, a bucket notification, a rule target), that declaration decides the trigger
/// class, so the permission is dropped: an API route made asynchronous with
/// `X-Amz-Invocation-Type: 'Event'` stays asynchronous although its permission names
/// `apigateway.amazonaws.com`. A permission with no such declaration is kept: the service
/// invokes the function from somewhere slint cannot see (another stack, an OpenAPI file), the
/// way that service usually does.
fn drop_permissions_with_integrations(template: &Template, events: &mut Vec<EventSource>) {
    let is_permission = |e: &EventSource| match e.origin {
        Origin::Resource { resource } => template.resources[resource].kind == ResourceKind::LambdaPermission,
        _ => false,
    };
    let declared: Vec<(usize, Service)> =
        events.iter().filter(|e| !is_permission(e)).filter_map(|e| Some((e.function?, e.kind.service()))).collect();
    events.retain(|e| !is_permission(e) || e.function.is_none_or(|f| !declared.contains(&(f, e.kind.service()))));
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

fn collect_sam_events(b: &mut Builder<'_>, fi: usize) {
    let template = b.template;
    let function = &template.functions[fi];
    let Some(props) = template.properties(function.resource(template)) else { return };
    if let Some(url) = props.entry("FunctionUrlConfig") {
        b.push(
            EventKind::FunctionUrl,
            Origin::FunctionUrlConfig,
            Some(fi),
            url.key_span,
            url.value,
            Some(url.value),
            None,
        );
    }
    let Some(events) = props.get("Events") else { return };
    for (name, key_span, event) in events.map_iter() {
        let Some(type_name) = event.get("Type").and_then(|t| t.as_str()) else { continue };
        let kind = EventKind::from_sam_type(type_name);
        let properties = event.get("Properties");
        let get = |key: &str| properties.and_then(|p| p.get(key));
        let source_key = match kind {
            EventKind::Sqs => "Queue",
            EventKind::Sns => "Topic",
            EventKind::S3 => "Bucket",
            EventKind::Kinesis | EventKind::DynamoDb | EventKind::Msk | EventKind::DocumentDb => "Stream",
            EventKind::Mq => "Broker",
            EventKind::Api => "RestApiId",
            EventKind::HttpApi => "ApiId",
            _ => "",
        };
        let source = b.reference(get(source_key));
        let origin = Origin::SamEvent { name: name.to_string() };
        let route = matches!(kind, EventKind::Api | EventKind::HttpApi)
            .then(|| sam_route(template, kind, source.as_deref(), get("Method"), get("Path")));
        let timeout = template.int_setting(get("TimeoutInMillis"), None);
        let definition_marker = route.as_ref().and_then(|r| definition_async_marker(template, r));
        let ev = b.push(kind, origin, Some(fi), key_span, event.id, properties.map(|p| p.id), source);
        ev.integration_timeout_ms = timeout;
        if let Some(marker) = definition_marker {
            ev.async_marker = Some(marker);
            ev.trigger = Trigger::Async;
        }
        ev.route = route;
    }
}

/// The route of a SAM `Api`/`HttpApi` event, on its explicit or implicit API.
fn sam_route(
    template: &Template,
    kind: EventKind,
    api_id: Option<&str>,
    method: Option<NodeRef<'_>>,
    path: Option<NodeRef<'_>>,
) -> Route {
    let api = match api_id {
        Some(id) => template.apis.iter().position(|a| a.id.0 == id),
        None => {
            let implicit = if kind == EventKind::Api { ApiKind::Rest } else { ApiKind::Http };
            template.apis.iter().position(|a| a.implicit && a.kind == implicit)
        }
    };
    Route {
        api,
        method: method.and_then(|m| m.as_str()).map(normalise_method).unwrap_or_else(|| "ANY".to_string()),
        path: path.and_then(|p| p.as_str()).unwrap_or("/").to_string(),
    }
}

fn normalise_method(method: &str) -> String {
    let upper = method.trim().to_ascii_uppercase();
    if upper == "X-AMAZON-APIGATEWAY-ANY-METHOD" { "ANY".to_string() } else { upper }
}

/// The `X-Amz-Invocation-Type` marker of the same route in the API's OpenAPI definition.
fn definition_async_marker(template: &Template, route: &Route) -> Option<NodeId> {
    let api = &template.apis[route.api?];
    let definition = template.node(api.definition?);
    let operation = openapi_operation(definition, &route.path, &route.method)?;
    let integration = operation.get("x-amazon-apigateway-integration")?;
    async_invocation_marker(integration.get("requestParameters"))
}

fn openapi_operation<'t>(definition: NodeRef<'t>, path: &str, method: &str) -> Option<NodeRef<'t>> {
    let item = definition.get("paths")?.get(path)?;
    item.map_iter().find(|(m, _, _)| normalise_method(m) == method).map(|(_, _, op)| op)
}

fn collect_resource_events(b: &mut Builder<'_>, ri: usize, kind: ResourceKind) {
    let template = b.template;
    let resource = &template.resources[ri];
    let Some(props) = template.properties(resource) else { return };
    let origin = Origin::Resource { resource: ri };
    let (key_span, node, props_id) = (resource.id_span, resource.node, Some(props.id));
    match kind {
        ResourceKind::EventSourceMapping => {
            let function = b.function_index(props.get("FunctionName"));
            let (kind, source) = mapping_source(template, props);
            b.push(kind, origin, function, key_span, node, props_id, source);
        }
        ResourceKind::LambdaPermission => {
            let Some(principal) = props.get("Principal").and_then(|p| p.as_str()) else { return };
            let Some(kind) = principal_kind(principal) else { return };
            let function = b.function_index(props.get("FunctionName"));
            let source = b.reference(props.get("SourceArn"));
            b.push(kind, origin, function, key_span, node, props_id, source);
        }
        ResourceKind::LambdaUrl => {
            let function = b.function_index(props.get("TargetFunctionArn"));
            b.push(EventKind::FunctionUrl, origin, function, key_span, node, props_id, None);
        }
        ResourceKind::SnsSubscription => {
            let is_lambda =
                props.get("Protocol").and_then(|p| p.as_str()).is_some_and(|p| p.eq_ignore_ascii_case("lambda"));
            if is_lambda {
                let function = b.function_index(props.get("Endpoint"));
                let source = b.reference(props.get("TopicArn"));
                b.push(EventKind::Sns, origin, function, key_span, node, props_id, source);
            }
        }
        ResourceKind::SnsTopic => {
            for sub in props.get("Subscription").into_iter().flat_map(|s| s.items()) {
                let is_lambda =
                    sub.get("Protocol").and_then(|p| p.as_str()).is_some_and(|p| p.eq_ignore_ascii_case("lambda"));
                if is_lambda {
                    let function = b.function_index(sub.get("Endpoint"));
                    b.push(
                        EventKind::Sns,
                        origin.clone(),
                        function,
                        key_span,
                        node,
                        props_id,
                        Some(resource.id.0.clone()),
                    );
                }
            }
        }
        ResourceKind::EventsRule => {
            let kind =
                if props.get("ScheduleExpression").is_some() { EventKind::Schedule } else { EventKind::EventBridge };
            for target in props.get("Targets").into_iter().flat_map(|t| t.items()) {
                if let Some(function) = b.function_index(target.get("Arn")) {
                    b.push(kind, origin.clone(), Some(function), key_span, node, props_id, None);
                }
            }
        }
        ResourceKind::SchedulerSchedule => {
            if let Some(function) = b.function_index(props.get("Target").and_then(|t| t.get("Arn"))) {
                b.push(EventKind::Schedule, origin, Some(function), key_span, node, props_id, None);
            }
        }
        ResourceKind::S3Bucket => {
            let configs = props.at(&["NotificationConfiguration", "LambdaConfigurations"]);
            for config in configs.into_iter().flat_map(|c| c.items()) {
                if let Some(function) = b.function_index(config.get("Function")) {
                    b.push(
                        EventKind::S3,
                        origin.clone(),
                        Some(function),
                        key_span,
                        node,
                        props_id,
                        Some(resource.id.0.clone()),
                    );
                }
            }
        }
        ResourceKind::ApiGatewayMethod => collect_method_integration(b, ri, props),
        ResourceKind::ApiGatewayV2Integration => {
            let Some(function) = b.function_index(props.get("IntegrationUri")) else { return };
            let api_id = b.reference(props.get("ApiId"));
            let api = api_id.as_deref().and_then(|id| template.apis.iter().position(|a| a.id.0 == id));
            let kind = match api.map(|a| template.apis[a].kind) {
                Some(ApiKind::WebSocket) => EventKind::WebSocket,
                _ => EventKind::HttpApi,
            };
            let timeout = template.int_setting(props.get("TimeoutInMillis"), None);
            let ev = b.push(kind, origin, Some(function), key_span, node, props_id, api_id);
            ev.integration_timeout_ms = timeout;
            ev.route = Some(Route { api, method: "ANY".into(), path: "/".into() });
        }
        ResourceKind::ApiGatewayAuthorizer | ResourceKind::ApiGatewayV2Authorizer => {
            if let Some(function) = b.function_index(props.get("AuthorizerUri")) {
                let source = b.reference(props.get("RestApiId").or_else(|| props.get("ApiId")));
                b.push(EventKind::Authorizer, origin, Some(function), key_span, node, props_id, source);
            }
        }
        ResourceKind::TargetGroup => {
            let is_lambda =
                props.get("TargetType").and_then(|t| t.as_str()).is_some_and(|t| t.eq_ignore_ascii_case("lambda"));
            for target in props.get("Targets").into_iter().flat_map(|t| t.items()).filter(|_| is_lambda) {
                if let Some(function) = b.function_index(target.get("Id")) {
                    b.push(EventKind::Alb, origin.clone(), Some(function), key_span, node, props_id, None);
                }
            }
        }
        ResourceKind::CognitoUserPool => {
            for (_, _, trigger) in props.get("LambdaConfig").into_iter().flat_map(|c| c.map_iter()) {
                let target = if trigger.is_map() && trigger.intrinsic().is_none() {
                    trigger.get("LambdaArn")
                } else {
                    Some(trigger)
                };
                if let Some(function) = b.function_index(target) {
                    b.push(EventKind::Cognito, origin.clone(), Some(function), key_span, node, props_id, None);
                }
            }
        }
        ResourceKind::AppSyncDataSource => {
            if let Some(function) = b.function_index(props.at(&["LambdaConfig", "LambdaFunctionArn"])) {
                b.push(EventKind::AppSync, origin, Some(function), key_span, node, props_id, None);
            }
        }
        _ => {}
    }
}

/// Kind and source of an event source mapping, from the resource it reads or the ARN.
fn mapping_source(template: &Template, props: NodeRef<'_>) -> (EventKind, Option<String>) {
    if props.get("SelfManagedEventSource").is_some() {
        return (EventKind::SelfManagedKafka, None);
    }
    let Some(arn) = props.get("EventSourceArn") else {
        return (EventKind::Other, None);
    };
    if let Some(id) = direct_reference(arn) {
        if let Some(resource) = template.resource(id) {
            let kind = match resource.type_name.as_str() {
                "AWS::SQS::Queue" => EventKind::Sqs,
                "AWS::Kinesis::Stream" | "AWS::Kinesis::StreamConsumer" => EventKind::Kinesis,
                "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" | "AWS::Serverless::SimpleTable" => {
                    EventKind::DynamoDb
                }
                "AWS::MSK::Cluster" | "AWS::MSK::ServerlessCluster" => EventKind::Msk,
                "AWS::AmazonMQ::Broker" => EventKind::Mq,
                "AWS::DocDB::DBCluster" => EventKind::DocumentDb,
                _ => EventKind::Other,
            };
            return (kind, Some(resource.id.0.clone()));
        }
    }
    let mut text = String::new();
    if let Some(s) = arn.as_str() {
        text.push_str(s);
    } else if let Some((_, arg)) = arn.intrinsic() {
        // `!Sub arn:aws:sqs:...`, `!ImportValue OrdersQueueArn`: look at what is written.
        text.push_str(arg.as_str().or_else(|| arg.item(0).and_then(|i| i.as_str())).unwrap_or(""));
    }
    let kind = if text.contains(":sqs:") || text.to_ascii_lowercase().contains("queue") {
        EventKind::Sqs
    } else if text.contains(":kinesis:") {
        EventKind::Kinesis
    } else if text.contains(":dynamodb:") {
        EventKind::DynamoDb
    } else if text.contains(":kafka:") {
        EventKind::Msk
    } else if text.contains(":mq:") {
        EventKind::Mq
    } else {
        EventKind::Other
    };
    (kind, None)
}

/// The kind of invocation a `AWS::Lambda::Permission` principal allows.
fn principal_kind(principal: &str) -> Option<EventKind> {
    let service = principal.strip_suffix(".amazonaws.com").unwrap_or(principal);
    Some(match service {
        "apigateway" => EventKind::Api,
        "elasticloadbalancing" => EventKind::Alb,
        "cognito-idp" => EventKind::Cognito,
        "alexa-appkit" | "alexa-connectedhome" => EventKind::Alexa,
        "sns" => EventKind::Sns,
        "s3" => EventKind::S3,
        "events" => EventKind::EventBridge,
        "scheduler" => EventKind::Schedule,
        "logs" => EventKind::CloudWatchLogs,
        "iot" => EventKind::IoT,
        "sqs" => EventKind::Sqs,
        _ => return None,
    })
}

/// An `AWS::ApiGateway::Method` whose integration invokes a function.
fn collect_method_integration(b: &mut Builder<'_>, ri: usize, props: NodeRef<'_>) {
    let template = b.template;
    let resource = &template.resources[ri];
    let Some(integration) = props.get("Integration") else { return };
    let Some(function) = b.function_index(integration.get("Uri")) else { return };
    let api_id = b.reference(props.get("RestApiId"));
    let api = api_id.as_deref().and_then(|id| template.apis.iter().position(|a| a.id.0 == id));
    let method = props.get("HttpMethod").and_then(|m| m.as_str()).map(normalise_method).unwrap_or_else(|| "ANY".into());
    let path = crate::model::api::method_path(template, props);
    let marker = async_invocation_marker(integration.get("RequestParameters"));
    let timeout = template.int_setting(integration.get("TimeoutInMillis"), None);
    let ev = b.push(
        EventKind::Api,
        Origin::Resource { resource: ri },
        Some(function),
        resource.id_span,
        resource.node,
        Some(props.id),
        api_id,
    );
    ev.route = Some(Route { api, method, path });
    ev.integration_timeout_ms = timeout;
    if let Some(marker) = marker {
        ev.async_marker = Some(marker);
        ev.trigger = Trigger::Async;
    }
}

/// Lambda authorizers declared in a SAM API's `Auth.Authorizers`.
fn collect_sam_authorizers(b: &mut Builder<'_>, ai: usize) {
    let template = b.template;
    let api = &template.apis[ai];
    let Some(auth) = api.properties.map(|p| template.node(p)).and_then(|p| p.at(&["Auth", "Authorizers"])) else {
        return;
    };
    for (name, key_span, authorizer) in auth.map_iter() {
        if let Some(function) = b.function_index(authorizer.get("FunctionArn")) {
            b.push(
                EventKind::Authorizer,
                Origin::SamAuthorizer { api: ai, name: name.to_string() },
                Some(function),
                key_span,
                authorizer.id,
                Some(authorizer.id),
                Some(api.id.0.clone()),
            );
        }
    }
}

/// Integrations and authorizers of an OpenAPI definition that invoke functions of this
/// template, unless a SAM event of the same function already declares the route.
fn collect_openapi_events(b: &mut Builder<'_>, ai: usize, definition: NodeRef<'_>) {
    let template = b.template;
    let api = &template.apis[ai];
    let kind = match api.kind {
        ApiKind::Rest => EventKind::Api,
        ApiKind::Http => EventKind::HttpApi,
        ApiKind::WebSocket => EventKind::WebSocket,
    };
    for (path, _, item) in definition.get("paths").into_iter().flat_map(|p| p.map_iter()) {
        for (method, key_span, operation) in item.map_iter() {
            let Some(integration) = operation.get("x-amazon-apigateway-integration") else { continue };
            let Some(function) = b.function_index(integration.get("uri")) else { continue };
            let method = normalise_method(method);
            let covered = b.events.iter().any(|e| {
                e.function == Some(function)
                    && e.route.as_ref().is_some_and(|r| r.api == Some(ai) && r.path == path && r.method == method)
            });
            if covered {
                continue;
            }
            let marker = async_invocation_marker(integration.get("requestParameters"));
            let timeout = template.int_setting(integration.get("timeoutInMillis"), None);
            let ev = b.push(
                kind,
                Origin::OpenApi { api: ai },
                Some(function),
                key_span,
                operation.id,
                Some(integration.id),
                Some(api.id.0.clone()),
            );
            ev.route = Some(Route { api: Some(ai), method, path: path.to_string() });
            ev.integration_timeout_ms = timeout;
            if let Some(marker) = marker {
                ev.async_marker = Some(marker);
                ev.trigger = Trigger::Async;
            }
        }
    }
    let schemes = definition.at(&["components", "securitySchemes"]).or_else(|| definition.get("securityDefinitions"));
    for (_, key_span, scheme) in schemes.into_iter().flat_map(|s| s.map_iter()) {
        let Some(authorizer) = scheme.get("x-amazon-apigateway-authorizer") else { continue };
        if let Some(function) = b.function_index(authorizer.get("authorizerUri")) {
            b.push(
                EventKind::Authorizer,
                Origin::OpenApi { api: ai },
                Some(function),
                key_span,
                scheme.id,
                Some(authorizer.id),
                Some(api.id.0.clone()),
            );
        }
    }
}
