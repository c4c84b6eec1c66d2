//! The subcommands, as functions from parsed arguments to an exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::cli::{
    CapacityArgs, CapacityFormat, CheckArgs, ColorChoice, ConfigArgs, ExplainArgs, ListFormat, RulesArgs, TestPackArgs,
};
use crate::config::OutputFormat;
use crate::error::{Error, Result};
use crate::report::{self, RenderOptions};
use crate::root::{Marker, Request};
use crate::rules::registry;
use crate::settings::Settings;
use crate::{BaselineUse, config};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// `slint check`.
pub fn check(args: CheckArgs) -> u8 {
    match run_check(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("slint: {err}");
            EXIT_ERROR
        }
    }
}

fn run_check(args: CheckArgs) -> Result<u8> {
    let cwd = std::env::current_dir().map_err(|e| Error::new(format!("cannot read the current folder: {e}")))?;
    let request = Request::resolve(&args.paths, &cwd);
    let settings = resolve_settings(&args, cwd, &request)?;
    if let Some(requested) = settings.threads {
        let threads = thread_count(requested);
        if threads < requested {
            eprintln!(
                "slint: note: {requested} threads are more than {} per core; using {threads}",
                crate::limits::MAX_THREADS_PER_CORE
            );
        }
        // Only fails if the pool was already built, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    }
    let baseline = match (&args.write_baseline, args.baseline.as_ref().or(settings.baseline.as_ref())) {
        (Some(_), _) => BaselineUse::Record,
        (None, Some(path)) if !args.no_baseline => BaselineUse::Compare(Baseline::load(path, &settings.cwd)?),
        (None, _) => BaselineUse::None,
    };
    let outcome = crate::check_request(&request, &settings, &baseline)?;
    warn_about_unused_accounts(&settings, &outcome.project);
    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &outcome, &request, &settings);
    }
    refuse_output_over_an_input(settings.output.as_deref(), &settings, &outcome.project)?;
    if args.statistics {
        let text = report::statistics(&outcome.report, settings.format, settings.quiet);
        write_output(&settings, text.as_bytes())?;
        return Ok(if outcome.fails(&settings) { EXIT_FINDINGS } else { EXIT_CLEAN });
    }
    let options =
        RenderOptions { color: use_color(args.color, &settings), width: terminal_width(), quiet: settings.quiet };
    let rules = &outcome.rules;
    let mut buffer = Vec::with_capacity(4096);
    report::render(settings.format, &outcome.report, &outcome.project.db, rules, options, &mut buffer)
        .map_err(|e| Error::new(format!("cannot render the report: {e}")))?;
    write_output(&settings, &buffer)?;
    crate::timings::mark(|| "report rendered and written".into());
    let code = if outcome.fails(&settings) { EXIT_FINDINGS } else { EXIT_CLEAN };
    // The process ends right after this: freeing every tree and file one by one would cost
    // a few percent of the run for nothing, so let the OS reclaim it all at once.
    std::mem::forget(outcome);
    Ok(code)
}

/// The worker threads for a requested count: at least one, at most
/// [`crate::limits::max_threads`] (`threads = 100000` in a committed `slint.toml` must not stall
/// CI; rayon's idle workers sleep once they find no work, but starting and waking a hundred
/// thousand of them does not end).
pub fn thread_count(requested: usize) -> usize {
    requested.clamp(1, crate::limits::max_threads())
}

/// `--write-baseline FILE`: the report's findings, as a baseline, to FILE; nothing on stdout.
fn write_baseline(path: &Path, outcome: &crate::Outcome, request: &Request, settings: &Settings) -> Result<u8> {
    refuse_output_over_an_input(Some(path), settings, &outcome.project)?;
    let text = crate::baseline::render(&outcome.report.findings, &outcome.project, &request.root);
    write_file_atomically(path, text.as_bytes())
        .map_err(|e| Error::new(format!("cannot write {}: {}", path.display(), crate::fs::io_reason(&e))))?;
    let count = outcome.report.findings.len();
    eprintln!("slint: recorded {count} finding{} in {}", if count == 1 { "" } else { "s" }, path.display());
    if !request.is_whole_project() {
        // The file replaces the old one: a baseline of part of the project forgets the rest.
        eprintln!(
            "slint: note: only the findings of the paths given were recorded; run `slint check --write-baseline` at {} to record the whole project",
            crate::files::display_path(&request.root, &settings.cwd)
        );
    }
    Ok(EXIT_CLEAN)
}

/// Settings from the config file: named with `--config`, else the one that marks the
/// project root, else found from `cwd` upwards, or none.
fn configured_settings(cwd: &Path, args: &ConfigArgs) -> Result<Settings> {
    configured_settings_in(cwd, args, None)
}

fn configured_settings_in(cwd: &Path, args: &ConfigArgs, request: Option<&Request>) -> Result<Settings> {
    let mut settings = Settings::new(cwd.to_path_buf(), crate::rules::registry::catalog());
    let root_config = request.filter(|r| r.marker == Marker::Config).map(|r| r.root.join(config::FILE_NAME));
    let config_path = match (args.config.as_deref(), args.no_config) {
        (Some(path), _) => Some(crate::fs::absolute(cwd, path)),
        (None, true) => None,
        (None, false) => root_config.or_else(|| config::find(cwd)),
    };
    if let Some(path) = config_path {
        let loaded = config::load(&path)?;
        settings.apply_config(&loaded)?;
    }
    Ok(settings)
}

/// Config file (found, named or none), then command-line flags on top.
pub fn resolve_settings(args: &CheckArgs, cwd: PathBuf, request: &Request) -> Result<Settings> {
    let mut settings = configured_settings_in(&cwd, &args.config, Some(request))?;
    if let Some(format) = args.format {
        settings.format = format;
    }
    if let Some(select) = &args.select {
        settings.set_select(select)?;
    }
    if let Some(ignore) = &args.ignore {
        settings.set_ignore(ignore)?;
    }
    if let Some(fail_on) = args.fail_on {
        settings.fail_on = fail_on;
    }
    for pattern in &args.exclude {
        settings.exclude.add(&cwd, pattern)?;
    }
    settings.packs.extend(args.pack.iter().cloned());
    if args.threads.is_some() {
        settings.threads = args.threads;
    }
    settings.quiet |= args.quiet;
    settings.inject_panic = std::env::var("SLINT_INTERNAL_PANIC").ok();
    if let Some(output) = &args.output {
        settings.output = Some(output.clone());
    }
    Ok(settings)
}

fn use_color(choice: ColorChoice, settings: &Settings) -> bool {
    if settings.format != OutputFormat::Human {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            settings.output.is_none() && !no_color && std::io::stdout().is_terminal()
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w| *w >= 40).unwrap_or(100)
}

/// Writes to `--output` or stdout. Nothing else is ever written.
fn write_output(settings: &Settings, bytes: &[u8]) -> Result<()> {
    match &settings.output {
        Some(path) => write_file_atomically(path, bytes)
            .map_err(|e| Error::new(format!("cannot write {}: {}", path.display(), crate::fs::io_reason(&e)))),
        None => write_stdout(bytes),
    }
}

/// Writes to stdout. A failed write or flush is an error (exit 2): `slint check > report.sarif`
/// on a full disk must not pass as a clean run with the report lost. A closed pipe
/// (`slint check | head`) is not: whoever reads has what they wanted.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(format!("cannot write the output to standard output: {}", crate::fs::io_reason(&e))))
        }
        _ => Ok(()),
    }
}

/// Writes `path` whole or not at all: the report goes to a temporary file in the same folder,
/// then replaces `path` by a rename, so a failed or interrupted run never leaves half a report
/// (nor destroys the previous one). A symlink is written through (its target is replaced); a
/// path that exists but is not a regular file (`/dev/stdout`, `/dev/null`, a FIFO) is written
/// to directly, as there is nothing to replace.
fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return std::fs::write(path, bytes);
    }
    let target = if existing.is_some() { std::fs::canonicalize(path)? } else { path.to_path_buf() };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let folder = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temporary = folder.join(format!(".{name}.slint-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
        }
        std::fs::rename(&temporary, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// `--output` naming a file the run read (a template, a `.rs` file or `Cargo.toml`, the
/// config, a pack, a file named on the command line) is refused (exit 2): the report would
/// replace the file it just linted. Compared by device and inode, so another spelling of the
/// path, a symlink or a hard link to the input is caught too.
fn refuse_output_over_an_input(
    output: Option<&Path>,
    settings: &Settings,
    project: &crate::project::Project,
) -> Result<()> {
    let Some(output) = output else { return Ok(()) };
    let Some(target) = file_identity(output) else { return Ok(()) };
    let config = settings.config_path.iter().cloned();
    let packs = settings.packs.iter().filter(|p| !p.starts_with("builtin:")).map(|p| settings.cwd.join(p));
    let inputs = project.db.iter().map(|f| f.path.clone()).chain(config).chain(packs);
    for input in inputs {
        let is_input = if input.is_dir() {
            // A pack folder: any file below it.
            std::fs::canonicalize(output)
                .ok()
                .zip(std::fs::canonicalize(&input).ok())
                .is_some_and(|(out, dir)| out.starts_with(dir))
        } else {
            file_identity(&input) == Some(target)
        };
        if is_input {
            return Err(Error::new(format!(
                "refusing to write the report to {}: it is a file slint reads ({}); choose another --output",
                output.display(),
                crate::files::display_path(&input, &settings.cwd)
            )));
        }
    }
    Ok(())
}

/// The device and inode of an existing regular file.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok().filter(std::fs::Metadata::is_file)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        std::fs::canonicalize(path).ok().map(|p| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            p.hash(&mut h);
            (0, h.finish())
        })
    }
}

/// `slint rules`: the built-in rules, then the rules of the packs of slint.toml and `--pack`.
pub fn rules(args: RulesArgs) -> u8 {
    let mut infos = registry::infos();
    match pack_rules(&args.pack, &args.config) {
        Ok(pack_infos) => infos.extend(pack_infos),
        Err(err) => {
            eprintln!("slint: {err}");
            return EXIT_ERROR;
        }
    }
    let text = match args.format {
        ListFormat::Human => report::rules_table(&infos),
        ListFormat::Json => report::rules_json(&infos),
    };
    print_or_fail(&text, EXIT_CLEAN)
}

/// Prints `text`; `code` if that worked, else the error and exit 2.
fn print_or_fail(text: &str, code: u8) -> u8 {
    match write_stdout(text.as_bytes()) {
        Ok(()) => code,
        Err(err) => {
            eprintln!("slint: {err}");
            EXIT_ERROR
        }
    }
}

/// The rules of the packs named in slint.toml (as `check` would find it) and on the command line.
fn pack_rules(extra: &[String], config: &ConfigArgs) -> Result<Vec<crate::diagnostic::RuleInfo>> {
    let cwd = std::env::current_dir().map_err(|e| Error::new(format!("cannot read the current folder: {e}")))?;
    let mut settings = configured_settings(&cwd, config)?;
    settings.packs.extend(extra.iter().cloned());
    Ok(crate::guard::Packs::load(&settings.packs, &cwd)?.infos())
}

/// `slint explain CODE|NAME`: a built-in rule, else a rule of the packs of slint.toml and `--pack`
/// (the config is only read when the rule is not built in, so a broken config cannot hide the docs).
pub fn explain(args: ExplainArgs) -> u8 {
    if let Some(meta) = registry::lookup(&args.rule) {
        return print_or_fail(&report::explain(meta), EXIT_CLEAN);
    }
    let pack_infos = match pack_rules(&args.pack, &args.config) {
        Ok(infos) => infos,
        Err(err) => {
            eprintln!("slint: {err}");
            return EXIT_ERROR;
        }
    };
    match pack_infos.iter().find(|info| info.code == args.rule.as_str()) {
        Some(info) => print_or_fail(&report::printable(&report::explain_pack_rule(info)), EXIT_CLEAN),
        None => {
            eprintln!("slint: unknown rule `{}` (see `slint rules`)", args.rule);
            EXIT_ERROR
        }
    }
}

/// `slint capacity`.
pub fn capacity(args: CapacityArgs) -> u8 {
    match run_capacity(args) {
        Ok(()) => EXIT_CLEAN,
        Err(err) => {
            eprintln!("slint: {err}");
            EXIT_ERROR
        }
    }
}

fn run_capacity(args: CapacityArgs) -> Result<()> {
    let cwd = std::env::current_dir().map_err(|e| Error::new(format!("cannot read the current folder: {e}")))?;
    let request = Request::resolve(&args.paths, &cwd);
    request.check_paths()?;
    let mut settings = configured_settings_in(&cwd, &args.config, Some(&request))?;
    for pattern in &args.exclude {
        settings.exclude.add(&cwd, pattern)?;
    }
    settings.output = args.output.clone();
    let project = crate::load_request(&request, &settings)?;
    warn_about_unused_accounts(&settings, &project);
    refuse_output_over_an_input(settings.output.as_deref(), &settings, &project)?;
    let plan = crate::capacity::plan(&project, &settings);
    let text = match args.format {
        CapacityFormat::Human => report::capacity::table(&plan),
        CapacityFormat::Json => report::capacity::json(&plan),
        CapacityFormat::Html => report::capacity::html(&plan),
    };
    write_output(&settings, text.as_bytes())
}

/// An account mapping that claims no template of the run is probably a typo; say so on
/// stderr and go on (a pre-commit run on a few files legitimately misses accounts, so this
/// is not an error).
fn warn_about_unused_accounts(settings: &Settings, project: &crate::project::Project) {
    for account in settings.accounts.iter().filter(|a| !a.templates.is_empty()) {
        let used = project.templates.iter().any(|t| account.claims(&project.db.get(t.file).path));
        if !used {
            let at = account.declared_at.as_deref().unwrap_or("slint.toml");
            eprintln!("slint: warning: {at}: account `{}` matches no template of this run", account.name);
        }
    }
}

/// `slint test-pack`: 0 when every case passes, 1 when one fails, 2 for a broken pack or test
/// file.
pub fn test_pack(args: TestPackArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    // Written once at the end, so a failed write to stdout is seen (and is exit 2).
    let mut out = Vec::new();
    let outcome = crate::guard::test_pack(&args.pack, args.test_data.as_deref(), &cwd, &mut out);
    let code = match &outcome {
        Ok(true) => EXIT_CLEAN,
        Ok(false) => EXIT_FINDINGS,
        Err(_) => EXIT_ERROR,
    };
    let code = print_or_fail(&String::from_utf8_lossy(&out), code);
    if let Err(err) = outcome {
        eprintln!("slint: {err}");
    }
    code
}
