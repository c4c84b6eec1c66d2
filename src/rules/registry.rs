//! Every built-in rule, in one greppable list. Adding a rule adds one line here.

use std::sync::LazyLock;

use crate::diagnostic::{self, Catalog, RuleInfo};
use crate::rules::{Rule, RuleMeta, api, concurrency, database, handler, meta, queues, tuning};

pub static RULES: &[&dyn Rule] = &[
    &meta::ParseError,
    &meta::DuplicateKey,
    &meta::UnusedSuppression,
    &meta::InternalError,
    &meta::UnresolvedCodeLink,
    &meta::UnexpandedLoop,
    &concurrency::UncappedAsyncConsumer,
    &concurrency::SqsConsumerWithoutMaxConcurrency,
    &concurrency::ReservedConcurrencyExceedsQuota,
    &concurrency::ConcurrencyDemandExceedsCapacity,
    &concurrency::UncachedAuthorizer,
    &concurrency::ThrottlingWithoutAlarm,
    &api::ApiWithoutRequestValidation,
    &api::TimeoutExceedsApiLimit,
    &api::ApiWithoutThrottling,
    &api::GetWithoutCache,
    &api::StaticSiteWithoutCdn,
    &api::FunctionOnlyForwardsToSqs,
    &handler::ClientInHandler,
    &handler::SlowCallOnSyncPath,
    &handler::SecretFetchPerInvocation,
    &handler::BlockingCallInAsyncHandler,
    &handler::RuntimePerInvocation,
    &handler::RouterMonolith,
    &queues::SqsConsumerWithoutBatching,
    &queues::BatchWithoutPartialFailure,
    &queues::QueueWithoutDlq,
    &queues::VisibilityTimeoutBelowFunctionTimeout,
    &queues::AsyncInvokeWithoutFailureDestination,
    &queues::StreamWithoutFailureDestination,
    &queues::TargetWithoutDlq,
    &tuning::UnoptimizedReleaseProfile,
    &database::DatabaseWithoutProxy,
    &database::ConnectionPerInvocation,
    &database::OversizedConnectionPool,
    &database::ScanOnRequestPath,
    &tuning::DefaultMemorySize,
    &tuning::TracingDisabled,
];

/// The metadata of every rule in [`RULES`], for the settings to resolve selectors against.
pub static CATALOG: LazyLock<Vec<&'static RuleMeta>> = LazyLock::new(|| RULES.iter().map(|r| r.meta()).collect());

/// [`CATALOG`] as the settings take it.
pub fn catalog() -> Catalog {
    CATALOG.as_slice()
}

pub fn by_code(code: &str) -> Option<&'static RuleMeta> {
    diagnostic::by_code(catalog(), code)
}

pub fn by_name(name: &str) -> Option<&'static RuleMeta> {
    diagnostic::by_name(catalog(), name)
}

/// A rule by code (any case) or name, for `slint explain`.
pub fn lookup(code_or_name: &str) -> Option<&'static RuleMeta> {
    by_code(&code_or_name.to_ascii_uppercase()).or_else(|| by_name(code_or_name))
}

/// Every built-in rule's identity, in code order.
pub fn infos() -> Vec<RuleInfo> {
    let mut infos: Vec<RuleInfo> = RULES.iter().map(|r| RuleInfo::from_meta(r.meta())).collect();
    infos.sort_by(|a, b| a.code.cmp(&b.code));
    infos
}
