use crate::capacity::FunctionBudget;
use crate::diagnostic::Site;
use crate::model::function::MIN_UNRESERVED;
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};

/// Contributors named in the message before "and N more".
const LISTED: usize = 5;

declare_rule! {
    /// ## What it does
    /// Adds up `ReservedConcurrentExecutions` over every function of one AWS account (all
    /// templates of the run that deploy to it) and reports when the total leaves fewer than
    /// 100 executions unreserved. The finding points at the largest reservation and lists
    /// every contribution and the total.
    ///
    /// ## Why is this bad?
    /// AWS keeps at least 100 of the account's regional quota (1,000 by default) unreserved
    /// for the functions without a reservation; a deployment that reserves more fails. Even
    /// below that limit, every reserved execution is taken away from all other functions,
    /// including authorizers and Lambda@Edge, which then throttle under load.
    ///
    /// ## Example
    /// ```yaml
    /// # orders/template.yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties: { ReservedConcurrentExecutions: 600 }
    /// # billing/template.yaml (same account)
    /// Invoicer:
    ///   Type: AWS::Serverless::Function
    ///   Properties: { ReservedConcurrentExecutions: 350 }
    /// ```
    ///
    /// Use instead: reserve what each function needs to stay within its downstream limits,
    /// ask AWS for a higher quota, or map the templates to the accounts they really deploy to:
    /// ```toml
    /// # slint.toml
    /// [accounts.orders]
    /// templates = ["orders/**"]
    /// [accounts.billing]
    /// quota = 2000
    /// templates = ["billing/**"]
    /// ```
    ///
    /// ## Configuration
    /// `[accounts.<name>]` in `slint.toml`: `quota` (default 1000) and `templates` (globs).
    /// Templates no account claims belong to the `default` account.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html>
    pub struct ReservedConcurrencyExceedsQuota {
        code: "SL103",
        name: "reserved-concurrency-exceeds-quota",
        category: Concurrency,
        severity: Error,
    }
}

impl Rule for ReservedConcurrencyExceedsQuota {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for account in &cx.capacity.accounts {
            if !account.leaves_too_little_unreserved() {
                continue;
            }
            let mut contributors: Vec<&FunctionBudget> =
                account.functions.iter().filter(|f| f.reserved.is_some_and(|r| r > 0)).collect();
            contributors.sort_by(|a, b| {
                b.reserved
                    .cmp(&a.reserved)
                    .then_with(|| (&a.template_path, &a.function_id).cmp(&(&b.template_path, &b.function_id)))
            });
            let Some(largest) = contributors.first() else { continue };
            let Some(site) = reserved_site(project, largest) else { continue };
            let mut listed: Vec<String> = contributors
                .iter()
                .take(LISTED)
                .map(|f| format!("`{}` {} ({})", f.function_id, f.reserved.unwrap_or(0), f.template_path))
                .collect();
            if contributors.len() > LISTED {
                listed.push(format!("and {} more", contributors.len() - LISTED));
            }
            let finding = cx
                .report(
                    site,
                    format!(
                        "reserved concurrency in account `{}` totals {} of its {} quota, leaving {} unreserved where AWS requires at least {MIN_UNRESERVED}: {}",
                        account.name,
                        account.reserved_total,
                        account.quota,
                        account.unreserved,
                        listed.join(", ")
                    ),
                )
                .resource(largest.function_id.clone())
                .help("lower the reservations, raise the account's quota with AWS (and `quota` in slint.toml), or map the templates to the accounts they deploy to under `[accounts]`");
            for other in contributors.iter().skip(1) {
                if let Some(site) = reserved_site(project, other) {
                    finding.related(
                        site.file,
                        site.span,
                        format!("`{}` reserves {}", other.function_id, other.reserved.unwrap_or(0)),
                    );
                }
            }
        }
    }
}

/// The `ReservedConcurrentExecutions` of a function.
fn reserved_site(project: &Project, budget: &FunctionBudget) -> Option<Site> {
    let template = &project.templates[budget.template];
    let node = template.functions[budget.function].reserved_concurrency.node()?;
    Some(template.site(node))
}
