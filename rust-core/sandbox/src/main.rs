//! `juspay-sandbox`: runs the emulator until SIGINT or SIGTERM. Prints exactly one line on
//! stdout, `listening on http://HOST:PORT`, once it accepts connections; logs go to stderr.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use juspay_sandbox::process::{init_logging, stop_signal};
use juspay_sandbox::{demo_customers, load_seed, Sandbox, SandboxConfig, ServerLimits};

#[derive(Parser)]
#[command(about = "A local stand-in for Juspay's customer API, with fault switches")]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The API key clients must send as the Basic-auth user name.
    #[arg(long, default_value = "sandbox_api_key")]
    api_key: String,
    /// The merchant id the key belongs to (checked against `x-merchantid` when sent).
    #[arg(long, default_value = "sandbox_merchant")]
    merchant_id: String,
    /// A JSON array of customers to serve instead of the built-in demo customers.
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,
    /// Allow only this client IP (repeatable); others get 403 BAD_ORIGIN. Default: any IP.
    #[arg(long = "allow-ip", value_name = "IP")]
    allow_ip: Vec<IpAddr>,
    /// Turn the `/__sandbox/*` control endpoints on, for requests that send this key as
    /// `x-sandbox-control-key`. Default: off.
    #[arg(long, value_name = "KEY")]
    control_key: Option<String>,
    /// Time for a request's headers, and for a kept-alive connection's next request.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    header_timeout: Duration,
    /// Time for a whole request body.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    body_timeout: Duration,
    /// The largest request body, in bytes.
    #[arg(long, default_value_t = ServerLimits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Connections served at once; more wait until one closes.
    #[arg(long, default_value_t = ServerLimits::default().max_connections)]
    max_connections: usize,
    /// Also stop when stdin closes, so a test harness that dies takes the emulator with it.
    #[arg(long)]
    stop_on_stdin_eof: bool,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let _log_writer = init_logging().map_err(|e| format!("log writer: {e}"))?;
    // Signal handlers go in before the ready line: a harness may signal as soon as it reads it.
    let stop = stop_signal(args.stop_on_stdin_eof).map_err(|e| format!("signals: {e}"))?;

    let customers = match &args.seed {
        Some(path) => load_seed(path)?,
        None => demo_customers(),
    };
    let count = customers.len();
    let config = SandboxConfig {
        listen: args.listen,
        api_key: args.api_key,
        merchant_id: args.merchant_id,
        customers,
        allowed_ips: args.allow_ip,
        limits: ServerLimits {
            header_timeout: args.header_timeout,
            body_timeout: args.body_timeout,
            max_body_bytes: args.max_body_bytes,
            max_connections: args.max_connections,
        },
        control_key: args.control_key,
    };
    let sandbox = Sandbox::start(config)
        .await
        .map_err(|e| format!("cannot start on {}: {e}", args.listen))?;
    tracing::info!(customers = count, "juspay sandbox ready");
    println!("listening on {}", sandbox.base_url());

    stop.await;
    tracing::info!("stopping");
    sandbox.shutdown().await;
    Ok(())
}
