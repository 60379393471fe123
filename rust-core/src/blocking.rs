//! Lookups that block their thread, for callers that keep threads for blocking I/O (Kotlin's
//! `Dispatchers.IO`, a Swift `Thread`). An async call across the FFI resumes the caller through
//! a callback from the runtime's thread at every wake-up (on the JVM, a JNA callback that
//! attaches the thread each time); a blocking call hands the lookup to the runtime, parks, and
//! returns once.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use async_compat::Compat;

use crate::error::CustomerError;

/// Wakes the parked caller.
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` as one task on the runtime uniffi's async exports use (async-compat's), and
/// parks the calling thread until it ends. The request and its connection's task then run on the
/// same thread, so a lookup crosses threads twice (there and back), as few as any client on a
/// runtime can; blocking and async lookups share that runtime and its connection pool.
///
/// Fails with INVALID_ARGUMENT inside an async runtime: parking one of its threads could stall
/// the very tasks the lookup waits for.
pub(crate) fn spawn_and_wait<F>(future: F) -> Result<F::Output, CustomerError>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(CustomerError::invalid_argument(
            "get_customer_blocking blocks its thread and cannot run inside an async runtime; \
             await get_customer there instead",
        ));
    }
    // Spawned from inside Compat, the task goes to its runtime.
    match park_until_done(Compat::new(async move { tokio::spawn(future).await })) {
        Ok(output) => Ok(output),
        // The runtime is never shut down, so the task ended by panicking: the bindings report
        // that as they report a panic in any call.
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// Spawns `future` onto the runtime [`spawn_and_wait`] uses and returns at once; for callers
/// that are told of the end another way (the JNI lookup's callback). Any thread may call it.
pub(crate) fn spawn_detached<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    // Inside Compat, tokio::spawn reaches its runtime; the block ends at its first poll.
    park_until_done(Compat::new(async move {
        drop(tokio::spawn(future));
    }));
}

/// Polls `future` on the calling thread, parking it between wake-ups.
fn park_until_done<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        // A wake-up between the poll and here leaves the token set, so park returns at once;
        // a spurious return only polls once more.
        thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn runs_a_task_that_needs_the_runtimes_timer_and_another_threads_wake_up() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            tx.send(7).unwrap();
        });
        let output = spawn_and_wait(async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            rx.await.unwrap()
        });
        assert_eq!(output.unwrap(), 7);
    }

    #[test]
    fn a_detached_task_runs_on_the_runtime_after_the_caller_has_returned() {
        let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let caller = thread::current().id();
        spawn_detached(async move {
            // Held until the caller has returned: the task cannot be running on its thread.
            let _ = tokio::task::spawn_blocking(move || started_rx.recv()).await;
            tokio::time::sleep(Duration::from_millis(10)).await;
            done_tx.send(thread::current().id()).unwrap();
        });
        started_tx.send(()).unwrap();
        let ran_on = done_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_ne!(ran_on, caller);
    }

    #[tokio::test]
    async fn refuses_to_park_a_runtime_thread() {
        let error = spawn_and_wait(async {}).unwrap_err();
        assert_eq!(error.code_str(), "INVALID_ARGUMENT");
        assert!(error.to_string().contains("await get_customer"), "{error}");
    }
}
