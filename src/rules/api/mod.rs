//! SL2xx: the API edge.

mod api_without_request_validation;
mod api_without_throttling;
mod function_only_forwards_to_sqs;
mod get_without_cache;
mod static_site_without_cdn;
mod timeout_exceeds_api_limit;

pub use api_without_request_validation::ApiWithoutRequestValidation;
pub use api_without_throttling::ApiWithoutThrottling;
pub use function_only_forwards_to_sqs::FunctionOnlyForwardsToSqs;
pub use get_without_cache::GetWithoutCache;
pub use static_site_without_cdn::StaticSiteWithoutCdn;
pub use timeout_exceeds_api_limit::TimeoutExceedsApiLimit;
