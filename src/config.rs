//! `slint.toml`: the schema, discovery (current directory upwards) and precise errors.
//!
//! Unknown keys are errors that name the key, the file, and the line, so a typo never
//! silently disables a setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::span::LineIndex;

pub const FILE_NAME: &str = "slint.toml";

/// The lowest severity that makes `slint check` exit 1.
/// The output formats of `slint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// miette diagnostics with source snippets (colour only on a terminal).
    Human,
    /// `path:line:col: SEVERITY CODE message`, one per line.
    Concise,
    /// One JSON object, versioned (DESIGN §7).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (pull request annotations).
    Github,
    /// GitLab Code Quality JSON (merge request widget).
    Gitlab,
    /// JUnit XML (Jenkins, GitLab, Azure Pipelines test reports).
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

/// The file as written. Every field is optional; command-line flags override them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to enable: codes, code prefixes (`SL1`), names, categories, or `ALL`.
    pub select: Option<Vec<String>>,
    /// Rules to disable, same selectors.
    pub ignore: Option<Vec<String>>,
    pub fail_on: Option<FailOn>,
    pub format: Option<OutputFormat>,
    /// Globs (relative to this file's folder) of paths not to lint.
    pub exclude: Option<Vec<String>>,
    /// Guard rule packs: `.guard` files, folders of them, or `builtin:<name>`.
    pub packs: Option<Vec<String>>,
    pub threads: Option<usize>,
    /// Largest file slint reads, in bytes (default 20 MB).
    pub max_file_size: Option<u64>,
    /// A baseline file (relative to this file's folder): findings it records are not reported.
    pub baseline: Option<String>,
    /// Per-rule settings: `[rules.SL506]` with `severity` and the rule's options.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleConfig>,
    /// Globs mapped to rules ignored in matching files: `"legacy/**" = ["SL1"]`.
    #[serde(default)]
    pub per_path_ignores: BTreeMap<String, Vec<String>>,
    /// The AWS accounts templates deploy to, for concurrency budgets:
    /// `[accounts.prod]` with `quota` and `templates` globs. Templates no account claims go to
    /// the `default` account (quota 1000 unless `[accounts.default]` says otherwise).
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountConfig>,
    /// Per-function settings, keyed by logical id (`[functions.Orders]`) or by template and
    /// logical id (`[functions."app/template.yaml:Orders"]`).
    #[serde(default)]
    pub functions: BTreeMap<String, FunctionConfig>,
}

/// `[accounts.<name>]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AccountConfig {
    /// The regional concurrency quota (AWS default 1000).
    pub quota: Option<toml::Spanned<i64>>,
    /// Globs (relative to this file's folder) of the templates deployed to this account.
    #[serde(default)]
    pub templates: Vec<toml::Spanned<String>>,
}

/// `[functions.<id>]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FunctionConfig {
    /// Declared peak load, in requests (invocations) per second.
    pub peak_rps: Option<toml::Spanned<f64>>,
    /// Declared average duration of one invocation, in milliseconds.
    pub avg_duration_ms: Option<toml::Spanned<f64>>,
    /// The folder of the crate (or workspace) the function deploys, relative to this file,
    /// when the template does not say (a prebuilt zip, a custom build).
    #[serde(rename = "crate")]
    pub krate: Option<String>,
    /// The bin target of that crate.
    pub bin: Option<String>,
}

/// `[rules.<CODE or name>]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RuleConfig {
    pub severity: Option<String>,
    /// The rule's own options, validated against its declaration.
    #[serde(flatten)]
    pub options: BTreeMap<String, toml::Value>,
}

/// A loaded config and where it came from.
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    pub config: Config,
    pub path: PathBuf,
    /// The file's text, to point errors found after parsing at their line.
    pub text: String,
}

impl LoadedConfig {
    /// The folder relative paths in the config are resolved against.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// `path:line:col` of a byte offset in this config.
    pub fn at(&self, offset: usize) -> String {
        Self::locate(&self.path, &self.text, offset)
    }

    /// `path:line:col` of a byte offset in a config text, for error messages.
    pub fn locate(path: &Path, text: &str, offset: usize) -> String {
        let idx = LineIndex::new(text);
        let at = idx.line_col(text, u32::try_from(offset).unwrap_or(u32::MAX));
        format!("{}:{}:{}", path.display(), at.line, at.column)
    }
}

/// `slint.toml` in `start` or the nearest folder above it. Anything there but a folder counts:
/// a `slint.toml` that is a FIFO or a device is then refused by [`load`] (exit 2), rather than
/// silently skipped for another config further up.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| std::fs::metadata(candidate).is_ok_and(|m| !m.is_dir()))
}

/// Reads and parses a config file: a regular file of at most
/// [`crate::limits::MAX_CONFIG_BYTES`] (a FIFO, `/dev/zero` or `/dev/stdin` is refused
/// before it is opened).
pub fn load(path: &Path) -> Result<LoadedConfig> {
    let text = crate::limits::read_config_text(path, crate::limits::MAX_CONFIG_BYTES)
        .map_err(|why| Error::new(format!("cannot read config {}: {why}", path.display())))?;
    parse(path, &text)
}

/// Parses config text; errors carry `path:line:col` and the offending key.
pub fn parse(path: &Path, text: &str) -> Result<LoadedConfig> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let at = match e.span() {
            Some(span) => LoadedConfig::locate(path, text, span.start),
            None => path.display().to_string(),
        };
        Error::new(format!("invalid config {at}: {}", one_line(e.message())))
    })?;
    Ok(LoadedConfig { config, path: path.to_path_buf(), text: text.to_string() })
}

/// toml's messages name the key (`unknown field `selct`, expected one of ...`); keep them
/// on one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ").replace("field", "key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named_with_their_position() {
        let err = parse(Path::new("slint.toml"), "select = [\"SL1\"]\nselct = []\n").unwrap_err();
        assert!(err.message().starts_with("invalid config slint.toml:2:1: unknown key `selct`"), "{err}");
    }

    #[test]
    fn rule_sections_take_severity_and_options() {
        let cfg =
            parse(Path::new("slint.toml"), "[rules.SL506]\nseverity = \"warning\"\nmax-routes = 8\n").unwrap().config;
        let rule = &cfg.rules["SL506"];
        assert_eq!(rule.severity.as_deref(), Some("warning"));
        assert_eq!(rule.options["max-routes"].as_integer(), Some(8));
    }

    #[test]
    fn bad_values_are_errors() {
        let err = parse(Path::new("x/slint.toml"), "fail-on = \"sometimes\"\n").unwrap_err();
        assert!(err.message().contains("x/slint.toml:1:11"), "{err}");
    }
}
