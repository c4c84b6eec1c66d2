use crate::model::Template;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `Fn::ForEach` loop of the `AWS::LanguageExtensions` transform that slint
    /// could not expand, so the resources it generates are not analysed. slint expands a loop
    /// whose collection is a literal list or a parameter with a default (a list or a
    /// comma-delimited string), nested loops included; it cannot evaluate a collection built
    /// with `Fn::FindInMap`, `Fn::GetAZs`, `Fn::Split` or an import.
    ///
    /// ## Why is this bad?
    /// The template is valid, and CloudFormation deploys every resource the loop generates,
    /// but slint sees none of them: a clean run says nothing about them. The finding is
    /// information, not a defect in the template.
    ///
    /// ## Example
    /// ```yaml
    /// Transform: AWS::LanguageExtensions
    /// Resources:
    ///   Fn::ForEach::Queues:
    ///     - Name
    ///     - !FindInMap [Queues, !Ref Env, Names]
    ///     - ${Name}Queue:
    ///         Type: AWS::SQS::Queue
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # a list known when the template is written
    /// Parameters:
    ///   QueueNames: { Type: CommaDelimitedList, Default: "Orders,Refunds" }
    /// Resources:
    ///   Fn::ForEach::Queues:
    ///     - Name
    ///     - !Ref QueueNames
    ///     - ${Name}Queue:
    ///         Type: AWS::SQS::Queue
    /// ```
    ///
    /// ## Known limitations
    /// Only loops under `Resources` are expanded; loops inside a resource's `Properties` or
    /// under `Outputs` are left as written. A parameter's default stands for the value a
    /// deployment passes.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html>
    pub struct UnexpandedLoop {
        code: "SL006",
        name: "unexpanded-loop",
        category: Meta,
        severity: Info,
    }
}

impl Rule for UnexpandedLoop {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        for unexpanded in &template.unexpanded {
            cx.report(
                template.site_at(unexpanded.span, unexpanded.node),
                format!("this `Fn::ForEach` loop is not analysed: {}", unexpanded.reason),
            )
            .help("use a literal list or a parameter with a default as the collection, or check the generated resources yourself");
        }
    }
}
