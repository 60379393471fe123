//! A TLS-terminating TCP relay. Juspay's Node SDK speaks TLS to every base URL and cannot take a
//! port, so it reaches the (plain HTTP) emulator through this, listening on 127.0.0.1:443. Its
//! own cost is measured by the runner (the floor through it vs the floor direct).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::json;
use tokio::io::AsyncReadExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// Serves until stdin closes, then prints how many connections and handshakes it saw.
pub async fn run(
    listen: SocketAddr,
    upstream: SocketAddr,
    cert: &Path,
    key: &Path,
) -> Result<serde_json::Value, String> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| e.to_string())?;
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let accepted = Arc::new(AtomicU64::new(0));
    let handshakes = Arc::new(AtomicU64::new(0));
    // The ready line goes to stderr: stdout carries only the final JSON.
    eprintln!(
        "listening on https://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );

    let serve = {
        let accepted = accepted.clone();
        let handshakes = handshakes.clone();
        async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                accepted.fetch_add(1, Ordering::Relaxed);
                let acceptor = acceptor.clone();
                let handshakes = handshakes.clone();
                tokio::spawn(async move {
                    let _ = tcp.set_nodelay(true);
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    handshakes.fetch_add(1, Ordering::Relaxed);
                    let Ok(mut plain) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let _ = plain.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        }
    };
    let stdin_closed = async {
        let mut sink = [0u8; 64];
        let mut stdin = tokio::io::stdin();
        while matches!(stdin.read(&mut sink).await, Ok(n) if n > 0) {}
    };
    tokio::select! {
        () = serve => {}
        () = stdin_closed => {}
    }
    Ok(json!({
        "connections": accepted.load(Ordering::Relaxed),
        "handshakes": handshakes.load(Ordering::Relaxed),
    }))
}
