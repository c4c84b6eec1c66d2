use crate::capacity::{AccountBudget, FunctionBudget};
use crate::diagnostic::Site;
use crate::model::Setting;
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Computes the concurrency a function needs at its declared load (peak requests per
    /// second × average duration in seconds) and reports when it exceeds the function's
    /// `ReservedConcurrentExecutions`, or when the functions without a reservation together
    /// need more than their account leaves unreserved. The load is declared on the function
    /// (`Metadata: { slint: { peak-rps: 200, avg-duration-ms: 120 } }`) or in `slint.toml`
    /// (`[functions.<id>]`); without it slint computes nothing. A declared load that is not a
    /// positive number is reported too.
    ///
    /// ## Why is this bad?
    /// Lambda throttles invocations beyond the available concurrency: synchronous callers get
    /// `429`/`502`, asynchronous events are retried and delayed. The arithmetic is simple, but
    /// nobody does it until the launch: 2,000 requests per second at 250 ms already need 500
    /// concurrent executions, half of a default account.
    ///
    /// ## Example
    /// ```yaml
    /// Search:
    ///   Type: AWS::Serverless::Function
    ///   Metadata:
    ///     slint: { peak-rps: 2000, avg-duration-ms: 250 }
    ///   Properties:
    ///     ReservedConcurrentExecutions: 100
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    ///   Properties:
    ///     ReservedConcurrentExecutions: 500
    /// ```
    /// or make each invocation shorter, or cache in front of the function.
    ///
    /// ## Configuration
    /// `[functions.<logical id>]` (or `[functions."path/template.yaml:<logical id>"]`) in
    /// `slint.toml` with `peak-rps` and `avg-duration-ms`, which take precedence over
    /// `Metadata.slint`; `[accounts.<name>]` for quotas.
    ///
    /// ## Known limitations
    /// Lambda@Edge replicas and authorizers count as functions of their account like any
    /// other; an authorizer's own load must be declared on it.
    pub struct ConcurrencyDemandExceedsCapacity {
        code: "SL104",
        name: "concurrency-demand-exceeds-capacity",
        category: Concurrency,
        severity: Warning,
    }
}

impl Rule for ConcurrencyDemandExceedsCapacity {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        report_invalid_loads(project, cx);
        for account in &cx.capacity.accounts {
            for function in &account.functions {
                check_reservation(project, function, cx);
            }
            check_shared_pool(project, account, cx);
        }
    }
}

/// `peak-rps`/`avg-duration-ms` in `Metadata.slint` that are not positive numbers.
fn report_invalid_loads(project: &Project, cx: &mut Context<'_>) {
    for template in &project.templates {
        for function in &template.functions {
            for (key, setting) in [("peak-rps", function.peak_rps), ("avg-duration-ms", function.avg_duration_ms)] {
                if let Setting::Unknown(node) = setting {
                    cx.report(
                        template.site(node),
                        format!("`{key}` of function `{}` is not a positive number; its declared load is ignored", function.id),
                    )
                    .resource(function.id.0.clone())
                    .help("declare the load as positive numbers: `peak-rps` in requests per second, `avg-duration-ms` in milliseconds");
                }
            }
        }
    }
}

/// A function whose declared load needs more than it reserves.
fn check_reservation(project: &Project, function: &FunctionBudget, cx: &mut Context<'_>) {
    let (Some(load), Some(required), Some(reserved)) =
        (function.load, function.required_concurrency, function.reserved)
    else {
        return;
    };
    if required <= u64::try_from(reserved).unwrap_or(0) {
        return;
    }
    let template = &project.templates[function.template];
    let reserved_node = template.functions[function.function].reserved_concurrency.node();
    let finding = cx
        .report(
            load_site(project, function),
            format!(
                "function `{}` needs {required} concurrent executions at its declared load ({} req/s × {} ms) but reserves {reserved}: the rest is throttled",
                function.function_id,
                number(load.peak_rps),
                number(load.avg_duration_ms)
            ),
        )
        .resource(function.function_id.clone())
        .help(format!("reserve at least {required}, or shorten the invocations"));
    if let Some(node) = reserved_node {
        finding.related(template.file, template.node(node).span(), "the reservation");
    }
}

/// Uncapped functions whose declared demand exceeds what the account leaves unreserved.
fn check_shared_pool(project: &Project, account: &AccountBudget, cx: &mut Context<'_>) {
    let pool = account.unreserved.max(0) as u64;
    if account.uncapped_demand <= pool {
        return;
    }
    let mut demanding: Vec<&FunctionBudget> =
        account.functions.iter().filter(|f| !f.is_capped() && f.required_concurrency.is_some()).collect();
    demanding.sort_by_key(|f| std::cmp::Reverse(f.required_concurrency));
    let Some(largest) = demanding.first() else { return };
    let listed: Vec<String> =
        demanding.iter().map(|f| format!("`{}` {}", f.function_id, f.required_concurrency.unwrap_or(0))).collect();
    let finding = cx
        .report(
            load_site(project, largest),
            format!(
                "functions without reserved concurrency in account `{}` need {} concurrent executions at their declared load, but only {pool} are unreserved (quota {} − {} reserved): {}",
                account.name,
                account.uncapped_demand,
                account.quota,
                account.reserved_total,
                listed.join(", ")
            ),
        )
        .resource(largest.function_id.clone())
        .help("raise the account's concurrency quota with AWS, reserve less elsewhere, or spread the functions over accounts");
    for other in demanding.iter().skip(1) {
        let site = load_site(project, other);
        finding.related(
            site.file,
            site.span,
            format!("`{}` needs {}", other.function_id, other.required_concurrency.unwrap_or(0)),
        );
    }
}

/// The declared `peak-rps` in the template, or the function itself when the load is in
/// slint.toml.
fn load_site(project: &Project, function: &FunctionBudget) -> Site {
    let template = &project.templates[function.template];
    match function.load.and_then(|l| l.node) {
        Some(node) if function.load.is_some_and(|l| l.source == crate::capacity::LoadSource::Metadata) => {
            template.site(node)
        }
        _ => {
            let resource = template.functions[function.function].resource(template);
            template.resource_site(resource)
        }
    }
}

/// `10000`, `12.5`: no trailing `.0`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value}") }
}
