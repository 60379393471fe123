//! Calls to Juspay (or the embedded emulator) through the Rust core in server mode, and what
//! the backend makes of each answer.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use juspay_customer::{
    ClientConfig, Credentials, Customer, CustomerClient, CustomerResponse, LookupOptions,
};
use juspay_sandbox::{Fault, FAULT_HEADER, FAULT_PATH_PREFIX};

use crate::errors::ApiError;
use crate::login::MerchantUser;
use crate::sanitise::{upstream_customer, upstream_error, Redactor};

/// Fault clients are kept per distinct fault; tests use a handful, so the cap only guards memory.
const MAX_FAULT_CLIENTS: usize = 64;

/// Where and how the backend reaches Juspay.
pub struct UpstreamSettings {
    pub base_url: String,
    pub api_key: String,
    pub merchant_id: Option<String>,
    /// The core's overall deadline per lookup, retries included. Shorter than a device's (30 s by
    /// default), so the device gets the backend's 504 rather than its own timeout.
    pub deadline: Duration,
    /// The core's retries of 429/502/503/504 and connect failures. Devices retry the same
    /// statuses, so each retry here multiplies upstream calls; the default is 1.
    pub retries: u32,
    /// Whether concurrent lookups of one customer share one call (the core's coalescing).
    pub coalesce: bool,
    /// Whether `x-sandbox-fault` is honoured: only with SANDBOX_FAULTS and the emulator this
    /// process started, so a fault switch never reaches real Juspay.
    pub faults: bool,
}

pub struct Upstream {
    client: UpstreamClient,
    /// For Create Customer, which the core does not do.
    http: reqwest::Client,
    settings: UpstreamSettings,
    fault_clients: Mutex<HashMap<String, UpstreamClient>>,
    redactor: Arc<Redactor>,
}

/// The core's client, with what its answers must be cleaned of before they reach a device.
#[derive(Clone)]
pub struct UpstreamClient {
    client: Arc<CustomerClient>,
    redactor: Arc<Redactor>,
}

impl Deref for UpstreamClient {
    type Target = CustomerClient;

    fn deref(&self) -> &CustomerClient {
        &self.client
    }
}

/// What Juspay answered, for the handlers to pass on.
pub enum Answer {
    /// A 200 with a customer, and the answer itself to pass on.
    Customer(Box<Customer>, Relay),
    /// One of Juspay's own errors that a device should see (rebuilt): 404 object_not_found, 429,
    /// 5xx and the other 4xx.
    Error(Relay),
}

/// Juspay's answer, to be passed on as `sanitise.rs` allows: a customer's body as it came, an
/// error rebuilt from its known fields; always as JSON, with a well-formed `Retry-After`.
pub struct Relay {
    /// Juspay's 404 `object_not_found`: no such customer (as opposed to any other error).
    pub customer_not_found: bool,
    status: StatusCode,
    retry_after: Option<HeaderValue>,
    body: Bytes,
    redactor: Arc<Redactor>,
}

impl IntoResponse for Relay {
    fn into_response(self) -> Response {
        if self.status.is_success() {
            return upstream_customer(self.status, self.body);
        }
        upstream_error(
            self.status,
            &self.body,
            self.retry_after.as_ref(),
            &self.redactor,
        )
    }
}

impl Upstream {
    pub fn new(settings: UpstreamSettings) -> Result<Self, String> {
        let client =
            new_client(&settings, &settings.base_url).map_err(|e| format!("Juspay client: {e}"))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.deadline)
            .build()
            .map_err(|e| format!("Juspay client: {e}"))?;
        let redactor = Arc::new(Redactor::new(&settings.api_key));
        Ok(Self {
            client: UpstreamClient {
                client: Arc::new(client),
                redactor: redactor.clone(),
            },
            http,
            settings,
            fault_clients: Mutex::default(),
            redactor,
        })
    }

    /// The client for a request: the shared one, or with SANDBOX_FAULTS and an `x-sandbox-fault`
    /// header, one whose base URL carries the fault (the core sends no custom headers; the
    /// emulator reads the fault from the path prefix instead).
    pub fn client_for(&self, headers: &HeaderMap) -> Result<UpstreamClient, ApiError> {
        let Some(value) = headers.get(FAULT_HEADER) else {
            return Ok(self.client.clone());
        };
        if !self.settings.faults {
            tracing::debug!("x-sandbox-fault ignored: SANDBOX_FAULTS is off");
            return Ok(self.client.clone());
        }
        let fault: Fault = value
            .to_str()
            .ok()
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| {
                ApiError::InvalidRequest(
                    "x-sandbox-fault is not a fault the emulator knows (see its README).".into(),
                )
            })?;
        let key = fault.to_string();
        let mut clients = self.fault_clients.lock().unwrap();
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let base_url = format!("{}{FAULT_PATH_PREFIX}{key}", self.settings.base_url);
        let client =
            UpstreamClient {
                client: Arc::new(new_client(&self.settings, &base_url).map_err(|_| {
                    ApiError::InvalidRequest("x-sandbox-fault is not usable.".into())
                })?),
                redactor: self.redactor.clone(),
            };
        if clients.len() < MAX_FAULT_CLIENTS {
            clients.insert(key, client.clone());
        }
        Ok(client)
    }

    /// The shared client.
    pub fn client(&self) -> UpstreamClient {
        self.client.clone()
    }

    /// Juspay's Create Customer (`POST /customers`, form-encoded, as Juspay documents it) for
    /// `user`, with `object_reference_id` = the merchant's id. The body holds personal data and
    /// is never logged.
    pub async fn create_customer(&self, user: &MerchantUser) -> Result<Created, ApiError> {
        let p = &user.profile;
        let form: Vec<(&str, &str)> = [
            ("object_reference_id", Some(user.id.as_str())),
            ("mobile_number", p.mobile_number.as_deref()),
            ("mobile_country_code", p.mobile_country_code.as_deref()),
            ("email_address", p.email_address.as_deref()),
            ("first_name", p.first_name.as_deref()),
            ("last_name", p.last_name.as_deref()),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key, v)))
        .collect();
        let mut request = self
            .http
            .post(format!(
                "{}/customers",
                self.settings.base_url.trim_end_matches('/')
            ))
            .basic_auth(&self.settings.api_key, Some(""))
            .header(header::ACCEPT, "application/json")
            .header("version", juspay_customer::DEFAULT_API_VERSION)
            .form(&form);
        if let Some(merchant_id) = &self.settings.merchant_id {
            request = request.header("x-merchantid", merchant_id);
        }
        let started = std::time::Instant::now();
        let sent = request.send().await;
        if sent.is_err() {
            crate::metrics::juspay_call("create_customer", None, started.elapsed());
        }
        let response = sent.map_err(|e| {
            tracing::warn!(
                timeout = e.is_timeout(),
                "no answer from Juspay to Create Customer"
            );
            if e.is_timeout() {
                ApiError::UpstreamTimeout
            } else {
                ApiError::UpstreamUnreachable
            }
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await;
        crate::metrics::juspay_call("create_customer", Some(status.as_u16()), started.elapsed());
        let body = body.map_err(|_| ApiError::UpstreamUnreachable)?;
        if status.is_success() {
            let customer: Customer =
                serde_json::from_slice(&body).map_err(|_| ApiError::UpstreamInvalidResponse)?;
            tracing::info!(status = status.as_u16(), "Juspay customer created");
            return Ok(Created::Customer(Box::new(customer)));
        }
        let info_code = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error_info"]["code"].as_str().map(str::to_owned));
        tracing::debug!(
            status = status.as_u16(),
            juspay_error = info_code.as_deref().unwrap_or("-"),
            "Juspay refused Create Customer"
        );
        match (status.as_u16(), info_code.as_deref()) {
            (400, Some("ALREADY_EXISTS")) => Ok(Created::AlreadyExists),
            (401 | 403, _) => Err(ApiError::UpstreamRejectedCredentials {
                status: status.as_u16(),
            }),
            // Juspay's word on the fields (400 INVALID_INPUT), 429, 5xx: the device sees it.
            _ => Ok(Created::Refused(Relay {
                customer_not_found: false,
                status,
                // Not read by the core: sanitise.rs keeps it only when well formed.
                retry_after: headers.get(header::RETRY_AFTER).cloned(),
                body,
                redactor: self.redactor.clone(),
            })),
        }
    }
}

/// What Create Customer gave.
pub enum Created {
    Customer(Box<Customer>),
    /// Another sign-in of the same user created it first.
    AlreadyExists,
    /// Juspay's refusal, to pass on.
    Refused(Relay),
}

fn new_client(settings: &UpstreamSettings, base_url: &str) -> Result<CustomerClient, String> {
    let mut config = ClientConfig::new(
        base_url,
        Credentials::ApiKey {
            api_key: settings.api_key.clone(),
            merchant_id: settings.merchant_id.clone(),
            api_version: None,
        },
    );
    config.deadline_ms = settings.deadline.as_millis().try_into().unwrap_or(u64::MAX);
    config.max_retries = settings.retries;
    config.coalesce_lookups = settings.coalesce;
    CustomerClient::new(config).map_err(|e| e.to_string())
}

/// Looks `customer_id` up and sorts the outcome: a customer, one of Juspay's errors to pass on,
/// or a problem of the backend's own (its credentials, its base URL, Juspay unreachable).
/// With `options.client_auth_token`, Juspay is asked for its client auth token too, and a 200
/// without one is a bad answer (502), as the core sees it.
pub async fn lookup(
    client: &UpstreamClient,
    customer_id: &str,
    options: LookupOptions,
) -> Result<Answer, ApiError> {
    let started = std::time::Instant::now();
    let response = client
        .get_customer_response(customer_id, options, None)
        .await;
    crate::metrics::juspay_call(
        "get_customer",
        response.as_ref().ok().map(|r| r.status),
        started.elapsed(),
    );
    let response = response.map_err(|e| {
        tracing::warn!(code = e.code_str(), "no answer from Juspay");
        match e.code_str() {
            "INVALID_ARGUMENT" => ApiError::InvalidRequest(e.details_ref().message.clone()),
            "TIMEOUT" => ApiError::UpstreamTimeout,
            _ => ApiError::UpstreamUnreachable,
        }
    })?;
    let CustomerResponse {
        status,
        body,
        result,
        ..
    } = response;
    // Retry-After as the core read it (delay-seconds or a date, capped at a day), sent on as
    // whole seconds rounded up: one grammar for every hop, and never a value a device
    // could overflow on.
    let retry_after = result
        .as_ref()
        .err()
        .and_then(|e| e.details_ref().retry_after_ms)
        .map(|ms| HeaderValue::from(ms.div_ceil(1000)));
    let relay = Relay {
        customer_not_found: result
            .as_ref()
            .is_err_and(|e| e.code_str() == "CUSTOMER_NOT_FOUND"),
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
        retry_after,
        body,
        redactor: client.redactor.clone(),
    };
    let error = match result {
        Ok(customer) => {
            tracing::debug!(status, "Juspay answered with a customer");
            return Ok(Answer::Customer(Box::new(customer), relay));
        }
        Err(error) => error,
    };
    let details = error.details_ref();
    tracing::debug!(
        status,
        code = error.code_str(),
        juspay_request_id = details.request_id.as_deref().unwrap_or("-"),
        "Juspay answered with an error"
    );
    match error.code_str() {
        "UNAUTHORIZED" | "FORBIDDEN" => {
            tracing::error!(
                status,
                juspay_error = details.error_info_code.as_deref().unwrap_or("-"),
                juspay_request_id = details.request_id.as_deref().unwrap_or("-"),
                "Juspay rejected this backend's credentials: check JUSPAY_API_KEY, \
                 JUSPAY_MERCHANT_ID and Juspay's IP allow-list"
            );
            Err(ApiError::UpstreamRejectedCredentials { status })
        }
        "ENDPOINT_NOT_FOUND" => {
            tracing::error!(
                "Juspay answered 404 without its not-found body: check JUSPAY_BASE_URL"
            );
            Err(ApiError::UpstreamNotFound)
        }
        // A 2xx that is not a customer, an oversized body, a redirect. Other 4xx (say a 400 for
        // an id Juspay dislikes) are Juspay's word to the device and pass on.
        "INVALID_RESPONSE" if !(400..500).contains(&status) => {
            Err(ApiError::UpstreamInvalidResponse)
        }
        _ => Ok(Answer::Error(relay)),
    }
}
