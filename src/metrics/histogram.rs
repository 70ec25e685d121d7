//! A latency histogram with fixed bucket bounds, updated lock-free.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct Histogram {
    bounds: &'static [f64],
    /// One count per bound, plus one for everything above the last.
    counts: Vec<AtomicU64>,
    /// The sum of observations, in nanoseconds.
    sum_nanos: AtomicU64,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_nanos: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let bucket = self
            .bounds
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(self.bounds.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(
            u64::try_from(took.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    /// Cumulative counts per bound (`le`), the total count and the sum in
    /// seconds, as Prometheus wants them.
    pub fn cumulative(&self) -> (Vec<(f64, u64)>, u64, f64) {
        let mut running = 0;
        let mut out = Vec::with_capacity(self.bounds.len());
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            running += count.load(Ordering::Relaxed);
            out.push((*bound, running));
        }
        let total = running + self.counts[self.bounds.len()].load(Ordering::Relaxed);
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        (out, total, sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_land_in_cumulative_buckets() {
        static BOUNDS: &[f64] = &[0.001, 0.01, 0.1];
        let h = Histogram::new(BOUNDS);
        h.observe(Duration::from_micros(500));
        h.observe(Duration::from_millis(5));
        h.observe(Duration::from_millis(5));
        h.observe(Duration::from_secs(2));
        let (buckets, total, sum) = h.cumulative();
        assert_eq!(buckets, vec![(0.001, 1), (0.01, 3), (0.1, 3)]);
        assert_eq!(total, 4);
        assert!((sum - 2.0105).abs() < 1e-9, "{sum}");
    }
}
