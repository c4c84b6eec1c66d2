use crate::model::Template;
use crate::model::events::EventSource;
use crate::model::template::Setting;
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Kinesis or DynamoDB stream event source (a SAM `Kinesis`/`DynamoDB` event or an
    /// `AWS::Lambda::EventSourceMapping` reading a stream) without
    /// `DestinationConfig.OnFailure`, and one that has a destination but neither
    /// `MaximumRetryAttempts`, `MaximumRecordAgeInSeconds` nor `BisectBatchOnFunctionError`,
    /// so that it retries a failing batch until its records expire before anything reaches the
    /// destination.
    ///
    /// ## Why is this bad?
    /// Lambda reads a shard in order and retries a failing batch until it succeeds or its
    /// records expire (24 hours to 365 days). One poison record stops the shard: everything
    /// behind it waits, the iterator age grows, and when the record expires it is dropped
    /// with the rest of its batch. An on-failure destination keeps the record's metadata, and a
    /// retry limit (or splitting the batch) lets the shard move on.
    ///
    /// ## Example
    /// ```yaml
    /// Clicks:
    ///   Type: Kinesis
    ///   Properties:
    ///     Stream: !GetAtt ClickStream.Arn
    ///     StartingPosition: LATEST
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Clicks:
    ///   Type: Kinesis
    ///   Properties:
    ///     Stream: !GetAtt ClickStream.Arn
    ///     StartingPosition: LATEST
    ///     MaximumRetryAttempts: 3
    ///     BisectBatchOnFunctionError: true
    ///     DestinationConfig:
    ///       OnFailure: { Type: SQS, Destination: !GetAtt FailedClicks.Arn }
    /// ```
    ///
    /// ## Known limitations
    /// Kafka, Amazon MQ and DocumentDB sources are not checked. A `MaximumRetryAttempts` or
    /// `MaximumRecordAgeInSeconds` slint cannot evaluate (a parameter without default) counts
    /// as a limit; `-1` (unbounded) does not.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-errors>
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-errors>
    pub struct StreamWithoutFailureDestination {
        code: "SL306",
        name: "stream-without-failure-destination",
        category: Queues,
        severity: Warning,
    }
}

impl Rule for StreamWithoutFailureDestination {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for event in &template.events {
            if !event.kind.is_stream() || !event.is_mapping(template) || event.is_disabled(template) {
                continue;
            }
            let destination = event.property(template, "DestinationConfig").and_then(|d| d.get("OnFailure"));
            match destination {
                None => report_missing(template, event, cx),
                Some(node) if !bounds_retries(template, event) => report_unbounded(template, event, node, cx),
                Some(_) => {}
            }
        }
    }
}

fn report_missing(template: &Template, event: &EventSource, cx: &mut Context<'_>) {
    let finding = cx
        .report(
            event.site(template),
            format!(
                "{} has no on-failure destination: a record that keeps failing blocks its shard until it expires, \
                 then is dropped",
                event.describe(template)
            ),
        )
        .help(
            "add `DestinationConfig: { OnFailure: { Destination: <queue or topic arn> } }` with \
             `MaximumRetryAttempts` or `BisectBatchOnFunctionError: true`",
        );
    if let Some(f) = event.function {
        finding.resource(template.functions[f].id.0.clone());
    }
}

fn report_unbounded(template: &Template, event: &EventSource, destination: NodeRef<'_>, cx: &mut Context<'_>) {
    let finding = cx
        .report(
            event.site(template),
            format!(
                "{} retries a failing batch until its records expire: its on-failure destination only receives \
                 them after the shard has been blocked",
                event.describe(template)
            ),
        )
        .related(template.file, destination.span(), "the on-failure destination")
        .help("set `MaximumRetryAttempts` (or `MaximumRecordAgeInSeconds`, or `BisectBatchOnFunctionError: true`)");
    if let Some(f) = event.function {
        finding.resource(template.functions[f].id.0.clone());
    }
}

/// The event source limits how long a failing batch is retried, or splits it. `-1` is
/// Lambda's "unbounded"; a value slint cannot evaluate is taken as a limit.
fn bounds_retries(template: &Template, event: &EventSource) -> bool {
    let bounded = |key: &str| match template.int_setting(event.property(template, key), None) {
        Setting::Set(v, _) => v >= 0,
        Setting::Unknown(_) => true,
        Setting::Unset | Setting::Default(_) => false,
    };
    bounded("MaximumRetryAttempts")
        || bounded("MaximumRecordAgeInSeconds")
        || event.property(template, "BisectBatchOnFunctionError").and_then(|b| b.as_bool()) == Some(true)
}
