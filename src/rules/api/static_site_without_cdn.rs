use crate::model::Template;
use crate::model::intrinsics::references_within;
use crate::model::template::ResourceKind;
use crate::rules::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an S3 bucket configured as a website (`WebsiteConfiguration`) that no
    /// `AWS::CloudFront::Distribution` of the template uses as an origin.
    ///
    /// ## Why is this bad?
    /// S3 website endpoints serve over HTTP only, from one region, with no edge cache: every
    /// visitor's request travels to the bucket, and a traffic spike turns into S3 request
    /// costs and throttling (`503 Slow Down`) instead of cache hits at the edge.
    ///
    /// ## Example
    /// ```yaml
    /// Site:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     WebsiteConfiguration: { IndexDocument: index.html }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Site:
    ///   Type: AWS::S3::Bucket
    /// Cdn:
    ///   Type: AWS::CloudFront::Distribution
    ///   Properties:
    ///     DistributionConfig:
    ///       Enabled: true
    ///       DefaultRootObject: index.html
    ///       Origins:
    ///         - Id: site
    ///           DomainName: !GetAtt Site.RegionalDomainName
    ///           S3OriginConfig: {}
    ///       DefaultCacheBehavior: { TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https }
    /// ```
    ///
    /// ## Known limitations
    /// A distribution defined in another template is not seen.
    pub struct StaticSiteWithoutCdn {
        code: "SL205",
        name: "static-site-without-cdn",
        category: Api,
        severity: Info,
    }
}

impl Rule for StaticSiteWithoutCdn {
    fn check_template(&self, template: &Template, cx: &mut Context<'_>) {
        let mut fronted = Vec::new();
        for resource in template.resources.iter().filter(|r| r.kind == ResourceKind::CloudFrontDistribution) {
            if let Some(config) = template.property(resource, "DistributionConfig") {
                references_within(config, &mut fronted);
            }
        }
        for resource in template.resources.iter().filter(|r| r.kind == ResourceKind::S3Bucket) {
            let Some(website) = template.properties(resource).and_then(|p| p.entry("WebsiteConfiguration")) else {
                continue;
            };
            if fronted.contains(&resource.id.as_str()) {
                continue;
            }
            cx.report(
                template.site_at(website.key_span, website.value),
                format!("bucket `{}` serves a website with no CloudFront distribution in front of it", resource.id),
            )
            .resource(resource.id.0.clone())
            .help("serve the site through a CloudFront distribution with the bucket as its origin (and an origin access control)");
        }
    }
}
