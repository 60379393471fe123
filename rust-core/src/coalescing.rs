//! Coalesced lookups: concurrent lookups of the same customer through one client share one
//! request. Each caller waits on its own and may leave (cancel, or drop its future); the
//! request is dropped, closing its connection, only when the last caller has left.
//!
//! The table holds weak handles only, so it never keeps a request alive; the request removes
//! its own entry when it finishes or is dropped.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use futures_util::future::{BoxFuture, Shared, WeakShared};
use futures_util::FutureExt as _;

/// A shared request: every caller polls its own clone and gets a clone of the output.
pub(crate) type Flight<V> = Shared<BoxFuture<'static, V>>;

type Table<K, V> = Mutex<HashMap<K, (u64, WeakShared<BoxFuture<'static, V>>)>>;

/// The requests in flight, by key.
pub(crate) struct Flights<K, V> {
    table: Arc<Table<K, V>>,
    next_id: AtomicU64,
}

impl<K, V> Flights<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new() -> Self {
        Self {
            table: Arc::default(),
            next_id: AtomicU64::new(0),
        }
    }

    /// The request in flight for `key`, or a new one made by `start`.
    pub fn join<F, R>(&self, key: K, start: F) -> Flight<V>
    where
        F: FnOnce() -> R,
        R: Future<Output = V> + Send + 'static,
    {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(flight) = table.get(&key).and_then(|(_, weak)| weak.upgrade()) {
            // Returned, not dropped, under the lock: dropping the last handle would run the
            // request's removal below, which takes this lock.
            return flight;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let guard = Leave {
            table: Arc::downgrade(&self.table),
            key: key.clone(),
            id,
        };
        let request = start();
        let flight = async move {
            let _guard = guard;
            request.await
        }
        .boxed()
        .shared();
        let weak = flight
            .downgrade()
            .expect("a flight that was never polled has not finished");
        table.insert(key, (id, weak));
        flight
    }

    /// How many requests are in flight (for tests).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Owned by a request: removes its entry when the request finishes or is dropped, unless a
/// newer request took the key since.
struct Leave<K: Hash + Eq, V> {
    table: Weak<Table<K, V>>,
    key: K,
    id: u64,
}

impl<K: Hash + Eq, V> Drop for Leave<K, V> {
    fn drop(&mut self) {
        let Some(table) = self.table.upgrade() else {
            return;
        };
        let mut table = table.lock().unwrap_or_else(PoisonError::into_inner);
        if table.get(&self.key).is_some_and(|(id, _)| *id == self.id) {
            table.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn counting(started: &Arc<AtomicUsize>, value: u32) -> BoxFuture<'static, u32> {
        started.fetch_add(1, Ordering::SeqCst);
        async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            value
        }
        .boxed()
    }

    #[tokio::test]
    async fn concurrent_joins_share_one_request_and_the_entry_goes_when_it_ends() {
        let flights = Flights::<&str, u32>::new();
        let started = Arc::new(AtomicUsize::new(0));
        let waits: Vec<_> = (0..50)
            .map(|i| flights.join("a", || counting(&started, i)))
            .collect();
        let outputs = futures_util::future::join_all(waits).await;
        assert_eq!(started.load(Ordering::SeqCst), 1);
        assert!(outputs.iter().all(|v| *v == 0));
        assert_eq!(flights.len(), 0);
        // After it ended, the same key starts a new request.
        assert_eq!(flights.join("a", || counting(&started, 7)).await, 7);
        assert_eq!(started.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn different_keys_do_not_share() {
        let flights = Flights::<&str, u32>::new();
        let started = Arc::new(AtomicUsize::new(0));
        let a = flights.join("a", || counting(&started, 1));
        let b = flights.join("b", || counting(&started, 2));
        assert_eq!((a.await, b.await), (1, 2));
        assert_eq!(started.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn the_request_is_dropped_only_when_every_waiter_has_left() {
        struct Dropped(Arc<AtomicUsize>);
        impl Drop for Dropped {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let flights = Flights::<&str, u32>::new();
        let dropped = Arc::new(AtomicUsize::new(0));
        let start = || {
            let marker = Dropped(dropped.clone());
            async move {
                let _marker = marker;
                std::future::pending::<u32>().await
            }
            .boxed()
        };
        let first = flights.join("a", start);
        let second = flights.join("a", start);
        // Polled once, so the request is under way.
        assert!(first.clone().now_or_never().is_none());
        drop(first);
        assert_eq!(dropped.load(Ordering::SeqCst), 0, "one waiter is left");
        assert_eq!(flights.len(), 1);
        drop(second);
        assert_eq!(dropped.load(Ordering::SeqCst), 1);
        assert_eq!(flights.len(), 0);
    }
}
