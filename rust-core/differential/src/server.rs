//! Serves case `i` at every path under `/{i}/`, exactly as generated: its status, its headers in
//! order (repeats included) and its body bytes. Counts the requests each case receives.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::cases::Case;

pub struct Server {
    pub addr: SocketAddr,
    counts: Arc<Vec<AtomicUsize>>,
}

impl Server {
    pub fn request_counts(&self) -> Vec<usize> {
        self.counts
            .iter()
            .map(|c| c.load(Ordering::SeqCst))
            .collect()
    }
}

pub async fn start(cases: Arc<Vec<Case>>) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let counts: Arc<Vec<AtomicUsize>> =
        Arc::new(cases.iter().map(|_| AtomicUsize::new(0)).collect());
    let serving = counts.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (cases, counts) = (cases.clone(), serving.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let answer = respond(&cases, &counts, &req);
                    async move { Ok::<_, Infallible>(answer) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(Server { addr, counts })
}

fn respond(
    cases: &[Case],
    counts: &[AtomicUsize],
    req: &Request<Incoming>,
) -> Response<Full<Bytes>> {
    let path = req.uri().path();
    if path == "/__requests" {
        let list: Vec<usize> = counts.iter().map(|c| c.load(Ordering::SeqCst)).collect();
        return Response::new(Full::new(
            serde_json::to_vec(&list).unwrap_or_default().into(),
        ));
    }
    let index = path
        .strip_prefix('/')
        .and_then(|p| p.split('/').next())
        .and_then(|i| i.parse::<usize>().ok())
        .filter(|i| *i < cases.len());
    let Some(index) = index else {
        let mut answer = Response::new(Full::new(Bytes::from_static(b"no such case")));
        *answer.status_mut() = StatusCode::BAD_REQUEST;
        return answer;
    };
    counts[index].fetch_add(1, Ordering::SeqCst);
    let case = &cases[index];
    let mut answer = Response::new(Full::new(Bytes::from(case.body.clone())));
    *answer.status_mut() = StatusCode::from_u16(case.status).expect("generated statuses are valid");
    for (name, value) in &case.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("generated names are valid");
        let value = HeaderValue::from_bytes(value.as_bytes()).expect("generated values are valid");
        answer.headers_mut().append(name, value);
    }
    answer
}
