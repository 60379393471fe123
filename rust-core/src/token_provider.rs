//! Device tokens supplied by the app, cached, and refreshed once however many lookups find the
//! token rejected (or, with an expiry, about to expire) at the same time.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::future::{BoxFuture, FutureExt as _, Shared};
use reqwest::header::HeaderValue;
use tokio::time::Instant;

use crate::config::bearer_header;
use crate::failure::{panic_message, Failure};

/// Why the app could not supply a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TokenProviderError {
    /// The user is signed out or the backend refused to issue a token: the lookup fails with
    /// UNAUTHORIZED.
    #[error("token provider refused: {reason}")]
    Unauthorized { reason: String },
    /// The token could not be fetched for a passing reason (network, backend down): the lookup
    /// fails with NETWORK, which is retryable.
    #[error("token provider unavailable: {reason}")]
    Unavailable { reason: String },
}

/// An exception the foreign implementation did not declare becomes UNAUTHORIZED, not a panic.
impl From<uniffi::UnexpectedUniFFICallbackError> for TokenProviderError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Unauthorized {
            reason: format!("unexpected error: {}", e.reason),
        }
    }
}

/// Supplies device tokens that the merchant's backend issued. Implemented by the app, in
/// Kotlin, Swift or Rust.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait TokenProvider: Send + Sync {
    /// Returns a device token. `force_refresh` is true when the backend has just rejected the
    /// token this provider gave before: fetch a new one rather than returning a cached one.
    async fn token(&self, force_refresh: bool) -> Result<String, TokenProviderError>;
}

/// A device token and when it expires.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExpiringToken {
    pub token: String,
    /// Milliseconds since the Unix epoch; `None` when unknown (no early refresh then).
    #[uniffi(default = None)]
    pub expires_at_ms: Option<i64>,
}

/// Printing it never shows the token.
impl std::fmt::Debug for ExpiringToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExpiringToken")
            .field("token", &"[redacted]")
            .field("expires_at_ms", &self.expires_at_ms)
            .finish()
    }
}

/// Supplies device tokens with their expiry, so the client fetches the next one shortly
/// before the expiry rather than after a 401 ([`Credentials::ExpiringTokenProvider`](crate::Credentials)).
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait ExpiringTokenProvider: Send + Sync {
    /// Returns a device token and its expiry. `force_refresh` is true when the backend has just
    /// rejected the token this provider gave before, or when it expires within the skew: fetch
    /// a new one rather than returning a cached one.
    async fn token(&self, force_refresh: bool) -> Result<ExpiringToken, TokenProviderError>;
}

/// Either kind of provider.
pub(crate) enum Provider {
    Plain(Arc<dyn TokenProvider>),
    Expiring(Arc<dyn ExpiringTokenProvider>),
}

/// A fetched token: its header, and when to fetch the next one early (`None`: never).
#[derive(Clone)]
struct Fetched {
    header: HeaderValue,
    refresh_at: Option<Instant>,
}

/// Why a fetch gave no usable token; cloned to every lookup that waited for it.
#[derive(Clone)]
enum FetchError {
    Provider(TokenProviderError),
    Unusable(&'static str),
    /// The provider panicked (one written in Rust can): a shared future that panicked would
    /// panic again for every later waiter, so the panic is caught inside it and the next lookup
    /// asks again.
    Panic(String),
}

type Fetch = Shared<BoxFuture<'static, Result<Fetched, FetchError>>>;

/// A token in use and its generation: a lookup that is refused reports the generation it used,
/// so a refresh that someone else already did is not repeated.
#[derive(Clone)]
pub(crate) struct IssuedToken {
    pub header: HeaderValue,
    pub generation: u64,
}

struct State {
    current: Option<Fetched>,
    /// Incremented each time a new token is stored.
    generation: u64,
    /// The fetch under way for `generation`, shared by everyone who needs it.
    pending: Option<Fetch>,
}

pub(crate) struct TokenSource {
    provider: Arc<Provider>,
    skew: Duration,
    state: Mutex<State>,
}

impl TokenSource {
    pub fn new(provider: Provider, skew: Duration) -> Self {
        Self {
            provider: Arc::new(provider),
            skew,
            state: Mutex::new(State {
                current: None,
                generation: 0,
                pending: None,
            }),
        }
    }

    /// The cached token, or a first one from the provider. A cached token past its early
    /// refresh time is replaced first (shared like a refresh); if that fails, it is used still.
    pub async fn current(&self) -> Result<IssuedToken, Failure> {
        let (generation, stale) = {
            let state = self.lock();
            match &state.current {
                Some(fetched) if fetched.refresh_at.is_some_and(|at| Instant::now() >= at) => {
                    let stale = IssuedToken {
                        header: fetched.header.clone(),
                        generation: state.generation,
                    };
                    (state.generation, Some(stale))
                }
                Some(fetched) => {
                    return Ok(IssuedToken {
                        header: fetched.header.clone(),
                        generation: state.generation,
                    })
                }
                None => (state.generation, None),
            }
        };
        match stale {
            None => self.fetch(generation, false).await,
            Some(stale) => {
                tracing::debug!("device token expires soon; fetching the next one");
                Ok(self.fetch(generation, true).await.unwrap_or(stale))
            }
        }
    }

    /// A new token after `rejected` was refused. Only the first caller per generation asks the
    /// provider; the others wait for and share its answer.
    pub async fn refresh(&self, rejected: &IssuedToken) -> Result<IssuedToken, Failure> {
        self.fetch(rejected.generation, true).await
    }

    async fn fetch(&self, seen: u64, force_refresh: bool) -> Result<IssuedToken, Failure> {
        let fetch = {
            let mut state = self.lock();
            if state.generation != seen {
                if let Some(fetched) = &state.current {
                    return Ok(IssuedToken {
                        header: fetched.header.clone(),
                        generation: state.generation,
                    });
                }
            }
            match &state.pending {
                Some(fetch) => fetch.clone(),
                None => {
                    let fetch = ask(self.provider.clone(), force_refresh, self.skew);
                    state.pending = Some(fetch.clone());
                    fetch
                }
            }
        };
        let result = fetch.clone().await;
        let mut state = self.lock();
        // The first waiter to wake up stores the outcome; a failure leaves the generation as it
        // was, so the next lookup asks again.
        if state.pending.as_ref().is_some_and(|p| p.ptr_eq(&fetch)) {
            state.pending = None;
            if let Ok(fetched) = &result {
                state.current = Some(fetched.clone());
                state.generation += 1;
            }
        }
        match result {
            Ok(fetched) => Ok(IssuedToken {
                header: fetched.header,
                generation: state.generation,
            }),
            Err(FetchError::Provider(e)) => Err(Failure::TokenProvider(e)),
            Err(FetchError::Unusable(why)) => Err(Failure::UnusableToken(why)),
            Err(FetchError::Panic(message)) => Err(Failure::Panic(message)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent at every await point, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn ask(provider: Arc<Provider>, force_refresh: bool, skew: Duration) -> Fetch {
    let fetch = async move {
        let (token, expires_at_ms) = match &*provider {
            Provider::Plain(p) => (p.token(force_refresh).await, None),
            Provider::Expiring(p) => match p.token(force_refresh).await {
                Ok(t) => (Ok(t.token), t.expires_at_ms),
                Err(e) => (Err(e), None),
            },
        };
        let token = token.map_err(FetchError::Provider)?;
        let header = bearer_header(&token).map_err(FetchError::Unusable)?;
        Ok(Fetched {
            header,
            refresh_at: expires_at_ms.and_then(|ms| refresh_at(ms, skew, SystemTime::now())),
        })
    };
    AssertUnwindSafe(fetch)
        .catch_unwind()
        .map(|caught| caught.unwrap_or_else(|panic| Err(FetchError::Panic(panic_message(&*panic)))))
        .boxed()
        .shared()
}

/// When a token expiring at `expires_at_ms` is to be replaced: `skew` before, on the monotonic
/// clock. `None` (no early refresh) when it already expires within the skew, or when the time
/// is absurd (before 1970, or more than a year ahead).
fn refresh_at(expires_at_ms: i64, skew: Duration, now: SystemTime) -> Option<Instant> {
    let expires_at =
        UNIX_EPOCH.checked_add(Duration::from_millis(u64::try_from(expires_at_ms).ok()?))?;
    let left = expires_at.duration_since(now).ok()?.checked_sub(skew)?;
    if left.is_zero() || left > Duration::from_secs(366 * 24 * 3600) {
        return None;
    }
    Some(Instant::now() + left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_early_refresh_time_is_the_expiry_less_the_skew_and_absurd_times_give_none() {
        let now = SystemTime::now();
        let ms = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        let skew = Duration::from_secs(60);
        let at = refresh_at(ms(now + Duration::from_secs(900)), skew, now).unwrap();
        let left = at - Instant::now();
        assert!(
            left > Duration::from_secs(839) && left <= Duration::from_secs(840),
            "{left:?}"
        );
        for expiry in [
            ms(now + Duration::from_secs(30)),
            ms(now - Duration::from_secs(1)),
            -1,
            i64::MIN,
            i64::MAX,
            ms(now + Duration::from_secs(400 * 24 * 3600)),
        ] {
            assert!(refresh_at(expiry, skew, now).is_none(), "{expiry}");
        }
    }
}
