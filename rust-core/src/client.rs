//! The lookup: one pooled HTTP client, an overall deadline, retries, token refresh,
//! cancellation, coalescing of concurrent identical lookups, and the opt-in answer cache.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::future::Either;
use futures_util::FutureExt as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use tokio::time::Instant;
use url::Url;

use crate::blocking;
use crate::body::{parse_customer, JuspayErrorFields};
use crate::cache::AnswerCache;
use crate::cancellation::CancellationToken;
use crate::coalescing::Flights;
use crate::config::{Auth, ClientConfig, Settings, MAX_BODY_BYTES};
use crate::customer::Customer;
use crate::customer_id::encode_customer_id;
use crate::deadline;
use crate::error::CustomerError;
use crate::failure::{panic_message, Failure};
use crate::options::{LookupOptions, CLIENT_AUTH_TOKEN_QUERY};
use crate::pinning;
use crate::retry::{backoff, is_retryable_status, pause_fits, retry_after};
use crate::tls;
use crate::token_provider::IssuedToken;

const USER_AGENT: &str = concat!("juspay-customer/", env!("CARGO_PKG_VERSION"));
const X_MERCHANTID: HeaderName = HeaderName::from_static("x-merchantid");
const X_ROUTING_ID: HeaderName = HeaderName::from_static("x-routing-id");
const VERSION: HeaderName = HeaderName::from_static("version");
const FORM_URLENCODED: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Looks up Juspay customers. Create one per base URL and credentials and share it: it keeps a
/// pool of connections, and concurrent lookups are safe. Concurrent lookups of the same customer
/// (and the same `LookupOptions`) share one request unless `coalesce_lookups` is off; with
/// `cache_ttl_ms`, customers found are kept in memory that long. Dropping the client drops both.
#[derive(uniffi::Object)]
pub struct CustomerClient {
    inner: Arc<Inner>,
}

/// What lookups share; each coalesced request holds it, so it lives as long as one runs.
struct Inner {
    http: reqwest::Client,
    fixed_headers: HeaderMap,
    /// The base URL's path followed by `/customers/`: a lookup's path is this and its segment.
    customers_path: String,
    settings: Settings,
    flights: Flights<LookupKey, Outcome>,
    cache: Option<AnswerCache<LookupKey, Arc<CustomerResponse>>>,
}

/// What makes two lookups the same request (the credential is the client's).
#[derive(Clone, PartialEq, Eq, Hash)]
struct LookupKey {
    /// The customer id, percent-encoded.
    segment: String,
    client_auth_token: bool,
}

/// The end of one request, shared by the lookups that waited for it.
type Outcome = Result<Arc<CustomerResponse>, CustomerError>;

/// The final answer of a lookup as the server sent it, for servers that pass it on unchanged
/// (the reference merchant backend does).
#[derive(Debug, Clone)]
pub struct CustomerResponse {
    /// The HTTP status of the final answer.
    pub status: u16,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body; empty when it was larger than [`MAX_BODY_BYTES`].
    pub body: Bytes,
    /// What the answer means: the customer, or the error [`CustomerClient::get_customer`] gives.
    pub result: Result<Customer, CustomerError>,
}

#[uniffi::export(async_runtime = "tokio")]
impl CustomerClient {
    /// Validates `config` and prepares the connection pool. Fails with INVALID_ARGUMENT, before
    /// any network I/O, when the configuration is unusable.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Self, CustomerError> {
        let settings = Settings::validate(config)?;
        let tls = tls::client_config(settings.pins.as_ref())?;
        Self::build(settings, tls)
    }

    /// Looks up a customer by Juspay id (`cst_…`) or by the merchant's `object_reference_id`.
    ///
    /// `customer_id` must be 1 to 300 characters and not `.` or `..`; any other character is
    /// allowed and sent percent-encoded as one path segment. Pass a [`CancellationToken`] to
    /// be able to cancel the lookup (required for cancellation from Swift), and
    /// [`LookupOptions`] to ask for Juspay's client auth token as well.
    #[uniffi::method(default(cancellation = None, options))]
    pub async fn get_customer(
        &self,
        customer_id: String,
        cancellation: Option<Arc<CancellationToken>>,
        options: LookupOptions,
    ) -> Result<Customer, CustomerError> {
        self.get_customer_response(&customer_id, options, cancellation.as_deref())
            .await?
            .result
    }

    /// [`get_customer`](Self::get_customer) for threads kept for blocking I/O, such as Kotlin's
    /// `Dispatchers.IO`: blocks the calling thread until the lookup ends. From Kotlin and Swift
    /// it costs less than the async call, which resumes the caller through a callback across the
    /// FFI at every wake-up. Never call it on a UI thread; cancel it from another thread through
    /// `cancellation`. Inside an async runtime it fails with INVALID_ARGUMENT (await
    /// `get_customer` there).
    #[uniffi::method(default(cancellation = None, options))]
    pub fn get_customer_blocking(
        self: Arc<Self>,
        customer_id: String,
        cancellation: Option<Arc<CancellationToken>>,
        options: LookupOptions,
    ) -> Result<Customer, CustomerError> {
        blocking::spawn_and_wait(async move {
            self.get_customer(customer_id, cancellation, options).await
        })?
    }
}

impl CustomerClient {
    /// The client, on the TLS configuration of [`tls`] (reqwest builds none of its own).
    pub(crate) fn build(
        settings: Settings,
        tls: rustls::ClientConfig,
    ) -> Result<Self, CustomerError> {
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(settings.connect_timeout)
            // An API client must not follow redirects silently: a 3xx is INVALID_RESPONSE.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| {
                CustomerError::invalid_argument(format!("cannot build the HTTP client: {e}"))
            })?;
        let cache = settings.cache_ttl.map(AnswerCache::new);
        let customers_path = format!(
            "{}/customers/",
            settings.base_url.path().trim_end_matches('/')
        );
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                fixed_headers: fixed_headers(&settings.auth),
                customers_path,
                settings,
                flights: Flights::new(),
                cache,
            }),
        })
    }
}

impl CustomerClient {
    /// Like [`get_customer`](Self::get_customer), but returns the server's final answer as
    /// well. `Err` only when there was no answer to return (bad input, network, timeout,
    /// cancellation); every answer, success or not, is `Ok`.
    pub async fn get_customer_response(
        &self,
        customer_id: &str,
        options: LookupOptions,
        cancellation: Option<&CancellationToken>,
    ) -> Result<CustomerResponse, CustomerError> {
        let key = LookupKey {
            segment: encode_customer_id(customer_id)?,
            client_auth_token: options.client_auth_token,
        };
        let inner = &self.inner;
        // Uncoalesced, the request is part of this future: no allocation of its own.
        let request = if inner.settings.coalesce {
            Either::Left(inner.flights.join(key.clone(), || inner.clone().fetch(key)))
        } else {
            Either::Right(inner.clone().fetch(key))
        };
        // Leaving (cancelled, or this future dropped) ends this caller's wait; a shared
        // request goes on while another caller still waits for it.
        let outcome = match cancellation {
            Some(token) => tokio::select! {
                biased;
                () = token.cancelled() => Err(Failure::Cancelled.into_public()),
                outcome = request => outcome,
            },
            None => request.await,
        };
        Ok(Arc::unwrap_or_clone(outcome?))
    }
}

impl Inner {
    /// One request under the deadline, or the cached answer: what every caller of the same
    /// lookup gets. `Err` only when there was no answer to return.
    async fn fetch(self: Arc<Self>, key: LookupKey) -> Outcome {
        let deadline = self.settings.deadline;
        let due = deadline::coarse(Instant::now(), deadline);
        let answer = tokio::time::timeout_at(due, self.cached_or_sent(&key));
        // A panic anywhere in the lookup (ours, or a dependency's) is reported as INTERNAL,
        // the truth, rather than escaping as the bindings' generic error or taking a server
        // task down. Nothing the lookup holds outlives it, so unwinding through it cannot
        // leave the client in a broken state.
        let answer = match AssertUnwindSafe(answer).catch_unwind().await {
            Ok(outcome) => outcome.unwrap_or(Err(Failure::Timeout { deadline })),
            Err(panic) => Err(Failure::Panic(panic_message(panic.as_ref()))),
        }
        .map_err(Failure::into_public)?;
        let (answer, credential) = match answer {
            Found::Cached(response) => return Ok(response),
            Found::Sent { answer, credential } => (answer, credential),
        };
        let result =
            std::panic::catch_unwind(AssertUnwindSafe(|| answer.interpret(key.client_auth_token)))
                .unwrap_or_else(|panic| Err(Failure::Panic(panic_message(panic.as_ref()))))
                .map_err(Failure::into_public);
        let response = Arc::new(CustomerResponse {
            status: answer.status,
            headers: answer.headers,
            body: answer.body.unwrap_or_default(),
            result,
        });
        if let (Some(cache), Ok(_)) = (&self.cache, &response.result) {
            cache.put(key, credential, response.clone());
        }
        Ok(response)
    }

    /// The cached answer for the current credential, or the server's.
    async fn cached_or_sent(&self, key: &LookupKey) -> Result<Found, Failure> {
        let token = match &self.settings.auth {
            Auth::Provider(source) => Some(source.current().await?),
            _ => None,
        };
        if let Some(cache) = &self.cache {
            if let Some(response) = cache.get(key, token.as_ref().map(|t| t.generation)) {
                return Ok(Found::Cached(response));
            }
        }
        let (answer, token) = self.lookup(key, token).await?;
        Ok(Found::Sent {
            answer,
            credential: token.map(|t| t.generation),
        })
    }

    /// Sends the request, refreshing a provider's token once on 401. Returns the answer and the
    /// provider's token it was given under.
    async fn lookup(
        &self,
        key: &LookupKey,
        mut token: Option<IssuedToken>,
    ) -> Result<(Answer, Option<IssuedToken>), Failure> {
        let url = self.customer_url(key);
        let started = Instant::now();
        let mut refreshed = false;
        loop {
            let answer = self
                .send_with_retries(&url, &key.segment, token.as_ref(), started)
                .await?;
            match (&self.settings.auth, &token) {
                (Auth::Provider(source), Some(rejected)) if answer.status == 401 && !refreshed => {
                    tracing::debug!("device token rejected; refreshing once");
                    token = Some(source.refresh(rejected).await?);
                    refreshed = true;
                }
                _ => return Ok((answer, token)),
            }
        }
    }

    /// One request, retried for connect failures, 429 and 502/503/504 while retries remain and
    /// the pause fits in the deadline. When it does not fit, the last answer stands: it says more
    /// than TIMEOUT would.
    async fn send_with_retries(
        &self,
        url: &Url,
        segment: &str,
        token: Option<&IssuedToken>,
        started: Instant,
    ) -> Result<Answer, Failure> {
        let mut retry = 0;
        loop {
            let attempt = self.send_once(url, self.headers(segment, token)).await;
            let pause = match &attempt {
                Ok(answer) if is_retryable_status(answer.status) => {
                    retry_after(&answer.headers).unwrap_or_else(|| backoff(retry))
                }
                Err(Failure::Connect(_)) => backoff(retry),
                _ => return attempt,
            };
            if retry >= self.settings.max_retries
                || !pause_fits(pause, started.elapsed(), self.settings.deadline)
            {
                return attempt;
            }
            tracing::debug!(
                retry = retry + 1,
                status = attempt.as_ref().ok().map(|a| a.status),
                pause_ms = pause.as_millis() as u64,
                "retrying customer lookup"
            );
            tokio::time::sleep(pause).await;
            retry += 1;
        }
    }

    async fn send_once(&self, url: &Url, headers: HeaderMap) -> Result<Answer, Failure> {
        // A built request, not the builder: its headers are ours as they are, not copied over.
        let mut request = reqwest::Request::new(Method::GET, url.clone());
        *request.headers_mut() = headers;
        let mut response = self.http.execute(request).await.map_err(|e| {
            if pinning::is_pin_mismatch(&e) {
                Failure::PinMismatch
            } else if e.is_connect() {
                Failure::Connect(e)
            } else {
                Failure::Transport(e)
            }
        })?;
        let status = response.status().as_u16();
        // Taken, not cloned: the body's length comes from the body, not from these.
        let headers = std::mem::take(response.headers_mut());
        // Statuses that carry no content (RFC 9110): whatever a server sends with them is not
        // read, as the Fetch standard (so the web implementation) does not read it either.
        let body = if matches!(status, 204 | 205 | 304) {
            Some(Bytes::new())
        } else {
            read_capped(response).await?
        };
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    fn customer_url(&self, key: &LookupKey) -> Url {
        let mut url = self.settings.base_url.clone();
        let mut path = String::with_capacity(self.customers_path.len() + key.segment.len());
        path.push_str(&self.customers_path);
        path.push_str(&key.segment);
        url.set_path(&path);
        if key.client_auth_token {
            url.set_query(Some(CLIENT_AUTH_TOKEN_QUERY));
        }
        url
    }

    /// Exactly the headers of the configured credential kind, never the other's: the client's
    /// fixed ones and what varies per lookup.
    fn headers(&self, segment: &str, token: Option<&IssuedToken>) -> HeaderMap {
        // Sized for the per-lookup header and the User-Agent reqwest adds, so it never grows (a
        // clone of the fixed ones would have no room and reallocate).
        let mut headers = HeaderMap::with_capacity(self.fixed_headers.len() + 2);
        headers.extend(
            self.fixed_headers
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        match (&self.settings.auth, token) {
            (Auth::Provider(_), Some(token)) => {
                headers.insert(AUTHORIZATION, token.header.clone());
            }
            (Auth::Provider(_), None) => unreachable!("a provider's token is fetched first"),
            (Auth::ApiKey { .. }, _) => {
                // The encoded segment: stable per customer and always a valid header value.
                headers.insert(
                    X_ROUTING_ID,
                    HeaderValue::from_str(segment).expect("an encoded segment is ASCII"),
                );
            }
            (Auth::Bearer(_), _) => {}
        }
        headers
    }
}

/// The headers every lookup of a client sends, built once.
fn fixed_headers(auth: &Auth) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, APPLICATION_JSON);
    match auth {
        Auth::Bearer(value) => {
            headers.insert(AUTHORIZATION, value.clone());
        }
        Auth::Provider(_) => {}
        Auth::ApiKey {
            authorization,
            merchant_id,
            api_version,
        } => {
            headers.insert(AUTHORIZATION, authorization.clone());
            if let Some(merchant_id) = merchant_id {
                headers.insert(X_MERCHANTID, merchant_id.clone());
            }
            headers.insert(VERSION, api_version.clone());
            headers.insert(CONTENT_TYPE, FORM_URLENCODED);
        }
    }
    headers
}

/// Where a lookup's answer came from.
enum Found {
    Cached(Arc<CustomerResponse>),
    Sent {
        answer: Answer,
        /// The provider's token generation it was given under.
        credential: Option<u64>,
    },
}

/// A whole HTTP answer. `body` is `None` when it exceeded [`MAX_BODY_BYTES`].
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Answer {
    fn interpret(&self, client_auth_token: bool) -> Result<Customer, Failure> {
        let status = self.status;
        let body = self.body.as_deref();
        if (200..300).contains(&status) {
            let body = body.ok_or(Failure::TooLarge { status })?;
            return parse_customer(body, client_auth_token)
                .map_err(|why| Failure::NotACustomer { status, why });
        }
        Err(Failure::Status {
            status,
            fields: body.map(JuspayErrorFields::parse).unwrap_or_default(),
            retry_after: retry_after(&self.headers),
        })
    }
}

/// Reads the body, stopping at [`MAX_BODY_BYTES`] so a hostile or broken server cannot make the
/// app allocate without bound.
async fn read_capped(mut response: reqwest::Response) -> Result<Option<Bytes>, Failure> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Ok(None);
    }
    // Most bodies arrive in one chunk, which is kept as it is; only more are copied together.
    let Some(first) = next_chunk(&mut response).await? else {
        return Ok(Some(Bytes::new()));
    };
    if first.len() > MAX_BODY_BYTES {
        return Ok(None);
    }
    let Some(mut chunk) = next_chunk(&mut response).await? else {
        return Ok(Some(first));
    };
    let mut body = BytesMut::from(&first[..]);
    loop {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
        match next_chunk(&mut response).await? {
            Some(more) => chunk = more,
            None => return Ok(Some(body.freeze())),
        }
    }
}

async fn next_chunk(response: &mut reqwest::Response) -> Result<Option<Bytes>, Failure> {
    response.chunk().await.map_err(Failure::Transport)
}
