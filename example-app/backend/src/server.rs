//! Starting the backend (and, without a Juspay key, the emulator it uses) and stopping it.

use std::net::SocketAddr;
use std::time::Duration;

use juspay_sandbox::limits::serve_router;
use juspay_sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{Config, Juspay};
use crate::rate_limits::RateLimits;
use crate::routes::{metrics_router, router};
use crate::state::{AppState, Shared};
use crate::upstream::{Upstream, UpstreamSettings};

/// How long a stopping backend waits for requests in flight.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the rate limiters forget customers and addresses that are back to a full budget.
const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

/// A running backend.
pub struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    /// Resolves to whether the requests in flight at shutdown all finished.
    serving: JoinHandle<bool>,
    sandbox: Option<Sandbox>,
    /// Forgets idle rate-limit keys, folds in the metrics' histograms.
    housekeeping: JoinHandle<()>,
    /// `GET /metrics` on its own address (METRICS_LISTEN).
    metrics: Option<Listener>,
}

/// A second listener, stopped with the first.
struct Listener {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    serving: JoinHandle<bool>,
}

/// Starts the emulator when there is no Juspay key, then binds `config.listen` and serves.
pub async fn start(config: Config) -> Result<Running, String> {
    if config.token_key_is_random {
        tracing::warn!(
            "TOKEN_SECRET is not set: using a random secret, so tokens die with this process and \
             other instances reject them"
        );
    }
    let (sandbox, settings) = match config.juspay {
        Juspay::Embedded {
            merchant_id,
            customers,
        } => {
            let api_key = generated_key();
            let mut sandbox_config = SandboxConfig::new(api_key.clone(), merchant_id.clone());
            sandbox_config.customers = customers;
            let sandbox = Sandbox::start(sandbox_config)
                .await
                .map_err(|e| format!("cannot start the embedded emulator: {e}"))?;
            tracing::info!(
                sandbox = %sandbox.base_url(),
                "JUSPAY_API_KEY is not set: using the embedded Juspay sandbox emulator, with a key \
                 generated for this process"
            );
            let settings = UpstreamSettings {
                base_url: sandbox.base_url(),
                api_key,
                merchant_id: Some(merchant_id),
                deadline: config.upstream_deadline,
                retries: config.upstream_retries,
                coalesce: config.upstream_coalesce,
                faults: config.sandbox_faults,
            };
            (Some(sandbox), settings)
        }
        Juspay::Remote {
            base_url,
            api_key,
            merchant_id,
        } => {
            if merchant_id.is_none() {
                tracing::warn!("JUSPAY_MERCHANT_ID is not set: requests go without x-merchantid");
            }
            tracing::info!(juspay = %base_url, "using Juspay");
            let settings = UpstreamSettings {
                base_url,
                api_key,
                merchant_id,
                deadline: config.upstream_deadline,
                retries: config.upstream_retries,
                coalesce: config.upstream_coalesce,
                faults: false,
            };
            (None, settings)
        }
    };
    let upstream = Upstream::new(settings)?;
    let state = AppState::new(Shared {
        token_keys: config.token_keys,
        token_ttl: config.token_ttl,
        upstream,
        rate_limits: RateLimits::new(config.rate_limits, config.rate_limit_redis.as_ref())?,
    });
    if config.rate_limit_redis.is_some() {
        tracing::info!(
            timeout = ?config.rate_limit_redis.as_ref().map(|r| r.timeout),
            "RATE_LIMIT_REDIS_URL is set: the rate limits are fleet-wide, shared through Redis \
             (each instance limits on its own while Redis does not answer)"
        );
    }
    if config.rate_limits.lookups.is_none() {
        tracing::warn!(
            "LOOKUP_RATE_LIMIT is off: one device token can spend the merchant's whole Juspay quota"
        );
    }
    crate::metrics::handle();
    let housekeeping = tokio::spawn({
        let state = state.clone();
        async move {
            let mut forget = tokio::time::interval(FORGET_IDLE_EVERY);
            let mut upkeep = tokio::time::interval(crate::metrics::UPKEEP_EVERY);
            loop {
                tokio::select! {
                    _ = forget.tick() => state.rate_limits.forget_idle(),
                    _ = upkeep.tick() => crate::metrics::upkeep(),
                }
            }
        }
    });
    if config.demo_sign_in {
        tracing::warn!(
            "the demo sign-in POST /auth/device-token is on: it gives anyone a token for any customer"
        );
    }
    if config.sandbox_faults {
        tracing::warn!("SANDBOX_FAULTS is on: x-sandbox-fault headers reach the embedded emulator");
    }
    let app = router(
        state,
        config.cors_origins,
        config.demo_sign_in,
        config.metrics_listen.is_none(),
        config.limits,
    );
    let metrics = match config.metrics_listen {
        Some(address) => {
            let metrics = listen(address, metrics_router(), config.limits).await?;
            tracing::info!("metrics listening on http://{}", metrics.addr);
            Some(metrics)
        }
        None => None,
    };
    let Listener {
        addr,
        stop,
        serving,
    } = listen(config.listen, app, config.limits).await?;
    Ok(Running {
        addr,
        stop,
        serving,
        sandbox,
        housekeeping,
        metrics,
    })
}

/// Binds `address` and serves `app` on it until stopped.
async fn listen(
    address: SocketAddr,
    app: axum::Router,
    limits: juspay_sandbox::ServerLimits,
) -> Result<Listener, String> {
    let listener = TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        let stop = async {
            let _ = stopped.await;
        };
        serve_router(listener, app, limits, stop, DRAIN_TIMEOUT).await
    });
    Ok(Listener {
        addr,
        stop,
        serving,
    })
}

impl Running {
    /// The address it listens on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where `GET /metrics` is served, when METRICS_LISTEN gave it an address of its own.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|m| m.addr)
    }

    /// Stops accepting, lets requests in flight finish (up to a few seconds), then stops the
    /// embedded emulator.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        self.housekeeping.abort();
        match self.serving.await {
            Ok(true) => {}
            Ok(false) => tracing::warn!("requests still in flight at shutdown were dropped"),
            Err(e) => tracing::warn!(error = %e, "server task failed"),
        }
        // Scrapes go on until the API has drained: the last figures can still be read.
        if let Some(metrics) = self.metrics {
            let _ = metrics.stop.send(());
            let _ = metrics.serving.await;
        }
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// A key for the embedded emulator, known only to this process.
fn generated_key() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("the operating system has a random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
