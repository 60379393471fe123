//! What the server binaries (the emulator, the reference backend) share as processes: logging
//! to stderr, and when to stop (SIGINT, SIGTERM and, for test harnesses, the end of stdin).

use std::future::Future;
use std::io::{IsTerminal, Read};

use tracing_subscriber::EnvFilter;

use crate::log_writer::{BatchedWriter, WriterGuard, BATCH_INTERVAL, MAX_QUEUED_BYTES};

/// Logs to stderr (stdout carries only the ready line), at RUST_LOG's level or `info`.
///
/// Lines are written by a thread of their own, in batches at most [`BATCH_INTERVAL`] apart, so a
/// request only appends to a buffer, and a slow reader of stderr (a full pipe, a stalled log
/// shipper) holds up no request until [`MAX_QUEUED_BYTES`] are queued; past that, logging waits
/// rather than drop lines. Keep the guard until exit: dropping it writes what is queued.
#[must_use = "dropping the guard stops the log writer"]
pub fn init_logging() -> std::io::Result<WriterGuard> {
    let (writer, guard) = BatchedWriter::new(
        std::io::stderr(),
        "log-writer",
        BATCH_INTERVAL,
        MAX_QUEUED_BYTES,
    )?;
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    Ok(guard)
}

/// Resolves on SIGINT or SIGTERM, and at the end of stdin when `on_stdin_eof`. The handlers are
/// installed when this is called, not when it is first awaited, so a caller can install them
/// before announcing that it is ready.
pub fn stop_signal(on_stdin_eof: bool) -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
        )
    };
    let stdin_closed = on_stdin_eof.then(|| {
        // A plain thread, not tokio's stdin: that one reads on the runtime's blocking pool, and
        // the runtime waits for that read at exit, so a signal could not stop the process until
        // stdin closed too. A detached thread does not hold the exit back.
        let (closed, on_closed) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut sink = [0u8; 256];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            let _ = closed.send(());
        });
        on_closed
    });
    Ok(async move {
        let stdin_closed = async {
            match stdin_closed {
                Some(on_closed) => {
                    let _ = on_closed.await;
                }
                None => std::future::pending().await,
            }
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
