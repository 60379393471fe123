//! What the handlers share, passed to them explicitly as axum state.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::faults::ServerFault;
use crate::limits::ServerLimits;
use crate::store::Store;

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

pub(crate) struct Shared {
    pub api_key: String,
    pub merchant_id: String,
    /// Client IPs allowed in; empty means every IP is.
    pub allowed_ips: Vec<IpAddr>,
    pub store: Store,
    pub server_fault: ServerFault,
    pub requests: RequestLog,
    /// `None`: the `/__sandbox/*` control endpoints are off.
    pub control_key: Option<String>,
    pub limits: ServerLimits,
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

/// One request to a customer endpoint as the emulator received it (the body is never kept: it
/// holds personal data).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecordedRequest {
    pub method: String,
    /// The path as sent, still percent-encoded, without a fault prefix.
    pub path: String,
    /// Header names lowercased; `authorization` keeps only its scheme.
    pub headers: Vec<(String, String)>,
}

/// The last [`RequestLog::CAPACITY`] requests, for tests that check what a client sent.
#[derive(Default)]
pub(crate) struct RequestLog {
    entries: Mutex<VecDeque<RecordedRequest>>,
}

impl RequestLog {
    const CAPACITY: usize = 1000;

    pub fn push(&self, request: RecordedRequest) {
        let mut entries = self.entries.lock().unwrap();
        if entries.len() == Self::CAPACITY {
            entries.pop_front();
        }
        entries.push_back(request);
    }

    pub fn all(&self) -> Vec<RecordedRequest> {
        self.entries.lock().unwrap().iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.entries.lock().unwrap().clear();
    }
}
