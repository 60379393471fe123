//! A loopback HTTP/1.1 server that plays vectors. It is written on raw sockets rather than an
//! HTTP framework because the scenarios need what frameworks hide: the undecoded request path,
//! connection resets, and bodies of any shape.
//!
//! Vector `name` is served under the path prefix `/{name}`, so one server plays every vector and
//! each client's base URL carries a path prefix. Control endpoints:
//! - `GET /__control/{name}/requests`: what that vector's server received, as JSON;
//! - `POST /__control/{name}/reset`: forget it, so the vector can be played again.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::vector::{Answer, Vector};

/// One request as the server saw it.
#[derive(Debug, Clone, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    /// The raw path after the vector's prefix, exactly as sent (still percent-encoded).
    pub path: String,
    /// Header names lowercased; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
}

/// Picks the answer to a request, given every request the same key has received before it.
pub type Responder = dyn Fn(&RecordedRequest, &[RecordedRequest]) -> Answer + Send + Sync;

enum Script {
    /// Each vector under its own path prefix.
    Vectors(HashMap<String, Vector>),
    /// One function for every path, recorded under the key "".
    Custom(Box<Responder>),
}

struct Shared {
    script: Script,
    requests: Mutex<HashMap<String, Vec<RecordedRequest>>>,
    connections: AtomicUsize,
}

/// A running server; it stops when dropped.
pub struct ScenarioServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl ScenarioServer {
    /// Binds `listen` (e.g. `127.0.0.1:0`) and serves `vectors` until dropped.
    pub async fn start(listen: &str, vectors: Vec<Vector>) -> std::io::Result<Self> {
        let vectors = vectors.into_iter().map(|v| (v.name.clone(), v)).collect();
        Self::serve(listen, Script::Vectors(vectors)).await
    }

    /// Serves every path with `responder`, which sees the request and those before it. Its
    /// requests are listed under the name `""`, with their full paths.
    pub async fn start_with(
        listen: &str,
        responder: impl Fn(&RecordedRequest, &[RecordedRequest]) -> Answer + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::serve(listen, Script::Custom(Box::new(responder))).await
    }

    async fn serve(listen: &str, script: Script) -> std::io::Result<Self> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            script,
            requests: Mutex::default(),
            connections: AtomicUsize::new(0),
        });
        let serving = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                serving.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve_connection(stream, serving.clone()));
            }
        });
        Ok(Self { addr, shared, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL a client uses to play vector `name` (any name for `start_with`).
    pub fn base_url(&self, name: &str) -> String {
        match self.shared.script {
            Script::Vectors(_) => format!("http://{}/{name}", self.addr),
            Script::Custom(_) => format!("http://{}", self.addr),
        }
    }

    /// How many TCP connections clients have opened.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// What vector `name` has received so far.
    pub fn requests(&self, name: &str) -> Vec<RecordedRequest> {
        self.shared.requests_of(name)
    }
}

impl Drop for ScenarioServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Shared {
    fn requests_of(&self, name: &str) -> Vec<RecordedRequest> {
        let requests = self.requests.lock().unwrap();
        requests.get(name).cloned().unwrap_or_default()
    }

    /// Records the request and picks the answer it gets.
    fn answer_for(&self, name: &str, request: RecordedRequest) -> Option<Answer> {
        let mut requests = self.requests.lock().unwrap();
        match &self.script {
            Script::Custom(responder) => {
                let seen = requests.entry(String::new()).or_default();
                let answer = responder(&request, seen);
                seen.push(request);
                Some(answer)
            }
            Script::Vectors(vectors) => {
                let vector = vectors.get(name)?;
                let seen = requests.entry(name.to_owned()).or_default();
                seen.push(request);
                let index = (seen.len() - 1).min(vector.responses.len().saturating_sub(1));
                Some(vector.responses.get(index).cloned().unwrap_or(Answer {
                    status: 500,
                    text: Some("the vector expects no request".into()),
                    ..Answer::default()
                }))
            }
        }
    }
}

async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    loop {
        let Some((method, target, headers, consumed)) = read_head(&mut stream, &mut buffer).await
        else {
            return;
        };
        buffer.drain(..consumed);
        let reply = route(&shared, method, target, headers).await;
        let keep_going = match reply {
            Reply::Reset => {
                reset(stream);
                return;
            }
            Reply::Bytes(bytes) => stream.write_all(&bytes).await.is_ok(),
        };
        if !keep_going {
            return;
        }
    }
}

enum Reply {
    Bytes(Vec<u8>),
    Reset,
}

async fn route(
    shared: &Shared,
    method: String,
    target: String,
    headers: BTreeMap<String, String>,
) -> Reply {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if let Some(control) = path.strip_prefix("/__control/") {
        return Reply::Bytes(control_reply(shared, &method, control));
    }
    let rest = path.strip_prefix('/').unwrap_or(path);
    let (name, relative) = match (&shared.script, rest.find('/')) {
        (Script::Custom(_), _) => ("", target.as_str()),
        (Script::Vectors(_), Some(i)) => (&rest[..i], &target[i + 1..]),
        (Script::Vectors(_), None) => (rest, ""),
    };
    let request = RecordedRequest {
        method,
        path: relative.to_owned(),
        headers,
    };
    let Some(answer) = shared.answer_for(name, request) else {
        return Reply::Bytes(response(
            404,
            &[("content-type", "text/plain")],
            b"no such vector",
        ));
    };
    if answer.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(answer.delay_ms)).await;
    }
    if answer.reset {
        return Reply::Reset;
    }
    Reply::Bytes(render(&answer))
}

fn control_reply(shared: &Shared, method: &str, control: &str) -> Vec<u8> {
    let json = [("content-type", "application/json")];
    match (method, control.rsplit_once('/')) {
        ("GET", Some((name, "requests"))) => {
            let body = serde_json::to_vec(&shared.requests_of(name)).unwrap();
            response(200, &json, &body)
        }
        ("POST", Some((name, "reset"))) => {
            shared.requests.lock().unwrap().remove(name);
            response(200, &json, b"{}")
        }
        _ => response(
            404,
            &[("content-type", "text/plain")],
            b"unknown control path",
        ),
    }
}

fn render(answer: &Answer) -> Vec<u8> {
    let mut headers: Vec<(&str, &str)> = answer
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let has_content_type = answer
        .headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"));
    if let Some(size) = answer.oversize_bytes {
        if !has_content_type {
            headers.push(("content-type", "application/json"));
        }
        let body = padded_customer(size);
        return if answer.oversize_with_content_length {
            response(answer.status, &headers, &body)
        } else {
            chunked(answer.status, &headers, &body)
        };
    }
    let body = match (&answer.json, &answer.text) {
        (Some(json), _) => {
            if !has_content_type {
                headers.push(("content-type", "application/json"));
            }
            serde_json::to_vec(json).unwrap()
        }
        (None, Some(text)) => text.clone().into_bytes(),
        (None, None) => Vec::new(),
    };
    response(answer.status, &headers, &body)
}

/// A customer that would parse, padded to `size` bytes, so only the size limit can reject it.
fn padded_customer(size: usize) -> Vec<u8> {
    let head = br#"{"id":"cst_oversize","object":"customer","padding":""#;
    let tail = br#""}"#;
    let pad = size.saturating_sub(head.len() + tail.len());
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(head);
    body.resize(head.len() + pad, b'x');
    body.extend_from_slice(tail);
    body
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn chunked(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("transfer-encoding: chunked\r\n\r\n");
    let mut bytes = out.into_bytes();
    for chunk in body.chunks(8 * 1024) {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    bytes
}

/// Closes with RST rather than FIN, as a crashed peer or a middlebox would.
fn reset(stream: TcpStream) {
    if let Ok(std) = stream.into_std() {
        let _ = socket2::SockRef::from(&std).set_linger(Some(Duration::ZERO));
    }
}

type Head = (String, String, BTreeMap<String, String>, usize);

/// Reads one request head (requests here have no body). `None` when the peer closed.
async fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Head> {
    loop {
        let mut slots = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut slots);
        let parsed = request.parse(buffer);
        if parsed.is_err() {
            return None;
        }
        if let Ok(httparse::Status::Complete(consumed)) = parsed {
            let mut headers = BTreeMap::<String, String>::new();
            for h in request.headers.iter() {
                let value = String::from_utf8_lossy(h.value).into_owned();
                headers
                    .entry(h.name.to_ascii_lowercase())
                    .and_modify(|v| {
                        v.push_str(", ");
                        v.push_str(&value);
                    })
                    .or_insert(value);
            }
            let body_len: usize = headers
                .get("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let method = request.method?.to_owned();
            let target = request.path?.to_owned();
            while buffer.len() < consumed + body_len {
                if !read_more(stream, buffer).await {
                    return None;
                }
            }
            return Some((method, target, headers, consumed + body_len));
        }
        if buffer.len() > 64 * 1024 || !read_more(stream, buffer).await {
            return None;
        }
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 4096];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}
