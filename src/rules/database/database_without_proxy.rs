use std::collections::HashSet;

use crate::model::intrinsics::{self, getatt_parts};
use crate::model::tree::{NodeId, NodeRef};
use crate::model::{FunctionId, Resource, ResourceKind, Template, TemplateId};
use crate::project::Project;
use crate::rules::code::{self, At, chain};
use crate::rules::{Context, Rule, declare_rule};
use crate::source::BinaryId;

/// Endpoint attributes of `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`.
const ENDPOINT_ATTRIBUTES: &[&str] =
    &["Endpoint.Address", "Endpoint.Port", "ReadEndpoint.Address", "ReadEndpoint.Port"];

/// Crates whose generic pools (bb8, r2d2, mobc, sqlx's `Pool::<DB>`) are relational.
const RELATIONAL_DRIVERS: &[&str] = &[
    "tokio_postgres",
    "postgres",
    "bb8_postgres",
    "deadpool_postgres",
    "r2d2_postgres",
    "mobc_postgres",
    "diesel",
    "diesel_async",
    "mysql",
    "mysql_async",
    "r2d2_mysql",
    "sqlx",
    "sea_orm",
];

declare_rule! {
    /// ## What it does
    /// Flags a function that reaches an RDS or Aurora database directly instead of through an
    /// RDS Proxy. In the template: an `Environment.Variables` value built from an instance's
    /// or cluster's endpoint (`!GetAtt Db.Endpoint.Address`, `Endpoint.Port`,
    /// `ReadEndpoint.Address`, or `${Db.Endpoint.Address}` in a `!Sub`); when the template
    /// has an `AWS::RDS::DBProxy`, the function bypasses it. In the code: a binary deployed
    /// by a template that has an RDS instance or cluster and no proxy connects to Postgres or
    /// MySQL (sqlx, tokio-postgres, postgres, diesel, mysql_async, SeaORM, or a bb8, r2d2,
    /// mobc or deadpool pool of them); the finding is at the connect call, unless the
    /// function's environment was already reported.
    ///
    /// ## Why is this bad?
    /// Every concurrent execution environment holds its own connections. A traffic burst
    /// scales Lambda to hundreds of environments within seconds, far faster than a database
    /// accepts connections: it runs out of `max_connections` and memory, and every client
    /// of it fails. An RDS Proxy pools and multiplexes the connections, queues the excess,
    /// and keeps them open across failovers.
    ///
    /// ## Example
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Environment:
    ///       Variables:
    ///         DB_HOST: !GetAtt OrdersDb.Endpoint.Address
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// OrdersProxy:
    ///   Type: AWS::RDS::DBProxy
    ///   Properties:
    ///     EngineFamily: POSTGRESQL
    ///     # Auth, RoleArn, VpcSubnetIds, plus an AWS::RDS::DBProxyTargetGroup for OrdersDb
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Environment:
    ///       Variables:
    ///         DB_HOST: !GetAtt OrdersProxy.Endpoint
    /// ```
    ///
    /// ## Known limitations
    /// A proxy anywhere in the template counts as fronting every database; which databases a
    /// proxy targets (`AWS::RDS::DBProxyTargetGroup`) is not checked. An endpoint passed
    /// through a secret, an SSM parameter or another stack is not seen, and neither is a
    /// proxy defined in another stack (the code finding then fires; suppress it with a
    /// reason). The RDS Data API and Aurora DSQL need no proxy and are not reported.
    pub struct DatabaseWithoutProxy {
        code: "SL401",
        name: "database-without-proxy",
        category: Database,
        severity: Warning,
    }
}

impl Rule for DatabaseWithoutProxy {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        // (template, function) pairs whose environment was reported.
        let mut reported: HashSet<(TemplateId, FunctionId)> = HashSet::new();
        for (ti, template) in TemplateId::enumerate(&project.templates) {
            check_environment(template, cx, |fi| {
                reported.insert((ti, fi));
            });
        }
        check_code(project, &reported, cx);
    }
}

/// A database endpoint referenced by an environment variable: the database and the attribute.
struct EndpointUse<'t> {
    database: &'t Resource,
    attribute: &'t str,
}

/// Reports environment variables set from an RDS endpoint; calls `reported` with every
/// function index that got a finding.
fn check_environment(template: &Template, cx: &mut Context<'_>, mut reported: impl FnMut(FunctionId)) {
    let proxy = proxy_of(template);
    // A value inherited from `Globals` is one node shared by several functions: one finding.
    let mut by_node: Vec<(NodeId, String, EndpointUse<'_>, Vec<FunctionId>)> = Vec::new();
    for (fi, function) in FunctionId::enumerate(&template.functions) {
        let resource = function.resource(template);
        let Some(variables) = template.property(resource, "Environment").and_then(|e| e.get("Variables")) else {
            continue;
        };
        for (name, _, value) in variables.map_iter() {
            let Some(endpoint) = endpoint_in(template, value) else { continue };
            match by_node.iter_mut().find(|(node, ..)| *node == value.id) {
                Some((.., functions)) => functions.push(fi),
                None => by_node.push((value.id, name.to_string(), endpoint, vec![fi])),
            }
        }
    }
    for (node, variable, endpoint, functions) in by_node {
        let names: Vec<String> = functions.iter().map(|&fi| format!("`{}`", template.functions[fi].id)).collect();
        // Verbs agree with one function or several (a value inherited from `Globals`).
        let (names, bypass, connect) = match names.as_slice() {
            [one] => (one.clone(), "bypasses", "connects"),
            [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "bypass", "connect"),
            [] => continue,
        };
        let database = format!("{} `{}`", noun(endpoint.database.kind), endpoint.database.id);
        let (message, help) = match proxy {
            Some(proxy) => (
                format!(
                    "{names} {bypass} the RDS proxy `{}`: `{variable}` is the `{}` of {database} itself",
                    proxy.id, endpoint.attribute
                ),
                format!("point `{variable}` at the proxy (`!GetAtt {}.Endpoint`)", proxy.id),
            ),
            None => (
                format!(
                    "{names} {connect} to {database} directly (`{variable}` is its `{}`) with no RDS Proxy in between",
                    endpoint.attribute
                ),
                format!(
                    "put an `AWS::RDS::DBProxy` in front of `{}` and point `{variable}` at its `Endpoint`; every concurrent execution environment holds its own connections, and a burst exhausts the database's",
                    endpoint.database.id
                ),
            ),
        };
        let finding = cx.report(template.site(node), message);
        finding.help(help);
        finding.resource(template.functions[functions[0]].id.0.clone());
        finding.related(template.file, endpoint.database.id_span, "the database");
        if let Some(proxy) = proxy {
            finding.related(template.file, proxy.id_span, "the proxy it bypasses");
        }
        for fi in functions {
            reported(fi);
        }
    }
}

/// Reports Postgres/MySQL connections in binaries deployed by templates that have an RDS
/// database and no proxy.
fn check_code(project: &Project, reported: &HashSet<(TemplateId, FunctionId)>, cx: &mut Context<'_>) {
    for (index, binary) in BinaryId::enumerate(&project.source.binaries) {
        let deployments = code::deployments(project, index);
        let unproxied = deployments.iter().find_map(|d| {
            let database = database_of(d.template)?;
            let unreported = !reported.contains(&(d.link.template, d.link.function));
            (proxy_of(d.template).is_none() && unreported).then_some((d.template, database))
        });
        let Some((template, database)) = unproxied else { continue };
        let package = &project.source.packages[binary.package];
        let relational_crate =
            package.dependencies.iter().any(|d| RELATIONAL_DRIVERS.contains(&d.crate_name().as_str()));
        for call in code::all_calls(binary) {
            let Some(open) = code::db_open(call) else { continue };
            let named = matches!(open.engine, code::DbEngine::Postgres | code::DbEngine::MySql);
            if !(named || (open.engine.may_be_rds() && relational_crate)) {
                continue;
            }
            let engine = if named { open.engine.label() } else { "the database" };
            let message = format!(
                "{} connects {} to {engine} directly (`{}`); its template has {} `{}` and no RDS Proxy",
                chain(call),
                code::deployed_as(project, index),
                code::call_label(call),
                noun(database.kind),
                database.id
            );
            code::report_call(cx, project, index, call, At::Call, message)
                .help("put an `AWS::RDS::DBProxy` in front of the database and connect to its endpoint; every concurrent execution environment holds its own connections, and a burst exhausts the database's")
                .related(template.file, database.id_span, "the database");
        }
    }
}

/// The first RDS proxy (or proxy endpoint) of a template.
fn proxy_of(template: &Template) -> Option<&Resource> {
    template.resources.iter().find(|r| r.kind == ResourceKind::DbProxy)
}

/// The first RDS instance or cluster of a template.
fn database_of(template: &Template) -> Option<&Resource> {
    template.resources.iter().find(|r| matches!(r.kind, ResourceKind::DbInstance | ResourceKind::DbCluster))
}

fn noun(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::DbCluster => "RDS cluster",
        _ => "RDS instance",
    }
}

/// The first RDS endpoint a value is built from: `!GetAtt Db.Endpoint.Address`, either
/// `GetAtt` form, `${Db.Endpoint.Address}` in a `!Sub` (and its variables), inside `Join`,
/// `If`, `Select`, ... Walks at most a few thousand nodes.
fn endpoint_in<'t>(template: &'t Template, value: NodeRef<'t>) -> Option<EndpointUse<'t>> {
    let mut stack = vec![value];
    let mut budget = 4_096usize;
    while let Some(node) = stack.pop() {
        budget = budget.checked_sub(1)?;
        match node.intrinsic() {
            Some(("Fn::GetAtt", arg)) => {
                if let Some((id, Some(attribute))) = getatt_parts(arg)
                    && let Some(found) = endpoint(template, id, attribute)
                {
                    return Some(found);
                }
                continue;
            }
            Some(("Fn::Sub", arg)) => {
                let text = arg.as_str().or_else(|| arg.item(0).and_then(|t| t.as_str()));
                for placeholder in text.into_iter().flat_map(intrinsics::sub_placeholders) {
                    if let Some((id, attribute)) = placeholder.split_once('.')
                        && let Some(found) = endpoint(template, id, attribute)
                    {
                        return Some(found);
                    }
                }
                if let Some(variables) = arg.item(1) {
                    stack.push(variables);
                }
                continue;
            }
            _ => {}
        }
        if node.is_map() {
            stack.extend(node.map_iter().map(|(_, _, v)| v));
        } else {
            stack.extend(node.items());
        }
    }
    None
}

fn endpoint<'t>(template: &'t Template, id: &str, attribute: &'t str) -> Option<EndpointUse<'t>> {
    let database = template.resource(id.trim())?;
    let attribute = attribute.trim();
    (matches!(database.kind, ResourceKind::DbInstance | ResourceKind::DbCluster)
        && ENDPOINT_ATTRIBUTES.contains(&attribute))
    .then_some(EndpointUse { database, attribute })
}
