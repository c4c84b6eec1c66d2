//! Timing helpers shared by the benchmarks (each bench is its own crate and includes this).

use std::time::{Duration, Instant};

/// Runs `f` once to warm the file cache and the allocator, then `runs` timed times.
pub fn measure(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f();
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
