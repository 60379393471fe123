//! `juspay-fleet-load`: the load of `example-app/backend/scale-out/run.sh`. Signs devices in on
//! each backend instance directly (so tokens come from every instance), then runs `concurrency`
//! devices, each a `CustomerClient` of the Rust core in device mode against the load balancer,
//! looking up its own customer one lookup after another for `duration`. Prints one JSON object:
//! lookups, failures by code, latency percentiles, and lookups per second.

// The core's error type carries Juspay's fields by value (see rust-core/src/lib.rs).
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use clap::Parser;
use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use serde_json::json;

#[derive(Parser)]
#[command(about = "Devices looking up their customers through a load balancer of backends")]
struct Args {
    /// The load balancer in front of the backends.
    #[arg(long)]
    base_url: String,
    /// A backend instance to sign devices in on (repeat: devices take them in turn).
    #[arg(long = "sign-in-url", required = true)]
    sign_in_urls: Vec<String>,
    /// Customers (object_reference_ids) the devices sign in as, in turn.
    #[arg(
        long = "customer",
        default_values_t = ["customer-id-007", "user-10042", "user-10043", "user-10044", "user-10045"].map(String::from)
    )]
    customers: Vec<String>,
    /// Devices, each with one lookup in flight.
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    /// Seconds of load.
    #[arg(long, default_value_t = 30)]
    duration_s: u64,
    /// The core's connect timeout, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    connect_timeout_ms: u64,
    /// The core's retries after a failed connect, 429 or 502/503/504.
    #[arg(long, default_value_t = 2)]
    max_retries: u32,
}

/// What one device saw: (second of the run, latency in µs, the error code if it failed).
type Sample = (u64, u64, Option<String>);

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let mut devices = Vec::with_capacity(args.concurrency);
    for i in 0..args.concurrency {
        let sign_in = &args.sign_in_urls[i % args.sign_in_urls.len()];
        let customer = &args.customers[i % args.customers.len()];
        let answer = http
            .post(format!("{sign_in}/auth/device-token"))
            .header("content-type", "application/json")
            .body(json!({ "customer_id": customer }).to_string())
            .send()
            .await
            .map_err(|e| format!("sign-in on {sign_in}: {e}"))?;
        if !answer.status().is_success() {
            return Err(format!("sign-in on {sign_in}: {}", answer.status()));
        }
        let body: serde_json::Value =
            serde_json::from_str(&answer.text().await.map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        let token = body["token"].as_str().ok_or("no token")?.to_owned();
        let mut config = ClientConfig::new(&args.base_url, Credentials::DeviceToken { token });
        config.connect_timeout_ms = args.connect_timeout_ms;
        config.max_retries = args.max_retries;
        let client = CustomerClient::new(config).map_err(|e| e.to_string())?;
        devices.push((client, customer.clone()));
    }

    // The scale-out script starts its timeline (kill, restart) on this line.
    eprintln!("load started: {} devices signed in", devices.len());
    let started = Instant::now();
    let end = started + Duration::from_secs(args.duration_s);
    let tasks: Vec<_> = devices
        .into_iter()
        .map(|(client, customer)| {
            tokio::spawn(async move {
                let mut samples: Vec<Sample> = Vec::new();
                while Instant::now() < end {
                    let t0 = Instant::now();
                    let result = client
                        .get_customer(customer.clone(), None, Default::default())
                        .await;
                    let failure = match result {
                        Ok(found) if found.object_reference_id.as_deref() == Some(&customer) => {
                            None
                        }
                        Ok(_) => Some("WRONG_CUSTOMER".to_owned()),
                        Err(e) => Some(e.code().to_owned()),
                    };
                    samples.push((
                        started.elapsed().as_secs(),
                        t0.elapsed().as_micros() as u64,
                        failure,
                    ));
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed();

    let mut latencies: Vec<u64> = samples.iter().map(|s| s.1).collect();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1] as f64 / 1000.0
    };
    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    let seconds = args.duration_s as usize + 1;
    let mut per_second = vec![0u64; seconds];
    let mut failed_per_second = vec![0u64; seconds];
    for (second, _, failure) in &samples {
        let second = (*second as usize).min(seconds - 1);
        per_second[second] += 1;
        if let Some(code) = failure {
            *failures.entry(code.clone()).or_default() += 1;
            failed_per_second[second] += 1;
        }
    }
    let failed: u64 = failures.values().sum();
    println!(
        "{}",
        json!({
            "devices": args.concurrency,
            "seconds": elapsed.as_secs_f64(),
            "lookups": samples.len(),
            "failed": failed,
            "failures": failures,
            "lookups_per_second": samples.len() as f64 / elapsed.as_secs_f64(),
            "p50_ms": percentile(50.0),
            "p99_ms": percentile(99.0),
            "max_ms": percentile(100.0),
            "per_second": per_second,
            "failed_per_second": failed_per_second,
        })
    );
    Ok(())
}
