//! The paths around the templates (issue 13): Guard packs and `slint.toml`, which a pull request
//! can change too, the report's destination, stdout, thread counts and encodings. One test per
//! defect the review reproduced; each runs the binary under a deadline, so a regression that
//! hangs fails the test instead of hanging the suite.

#[path = "support/tree.rs"]
mod tree;
use tree::copy_tree;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under the system temp dir for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slint-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs slint in `dir` with stdout going to `stdout`, killed after `limit`: a hang is a failure
/// (exit code `None`), not a stuck test.
fn run_to(dir: &Path, args: &[&str], stdout: Stdio, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("slint starts");
    // Read stdout and stderr on threads, so a full pipe cannot block slint.
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(pipe) = out_pipe.as_mut() {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err_pipe.read_to_end(&mut bytes);
        bytes
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("slint {args:?} did not finish in {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: out_reader.join().unwrap(), stderr: err_reader.join().unwrap() }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_to(dir, args, Stdio::piped(), Duration::from_secs(30))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes a FIFO with the system's `mkfifo`; `false` (and a message) where there is none.
fn mkfifo(path: &Path) -> bool {
    let made = Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: cannot make a FIFO at {} (no mkfifo on this platform)", path.display());
    }
    made
}

/// Exit 2 with one `slint: ...` line that says `expected`.
fn assert_refused(out: &Output, expected: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(err.starts_with("slint: ") && err.contains(expected), "{what}: {err}");
}

const RULES: &str = "rule HAS_RESOURCES { Resources exists }\n";
const SAMPLE: &str = "testdata/sample-project";

/// A copy of the sample project (a template, a crate) to lint.
fn sample_copy(dir: &Path) {
    copy_tree(&root().join(SAMPLE), dir);
}

/// Defect 1: a pack, a config or a Guard test file that is a FIFO or `/dev/zero` hung slint (or
/// grew its memory at 300 MB/s); it is refused before it is opened, with exit 2.
#[cfg(unix)]
#[test]
fn packs_and_configs_that_are_not_regular_files_are_refused() {
    let dir = scratch("not-files");
    write(&dir, "template.yaml", std::fs::read(root().join("testdata/SL301/bad.yaml")).unwrap());
    write(&dir, "pack/ok.guard", RULES);
    if !mkfifo(&dir.join("fifo.guard")) || !mkfifo(&dir.join("pack/a.guard")) || !mkfifo(&dir.join("fifo.toml")) {
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.guard")).unwrap();
    let not_a_file = "not a regular file";
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "--no-config", "--pack", "fifo.guard", "."],
        vec!["check", "--no-config", "--pack", "zero.guard", "."],
        vec!["check", "--no-config", "--pack", "pack", "."],
        vec!["check", "--config", "/dev/zero", "."],
        vec!["check", "--config", "fifo.toml", "."],
        vec!["rules", "--no-config", "--pack", "zero.guard"],
        vec!["explain", "org/RULE", "--no-config", "--pack", "fifo.guard"],
        vec!["test-pack", "fifo.guard"],
        vec!["test-pack", "builtin:well-architected", "--test-data", "fifo.toml"],
    ];
    for args in &cases {
        assert_refused(&run_to(&dir, args, Stdio::piped(), Duration::from_secs(20)), not_a_file, &format!("{args:?}"));
    }
    // Through slint.toml (found from the current folder, as in CI), and a slint.toml that is a
    // FIFO itself.
    write(&dir, "slint.toml", "packs = [\"fifo.guard\"]\n");
    assert_refused(&run(&dir, &["check", "."]), not_a_file, "packs = [fifo.guard]");
    std::fs::remove_file(dir.join("slint.toml")).unwrap();
    assert!(mkfifo(&dir.join("slint.toml")));
    assert_refused(&run(&dir, &["check", "."]), not_a_file, "slint.toml is a FIFO");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 2: `packs = ["/proc/self/environ"]` printed the CI job's environment in the Guard
/// parse error. Packs named in slint.toml stay in its folder; no pack that is not a `.guard`
/// file is read; nothing of such a file is quoted.
#[cfg(unix)]
#[test]
fn pack_paths_cannot_read_files_outside_the_project() {
    let base = scratch("pack-paths");
    let dir = base.join("project");
    write(&dir, "template.yaml", std::fs::read(root().join("testdata/SL301/bad.yaml")).unwrap());
    write(&base, "outside.guard", "rule OUTSIDE_SECRET { Resources exists }\n");
    write(&base, "outside/secret.guard", "THE-OUTSIDE-SECRET is not Guard\n");
    std::os::unix::fs::symlink(base.join("outside.guard"), dir.join("in.guard")).unwrap();
    write(&dir, "linked/ok.guard", RULES);
    std::os::unix::fs::symlink(base.join("outside/secret.guard"), dir.join("linked/secret.guard")).unwrap();
    let outside = "is outside the project (the folder of slint.toml)";
    for (packs, expected) in [
        ("/proc/self/environ", outside),
        ("/etc/passwd", outside),
        ("../outside.guard", outside),
        ("in.guard", outside),
        ("linked", "is a symlink that leads out of the pack folder"),
    ] {
        write(&dir, "slint.toml", format!("packs = [\"{packs}\"]\n"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_slint"));
        command.args(["check", "."]).current_dir(&dir).env("AAA_FAKE_SECRET", "hunter2");
        let out = command.output().unwrap();
        assert_refused(&out, expected, packs);
        let err = stderr(&out);
        for secret in ["hunter2", "root:", "OUTSIDE_SECRET", "THE-OUTSIDE-SECRET"] {
            assert!(!err.contains(secret), "{packs}: quoted {secret}: {err}");
        }
    }
    // A pack inside the project loads (the refusals above are about place, not packs).
    write(&dir, "slint.toml", "packs = [\"linked/ok.guard\", \"builtin:well-architected\"]\n");
    assert_eq!(run(&dir, &["check", "."]).status.code(), Some(1));
    // On the command line the user chooses the pack, but only a rules file is read.
    let out = run(&dir, &["check", "--no-config", "--pack", "/etc/passwd", "."]);
    assert_refused(&out, "is not a .guard or .ruleset file", "--pack /etc/passwd");
    assert!(!stderr(&out).contains("root:"));
    std::fs::remove_dir_all(&base).unwrap();
}

/// Defect 3: `slint check > report.sarif` on a full disk exited 0 (clean project) with the
/// report lost. A failed write to stdout is exit 2; a closed pipe (`| head`) stays quiet.
#[test]
fn a_failed_write_to_stdout_is_exit_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full on this platform");
        return;
    };
    for args in [
        vec!["check", "--no-config", "--format", "sarif", "testdata/clean-project"],
        vec!["check", "--no-config", "--format", "json", SAMPLE],
        vec!["rules", "--no-config"],
        vec!["explain", "SL101"],
        vec!["test-pack", "builtin:well-architected"],
        vec!["capacity", "--no-config", SAMPLE],
    ] {
        let out = run_to(root(), &args, Stdio::from(full.try_clone().unwrap()), Duration::from_secs(60));
        assert_refused(
            &out,
            "cannot write the output to standard output: No space left on device",
            &format!("{args:?}"),
        );
    }
    // A reader that goes away early is not an error: the exit code is the run's own.
    let mut child = Command::new(env!("CARGO_BIN_EXE_slint"))
        .args(["check", "--no-config", "--format", "json", SAMPLE])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

/// Defect 4: `threads = 100000` in slint.toml never finished, `--threads 1000` took 8.6 s on 4
/// files. The pool is capped at a few threads per core, with a note.
#[test]
fn thread_counts_are_capped() {
    let dir = scratch("threads");
    sample_copy(&dir);
    let reference = run(&dir, &["check", "--no-config", "--format", "json", "."]);
    write(&dir, "slint.toml", "threads = 100000\n");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for args in [
        vec!["check", "--format", "json", "."],
        vec!["check", "--no-config", "--threads", "1000", "--format", "json", "."],
    ] {
        let start = Instant::now();
        let out = run_to(&dir, &args, Stdio::piped(), Duration::from_secs(60));
        assert!(start.elapsed() < Duration::from_secs(20), "{args:?} took {:?}", start.elapsed());
        assert_eq!(out.status.code(), reference.status.code(), "{args:?}");
        assert_eq!(stdout(&out), stdout(&reference), "{args:?}: the same report");
        let note = format!("threads are more than 4 per core; using {}", cores * 4);
        assert!(stderr(&out).contains(&note), "{args:?}: {}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 5: `--output p/template.yaml p` replaced the template it had just linted. A target
/// that is a file slint read is refused (however it is spelled), and the report is written
/// whole or not at all.
#[cfg(unix)]
#[test]
fn output_never_replaces_an_input_and_is_written_whole() {
    let dir = scratch("output");
    sample_copy(&dir.join("p"));
    write(&dir, "p/rules/org.guard", RULES);
    write(&dir, "p/slint.toml", "packs = [\"rules\"]\n");
    std::fs::hard_link(dir.join("p/template.yaml"), dir.join("hard.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.join("p/src/lib.rs"), dir.join("soft.rs")).unwrap();
    let originals: Vec<(PathBuf, Vec<u8>)> =
        ["p/template.yaml", "p/src/lib.rs", "p/Cargo.toml", "p/slint.toml", "p/rules/org.guard"]
            .iter()
            .map(|f| (dir.join(f), std::fs::read(dir.join(f)).unwrap()))
            .collect();
    for target in
        ["p/template.yaml", "./p/src/../template.yaml", "p/src/lib.rs", "p/Cargo.toml", "hard.yaml", "soft.rs"]
    {
        let out = run(&dir, &["check", "--no-config", "--format", "json", "--output", target, "p"]);
        assert_refused(&out, "it is a file slint reads", target);
    }
    for target in ["slint.toml", "rules/org.guard"] {
        let out = run(&dir.join("p"), &["check", "--format", "json", "--output", target, "."]);
        assert_refused(&out, "it is a file slint reads", target);
    }
    let out = run(&dir, &["capacity", "--no-config", "--output", "p/template.yaml", "p"]);
    assert_refused(&out, "it is a file slint reads", "capacity --output p/template.yaml");
    for (path, bytes) in &originals {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{} was changed", path.display());
    }
    // A report is replaced whole: the old one stays when the run fails, the new one keeps the
    // old one's permissions, and no temporary file is left behind.
    let report = write(&dir, "report.json", "old report");
    std::fs::set_permissions(&report, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let failed = run(&dir, &["check", "--no-config", "--pack", "missing.guard", "--output", "report.json", "p"]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "old report");
    let out = run(&dir, &["check", "--no-config", "--format", "json", "--output", "report.json", "p"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).expect("a whole report");
    assert!(json["summary"]["findings"].as_u64().unwrap() > 0);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&report).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    if Path::new("/dev/full").exists() {
        let out = run(&dir, &["check", "--no-config", "--output", "/dev/full", "p"]);
        assert_refused(&out, "cannot write /dev/full", "--output /dev/full");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `path:line:col: severity CODE` of each finding in concise output, without the file name.
fn positions(out: &Output) -> Vec<String> {
    let mut lines: Vec<String> = stdout(out)
        .lines()
        .filter(|l| l.contains(" SL"))
        .map(|l| {
            let (_, rest) = l.split_once(':').unwrap();
            rest.split(" SL").next().unwrap().to_string() + " SL" + &l.split(" SL").nth(1).unwrap()[..3]
        })
        .collect();
    lines.sort();
    lines
}

/// Defect 6: a UTF-16 template found by the walk was skipped (0 files, "All checks passed").
/// With a byte-order mark it is decoded and linted like its UTF-8 twin; without one it is SL001.
#[test]
fn utf16_templates_are_linted_not_skipped() {
    let dir = scratch("utf16");
    let text = std::fs::read_to_string(root().join("testdata/SL301/bad.yaml")).unwrap();
    write(&dir, "utf8/template.yaml", &text);
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(&dir, "le/template.yaml", le);
    write(&dir, "be/template.yaml", be);
    write(&dir, "bare/template.yaml", bare);
    let reference = run(&dir, &["check", "--no-config", "--format", "concise", "utf8"]);
    assert!(!positions(&reference).is_empty());
    for folder in ["le", "be"] {
        let out = run(&dir, &["check", "--no-config", "--format", "concise", folder]);
        assert_eq!(positions(&out), positions(&reference), "{folder}: {}", stdout(&out));
    }
    let out = run(&dir, &["check", "--no-config", "--format", "concise", "bare"]);
    assert!(
        stdout(&out).contains("bare/template.yaml:1:1: error SL001 file looks like UTF-16 without a byte-order mark"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 7: paths outside the root were reported four ways (SL001 `cannot read file` for a
/// path dependency on `/`, nothing for a `CodeUri` of `/etc`, nothing for a template symlinked
/// out, nothing for a FIFO `Cargo.toml`). Each is now one SL005 `not read: ...`.
#[cfg(unix)]
#[test]
fn paths_outside_the_root_and_fifos_are_one_sl005_each() {
    let base = scratch("outside");
    let dir = base.join("root");
    sample_copy(&dir);
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let manifest = manifest.replacen(
        "[dependencies]\n",
        "[dependencies]\nrootdep = { path = \"/\" }\netcdep = { path = \"/etc\" }\n",
        1,
    );
    write(&dir, "Cargo.toml", manifest);
    write(&base, "outside/template.yaml", std::fs::read(root().join("testdata/SL301/bad.yaml")).unwrap());
    std::os::unix::fs::symlink(base.join("outside/template.yaml"), dir.join("linked.yaml")).unwrap();
    let function = |id: &str, uri: &str| {
        format!(
            "  {id}:\n    Type: AWS::Serverless::Function\n    Properties: {{ CodeUri: \"{uri}\", Handler: bootstrap, Runtime: provided.al2023 }}\n"
        )
    };
    let template = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nResources:\n{}{}{}",
        function("Up", "../../.."),
        function("Etc", "/etc"),
        function("Root", "/")
    );
    write(&dir, "code/template.yaml", template);
    std::fs::create_dir_all(dir.join("fifo")).unwrap();
    let fifos = mkfifo(&dir.join("fifo/Cargo.toml")) && mkfifo(&dir.join("fifo/template.yaml"));
    let out = run(&dir, &["check", "--no-config", "--format", "concise", "--select", "SL001,SL005", "."]);
    let text = stdout(&out);
    assert!(!text.contains("SL001"), "{text}");
    let mut expected = vec![
        "/Cargo.toml:1:1: info SL005 not read: the file is outside the folders slint was given".to_string(),
        "/etc/Cargo.toml:1:1: info SL005 not read: the file is outside the folders slint was given".to_string(),
        "linked.yaml:1:1: info SL005 not read: the file is outside the folders slint was given".to_string(),
    ];
    for (id, uri, line) in [("Up", "../../..", 6), ("Etc", "/etc", 9), ("Root", "/", 12)] {
        expected.push(format!(
            "code/template.yaml:{line}:28: info SL005 slint cannot find the code of function `{id}`: not read: `{uri}` is outside the folders slint was given"
        ));
    }
    if fifos {
        for file in ["fifo/Cargo.toml", "fifo/template.yaml"] {
            expected.push(format!("{file}:1:1: info SL005 not read: not a regular file"));
        }
    }
    for line in &expected {
        assert_eq!(text.lines().filter(|l| l.starts_with(line.as_str())).count(), 1, "{line}\nin:\n{text}");
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// Defect 8: with CR-only line ends every finding was on line 1.
#[test]
fn carriage_return_line_ends_give_the_same_positions() {
    let dir = scratch("cr");
    let text = std::fs::read_to_string(root().join("testdata/SL104/bad.yaml")).unwrap();
    write(&dir, "lf/template.yaml", &text);
    write(&dir, "cr/template.yaml", text.replace('\n', "\r"));
    write(&dir, "crlf/template.yaml", text.replace('\n', "\r\n"));
    let lf = run(&dir, &["check", "--no-config", "--format", "concise", "lf"]);
    assert!(positions(&lf).iter().any(|p| !p.starts_with("1:")), "{}", stdout(&lf));
    for folder in ["cr", "crlf"] {
        let out = run(&dir, &["check", "--no-config", "--format", "concise", folder]);
        assert_eq!(positions(&out), positions(&lf), "{folder}: {}", stdout(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 9: a logical id holding ESC and BEL reached the terminal raw in the human and concise
/// formats (a template could retitle or recolour the terminal). Control characters are escaped
/// in every text format, in messages, snippets and file names.
#[cfg(unix)]
#[test]
fn terminal_escapes_in_templates_never_reach_the_output() {
    let dir = scratch("ansi");
    let function =
        "    Type: AWS::Serverless::Function\n    Properties: { CodeUri: ., Handler: b, Runtime: python3.12 }\n";
    // An escaped logical id (YAML `\e`, `\a`), and raw control bytes in a comment a snippet shows.
    let template = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  \"Q\\e]0;PWNED\\a\\e[31mRED\\u009b\\u202e\":\n{function}  # \u{1b}]0;RAW\u{7} \u{1b}[32m\n  Plain:\n{function}"
    );
    write(&dir, "template.yaml", &template);
    write(&dir, "named\u{1b}[35m.yaml", &template);
    for format in ["human", "concise", "github"] {
        for color in ["never", "always"] {
            let out = run(&dir, &["check", "--no-config", "--format", format, "--color", color, "."]);
            assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
            let text = stdout(&out);
            assert!(text.contains("PWNED") && text.contains("RED"), "{format}: the id is shown");
            for injected in ["\u{1b}]", "\u{7}", "\u{1b}[31m", "\u{1b}[32m", "\u{1b}[35m", "\u{9b}", "\u{202e}"] {
                assert!(!text.contains(injected), "{format} --color {color}: {injected:?} reached the output:\n{text}");
            }
            if color == "never" || format != "human" {
                assert!(!text.contains('\u{1b}'), "{format} --color {color}: ESC in the output");
            }
        }
    }
    let concise = stdout(&run(&dir, &["check", "--no-config", "--format", "concise", "template.yaml"]));
    assert!(concise.contains("function `Q\\u{1b}]0;PWNED\\u{7}\\u{1b}[31mRED\\u{9b}\\u{202e}`"), "{concise}");
    // The JSON formats escape them their own way and stay valid.
    for format in ["json", "sarif"] {
        let out = run(&dir, &["check", "--no-config", "--format", format, "."]);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("valid JSON");
        assert!(!out.stdout.contains(&0x1b), "{format}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 10: a 35 MB slint.toml took 729 MB before it was rejected, packs had no size limit,
/// and `max-file-size` (and the other numbers) in a committed config had no ceiling.
#[test]
fn config_and_packs_have_size_limits_and_ceilings() {
    let dir = scratch("ceilings");
    sample_copy(&dir);
    let huge = format!("exclude = [{}]\n", "\"x\",".repeat(400_000));
    write(&dir, "slint.toml", &huge);
    let start = Instant::now();
    assert_refused(&run(&dir, &["check", "."]), "larger than the 1048576 byte limit", "a 1.6 MB slint.toml");
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    write(&dir, "big.guard", format!("{RULES}{}", "# padding\n".repeat(120_000)));
    let out = run(&dir, &["check", "--no-config", "--pack", "big.guard", "."]);
    assert_refused(
        &out,
        "cannot read Guard pack big.guard: the file is 1200040 bytes, larger than the 1048576 byte limit",
        "big pack",
    );
    for (config, expected) in [
        ("max-file-size = 99999999999999\n", "max-file-size: 99999999999999 bytes is more than the 67108864 bytes"),
        ("[accounts.prod]\nquota = 9223372036854775807\n", "more than the 10000000 slint takes"),
        ("[functions.F]\npeak-rps = 1e300\n", "must be a positive number of at most 1000000000"),
        ("[functions.F]\navg-duration-ms = 1e12\n", "must be a positive number of at most 900000"),
        ("[rules.SL506]\nmax-routes = 9223372036854775807\n", "`max-routes` must be an integer from 0 to 1000000"),
    ] {
        write(&dir, "slint.toml", config);
        assert_refused(&run(&dir, &["check", "."]), expected, config);
    }
    // At the ceiling a config is fine.
    write(&dir, "slint.toml", "max-file-size = 67108864\n");
    assert_eq!(run(&dir, &["check", "."]).status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}
