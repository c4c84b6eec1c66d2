//! Resolved settings: `slint.toml` and command-line flags merged into what the run uses.
//! Flags override the file; selectors are validated here, once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use crate::config::OutputFormat;
use crate::config::{Config, FailOn, LoadedConfig};
use crate::diagnostic::{self, Catalog, Category, RuleInfo, RuleMeta, RuleOption, Severity};
use crate::discover::Exclude;
use crate::error::{Error, Result};
use crate::limits::DEFAULT_MAX_FILE_SIZE;
use crate::model::function::MIN_UNRESERVED;

/// The highest value a rule option (`[rules.SL506] max-routes`) takes: options count things
/// in one template or crate.
pub const MAX_RULE_OPTION: u64 = 1_000_000;

/// The highest `accounts.<name>.quota`: AWS raises the regional quota to tens of thousands.
pub const MAX_QUOTA: i64 = 10_000_000;

/// The highest `peak-rps` of a function.
pub const MAX_PEAK_RPS: f64 = 1e9;

/// The highest `avg-duration-ms`: a Lambda invocation runs for at most 15 minutes.
pub const MAX_AVG_DURATION_MS: f64 = 900_000.0;

/// Picks rules: `ALL`, a code (`SL101`), a code prefix (`SL1`), a name
/// (`uncapped-async-consumer`), a category (`concurrency`), or a Guard pack rule (`org/RULE`,
/// `org/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Code(String),
    Prefix(String),
    Name(String),
    Category(Category),
    /// A pack rule code or a pack prefix ending in `/`.
    Pack(String),
}

impl Selector {
    /// Reads a selector, checking codes and names against the rule `catalog`.
    pub fn parse(text: &str, catalog: Catalog) -> Result<Selector> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        if text.contains('/') {
            return Ok(Selector::Pack(text.to_string()));
        }
        let upper = text.to_ascii_uppercase();
        if let Some(digits) = upper.strip_prefix("SL") {
            if digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
                if digits.len() == 3 {
                    if diagnostic::by_code(catalog, &upper).is_none() {
                        return Err(Error::new(format!("unknown rule `{text}` (see `slint rules`)")));
                    }
                    return Ok(Selector::Code(upper));
                }
                return Ok(Selector::Prefix(upper));
            }
        }
        if let Some(category) = Category::parse(text) {
            return Ok(Selector::Category(category));
        }
        if diagnostic::by_name(catalog, text).is_some() {
            return Ok(Selector::Name(text.to_string()));
        }
        Err(Error::new(format!("unknown rule selector `{text}` (expected a code, prefix, name, category or `ALL`)")))
    }

    pub fn matches(&self, rule: &RuleInfo) -> bool {
        match self {
            Selector::All => true,
            Selector::Code(code) => rule.code == code.as_str(),
            Selector::Prefix(prefix) => rule.code.starts_with(prefix.as_str()),
            Selector::Name(name) => rule.name == name.as_str(),
            Selector::Category(c) => rule.category == c.as_str(),
            Selector::Pack(p) if p.ends_with('/') => rule.code.starts_with(p.as_str()),
            Selector::Pack(p) => rule.code == p.as_str(),
        }
    }

    /// More specific selectors win when `select` and `ignore` disagree (as in ruff):
    /// `select = ["SL101"]` with `ignore = ["SL1"]` keeps SL101.
    fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Category(_) => 1,
            Selector::Prefix(p) => 1 + p.len(),
            Selector::Pack(p) if p.ends_with('/') => 1 + p.len(),
            Selector::Code(_) | Selector::Name(_) | Selector::Pack(_) => 100,
        }
    }
}

fn parse_selectors(list: &[String], catalog: Catalog) -> Result<Vec<Selector>> {
    list.iter().map(|s| Selector::parse(s, catalog)).collect()
}

/// Which rules run, at which severity, with which options.
#[derive(Clone, Debug)]
pub struct RuleSettings {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    severities: HashMap<String, Severity>,
    options: HashMap<(String, String), u64>,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            select: vec![Selector::All],
            ignore: Vec::new(),
            severities: HashMap::new(),
            options: HashMap::new(),
        }
    }
}

impl RuleSettings {
    /// Only the given rule, for fixture tests.
    pub fn only(code: &str) -> Self {
        RuleSettings { select: vec![Selector::Code(code.to_string())], ..RuleSettings::default() }
    }

    pub fn is_enabled(&self, rule: &RuleInfo) -> bool {
        let best = |list: &[Selector]| list.iter().filter(|s| s.matches(rule)).map(Selector::specificity).max();
        match (best(&self.select), best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(selected), Some(ignored)) => selected > ignored,
        }
    }

    /// The configured severity of a rule, if the user changed it.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.severities.get(code).copied()
    }

    /// The value of a rule option: configured, or its declared default.
    pub fn option(&self, rule: &RuleMeta, option: &RuleOption) -> u64 {
        debug_assert!(rule.options.iter().any(|o| o.name == option.name), "{} declares {}", rule.code, option.name);
        self.options.get(&(rule.code.to_string(), option.name.to_string())).copied().unwrap_or(option.default)
    }
}

/// Rules ignored in files matching a glob.
#[derive(Clone, Debug)]
pub struct PathIgnore {
    pub base: PathBuf,
    pub glob: GlobMatcher,
    pub selectors: Vec<Selector>,
}

impl PathIgnore {
    pub fn applies(&self, file: &Path, rule: &RuleInfo) -> bool {
        file.strip_prefix(&self.base).is_ok_and(|rel| self.glob.is_match(rel))
            && self.selectors.iter().any(|s| s.matches(rule))
    }
}

/// The AWS account quota of concurrent executions when nothing else is said.
pub const DEFAULT_QUOTA: i64 = 1000;

/// An account templates deploy to.
#[derive(Clone, Debug)]
pub struct AccountSetting {
    pub name: String,
    pub quota: i64,
    /// `(base folder, glob)` of the templates it claims.
    pub templates: Vec<(PathBuf, GlobMatcher)>,
    /// `slint.toml:line:col` of its first `templates` entry, for warnings.
    pub declared_at: Option<String>,
}

impl AccountSetting {
    pub fn claims(&self, template: &Path) -> bool {
        self.templates.iter().any(|(base, glob)| template.strip_prefix(base).is_ok_and(|rel| glob.is_match(rel)))
    }
}

/// Declared load of a function from `[functions.<id>]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionSetting {
    /// The template (absolute path) when the key names one.
    pub template: Option<PathBuf>,
    pub logical_id: String,
    pub peak_rps: Option<f64>,
    pub avg_duration_ms: Option<f64>,
    /// The crate folder (absolute) the function deploys, from `crate = ".."`.
    pub krate: Option<PathBuf>,
    pub bin: Option<String>,
}

impl FunctionSetting {
    pub fn applies_to(&self, template: &Path, logical_id: &str) -> bool {
        self.logical_id == logical_id && self.template.as_deref().is_none_or(|t| t == template)
    }
}

/// Everything `slint check` needs to know, resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    pub cwd: PathBuf,
    pub rules: RuleSettings,
    pub format: OutputFormat,
    pub fail_on: FailOn,
    pub exclude: Exclude,
    pub per_path_ignores: Vec<PathIgnore>,
    /// Guard packs, with relative paths resolved.
    pub packs: Vec<String>,
    pub threads: Option<usize>,
    pub max_file_size: u64,
    pub quiet: bool,
    pub output: Option<PathBuf>,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
    /// The baseline of the config (`baseline = "..."`), resolved against its folder.
    pub baseline: Option<PathBuf>,
    /// Accounts and their quotas; the last one is `default`.
    pub accounts: Vec<AccountSetting>,
    pub functions: Vec<FunctionSetting>,
    /// Makes the rule with this code panic (or the template loading stage: `parser`, `model`),
    /// so tests can prove a crash costs one finding and not the run. Set from
    /// `SLINT_INTERNAL_PANIC` by the binary; not a config key.
    pub inject_panic: Option<String>,
    /// The built-in rules, to check selectors and `[rules.X]` sections against.
    pub catalog: Catalog,
}

impl Settings {
    /// Defaults with no config file, for library use and tests; `catalog` is the rule
    /// registry's (`rules::registry::catalog()`).
    pub fn new(cwd: PathBuf, catalog: Catalog) -> Self {
        Settings {
            cwd,
            rules: RuleSettings::default(),
            format: OutputFormat::Human,
            fail_on: FailOn::Warning,
            exclude: Exclude::default(),
            per_path_ignores: Vec::new(),
            packs: Vec::new(),
            threads: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            quiet: false,
            output: None,
            config_path: None,
            baseline: None,
            accounts: vec![AccountSetting {
                name: "default".into(),
                quota: DEFAULT_QUOTA,
                templates: Vec::new(),
                declared_at: None,
            }],
            functions: Vec::new(),
            inject_panic: None,
            catalog,
        }
    }

    /// The account a template deploys to: the first that claims it, else `default`.
    pub fn account_of(&self, template: &Path) -> &AccountSetting {
        self.accounts
            .iter()
            .find(|a| a.claims(template))
            .or_else(|| self.accounts.iter().find(|a| a.name == "default"))
            .unwrap_or(&self.accounts[0])
    }

    /// The configured load of a function, if any.
    pub fn function_setting(&self, template: &Path, logical_id: &str) -> Option<&FunctionSetting> {
        // A key naming the template wins over a bare logical id.
        self.functions.iter().filter(|f| f.applies_to(template, logical_id)).max_by_key(|f| f.template.is_some())
    }

    /// Applies a config file.
    pub fn apply_config(&mut self, loaded: &LoadedConfig) -> Result<()> {
        let base = loaded.base_dir().to_path_buf();
        let at = |what: &str, e: Error| Error::new(format!("invalid config {}: {what}: {e}", loaded.path.display()));
        let Config {
            select,
            ignore,
            fail_on,
            format,
            exclude,
            packs,
            threads,
            max_file_size,
            baseline,
            rules,
            per_path_ignores,
            accounts,
            functions,
        } = &loaded.config;
        if let Some(baseline) = baseline {
            self.baseline = Some(crate::fs::absolute(&base, Path::new(baseline)));
        }
        if let Some(select) = select {
            self.rules.select = parse_selectors(select, self.catalog).map_err(|e| at("select", e))?;
        }
        if let Some(ignore) = ignore {
            self.rules.ignore = parse_selectors(ignore, self.catalog).map_err(|e| at("ignore", e))?;
        }
        if let Some(fail_on) = fail_on {
            self.fail_on = *fail_on;
        }
        if let Some(format) = format {
            self.format = *format;
        }
        for pattern in exclude.iter().flatten() {
            self.exclude.add(&base, pattern).map_err(|e| at("exclude", e))?;
        }
        for pack in packs.iter().flatten() {
            self.packs.push(resolve_pack(&base, pack).map_err(|e| at("packs", e))?);
        }
        if let Some(threads) = threads {
            self.threads = Some(*threads);
        }
        if let Some(size) = max_file_size {
            let ceiling = crate::limits::MAX_FILE_SIZE_CEILING;
            if *size > ceiling {
                return Err(at(
                    "max-file-size",
                    Error::new(format!("{size} bytes is more than the {ceiling} bytes (64 MiB) slint reads at most")),
                ));
            }
            self.max_file_size = *size;
        }
        for (key, rule_config) in rules {
            self.apply_rule_config(key, rule_config).map_err(|e| at(&format!("[rules.{key}]"), e))?;
        }
        for (pattern, list) in per_path_ignores {
            let glob = Glob::new(pattern)
                .map_err(|e| at("per-path-ignores", Error::new(format!("invalid pattern `{pattern}`: {}", e.kind()))))?
                .compile_matcher();
            let selectors = parse_selectors(list, self.catalog).map_err(|e| at("per-path-ignores", e))?;
            self.per_path_ignores.push(PathIgnore { base: base.clone(), glob, selectors });
        }
        self.apply_accounts(loaded, accounts)?;
        self.apply_functions(loaded, functions)?;
        self.config_path = Some(loaded.path.clone());
        Ok(())
    }

    fn apply_accounts(
        &mut self,
        loaded: &LoadedConfig,
        accounts: &std::collections::BTreeMap<String, crate::config::AccountConfig>,
    ) -> Result<()> {
        let base = loaded.base_dir().to_path_buf();
        let at = |span: std::ops::Range<usize>| loaded.at(span.start);
        for (name, account) in accounts {
            let quota = match &account.quota {
                Some(q) if *q.get_ref() < MIN_UNRESERVED => {
                    return Err(Error::new(format!(
                        "invalid config {}: `accounts.{name}.quota` is {}, but an account keeps at least {MIN_UNRESERVED} unreserved",
                        at(q.span()),
                        q.get_ref()
                    )));
                }
                Some(q) if *q.get_ref() > MAX_QUOTA => {
                    return Err(Error::new(format!(
                        "invalid config {}: `accounts.{name}.quota` is {}, more than the {MAX_QUOTA} slint takes",
                        at(q.span()),
                        q.get_ref()
                    )));
                }
                Some(q) => *q.get_ref(),
                None => DEFAULT_QUOTA,
            };
            let mut templates = Vec::new();
            for pattern in &account.templates {
                let glob = Glob::new(pattern.get_ref()).map_err(|e| {
                    Error::new(format!(
                        "invalid config {}: `accounts.{name}.templates`: invalid pattern `{}`: {}",
                        at(pattern.span()),
                        pattern.get_ref(),
                        e.kind()
                    ))
                })?;
                templates.push((base.clone(), glob.compile_matcher()));
            }
            let declared_at = account.templates.first().map(|t| at(t.span()));
            let setting = AccountSetting { name: name.clone(), quota, templates, declared_at };
            match self.accounts.iter_mut().find(|a| a.name == *name) {
                Some(existing) => *existing = setting,
                // Named accounts go before `default`, which stays the fallback.
                None => self.accounts.insert(self.accounts.len() - 1, setting),
            }
        }
        Ok(())
    }

    fn apply_functions(
        &mut self,
        loaded: &LoadedConfig,
        functions: &std::collections::BTreeMap<String, crate::config::FunctionConfig>,
    ) -> Result<()> {
        let base = loaded.base_dir();
        for (key, function) in functions {
            let positive = |value: &Option<toml::Spanned<f64>>, what: &str, max: f64| -> Result<Option<f64>> {
                match value {
                    Some(v) if !(v.get_ref().is_finite() && *v.get_ref() > 0.0 && *v.get_ref() <= max) => {
                        Err(Error::new(format!(
                            "invalid config {}: `functions.{key}.{what}` must be a positive number of at most {max}, not {}",
                            loaded.at(v.span().start),
                            v.get_ref()
                        )))
                    }
                    Some(v) => Ok(Some(*v.get_ref())),
                    None => Ok(None),
                }
            };
            let (template, logical_id) = match key.rsplit_once(':') {
                Some((template, id)) => (Some(crate::fs::absolute(base, Path::new(template))), id.to_string()),
                None => (None, key.clone()),
            };
            self.functions.push(FunctionSetting {
                template,
                logical_id,
                peak_rps: positive(&function.peak_rps, "peak-rps", MAX_PEAK_RPS)?,
                avg_duration_ms: positive(&function.avg_duration_ms, "avg-duration-ms", MAX_AVG_DURATION_MS)?,
                krate: function.krate.as_ref().map(|k| crate::fs::absolute(base, Path::new(k))),
                bin: function.bin.clone(),
            });
        }
        Ok(())
    }

    fn apply_rule_config(&mut self, key: &str, config: &crate::config::RuleConfig) -> Result<()> {
        // Pack rules are only known once packs load; they take a severity and nothing else.
        let meta = if key.contains('/') {
            None
        } else {
            Some(
                diagnostic::by_code(self.catalog, &key.to_ascii_uppercase())
                    .or_else(|| diagnostic::by_name(self.catalog, key))
                    .ok_or_else(|| Error::new(format!("unknown rule `{key}`")))?,
            )
        };
        let code = meta.map_or_else(|| key.to_string(), |m| m.code.to_string());
        if let Some(severity) = &config.severity {
            let severity = Severity::parse(severity).ok_or_else(|| {
                Error::new(format!("severity must be `error`, `warning` or `info`, not `{severity}`"))
            })?;
            self.rules.severities.insert(code.clone(), severity);
        }
        for (name, value) in &config.options {
            let Some(meta) = meta else {
                return Err(Error::new(format!("unknown key `{name}` (pack rules only take `severity`)")));
            };
            let Some(option) = meta.options.iter().find(|o| o.name == name) else {
                let known: Vec<&str> = std::iter::once("severity").chain(meta.options.iter().map(|o| o.name)).collect();
                return Err(Error::new(format!("unknown key `{name}`, expected one of `{}`", known.join("`, `"))));
            };
            let value =
                value.as_integer().and_then(|v| u64::try_from(v).ok()).filter(|v| *v <= MAX_RULE_OPTION).ok_or_else(
                    || Error::new(format!("`{}` must be an integer from 0 to {MAX_RULE_OPTION}", option.name)),
                )?;
            self.rules.options.insert((code.clone(), name.clone()), value);
        }
        Ok(())
    }

    /// Command-line `--select` (replaces the config's list).
    pub fn set_select(&mut self, list: &[String]) -> Result<()> {
        self.rules.select = parse_selectors(list, self.catalog).map_err(|e| Error::new(format!("--select: {e}")))?;
        Ok(())
    }

    /// Command-line `--ignore` (replaces the config's list).
    pub fn set_ignore(&mut self, list: &[String]) -> Result<()> {
        self.rules.ignore = parse_selectors(list, self.catalog).map_err(|e| Error::new(format!("--ignore: {e}")))?;
        Ok(())
    }

    /// The exit threshold as a severity (`None` for `never`).
    pub fn fail_threshold(&self) -> Option<Severity> {
        match self.fail_on {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// `builtin:<name>` stays as it is; a path is resolved against the config's folder and must stay
/// inside it, as written and with symlinks resolved: a pull request can change `slint.toml`,
/// and a pack path must not make slint read (and quote in a parse error) `/etc/passwd` or
/// `/proc/self/environ`. Nothing outside is touched: a path outside as written is refused
/// before any system call.
fn resolve_pack(base: &Path, pack: &str) -> Result<String> {
    if pack.starts_with("builtin:") {
        return Ok(pack.to_string());
    }
    let outside = || {
        Error::new(format!(
            "`{pack}` is outside the project (the folder of slint.toml); a pack named in slint.toml must be inside it, or `builtin:<name>`"
        ))
    };
    let base = crate::fs::absolute(Path::new("/"), base);
    let path = crate::fs::absolute(&base, Path::new(pack));
    if !path.starts_with(&base) {
        return Err(outside());
    }
    if let (Ok(real_base), Ok(real)) = (std::fs::canonicalize(&base), std::fs::canonicalize(&path))
        && !real.starts_with(real_base)
    {
        return Err(outside());
    }
    Ok(path.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry::catalog;

    fn info(code: &'static str, name: &'static str, category: &'static str) -> RuleInfo {
        RuleInfo {
            code: code.into(),
            name: name.into(),
            category: category.into(),
            severity: Severity::Warning,
            summary: "".into(),
            docs: "".into(),
        }
    }

    #[test]
    fn more_specific_selector_wins() {
        let sl101 = info("SL101", "uncapped-async-consumer", "concurrency");
        let sl102 = info("SL102", "sqs-consumer-without-max-concurrency", "concurrency");
        let mut rules = RuleSettings { ignore: vec![Selector::Prefix("SL1".into())], ..RuleSettings::default() };
        assert!(!rules.is_enabled(&sl101));
        rules.select = vec![Selector::Code("SL101".into())];
        assert!(rules.is_enabled(&sl101));
        assert!(!rules.is_enabled(&sl102));
    }

    #[test]
    fn selectors_are_validated() {
        assert_eq!(Selector::parse("SL1", catalog()).unwrap(), Selector::Prefix("SL1".into()));
        assert_eq!(Selector::parse("concurrency", catalog()).unwrap(), Selector::Category(Category::Concurrency));
        assert_eq!(Selector::parse("org/", catalog()).unwrap(), Selector::Pack("org/".into()));
        // A code in the rules' numbering that no rule has: one past the highest.
        let highest = crate::rules::registry::infos().iter().filter_map(|r| r.code[2..].parse::<u32>().ok()).max();
        let unknown = format!("SL{}", highest.unwrap_or(0) + 1);
        assert!(
            Selector::parse(&unknown, catalog()).unwrap_err().message().contains(&format!("unknown rule `{unknown}`"))
        );
        assert!(Selector::parse("no-such-rule", catalog()).is_err());
    }
}
