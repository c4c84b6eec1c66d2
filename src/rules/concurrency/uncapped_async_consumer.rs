use crate::model::Template;
use crate::model::events::{EventKind, EventSource, Trigger};
use crate::model::function::Function;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a function invoked asynchronously (SQS, SNS, EventBridge, S3, IoT, CloudWatch
    /// Logs, or an API route that sets `X-Amz-Invocation-Type: 'Event'`) that has neither
    /// `ReservedConcurrentExecutions` nor, for SQS, `ScalingConfig.MaximumConcurrency` on its
    /// event sources. An uncapped SQS event source is reported once, at the event source, with
    /// both fixes (SL102 then stays silent about it); the other asynchronous triggers are
    /// reported together at the function.
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
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for function in &template.functions {
            if function.reserved_concurrency.is_set() {
                continue;
            }
            let uncapped = function
                .events
                .iter()
                .map(|&i| &template.events[i])
                .filter(|event| scales_with_load(event) && !capped_by_source(event, template));
            let (sqs, others): (Vec<&EventSource>, Vec<&EventSource>) =
                uncapped.partition(|event| is_sqs_mapping(event, template));
            for event in sqs {
                report_sqs_source(template, function, event, cx);
            }
            let Some(first) = others.first() else { continue };
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
                    "set `ReservedConcurrentExecutions` on the function so a burst cannot take the account's \
                     whole concurrency",
                );
            for event in others {
                finding.related(template.file, event.key_span, format!("invoked by {}", event.describe(template)));
            }
        }
    }
}

/// An SQS event source of an uncapped function: one finding at the source with both fixes
/// (the function-wide one, and the source's own `MaximumConcurrency`, which SL102 would
/// otherwise ask for at the same place).
fn report_sqs_source(template: &Template, function: &Function, event: &EventSource, cx: &mut Context<'_>) {
    cx.report(
        event.site(template),
        format!(
            "{} of function `{}` has no `ScalingConfig.MaximumConcurrency` and the function no reserved \
             concurrency, so the queue's pollers can scale it without limit",
            event.describe(template),
            function.id
        ),
    )
    .resource(function.id.0.clone())
    .related(template.file, function.resource(template).id_span, format!("function `{}`", function.id))
    .help(
        "set `ScalingConfig: { MaximumConcurrency: N }` on the event source (it stops the pollers themselves), \
         or `ReservedConcurrentExecutions` on the function",
    );
}

/// An SQS event source Lambda polls (a SAM event or an event source mapping), where
/// `MaximumConcurrency` can be set.
fn is_sqs_mapping(event: &EventSource, template: &Template) -> bool {
    event.kind == EventKind::Sqs && event.is_mapping(template) && !event.is_disabled(template)
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
