//! Fault switches: what the emulator does instead of (or on top of) answering normally, so
//! clients can be tested against the failures a real network and gateway produce.
//!
//! A fault is a comma-separated list, e.g. `delay=200,status=503`:
//!
//! | part | effect |
//! |---|---|
//! | `delay=MS` | wait MS milliseconds before answering |
//! | `status=CODE` | answer CODE (400..=599) with a small HTML body, as a gateway would |
//! | `rate-limit[=SECONDS]` | answer 429 with `Retry-After: SECONDS` (default 1) |
//! | `reset` | reset the connection (TCP RST) instead of answering |
//! | `malformed` | answer 200 with cut-off JSON |
//! | `oversized[=BYTES]` | answer 200 with a valid customer padded to BYTES (default 70000, more than 65536), chunked |
//! | `slow-body=MS` | send the headers at once, then the body in ten pieces spread over MS milliseconds |
//!
//! At most one of `status`, `rate-limit`, `reset`, `malformed`, `oversized`. A fault acts in front
//! of authentication, like a failing proxy would; `delay` and `slow-body` alone wrap the normal
//! answer. It is chosen per request (the header `x-sandbox-fault`, else the path prefix
//! `/__sandbox/fault/{fault}/`), else from the server-wide switch (`POST /__sandbox/faults`).

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use percent_encoding::percent_decode_str;

use crate::server::Connection;
use crate::state::AppState;

/// The per-request fault header.
pub const FAULT_HEADER: &str = "x-sandbox-fault";
/// The per-request fault path prefix: a client whose base URL is
/// `http://HOST:PORT/__sandbox/fault/{fault}` gets the fault on every request, with no header.
pub const FAULT_PATH_PREFIX: &str = "/__sandbox/fault/";

const MAX_MS: u64 = 600_000;
const DEFAULT_OVERSIZE: usize = 70_000;
/// Enough to pass any client's limit (the core's is 64 KiB) while a few hundred of them at once
/// still fit in memory: the body is built whole for each request.
const MAX_OVERSIZE: usize = 1024 * 1024;
const SLOW_BODY_PIECES: usize = 10;

/// A parsed fault; see the module docs for the syntax. `Display` gives its canonical text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fault {
    pub delay: Option<Duration>,
    pub answer: Option<FaultAnswer>,
    pub slow_body: Option<Duration>,
}

/// What a fault answers instead of the normal answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAnswer {
    Status(u16),
    RateLimit { retry_after_secs: u64 },
    Reset,
    Malformed,
    Oversized { bytes: usize },
}

/// Why a fault text does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultError(String);

impl fmt::Display for FaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FaultError {}

impl FromStr for Fault {
    type Err = FaultError;

    fn from_str(text: &str) -> Result<Self, FaultError> {
        let err = |m: String| Err(FaultError(m));
        let mut fault = Fault::default();
        for part in text.split(',').map(str::trim) {
            let (name, value) = match part.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim())),
                None => (part, None),
            };
            let answer = match (name, value) {
                ("delay", Some(v)) => {
                    fault.delay = Some(millis(v, "delay")?);
                    None
                }
                ("slow-body", Some(v)) => {
                    let ms = millis(v, "slow-body")?;
                    if ms.is_zero() {
                        return err("slow-body must be at least 1 ms".into());
                    }
                    fault.slow_body = Some(ms);
                    None
                }
                ("status", Some(v)) => match v.parse::<u16>() {
                    Ok(code @ 400..=599) => Some(FaultAnswer::Status(code)),
                    _ => return err(format!("status must be 400..=599, got {v:?}")),
                },
                ("rate-limit", v) => match v.map_or(Ok(1), str::parse::<u64>) {
                    Ok(secs) if secs <= 86_400 => Some(FaultAnswer::RateLimit {
                        retry_after_secs: secs,
                    }),
                    _ => return err("rate-limit takes 0..=86400 seconds".into()),
                },
                ("reset", None) => Some(FaultAnswer::Reset),
                ("malformed", None) => Some(FaultAnswer::Malformed),
                ("oversized", v) => match v.map_or(Ok(DEFAULT_OVERSIZE), str::parse::<usize>) {
                    Ok(bytes) if bytes > 65_536 && bytes <= MAX_OVERSIZE => {
                        Some(FaultAnswer::Oversized { bytes })
                    }
                    _ => return err(format!("oversized takes 65537..={MAX_OVERSIZE} bytes")),
                },
                ("", None) => return err("empty fault".into()),
                _ => return err(format!("unknown fault {part:?}")),
            };
            if let Some(answer) = answer {
                if fault.answer.replace(answer).is_some() {
                    return err(
                        "at most one of status, rate-limit, reset, malformed, oversized".into(),
                    );
                }
            }
        }
        Ok(fault)
    }
}

fn millis(value: &str, name: &str) -> Result<Duration, FaultError> {
    match value.parse::<u64>() {
        Ok(ms) if ms <= MAX_MS => Ok(Duration::from_millis(ms)),
        _ => Err(FaultError(format!(
            "{name} takes 0..={MAX_MS} milliseconds, got {value:?}"
        ))),
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(d) = self.delay {
            parts.push(format!("delay={}", d.as_millis()));
        }
        match self.answer {
            Some(FaultAnswer::Status(code)) => parts.push(format!("status={code}")),
            Some(FaultAnswer::RateLimit { retry_after_secs }) => {
                parts.push(format!("rate-limit={retry_after_secs}"))
            }
            Some(FaultAnswer::Reset) => parts.push("reset".into()),
            Some(FaultAnswer::Malformed) => parts.push("malformed".into()),
            Some(FaultAnswer::Oversized { bytes }) => parts.push(format!("oversized={bytes}")),
            None => {}
        }
        if let Some(d) = self.slow_body {
            parts.push(format!("slow-body={}", d.as_millis()));
        }
        f.write_str(&parts.join(","))
    }
}

/// The server-wide switch: a fault for every request, or for the next `remaining` ones.
#[derive(Default)]
pub(crate) struct ServerFault {
    armed: Mutex<Option<(Fault, Option<u64>)>>,
}

impl ServerFault {
    pub fn set(&self, fault: Fault, times: Option<u64>) {
        *self.armed.lock().unwrap() = Some((fault, times)).filter(|(_, t)| *t != Some(0));
    }

    pub fn clear(&self) {
        *self.armed.lock().unwrap() = None;
    }

    pub fn current(&self) -> Option<(Fault, Option<u64>)> {
        self.armed.lock().unwrap().clone()
    }

    /// The fault for one request, counting it.
    fn take(&self) -> Option<Fault> {
        let mut armed = self.armed.lock().unwrap();
        let (fault, remaining) = armed.as_mut()?;
        let fault = fault.clone();
        if let Some(n) = remaining {
            *n -= 1;
            if *n == 0 {
                *armed = None;
            }
        }
        Some(fault)
    }
}

/// The fault named by a request's path prefix, parsed when the prefix was taken off.
#[derive(Clone)]
pub(crate) struct PathFault(Result<Fault, FaultError>);

/// Takes `/__sandbox/fault/{fault}` off the front of the path, so the rest is routed as usual,
/// and keeps the fault for [`apply`]. The segment is percent-decoded once.
pub(crate) fn strip_path_fault<B>(request: &mut axum::http::Request<B>) {
    let Some(rest) = request.uri().path().strip_prefix(FAULT_PATH_PREFIX) else {
        return;
    };
    let (segment, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let fault = match percent_decode_str(segment).decode_utf8() {
        Ok(text) => text.parse::<Fault>(),
        Err(_) => Err(FaultError("the fault is not UTF-8".into())),
    };
    let path_and_query = match request.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    if let Ok(uri) = Uri::builder().path_and_query(path_and_query).build() {
        *request.uri_mut() = uri;
        request.extensions_mut().insert(PathFault(fault));
    }
}

/// Middleware on the customer routes: finds the request's fault and acts it out.
pub(crate) async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let fault = match request_fault(&request) {
        Ok(Some(fault)) => fault,
        Ok(None) => match state.server_fault.take() {
            Some(fault) => fault,
            None => return next.run(request).await,
        },
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("juspay-sandbox: bad fault: {e}\n"),
            )
                .into_response()
        }
    };
    tracing::debug!(fault = %fault, "acting out a fault");
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    let response = match fault.answer {
        None => next.run(request).await,
        Some(FaultAnswer::Reset) => {
            if let Some(connection) = request.extensions().get::<Connection>() {
                connection.reset();
            }
            // The connection task drops this future when it resets the connection.
            return std::future::pending().await;
        }
        Some(answer) => fault_answer(answer, &request),
    };
    match fault.slow_body {
        Some(total) => trickle(response, total).await,
        None => response,
    }
}

fn request_fault(request: &Request) -> Result<Option<Fault>, FaultError> {
    if let Some(value) = request.headers().get(FAULT_HEADER) {
        let text = value
            .to_str()
            .map_err(|_| FaultError("the fault header is not ASCII".into()))?;
        return text.parse().map(Some);
    }
    match request.extensions().get::<PathFault>() {
        Some(PathFault(fault)) => fault.clone().map(Some),
        None => Ok(None),
    }
}

fn fault_answer(answer: FaultAnswer, request: &Request) -> Response {
    match answer {
        FaultAnswer::Status(code) => gateway_page(code),
        FaultAnswer::RateLimit { retry_after_secs } => {
            let mut response = gateway_page(429);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        FaultAnswer::Malformed => json_200(Body::from(
            r#"{"object_reference_id":"customer","object":"customer","id":"cst_tooedar2k7j1d60b","first_na"#,
        )),
        FaultAnswer::Oversized { bytes } => {
            json_200(Body::from_stream(padded_customer(request.uri(), bytes)))
        }
        FaultAnswer::Reset => unreachable!("a reset has no answer"),
    }
}

fn json_200(body: Body) -> Response {
    let mut response = Response::new(body);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An opaque error page, as the load balancer in front of an API sends (Juspay publishes no
/// 429 or 5xx bodies).
fn gateway_page(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1></body></html>\n"
    );
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// A customer that would parse, padded to `size` bytes, in 8 KiB chunks with no content-length:
/// only a size limit applied while reading can reject it.
fn padded_customer(
    uri: &Uri,
    size: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> {
    let id = uri
        .path()
        .strip_prefix("/customers/")
        .filter(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or("cst_oversized");
    let head = format!(r#"{{"object":"customer","id":"{id}","padding":""#);
    let tail = r#""}"#;
    let mut body = Vec::with_capacity(size.max(head.len() + tail.len()));
    body.extend_from_slice(head.as_bytes());
    body.resize(size.saturating_sub(tail.len()).max(head.len()), b'x');
    body.extend_from_slice(tail.as_bytes());
    let body = Bytes::from(body);
    let chunks: Vec<Result<Bytes, Infallible>> = (0..body.len())
        .step_by(8 * 1024)
        .map(|start| Ok(body.slice(start..(start + 8 * 1024).min(body.len()))))
        .collect();
    futures_util::stream::iter(chunks)
}

/// Sends `response`'s headers at once and its body in pieces spread over `total`.
async fn trickle(response: Response, total: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_OVERSIZE).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let piece = bytes.len().div_ceil(SLOW_BODY_PIECES).max(1);
    let pieces: Vec<Bytes> = (0..bytes.len())
        .step_by(piece)
        .map(|start| bytes.slice(start..(start + piece).min(bytes.len())))
        .collect();
    let pause = total / pieces.len().max(1) as u32;
    let stream = futures_util::stream::unfold(pieces.into_iter(), move |mut rest| async move {
        let next = rest.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok::<_, Infallible>(next), rest))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_and_print_canonically() {
        for (text, canonical) in [
            ("delay=200", "delay=200"),
            ("status=503", "status=503"),
            (" slow-body=900 , status=502 ", "status=502,slow-body=900"),
            ("rate-limit", "rate-limit=1"),
            ("rate-limit=30,delay=5", "delay=5,rate-limit=30"),
            ("reset", "reset"),
            ("malformed", "malformed"),
            ("oversized", "oversized=70000"),
            ("oversized=100000", "oversized=100000"),
        ] {
            let fault: Fault = text.parse().unwrap();
            assert_eq!(fault.to_string(), canonical, "{text}");
            assert_eq!(canonical.parse::<Fault>().unwrap(), fault);
        }
    }

    #[test]
    fn bad_faults_say_why() {
        for (text, why) in [
            ("", "empty fault"),
            ("status=200", "status must be 400..=599, got \"200\""),
            ("status", "unknown fault \"status\""),
            (
                "reset,malformed",
                "at most one of status, rate-limit, reset, malformed, oversized",
            ),
            (
                "delay=-1",
                "delay takes 0..=600000 milliseconds, got \"-1\"",
            ),
            ("oversized=1000", "oversized takes 65537..=1048576 bytes"),
            (
                "oversized=16777216",
                "oversized takes 65537..=1048576 bytes",
            ),
            ("slow-body=0", "slow-body must be at least 1 ms"),
            ("explode", "unknown fault \"explode\""),
        ] {
            assert_eq!(
                text.parse::<Fault>().unwrap_err().to_string(),
                why,
                "{text}"
            );
        }
    }

    #[test]
    fn the_server_fault_counts_down() {
        let server = ServerFault::default();
        server.set("status=503".parse().unwrap(), Some(2));
        assert!(server.take().is_some());
        assert_eq!(server.current().unwrap().1, Some(1));
        assert!(server.take().is_some());
        assert!(server.take().is_none());
        server.set("reset".parse().unwrap(), None);
        assert!(server.take().is_some() && server.take().is_some());
        server.clear();
        assert!(server.current().is_none());
    }

    #[test]
    fn the_path_prefix_is_taken_off_and_decoded_once() {
        let mut request = axum::http::Request::builder()
            .uri("/__sandbox/fault/delay%3D5,status=503/customers/a%2Fb?x=1")
            .body(())
            .unwrap();
        strip_path_fault(&mut request);
        assert_eq!(request.uri().to_string(), "/customers/a%2Fb?x=1");
        let PathFault(fault) = request.extensions().get::<PathFault>().unwrap();
        assert_eq!(fault.as_ref().unwrap().to_string(), "delay=5,status=503");
    }
}
