//! Hostile input, end to end: a folder of files built to hurt a linter (huge, deep, explosive,
//! binary, mis-encoded, looping, unreadable, randomly broken) must cost slint seconds and a
//! bounded amount of memory, and give one precise finding per bad file. The folder is generated
//! at test time (the files are tens of MB; none is committed). Each crafted file is a case
//! issue 6 names, or a resource bomb found while working on it (merge keys, `Globals`).
//!
//! Also: slint writes nothing but its `--output` file.

#[path = "support/tree.rs"]
mod tree;
use tree::copy_tree;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under the system temp dir for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slint-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs slint in `dir` under a 4 GB address-space limit: a file that made slint allocate
/// without bound would end the run instead of passing slowly.
fn slint_limited(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_slint"))
        .args(args)
        .current_dir(dir)
        .env_remove("SLINT_INTERNAL_PANIC");
    command.output().expect("slint runs")
}

const HEADER: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n";

/// What the crafted file at a path must produce: exactly one finding, here.
struct Expected {
    file: &'static str,
    code: &'static str,
    line: u64,
    column: u64,
    message: String,
}

/// 1-based line and column (in characters, a leading BOM not counted) of byte `offset`.
fn position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before[line_start..].trim_start_matches('\u{feff}').chars().count() as u64 + 1;
    (line, column)
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The oversized, deep and explosive templates.
fn resource_bombs(dir: &Path, expected: &mut Vec<Expected>) {
    // 60 MB: refused on its size, before a byte of it is read.
    let function = "  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: bootstrap, Timeout: 30}\n";
    let mut big = String::from(HEADER);
    while big.len() < 60_000_000 {
        big.push_str(function);
    }
    write(dir, "big.yaml", &big);
    let limit = format!("larger than the {} byte limit", slint::limits::DEFAULT_MAX_FILE_SIZE);
    expect_push(expected, "big.yaml", "SL001", (1, 1), format!("file is {} bytes, {limit}", big.len()));

    // 100,000 nested flow sequences: saphyr's own flow limit stops at the 256th bracket.
    let text = format!("{HEADER}  A: {}\n", "[".repeat(100_000));
    write(dir, "deep-seq.yaml", &text);
    let at = position(&text, HEADER.len() + 5 + 255);
    expect_push(expected, "deep-seq.yaml", "SL001", at, "flow collections (`[`, `{`) nested deeper than 255 levels");

    // The same in JSON: the bracket pre-scan stops at the 257th level, before jsonc-parser.
    let text = format!("{{\"Resources\": {}\n", "[".repeat(100_000));
    write(dir, "deep-seq.json", &text);
    expect_push(expected, "deep-seq.json", "SL001", position(&text, 14 + 255), "nesting deeper than 256 levels");

    // 50,000 nested flow mappings: the tree builder's depth limit (root and Resources are the
    // first two levels).
    let text = format!("{HEADER}  A: {}\n", "{a: ".repeat(50_000));
    write(dir, "deep-map.yaml", &text);
    let at = position(&text, HEADER.len() + 5 + 4 * 254);
    expect_push(expected, "deep-map.yaml", "SL001", at, "nesting deeper than 256 levels");

    // A billion lols: aliases are shared nodes, so only their expanded count grows; the
    // eighth `*l4` of `l5` crosses a million.
    let mut text = String::from(HEADER);
    text.push_str("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let items = vec![format!("*l{}", level - 1); 10].join(", ");
        text.push_str(&format!("  l{level}: &l{level} [{items}]\n"));
    }
    write(dir, "alias-bomb.yaml", &text);
    let at = position(&text, text.find("  l5:").unwrap() + 11 + 7 * 5);
    expect_push(expected, "alias-bomb.yaml", "SL001", at, "aliases expand to more than 1000000 nodes (alias bomb?)");

    // A 1 MiB key merged into 300,000 mappings: shared, not copied, but hashed per merge;
    // the 65th merge crosses the 64 MiB budget.
    let text = format!(
        "AWSTemplateFormatVersion: x\na: &a {{{}: 1}}\nResources: [{}]\n",
        "K".repeat(1 << 20),
        vec!["{<<: *a}"; 300_000].join(", ")
    );
    write(dir, "merge-bomb.yaml", &text);
    let at = position(&text, text.find("Resources: [").unwrap() + 12 + 64 * 10);
    let message = "aliases and merge keys repeat more than 67108864 bytes of mapping keys (alias bomb?)";
    expect_push(expected, "merge-bomb.yaml", "SL001", at, message);

    // A 100,000-key `Globals` section merged into 1,999 functions: 200 million entries.
    let variables: Vec<String> = (0..100_000).map(|i| format!("k{i}: v")).collect();
    let function = "    Type: AWS::Serverless::Function\n    Properties: {Environment: {Variables: {X: 1}}}\n";
    let functions: String = (0..1_999).map(|i| format!("  F{i}:\n{function}")).collect();
    let text = format!(
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: {{Environment: {{Variables: {{{}}}}}}}\n\
         Resources:\n{functions}",
        variables.join(", ")
    );
    write(dir, "globals-bomb.yaml", &text);
    let message = "merging `Globals` into the resources writes more than 1000000 entries";
    expect_push(expected, "globals-bomb.yaml", "SL001", (2, 1), message);

    // 20 MB on one line (under the 20 MiB limit), broken at its very end.
    let mut text = String::from("Resources: {Q: {Type: AWS::SQS::Queue, Properties: {QueueName: ");
    text.push_str(&"q".repeat(20_000_000 - 100));
    text.push_str("}}, Bad: [}\n");
    write(dir, "long-line.yaml", &text);
    let at = position(&text, text.len() - 2);
    expect_push(expected, "long-line.yaml", "SL001", at, "while parsing a node, did not find expected node content");
}

fn expect_push(
    expected: &mut Vec<Expected>,
    file: &'static str,
    code: &'static str,
    at: (u64, u64),
    message: impl Into<String>,
) {
    let (line, column) = at;
    expected.push(Expected { file, code, line, column, message: message.into() });
}

/// Bytes that are not text, text that is not UTF-8, and UTF-8 dressed up (BOM, CRLF).
fn encodings(dir: &Path, expected: &mut Vec<Expected>) {
    let text = format!("{HEADER}  Q:\n    Type: AWS::SQS::Queue\0\0\n");
    write(dir, "nul.yaml", &text);
    let at = position(&text, text.find('\0').unwrap());
    expect_push(expected, "nul.yaml", "SL001", at, "file contains a NUL byte; binary files cannot be templates");

    let mut bytes = format!("{HEADER}  Q:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: caf").into_bytes();
    let at = position(std::str::from_utf8(&bytes).unwrap(), bytes.len());
    bytes.extend_from_slice(b"\xE9}\n");
    write(dir, "latin1.yaml", &bytes);
    expect_push(expected, "latin1.yaml", "SL001", at, "file is not valid UTF-8: invalid byte 0xE9");

    // A duplicate key after a BOM: columns do not count the BOM.
    let text = format!("\u{feff}{HEADER}  Topic:\n    Type: AWS::SNS::Topic\n    Type: AWS::SNS::Topic\n");
    write(dir, "bom.yaml", &text);
    expect_push(expected, "bom.yaml", "SL002", (5, 5), "key `Type` is repeated");

    // CRLF line endings: a `\r` is not a column, and lines still count right.
    let text =
        format!("{HEADER}  Topic:\n    Type: AWS::SNS::Topic\n    Type: AWS::SNS::Topic\n").replace('\n', "\r\n");
    write(dir, "crlf.yaml", &text);
    expect_push(expected, "crlf.yaml", "SL002", (5, 5), "key `Type` is repeated");

    let text = "\u{feff}{\r\n  \"Resources\": {\r\n    \"Q\": {\"Type\": \"AWS::SQS::Queue\"},\r\n  }\r\n}\r\n";
    write(dir, "crlf-bom.json", text);
    expect_push(expected, "crlf-bom.json", "SL001", (3, 37), "trailing comma: JSON allows no `,` before `]` or `}`");
}

/// A Lambda crate whose `main.rs` nests 100,000 brackets: not parsed (syn would recurse), an
/// SL005 note at the first bracket too deep.
fn deep_rust(dir: &Path, expected: &mut Vec<Expected>) {
    let manifest = "[package]\nname = \"deep\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
        lambda_runtime = \"0.13\"\n\n[profile.release]\nstrip = true\nlto = true\ncodegen-units = 1\n";
    write(dir, "deep-crate/Cargo.toml", manifest);
    let text = format!("fn main() {{\n    let x = {};\n}}\n", "[".repeat(100_000));
    write(dir, "deep-crate/src/main.rs", &text);
    let at = position(&text, text.find('[').unwrap() + 255);
    let message = "brackets are nested more than 256 levels deep; the file is not analysed";
    expect_push(expected, "deep-crate/src/main.rs", "SL005", at, message);

    // 2 MB of Rust would cost syn about 300 MB: not parsed.
    write(dir, "big-crate/Cargo.toml", manifest.replace("\"deep\"", "\"big\""));
    let function = "fn f() -> u32 { let v = vec![1, 2, 3]; v.iter().map(|a| a + 1).sum::<u32>() }\n";
    write(dir, "big-crate/src/main.rs", function.repeat(2_000_000 / function.len()));
    let message = "file is 1999998 bytes; slint analyses Rust sources and manifests of up to 1048576 bytes";
    expect_push(expected, "big-crate/src/main.rs", "SL005", (1, 1), message);
}

/// A Lambda crate whose module file is outside the tree (`#[path]`): not read, a note at the
/// `mod` item. The outside file does not parse, so reading it would show.
fn escaping_rust(dir: &Path, outside: &Path, expected: &mut Vec<Expected>) {
    let manifest = "[package]\nname = \"escape\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
        lambda_runtime = \"0.13\"\n\n[profile.release]\nstrip = true\nlto = true\ncodegen-units = 1\n";
    write(dir, "escape-crate/Cargo.toml", manifest);
    write(outside, "secret.rs", "this is not rust, and not for the report\n");
    let text = "#[path = \"../../../outside/secret.rs\"]\nmod secret;\n\nfn main() {}\n";
    write(dir, "escape-crate/src/main.rs", text);
    let message = "module `secret`: not read: the file is outside the folders slint was given";
    expect_push(expected, "escape-crate/src/main.rs", "SL005", (2, 1), message);
}

/// Symlinks that loop, and one that leads out of the tree (to a template with findings): that
/// one is not read, and says so (SL005), rather than vanishing.
#[cfg(unix)]
fn symlinks(dir: &Path, outside: &Path, expected: &mut Vec<Expected>) {
    use std::os::unix::fs::symlink;
    symlink("loop-b.yaml", dir.join("loop-a.yaml")).unwrap();
    symlink("loop-a.yaml", dir.join("loop-b.yaml")).unwrap();
    symlink(".", dir.join("dir-loop")).unwrap();
    std::fs::copy(root().join("testdata/SL301/bad.yaml"), outside.join("template.yaml")).unwrap();
    symlink(outside.join("template.yaml"), dir.join("escape.yaml")).unwrap();
    symlink(outside, dir.join("escape-dir")).unwrap();
    for link in ["loop-a.yaml", "loop-b.yaml"] {
        expect_push(expected, link, "SL001", (1, 1), "symlink loop: the link resolves to itself");
    }
    let message = "not read: the file is outside the folders slint was given";
    expect_push(expected, "escape.yaml", "SL005", (1, 1), message);
}

/// A file and a folder nobody may read. Root reads them anyway, so there is nothing to expect.
#[cfg(unix)]
fn unreadable(dir: &Path, expected: &mut Vec<Expected>) {
    use std::os::unix::fs::PermissionsExt;
    write(dir, "secret.yaml", format!("{HEADER}  Q: {{Type: AWS::SQS::Queue}}\n"));
    write(dir, "locked/template.yaml", format!("{HEADER}  Q: {{Type: AWS::SQS::Queue}}\n"));
    std::fs::set_permissions(dir.join("secret.yaml"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(dir.join("secret.yaml")).is_ok() {
        eprintln!("running as root: permissions do not deny reads, so the unreadable cases are not asserted");
        return;
    }
    expect_push(expected, "secret.yaml", "SL001", (1, 1), "cannot read file: permission denied");
    expect_push(expected, "locked", "SL001", (1, 1), "cannot read: permission denied");
}

#[cfg(unix)]
fn restore_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for path in [dir.join("secret.yaml"), dir.join("locked")] {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
    }
}

/// A deterministic xorshift generator: the same mutants on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes YAML gives meaning to, and a few that break encodings.
const SPICE: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"!Ref ",
    b"!GetAtt ",
    b"<<: ",
    b": ",
    b"- ",
    b"\n",
    b"\t",
    b"'",
    b"\"",
    b"#",
    b"|",
    b">",
    b"---\n",
    b"\xE9",
    b"\0",
    b"\r\n",
    b"\xEF\xBB\xBF",
    b"? ",
    b"%YAML 1.1\n",
];

/// One random change: flip a byte, delete, duplicate or move a range, insert a YAML token.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len();
    let at = rng.below(len);
    match rng.below(5) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => {
            let end = (at + rng.below(64)).min(len);
            bytes.drain(at..end);
        }
        2 => {
            let end = (at + rng.below(256)).min(len);
            let copy = bytes[at..end].to_vec();
            let to = rng.below(len);
            bytes.splice(to..to, copy);
        }
        3 => {
            let spice = SPICE[rng.below(SPICE.len())];
            bytes.splice(at..at, spice.iter().copied());
        }
        _ => {
            let end = (at + rng.below(32)).min(len);
            let token = bytes[at..end].to_vec();
            for _ in 0..rng.below(8) {
                let to = rng.below(bytes.len());
                bytes.splice(to..to, token.iter().copied());
            }
        }
    }
}

/// 200 copies of the sample template, each with 1 to 8 random changes.
fn mutants(dir: &Path) -> usize {
    let original = std::fs::read(root().join("testdata/sample-project/template.yaml")).unwrap();
    let mut rng = Rng(0x5EED_CAFE_F00D_D00D);
    for i in 0..200 {
        let mut bytes = original.clone();
        for _ in 0..=rng.below(8) {
            mutate(&mut bytes, &mut rng);
        }
        write(dir, &format!("mutants/{i:03}.yaml"), bytes);
    }
    200
}

fn findings_by_file(json: &Value) -> BTreeMap<String, Vec<&Value>> {
    let mut by_file: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for finding in json["findings"].as_array().expect("findings") {
        by_file.entry(finding["file"].as_str().unwrap().to_string()).or_default().push(finding);
    }
    by_file
}

#[test]
fn a_hostile_folder_costs_seconds_and_one_precise_finding_per_bad_file() {
    let base = scratch("folder");
    let (dir, outside) = (base.join("root"), base.join("outside"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let mut expected = Vec::new();
    resource_bombs(&dir, &mut expected);
    encodings(&dir, &mut expected);
    deep_rust(&dir, &mut expected);
    escaping_rust(&dir, &outside, &mut expected);
    #[cfg(unix)]
    symlinks(&dir, &outside, &mut expected);
    #[cfg(unix)]
    unreadable(&dir, &mut expected);
    let mutant_count = mutants(&dir);

    let start = Instant::now();
    let out = slint_limited(&dir, &["check", "--format", "json", "--fail-on", "error", "."]);
    let elapsed = start.elapsed();
    #[cfg(unix)]
    restore_permissions(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "nothing on stderr: {stderr}");
    eprintln!("slint check on the hostile folder: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");

    let json: Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    let by_file = findings_by_file(&json);
    for case in &expected {
        let found = by_file.get(case.file).map(Vec::as_slice).unwrap_or_default();
        let got: Vec<String> = found.iter().map(|f| describe(f)).collect();
        assert_eq!(found.len(), 1, "{}: one finding expected, got {got:#?}", case.file);
        let f = found[0];
        let actual = (f["code"].as_str().unwrap(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap());
        assert_eq!(actual, (case.code, case.line, case.column), "{}: {}", case.file, got[0]);
        assert!(f["message"].as_str().unwrap().starts_with(&case.message), "{}: {}", case.file, got[0]);
    }
    // Nothing out of the tree, nothing about links that are not files, no crash anywhere
    // (`escape.yaml` has its one `not read` finding, checked above).
    for file in by_file.keys() {
        assert!(!file.starts_with("..") && !file.starts_with('/'), "read outside the root: {file}");
        let through_link = ["escape.yaml/", "escape-dir/", "dir-loop/"].iter().any(|l| file.starts_with(l));
        assert!(!through_link, "followed a link: {file}");
    }
    let crashes: Vec<String> =
        by_file.values().flatten().filter(|f| f["code"] == "SL004").map(|f| describe(f)).collect();
    assert!(crashes.is_empty(), "internal errors: {crashes:#?}");
    let mutant_files = by_file.keys().filter(|f| f.starts_with("mutants/")).count();
    assert!(mutant_files > mutant_count / 2, "the mutants were read ({mutant_files} with findings)");
    // `SLINT_HOSTILE_KEEP=1` keeps the folder, to time a release build on it by hand.
    if std::env::var_os("SLINT_HOSTILE_KEEP").is_some() {
        eprintln!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&base);
    }
}

fn describe(finding: &Value) -> String {
    format!(
        "{}:{}:{}: {} {}",
        finding["file"].as_str().unwrap_or(""),
        finding["line"],
        finding["column"],
        finding["code"].as_str().unwrap_or(""),
        finding["message"].as_str().unwrap_or("")
    )
}

/// Every path under `dir` with its size and modification time (folders too).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        out.insert(path.clone(), (meta.len(), meta.modified().ok()));
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        }
    }
    out
}

#[test]
fn slint_writes_nothing_but_its_output_file() {
    let base = scratch("writes");
    let (project, home, report) = (base.join("project"), base.join("home"), base.join("report"));
    for dir in [&project, &home, &report] {
        std::fs::create_dir_all(dir).unwrap();
    }
    copy_tree(&root().join("testdata/sample-project"), &project);
    write(&project, "slint.toml", "fail-on = \"error\"\n");
    let before = snapshot(&base);
    let runs: &[&[&str]] = &[
        &["check"],
        &["check", "--format", "sarif"],
        &["check", "--format", "json", "--output", "../report/report.json"],
        &["capacity"],
        &["capacity", "--format", "html", "--output", "../report/capacity.html"],
        &["rules"],
        &["explain", "SL101"],
    ];
    for args in runs {
        let out = Command::new(env!("CARGO_BIN_EXE_slint"))
            .args(*args)
            .current_dir(&project)
            .env("HOME", &home)
            .env("TMPDIR", &home)
            .env("XDG_CACHE_HOME", &home)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let mut after = snapshot(&base);
    // The two reports are the only new files; their folder changed because they were added.
    for name in ["report.json", "capacity.html"] {
        let path = report.join(name);
        assert!(after.remove(&path).is_some_and(|(size, _)| size > 0), "{name} was written");
    }
    after.insert(report.clone(), before[&report]);
    assert_eq!(after, before, "slint changed something besides its --output files");
    let _ = std::fs::remove_dir_all(&base);
}
