use crate::model::Template;
use crate::model::events::{EventKind, Origin};
use crate::model::template::ResourceKind;
use crate::model::tree::NodeRef;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an EventBridge rule target without `DeadLetterConfig.Arn` and an SNS subscription
    /// without `RedrivePolicy`: an `AWS::Events::Rule` target, an `AWS::SNS::Subscription`, a
    /// subscription written inline in an `AWS::SNS::Topic`, and the SAM events that create
    /// them (`EventBridgeRule`, `CloudWatchEvent`, `Schedule`, `ScheduleV2` and `SNS` events
    /// without `DeadLetterConfig` or `RedrivePolicy`).
    ///
    /// ## Why is this bad?
    /// EventBridge and SNS retry a delivery that fails (the target is throttled, deleted, or
    /// denies access) for up to 24 hours or a few hundred attempts, and then discard the event.
    /// Without a dead-letter queue nothing keeps it and nothing tells you: a throttled consumer
    /// during a peak silently loses the events that caused the peak. The dead-letter queue
    /// keeps them for inspection and replay.
    ///
    /// ## Example
    /// ```yaml
    /// OrderEvents:
    ///   Type: AWS::Events::Rule
    ///   Properties:
    ///     EventPattern: { source: [orders] }
    ///     Targets:
    ///       - Id: auditor
    ///         Arn: !GetAtt Auditor.Arn
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// OrderEvents:
    ///   Type: AWS::Events::Rule
    ///   Properties:
    ///     EventPattern: { source: [orders] }
    ///     Targets:
    ///       - Id: auditor
    ///         Arn: !GetAtt Auditor.Arn
    ///         DeadLetterConfig: { Arn: !GetAtt AuditorDlq.Arn }
    /// ```
    ///
    /// ## Known limitations
    /// An inline subscription of `AWS::SNS::Topic` cannot take a redrive policy: the fix is an
    /// `AWS::SNS::Subscription`. `AWS::Scheduler::Schedule` resources and EventBridge Pipes
    /// are not checked. A Lambda target's own asynchronous failures are SL305's.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html>
    /// - <https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html>
    pub struct TargetWithoutDlq {
        code: "SL307",
        name: "target-without-dlq",
        category: Queues,
        severity: Warning,
    }
}

const RULE_HELP: &str = "add `DeadLetterConfig: { Arn: <queue arn> }` to the target so undeliverable events are kept";
const SNS_HELP: &str =
    "add `RedrivePolicy: { deadLetterTargetArn: <queue arn> }` to the subscription so undeliverable messages are kept";

impl Rule for TargetWithoutDlq {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        check_sam_events(template, cx);
        for resource in &template.resources {
            let Some(props) = template.properties(resource) else { continue };
            match resource.kind {
                ResourceKind::EventsRule => {
                    for target in props.get("Targets").into_iter().flat_map(|t| t.items()) {
                        if !has(target, &["DeadLetterConfig", "Arn"]) {
                            let id = target.get("Id").and_then(|i| i.as_str()).unwrap_or("?");
                            cx.report(
                                template.site(target.id),
                                format!(
                                    "target `{id}` of EventBridge rule `{}` has no dead-letter queue: events it \
                                     cannot deliver after its retries are lost",
                                    resource.id
                                ),
                            )
                            .resource(resource.id.0.clone())
                            .help(RULE_HELP);
                        }
                    }
                }
                ResourceKind::SnsSubscription if !has(props, &["RedrivePolicy"]) => {
                    cx.report(
                        template.resource_site(resource),
                        format!(
                            "SNS subscription `{}` has no dead-letter queue: messages it cannot deliver after \
                             its retries are lost",
                            resource.id
                        ),
                    )
                    .help(SNS_HELP);
                }
                ResourceKind::SnsTopic => {
                    for subscription in props.get("Subscription").into_iter().flat_map(|s| s.items()) {
                        cx.report(
                            template.site(subscription.id),
                            format!(
                                "an inline subscription of SNS topic `{}` cannot have a dead-letter queue: \
                                 messages it cannot deliver after its retries are lost",
                                resource.id
                            ),
                        )
                        .resource(resource.id.0.clone())
                        .help("declare it as an `AWS::SNS::Subscription` with a `RedrivePolicy`");
                    }
                }
                _ => {}
            }
        }
    }
}

/// SAM events that create a rule target or a subscription.
fn check_sam_events(template: &Template, cx: &mut Context<'_>) {
    for event in &template.events {
        if !matches!(event.origin, Origin::SamEvent { .. }) || event.is_disabled(template) {
            continue;
        }
        let (key, help) = match event.kind {
            EventKind::EventBridge | EventKind::Schedule => ("DeadLetterConfig", RULE_HELP),
            EventKind::Sns => ("RedrivePolicy", SNS_HELP),
            _ => continue,
        };
        if event.property(template, key).is_some_and(|n| !n.is_null()) {
            continue;
        }
        let what = if event.kind == EventKind::Sns { "messages" } else { "events" };
        let finding = cx
            .report(
                event.site(template),
                format!(
                    "{} has no dead-letter queue (`{key}`): {what} it cannot deliver after its retries are lost",
                    event.describe(template)
                ),
            )
            .help(help);
        if let Some(f) = event.function {
            finding.resource(template.functions[f].id.0.clone());
        }
    }
}

/// Whether the path is set (and not null) under `node`.
fn has(node: NodeRef<'_>, path: &[&str]) -> bool {
    node.at(path).is_some_and(|n| !n.is_null())
}
