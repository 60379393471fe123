//! Juspay's checks on every customer request: the API key (Basic auth), the merchant id, and the
//! client-IP allow-list.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use subtle::ConstantTimeEq;

use crate::bodies::JuspayError;
use crate::server::Connection;
use crate::state::AppState;

/// Middleware on the customer routes. The key is checked first (Juspay has to know the merchant
/// before it can look up the merchant's allow-list), then the IP.
pub(crate) async fn require_merchant(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !key_matches(request.headers(), &state.api_key)
        || !merchant_matches(request.headers(), &state.merchant_id)
    {
        return JuspayError::Unauthorized.into_response();
    }
    if !state.allowed_ips.is_empty() {
        let peer = request
            .extensions()
            .get::<Connection>()
            .map(|c| c.peer.ip().to_canonical());
        if !peer.is_some_and(|ip| state.allowed_ips.contains(&ip)) {
            return JuspayError::BadOrigin.into_response();
        }
    }
    next.run(request).await
}

/// `Authorization: Basic base64(key + ":")`, or `base64(key)` as Juspay's Node SDK sends it. A
/// non-empty password is refused: Juspay's is always empty. Compared in constant time.
fn key_matches(headers: &HeaderMap, api_key: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let user = match decoded.iter().position(|&b| b == b':') {
        Some(colon) if colon + 1 == decoded.len() => &decoded[..colon],
        Some(_) => return false,
        None => &decoded[..],
    };
    bool::from(user.ct_eq(api_key.as_bytes()))
}

/// `x-merchantid` is optional ("recommended"), but when sent it must name the key's merchant.
fn merchant_matches(headers: &HeaderMap, merchant_id: &str) -> bool {
    match headers.get("x-merchantid") {
        None => true,
        Some(value) => value.as_bytes() == merchant_id.as_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_auth(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    fn basic(credentials: &str) -> HeaderMap {
        with_auth(&format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        ))
    }

    #[test]
    fn the_key_is_accepted_with_or_without_the_colon_only() {
        assert!(key_matches(&basic("k3y:"), "k3y"));
        assert!(key_matches(&basic("k3y"), "k3y"));
        assert!(!key_matches(&basic("k3y:secret"), "k3y"));
        assert!(!key_matches(&basic("k3"), "k3y"));
        assert!(!key_matches(&basic("k3yy:"), "k3y"));
        assert!(!key_matches(&with_auth("Bearer k3y"), "k3y"));
        assert!(!key_matches(&with_auth("Basic ???"), "k3y"));
        assert!(!key_matches(&HeaderMap::new(), "k3y"));
    }

    #[test]
    fn merchant_id_is_checked_only_when_sent() {
        let mut headers = HeaderMap::new();
        assert!(merchant_matches(&headers, "m1"));
        headers.insert("x-merchantid", HeaderValue::from_static("m1"));
        assert!(merchant_matches(&headers, "m1"));
        headers.insert("x-merchantid", HeaderValue::from_static("M1"));
        assert!(!merchant_matches(&headers, "m1"));
    }
}
