//! API Gateway APIs (REST, HTTP, WebSocket; SAM, plain and implicit) and their REST methods.

use crate::model::events::{EventKind, Origin};
use crate::model::intrinsics::{direct_reference, getatt_parts};
use crate::model::template::{LogicalId, ResourceKind, Template};
use crate::model::tree::{NodeId, NodeRef};
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiKind {
    Rest,
    Http,
    WebSocket,
}

/// An API Gateway API.
#[derive(Clone, Debug)]
pub struct Api {
    pub id: LogicalId,
    pub kind: ApiKind,
    /// Index into [`Template::resources`]; `None` for SAM's implicit `ServerlessRestApi` /
    /// `ServerlessHttpApi`.
    pub resource: Option<usize>,
    /// Created by SAM from events that name no API.
    pub implicit: bool,
    /// Effective properties: the resource's (Globals merged) or, for an implicit API, the
    /// `Globals` section that applies to it.
    pub properties: Option<NodeId>,
    /// The OpenAPI document: SAM `DefinitionBody`, or `Body` of a plain REST/HTTP API.
    pub definition: Option<NodeId>,
}

/// How a REST method is declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MethodOrigin {
    /// A SAM `Api` event (index into [`Template::events`]).
    SamEvent { event: usize },
    /// An `AWS::ApiGateway::Method` resource.
    Resource { resource: usize },
    /// An operation in the API's OpenAPI definition.
    OpenApi { operation: NodeId },
}

/// One method of a REST API.
#[derive(Clone, Debug)]
pub struct ApiMethod {
    /// Index into [`Template::apis`], when known.
    pub api: Option<usize>,
    /// Uppercase HTTP method, `ANY` for any.
    pub method: String,
    pub path: String,
    pub origin: MethodOrigin,
    /// Where findings point: the event key, the method resource's id, or the operation key.
    pub key_span: Span,
    pub node: NodeId,
}

pub fn collect_apis(template: &Template) -> Vec<Api> {
    let mut apis = Vec::new();
    for (index, resource) in template.resources.iter().enumerate() {
        let kind = match resource.kind {
            ResourceKind::ServerlessApi | ResourceKind::RestApi => ApiKind::Rest,
            ResourceKind::ServerlessHttpApi => ApiKind::Http,
            ResourceKind::ApiGatewayV2Api => {
                let websocket = template
                    .property(resource, "ProtocolType")
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"));
                if websocket { ApiKind::WebSocket } else { ApiKind::Http }
            }
            _ => continue,
        };
        let props = template.properties(resource);
        let definition = props.and_then(|p| p.get("DefinitionBody").or_else(|| p.get("Body"))).filter(|d| d.is_map());
        apis.push(Api {
            id: resource.id.clone(),
            kind,
            resource: Some(index),
            implicit: false,
            properties: props.map(|p| p.id),
            definition: definition.map(|d| d.id),
        });
    }
    add_implicit_apis(template, &mut apis);
    apis
}

/// SAM creates `ServerlessRestApi`/`ServerlessHttpApi` for events that name no API.
fn add_implicit_apis(template: &Template, apis: &mut Vec<Api>) {
    let mut needs = (false, false);
    for function in template.functions.iter().filter(|f| f.sam) {
        let events = template.property(function.resource(template), "Events");
        for (_, _, event) in events.into_iter().flat_map(|e| e.map_iter()) {
            let type_name = event.get("Type").and_then(|t| t.as_str()).unwrap_or("");
            let props = event.get("Properties");
            match EventKind::from_sam_type(type_name) {
                EventKind::Api if props.and_then(|p| p.get("RestApiId")).is_none() => needs.0 = true,
                EventKind::HttpApi if props.and_then(|p| p.get("ApiId")).is_none() => needs.1 = true,
                _ => {}
            }
        }
    }
    for (needed, id, kind, section) in
        [(needs.0, "ServerlessRestApi", ApiKind::Rest, "Api"), (needs.1, "ServerlessHttpApi", ApiKind::Http, "HttpApi")]
    {
        if needed && template.resource(id).is_none() {
            apis.push(Api {
                id: LogicalId(id.to_string()),
                kind,
                resource: None,
                implicit: true,
                properties: template.globals(section).map(|g| g.id),
                definition: None,
            });
        }
    }
}

/// Every REST method: SAM `Api` events, `AWS::ApiGateway::Method` resources, and operations
/// of REST API OpenAPI definitions (unless a SAM event declares the same route).
pub fn collect_methods(template: &Template) -> Vec<ApiMethod> {
    let mut methods = Vec::new();
    for (index, event) in template.events.iter().enumerate() {
        if event.kind != EventKind::Api || !matches!(event.origin, Origin::SamEvent { .. }) {
            continue;
        }
        let Some(route) = &event.route else { continue };
        methods.push(ApiMethod {
            api: route.api,
            method: route.method.clone(),
            path: route.path.clone(),
            origin: MethodOrigin::SamEvent { event: index },
            key_span: event.key_span,
            node: event.node,
        });
    }
    for (index, resource) in template.resources.iter().enumerate() {
        if resource.kind != ResourceKind::ApiGatewayMethod {
            continue;
        }
        let Some(props) = template.properties(resource) else { continue };
        let api_id = props.get("RestApiId").and_then(direct_reference);
        methods.push(ApiMethod {
            api: api_id.and_then(|id| template.apis.iter().position(|a| a.id.0 == id)),
            method: props
                .get("HttpMethod")
                .and_then(|m| m.as_str())
                .map(|m| m.to_ascii_uppercase())
                .unwrap_or_else(|| "ANY".into()),
            path: method_path(template, props),
            origin: MethodOrigin::Resource { resource: index },
            key_span: resource.id_span,
            node: resource.node,
        });
    }
    for (api_index, api) in template.apis.iter().enumerate() {
        if api.kind != ApiKind::Rest {
            continue;
        }
        let Some(definition) = api.definition.map(|d| template.node(d)) else { continue };
        for (path, _, item) in definition.get("paths").into_iter().flat_map(|p| p.map_iter()) {
            for (method, key_span, operation) in item.map_iter() {
                let method = method.to_ascii_uppercase();
                let method = if method == "X-AMAZON-APIGATEWAY-ANY-METHOD" { "ANY".to_string() } else { method };
                if !is_http_method(&method) {
                    continue;
                }
                let declared = methods
                    .iter()
                    .any(|m: &ApiMethod| m.api == Some(api_index) && m.path == path && m.method == method);
                if declared {
                    continue;
                }
                methods.push(ApiMethod {
                    api: Some(api_index),
                    method,
                    path: path.to_string(),
                    origin: MethodOrigin::OpenApi { operation: operation.id },
                    key_span,
                    node: operation.id,
                });
            }
        }
    }
    methods
}

fn is_http_method(method: &str) -> bool {
    matches!(method, "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "ANY")
}

/// The path of an `AWS::ApiGateway::Method`, rebuilt from its resource's `PathPart` chain.
pub fn method_path(template: &Template, method_props: NodeRef<'_>) -> String {
    let mut parts = Vec::new();
    let mut current = method_props.get("ResourceId");
    // Paths are short; the bound stops a cyclic `ParentId` chain.
    for _ in 0..64 {
        let Some(node) = current else { break };
        let Some(id) = resource_id_target(node) else { break };
        let Some(resource) = template.resource(id) else { break };
        if resource.type_name != "AWS::ApiGateway::Resource" {
            break;
        }
        let props = template.properties(resource);
        parts.push(props.and_then(|p| p.get("PathPart")).and_then(|p| p.as_str()).unwrap_or("?").to_string());
        current = props.and_then(|p| p.get("ParentId"));
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

/// `!Ref Resource` → `Resource`; `!GetAtt Api.RootResourceId` → the root (no id).
fn resource_id_target(node: NodeRef<'_>) -> Option<&str> {
    if let Some(("Fn::GetAtt", arg)) = node.intrinsic() {
        return match getatt_parts(arg) {
            Some((_, Some("RootResourceId"))) => None,
            Some((id, _)) => Some(id),
            None => None,
        };
    }
    direct_reference(node)
}

/// Where an API's stage settings (throttling, caching) are written, and whether the template
/// deploys a stage at all.
pub struct StageSettings<'t> {
    /// Mappings that may hold `MethodSettings`, `DefaultRouteSettings`, `CacheClusterEnabled`,
    /// `ThrottlingRateLimit`...: the SAM API's properties, `AWS::ApiGateway::Stage` /
    /// `AWS::ApiGatewayV2::Stage` properties, a deployment's `StageDescription`.
    pub configs: Vec<NodeRef<'t>>,
    /// The template creates a stage (SAM always does; plain APIs need a stage or deployment).
    pub deployed: bool,
}

impl Api {
    /// The stage settings that apply to this API.
    pub fn stage_settings<'t>(&self, template: &'t Template) -> StageSettings<'t> {
        if self.implicit
            || self.resource.is_some_and(|r| template.resources[r].type_name.starts_with("AWS::Serverless::"))
        {
            let configs = self.properties.map(|p| template.node(p)).into_iter().collect();
            return StageSettings { configs, deployed: true };
        }
        let mut configs = Vec::new();
        let mut deployed = false;
        for resource in &template.resources {
            let Some(props) = template.properties(resource) else { continue };
            let api_ref = props.get("RestApiId").or_else(|| props.get("ApiId")).and_then(direct_reference);
            if api_ref != Some(self.id.as_str()) {
                continue;
            }
            match resource.type_name.as_str() {
                "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
                    deployed = true;
                    configs.push(props);
                }
                "AWS::ApiGateway::Deployment" => {
                    if let Some(description) = props.get("StageDescription") {
                        deployed = true;
                        configs.push(description);
                    } else if props.get("StageName").is_some() {
                        deployed = true;
                    }
                }
                _ => {}
            }
        }
        // An HTTP API with `Target` is quick-created with a `$default` stage.
        let quick_created = self.resource.and_then(|r| template.property(&template.resources[r], "Target")).is_some();
        StageSettings { configs, deployed: deployed || quick_created }
    }

    /// Where findings about the API point: its logical id, or for an implicit API the first
    /// event that creates it.
    pub fn site(&self, template: &Template) -> crate::diagnostic::Site {
        if let Some(resource) = self.resource {
            return template.resource_site(&template.resources[resource]);
        }
        let creator = template.events.iter().find(|e| {
            matches!(e.origin, Origin::SamEvent { .. })
                && e.route.as_ref().is_some_and(|r| r.api.is_some_and(|a| template.apis[a].id == self.id))
        });
        match creator {
            Some(event) => event.site(template),
            None => crate::diagnostic::Site::new(template.file, Span::at(0)),
        }
    }

    pub fn describe(&self) -> String {
        let kind = match self.kind {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
            ApiKind::WebSocket => "WebSocket API",
        };
        if self.implicit { format!("the implicit {kind} `{}`", self.id) } else { format!("{kind} `{}`", self.id) }
    }
}
