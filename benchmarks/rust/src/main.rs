//! `juspay-bench`: the Rust side of the benchmark suite that `benchmarks/run.sh` drives.
//!
//! - `lookup`: latency and throughput of one client (`core`, the Rust core in server mode;
//!   `floor`, a bare reqwest GET + serde parse of the same request) at one concurrency.
//! - `cold`: construct a client and do one lookup, timing both (the runner times the process).
//! - `rss`: resident memory before and after many lookups through the core.
//! - `open-loop`: GETs of one URL started at a fixed rate (any HTTP server: the emulator, the
//!   reference backend), latency counted from each request's due time.
//! - `proxy-floor`: the least a backend on the reference backend's stack does (axum, reqwest
//!   to the emulator, nothing else), the floor for the backend's CPU per request.
//! - `tls-front`: a TLS-terminating TCP relay to the emulator, for Juspay's Node SDK, which
//!   speaks TLS to every base URL and cannot take a port.
//!
//! Every command prints one JSON object on stdout, which the runner reads.

// The core's error type carries Juspay's fields by value (see rust-core/src/lib.rs).
#![allow(clippy::result_large_err)]

mod clients;
mod measure;
mod open_loop;
mod proxy_floor;
mod tls_front;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::clients::{Client, Kind, Target};
use crate::measure::{rss_kib, run_phase, Summary};

#[derive(Parser)]
#[command(about = "Benchmark drivers for the Rust core (run by benchmarks/run.sh)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Latency and throughput of one client at one concurrency.
    Lookup {
        #[command(flatten)]
        target: TargetArgs,
        #[arg(long, value_enum)]
        client: ClientArg,
        /// Lookups in flight at once (1 = sequential).
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
        /// Unrecorded lookups before the measurement, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        warmup_ms: u64,
        /// Length of the measurement, in milliseconds.
        #[arg(long, default_value_t = 3000)]
        duration_ms: u64,
    },
    /// The core and the floor in one process, in alternating slices: the pairing least
    /// disturbed by a noisy machine, for the core-vs-floor ratio.
    Ab {
        #[command(flatten)]
        target: TargetArgs,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
        /// Slices per client.
        #[arg(long, default_value_t = 10)]
        slices: usize,
        #[arg(long, default_value_t = 200)]
        slice_ms: u64,
        /// Unrecorded lookups per client before the first slice, in milliseconds.
        #[arg(long, default_value_t = 500)]
        warmup_ms: u64,
    },
    /// Builds a client and does one lookup: what a cold start costs after process start.
    Cold {
        #[command(flatten)]
        target: TargetArgs,
        #[arg(long, value_enum)]
        client: ClientArg,
    },
    /// Resident memory before and after `lookups` lookups through the core, in one process.
    Rss {
        #[command(flatten)]
        target: TargetArgs,
        #[arg(long, default_value_t = 100_000)]
        lookups: usize,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// Exactly `lookups` lookups after a first one, for profilers (callgrind, perf):
    /// run it twice with different counts and subtract to get the cost of one lookup.
    Profile {
        #[command(flatten)]
        target: TargetArgs,
        #[arg(long, value_enum)]
        client: ClientArg,
        #[arg(long, default_value_t = 1000)]
        lookups: usize,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// GETs of `url` started at `rate` per second whatever the server's pace (open loop).
    OpenLoop {
        #[arg(long)]
        url: String,
        /// A request header, `Name: value` (repeat for more).
        #[arg(long = "header")]
        headers: Vec<String>,
        /// Requests started per second.
        #[arg(long)]
        rate: f64,
        #[arg(long, default_value_t = 1000)]
        warmup_ms: u64,
        #[arg(long, default_value_t = 5000)]
        duration_ms: u64,
        /// Past this many requests in flight, due requests are shed (and counted).
        #[arg(long, default_value_t = 512)]
        max_in_flight: usize,
    },
    /// Forwards `GET /customers/{id}` on `listen` to the emulator with the API key, and does
    /// nothing else, until stdin closes.
    ProxyFloor {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        emulator: EmulatorArgs,
    },
    /// Terminates TLS on `listen` and relays the bytes to `upstream` (plain TCP).
    TlsFront {
        #[arg(long)]
        listen: std::net::SocketAddr,
        #[arg(long)]
        upstream: std::net::SocketAddr,
        /// PEM certificate chain (leaf first).
        #[arg(long)]
        cert: PathBuf,
        /// PEM private key of the leaf.
        #[arg(long)]
        key: PathBuf,
    },
}

/// Where the emulator is and the credentials it takes.
#[derive(Args, Clone)]
struct EmulatorArgs {
    /// The emulator (or anything answering Juspay's Get Customer), e.g. http://127.0.0.1:8765.
    #[arg(long)]
    base_url: String,
    #[arg(long)]
    api_key: String,
    #[arg(long)]
    merchant_id: String,
}

#[derive(Args, Clone)]
struct TargetArgs {
    #[command(flatten)]
    emulator: EmulatorArgs,
    /// The customer looked up; every answer must be this customer.
    #[arg(long, default_value = "cst_7hq2m9xk4v1p8zta")]
    customer_id: String,
    /// A PEM CA certificate to trust (the floor only: the core trusts the webpki roots alone).
    #[arg(long)]
    ca_cert: Option<PathBuf>,
    /// The floor opens a new connection for every lookup (no pooling), as Juspay's Node SDK does.
    #[arg(long)]
    no_pool: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClientArg {
    Core,
    Floor,
}

impl TargetArgs {
    fn target(&self, client: ClientArg) -> Result<Target, String> {
        Ok(Target {
            kind: match client {
                ClientArg::Core => Kind::Core,
                ClientArg::Floor => Kind::Floor,
            },
            base_url: self.emulator.base_url.clone(),
            api_key: self.emulator.api_key.clone(),
            merchant_id: self.emulator.merchant_id.clone(),
            customer_id: self.customer_id.clone(),
            ca_cert: match &self.ca_cert {
                Some(path) => {
                    Some(std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?)
                }
                None => None,
            },
            no_pool: self.no_pool,
        })
    }
}

fn main() -> Result<(), String> {
    let started = Instant::now();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let output = runtime.block_on(async move {
        match cli.command {
            Command::Lookup {
                target,
                client,
                concurrency,
                warmup_ms,
                duration_ms,
            } => {
                lookup(
                    target.target(client)?,
                    concurrency,
                    Duration::from_millis(warmup_ms),
                    Duration::from_millis(duration_ms),
                )
                .await
            }
            Command::Ab {
                target,
                concurrency,
                slices,
                slice_ms,
                warmup_ms,
            } => {
                ab(
                    [
                        target.target(ClientArg::Core)?,
                        target.target(ClientArg::Floor)?,
                    ],
                    concurrency,
                    slices,
                    Duration::from_millis(slice_ms),
                    Duration::from_millis(warmup_ms),
                )
                .await
            }
            Command::Cold { target, client } => cold(target.target(client)?, started).await,
            Command::Rss {
                target,
                lookups,
                concurrency,
            } => rss(target.target(ClientArg::Core)?, lookups, concurrency).await,
            Command::Profile {
                target,
                client,
                lookups,
                concurrency,
            } => {
                let target = target.target(client)?;
                let client = Arc::new(Client::new(&target)?);
                client.lookup().await?;
                measure::run_count(&client, concurrency, lookups).await?;
                Ok(json!({"client": target.kind.name(), "lookups": lookups}))
            }
            Command::OpenLoop {
                url,
                headers,
                rate,
                warmup_ms,
                duration_ms,
                max_in_flight,
            } => {
                open_loop::run(open_loop::Load {
                    url,
                    headers,
                    rate,
                    warmup: Duration::from_millis(warmup_ms),
                    duration: Duration::from_millis(duration_ms),
                    max_in_flight,
                })
                .await
            }
            Command::ProxyFloor { listen, emulator } => {
                proxy_floor::run(
                    listen,
                    &emulator.base_url,
                    &emulator.api_key,
                    &emulator.merchant_id,
                )
                .await
            }
            Command::TlsFront {
                listen,
                upstream,
                cert,
                key,
            } => tls_front::run(listen, upstream, &cert, &key).await,
        }
    })?;
    println!("{output}");
    Ok(())
}

async fn lookup(
    target: Target,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
) -> Result<serde_json::Value, String> {
    let client = Arc::new(Client::new(&target)?);
    // One lookup first: a client that cannot reach the target fails here, not in the numbers.
    client.lookup().await?;
    run_phase(&client, concurrency, warmup).await;
    let cpu_before = measure::cpu_us()?;
    let phase = run_phase(&client, concurrency, duration).await;
    let cpu = measure::cpu_us()? - cpu_before;
    let count = phase.samples.len().max(1) as f64;
    let summary = Summary::of(phase.samples, phase.elapsed);
    Ok(json!({
        "client": target.kind.name(),
        "concurrency": concurrency,
        // The client process's own CPU time (user + system) per lookup.
        "cpu_us_per_lookup": cpu / count,
        "errors": phase.errors,
        "first_error": phase.first_error,
        "summary": summary,
    }))
}

async fn ab(
    targets: [Target; 2],
    concurrency: usize,
    slices: usize,
    slice: Duration,
    warmup: Duration,
) -> Result<serde_json::Value, String> {
    let clients = [
        Arc::new(Client::new(&targets[0])?),
        Arc::new(Client::new(&targets[1])?),
    ];
    for client in &clients {
        client.lookup().await?;
        run_phase(client, concurrency, warmup).await;
    }
    let mut samples = [Vec::new(), Vec::new()];
    let mut elapsed = [Duration::ZERO; 2];
    let mut cpu = [0.0; 2];
    let mut errors = [0; 2];
    for i in 0..slices {
        // Alternate which goes first in each pair of slices.
        for k in [i % 2, 1 - i % 2] {
            let before = measure::cpu_us()?;
            let phase = run_phase(&clients[k], concurrency, slice).await;
            cpu[k] += measure::cpu_us()? - before;
            samples[k].extend(phase.samples);
            elapsed[k] += phase.elapsed;
            errors[k] += phase.errors;
        }
    }
    let [core_samples, floor_samples] = samples;
    let cpu_per = |k: usize, n: usize| cpu[k] / n.max(1) as f64;
    let (core_n, floor_n) = (core_samples.len(), floor_samples.len());
    Ok(json!({
        "concurrency": concurrency,
        "slices": slices,
        "core": {
            "errors": errors[0],
            "cpu_us_per_lookup": cpu_per(0, core_n),
            "summary": Summary::of(core_samples, elapsed[0]),
        },
        "floor": {
            "errors": errors[1],
            "cpu_us_per_lookup": cpu_per(1, floor_n),
            "summary": Summary::of(floor_samples, elapsed[1]),
        },
    }))
}

async fn cold(target: Target, process_started: Instant) -> Result<serde_json::Value, String> {
    let t0 = Instant::now();
    let client = Client::new(&target)?;
    let built = t0.elapsed();
    client.lookup().await?;
    let answered = t0.elapsed();
    Ok(json!({
        "client": target.kind.name(),
        "main_to_client_us": (t0 - process_started + built).as_secs_f64() * 1e6,
        "construct_us": built.as_secs_f64() * 1e6,
        "first_lookup_us": (answered - built).as_secs_f64() * 1e6,
        "main_to_answer_us": (t0 - process_started + answered).as_secs_f64() * 1e6,
    }))
}

async fn rss(
    target: Target,
    lookups: usize,
    concurrency: usize,
) -> Result<serde_json::Value, String> {
    let at_start = rss_kib()?;
    let client = Arc::new(Client::new(&target)?);
    client.lookup().await?;
    let after_first = rss_kib()?;
    measure::run_count(&client, concurrency, 1_000).await?;
    let after_warmup = rss_kib()?;
    // RSS every tenth of the run, to tell steady growth (a leak) from a one-off step.
    let mut trace = Vec::new();
    let step = (lookups / 10).max(1);
    let mut done = 0;
    let started = Instant::now();
    while done < lookups {
        let n = step.min(lookups - done);
        measure::run_count(&client, concurrency, n).await?;
        done += n;
        trace.push(json!({"lookups": done, "rss_kib": rss_kib()?}));
    }
    let elapsed = started.elapsed();
    let at_end = rss_kib()?;
    Ok(json!({
        "client": "core",
        "concurrency": concurrency,
        "lookups": lookups,
        "seconds": elapsed.as_secs_f64(),
        "rss_kib": {
            "process_start": at_start,
            "after_first_lookup": after_first,
            "after_1000_warmup": after_warmup,
            "after_all": at_end,
        },
        "trace": trace,
    }))
}
