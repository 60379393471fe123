//! Explicit cancellation. A cancelled Kotlin coroutine drops the Rust future by itself, but a
//! cancelled Swift `Task` does not, and JavaScript's `AbortSignal` cannot reach Rust at all:
//! so callers pass a token and cancel it.

/// Cancels the lookups it was passed to. They end promptly with CANCELLED and their connections
/// are closed. Cancelling is permanent; use a new token for new lookups.
#[derive(Debug, Default, uniffi::Object)]
pub struct CancellationToken {
    inner: tokio_util::sync::CancellationToken,
}

#[uniffi::export]
impl CancellationToken {
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every lookup that was given this token, now and later.
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }
}

impl CancellationToken {
    /// Completes when the token is cancelled.
    pub(crate) async fn cancelled(&self) {
        self.inner.cancelled().await
    }
}
