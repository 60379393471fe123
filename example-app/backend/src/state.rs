//! What the handlers share, passed to them explicitly as axum state. Nothing in it but the rate
//! limiters' counts changes per request: the backend keeps no session, so any instance with the
//! same TOKEN_SECRET can answer.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use crate::rate_limits::RateLimits;
use crate::tokens::TokenKeys;
use crate::upstream::Upstream;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub token_keys: TokenKeys,
    pub token_ttl: Duration,
    pub upstream: Upstream,
    pub rate_limits: RateLimits,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
