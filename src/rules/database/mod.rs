//! SL4xx: databases (proxies, pools, connections).

mod connection_per_invocation;
mod database_without_proxy;
mod oversized_connection_pool;
mod scan_on_request_path;

pub use connection_per_invocation::ConnectionPerInvocation;
pub use database_without_proxy::DatabaseWithoutProxy;
pub use oversized_connection_pool::OversizedConnectionPool;
pub use scan_on_request_path::ScanOnRequestPath;
