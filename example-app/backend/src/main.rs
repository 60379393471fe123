//! `merchant-backend`: reads the configuration, starts, and runs until SIGINT or SIGTERM. Prints
//! exactly one line on stdout, `listening on http://HOST:PORT`, once it accepts connections;
//! logs go to stderr (RUST_LOG sets the level, default info).

use std::io::IsTerminal;

use clap::Parser;
use merchant_backend::{Args, Config};
use tokio::io::AsyncReadExt;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    // Signal handlers go in before the ready line: a harness may signal as soon as it reads it.
    let stop = stop_signal(args.stop_on_stdin_eof).map_err(|e| format!("signals: {e}"))?;
    let config = Config::from_args(args, |name| std::env::var(name).ok())?;

    let running = merchant_backend::start(config).await?;
    println!("listening on http://{}", running.addr());

    stop.await;
    tracing::info!("stopping");
    running.shutdown().await;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM (and at stdin's end when asked). The handlers are installed
/// when this is called, not when it is first awaited.
fn stop_signal(on_stdin_eof: bool) -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
        )
    };
    Ok(async move {
        let stdin_closed = async {
            if !on_stdin_eof {
                return std::future::pending().await;
            }
            let mut sink = [0u8; 64];
            let mut stdin = tokio::io::stdin();
            while matches!(stdin.read(&mut sink).await, Ok(n) if n > 0) {}
        };
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
            () = stdin_closed => {}
        }
        #[cfg(not(unix))]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = stdin_closed => {}
        }
    })
}
