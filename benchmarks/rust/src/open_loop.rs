//! An open-loop load: requests start at a fixed rate whatever the server's pace, and each one's
//! latency counts from when it was due, not from when it was sent. A closed-loop tool (wrk) waits
//! for an answer before the next request, so a slow server slows the load and hides its own
//! queueing (coordinated omission); at a rate below saturation the difference is what a real
//! population of independent devices would see.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::json;

use crate::measure::Summary;

/// The rates the pacer can keep: one request an hour at the least, and a microsecond apart at
/// the most (beyond what loopback on two cores answers anyway).
const MIN_RATE: f64 = 1.0 / 3600.0;
const MAX_RATE: f64 = 1_000_000.0;

pub struct Load {
    pub url: String,
    /// `Name: value` pairs sent with every request.
    pub headers: Vec<String>,
    /// Requests started per second.
    pub rate: f64,
    pub warmup: Duration,
    pub duration: Duration,
    /// Past this many requests in flight a due request is not sent but counted as shed: the
    /// server is past saturation and the numbers would only measure the queue.
    pub max_in_flight: usize,
}

/// One request's timeline: when it was due, when its task started, when its answer was read.
struct Sample {
    due: Instant,
    started: Instant,
    done: Instant,
    ok: bool,
}

pub async fn run(load: Load) -> Result<serde_json::Value, String> {
    // A zero interval would never end the pacer; a huge one would not fit a Duration.
    if !(MIN_RATE..=MAX_RATE).contains(&load.rate) {
        return Err(format!(
            "--rate must be {MIN_RATE} to {MAX_RATE} requests per second, got {}",
            load.rate
        ));
    }
    let mut headers = HeaderMap::new();
    for header in &load.headers {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| format!("--header {header:?}: expected `Name: value`"))?;
        headers.insert(
            HeaderName::try_from(name.trim()).map_err(|e| format!("{name}: {e}"))?,
            HeaderValue::try_from(value.trim()).map_err(|e| format!("{name}: {e}"))?,
        );
    }
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(load.max_in_flight)
        .build()
        .map_err(|e| e.to_string())?;
    // One request first: a target that does not answer 200 fails here, not in the numbers.
    let first = client
        .get(&load.url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !first.status().is_success() {
        return Err(format!("{}: HTTP {}", load.url, first.status()));
    }
    first.bytes().await.map_err(|e| e.to_string())?;

    let samples = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let shed = Arc::new(AtomicUsize::new(0));
    let runtime = tokio::runtime::Handle::current();
    let interval = Duration::from_secs_f64(1.0 / load.rate);
    let total = load.warmup + load.duration;
    // The pacer is a thread of its own: a tokio timer has a 1 ms resolution, which would start
    // requests in bursts; a thread sleeping until each due time is within tens of microseconds.
    let pacer = {
        let (samples, in_flight, shed, url) = (
            samples.clone(),
            in_flight.clone(),
            shed.clone(),
            load.url.clone(),
        );
        let max_in_flight = load.max_in_flight;
        std::thread::spawn(move || {
            let start = Instant::now();
            let mut max_lag = Duration::ZERO;
            let mut sent = 0u64;
            for i in 0u64.. {
                let offset = interval.mul_f64(i as f64);
                if offset >= total {
                    break;
                }
                let due = start + offset;
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
                max_lag = max_lag.max(Instant::now().saturating_duration_since(due));
                if in_flight.fetch_add(1, Ordering::AcqRel) >= max_in_flight {
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                    shed.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                sent += 1;
                let (client, url, samples, in_flight) = (
                    client.clone(),
                    url.clone(),
                    samples.clone(),
                    in_flight.clone(),
                );
                runtime.spawn(async move {
                    let started = Instant::now();
                    let ok = match client.get(&url).send().await {
                        Ok(answer) => answer.status().is_success() && answer.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    let done = Instant::now();
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                    samples.lock().unwrap().push(Sample {
                        due,
                        started,
                        done,
                        ok,
                    });
                });
            }
            (start, max_lag, sent)
        })
    };
    let (start, max_lag, sent) = tokio::task::spawn_blocking(move || pacer.join())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|_| "the pacer panicked".to_owned())?;
    // Let the last requests finish (their latency counts as much as any other's).
    let deadline = Instant::now() + Duration::from_secs(10);
    while in_flight.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let unfinished = in_flight.load(Ordering::Acquire);

    let measured_from = start + load.warmup;
    let samples = std::mem::take(&mut *samples.lock().unwrap());
    let measured: Vec<&Sample> = samples.iter().filter(|s| s.due >= measured_from).collect();
    let errors = measured.iter().filter(|s| !s.ok).count();
    let nanos = |d: Duration| d.as_nanos() as u64;
    let from_due = measured.iter().map(|s| nanos(s.done - s.due)).collect();
    let from_start = measured.iter().map(|s| nanos(s.done - s.started)).collect();
    Ok(json!({
        "url": load.url,
        "offered_rps": load.rate,
        "requests_sent": sent,
        "measured": measured.len(),
        "errors": errors,
        "shed": shed.load(Ordering::Relaxed),
        "unfinished": unfinished,
        "pacer_max_lag_us": max_lag.as_secs_f64() * 1e6,
        // From each request's due time: what a device would see.
        "latency": Summary::of(from_due, load.duration),
        // From when its task ran: the same minus any wait for a runtime thread.
        "service": Summary::of(from_start, load.duration),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rates_the_pacer_cannot_keep_are_refused_before_any_request() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300, 1e300] {
            let load = Load {
                url: "http://127.0.0.1:9/".into(),
                headers: vec![],
                rate,
                warmup: Duration::ZERO,
                duration: Duration::from_millis(1),
                max_in_flight: 1,
            };
            let error = run(load).await.unwrap_err();
            assert!(error.starts_with("--rate must be"), "{rate}: {error}");
        }
    }
}
