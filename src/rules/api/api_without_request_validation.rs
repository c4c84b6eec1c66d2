use crate::model::Template;
use crate::model::api::{ApiMethod, MethodOrigin};
use crate::model::intrinsics::direct_reference;
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a REST API method that accepts a request body (`POST`, `PUT`, `PATCH`, `ANY`)
    /// without validating it, or declares required request parameters without validating
    /// them. Validation can come from a SAM event's `RequestModel` (`ValidateBody`,
    /// `ValidateParameters`), an `AWS::ApiGateway::Method`'s `RequestValidatorId`, or an
    /// OpenAPI `x-amazon-apigateway-request-validator` (on the operation or the definition).
    ///
    /// ## Why is this bad?
    /// Without a validator, every malformed request invokes the function: it costs an
    /// invocation and a concurrency slot just to return `400`, and a flood of bad requests
    /// (a buggy client, a scanner) scales the function as if it were real traffic. API
    /// Gateway rejects invalid requests for free, before Lambda is involved.
    ///
    /// ## Example
    /// ```yaml
    /// Events:
    ///   Create:
    ///     Type: Api
    ///     Properties: { RestApiId: !Ref Api, Path: /orders, Method: post }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Events:
    ///   Create:
    ///     Type: Api
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       Path: /orders
    ///       Method: post
    ///       RequestModel: { Model: Order, Required: true, ValidateBody: true }
    /// ```
    ///
    /// ## Known limitations
    /// HTTP APIs have no request validation and are not checked. SAM only adds a validator
    /// when `ValidateBody`/`ValidateParameters` is `true`, which is what slint checks.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html>
    pub struct ApiWithoutRequestValidation {
        code: "SL201",
        name: "api-without-request-validation",
        category: Api,
        severity: Warning,
    }
}

/// What a method takes and what API Gateway validates.
#[derive(Default)]
struct Validation {
    takes_body: bool,
    requires_parameters: bool,
    validates_body: bool,
    validates_parameters: bool,
}

impl Rule for ApiWithoutRequestValidation {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for method in &template.methods {
            if matches!(method.method.as_str(), "OPTIONS" | "HEAD") {
                continue;
            }
            let v = validation(template, method);
            let problem = if v.takes_body && !v.validates_body {
                "accepts a request body without validating it"
            } else if v.requires_parameters && !v.validates_parameters {
                "declares required request parameters without validating them"
            } else {
                continue;
            };
            let api = match method.api {
                Some(i) => format!("REST API `{}`", template.apis[i].id),
                None => "its REST API".to_string(),
            };
            cx.report(
                template.site_at(method.key_span, method.node),
                format!("`{} {}` of {api} {problem}", method.method, method.path),
            )
            .help(help(&method.origin));
        }
    }
}

fn help(origin: &MethodOrigin) -> &'static str {
    match origin {
        MethodOrigin::SamEvent { .. } => {
            "add `RequestModel: { Model: <model>, ValidateBody: true }` (and `ValidateParameters: true` for \
             required parameters) to the event, with the model in the API's `Models`"
        }
        MethodOrigin::Resource { .. } => {
            "set `RequestValidatorId` to an `AWS::ApiGateway::RequestValidator` with `ValidateRequestBody: true` \
             (and `ValidateRequestParameters: true`), and give the method `RequestModels`"
        }
        MethodOrigin::OpenApi { .. } => {
            "set `x-amazon-apigateway-request-validator` on the operation (or the definition) to a validator \
             in `x-amazon-apigateway-request-validators` with `validateRequestBody: true`"
        }
    }
}

fn takes_body(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "ANY")
}

fn validation(template: &Template, method: &ApiMethod) -> Validation {
    let mut v = Validation { takes_body: takes_body(&method.method), ..Validation::default() };
    match &method.origin {
        MethodOrigin::SamEvent { event } => {
            let event = &template.events[*event];
            let model = event.property(template, "RequestModel");
            let flag = |key: &str| model.and_then(|m| m.get(key)).and_then(|f| f.as_bool()).unwrap_or(false);
            v.validates_body = flag("ValidateBody");
            v.validates_parameters = flag("ValidateParameters");
            v.requires_parameters = event
                .property(template, "RequestParameters")
                .is_some_and(|params| params.items().any(sam_parameter_required));
            // SAM merges events into a `DefinitionBody`, whose validators apply too.
            if let Some(definition) = method.api.and_then(|i| template.apis[i].definition) {
                let definition = template.node(definition);
                let operation = definition
                    .get("paths")
                    .and_then(|p| p.get(&method.path))
                    .and_then(|item| item.map_iter().find(|(m, _, _)| m.eq_ignore_ascii_case(&method.method)))
                    .map(|(_, _, op)| op);
                let (body, params) = openapi_validator(definition, operation);
                v.validates_body |= body;
                v.validates_parameters |= params;
            }
        }
        MethodOrigin::Resource { resource } => {
            let props = template.properties(&template.resources[*resource]);
            let get = |key: &str| props.and_then(|p| p.get(key));
            v.requires_parameters = get("RequestParameters")
                .is_some_and(|params| params.map_iter().any(|(_, _, required)| required.as_bool() == Some(true)));
            if let Some(validator) = get("RequestValidatorId") {
                let (body, params) = cfn_validator(template, validator);
                v.validates_body = body;
                v.validates_parameters = params;
            }
        }
        MethodOrigin::OpenApi { operation } => {
            let operation = template.node(*operation);
            let definition = method.api.and_then(|i| template.apis[i].definition).map(|d| template.node(d));
            v.takes_body |=
                operation.get("requestBody").is_some() || parameters(operation).any(|p| location(p) == "body");
            v.requires_parameters = parameters(operation).any(|p| {
                !matches!(location(p), "path" | "body") && p.get("required").and_then(|r| r.as_bool()) == Some(true)
            });
            if let Some(definition) = definition {
                let (body, params) = openapi_validator(definition, Some(operation));
                v.validates_body = body;
                v.validates_parameters = params;
            }
        }
    }
    v
}

/// A SAM `RequestParameters` item: `method.request.header.X` (not required) or
/// `{ method.request.header.X: { Required: true } }`.
fn sam_parameter_required(item: NodeRef<'_>) -> bool {
    item.map_iter().any(|(_, _, settings)| settings.get("Required").and_then(|r| r.as_bool()) == Some(true))
}

fn parameters<'t>(operation: NodeRef<'t>) -> impl Iterator<Item = NodeRef<'t>> + 't {
    operation.get("parameters").into_iter().flat_map(|p| p.items())
}

fn location(parameter: NodeRef<'_>) -> &str {
    parameter.get("in").and_then(|i| i.as_str()).unwrap_or("")
}

/// `(validates body, validates parameters)` of the validator an `AWS::ApiGateway::Method`
/// names. A validator slint cannot see (imported, from another stack) counts as validating.
fn cfn_validator(template: &Template, validator: NodeRef<'_>) -> (bool, bool) {
    let Some(resource) = direct_reference(validator).and_then(|id| template.resource(id)) else {
        return (true, true);
    };
    let props = template.properties(resource);
    let flag = |key: &str| props.and_then(|p| p.get(key)).and_then(|f| f.as_bool()).unwrap_or(false);
    (flag("ValidateRequestBody"), flag("ValidateRequestParameters"))
}

/// `(validates body, validates parameters)` of the OpenAPI validator that applies to an
/// operation: its own `x-amazon-apigateway-request-validator`, else the definition's.
fn openapi_validator(definition: NodeRef<'_>, operation: Option<NodeRef<'_>>) -> (bool, bool) {
    const KEY: &str = "x-amazon-apigateway-request-validator";
    let name = operation.and_then(|op| op.get(KEY)).or_else(|| definition.get(KEY)).and_then(|n| n.as_str());
    let Some(name) = name else { return (false, false) };
    let Some(validator) = definition.get("x-amazon-apigateway-request-validators").and_then(|v| v.get(name)) else {
        // A name without a definition in this document: API Gateway would reject it, so
        // the author validates somewhere slint cannot see.
        return (true, true);
    };
    let flag = |key: &str| validator.get(key).and_then(|f| f.as_bool()).unwrap_or(false);
    (flag("validateRequestBody"), flag("validateRequestParameters"))
}
