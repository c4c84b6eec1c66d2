//! The `slint` binary: parse the command line, run the command, map the outcome to an exit
//! code (0 clean, 1 findings at or above `--fail-on`, 2 slint could not do its job).

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use slint::cli::{Cli, Command};
use slint::commands;

/// glibc's allocator cost about a third of a run's instructions (many small trees and ASTs,
/// built and dropped in parallel); mimalloc does the same work in far fewer.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    slint::timings::start();
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let code = match cli.command {
        Command::Check(args) => commands::check(args),
        Command::Rules(args) => commands::rules(args),
        Command::Explain(args) => commands::explain(args),
        Command::Capacity(args) => commands::capacity(args),
        Command::TestPack(args) => commands::test_pack(args),
    };
    ExitCode::from(code)
}

/// Help and version go to stdout with exit 0; a usage error is one line on stderr, exit 2.
fn usage_error(err: clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::from(2)
        }
        _ => {
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            eprintln!("slint: {first} (see `slint --help`)");
            ExitCode::from(2)
        }
    }
}

/// Panics caught by the rule engine become SL004 findings and print nothing; any other panic
/// is a bug that ends the run, reported in one line (exit code 101).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if !slint::fault::in_guarded_section() {
            eprintln!("slint: internal error: {info}; please report it");
        }
    }));
}
