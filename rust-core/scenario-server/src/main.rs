//! `juspay-scenario-server --vectors DIR --listen 127.0.0.1:0`
//!
//! Serves every vector in DIR under `/{vector name}` and prints `listening on http://HOST:PORT`
//! once ready. Stops on Ctrl-C or when stdin closes, so a test harness that dies takes it along.

use std::path::PathBuf;

use clap::Parser;
use juspay_scenario_server::{load_vectors, vectors_dir, ScenarioServer};
use std::io::Read;

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
    // A plain thread, not tokio's stdin, whose blocking read the runtime would wait for at exit.
    let (closed, stdin_closed) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        let _ = closed.send(());
    });
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = stdin_closed => {}
    }
    Ok(())
}
