//! The typed CloudFormation/SAM model built once per template on top of the [`Tree`].
//!
//! Everything rules would otherwise each re-derive is decided here: SAM `Globals` merged into
//! every resource, event sources with their trigger class, implicit SAM APIs, references
//! resolved to logical ids, and AWS defaults.

use std::collections::HashMap;
use std::fmt;

use crate::diagnostic::Site;
use crate::files::FileId;
use crate::model::api::{self, Api, ApiMethod};
use crate::model::events::{self, EventSource};
use crate::model::foreach;
use crate::model::function::{self, Function};
use crate::model::queue::{self, Queue};
use crate::model::sam;
use crate::model::tree::{NodeId, NodeRef, Tree};
use crate::span::Span;

/// A resource's key under `Resources`, e.g. `OrdersFunction`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogicalId(pub String);

impl LogicalId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The resource types slint reasons about; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    ServerlessFunction,
    LambdaFunction,
    ServerlessApi,
    ServerlessHttpApi,
    RestApi,
    ApiGatewayMethod,
    ApiGatewayStage,
    ApiGatewayAuthorizer,
    ApiGatewayV2Api,
    ApiGatewayV2Integration,
    ApiGatewayV2Route,
    ApiGatewayV2Stage,
    ApiGatewayV2Authorizer,
    EventSourceMapping,
    LambdaPermission,
    LambdaUrl,
    SqsQueue,
    SnsTopic,
    SnsSubscription,
    EventsRule,
    SchedulerSchedule,
    S3Bucket,
    CloudFrontDistribution,
    DbProxy,
    DbInstance,
    DbCluster,
    TargetGroup,
    CognitoUserPool,
    AppSyncDataSource,
    /// `AWS::Pipes::Pipe`: EventBridge Pipes, which poll a source (SQS, streams) themselves.
    Pipe,
    Other,
}

impl ResourceKind {
    pub fn from_type(type_name: &str) -> ResourceKind {
        use ResourceKind::*;
        match type_name {
            "AWS::Serverless::Function" => ServerlessFunction,
            "AWS::Lambda::Function" => LambdaFunction,
            "AWS::Serverless::Api" => ServerlessApi,
            "AWS::Serverless::HttpApi" => ServerlessHttpApi,
            "AWS::ApiGateway::RestApi" => RestApi,
            "AWS::ApiGateway::Method" => ApiGatewayMethod,
            "AWS::ApiGateway::Stage" => ApiGatewayStage,
            "AWS::ApiGateway::Authorizer" => ApiGatewayAuthorizer,
            "AWS::ApiGatewayV2::Api" => ApiGatewayV2Api,
            "AWS::ApiGatewayV2::Integration" => ApiGatewayV2Integration,
            "AWS::ApiGatewayV2::Route" => ApiGatewayV2Route,
            "AWS::ApiGatewayV2::Stage" => ApiGatewayV2Stage,
            "AWS::ApiGatewayV2::Authorizer" => ApiGatewayV2Authorizer,
            "AWS::Lambda::EventSourceMapping" => EventSourceMapping,
            "AWS::Lambda::Permission" => LambdaPermission,
            "AWS::Lambda::Url" => LambdaUrl,
            "AWS::SQS::Queue" => SqsQueue,
            "AWS::SNS::Topic" => SnsTopic,
            "AWS::SNS::Subscription" => SnsSubscription,
            "AWS::Events::Rule" => EventsRule,
            "AWS::Scheduler::Schedule" => SchedulerSchedule,
            "AWS::S3::Bucket" => S3Bucket,
            "AWS::CloudFront::Distribution" => CloudFrontDistribution,
            "AWS::RDS::DBProxy" | "AWS::RDS::DBProxyEndpoint" => DbProxy,
            "AWS::RDS::DBInstance" => DbInstance,
            "AWS::RDS::DBCluster" => DbCluster,
            "AWS::ElasticLoadBalancingV2::TargetGroup" => TargetGroup,
            "AWS::Cognito::UserPool" => CognitoUserPool,
            "AWS::AppSync::DataSource" => AppSyncDataSource,
            "AWS::Pipes::Pipe" => Pipe,
            _ => Other,
        }
    }

    pub fn is_function(self) -> bool {
        matches!(self, ResourceKind::ServerlessFunction | ResourceKind::LambdaFunction)
    }
}

crate::index::index_type! {
    /// A resource of a template: an index into [`Template::resources`].
    pub struct ResourceId for Resource;
}

/// One entry of `Resources`.
#[derive(Clone, Debug)]
pub struct Resource {
    pub id: LogicalId,
    /// The logical id key, where findings about a missing property point.
    pub id_span: Span,
    /// The resource's mapping.
    pub node: NodeId,
    pub type_name: String,
    pub kind: ResourceKind,
    /// `Properties`, with SAM `Globals` merged in (a synthetic node when both exist).
    pub properties: Option<NodeId>,
    pub metadata: Option<NodeId>,
}

/// An entry of `Parameters`.
#[derive(Clone, Debug)]
pub struct Parameter {
    pub id: LogicalId,
    pub node: NodeId,
    pub default: Option<NodeId>,
}

/// A property's effective value: explicit, inherited, defaulted by AWS, or not knowable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting<T> {
    /// Not set, and AWS has no default for it.
    Unset,
    /// Not set; AWS applies this default.
    Default(T),
    /// Set to a known value; the node is where it is written (the resource, `Globals`, or the
    /// default of a parameter it references).
    Set(T, NodeId),
    /// Set to something slint cannot evaluate (a condition, an import, a parameter without
    /// default).
    Unknown(NodeId),
}

impl<T: Copy> Setting<T> {
    /// The value in effect, when known (explicit or default).
    pub fn value(self) -> Option<T> {
        match self {
            Setting::Default(v) | Setting::Set(v, _) => Some(v),
            Setting::Unset | Setting::Unknown(_) => None,
        }
    }

    /// The node that sets it, if it is set at all.
    pub fn node(self) -> Option<NodeId> {
        match self {
            Setting::Set(_, n) | Setting::Unknown(n) => Some(n),
            Setting::Unset | Setting::Default(_) => None,
        }
    }

    /// Whether it is written in the template (known or not).
    pub fn is_set(self) -> bool {
        self.node().is_some()
    }
}

crate::index::index_type! {
    /// A template of the run: an index into the project's templates.
    pub struct TemplateId for Template;
}

/// A template: its tree and the model derived from it.
#[derive(Debug)]
pub struct Template {
    pub file: FileId,
    pub tree: Tree,
    /// Uses the SAM transform.
    pub sam: bool,
    pub resources: Vec<Resource>,
    pub parameters: Vec<Parameter>,
    /// `Globals` sections by name (`Function`, `Api`, `HttpApi`, ...).
    pub globals: Vec<(String, NodeId)>,
    pub functions: Vec<Function>,
    pub apis: Vec<Api>,
    pub methods: Vec<ApiMethod>,
    pub events: Vec<EventSource>,
    pub queues: Vec<Queue>,
    /// `Fn::ForEach` loops under `Resources` that could not be expanded (their resources are
    /// not analysed).
    pub unexpanded: Vec<foreach::Unexpanded>,
    /// Root `Metadata`.
    pub metadata: Option<NodeId>,
    by_id: HashMap<String, usize>,
}

/// Most resources (or SAM event sources, each of which becomes at least one resource) slint
/// models in one template. CloudFormation deploys at most 500; rules compare resources with
/// each other, so this bounds their work on a hostile file (2,000² is cheap, 200,000² is not).
pub const MAX_RESOURCES: usize = 2_000;

fn too_many(what: &str, count: usize) -> String {
    format!(
        "the template declares {count} {what}, more than the {MAX_RESOURCES} slint analyses \
         (CloudFormation deploys at most 500 resources per template); it is not analysed"
    )
}

/// Why a parsed document is not a usable template; reported as SL001.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureError {
    pub span: Span,
    pub message: String,
}

/// The result of modelling one parsed document.
pub enum Modelled {
    /// A template (possibly with structure errors in some resources).
    Template(Box<Template>, Vec<StructureError>),
    /// The document is not a CloudFormation template at all.
    NotATemplate(Tree),
    /// It claims to be a template but cannot be used as one.
    Broken(Tree, Vec<StructureError>),
}

impl Template {
    /// Whether a parsed document looks like a CloudFormation/SAM template (DESIGN §2):
    /// `AWSTemplateFormatVersion`, the SAM transform, or `Resources` entries typed `AWS::...`.
    pub fn looks_like_template(tree: &Tree) -> bool {
        let Some(root) = tree.root() else { return false };
        if root.get("AWSTemplateFormatVersion").is_some() || is_sam_transform(root.get("Transform")) {
            return true;
        }
        root.get("Resources").is_some_and(|res| {
            res.map_iter().any(|(_, _, r)| {
                r.get("Type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
            })
        })
    }

    /// Builds the model of a parsed document.
    pub fn build(file: FileId, tree: Tree) -> Modelled {
        let Some(root) = tree.root().filter(|r| r.is_map()) else {
            return Modelled::NotATemplate(tree);
        };
        // A document with a `Resources` key is meant as a template even when that section is
        // broken; anything else (a workflow, a config file) is silently not a template.
        if !Self::looks_like_template(&tree) && root.get("Resources").is_none() {
            return Modelled::NotATemplate(tree);
        }
        let mut errors = Vec::new();
        let resources_node = match root.entry("Resources") {
            None => {
                errors.push(StructureError {
                    span: root.span(),
                    message: "template has no `Resources` section; CloudFormation requires at least one resource"
                        .into(),
                });
                return Modelled::Broken(tree, errors);
            }
            Some(entry) => {
                let node = tree.node(entry.value);
                if node.len() > MAX_RESOURCES {
                    errors.push(StructureError { span: entry.key_span, message: too_many("resources", node.len()) });
                    return Modelled::Broken(tree, errors);
                }
                if node.is_null() || (node.is_map() && node.is_empty()) {
                    errors.push(StructureError {
                        span: entry.key_span,
                        message: "`Resources` is empty; CloudFormation requires at least one resource".into(),
                    });
                    return Modelled::Broken(tree, errors);
                }
                if !node.is_map() {
                    errors.push(StructureError {
                        span: node.span(),
                        message: "`Resources` must be a mapping of logical ids to resources".into(),
                    });
                    return Modelled::Broken(tree, errors);
                }
                entry.value
            }
        };
        let sam = is_sam_transform(root.get("Transform"));
        let metadata = root.get("Metadata").map(|m| m.id);
        let parameters = collect_parameters(root);
        let globals = root
            .get("Globals")
            .map(|g| g.map_iter().filter(|(_, _, v)| v.is_map()).map(|(k, _, v)| (k.to_string(), v.id)).collect())
            .unwrap_or_default();
        let mut tree = tree;
        let (resources_node, unexpanded) = if foreach::has_loops(tree.node(resources_node)) {
            foreach::expand_resources(&mut tree, resources_node, &parameters)
        } else {
            (resources_node, Vec::new())
        };
        if tree.node(resources_node).len() > MAX_RESOURCES {
            let span = tree.node(resources_node).span();
            errors.push(StructureError { span, message: too_many("resources", tree.node(resources_node).len()) });
            return Modelled::Broken(tree, errors);
        }
        let resources = collect_resources(tree.node(resources_node), &mut errors);
        let by_id = resources.iter().enumerate().map(|(i, r)| (r.id.0.clone(), i)).collect();
        let mut template = Template {
            file,
            tree,
            sam,
            resources,
            parameters,
            globals,
            functions: Vec::new(),
            apis: Vec::new(),
            methods: Vec::new(),
            events: Vec::new(),
            queues: Vec::new(),
            unexpanded,
            metadata,
            by_id,
        };
        if template.sam
            && let Err(message) = sam::merge_globals(&mut template)
        {
            let globals_key = template.root().and_then(|r| r.entry("Globals")).map(|e| e.key_span);
            let span = globals_key.unwrap_or(Span::at(0));
            errors.push(StructureError { span, message });
            return Modelled::Broken(template.tree, errors);
        }
        template.functions = function::collect(&template);
        template.apis = api::collect_apis(&template);
        template.events = events::collect(&template);
        if template.events.len() > MAX_RESOURCES {
            let span = template.tree.node(resources_node).span();
            errors.push(StructureError { span, message: too_many("event sources", template.events.len()) });
            return Modelled::Broken(template.tree, errors);
        }
        template.methods = api::collect_methods(&template);
        events::link_to_functions(&mut template);
        template.queues = queue::collect(&template);
        Modelled::Template(Box::new(template), errors)
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        self.tree.node(id)
    }

    /// A finding site at a node: its span and template path.
    pub fn site(&self, node: NodeId) -> Site {
        Site::new(self.file, self.tree.node(node).span()).with_path(self.tree.path(node))
    }

    /// A finding site at `span` (usually a key) with the path of `node`.
    pub fn site_at(&self, span: Span, node: NodeId) -> Site {
        Site::new(self.file, span).with_path(self.tree.path(node))
    }

    /// A finding site at a resource's logical id, for findings about what it lacks.
    pub fn resource_site(&self, resource: &Resource) -> Site {
        self.site_at(resource.id_span, resource.node)
    }

    pub fn root(&self) -> Option<NodeRef<'_>> {
        self.tree.root()
    }

    /// The resource with this logical id.
    pub fn resource(&self, logical_id: &str) -> Option<&Resource> {
        self.by_id.get(logical_id).map(|&i| &self.resources[i])
    }

    pub fn resource_index(&self, logical_id: &str) -> Option<usize> {
        self.by_id.get(logical_id).copied()
    }

    /// The effective `Properties` of a resource (Globals merged), as a node.
    pub fn properties(&self, resource: &Resource) -> Option<NodeRef<'_>> {
        resource.properties.map(|p| self.tree.node(p))
    }

    /// A property of a resource, looked up in its effective `Properties`.
    pub fn property(&self, resource: &Resource, key: &str) -> Option<NodeRef<'_>> {
        self.properties(resource)?.get(key)
    }

    pub fn parameter(&self, logical_id: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.id.0 == logical_id)
    }

    /// The `Globals` section of this name (`Function`, `Api`, `HttpApi`).
    pub fn globals(&self, section: &str) -> Option<NodeRef<'_>> {
        self.globals.iter().find(|(k, _)| k == section).map(|(_, id)| self.tree.node(*id))
    }

    /// The function defined by the resource at `index`, if it is one.
    pub fn function_of_resource(&self, index: usize) -> Option<&Function> {
        self.functions.iter().find(|f| f.resource.index() == index)
    }

    /// Reads an integer property as a [`Setting`], resolving `!Ref` to a parameter default.
    pub fn int_setting(&self, node: Option<NodeRef<'_>>, default: Option<i64>) -> Setting<i64> {
        let Some(node) = node else {
            return default.map_or(Setting::Unset, Setting::Default);
        };
        match self.resolve_scalar(node).and_then(|n| n.as_i64()) {
            Some(v) => Setting::Set(v, node.id),
            None => Setting::Unknown(node.id),
        }
    }

    /// Follows `!Ref Param` to the parameter's default; other nodes are returned as they are.
    pub fn resolve_scalar<'t>(&'t self, node: NodeRef<'t>) -> Option<NodeRef<'t>> {
        match node.intrinsic() {
            None => Some(node),
            Some(("Ref", target)) => {
                let param = self.parameter(target.as_str()?)?;
                param.default.map(|d| self.tree.node(d)).filter(|d| d.is_scalar())
            }
            Some(_) => None,
        }
    }
}

fn is_sam_transform(transform: Option<NodeRef<'_>>) -> bool {
    let Some(transform) = transform else { return false };
    let is_sam = |n: NodeRef<'_>| n.as_str().is_some_and(|s| s.starts_with("AWS::Serverless"));
    is_sam(transform) || transform.items().any(is_sam)
}

fn collect_parameters(root: NodeRef<'_>) -> Vec<Parameter> {
    let Some(params) = root.get("Parameters") else { return Vec::new() };
    params
        .map_iter()
        .map(|(id, _, node)| Parameter {
            id: LogicalId(id.to_string()),
            node: node.id,
            default: node.get("Default").map(|d| d.id),
        })
        .collect()
}

fn collect_resources(resources: NodeRef<'_>, errors: &mut Vec<StructureError>) -> Vec<Resource> {
    let mut out = Vec::with_capacity(resources.len());
    for (id, id_span, node) in resources.map_iter() {
        if !node.is_map() {
            errors.push(StructureError {
                span: node.span().cover(id_span),
                message: format!("resource `{id}` must be a mapping with a `Type`"),
            });
            continue;
        }
        let Some(type_name) = node.get("Type").and_then(|t| t.as_str()) else {
            errors.push(StructureError { span: id_span, message: format!("resource `{id}` has no `Type`") });
            continue;
        };
        out.push(Resource {
            id: LogicalId(id.to_string()),
            id_span,
            node: node.id,
            type_name: type_name.to_string(),
            kind: ResourceKind::from_type(type_name),
            properties: node.get("Properties").filter(|p| p.is_map()).map(|p| p.id),
            metadata: node.get("Metadata").map(|m| m.id),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::{Format, load};
    use crate::model::tree::Limits;

    fn model(text: &str) -> Modelled {
        Template::build(FileId(0), load(text, Format::Yaml, Limits::default()).unwrap())
    }

    #[test]
    fn too_many_resources_is_a_structure_error_not_quadratic_work() {
        let queues: String = (0..=MAX_RESOURCES).map(|i| format!("  Q{i}: {{Type: AWS::SQS::Queue}}\n")).collect();
        let Modelled::Broken(_, errors) = model(&format!("Resources:\n{queues}")) else { panic!("modelled") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].span, Span::new(0, 9));
        assert!(errors[0].message.starts_with("the template declares 2001 resources, more than the 2000"));
        assert!(matches!(
            model(&format!("Resources:\n{}", &queues[..queues.rfind("  Q").unwrap()])),
            Modelled::Template(..)
        ));
    }

    #[test]
    fn merging_globals_is_bounded() {
        // 1,001 functions each merging 1,001 variables: over a million entries written.
        let variables: String = (0..1000).map(|i| format!("k{i}: v, ")).collect();
        let function = "    Type: AWS::Serverless::Function\n    Properties: {Environment: {Variables: {X: 1}}}\n";
        let functions: String = (0..1001).map(|i| format!("  F{i}:\n{function}")).collect();
        let text = format!(
            "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: {{Environment: {{Variables: {{{variables}}}}}}}\n\
             Resources:\n{functions}"
        );
        let Modelled::Broken(_, errors) = model(&text) else { panic!("modelled") };
        assert_eq!(errors[0].span, Span::new(38, 45));
        assert!(errors[0].message.starts_with("merging `Globals` into the resources writes more than 1000000 entries"));
        // Half as many functions merge fine.
        let half: String = (0..500).map(|i| format!("  F{i}:\n{function}")).collect();
        let text = text.replace(&functions, &half);
        assert!(matches!(model(&text), Modelled::Template(..)));
    }

    #[test]
    fn too_many_event_sources_is_a_structure_error() {
        let events: String =
            (0..=MAX_RESOURCES).map(|i| format!("        E{i}: {{Type: SQS, Properties: {{Queue: q}}}}\n")).collect();
        let text =
            format!("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n{events}");
        let Modelled::Broken(_, errors) = model(&text) else { panic!("modelled") };
        assert!(errors[0].message.starts_with("the template declares 2001 event sources"), "{}", errors[0].message);
    }
}
