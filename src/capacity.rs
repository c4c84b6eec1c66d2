//! Concurrency budgets across accounts: which account each function deploys to, what it
//! reserves, and how much concurrency its declared load needs.
//!
//! Required concurrency = peak requests per second × average duration in seconds (Little's
//! law). An account has a regional quota (1,000 by default) of which AWS keeps 100 unreserved;
//! functions without `ReservedConcurrentExecutions` share what is left. Numbers are only
//! computed from declared load (`Metadata.slint` or `[functions.<id>]` in slint.toml), never
//! invented.

use serde::Serialize;

use crate::model::Setting;
use crate::model::events::Trigger;
use crate::model::function::MIN_UNRESERVED;
use crate::model::tree::NodeId;
use crate::project::Project;
use crate::settings::Settings;

/// Where a declared load comes from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadSource {
    /// `Metadata.slint` of the function (the `peak-rps` node, for findings).
    Metadata,
    /// `[functions.<id>]` in slint.toml.
    Config,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DeclaredLoad {
    pub peak_rps: f64,
    pub avg_duration_ms: f64,
    pub source: LoadSource,
    /// The `peak-rps` node in the template, when declared there.
    #[serde(skip)]
    pub node: Option<NodeId>,
}

impl DeclaredLoad {
    /// Concurrent executions needed at the declared peak, rounded up.
    pub fn required_concurrency(&self) -> u64 {
        let needed = self.peak_rps * self.avg_duration_ms / 1000.0;
        if needed.is_finite() && needed > 0.0 { needed.ceil().min(u64::MAX as f64) as u64 } else { 0 }
    }
}

/// One function's place in its account's budget.
#[derive(Clone, Debug, Serialize)]
pub struct FunctionBudget {
    /// Index into [`Project::templates`].
    #[serde(skip)]
    pub template: usize,
    /// Index into the template's functions.
    #[serde(skip)]
    pub function: usize,
    pub function_id: String,
    pub template_path: String,
    /// `sync`, `async`, `sync+async` or `none`.
    pub trigger: &'static str,
    /// What invokes it: `REST API, SQS queue`.
    pub sources: Vec<&'static str>,
    pub timeout_s: Option<i64>,
    pub memory_mb: Option<i64>,
    /// `ReservedConcurrentExecutions`; `None` when the function shares the unreserved pool.
    pub reserved: Option<i64>,
    /// Reserved concurrency is set but slint cannot evaluate it (a condition, an import).
    pub reserved_unknown: bool,
    pub load: Option<DeclaredLoad>,
    pub required_concurrency: Option<u64>,
}

impl FunctionBudget {
    pub fn is_capped(&self) -> bool {
        self.reserved.is_some() || self.reserved_unknown
    }
}

/// The budget of one account.
#[derive(Clone, Debug, Serialize)]
pub struct AccountBudget {
    pub name: String,
    pub quota: i64,
    pub functions: Vec<FunctionBudget>,
    /// Sum of known reserved concurrency.
    pub reserved_total: i64,
    /// `quota - reserved_total`: the pool functions without a reservation share.
    pub unreserved: i64,
    /// Required concurrency of the uncapped functions that declare a load.
    pub uncapped_demand: u64,
    /// Uncapped functions without a declared load (their demand is unknown).
    pub uncapped_without_load: usize,
}

impl AccountBudget {
    /// AWS refuses reservations that leave less than this unreserved.
    pub fn leaves_too_little_unreserved(&self) -> bool {
        self.unreserved < MIN_UNRESERVED
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CapacityPlan {
    pub accounts: Vec<AccountBudget>,
}

/// Builds the budgets of every account that has functions in the run.
pub fn plan(project: &Project, settings: &Settings) -> CapacityPlan {
    let mut accounts: Vec<AccountBudget> = Vec::new();
    for (ti, template) in project.templates.iter().enumerate() {
        let file = project.db.get(template.file);
        let account = settings.account_of(&file.path);
        let index = match accounts.iter().position(|a| a.name == account.name) {
            Some(i) => i,
            None => {
                accounts.push(AccountBudget {
                    name: account.name.clone(),
                    quota: account.quota,
                    functions: Vec::new(),
                    reserved_total: 0,
                    unreserved: account.quota,
                    uncapped_demand: 0,
                    uncapped_without_load: 0,
                });
                accounts.len() - 1
            }
        };
        for (fi, function) in template.functions.iter().enumerate() {
            let configured = settings.function_setting(&file.path, function.id.as_str());
            let load = declared_load(function, configured);
            let (sync, asynchronous) = function.events.iter().fold((false, false), |(s, a), &e| {
                let trigger = template.events[e].trigger;
                (s || trigger == Trigger::Sync, a || trigger == Trigger::Async)
            });
            let mut sources: Vec<&'static str> =
                function.events.iter().map(|&e| template.events[e].kind.label()).collect();
            sources.sort_unstable();
            sources.dedup();
            accounts[index].functions.push(FunctionBudget {
                template: ti,
                function: fi,
                function_id: function.id.to_string(),
                template_path: file.display.clone(),
                trigger: match (sync, asynchronous) {
                    (true, true) => "sync+async",
                    (true, false) => "sync",
                    (false, true) => "async",
                    (false, false) => "none",
                },
                sources,
                timeout_s: function.timeout.value(),
                memory_mb: function.memory_size.value(),
                reserved: function.reserved_concurrency.value(),
                reserved_unknown: matches!(function.reserved_concurrency, Setting::Unknown(_)),
                required_concurrency: load.map(|l| l.required_concurrency()),
                load,
            });
        }
    }
    for account in &mut accounts {
        account.reserved_total = account.functions.iter().filter_map(|f| f.reserved).sum();
        account.unreserved = account.quota - account.reserved_total;
        let uncapped = account.functions.iter().filter(|f| !f.is_capped());
        account.uncapped_demand = uncapped.clone().filter_map(|f| f.required_concurrency).sum();
        account.uncapped_without_load = uncapped.filter(|f| f.load.is_none()).count();
    }
    CapacityPlan { accounts }
}

/// The declared load, from slint.toml first, then `Metadata.slint`; only when both numbers
/// are known.
fn declared_load(
    function: &crate::model::function::Function,
    configured: Option<&crate::settings::FunctionSetting>,
) -> Option<DeclaredLoad> {
    let from_config = (configured.and_then(|c| c.peak_rps), configured.and_then(|c| c.avg_duration_ms));
    let peak = from_config.0.or(function.peak_rps.value())?;
    let duration = from_config.1.or(function.avg_duration_ms.value())?;
    let source =
        if from_config.0.is_some() || from_config.1.is_some() { LoadSource::Config } else { LoadSource::Metadata };
    Some(DeclaredLoad { peak_rps: peak, avg_duration_ms: duration, source, node: function.peak_rps.node() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_concurrency_is_rate_times_duration_rounded_up() {
        let load =
            |rps, ms| DeclaredLoad { peak_rps: rps, avg_duration_ms: ms, source: LoadSource::Config, node: None };
        assert_eq!(load(10_000.0, 100.0).required_concurrency(), 1000);
        assert_eq!(load(3.0, 250.0).required_concurrency(), 1);
        assert_eq!(load(0.5, 10.0).required_concurrency(), 1);
    }
}
