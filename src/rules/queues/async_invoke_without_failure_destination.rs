use crate::model::Template;
use crate::model::events::{EventKind, EventSource, Trigger};
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a function invoked asynchronously (by S3, SNS, EventBridge, a schedule, IoT,
    /// CloudWatch Logs, or an API route that sets `X-Amz-Invocation-Type: 'Event'`) that has
    /// neither an on-failure destination (`EventInvokeConfig.DestinationConfig.OnFailure` in
    /// SAM, an `AWS::Lambda::EventInvokeConfig` resource) nor a dead-letter queue
    /// (`DeadLetterQueue` in SAM, `DeadLetterConfig.TargetArn`), on itself or in `Globals`.
    ///
    /// ## Why is this bad?
    /// Lambda queues an asynchronous event internally, retries it twice when the function
    /// fails (or is throttled until the event is six hours old), and then drops it. Nothing
    /// records the loss: under load, when a downstream dependency fails or the function is
    /// throttled, the events of the outage are silently gone. A destination or dead-letter
    /// queue keeps them so they can be inspected and replayed, and lets the system fail
    /// independently of its consumers.
    ///
    /// ## Example
    /// ```yaml
    /// Thumbnailer:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Events:
    ///       Upload:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Thumbnailer:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     EventInvokeConfig:
    ///       DestinationConfig:
    ///         OnFailure: { Type: SQS, Destination: !GetAtt FailedUploads.Arn }
    ///     Events:
    ///       Upload:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// ## Known limitations
    /// Polled sources (SQS, streams) are not asynchronous invocations: their failures are
    /// SL303's and SL306's. An `AWS::Lambda::EventInvokeConfig` is matched to its function
    /// whatever its `Qualifier`, and one in another template is not seen. Functions invoked
    /// asynchronously from code (`InvocationType: Event`) are not seen.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html>
    pub struct AsyncInvokeWithoutFailureDestination {
        code: "SL305",
        name: "async-invoke-without-failure-destination",
        category: Queues,
        severity: Warning,
    }
}

impl Rule for AsyncInvokeWithoutFailureDestination {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for function in template.functions.iter().filter(|f| f.failure_destination.is_none()) {
            let invocations: Vec<&EventSource> = function
                .events
                .iter()
                .map(|&i| &template.events[i])
                .filter(|event| is_async_invocation(event) && !event.is_disabled(template))
                .collect();
            let Some(first) = invocations.first() else { continue };
            let finding = cx
                .report(
                    template.resource_site(function.resource(template)),
                    format!(
                        "function `{}` is invoked asynchronously by {} but has no on-failure destination or \
                         dead-letter queue: events that still fail after two retries are dropped",
                        function.id,
                        first.describe(template)
                    ),
                )
                .help(
                    "add `EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: SQS, Destination: <queue arn> } } }` \
                     (SAM) or an `AWS::Lambda::EventInvokeConfig`, or a `DeadLetterQueue`",
                );
            for event in invocations {
                finding.related(template.file, event.key_span, format!("invoked by {}", event.describe(template)));
            }
        }
    }
}

/// An event Lambda's asynchronous invocation queue delivers (pushed, nobody waits), as opposed
/// to a polled source or an unknown kind.
fn is_async_invocation(event: &EventSource) -> bool {
    event.trigger == Trigger::Async && !event.kind.is_polled() && event.kind != EventKind::Other
}
