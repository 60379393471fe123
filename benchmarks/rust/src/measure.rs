//! Running lookups at a given concurrency, and reducing the samples to the numbers reported.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::clients::Client;

/// What one timed phase produced: every lookup's latency, and how long the phase took.
pub struct Phase {
    pub samples: Vec<u64>,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
}

/// `concurrency` tasks, each doing one lookup after another until `duration` has passed.
pub async fn run_phase(client: &Arc<Client>, concurrency: usize, duration: Duration) -> Phase {
    let started = Instant::now();
    let end = started + duration;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut samples = Vec::with_capacity(64 * 1024);
                let mut errors = 0;
                let mut first_error = None;
                while Instant::now() < end {
                    let t0 = Instant::now();
                    let result = client.lookup().await;
                    samples.push(t0.elapsed().as_nanos() as u64);
                    if let Err(e) = result {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
                (samples, errors, first_error)
            })
        })
        .collect();
    let mut phase = Phase {
        samples: Vec::new(),
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (samples, errors, first_error) = task.await.expect("a lookup task panicked");
        phase.samples.extend(samples);
        phase.errors += errors;
        if phase.first_error.is_none() {
            phase.first_error = first_error;
        }
    }
    phase.elapsed = started.elapsed();
    phase
}

/// Exactly `count` lookups spread over `concurrency` tasks; the first error ends it.
pub async fn run_count(
    client: &Arc<Client>,
    concurrency: usize,
    count: usize,
) -> Result<(), String> {
    let concurrency = concurrency.max(1);
    let tasks: Vec<_> = (0..concurrency)
        .map(|i| {
            let client = client.clone();
            let share = count / concurrency + usize::from(i < count % concurrency);
            tokio::spawn(async move {
                for _ in 0..share {
                    client.lookup().await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}

/// Latency percentiles (microseconds) and throughput of one phase.
#[derive(Serialize)]
pub struct Summary {
    pub count: usize,
    pub seconds: f64,
    pub rps: f64,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub mean_us: f64,
}

impl Summary {
    pub fn of(mut samples: Vec<u64>, elapsed: Duration) -> Self {
        samples.sort_unstable();
        let us = |ns: u64| ns as f64 / 1000.0;
        // Nearest rank: the smallest sample with at least p of all samples at or below it.
        let rank = |p: f64| {
            let n = samples.len();
            if n == 0 {
                return 0.0;
            }
            let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
            us(samples[i])
        };
        let count = samples.len();
        let mean = if count == 0 {
            0.0
        } else {
            samples.iter().map(|&s| s as f64).sum::<f64>() / count as f64 / 1000.0
        };
        Self {
            count,
            seconds: elapsed.as_secs_f64(),
            rps: count as f64 / elapsed.as_secs_f64(),
            p50_us: rank(0.50),
            p90_us: rank(0.90),
            p99_us: rank(0.99),
            max_us: samples.last().map_or(0.0, |&s| us(s)),
            mean_us: mean,
        }
    }
}

/// CPU time this process's threads have used so far (user + system), in microseconds, from
/// /proc/self/task/*/schedstat (nanosecond resolution). Linux only.
pub fn cpu_us() -> Result<f64, String> {
    let mut total_ns = 0u64;
    for task in std::fs::read_dir("/proc/self/task").map_err(|e| e.to_string())? {
        let path = task.map_err(|e| e.to_string())?.path().join("schedstat");
        // A thread may exit between the listing and the read.
        if let Ok(stat) = std::fs::read_to_string(path) {
            total_ns += stat
                .split_whitespace()
                .next()
                .and_then(|ns| ns.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    Ok(total_ns as f64 / 1000.0)
}

/// This process's resident set size (VmRSS), in KiB. Linux only.
pub fn rss_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS in /proc/self/status".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let samples: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        let s = Summary::of(samples, Duration::from_secs(2));
        assert_eq!(
            (s.p50_us, s.p90_us, s.p99_us, s.max_us),
            (50.0, 90.0, 99.0, 100.0)
        );
        assert_eq!(s.rps, 50.0);
        let one = Summary::of(vec![7000], Duration::from_secs(1));
        assert_eq!((one.p50_us, one.p99_us), (7.0, 7.0));
    }

    #[test]
    fn rss_and_cpu_time_are_readable() {
        assert!(rss_kib().unwrap() > 0);
        let before = cpu_us().unwrap();
        let mut x = 0u64;
        for i in 0..1_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(cpu_us().unwrap() >= before);
    }
}
