use crate::diagnostic::Site;
use crate::project::Project;
use crate::rules::code;
use crate::rules::{Context, Rule, RuleOption, declare_rule};
use crate::source::BinaryId;

/// How many routes the message lists before eliding the rest.
const LISTED_ROUTES: usize = 8;

declare_rule! {
    /// ## What it does
    /// Flags a binary that serves a web-framework router (axum `Router` routes, actix-web
    /// routes and scopes) with more than `max-routes` distinct `(method, path)` routes
    /// (default 5) from one Lambda function. The finding points at the runtime registration
    /// that receives the router (`lambda_http::run(app)`) and lists the routes; the template
    /// functions deploying the binary are related locations. In the template such a function
    /// usually has a catch-all event: `Path: /{proxy+}` with `Method: ANY`, an HTTP API
    /// `$default` route, or a function URL.
    ///
    /// ## Why is this bad?
    /// Every route then shares one function's memory size, timeout, IAM role, reserved
    /// concurrency and cold starts: the slowest or most memory-hungry route sets them for all,
    /// one hot route can use up the concurrency the others need, and API Gateway can no
    /// longer throttle, cache, authorise or monitor routes separately. The package (and its
    /// cold start) grows with every route's dependencies. A "lambdalith" is a legitimate
    /// trade-off for small apps (fewer cold starts overall, familiar local development), so
    /// this is informational.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let app = Router::new()
    ///     .route("/orders", get(list_orders).post(create_order))
    ///     .route("/orders/{id}", get(get_order).delete(delete_order))
    ///     .route("/users", get(list_users).post(create_user))
    ///     .route("/reports", get(report));
    /// lambda_http::run(app).await
    /// ```
    ///
    /// Use instead: one binary (and template function) per route or resource, with the
    /// shared code in the package's lib target, and API Gateway routing to them:
    /// ```yaml
    /// CreateOrder:
    ///   Type: AWS::Serverless::Function
    ///   Metadata: { BuildMethod: rust-cargolambda, BuildProperties: { Binary: create-order } }
    ///   Properties:
    ///     Events:
    ///       Create: { Type: HttpApi, Properties: { Path: /orders, Method: post } }
    /// ```
    ///
    /// ## Options
    /// `max-routes` (default 5): the most routes one binary may serve without a finding, set
    /// in `slint.toml` as `[rules.SL506] max-routes = 8`.
    ///
    /// ## Known limitations
    /// Routes are counted from the axum (also utoipa's `routes!`) and actix-web routers that
    /// init code builds, and from route attributes (`#[get("/p")]`, `#[utoipa::path(..)]`) of
    /// the handlers; warp filters, poem endpoints, actix `.configure(f)` and hand-written
    /// dispatch (`match (req.method(), req.uri().path())`) are not counted.
    pub struct RouterMonolith {
        code: "SL506",
        name: "router-monolith",
        category: Handler,
        severity: Info,
        options: &[MAX_ROUTES],
    }
}

/// `[rules.SL506] max-routes = N`.
const MAX_ROUTES: RuleOption =
    RuleOption { name: "max-routes", default: 5, doc: "the most distinct (method, path) routes one binary may serve" };

impl Rule for RouterMonolith {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        let max = cx.option(&MAX_ROUTES);
        for (index, binary) in BinaryId::enumerate(&project.source.binaries) {
            let count = binary.routes.len();
            if (count as u64) <= max {
                continue;
            }
            let site = match (&binary.registration, binary.routes.first()) {
                (Some(r), _) => Site::new(r.file, r.span),
                (None, Some(route)) => Site::new(route.file, route.span),
                (None, None) => continue,
            };
            let mut listed: Vec<String> =
                binary.routes.iter().take(LISTED_ROUTES).map(|r| format!("{} {}", r.method, r.path)).collect();
            if count > LISTED_ROUTES {
                listed.push("…".to_string());
            }
            let serves = match code::deployments(project, index).first() {
                Some(d) => format!("function `{}` (binary `{}`)", d.function.id, binary.name),
                None => format!("binary `{}`", binary.name),
            };
            let finding = cx.report(
                site,
                format!(
                    "{serves} serves {count} routes through one router, more than max-routes ({max}): {}",
                    listed.join(", ")
                ),
            );
            finding.help("split the routes into one function per route or resource (shared code in a lib target) and let API Gateway route; or raise `max-routes` if one function is the intended trade-off");
            code::relate_deployments(finding, project, index);
        }
    }
}
