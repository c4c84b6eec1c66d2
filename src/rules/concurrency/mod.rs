//! SL1xx: concurrency caps and budgets.

mod sqs_consumer_without_max_concurrency;
mod uncapped_async_consumer;

pub use sqs_consumer_without_max_concurrency::SqsConsumerWithoutMaxConcurrency;
pub use uncapped_async_consumer::UncappedAsyncConsumer;
