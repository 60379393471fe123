//! The two Rust clients under test: the core in server mode, and the floor it is held to.

use std::time::Duration;

use base64::Engine as _;
use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::Deserialize;

/// The core's User-Agent, so both clients send the same bytes.
const USER_AGENT: &str = "juspay-customer/0.1.0";

#[derive(Clone, Copy)]
pub enum Kind {
    Core,
    Floor,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Core => "core",
            Self::Floor => "floor",
        }
    }
}

pub struct Target {
    pub kind: Kind,
    pub base_url: String,
    pub api_key: String,
    pub merchant_id: String,
    pub customer_id: String,
    pub ca_cert: Option<Vec<u8>>,
    pub no_pool: bool,
}

pub enum Client {
    Core {
        client: CustomerClient,
        customer_id: String,
    },
    Floor(Floor),
}

impl Client {
    pub fn new(target: &Target) -> Result<Self, String> {
        match target.kind {
            Kind::Core => {
                if target.ca_cert.is_some() || target.no_pool {
                    return Err("--ca-cert and --no-pool are for the floor only".into());
                }
                // Coalescing off: every concurrent lookup here asks for the same customer, and the
                // floor sends one request per lookup; the comparison is request for request.
                let config = ClientConfig {
                    coalesce_lookups: false,
                    ..ClientConfig::new(
                        target.base_url.clone(),
                        Credentials::ApiKey {
                            api_key: target.api_key.clone(),
                            merchant_id: Some(target.merchant_id.clone()),
                            api_version: None,
                        },
                    )
                };
                Ok(Self::Core {
                    client: CustomerClient::new(config).map_err(|e| e.to_string())?,
                    customer_id: target.customer_id.clone(),
                })
            }
            Kind::Floor => Floor::new(target).map(Self::Floor),
        }
    }

    /// One lookup; an answer that is not the expected customer is an error.
    pub async fn lookup(&self) -> Result<(), String> {
        let (id, expected) = match self {
            Self::Core {
                client,
                customer_id,
            } => {
                let customer = client
                    .get_customer(customer_id.clone(), None, Default::default())
                    .await
                    .map_err(|e| e.to_string())?;
                (customer.id, customer_id)
            }
            Self::Floor(floor) => (floor.lookup().await?.id, &floor.customer_id),
        };
        if id == *expected {
            Ok(())
        } else {
            Err(format!("wrong customer {id}"))
        }
    }
}

/// What a hand-written client would do: one reqwest client, the same request with the same
/// headers as the core sends in server mode, the body parsed straight into a struct.
pub struct Floor {
    http: reqwest::Client,
    base_url: String,
    customer_id: String,
    headers: HeaderMap,
}

/// The documented 200 body.
#[derive(Deserialize)]
#[allow(dead_code)] // Parsed as a real client would; only `id` is checked.
pub struct FloorCustomer {
    id: String,
    object: Option<String>,
    object_reference_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email_address: Option<String>,
    mobile_number: Option<String>,
    mobile_country_code: Option<String>,
    date_created: Option<String>,
    last_updated: Option<String>,
}

impl Floor {
    fn new(target: &Target) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT);
        if let Some(pem) = &target.ca_cert {
            let ca = reqwest::Certificate::from_pem(pem).map_err(|e| e.to_string())?;
            builder = builder.add_root_certificate(ca);
        }
        if target.no_pool {
            builder = builder.pool_max_idle_per_host(0);
        }
        let http = builder.build().map_err(|e| e.to_string())?;
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:", target.api_key));
        let value = |v: &str| HeaderValue::from_str(v).map_err(|e| e.to_string());
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, value("application/json")?);
        headers.insert(AUTHORIZATION, value(&format!("Basic {basic}"))?);
        headers.insert("x-merchantid", value(&target.merchant_id)?);
        headers.insert("x-routing-id", value(&target.customer_id)?);
        headers.insert("version", value("2019-05-07")?);
        headers.insert(CONTENT_TYPE, value("application/x-www-form-urlencoded")?);
        Ok(Self {
            http,
            base_url: target.base_url.trim_end_matches('/').to_owned(),
            customer_id: target.customer_id.clone(),
            headers,
        })
    }

    async fn lookup(&self) -> Result<FloorCustomer, String> {
        let response = self
            .http
            .get(format!("{}/customers/{}", self.base_url, self.customer_id))
            .headers(self.headers.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}
