//! CDK apps, on the cloud assembly the CDK CLI wrote for `testdata/cdk-app/` (`npx cdk ls`,
//! committed with the app): findings at the TypeScript line with the generated template as a
//! related location, crate links, the assembly moved to another machine, and the same findings
//! as the SAM template of the same app (`testdata/cdk-app-sam/`).
//!
//! The TypeScript lines need the `typescript` feature (on by default).
//!
//! `SLINT_BLESS=1 cargo test --test cdk` rewrites `testdata/cdk-app.report` (findings with their
//! related locations, so not an `.expected` file of the fixture runner); review the diff.

#![cfg(feature = "typescript")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use slint::settings::Settings;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Every finding as `file:line:col: severity CODE message`, each related location indented
/// under it, paths relative to `cwd`.
fn report(app: &Path, cwd: &Path) -> (slint::Outcome, Vec<String>) {
    let outcome =
        slint::check(&[app.to_path_buf()], &Settings::new(cwd.to_path_buf(), slint::rules::registry::catalog()))
            .expect("the run succeeds");
    let mut lines = Vec::new();
    for f in &outcome.report.findings {
        let at = |file, span| {
            let file = outcome.project.db.get(file);
            let (start, _) = file.range(span);
            format!("{}:{}:{}", file.display, start.line, start.column)
        };
        lines.push(format!("{}: {} {} {}", at(f.file, f.span), f.severity, f.code, f.message));
        for related in &f.related {
            lines.push(format!("    related {}: {}", at(related.file, related.span), related.message));
        }
    }
    (outcome, lines)
}

#[test]
fn findings_point_at_the_typescript_with_the_template_as_related_location() {
    let (_, lines) = report(&testdata().join("cdk-app"), &testdata());
    let expected_path = testdata().join("cdk-app.report");
    let actual = lines.join("\n") + "\n";
    if std::env::var_os("SLINT_BLESS").is_some() {
        std::fs::write(&expected_path, &actual).expect("write the expected findings");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("testdata/cdk-app.report exists");
    assert_eq!(actual, expected, "findings on testdata/cdk-app changed (SLINT_BLESS=1 to accept)");
}

#[test]
fn every_function_links_to_its_crate_except_the_one_whose_asset_is_not_a_constant() {
    let (outcome, _) = report(&testdata().join("cdk-app"), &testdata());
    let project = &outcome.project;
    let mut links: Vec<(String, String)> = project
        .links
        .iter()
        .map(|link| {
            let template = &project.templates[link.template];
            let id = template.functions[link.function].id.as_str();
            let construct = project
                .cdk
                .stack(template.file)
                .and_then(|s| s.resources.get(id))
                .map(|r| r.construct.shown().to_string())
                .expect("a CDK function");
            let bin = match &link.binary {
                Ok(b) => project.source.binaries[*b].name.clone(),
                Err(reason) => format!("unlinked: {}", reason.0.split(';').next().unwrap_or("")),
            };
            (construct, bin)
        })
        .collect();
    links.sort();
    let expected: Vec<(String, String)> = [
        ("OrdersStack/CreateOrderFn", "create-order"),
        ("OrdersStack/FulfilmentFn", "fulfil-order"),
        (
            "OrdersStack/LegacyFn",
            "unlinked: its code is `Code.fromAsset(process.env.LEGACY_DIR ?? path.join(__dirname, '../legacy'))`, which slint cannot evaluate",
        ),
        ("OrdersStack/Reports/GetOrderFn", "get-order"),
        ("OrdersStack/Reports/ReportFn", "report"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(links, expected);
}

#[test]
fn a_function_the_code_cannot_link_is_linked_by_slint_toml_under_its_construct_path() {
    let mut settings = Settings::new(testdata(), slint::rules::registry::catalog());
    let config = slint::config::parse(
        &testdata().join("cdk-app/slint.toml"),
        "[functions.\"OrdersStack/LegacyFn\"]\ncrate = \".\"\nbin = \"report\"\n",
    );
    let Ok(config) = config else { panic!("config parses") };
    settings.apply_config(&config).expect("config applies");
    let outcome = slint::check(&[testdata().join("cdk-app")], &settings).expect("the run succeeds");
    assert!(outcome.project.links.iter().all(|l| l.binary.is_ok()), "every function is linked");
    assert!(!outcome.report.findings.iter().any(|f| f.code == "SL005"));
}

/// Copies a folder tree, rewriting the synthesising machine's folder in the assembly's JSON.
fn copy_moved(from: &Path, to: &Path, old_root: &str, new_root: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_moved(&entry.path(), &target, old_root, new_root);
        } else if entry.path().extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(&target, text.replace(old_root, new_root)).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn an_assembly_written_on_windows_maps_onto_the_project() {
    let dir = std::env::temp_dir().join(format!("slint-cdk-moved-{}", std::process::id()));
    let app = dir.join("cdk-app");
    // JSON escapes the backslashes of `C:\Users\dev\orders`.
    copy_moved(&testdata().join("cdk-app"), &app, "/work/ext/w16/cdkapp", r"C:\\Users\\dev\\orders");
    let moved = std::fs::read_to_string(app.join("cdk.out/OrdersStack.metadata.json")).unwrap();
    assert!(
        moved.contains(r"C:\\Users\\dev\\orders\\lib/orders-stack.ts") || moved.contains(r"C:\\Users\\dev\\orders/lib")
    );
    let (_, lines) = report(&app, &dir);
    let (_, original) = report(&testdata().join("cdk-app"), &testdata());
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(lines, original, "the same findings, wherever the assembly was written");
}

#[test]
fn a_broken_manifest_is_a_finding_and_the_rest_of_the_app_is_linted() {
    let dir = std::env::temp_dir().join(format!("slint-cdk-broken-{}", std::process::id()));
    let app = dir.join("cdk-app");
    copy_moved(&testdata().join("cdk-app"), &app, "", "");
    std::fs::write(app.join("cdk.out/manifest.json"), "{ \"artifacts\": ").unwrap();
    let (outcome, lines) = report(&app, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let broken: Vec<&String> = lines.iter().filter(|l| l.contains("manifest.json")).collect();
    assert_eq!(broken.len(), 1, "{lines:#?}");
    assert!(
        broken[0]
            .starts_with("cdk-app/cdk.out/manifest.json:1:1: error SL001 the cloud assembly file is not valid JSON")
    );
    // The crates are still analysed on their own.
    assert!(lines.iter().any(|l| l.contains("create-order.rs") && l.contains("SL502")));
    assert_eq!(outcome.project.template_count(), 0, "no template without the manifest");
}

/// `(code, subject)` of each template finding: the subject is the CDK construct id (the last
/// step of its path) or the SAM logical id, which the SAM twin names alike.
fn template_findings(outcome: &slint::Outcome) -> BTreeSet<(String, String)> {
    let project = &outcome.project;
    outcome
        .report
        .findings
        .iter()
        .filter(|f| !f.code.starts_with("SL00") && !project.db.get(f.file).display.ends_with(".rs"))
        .map(|f| {
            let id = f.resource.clone().unwrap_or_default();
            let construct =
                project.cdk.stacks.iter().find_map(|s| s.resources.get(&id)).map(|r| r.construct.shown().to_string());
            let subject = construct.map_or(id, |c| c.rsplit('/').next().unwrap_or("").to_string());
            (f.code.to_string(), subject)
        })
        .collect()
}

#[test]
fn the_template_rules_find_the_same_on_the_assembly_as_on_the_sam_template() {
    let (cdk, _) = report(&testdata().join("cdk-app"), &testdata());
    let (sam, _) = report(&testdata().join("cdk-app-sam"), &testdata());
    let cdk = template_findings(&cdk);
    let mut sam = template_findings(&sam);
    // The one difference, a known limitation: the CDK app adds `GET /order` from a nested stack
    // to an API it imports (`RestApi.fromRestApiAttributes`), and each template is analysed on
    // its own, so SL204 (GET without cache) does not see that GET on the parent's API.
    assert!(sam.remove(&("SL204".to_string(), "OrdersApi".to_string())));
    // SAM writes the API method and the schedule as events of their function; the CDK as
    // resources of their own (the method `POST` of `OrdersApi/Default/orders`, the rule
    // `Nightly`). Same cause, same node kind, another subject.
    let as_sam = |(code, subject): (String, String)| match subject.as_str() {
        "POST" => (code, "CreateOrderFn".to_string()),
        "Nightly" => (code, "ReportFn".to_string()),
        _ => (code, subject),
    };
    let cdk: BTreeSet<(String, String)> = cdk.into_iter().map(as_sam).collect();
    assert_eq!(cdk, sam);
    assert_eq!(cdk.len(), 12, "{cdk:#?}");
}

#[test]
fn typescript_too_large_to_parse_costs_its_links_not_the_run() {
    let dir = std::env::temp_dir().join(format!("slint-cdk-huge-{}", std::process::id()));
    let app = dir.join("cdk-app");
    copy_moved(&testdata().join("cdk-app"), &app, "", "");
    let stack = app.join("lib/reports-stack.ts");
    let mut text = std::fs::read_to_string(&stack).unwrap();
    text.push_str(&format!("\nconst junk = {}1;\n", "a+".repeat(70_000)));
    std::fs::write(&stack, text).unwrap();
    let (_, lines) = report(&app, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let reports: Vec<&String> = lines.iter().filter(|l| l.starts_with("cdk-app/lib/reports-stack.ts")).collect();
    assert!(
        reports[0].starts_with(
            "cdk-app/lib/reports-stack.ts:1:1: info SL005 the TypeScript is not analysed: the file has about 140"
        ),
        "{reports:#?}"
    );
    // Still at the construct's line; the property's key needs the parse.
    assert!(reports.iter().any(|l| l.starts_with("cdk-app/lib/reports-stack.ts:21:22: info SL106")), "{reports:#?}");
    assert!(
        reports.iter().any(|l| l.contains("SL005 slint cannot find the code of function `OrdersStack/Reports/GetOrderFn`: slint could not read the TypeScript")),
        "{reports:#?}"
    );
}

#[test]
fn stacks_of_a_stage_are_read_from_their_assembly_folder() {
    // `testdata/cdk-stage-app`: `new JobsStage(app, 'Prod')` puts its stack in
    // `cdk.out/assembly-Prod/`, listed by the top manifest as a `cdk:cloud-assembly`.
    let (outcome, lines) = report(&testdata().join("cdk-stage-app"), &testdata());
    assert_eq!(
        lines,
        [
            "cdk-stage-app/lib/jobs-stage.ts:13:19: warning SL303 queue `Prod/Jobs/JobsQueue` is consumed by function `Prod/Jobs/HelloFn` but has no dead-letter queue",
            "    related cdk-stage-app/cdk.out/assembly-Prod/ProdJobsDB64F8DD.template.json:3:3: generated as `Resources/JobsQueue86ED6666` in ProdJobsDB64F8DD.template.json",
            "    related cdk-stage-app/lib/jobs-stage.ts:22:11: consumed by the event source mapping `Prod/Jobs/HelloFn/SqsEventSource:ProdJobsJobsQueue16CF9B8C`",
            "cdk-stage-app/lib/jobs-stage.ts:22:100: info SL106 function `Prod/Jobs/HelloFn` is throttled by design (its SQS source's `MaximumConcurrency`) but no CloudWatch alarm watches its `Throttles` or the account's `ConcurrentExecutions`",
            "    related cdk-stage-app/cdk.out/assembly-Prod/ProdJobsDB64F8DD.template.json:142:28: generated as `Resources/HelloFnSqsEventSourceProdJobsJobsQueue16CF9B8CD9592CC2/Properties/ScalingConfig/MaximumConcurrency` in ProdJobsDB64F8DD.template.json",
        ]
    );
    assert_eq!(outcome.project.template_count(), 1, "the stage's template, once");
    assert!(outcome.project.links.iter().all(|l| l.binary.is_ok()), "HelloFn links to bin `hello`");
}

#[test]
fn an_app_without_its_assembly_says_it_was_not_analysed() {
    let dir = std::env::temp_dir().join(format!("slint-cdk-unsynthesised-{}", std::process::id()));
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("cdk.json"), "{ \"app\": \"npx ts-node bin/app.ts\" }").unwrap();
    let (_, lines) = report(&app, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        lines,
        [
            "app/cdk.json:1:1: info SL005 not analysed: a CDK app without a cloud assembly (no cdk.out/manifest.json), so its stacks were not linted; run `npx cdk ls` (or `cdk synth`) before slint"
        ]
    );
}

#[test]
fn the_assembly_given_alone_is_linted_through_its_manifest_naming_constructs() {
    // Its app folder is outside what slint was given: findings stay in the templates.
    let (outcome, lines) = report(&testdata().join("cdk-app/cdk.out"), &testdata());
    assert_eq!(outcome.project.template_count(), 2);
    assert!(lines.iter().any(|l| l.starts_with(
        "cdk-app/cdk.out/OrdersStack.template.json:330:16: error SL202 function `OrdersStack/CreateOrderFn` has a 30 s timeout"
    )));
    assert!(!lines.iter().any(|l| l.contains("manifest.json") || l.contains("tree.json")), "{lines:#?}");
}

#[test]
fn an_assembly_in_the_output_folder_of_cdk_json_is_read_once_and_not_walked() {
    let dir = std::env::temp_dir().join(format!("slint-cdk-output-{}", std::process::id()));
    let app = dir.join("cdk-app");
    copy_moved(&testdata().join("cdk-app"), &app, "", "");
    std::fs::rename(app.join("cdk.out"), app.join("build")).unwrap();
    std::fs::write(app.join("cdk.json"), "{ \"app\": \"npx ts-node bin/orders.ts\", \"output\": \"build\" }").unwrap();
    // An asset folder holding a copy of a crate, as a bundled asset may: never analysed.
    copy_moved(&testdata().join("sample-project"), &app.join("build/asset.0123/crate"), "", "");
    let (outcome, lines) = report(&app, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let (_, original) = report(&testdata().join("cdk-app"), &testdata());
    let renamed: Vec<String> = original.iter().map(|l| l.replace("cdk-app/cdk.out/", "cdk-app/build/")).collect();
    assert_eq!(lines, renamed);
    assert_eq!(outcome.project.template_count(), 2);
}

#[test]
fn typescript_that_cannot_be_read_leaves_its_findings_in_the_template() {
    let dir = std::env::temp_dir().join(format!("slint-cdk-latin1-{}", std::process::id()));
    let app = dir.join("cdk-app");
    copy_moved(&testdata().join("cdk-app"), &app, "", "");
    let stack = app.join("lib/reports-stack.ts");
    let mut bytes = b"// caf\xe9\n".to_vec();
    bytes.extend(std::fs::read(&stack).unwrap());
    std::fs::write(&stack, bytes).unwrap();
    let (_, lines) = report(&app, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(lines.contains(
        &"cdk-app/lib/reports-stack.ts:1:1: info SL005 the TypeScript is not analysed: the file is not UTF-8; findings on its constructs stay in the template, and their crates are not linked from it".to_string()
    ), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("cdk-app/cdk.out/OrdersStackReports4839B7AB.nested.template.json:270:3: info SL602 function `OrdersStack/Reports/ReportFn`")), "{lines:#?}");
}
