//! `merchant-backend`: reads the configuration, starts, and runs until SIGINT or SIGTERM. Prints
//! exactly one line on stdout, `listening on http://HOST:PORT`, once it accepts connections;
//! logs go to stderr (RUST_LOG sets the level, default info).

use juspay_sandbox::process::{init_logging, stop_signal};
use merchant_backend::{Args, Config};

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse_ignoring_empty_env();
    if args.print_openapi {
        println!("{}", merchant_backend::openapi::document());
        return Ok(());
    }
    let _log_writer = init_logging().map_err(|e| format!("log writer: {e}"))?;
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
