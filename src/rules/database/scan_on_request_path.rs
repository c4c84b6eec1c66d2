use crate::project::Project;
use crate::rules::code;
use crate::rules::{Context, Rule, declare_rule};
use crate::source::Callee;

declare_rule! {
    /// ## What it does
    /// Flags a DynamoDB `scan` on the invoke path of a function that callers wait for: one a
    /// template deploys behind API Gateway, a function URL, a load balancer, Cognito or
    /// AppSync, or, without a template, whose handler takes an HTTP request. Queue workers,
    /// schedules and other asynchronous functions are exempt.
    ///
    /// ## Why is this bad?
    /// A scan reads the whole table (1 MB per page) and filters afterwards: its latency and
    /// read-capacity cost grow with the table, not with the answer. On a request path that
    /// means responses that get slower every week, throttling that hits every other reader
    /// of the table, and concurrency that climbs with the table's size until the API times
    /// out.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn list_orders(ddb: &Client, customer: &str) -> Result<Vec<Order>, Error> {
    ///     let page = ddb.scan().table_name("orders")
    ///         .filter_expression("customer = :c")
    ///         .expression_attribute_values(":c", AttributeValue::S(customer.into()))
    ///         .send().await?;
    ///     Ok(parse(page.items()))
    /// }
    /// ```
    ///
    /// Use instead: a key design (or a global secondary index) that lets the request query.
    /// ```rust,ignore
    ///     let page = ddb.query().table_name("orders").index_name("by-customer")
    ///         .key_condition_expression("customer = :c")
    ///         .expression_attribute_values(":c", AttributeValue::S(customer.into()))
    ///         .send().await?;
    /// ```
    ///
    /// ## Known limitations
    /// A scan of a table known to stay tiny (a few configuration items) is harmless: suppress
    /// with a reason. Scans through rusoto are not recognised; on a client whose type slint
    /// cannot see, a `scan()` counts when its chain sets `.table_name(..)`.
    pub struct ScanOnRequestPath {
        code: "SL404",
        name: "scan-on-request-path",
        category: Database,
        severity: Warning,
    }
}

impl Rule for ScanOnRequestPath {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for (index, _, call) in code::invoke_calls(project) {
            if code::sdk_operation(call) != Some(("aws_sdk_dynamodb", "scan")) && !is_untyped_table_scan(call) {
                continue;
            }
            let what = if call.in_loop { "scans a DynamoDB table, in a loop," } else { "scans a DynamoDB table" };
            if let Some(finding) = code::report_on_sync_path(cx, project, index, call, what) {
                finding.help("query by key or through a global secondary index instead; a scan reads the whole table, so its latency and cost grow with the table");
            }
        }
    }
}

/// `client.scan().table_name(..)` on a client whose type slint cannot see (it comes out of a
/// dependency-injection container or a macro): the builder's `table_name` says DynamoDB.
fn is_untyped_table_scan(call: &crate::source::CallFact) -> bool {
    matches!(&call.callee, Callee::Method { name, receiver_type: None, .. } if name == "scan")
        && code::chain_calls(call, "table_name")
}
