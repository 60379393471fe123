//! What a slow or greedy client may hold, for both server binaries (the emulator and the reference
//! backend): how long it may take to send its request headers (and so how long a kept-alive
//! connection may sit idle), how long and how large its body may be, and how many connections
//! are served at once.
//!
//! The header timeout is hyper's `header_read_timeout`, which hyper starts whenever a connection
//! waits for a request head: on a new connection and between requests on a kept-alive one. The
//! body is read here, under one deadline for the whole body: tower-http's body timeout restarts
//! on every frame, so a client trickling a byte at a time would never hit it.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::header;
use axum::Router;
use futures_util::StreamExt as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt as _;

/// The limits a server applies to every client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Time for a request's headers, counted from when the connection starts waiting for them:
    /// a client that sends half its headers, or keeps a connection open without sending the
    /// next request, is disconnected after this long.
    pub header_timeout: Duration,
    /// Time for the whole request body, counted from the end of the headers.
    pub body_timeout: Duration,
    /// The largest request body; a larger Content-Length is refused before reading any of it.
    pub max_body_bytes: usize,
    /// Connections served at once. Further ones wait in the listen backlog, unanswered, until a
    /// served one closes; the server keeps answering those it serves.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_body_bytes: 64 * 1024,
            max_connections: 512,
        }
    }
}

/// Why a request body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRefused {
    /// Content-Length, or the bytes sent, over [`ServerLimits::max_body_bytes`].
    TooLarge,
    /// The body did not arrive within [`ServerLimits::body_timeout`].
    TooSlow,
    /// The body broke off (the client closed or sent bad chunking).
    Broken,
}

impl ServerLimits {
    /// Refuses limits that would serve nobody: a zero timeout, or no connections. (A zero body
    /// limit is fine: every body is refused.)
    pub fn check(&self) -> Result<(), String> {
        let hour = Duration::from_secs(3600);
        for (name, value) in [
            ("header timeout", self.header_timeout),
            ("body timeout", self.body_timeout),
        ] {
            if value.is_zero() || value > hour {
                return Err(format!("the {name} must be between 1ms and 1h"));
            }
        }
        if self.max_connections == 0 {
            return Err("at least one connection must be allowed".into());
        }
        Ok(())
    }

    /// An HTTP/1 connection builder with the header timeout.
    pub fn http1(&self) -> http1::Builder {
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout);
        builder
    }

    /// Reads the whole body of `request` within the limits and hands the request back with the
    /// body in memory. Handlers then read a body that is already here.
    pub async fn read_body(&self, request: Request) -> Result<Request, BodyRefused> {
        let announced = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > self.max_body_bytes as u64) {
            return Err(BodyRefused::TooLarge);
        }
        let (parts, body) = request.into_parts();
        let max = self.max_body_bytes;
        let read = async move {
            let mut stream = body.into_data_stream();
            let mut bytes = Vec::new();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|_| BodyRefused::Broken)?;
                if bytes.len() + chunk.len() > max {
                    return Err(BodyRefused::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        };
        let bytes = tokio::time::timeout(self.body_timeout, read)
            .await
            .map_err(|_| BodyRefused::TooSlow)??;
        Ok(Request::from_parts(parts, Body::from(bytes)))
    }
}

/// A served connection's place under [`ServerLimits::max_connections`]; the place frees when
/// this is dropped, so the connection's task keeps it until the connection ends.
pub struct ConnectionSlot(#[allow(dead_code)] OwnedSemaphorePermit);

/// Accepts connections until `stop` resolves, at most `max_connections` served at once, and
/// hands each to `serve` with its slot. A slot is taken before accepting, so over the cap the
/// kernel holds new connections in the backlog rather than the server holding file descriptors.
pub async fn accept_loop(
    listener: &TcpListener,
    max_connections: usize,
    stop: impl Future<Output = ()>,
    mut serve: impl FnMut(TcpStream, SocketAddr, ConnectionSlot),
) {
    let slots = Arc::new(Semaphore::new(max_connections.max(1)));
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut stop => return,
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => serve(stream, peer, ConnectionSlot(slot)),
                Err(e) => {
                    // Out of file descriptors and the like: pause rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = &mut stop => return,
        }
    }
}

/// Serves `app` on `listener` with `limits` until `stop` resolves, then lets requests in flight
/// finish for up to `drain`. Returns whether they all did. The body limits are the router's
/// business ([`ServerLimits::read_body`] in a middleware); this applies the others. Each request
/// carries its TCP peer as `ConnectInfo<SocketAddr>`, for routers that count by client address.
pub async fn serve_router(
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
                    request.extensions_mut().insert(ConnectInfo(peer));
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
