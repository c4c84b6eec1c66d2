//! Building the event sources of a template: SAM events and authorizers, then the plain
//! resources and OpenAPI definitions that invoke its functions.

use super::*;

struct Builder<'t> {
    template: &'t Template,
    events: Vec<EventSource>,
}

impl<'t> Builder<'t> {
    fn function_index(&self, node: Option<NodeRef<'t>>) -> Option<FunctionId> {
        let node = node?;
        let mut refs = Vec::new();
        match direct_reference(node) {
            Some(id) => refs.push(id),
            None => references_within(node, &mut refs),
        }
        if refs.is_empty() {
            // A literal function name or ARN that matches a function's `FunctionName`.
            let text = node.as_str()?;
            return self
                .template
                .functions
                .iter()
                .position(|f| {
                    let name =
                        self.template.property(f.resource(self.template), "FunctionName").and_then(|n| n.as_str());
                    name.is_some_and(|n| text == n || text.ends_with(&format!(":function:{n}")))
                })
                .map(FunctionId::new);
        }
        refs.iter().find_map(|id| self.function_of(id))
    }

    fn function_of(&self, logical_id: &str) -> Option<FunctionId> {
        let index = ResourceId::new(self.template.resource_index(logical_id)?);
        let resource = &self.template.resources[index];
        if resource.kind.is_function() {
            return self.template.functions.iter().position(|f| f.resource == index).map(FunctionId::new);
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

    fn push(
        &mut self,
        kind: EventKind,
        at: At,
        function: Option<FunctionId>,
        source: Option<String>,
    ) -> &mut EventSource {
        let At { origin, key_span, node, properties } = at;
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
    for (fi, function) in FunctionId::enumerate(&template.functions) {
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
    let declared: Vec<(FunctionId, Service)> =
        events.iter().filter(|e| !is_permission(e)).filter_map(|e| Some((e.function?, e.kind.service()))).collect();
    events.retain(|e| !is_permission(e) || e.function.is_none_or(|f| !declared.contains(&(f, e.kind.service()))));
}

/// Where an event is declared: what declares it, the key that names it, its node and its
/// properties.
#[derive(Clone)]
struct At {
    origin: Origin,
    key_span: Span,
    node: NodeId,
    properties: Option<NodeId>,
}

fn collect_sam_events(b: &mut Builder<'_>, fi: FunctionId) {
    let template = b.template;
    let function = &template.functions[fi];
    let Some(props) = template.properties(function.resource(template)) else { return };
    if let Some(url) = props.entry("FunctionUrlConfig") {
        b.push(
            EventKind::FunctionUrl,
            At {
                origin: Origin::FunctionUrlConfig,
                key_span: url.key_span,
                node: url.value,
                properties: Some(url.value),
            },
            Some(fi),
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
        let ev = b.push(
            kind,
            At { origin, key_span, node: event.id, properties: properties.map(|p| p.id) },
            Some(fi),
            source,
        );
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
    // Every event of a resource is declared by the resource itself.
    let at = At {
        origin: Origin::Resource { resource: ResourceId::new(ri) },
        key_span: resource.id_span,
        node: resource.node,
        properties: Some(props.id),
    };
    match kind {
        ResourceKind::EventSourceMapping => {
            let function = b.function_index(props.get("FunctionName"));
            let (kind, source) = mapping_source(template, props);
            b.push(kind, at, function, source);
        }
        ResourceKind::LambdaPermission => {
            let Some(principal) = props.get("Principal").and_then(|p| p.as_str()) else { return };
            let Some(kind) = principal_kind(principal) else { return };
            let function = b.function_index(props.get("FunctionName"));
            let source = b.reference(props.get("SourceArn"));
            b.push(kind, at, function, source);
        }
        ResourceKind::LambdaUrl => {
            let function = b.function_index(props.get("TargetFunctionArn"));
            b.push(EventKind::FunctionUrl, at, function, None);
        }
        ResourceKind::SnsSubscription => {
            let is_lambda =
                props.get("Protocol").and_then(|p| p.as_str()).is_some_and(|p| p.eq_ignore_ascii_case("lambda"));
            if is_lambda {
                let function = b.function_index(props.get("Endpoint"));
                let source = b.reference(props.get("TopicArn"));
                b.push(EventKind::Sns, at, function, source);
            }
        }
        ResourceKind::SnsTopic => {
            for sub in props.get("Subscription").into_iter().flat_map(|s| s.items()) {
                let is_lambda =
                    sub.get("Protocol").and_then(|p| p.as_str()).is_some_and(|p| p.eq_ignore_ascii_case("lambda"));
                if is_lambda {
                    let function = b.function_index(sub.get("Endpoint"));
                    b.push(EventKind::Sns, at.clone(), function, Some(resource.id.0.clone()));
                }
            }
        }
        ResourceKind::EventsRule => {
            let kind =
                if props.get("ScheduleExpression").is_some() { EventKind::Schedule } else { EventKind::EventBridge };
            for target in props.get("Targets").into_iter().flat_map(|t| t.items()) {
                if let Some(function) = b.function_index(target.get("Arn")) {
                    b.push(kind, at.clone(), Some(function), None);
                }
            }
        }
        ResourceKind::SchedulerSchedule => {
            if let Some(function) = b.function_index(props.get("Target").and_then(|t| t.get("Arn"))) {
                b.push(EventKind::Schedule, at, Some(function), None);
            }
        }
        ResourceKind::S3Bucket => {
            let configs = props.at(&["NotificationConfiguration", "LambdaConfigurations"]);
            for config in configs.into_iter().flat_map(|c| c.items()) {
                if let Some(function) = b.function_index(config.get("Function")) {
                    b.push(EventKind::S3, at.clone(), Some(function), Some(resource.id.0.clone()));
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
            let ev = b.push(kind, at, Some(function), api_id);
            ev.integration_timeout_ms = timeout;
            ev.route = Some(Route { api, method: "ANY".into(), path: "/".into() });
        }
        ResourceKind::ApiGatewayAuthorizer | ResourceKind::ApiGatewayV2Authorizer => {
            if let Some(function) = b.function_index(props.get("AuthorizerUri")) {
                let source = b.reference(props.get("RestApiId").or_else(|| props.get("ApiId")));
                b.push(EventKind::Authorizer, at, Some(function), source);
            }
        }
        ResourceKind::TargetGroup => {
            let is_lambda =
                props.get("TargetType").and_then(|t| t.as_str()).is_some_and(|t| t.eq_ignore_ascii_case("lambda"));
            for target in props.get("Targets").into_iter().flat_map(|t| t.items()).filter(|_| is_lambda) {
                if let Some(function) = b.function_index(target.get("Id")) {
                    b.push(EventKind::Alb, at.clone(), Some(function), None);
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
                    b.push(EventKind::Cognito, at.clone(), Some(function), None);
                }
            }
        }
        ResourceKind::AppSyncDataSource => {
            if let Some(function) = b.function_index(props.at(&["LambdaConfig", "LambdaFunctionArn"])) {
                b.push(EventKind::AppSync, at, Some(function), None);
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
        At {
            origin: Origin::Resource { resource: ResourceId::new(ri) },
            key_span: resource.id_span,
            node: resource.node,
            properties: Some(props.id),
        },
        Some(function),
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
                At {
                    origin: Origin::SamAuthorizer { api: ai, name: name.to_string() },
                    key_span,
                    node: authorizer.id,
                    properties: Some(authorizer.id),
                },
                Some(function),
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
                At {
                    origin: Origin::OpenApi { api: ai },
                    key_span,
                    node: operation.id,
                    properties: Some(integration.id),
                },
                Some(function),
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
                At { origin: Origin::OpenApi { api: ai }, key_span, node: scheme.id, properties: Some(authorizer.id) },
                Some(function),
                Some(api.id.0.clone()),
            );
        }
    }
}
