use crate::model::Template;
use crate::model::events::EventKind;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an SQS event source (a SAM `SQS` event or an `AWS::Lambda::EventSourceMapping`
    /// reading a queue) without `ScalingConfig.MaximumConcurrency` whose function caps itself
    /// with `ReservedConcurrentExecutions` instead, or is not in the template. A source whose
    /// function has no cap at all is SL101's finding, at the same place, with both fixes.
    ///
    /// ## Why is this bad?
    /// Lambda adds pollers as a backlog grows, up to 1,250 concurrent invocations per queue.
    /// Without a maximum, one queue's backlog can starve the account's concurrency and
    /// overwhelm what the consumer writes to. Capping with `ReservedConcurrentExecutions`
    /// instead makes the pollers receive messages they cannot deliver: they are throttled,
    /// return to the queue and can end in the dead-letter queue. `MaximumConcurrency` stops
    /// the pollers themselves.
    ///
    /// ## Example
    /// ```yaml
    /// Events:
    ///   Jobs:
    ///     Type: SQS
    ///     Properties:
    ///       Queue: !GetAtt Jobs.Arn
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Events:
    ///   Jobs:
    ///     Type: SQS
    ///     Properties:
    ///       Queue: !GetAtt Jobs.Arn
    ///       ScalingConfig:
    ///         MaximumConcurrency: 10
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency>
    pub struct SqsConsumerWithoutMaxConcurrency {
        code: "SL102",
        name: "sqs-consumer-without-max-concurrency",
        category: Concurrency,
        severity: Warning,
    }
}

impl Rule for SqsConsumerWithoutMaxConcurrency {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for event in &template.events {
            if event.kind != EventKind::Sqs || !event.is_mapping(template) || event.is_disabled(template) {
                continue;
            }
            let capped = event.property(template, "ScalingConfig").and_then(|s| s.get("MaximumConcurrency")).is_some();
            if capped {
                continue;
            }
            let function = event.function.map(|f| &template.functions[f]);
            // An uncapped function's source is SL101's finding.
            if function.is_some_and(|f| !f.reserved_concurrency.is_set()) {
                continue;
            }
            let message = match function {
                Some(f) => format!(
                    "{} of function `{}` has no `ScalingConfig.MaximumConcurrency`; the function's reserved \
                     concurrency throttles the pollers' batches back to the queue instead",
                    event.describe(template),
                    f.id
                ),
                None => format!("{} has no `ScalingConfig.MaximumConcurrency`", event.describe(template)),
            };
            let finding = cx
                .report(event.site(template), message)
                .help("set `ScalingConfig: { MaximumConcurrency: N }` (2 to 1000, at most the reserved concurrency) to bound how many concurrent invocations the queue can drive");
            if let Some(f) = function {
                finding.resource(f.id.0.clone());
                if let Some(node) = f.reserved_concurrency.node() {
                    finding.related(template.file, template.node(node).span(), "the function's reserved concurrency");
                }
            }
        }
    }
}
