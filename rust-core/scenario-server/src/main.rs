//! `juspay-scenario-server --vectors DIR --listen 127.0.0.1:0`
//!
//! Serves every vector in DIR under `/{vector name}` and prints `listening on http://HOST:PORT`
//! once ready. Stops on Ctrl-C or when stdin closes, so a test harness that dies takes it along.

use std::path::PathBuf;

use clap::Parser;
use juspay_scenario_server::{load_vectors, vectors_dir, ScenarioServer};
use tokio::io::AsyncReadExt;

#[derive(Parser)]
#[command(about = "Plays the shared scenario vectors over loopback HTTP")]
struct Args {
    /// Directory of vector files (default: rust-core/tests/vectors).
    #[arg(long)]
    vectors: Option<PathBuf>,
    /// Address to listen on; loopback only by default.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let dir = args.vectors.unwrap_or_else(vectors_dir);
    let vectors = load_vectors(&dir)?;
    let server = ScenarioServer::start(&args.listen, vectors)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    println!("listening on http://{}", server.addr());
    let stdin_closed = async {
        let mut sink = [0u8; 64];
        let mut stdin = tokio::io::stdin();
        while matches!(stdin.read(&mut sink).await, Ok(n) if n > 0) {}
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = stdin_closed => {}
    }
    Ok(())
}
