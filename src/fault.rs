//! Panics into findings: [`guarded`] runs a parser, a rule or a Guard evaluation and turns a
//! panic into its message, which the caller reports as SL004 (or SL001) while the run goes on.
//! It sits at the bottom of the module graph because every layer (source analysis, template
//! loading, Guard, the renderers, the binary's panic hook) uses it.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// Set while a rule runs under [`guarded`], so the panic hook stays quiet: the panic is
    /// reported as a finding instead.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside [`guarded`] (for the binary's panic hook).
pub fn in_guarded_section() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `f`, turning a panic into its message.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = GUARDED.with(|g| g.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}
