//! The opt-in answer cache: customers found in the last `cache_ttl_ms` (at most a minute), in
//! memory only (customer data is personal: never on disk), per client. A client is made for one
//! credential; with a token provider each entry also keeps the token generation it was fetched
//! with, so an answer fetched under one token is never given under another. Only customers
//! are kept: an error is asked again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Longest time an answer may be kept, in milliseconds.
pub const MAX_CACHE_TTL_MS: u64 = 60_000;
/// Most answers kept per client; the oldest goes first. A device looks up a handful of customers.
pub(crate) const MAX_CACHE_ENTRIES: usize = 256;

struct Entry<V> {
    stored: Instant,
    /// The token generation it was fetched with (`None` for fixed credentials).
    credential: Option<u64>,
    value: V,
}

pub(crate) struct AnswerCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Hash + Eq + Clone, V: Clone> AnswerCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::default(),
        }
    }

    /// The answer kept for `key` under `credential`, if it is younger than the TTL.
    pub fn get(&self, key: &K, credential: Option<u64>) -> Option<V> {
        let mut entries = self.lock();
        let entry = entries.get(key)?;
        if entry.stored.elapsed() < self.ttl && entry.credential == credential {
            return Some(entry.value.clone());
        }
        entries.remove(key);
        None
    }

    pub fn put(&self, key: K, credential: Option<u64>, value: V) {
        let mut entries = self.lock();
        let ttl = self.ttl;
        entries.retain(|_, entry| entry.stored.elapsed() < ttl);
        if entries.len() >= MAX_CACHE_ENTRIES && !entries.contains_key(&key) {
            let oldest = entries
                .iter()
                .min_by_key(|(_, entry)| entry.stored)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key,
            Entry {
                stored: Instant::now(),
                credential,
                value,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<V>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn an_answer_lives_for_the_ttl_and_only_under_its_credential() {
        let cache = AnswerCache::new(Duration::from_secs(10));
        cache.put("a", Some(1), "customer");
        assert_eq!(cache.get(&"a", Some(1)), Some("customer"));
        assert_eq!(cache.get(&"a", Some(2)), None, "another token");
        // The mismatch forgot it: the old token's answer is gone for good.
        assert_eq!(cache.get(&"a", Some(1)), None);
        cache.put("b", None, "other");
        tokio::time::advance(Duration::from_millis(9_999)).await;
        assert_eq!(cache.get(&"b", None), Some("other"));
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(cache.get(&"b", None), None);
    }

    #[tokio::test(start_paused = true)]
    async fn it_holds_at_most_its_bound_and_drops_the_oldest() {
        let cache = AnswerCache::new(Duration::from_secs(60));
        for i in 0..MAX_CACHE_ENTRIES + 10 {
            cache.put(i, None, i);
            tokio::time::advance(Duration::from_millis(1)).await;
        }
        assert_eq!(cache.lock().len(), MAX_CACHE_ENTRIES);
        assert_eq!(cache.get(&9, None), None);
        assert_eq!(cache.get(&10, None), Some(10));
        assert_eq!(
            cache.get(&(MAX_CACHE_ENTRIES + 9), None),
            Some(MAX_CACHE_ENTRIES + 9)
        );
    }
}
