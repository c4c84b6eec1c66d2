//! The command line (clap definitions only; `main.rs` acts on them).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::FailOn;
use crate::config::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "slint",
    version,
    about = "An architecture linter for AWS serverless projects: SAM/CloudFormation templates and the Rust Lambdas they deploy."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders (default: the current folder).
    Check(CheckArgs),
    /// List every rule: code, name, category, default severity.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Concurrency budget per function and per account: reservations, declared load, quota.
    Capacity(CapacityArgs),
    /// Run a Guard pack's unit tests (the `cfn-guard test` format).
    TestPack(TestPackArgs),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to report findings for (default: the current folder). The whole
    /// project around them is loaded; named files are always linted.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Rules to enable (codes, prefixes like SL1, names, categories, ALL); replaces the config's.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Option<Vec<String>>,
    /// Rules to disable; replaces the config's.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Option<Vec<String>>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// A Guard rule pack (.guard file, folder, or builtin:<name>); repeatable.
    #[arg(long, value_name = "PATH")]
    pub pack: Vec<String>,
    /// Globs of paths not to lint; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print findings only, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the output to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Report only findings not recorded in this baseline file (default: `baseline` in slint.toml).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore the baseline of slint.toml: report every finding.
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,
    /// Record the findings in FILE as a baseline (and report nothing).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "statistics"])]
    pub write_baseline: Option<PathBuf>,
    /// Print the number of findings of each rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `human` (a table) or `json`.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Also list the rules of this Guard pack (.guard file, folder, or builtin:<name>); repeatable.
    /// The packs of slint.toml are listed too.
    #[arg(long, value_name = "PATH")]
    pub pack: Vec<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Which slint.toml to read: the nearest one, a named one, or none.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this config file instead of the nearest slint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every slint.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (SL101), name (uncapped-async-consumer) or Guard pack rule (org/RULE_NAME).
    pub rule: String,
    /// A Guard pack to look pack rules up in (besides the packs of slint.toml); repeatable.
    #[arg(long, value_name = "PATH")]
    pub pack: Vec<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CapacityFormat {
    /// A table per account.
    Human,
    /// The budgets as JSON.
    Json,
    /// A self-contained HTML page with a chart of each account's concurrency.
    Html,
}

#[derive(Debug, Args)]
pub struct CapacityArgs {
    /// Files and folders holding the templates (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = CapacityFormat::Human)]
    pub format: CapacityFormat,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Globs of paths not to read; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TestPackArgs {
    /// The pack: a .guard file, a folder of them, or builtin:<name>.
    pub pack: String,
    /// Test files (a file or a folder) instead of `tests/<rules file stem>*.yaml` next to the rules.
    #[arg(long, value_name = "PATH")]
    pub test_data: Option<PathBuf>,
}
