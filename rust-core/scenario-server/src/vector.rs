//! The scenario vector format (documented in `rust-core/tests/vectors/README.md`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// One scenario: the id asked for, what the server answers, and what the client must make of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vector {
    /// The file name without `.json`; also the path prefix the multi-vector server uses.
    #[serde(skip)]
    pub name: String,
    pub description: String,
    pub customer_id: String,
    #[serde(default)]
    pub config: VectorConfig,
    /// Lookup options; absent means none asked.
    #[serde(default)]
    pub options: VectorOptions,
    /// The i-th request gets the i-th answer; later requests get the last one.
    #[serde(default)]
    pub responses: Vec<Answer>,
    pub expect: Expectation,
}

/// What the lookup asks for beyond the customer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct VectorOptions {
    /// Ask for Juspay's client auth token.
    pub client_auth_token: bool,
}

/// Client settings for the scenario; absent fields use the defaults below, not the client's.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct VectorConfig {
    pub deadline_ms: u64,
    pub max_retries: u32,
}

impl Default for VectorConfig {
    fn default() -> Self {
        Self {
            deadline_ms: 5_000,
            max_retries: 2,
        }
    }
}

/// What the server does with one request. `Answer::default()` is an empty 200.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Answer {
    #[serde(default = "ok")]
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A JSON body (sent with `content-type: application/json` unless headers say otherwise).
    pub json: Option<Value>,
    /// A body sent as is.
    pub text: Option<String>,
    /// A valid customer padded to this many bytes, sent chunked (no content-length).
    pub oversize_bytes: Option<usize>,
    /// Send the `oversize_bytes` body with its content-length instead of chunked, so a client
    /// can refuse it from the header alone.
    #[serde(default)]
    pub oversize_with_content_length: bool,
    /// Wait this long before answering.
    #[serde(default)]
    pub delay_ms: u64,
    /// Reset the connection (TCP RST) instead of answering.
    #[serde(default)]
    pub reset: bool,
}

fn ok() -> u16 {
    200
}

impl Default for Answer {
    fn default() -> Self {
        Self {
            status: ok(),
            headers: BTreeMap::new(),
            json: None,
            text: None,
            oversize_bytes: None,
            oversize_with_content_length: false,
            delay_ms: 0,
            reset: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expectation {
    /// How many requests the server must have received.
    pub requests: usize,
    /// The raw request path, relative to the base URL (e.g. `/customers/a%2Fb`).
    pub request_path: Option<String>,
    /// The customer the lookup resolves to, in the SDK's camelCase shape; a missing `juspay`
    /// key means `juspay: null` (filled in by the loader).
    pub customer: Option<Value>,
    /// The error the lookup rejects with: `{ code, message?, data }`.
    pub error: Option<Value>,
}

/// `rust-core/tests/vectors`, wherever this crate is built from.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Every `*.json` in `dir`, sorted by name.
pub fn load_vectors(dir: &Path) -> Result<Vec<Vector>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut vector: Vector =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            vector.name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| format!("{}: bad file name", path.display()))?
                .to_owned();
            if let Some(Value::Object(customer)) = &mut vector.expect.customer {
                customer.entry("juspay").or_insert(Value::Null);
            }
            Ok(vector)
        })
        .collect()
}
