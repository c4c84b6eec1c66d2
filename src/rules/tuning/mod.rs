//! SL6xx: packaging and tuning.

mod default_memory_size;
mod tracing_disabled;

pub use default_memory_size::DefaultMemorySize;
pub use tracing_disabled::TracingDisabled;
