use crate::model::Template;
use crate::model::events::EventKind;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an SQS event source (SAM `SQS` event or `AWS::Lambda::EventSourceMapping`) with
    /// `BatchSize: 1`.
    ///
    /// ## Why is this bad?
    /// Every message becomes its own invocation: the function needs up to ten times more
    /// invocations and concurrency for the same throughput, pays the per-invocation overhead
    /// (and any per-invocation setup) for each message, and a backlog drains slowly. With
    /// `ReportBatchItemFailures`, one bad message no longer fails the others, so there is
    /// rarely a reason to process messages one by one.
    ///
    /// ## Example
    /// ```yaml
    /// Jobs:
    ///   Type: SQS
    ///   Properties:
    ///     Queue: !GetAtt Jobs.Arn
    ///     BatchSize: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Jobs:
    ///   Type: SQS
    ///   Properties:
    ///     Queue: !GetAtt Jobs.Arn
    ///     BatchSize: 10
    ///     FunctionResponseTypes: [ReportBatchItemFailures]
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html>
    pub struct SqsConsumerWithoutBatching {
        code: "SL301",
        name: "sqs-consumer-without-batching",
        category: Queues,
        severity: Warning,
    }
}

impl Rule for SqsConsumerWithoutBatching {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for event in &template.events {
            if event.kind != EventKind::Sqs || !event.is_mapping(template) || event.is_disabled(template) {
                continue;
            }
            let Some(batch) = event.property(template, "BatchSize") else { continue };
            if template.resolve_scalar(batch).and_then(|b| b.as_i64()) != Some(1) {
                continue;
            }
            let finding = cx
                .report(
                    template.site(batch.id),
                    format!("{} has `BatchSize: 1`, so every message is a separate invocation", event.describe(template)),
                )
                .help("raise `BatchSize` (up to 10, or more with `MaximumBatchingWindowInSeconds`) and report failed messages with `ReportBatchItemFailures`");
            if let Some(f) = event.function {
                finding.resource(template.functions[f].id.0.clone());
            }
        }
    }
}
