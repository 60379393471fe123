//! The backend's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]`
//! attributes as the router is built (`routes.rs`), so the document and the routes cannot drift
//! apart. `GET /openapi.json` serves the running instance's document; the committed
//! `openapi.json` beside this crate is the one with the demo sign-in, and a test keeps it fresh.

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Serialize;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

/// Juspay's customer, as Juspay sends it and the backend passes it on (other keys Juspay adds
/// pass too). Only a description: the backend never re-serialises a customer.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct JuspayCustomer {
    /// Juspay's id, `cst_…`.
    id: String,
    object: Option<String>,
    /// The merchant's own id for the customer.
    object_reference_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email_address: Option<String>,
    mobile_number: Option<String>,
    mobile_country_code: Option<String>,
    date_created: Option<String>,
    last_updated: Option<String>,
    /// Only with `options.get_client_auth_token=true`.
    juspay: Option<JuspayClientAuth>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct JuspayClientAuth {
    client_auth_token: String,
    client_auth_token_expiry: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "merchant-backend",
        description = "The reference merchant backend: holds the Juspay API key, gives devices \
            short-lived tokens scoped to one customer, and answers their lookups with Juspay's \
            answers. Every answer carries `x-request-id`, `Cache-Control: no-store` and \
            `X-Content-Type-Options: nosniff`; every error body has Juspay's error shape."
    ),
    components(schemas(JuspayCustomer, crate::sanitise::ErrorBody)),
    modifiers(&Common)
)]
pub struct BaseDocument;

/// What every operation shares: the device token's scheme, and the refusals of the layers every
/// request passes (`limits.rs`, `sanitise.rs`).
struct Common;

impl Modify for Common {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "device_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .description(Some("The device token from POST /auth/device-token"))
                        .build(),
                ),
            );
    }
}

/// Adds the answers of the layers in front of every handler to every operation.
pub fn add_layer_refusals(openapi: &mut utoipa::openapi::OpenApi) {
    let refusals = [
        (
            "400",
            "INVALID_INPUT: two Authorization headers, or a request body that broke off",
        ),
        (
            "408",
            "REQUEST_TIMEOUT: the request body did not arrive within BODY_TIMEOUT",
        ),
        (
            "413",
            "PAYLOAD_TOO_LARGE: the request body is over MAX_BODY_BYTES",
        ),
    ];
    for item in openapi.paths.paths.values_mut() {
        let operations: [&mut Option<Operation>; 2] = [&mut item.get, &mut item.post];
        for operation in operations.into_iter().flatten() {
            for (status, description) in refusals {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(description)
                            .content(
                                "application/json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                                    .build(),
                            )
                            .build()
                            .into()
                    });
            }
        }
    }
}

/// The document as JSON, shared by the `/openapi.json` handler.
#[derive(Clone)]
pub struct Served(pub Arc<String>);

/// `GET /openapi.json`.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    summary = "This OpenAPI document",
    responses((status = 200, description = "This document", content_type = "application/json", body = Object))
)]
pub async fn serve(Extension(Served(json)): Extension<Served>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json.as_str().to_owned(),
    )
        .into_response()
}

/// The document of a backend with the demo sign-in, as committed in `openapi.json`.
pub fn document() -> String {
    crate::routes::api(true, true).1
}
