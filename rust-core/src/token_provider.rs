//! Device tokens supplied by the app, cached, and refreshed once however many lookups find the
//! token rejected at the same time.

use std::sync::{Arc, Mutex, PoisonError};

use futures_util::future::{BoxFuture, FutureExt as _, Shared};
use reqwest::header::HeaderValue;

use crate::config::bearer_header;
use crate::failure::Failure;

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

/// Why a fetch gave no usable token; cloned to every lookup that waited for it.
#[derive(Clone)]
enum FetchError {
    Provider(TokenProviderError),
    Unusable(&'static str),
}

type Fetch = Shared<BoxFuture<'static, Result<HeaderValue, FetchError>>>;

/// A token in use and its generation: a lookup that is refused reports the generation it used,
/// so a refresh that someone else already did is not repeated.
#[derive(Clone)]
pub(crate) struct IssuedToken {
    pub header: HeaderValue,
    pub generation: u64,
}

struct State {
    current: Option<HeaderValue>,
    /// Incremented each time a new token is stored.
    generation: u64,
    /// The fetch under way for `generation`, shared by everyone who needs it.
    pending: Option<Fetch>,
}

pub(crate) struct TokenSource {
    provider: Arc<dyn TokenProvider>,
    state: Mutex<State>,
}

impl TokenSource {
    pub fn new(provider: Arc<dyn TokenProvider>) -> Self {
        Self {
            provider,
            state: Mutex::new(State {
                current: None,
                generation: 0,
                pending: None,
            }),
        }
    }

    /// The cached token, or a first one from the provider.
    pub async fn current(&self) -> Result<IssuedToken, Failure> {
        let generation = {
            let state = self.lock();
            if let Some(header) = &state.current {
                return Ok(IssuedToken {
                    header: header.clone(),
                    generation: state.generation,
                });
            }
            state.generation
        };
        self.fetch(generation, false).await
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
                if let Some(header) = &state.current {
                    return Ok(IssuedToken {
                        header: header.clone(),
                        generation: state.generation,
                    });
                }
            }
            match &state.pending {
                Some(fetch) => fetch.clone(),
                None => {
                    let fetch = ask(self.provider.clone(), force_refresh);
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
            if let Ok(header) = &result {
                state.current = Some(header.clone());
                state.generation += 1;
            }
        }
        match result {
            Ok(header) => Ok(IssuedToken {
                header,
                generation: state.generation,
            }),
            Err(FetchError::Provider(e)) => Err(Failure::TokenProvider(e)),
            Err(FetchError::Unusable(why)) => Err(Failure::UnusableToken(why)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent at every await point, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn ask(provider: Arc<dyn TokenProvider>, force_refresh: bool) -> Fetch {
    async move {
        let token = provider
            .token(force_refresh)
            .await
            .map_err(FetchError::Provider)?;
        bearer_header(&token).map_err(FetchError::Unusable)
    }
    .boxed()
    .shared()
}
