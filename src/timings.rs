//! `SLINT_TIMINGS=1`: how long each phase of a run took, on stderr.
//!
//! For finding out where the time goes on a real project (and for our own benchmarks)
//! without a profiler. Each line is the phase that just ended, its duration, and the time
//! since the first mark:
//!
//! ```text
//! slint timings:    35.12 ms  Rust sources parsed (wave 1: 300 files)      at    43.70 ms
//! ```
//!
//! Off by default; when off, a mark costs one relaxed atomic load.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);
/// The first mark and the previous one.
static MARKS: Mutex<Option<(Instant, Instant)>> = Mutex::new(None);

/// Whether `SLINT_TIMINGS` is set (to anything but `0` or empty).
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        ON => true,
        OFF => false,
        _ => {
            let on = std::env::var_os("SLINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { ON } else { OFF }, Ordering::Relaxed);
            on
        }
    }
}

/// Starts the clock (the first call does; later ones are ignored).
pub fn start() {
    if enabled() {
        let mut marks = MARKS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        marks.get_or_insert_with(|| (Instant::now(), Instant::now()));
    }
}

/// Ends a phase: prints its name and how long it took since the previous mark.
pub fn mark(phase: impl FnOnce() -> String) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let mut marks = MARKS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (first, previous) = marks.get_or_insert((now, now));
    let took = now.duration_since(*previous).as_secs_f64() * 1e3;
    let at = now.duration_since(*first).as_secs_f64() * 1e3;
    *previous = now;
    eprintln!("slint timings: {took:>8.2} ms  {:<44} at {at:>8.2} ms", phase());
}

/// `walk (1 file)`, `rules (3 findings)`, `.. (2 binaries)`.
pub fn counted(phase: &str, n: usize, noun: &str) -> String {
    let plural = match (n, noun.strip_suffix('y')) {
        (1, _) => noun.to_string(),
        (_, Some(stem)) => format!("{stem}ies"),
        _ => format!("{noun}s"),
    };
    format!("{phase} ({n} {plural})")
}
