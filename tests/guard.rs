//! End-to-end: organisation rule packs in Guard's DSL (`--pack`, `packs = [...]`,
//! `slint rules --pack`, `slint test-pack`), on the fixtures in `testdata/guard/`.

use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn slint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slint")).args(args).current_dir(dir).output().expect("slint runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

const PACK: &str = "testdata/guard/org.guard";

#[cfg(not(feature = "guard"))]
#[test]
fn without_the_feature_a_pack_is_exit_2() {
    for args in [
        vec!["check", "testdata/guard/globals.yaml", "--pack", PACK],
        vec!["rules", "--pack", PACK],
        vec!["test-pack", "builtin:well-architected"],
    ] {
        let out = slint(root(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("slint was built without Guard support"), "{}", stderr(&out));
    }
}

#[cfg(feature = "guard")]
mod with_guard {
    use std::path::PathBuf;

    use super::*;

    fn stdout(out: &Output) -> String {
        String::from_utf8(out.stdout.clone()).unwrap()
    }

    /// A fresh folder under the system temp dir for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("slint-guard-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn concise(args: &[&str]) -> Vec<String> {
        // The tuning rules (memory, tracing) would add info findings to every function here, and
        // SL005 one for each `CodeUri: target/lambda/<bin>` (these templates have no crate).
        let mut full = vec!["check", "--format", "concise", "--quiet", "--ignore", "tuning,SL005", "--pack", PACK];
        full.extend_from_slice(args);
        stdout(&slint(root(), &full)).lines().map(str::to_string).collect()
    }

    /// `FUNCTIONS_ON_ARM64` fails `OnX86` (at its `x86_64`) and `DefaultArchitecture` (missing
    /// `Architectures`: at its logical id) and passes `InheritsArm`, which inherits `[arm64]`
    /// from `Globals` (plain cfn-guard fails it: cloudformation-guard issue 91). The inherited
    /// `Timeout: 60` is reported at its line in `Globals`. Same lines from YAML and JSON.
    #[test]
    fn findings_at_the_right_lines_with_globals_merged() {
        assert_eq!(
            concise(&["testdata/guard/globals.yaml"]),
            [
                "testdata/guard/globals.yaml:8:14: warning org/TIMEOUT_AT_MOST_30 InheritsArm may run for more than 30 s",
                "testdata/guard/globals.yaml:27:11: error org/FUNCTIONS_ON_ARM64 OnX86 does not run on arm64",
                "testdata/guard/globals.yaml:28:3: error org/FUNCTIONS_ON_ARM64 DefaultArchitecture does not run on arm64",
                "testdata/guard/globals.yaml:35:3: warning org/QUEUE_HAS_DLQ `Jobs`: `Properties.RedrivePolicy` is missing (`%queues[*].Properties.RedrivePolicy EXISTS`)",
            ]
        );
        assert_eq!(
            concise(&["testdata/guard/globals.json"]),
            [
                "testdata/guard/globals.json:11:18: warning org/TIMEOUT_AT_MOST_30 InheritsArm may run for more than 30 s",
                "testdata/guard/globals.json:44:11: error org/FUNCTIONS_ON_ARM64 OnX86 does not run on arm64",
                "testdata/guard/globals.json:48:5: error org/FUNCTIONS_ON_ARM64 DefaultArchitecture does not run on arm64",
                "testdata/guard/globals.json:65:5: warning org/QUEUE_HAS_DLQ `Jobs`: `Properties.RedrivePolicy` is missing (`%queues[*].Properties.RedrivePolicy EXISTS`)",
            ]
        );
    }

    #[test]
    fn json_findings_carry_path_resource_help_and_the_inheriting_resource() {
        let out = slint(root(), &["check", "testdata/guard/globals.yaml", "--pack", PACK, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let findings = json["findings"].as_array().unwrap();
        let by_code = |code: &str| findings.iter().filter(|f| f["code"] == code).collect::<Vec<_>>();
        let inherited = by_code("org/TIMEOUT_AT_MOST_30")[0];
        assert_eq!(inherited["path"], "Resources/InheritsArm/Properties/Timeout");
        assert_eq!(inherited["resource"], "InheritsArm");
        assert_eq!(inherited["related"][0]["line"], 10, "the inheriting resource");
        let missing = by_code("org/QUEUE_HAS_DLQ")[0];
        assert_eq!((&missing["path"], &missing["resource"]), (&"Resources/Jobs".into(), &"Jobs".into()));
        let arm = by_code("org/FUNCTIONS_ON_ARM64");
        assert!(arm.iter().all(|f| f["help"].as_str().unwrap().contains("Architectures: [arm64]")));
        assert!(arm.iter().all(|f| f["resource"] != "InheritsArm"), "inherits arm64 from Globals");
    }

    #[test]
    fn a_broken_pack_is_exit_2_before_any_template_is_read() {
        // The template path does not exist either: the pack is checked first.
        for template in ["testdata/guard/globals.yaml", "does/not/exist.yaml"] {
            let out = slint(root(), &["check", template, "--pack", "testdata/guard/broken.guard"]);
            assert_eq!(out.status.code(), Some(2));
            let err = stderr(&out);
            assert!(
                err.starts_with("slint: invalid Guard pack testdata/guard/broken.guard:4:37: Guard expected"),
                "{err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(stdout(&out).is_empty());
        }
        for (pack, message) in [
            ("testdata/guard/nope.guard", "cannot read Guard pack testdata/guard/nope.guard: no such file"),
            ("builtin:nope", "unknown built-in Guard pack `nope`"),
            ("src/model", "is a folder without .guard files"),
        ] {
            let out = slint(root(), &["check", "testdata/guard/globals.yaml", "--pack", pack]);
            assert_eq!(out.status.code(), Some(2), "{pack}");
            assert!(stderr(&out).contains(message), "{pack}: {}", stderr(&out));
        }
    }

    #[test]
    fn select_ignore_and_fail_on_treat_pack_rules_like_any_rule() {
        let codes = |args: &[&str]| -> Vec<String> {
            let mut codes: Vec<String> =
                concise(args).iter().map(|l| l.split(' ').nth(2).unwrap_or("").to_string()).collect();
            codes.dedup();
            codes
        };
        let template = "testdata/guard/globals.yaml";
        assert_eq!(codes(&[template, "--select", "org/QUEUE_HAS_DLQ"]), ["org/QUEUE_HAS_DLQ"]);
        assert_eq!(
            codes(&[template, "--select", "org/", "--ignore", "org/FUNCTIONS_ON_ARM64,org/TIMEOUT_AT_MOST_30"]),
            ["org/QUEUE_HAS_DLQ"]
        );
        assert!(codes(&[template, "--ignore", "org/"]).is_empty());
        assert!(codes(&[template, "--select", "SL1"]).is_empty(), "a code prefix does not pick pack rules");
        let warnings_only = ["check", template, "--pack", PACK, "--ignore", "org/FUNCTIONS_ON_ARM64"];
        assert_eq!(slint(root(), &[&warnings_only[..], &["--fail-on", "error"]].concat()).status.code(), Some(0));
        assert_eq!(slint(root(), &warnings_only).status.code(), Some(1));
    }

    #[test]
    fn suppressions_and_config_apply_to_pack_rules() {
        let dir = scratch("suppress");
        std::fs::copy(root().join(PACK), dir.join("org.guard")).unwrap();
        let template = std::fs::read_to_string(root().join("testdata/guard/globals.yaml")).unwrap();
        let template = template
            .replace(
                "  OnX86:\n    Type: AWS::Lambda::Function\n",
                "  OnX86:\n    Type: AWS::Lambda::Function\n    Metadata:\n      slint:\n        ignore:\n          - org/FUNCTIONS_ON_ARM64 built for an x86-only library\n          - org/QUEUE_HAS_DLQ\n",
            );
        std::fs::write(dir.join("template.yaml"), template).unwrap();
        std::fs::write(
            dir.join("slint.toml"),
            "packs = [\"org.guard\"]\n[rules.\"org/QUEUE_HAS_DLQ\"]\nseverity = \"error\"\n",
        )
        .unwrap();
        let out = stdout(&slint(&dir, &["check", "--format", "concise", "--quiet"]));
        assert!(!out.contains("OnX86 does not run on arm64"), "suppressed on the resource: {out}");
        assert!(out.contains("DefaultArchitecture does not run on arm64"), "{out}");
        assert!(out.contains("error org/QUEUE_HAS_DLQ"), "severity from slint.toml: {out}");
        assert!(out.contains("SL003 suppression of `org/QUEUE_HAS_DLQ` matches no finding of `OnX86`"), "{out}");
        // The same pack from the config and the command line is one pack.
        let twice = stdout(&slint(&dir, &["check", "--format", "concise", "--quiet", "--pack", "./org.guard"]));
        assert_eq!(twice, out);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// `slint rules` and `slint explain` know the packs of slint.toml, as `check` does.
    #[test]
    fn rules_and_explain_read_the_packs_of_the_config() {
        let dir = scratch("listing");
        std::fs::copy(root().join(PACK), dir.join("org.guard")).unwrap();
        std::fs::write(dir.join("slint.toml"), "packs = [\"org.guard\"]\n").unwrap();
        let table = stdout(&slint(&dir, &["rules"]));
        assert!(table.contains("org/FUNCTIONS_ON_ARM64 "), "{table}");
        assert!(!stdout(&slint(&dir, &["rules", "--no-config"])).contains("org/"), "--no-config drops them");

        let doc = slint(&dir, &["explain", "org/FUNCTIONS_ON_ARM64"]);
        assert_eq!(doc.status.code(), Some(0), "{}", stderr(&doc));
        let doc = stdout(&doc);
        assert!(
            doc.starts_with("# org/FUNCTIONS_ON_ARM64 FUNCTIONS_ON_ARM64\n\ncategory: pack, default severity: error\n")
        );
        assert!(doc.contains("<resource> does not run on arm64"), "{doc}");
        assert!(doc.contains("Help: set `Architectures: [arm64]`"), "{doc}");
        let by_flag = slint(root(), &["explain", "org/QUEUE_HAS_DLQ", "--pack", PACK, "--no-config"]);
        assert_eq!(by_flag.status.code(), Some(0), "{}", stderr(&by_flag));

        let unknown = slint(&dir, &["explain", "org/NO_SUCH_RULE"]);
        assert_eq!(unknown.status.code(), Some(2));
        assert_eq!(stderr(&unknown), "slint: unknown rule `org/NO_SUCH_RULE` (see `slint rules`)\n");
        // A built-in rule's docs do not depend on the config being valid.
        std::fs::write(dir.join("slint.toml"), "packs = [\"missing.guard\"]\n").unwrap();
        assert_eq!(slint(&dir, &["explain", "SL101"]).status.code(), Some(0));
        assert_eq!(slint(&dir, &["rules"]).status.code(), Some(2), "a pack that does not load is exit 2");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Guard's `run_checks` returns only the last 8 KiB buffer of its report; slint reads the
    /// whole report from memory, so none of these 300 findings is lost.
    #[test]
    fn a_report_larger_than_8_kib_loses_no_finding() {
        let dir = scratch("large");
        let mut text = String::from("Transform: AWS::Serverless-2016-10-31\nResources:\n");
        for i in 0..300 {
            text.push_str(&format!(
                "  Function{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 60\n"
            ));
        }
        std::fs::write(dir.join("template.yaml"), &text).unwrap();
        let pack = root().join(PACK);
        let out = slint(&dir, &["check", "template.yaml", "--pack", pack.to_str().unwrap(), "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let timeouts: Vec<u64> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "org/TIMEOUT_AT_MOST_30")
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        assert_eq!(timeouts.len(), 300);
        assert_eq!(timeouts, (0..300).map(|i| 6 + 4 * i).collect::<Vec<u64>>(), "each at its own Timeout");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A template Guard fails on (here: a rule parses a string that is not JSON) is an SL001
    /// finding naming the pack; the built-in rules still run on it.
    #[test]
    fn a_template_guard_cannot_take_is_reported_and_built_in_rules_still_run() {
        let out = stdout(&slint(
            root(),
            &[
                "check",
                "testdata/guard/not-json-definition.yaml",
                "--pack",
                "testdata/guard/stepfunctions.guard",
                "--format",
                "concise",
                "--quiet",
                "--ignore",
                "tuning,SL106",
            ],
        ));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[0].starts_with(
            "testdata/guard/not-json-definition.yaml:1:1: error SL001 Guard pack `stepfunctions` cannot evaluate this template: "
        ));
        assert!(lines[1].contains(" SL301 "), "{out}");
    }

    #[test]
    fn rules_and_sarif_list_pack_rules() {
        let list: serde_json::Value =
            serde_json::from_str(&stdout(&slint(root(), &["rules", "--format", "json", "--pack", PACK]))).unwrap();
        let rules = list.as_array().unwrap();
        let arm = rules.iter().find(|r| r["code"] == "org/FUNCTIONS_ON_ARM64").expect("listed");
        assert_eq!((&arm["severity"], &arm["category"]), (&"error".into(), &"pack".into()));
        assert_eq!(arm["summary"], "<resource> does not run on arm64");
        assert!(rules.iter().any(|r| r["code"] == "SL101"), "with the built-in rules");
        let table = stdout(&slint(root(), &["rules", "--pack", "builtin:well-architected"]));
        assert!(table.contains("well-architected/FUNCTIONS_ON_ARM64 "), "{table}");

        let out =
            stdout(&slint(root(), &["check", "testdata/guard/globals.yaml", "--pack", PACK, "--format", "sarif"]));
        let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
        let ids: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        for code in ["SL101", "org/FUNCTIONS_ON_ARM64", "org/TIMEOUT_AT_MOST_30", "org/QUEUE_HAS_DLQ"] {
            assert!(ids.contains(&code), "{code} not in {ids:?}");
        }
    }

    #[test]
    fn test_pack_runs_the_builtin_pack_and_org_tests() {
        for pack in ["builtin:well-architected", "rules/well-architected.guard", PACK] {
            let out = slint(root(), &["test-pack", pack]);
            assert_eq!(out.status.code(), Some(0), "{pack}: {}{}", stdout(&out), stderr(&out));
            assert!(stdout(&out).contains(" 0 failed"), "{}", stdout(&out));
        }
        let failing = slint(root(), &["test-pack", PACK, "--test-data", "testdata/guard/wrong-expectations.yaml"]);
        assert_eq!(failing.status.code(), Some(1));
        let text = stdout(&failing);
        assert!(text.contains("  FAIL  x86 passes: FUNCTIONS_ON_ARM64 expected PASS, got FAIL"), "{text}");
        assert!(text.contains("NO_SUCH_RULE is not a rule of pack `org`"), "{text}");
        let broken = slint(root(), &["test-pack", PACK, "--test-data", "testdata/guard/broken-tests.yaml"]);
        assert_eq!(broken.status.code(), Some(2));
        assert!(
            stderr(&broken).contains("invalid Guard test file testdata/guard/broken-tests.yaml:4:"),
            "{}",
            stderr(&broken)
        );
        let no_tests = slint(root(), &["test-pack", "testdata/guard/stepfunctions.guard"]);
        assert_eq!(no_tests.status.code(), Some(2));
        assert!(stderr(&no_tests).contains("no Guard unit tests"), "{}", stderr(&no_tests));
    }

    const OR_PACK: &str = "testdata/guard/or/or.guard";
    const OR_TEMPLATE: &str = "testdata/guard/or/template.yaml";

    fn concise_with(pack: &str, args: &[&str]) -> Vec<String> {
        let mut full =
            vec!["check", "--no-config", "--format", "concise", "--quiet", "--select", "or/", "--pack", pack];
        full.extend_from_slice(args);
        stdout(&slint(root(), &full)).lines().map(str::to_string).collect()
    }

    /// `%x { A } OR %x { B }` fails every resource that fails, each with the message of the
    /// clause it fails (the first with a custom message): as cfn-guard reports the rule, not
    /// only the first resource of the first block. A clause on a variable (no path) is at the
    /// top of the template with its message as written, not with Guard's `;` for line breaks.
    #[test]
    fn or_between_blocks_reports_every_failing_resource_and_clean_messages() {
        assert_eq!(
            concise_with(OR_PACK, &[OR_TEMPLATE]),
            [
                "testdata/guard/or/template.yaml:1:1: warning or/POLICY_DENIES Violation: queue policies must deny something. Fix: add a Deny statement; for example on aws:SecureTransport.",
                "testdata/guard/or/template.yaml:2:3: warning or/QUEUE_ENCRYPTED Plain has no KMS key",
                "testdata/guard/or/template.yaml:4:3: warning or/QUEUE_ENCRYPTED AlsoPlain has no KMS key",
                "testdata/guard/or/template.yaml:8:3: warning or/QUEUE_ENCRYPTED Managed has no KMS key",
                "testdata/guard/or/template.yaml:12:3: warning or/QUEUE_ENCRYPTED WithKey has no SQS-managed encryption",
                "testdata/guard/or/template.yaml:16:3: warning or/PERMISSION_NOT_PUBLIC FromApi: a service principal without SourceArn",
                "testdata/guard/or/template.yaml:22:3: warning or/PERMISSION_NOT_PUBLIC FromOptions: a service principal without SourceArn",
                // Guard flattens the blocks of an OR, so the alternative a clause came from is
                // lost: the S3 principal gets the first custom message it fails, not the third.
                "testdata/guard/or/template.yaml:28:3: warning or/PERMISSION_NOT_PUBLIC FromBucket: a service principal without SourceArn",
                // Passes the first block, fails the others: cfn-guard names it too.
                "testdata/guard/or/template.yaml:34:3: warning or/PERMISSION_NOT_PUBLIC FromAccount: a service principal without SourceArn",
            ]
        );
    }

    /// `{resource}` and `{path}` in `help:` are filled in per finding (JSON and human output)
    /// and read `<resource>`/`<path>` in `slint explain`.
    #[test]
    fn help_fills_in_resource_and_path() {
        let out = slint(
            root(),
            &[
                "check",
                "--no-config",
                "--select",
                "or/QUEUE_ENCRYPTED",
                "--pack",
                OR_PACK,
                "--format",
                "json",
                OR_TEMPLATE,
            ],
        );
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let helps: Vec<(&str, &str)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["resource"].as_str().unwrap(), f["help"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(
            helps,
            [
                ("Plain", "set `KmsMasterKeyId` on Plain (at Resources/Plain)"),
                ("AlsoPlain", "set `KmsMasterKeyId` on AlsoPlain (at Resources/AlsoPlain)"),
                ("Managed", "set `KmsMasterKeyId` on Managed (at Resources/Managed)"),
                ("WithKey", "set `KmsMasterKeyId` on WithKey (at Resources/WithKey)"),
            ]
        );
        let human = stdout(&slint(
            root(),
            &["check", "--no-config", "--select", "or/QUEUE_ENCRYPTED", "--pack", OR_PACK, OR_TEMPLATE],
        ));
        assert!(human.contains("help: set `KmsMasterKeyId` on Plain (at Resources/Plain)"), "{human}");
        assert!(!human.contains("{resource}"), "{human}");
        let doc = stdout(&slint(root(), &["explain", "or/QUEUE_ENCRYPTED", "--no-config", "--pack", OR_PACK]));
        assert!(doc.contains("Help: set `KmsMasterKeyId` on <resource> (at <path>)"), "{doc}");
    }

    /// A folder pack's rules file without tests is named, Guard's deprecation notices are shown
    /// (once per test file), and the summary counts the untested file.
    #[test]
    fn test_pack_names_untested_files_and_deprecations() {
        let out = slint(root(), &["test-pack", "testdata/guard/partial"]);
        assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
        assert_eq!(
            stdout(&out),
            "Testing Guard pack `partial` (testdata/guard/partial)\n\
             NO TESTS  testdata/guard/partial/untested.guard: no tests/<its stem>*.yaml next to it, its rules are not \
             tested\n\
             testdata/guard/partial/tests/sizes_tests.yaml\n  \
             PASS  a size given as text passes, with a deprecation notice\n  \
             PASS  a tiny size fails\n  \
             DEPRECATION: %queues[*].Properties.MaximumMessageSize not IN [1,2] passed because the value could not be \
             compared with any element of the list, which is currently read as \"not a member\". A future release fails \
             closed here, as `!=` already does. Compare against values of the same kind, or use `!=` if that is the \
             intent.\n\
             2 cases: 2 passed, 0 failed; 1 rules file without tests\n"
        );
    }
}
