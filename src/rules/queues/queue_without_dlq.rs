use crate::model::Template;
use crate::model::events::EventKind;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an SQS queue consumed in the template (by a function's event source or an
    /// EventBridge pipe) that has no `RedrivePolicy` (no dead-letter queue). A dead-letter
    /// queue that nothing in the template consumes needs none; one that a function or pipe
    /// consumes does, like any other consumed queue.
    ///
    /// ## Why is this bad?
    /// A message the consumer cannot process returns to the queue after each visibility
    /// timeout and is retried until it expires (4 days by default): poison messages keep
    /// invoking the function, consume concurrency, hide among healthy traffic, and are
    /// finally lost without a trace. The same holds for a dead-letter queue that a function
    /// drains (to alert or redrive): a message that function fails on loops until it expires.
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
    /// ## Known limitations
    /// A queue consumed only from another stack, or by code polling `ReceiveMessage`, is not
    /// checked.
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
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for queue in template.queues.iter().filter(|q| q.redrive_policy.is_none()) {
            let consumers: Vec<_> = template
                .events
                .iter()
                .filter(|e| e.kind == EventKind::Sqs && e.source.as_deref() == Some(queue.id.as_str()))
                .filter(|e| e.is_mapping(template))
                .collect();
            let consumer = match (consumers.first(), queue.pipes.first()) {
                (Some(first), _) => match first.function {
                    Some(f) => format!("function `{}`", template.functions[f].id),
                    None => first.describe(template),
                },
                (None, Some(&pipe)) => format!("the pipe `{}`", template.resources[pipe].id),
                (None, None) => continue,
            };
            let role = if queue.is_dead_letter_queue { "dead-letter queue" } else { "queue" };
            let finding = cx
                .report(
                    template.resource_site(&template.resources[queue.resource]),
                    format!("{role} `{}` is consumed by {consumer} but has no dead-letter queue", queue.id),
                )
                .help("add `RedrivePolicy: { deadLetterTargetArn: !GetAtt <Dlq>.Arn, maxReceiveCount: 5 }` so failing messages are set aside");
            for event in consumers {
                finding.related(template.file, event.key_span, format!("consumed by {}", event.describe(template)));
            }
            for &pipe in &queue.pipes {
                let pipe = &template.resources[pipe];
                finding.related(template.file, pipe.id_span, format!("consumed by the pipe `{}`", pipe.id));
            }
        }
    }
}
