//! SL6xx: packaging and tuning.

mod default_memory_size;
mod tracing_disabled;
mod unoptimized_release_profile;

pub use default_memory_size::DefaultMemorySize;
pub use tracing_disabled::TracingDisabled;
pub use unoptimized_release_profile::UnoptimizedReleaseProfile;
