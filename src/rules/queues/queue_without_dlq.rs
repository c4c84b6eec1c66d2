use crate::model::Template;
use crate::model::events::EventKind;
use crate::rules::{Context, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an SQS queue consumed by a function of the template that has no `RedrivePolicy`
    /// (no dead-letter queue). A queue that is itself some resource's dead-letter queue is
    /// exempt.
    ///
    /// ## Why is this bad?
    /// A message the consumer cannot process returns to the queue after each visibility
    /// timeout and is retried until it expires (4 days by default): poison messages keep
    /// invoking the function, consume concurrency, hide among healthy traffic, and are
    /// finally lost without a trace.
    ///
    /// ## Example
    /// ```yaml
    /// Jobs:
    ///   Type: AWS::SQS::Queue
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Jobs:
    ///   Type: AWS::SQS::Queue
    ///   Properties:
    ///     RedrivePolicy:
    ///       deadLetterTargetArn: !GetAtt JobsDlq.Arn
    ///       maxReceiveCount: 5
    /// JobsDlq:
    ///   Type: AWS::SQS::Queue
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html>
    pub struct QueueWithoutDlq {
        code: "SL303",
        name: "queue-without-dlq",
        category: Queues,
        severity: Warning,
    }
}

impl Rule for QueueWithoutDlq {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for queue in &template.queues {
            if queue.redrive_policy.is_some() || queue.is_dead_letter_queue {
                continue;
            }
            let consumers: Vec<_> = template
                .events
                .iter()
                .filter(|e| e.kind == EventKind::Sqs && e.source.as_deref() == Some(queue.id.as_str()))
                .filter(|e| e.is_mapping(template))
                .collect();
            let Some(first) = consumers.first() else { continue };
            let consumer = match first.function {
                Some(f) => format!("function `{}`", template.functions[f].id),
                None => first.describe(template),
            };
            let finding = cx
                .report(
                    template.resource_site(&template.resources[queue.resource]),
                    format!("queue `{}` is consumed by {consumer} but has no dead-letter queue", queue.id),
                )
                .help("add `RedrivePolicy: { deadLetterTargetArn: !GetAtt <Dlq>.Arn, maxReceiveCount: 5 }` so failing messages are set aside");
            for event in consumers {
                finding.related(template.file, event.key_span, format!("consumed by {}", event.describe(template)));
            }
        }
    }
}
