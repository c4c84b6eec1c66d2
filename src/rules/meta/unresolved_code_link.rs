use crate::diagnostic::Site;
use crate::project::Project;
use crate::rules::{Context, Rule, declare_rule};
use crate::source::{Coverage, ProblemKind};

declare_rule! {
    /// ## What it does
    /// Reports code slint could not follow: a Rust function whose `CodeUri` has no
    /// `Cargo.toml`, a `BuildProperties.Binary` no bin target provides, a package with several
    /// bins and none named, a `mod` whose file is missing, a file nested too deeply to analyse,
    /// and a Lambda binary whose per-request code it could not determine: a runtime start
    /// (`lambda_runtime::run`, `axum::serve`, ..) whose argument leads to no function or
    /// closure of the workspace, a bin of a Lambda crate with no runtime start and no handler
    /// signature, or a bin a template deploys in which slint recognised neither (a `main`
    /// written by another crate's macro). The summary line counts these binaries too.
    ///
    /// It also reports a file slint did not read on purpose: one outside the folders it was
    /// given (a `CodeUri`, a path dependency, a workspace member, a `#[path]` module, a symlink
    /// leading out), or one that is not a regular file (a FIFO named `template.yaml` or
    /// `Cargo.toml`). Those are never opened, and a path outside as written not even `stat`ed.
    ///
    /// ## Why is this bad?
    /// The rules over Rust code are blind to what slint cannot link or read, so a clean run
    /// would mean less than it seems. Usually the template and the crate have drifted apart
    /// (a renamed binary, a moved crate), which breaks `sam build` too.
    ///
    /// ## Example
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Serverless::Function
    ///   Metadata:
    ///     BuildMethod: rust-cargolambda
    ///     BuildProperties: { Binary: order }   # the bin target is `orders`
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    ///     BuildProperties: { Binary: orders }
    /// ```
    /// or, when the template cannot say, map the function in `slint.toml`:
    /// `[functions.Orders] crate = "services/orders", bin = "orders"`.
    pub struct UnresolvedCodeLink {
        code: "SL005",
        name: "unresolved-code-link",
        category: Meta,
        severity: Info,
    }
}

impl Rule for UnresolvedCodeLink {
    fn check_project(&self, project: &Project, cx: &mut Context<'_>) {
        for link in &project.links {
            let Err(reason) = &link.binary else { continue };
            let template = &project.templates[link.template];
            let function = &template.functions[link.function];
            let site = match link.code.node {
                Some(node) => template.site(node),
                None => template.resource_site(function.resource(template)),
            };
            cx.report(site, format!("slint cannot find the code of function `{}`: {reason}", function.id))
                .resource(function.id.0.clone())
                .help("point `CodeUri`/`BuildProperties.Binary` at the crate and bin target, or map the function in slint.toml (`[functions.<id>] crate = \"..\", bin = \"..\"`)");
        }
        for link in &project.links {
            let Ok(binary) = &link.binary else { continue };
            let binary = &project.source.binaries[*binary];
            // A Lambda crate's binary without a runtime start, and a runtime start whose handlers
            // were not found, are reported in the code already (one finding per cause).
            if binary.coverage != Coverage::NotLambda {
                continue;
            }
            let template = &project.templates[link.template];
            let function = &template.functions[link.function];
            let site = match link.code.node {
                Some(node) => template.site(node),
                None => template.resource_site(function.resource(template)),
            };
            cx.report(
                site,
                format!(
                    "slint found no Lambda runtime start and no handler in bin `{}`, which function `{}` deploys, \
                     so its invoke path was not analysed",
                    binary.name, function.id
                ),
            )
            .resource(function.id.0.clone())
            .help("slint walks the bin's `main`; one written by a macro of another crate (or a procedural macro) is not expanded. Review the handlers by hand, then suppress this with a reason");
        }
        for problem in project.source.problems.iter().filter(|p| p.kind == ProblemKind::Info) {
            cx.report(Site::new(problem.file, problem.span), problem.message.clone());
        }
        for skipped in &project.not_read {
            cx.report(Site::new(skipped.file, crate::span::Span::at(0)), skipped.message.clone());
        }
    }
}
