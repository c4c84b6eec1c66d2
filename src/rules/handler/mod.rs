//! SL5xx: what the handler does on every invocation.

mod blocking_call_in_async_handler;
mod client_in_handler;
mod router_monolith;
mod runtime_per_invocation;
mod secret_fetch_per_invocation;
mod slow_call_on_sync_path;

pub use blocking_call_in_async_handler::BlockingCallInAsyncHandler;
pub use client_in_handler::ClientInHandler;
pub use router_monolith::RouterMonolith;
pub use runtime_per_invocation::RuntimePerInvocation;
pub use secret_fetch_per_invocation::SecretFetchPerInvocation;
pub use slow_call_on_sync_path::SlowCallOnSyncPath;
