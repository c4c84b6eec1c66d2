use crate::diagnostic::Severity;
use crate::model::Template;
use crate::model::events::EventKind;
use crate::model::queue::Queue;
use crate::rules::{Context, Rule, declare_rule};

/// AWS recommends a visibility timeout of at least six times the function timeout.
const RECOMMENDED_FACTOR: i64 = 6;

declare_rule! {
    /// ## What it does
    /// Compares an SQS queue's `VisibilityTimeout` (default 30 s) with the `Timeout` of each
    /// function consuming it. Below the function timeout it is an error; below six times the
    /// function timeout (AWS's recommendation, which leaves room for retries of throttled
    /// batches) it is a warning.
    ///
    /// ## Why is this bad?
    /// When the visibility timeout expires before the function finishes, the message becomes
    /// visible again and a second invocation processes it in parallel: duplicate side effects,
    /// doubled load, and under pressure a growing pile of in-flight copies.
    ///
    /// ## Example
    /// ```yaml
    /// Jobs:
    ///   Type: AWS::SQS::Queue
    ///   Properties:
    ///     VisibilityTimeout: 30
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Timeout: 60
    ///     Events:
    ///       Jobs: { Type: SQS, Properties: { Queue: !GetAtt Jobs.Arn } }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Jobs:
    ///   Type: AWS::SQS::Queue
    ///   Properties:
    ///     VisibilityTimeout: 360
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-queueconfig>
    pub struct VisibilityTimeoutBelowFunctionTimeout {
        code: "SL304",
        name: "visibility-timeout-below-function-timeout",
        category: Queues,
        severity: Error,
    }
}

impl Rule for VisibilityTimeoutBelowFunctionTimeout {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for queue in &template.queues {
            let Some(visibility) = queue.visibility_timeout.value() else { continue };
            // The consumer with the longest timeout decides.
            let worst = template
                .events
                .iter()
                .filter(|e| e.kind == EventKind::Sqs && e.source.as_deref() == Some(queue.id.as_str()))
                .filter(|e| e.is_mapping(template))
                .filter_map(|e| e.function.map(|f| &template.functions[f]))
                .filter_map(|f| f.timeout.value().map(|t| (t, f)))
                .max_by_key(|(t, _)| *t);
            let Some((timeout, function)) = worst else { continue };
            let (severity, message) = if visibility < timeout {
                (
                    Severity::Error,
                    format!(
                        "queue `{}` has a {visibility} s visibility timeout, shorter than the {timeout} s timeout of its consumer `{}`: messages reappear while they are still being processed",
                        queue.id, function.id
                    ),
                )
            } else if visibility < RECOMMENDED_FACTOR * timeout {
                (
                    Severity::Warning,
                    format!(
                        "queue `{}` has a {visibility} s visibility timeout, below the {} s (6 × the {timeout} s timeout of its consumer `{}`) that AWS recommends",
                        queue.id,
                        RECOMMENDED_FACTOR * timeout,
                        function.id
                    ),
                )
            } else {
                continue;
            };
            let finding = cx.report(site(template, queue), message);
            finding.severity(severity).help(format!(
                "set the queue's `VisibilityTimeout` to at least {} s (6 × the function timeout)",
                RECOMMENDED_FACTOR * timeout
            ));
            if let Some(node) = function.timeout.node() {
                finding.related(template.file, template.node(node).span(), format!("timeout of `{}`", function.id));
            }
        }
    }
}

/// The `VisibilityTimeout` when written, else the queue's logical id.
fn site(template: &Template, queue: &Queue) -> crate::diagnostic::Site {
    match queue.visibility_timeout.node() {
        Some(node) => template.site(node),
        None => template.resource_site(&template.resources[queue.resource]),
    }
}
