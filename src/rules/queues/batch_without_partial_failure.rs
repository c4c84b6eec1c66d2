use crate::model::Template;
use crate::model::events::EventKind;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an SQS, Kinesis or DynamoDB stream event source whose batches hold more than one
    /// record (explicitly, or by default: 10 for SQS, 100 for streams) but whose
    /// `FunctionResponseTypes` lacks `ReportBatchItemFailures`.
    ///
    /// ## Why is this bad?
    /// When one record fails, the whole batch fails: every record in it is retried, including
    /// the ones already processed. Under load a single poison message multiplies work (and
    /// duplicates side effects) by the batch size; on a stream it blocks the shard until the
    /// record expires.
    ///
    /// ## Example
    /// ```yaml
    /// Jobs:
    ///   Type: SQS
    ///   Properties:
    ///     Queue: !GetAtt Jobs.Arn
    ///     BatchSize: 10
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
    /// and return `batchItemFailures` with the ids of the failed records from the handler.
    ///
    /// ## Known limitations
    /// slint does not check that the handler actually returns `batchItemFailures`.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting>
    pub struct BatchWithoutPartialFailure {
        code: "SL302",
        name: "batch-without-partial-failure",
        category: Queues,
        severity: Warning,
    }
}

impl Rule for BatchWithoutPartialFailure {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for event in &template.events {
            let supported = matches!(event.kind, EventKind::Sqs | EventKind::Kinesis | EventKind::DynamoDb);
            if !supported || !event.is_mapping(template) || event.is_disabled(template) {
                continue;
            }
            let batch = match event.property(template, "BatchSize") {
                Some(node) => template.resolve_scalar(node).and_then(|n| n.as_i64()),
                None => event.kind.default_batch_size(),
            };
            if batch.is_none_or(|b| b <= 1) {
                continue;
            }
            let reports_items = event
                .property(template, "FunctionResponseTypes")
                .is_some_and(|types| types.items().any(|t| t.as_str() == Some("ReportBatchItemFailures")));
            if reports_items {
                continue;
            }
            let unit = if event.kind == EventKind::Sqs { "messages" } else { "records" };
            let finding = cx
                .report(
                    event.site(template),
                    format!(
                        "{} retries the whole batch of up to {} {unit} when one of them fails",
                        event.describe(template),
                        batch.unwrap_or(0)
                    ),
                )
                .help("add `FunctionResponseTypes: [ReportBatchItemFailures]` and return the failed items' ids from the handler");
            if let Some(f) = event.function {
                finding.resource(template.functions[f].id.0.clone());
            }
        }
    }
}
