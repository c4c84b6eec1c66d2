//! SL3xx: queues and streams.

mod batch_without_partial_failure;
mod queue_without_dlq;
mod sqs_consumer_without_batching;
mod visibility_timeout_below_function_timeout;

pub use batch_without_partial_failure::BatchWithoutPartialFailure;
pub use queue_without_dlq::QueueWithoutDlq;
pub use sqs_consumer_without_batching::SqsConsumerWithoutBatching;
pub use visibility_timeout_below_function_timeout::VisibilityTimeoutBelowFunctionTimeout;
