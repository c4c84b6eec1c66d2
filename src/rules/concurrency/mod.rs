//! SL1xx: concurrency caps and budgets.

mod concurrency_demand_exceeds_capacity;
mod reserved_concurrency_exceeds_quota;
mod sqs_consumer_without_max_concurrency;
mod throttling_without_alarm;
mod uncached_authorizer;
mod uncapped_async_consumer;

pub use concurrency_demand_exceeds_capacity::ConcurrencyDemandExceedsCapacity;
pub use reserved_concurrency_exceeds_quota::ReservedConcurrencyExceedsQuota;
pub use sqs_consumer_without_max_concurrency::SqsConsumerWithoutMaxConcurrency;
pub use throttling_without_alarm::ThrottlingWithoutAlarm;
pub use uncached_authorizer::UncachedAuthorizer;
pub use uncapped_async_consumer::UncappedAsyncConsumer;
