//! SL2xx: the API edge.

mod api_without_request_validation;
mod timeout_exceeds_api_limit;

pub use api_without_request_validation::ApiWithoutRequestValidation;
pub use timeout_exceeds_api_limit::TimeoutExceedsApiLimit;
