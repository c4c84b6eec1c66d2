use crate::model::Template;
use crate::model::events::{EventKind, EventSource, Trigger};
use crate::rules::{Context, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a function invoked asynchronously (SQS, SNS, EventBridge, S3, IoT, CloudWatch
    /// Logs, or an API route that sets `X-Amz-Invocation-Type: 'Event'`) that has neither
    /// `ReservedConcurrentExecutions` nor, for SQS, `ScalingConfig.MaximumConcurrency` on its
    /// event sources.
    ///
    /// ## Why is this bad?
    /// Nobody waits for an asynchronous invocation, so nothing slows the producer down: a
    /// burst of messages or events makes Lambda scale the function until the account's
    /// concurrency quota is exhausted. Every other function in the account is then
    /// throttled, including the synchronous APIs users wait on, and the downstream systems
    /// the consumer writes to (databases, third-party APIs) are flooded.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Events:
    ///       Uploads:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     ReservedConcurrentExecutions: 20
    ///     Events:
    ///       Uploads:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// ## Known limitations
    /// Stream sources (Kinesis, DynamoDB, MSK, Kafka, DocumentDB), Amazon MQ and schedules are
    /// not counted: their concurrency is bounded by shards, partitions, the broker's consumers
    /// or the schedule.
    /// Functions invoked asynchronously from code (`lambda:InvokeFunction` with
    /// `InvocationType: Event`) are not seen.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html>
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html>
    pub struct UncappedAsyncConsumer {
        code: "SL101",
        name: "uncapped-async-consumer",
        category: Concurrency,
        severity: Warning,
    }
}

impl Rule for UncappedAsyncConsumer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for function in &template.functions {
            if function.reserved_concurrency.is_set() {
                continue;
            }
            let uncapped: Vec<&EventSource> = function
                .events
                .iter()
                .map(|&i| &template.events[i])
                .filter(|event| scales_with_load(event) && !capped_by_source(event, template))
                .collect();
            let Some(first) = uncapped.first() else { continue };
            let resource = function.resource(template);
            let finding = cx
                .report(
                    template.resource_site(resource),
                    format!(
                        "function `{}` is invoked asynchronously by {} and has no concurrency cap",
                        function.id,
                        first.describe(template)
                    ),
                )
                .help(
                    "set `ReservedConcurrentExecutions` on the function (or `ScalingConfig.MaximumConcurrency` \
                     on its SQS event sources) so a burst cannot take the account's whole concurrency",
                );
            for event in uncapped {
                finding.related(template.file, event.key_span, format!("invoked by {}", event.describe(template)));
            }
        }
    }
}

/// Asynchronous invocations whose concurrency grows with the incoming load.
fn scales_with_load(event: &EventSource) -> bool {
    event.trigger == Trigger::Async
        && !event.kind.is_stream()
        && !matches!(
            event.kind,
            EventKind::Schedule | EventKind::Msk | EventKind::SelfManagedKafka | EventKind::DocumentDb | EventKind::Mq
        )
}

/// An SQS event source with `ScalingConfig.MaximumConcurrency` caps its own share.
fn capped_by_source(event: &EventSource, template: &Template) -> bool {
    event.kind == EventKind::Sqs
        && event.property(template, "ScalingConfig").and_then(|s| s.get("MaximumConcurrency")).is_some()
}
