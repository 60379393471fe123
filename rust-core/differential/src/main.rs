//! `juspay-differential --seed N --count N --out cases.json`
//!
//! Generates `count` hostile answers from `seed` (statuses, `Retry-After` values, bodies near the
//! size limit, odd JSON, customer ids), serves each over loopback HTTP under `/{index}`, looks
//! each one up with the Rust core, and writes the cases with the core's outcome to `--out`. Then
//! it prints `listening on http://HOST:PORT` and keeps serving, so the TypeScript side
//! (`src-ts/tests/differential.test.ts`) can play the same cases against the same server and
//! compare. `GET /__requests` lists how many requests each case received. Stops when stdin
//! closes or on Ctrl-C.

mod cases;
mod outcome;
mod server;

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use futures_util::stream::{self, StreamExt};

use crate::cases::{generate, Case};
use crate::outcome::{core_outcome, LOOKUP_DEADLINE_MS};

#[derive(Parser)]
#[command(about = "Differential test of the Rust core: generated cases and the core's outcomes")]
struct Args {
    /// Seed of the case generator: the same seed gives the same cases.
    #[arg(long)]
    seed: u64,
    /// Number of cases.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Where to write the cases and the core's outcomes (JSON).
    #[arg(long)]
    out: PathBuf,
    /// Lookups in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let cases: Arc<Vec<Case>> = Arc::new(generate(args.seed, args.count));
    let server = server::start(cases.clone())
        .await
        .map_err(|e| format!("cannot listen: {e}"))?;
    let base = format!("http://{}", server.addr);

    let outcomes: Vec<_> = stream::iter(cases.iter().enumerate())
        .map(|(i, case)| core_outcome(format!("{base}/{i}"), case))
        .buffered(args.concurrency)
        .collect()
        .await;
    let requests = server.request_counts();
    let records: Vec<_> = cases
        .iter()
        .zip(outcomes)
        .zip(requests)
        .map(|((case, outcome), requests)| {
            serde_json::json!({ "case": case, "core": outcome, "coreRequests": requests })
        })
        .collect();
    let document = serde_json::json!({
        "seed": args.seed,
        "deadlineMs": LOOKUP_DEADLINE_MS,
        "records": records,
    });
    std::fs::write(
        &args.out,
        serde_json::to_vec(&document).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;

    // Handlers first, then the ready line: a harness may close stdin as soon as it reads it.
    let stop = juspay_sandbox::process::stop_signal(true).map_err(|e| e.to_string())?;
    println!("listening on {base}");
    stop.await;
    Ok(())
}
