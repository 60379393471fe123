//! The accept loop with the client's address: `juspay_sandbox::limits::serve_router` with the
//! same limits (connection cap, header timeout, graceful drain), plus each request's TCP peer as
//! `ConnectInfo`, which the sign-in rate limit counts by.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use juspay_sandbox::limits::{accept_loop, ServerLimits};
use tokio::net::TcpListener;
use tower::ServiceExt as _;

/// Serves `app` on `listener` until `stop` resolves, then lets requests in flight finish for up
/// to `drain`. Returns whether they all did.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    stop: impl Future<Output = ()>,
    drain: Duration,
) -> bool {
    let graceful = GracefulShutdown::new();
    accept_loop(
        &listener,
        limits.max_connections,
        stop,
        |stream, peer, slot| {
            let _ = stream.set_nodelay(true);
            let app = app.clone();
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(peer));
                    app.clone().oneshot(request)
                });
            let served = graceful.watch(
                limits
                    .http1()
                    .serve_connection(TokioIo::new(stream), service),
            );
            tokio::spawn(async move {
                if let Err(e) = served.await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                drop(slot);
            });
        },
    )
    .await;
    drop(listener);
    tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_ok()
}
