//! Starting and stopping the emulator. It runs its own accept loop on hyper, rather than
//! `axum::serve`, because the `reset` fault needs the socket: a handler asks for a reset, and the
//! connection's task closes the socket with SO_LINGER 0 so the peer gets a TCP RST.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

use crate::customer::Customer;
use crate::demo::demo_customers;
use crate::faults::{strip_path_fault, Fault, FAULT_PATH_PREFIX};
use crate::limits::{accept_loop, ConnectionSlot, ServerLimits};
use crate::routes::router;
use crate::state::{AppState, RequestLog, Shared};
use crate::store::Store;

/// How long a stopping emulator waits for requests in flight (a `delay` fault may hold one).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// What the emulator serves and where.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; `127.0.0.1:0` (a free loopback port) by default.
    pub listen: SocketAddr,
    /// The API key clients must send (Basic auth user name).
    pub api_key: String,
    /// The merchant the key belongs to; a request whose `x-merchantid` differs gets 401.
    pub merchant_id: String,
    /// The customers to start with; [`demo_customers`] by default.
    pub customers: Vec<Customer>,
    /// Client IPs allowed in (others get 403 BAD_ORIGIN); empty allows every IP.
    pub allowed_ips: Vec<IpAddr>,
    /// What a slow or greedy client may hold ([`ServerLimits::default`]).
    pub limits: ServerLimits,
    /// The key `/__sandbox/*` control requests must send as `x-sandbox-control-key`; `None`
    /// (the default) turns those endpoints off.
    pub control_key: Option<String>,
}

impl SandboxConfig {
    /// Loopback on a free port, the demo customers, no IP allow-list.
    pub fn new(api_key: impl Into<String>, merchant_id: impl Into<String>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: api_key.into(),
            merchant_id: merchant_id.into(),
            customers: demo_customers(),
            allowed_ips: Vec::new(),
            limits: ServerLimits::default(),
            control_key: None,
        }
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("listen", &self.listen)
            .field("api_key", &"[redacted]")
            .field("merchant_id", &self.merchant_id)
            .field("customers", &self.customers.len())
            .field("allowed_ips", &self.allowed_ips)
            .field("limits", &self.limits)
            .field(
                "control_key",
                &self.control_key.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// A running emulator. Stop it with [`shutdown`](Self::shutdown); dropping it stops it at once.
pub struct Sandbox {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds `config.listen` and serves until shut down. Fails when the address cannot be bound
    /// or the configuration is unusable (empty key or merchant id, duplicate customers).
    pub async fn start(config: SandboxConfig) -> io::Result<Self> {
        let invalid = |m: String| io::Error::new(io::ErrorKind::InvalidInput, m);
        if config.api_key.is_empty() || config.merchant_id.is_empty() {
            return Err(invalid(
                "the API key and merchant id must not be empty".into(),
            ));
        }
        config.limits.check().map_err(invalid)?;
        if config.control_key.as_deref() == Some("") {
            return Err(invalid("the control key must not be empty".into()));
        }
        let store = Store::with(config.customers).map_err(invalid)?;
        let state = AppState::new(Shared {
            api_key: config.api_key,
            merchant_id: config.merchant_id,
            allowed_ips: config
                .allowed_ips
                .into_iter()
                .map(|ip| ip.to_canonical())
                .collect(),
            store,
            server_fault: Default::default(),
            requests: RequestLog::default(),
            control_key: config.control_key,
            limits: config.limits,
        });
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(listener, router(state), config.limits, stopped));
        Ok(Self {
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address it listens on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`: what a client uses as Juspay's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A base URL under which every request gets `fault`, for clients that cannot add the
    /// `x-sandbox-fault` header (such as the core's `CustomerClient`).
    pub fn base_url_with_fault(&self, fault: &Fault) -> String {
        format!("http://{}{FAULT_PATH_PREFIX}{fault}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish (up to a few seconds), and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// What a handler knows about its connection: who is on the other end, and how to reset it.
#[derive(Clone)]
pub(crate) struct Connection {
    pub peer: SocketAddr,
    reset: Arc<Notify>,
}

impl Connection {
    /// Asks the connection's task to reset the connection; the request then never answers.
    pub fn reset(&self) {
        self.reset.notify_one();
    }
}

async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let stop = async {
        let _ = stop.await;
    };
    accept_loop(
        &listener,
        limits.max_connections,
        stop,
        |stream, peer, slot| serve_connection(stream, peer, slot, app.clone(), &limits, &graceful),
    )
    .await;
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight at shutdown were dropped");
    }
}

fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    slot: ConnectionSlot,
    app: Router,
    limits: &ServerLimits,
    graceful: &GracefulShutdown,
) {
    let _ = stream.set_nodelay(true);
    let lingerer = Lingerer::of(&stream);
    let reset = Arc::new(Notify::new());
    let connection = Connection {
        peer,
        reset: reset.clone(),
    };
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(connection.clone());
        strip_path_fault(&mut request);
        app.clone().oneshot(request)
    });
    let served = graceful.watch(
        limits
            .http1()
            .serve_connection(TokioIo::new(stream), service),
    );
    tokio::spawn(async move {
        tokio::select! {
            result = served => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
            }
            () = reset.notified() => lingerer.reset(),
        }
        // The connection is dropped by now; dropping the duplicate descriptor is the last close,
        // which sends the RST when SO_LINGER is 0.
        drop(lingerer);
        drop(slot);
    });
}

/// A duplicate of the connection's socket descriptor, so SO_LINGER can be set after hyper owns
/// the stream. Unix only; elsewhere a reset fault just closes the connection.
struct Lingerer {
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
}

impl Lingerer {
    fn of(stream: &TcpStream) -> Self {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            Self {
                fd: stream.as_fd().try_clone_to_owned().ok(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = stream;
            Self {}
        }
    }

    fn reset(&self) {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            let _ = socket2::SockRef::from(fd).set_linger(Some(Duration::ZERO));
        }
    }
}
