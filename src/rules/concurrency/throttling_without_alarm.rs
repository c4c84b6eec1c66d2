use crate::files::FileId;
use crate::model::Template;
use crate::model::events::EventKind;
use crate::model::function::Function;
use crate::model::intrinsics::direct_reference;
use crate::model::template::Setting;
use crate::model::tree::{NodeId, NodeRef};
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a function that is designed to be throttled (it sets
    /// `ReservedConcurrentExecutions`, or one of its SQS event sources sets
    /// `ScalingConfig.MaximumConcurrency`) when no `AWS::CloudWatch::Alarm` in the run's
    /// templates watches its throttling: an alarm on the `Throttles` metric with its
    /// `FunctionName` dimension, or an account-wide alarm on `Throttles` or
    /// `ConcurrentExecutions` (no `FunctionName` dimension).
    ///
    /// ## Why is this bad?
    /// A concurrency cap is a decision to throttle under load. Whether it was the right number
    /// shows only when the load comes: throttled synchronous callers get 429s, throttled
    /// asynchronous events pile up and age. A team that watches its concurrency metrics learns
    /// that a limit is hit while it can still raise it; one that does not learns it from its
    /// users.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     ReservedConcurrentExecutions: 20
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     ReservedConcurrentExecutions: 20
    /// WorkerThrottles:
    ///   Type: AWS::CloudWatch::Alarm
    ///   Properties:
    ///     Namespace: AWS/Lambda
    ///     MetricName: Throttles
    ///     Dimensions: [{ Name: FunctionName, Value: !Ref Worker }]
    ///     Statistic: Sum
    ///     Period: 60
    ///     EvaluationPeriods: 1
    ///     Threshold: 1
    ///     ComparisonOperator: GreaterThanOrEqualToThreshold
    /// ```
    ///
    /// ## Known limitations
    /// Alarms created outside the run's templates (another stack, the console, a monitoring
    /// vendor) are not seen; suppress the finding when you have one. An account-wide alarm
    /// counts for every function of the run, whatever account it deploys to.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html>
    pub struct ThrottlingWithoutAlarm {
        code: "SL106",
        name: "throttling-without-alarm",
        category: Concurrency,
        severity: Info,
    }
}

impl Rule for ThrottlingWithoutAlarm {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        let alarms: Vec<Watch> = project.templates.iter().flat_map(watches).collect();
        if alarms.iter().any(|w| w.target == Target::Account) {
            return;
        }
        for template in &project.templates {
            for function in &template.functions {
                let Some((cap, what)) = cap(template, function) else { continue };
                if alarms.iter().any(|w| w.covers(template, function)) {
                    continue;
                }
                cx.report(
                    template.site(cap),
                    format!(
                        "function `{}` is throttled by design ({what}) but no CloudWatch alarm watches its \
                         `Throttles` or the account's `ConcurrentExecutions`",
                        function.id
                    ),
                )
                .resource(function.id.0.clone())
                .help(
                    "add an `AWS::CloudWatch::Alarm` on `AWS/Lambda` `Throttles` with `Dimensions: [{ Name: FunctionName, \
                     Value: !Ref <function> }]`, or on the account's `ConcurrentExecutions`",
                );
            }
        }
    }
}

/// The node that caps the function, and how it is described.
fn cap(template: &Template, function: &Function) -> Option<(NodeId, &'static str)> {
    match function.reserved_concurrency {
        Setting::Set(n, node) if n > 0 => return Some((node, "`ReservedConcurrentExecutions`")),
        Setting::Unknown(node) => return Some((node, "`ReservedConcurrentExecutions`")),
        _ => {}
    }
    function.events.iter().map(|&e| &template.events[e]).find_map(|event| {
        let max = event.property(template, "ScalingConfig")?.get("MaximumConcurrency")?;
        (event.kind == EventKind::Sqs && !event.is_disabled(template))
            .then_some((max.id, "its SQS source's `MaximumConcurrency`"))
    })
}

/// What one alarm watches.
struct Watch {
    target: Target,
    /// The alarm's template: a reference names a function of that template only.
    file: FileId,
}

#[derive(PartialEq, Eq)]
enum Target {
    /// `ConcurrentExecutions` or `Throttles` without a `FunctionName` dimension.
    Account,
    /// A function of the alarm's template, by logical id.
    Reference(String),
    /// A function by its literal `FunctionName`.
    Name(String),
}

impl Watch {
    fn covers(&self, template: &Template, function: &Function) -> bool {
        match &self.target {
            Target::Account => true,
            Target::Reference(id) => template.file == self.file && *id == function.id.0,
            Target::Name(name) => {
                let own = template.property(function.resource(template), "FunctionName").and_then(|n| n.as_str());
                own == Some(name.as_str())
            }
        }
    }
}

/// The throttling watches of a template's alarms: a `Throttles` metric (per function or
/// account-wide) or an account-wide `ConcurrentExecutions`.
fn watches(template: &Template) -> Vec<Watch> {
    let mut out = Vec::new();
    let alarms = template.resources.iter().filter(|r| r.type_name == "AWS::CloudWatch::Alarm");
    for props in alarms.filter_map(|r| template.properties(r)) {
        for metric in metrics(props) {
            let name = metric.get("MetricName").and_then(|n| n.as_str());
            let target = target_of(function_dimension(metric));
            let watched = match name {
                Some("Throttles") => true,
                Some("ConcurrentExecutions") => target == Target::Account,
                _ => false,
            };
            if watched {
                out.push(Watch { target, file: template.file });
            }
        }
    }
    out
}

/// The metrics of an alarm: its own `MetricName`/`Dimensions`, or the `MetricStat`s of its
/// metric math.
fn metrics(props: NodeRef<'_>) -> Vec<NodeRef<'_>> {
    let mut out = vec![props];
    for item in props.get("Metrics").into_iter().flat_map(|m| m.items()) {
        if let Some(metric) = item.at(&["MetricStat", "Metric"]) {
            out.push(metric);
        }
    }
    out
}

fn function_dimension(metric: NodeRef<'_>) -> Option<NodeRef<'_>> {
    metric.get("Dimensions")?.items().find_map(|d| {
        (d.get("Name").and_then(|n| n.as_str()) == Some("FunctionName")).then(|| d.get("Value")).flatten()
    })
}

fn target_of(value: Option<NodeRef<'_>>) -> Target {
    match value {
        None => Target::Account,
        Some(v) => match direct_reference(v) {
            Some(id) => Target::Reference(id.to_string()),
            None => Target::Name(v.as_str().unwrap_or("").to_string()),
        },
    }
}
