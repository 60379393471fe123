//! SPKI pinning of the backend host. The core ships its own TLS stack (rustls with the webpki
//! roots), so Android's network security config and iOS's pinning do not reach it; this is the
//! pinning a payment app's security review asks for. After the normal certificate verification,
//! the handshake is refused unless a certificate the server presented (its own or an
//! intermediate) has a public key whose SHA-256 is one of the pins. Fail closed: no request
//! byte is sent to a server that does not match.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error::CustomerError;

/// The most pins a configuration may hold: a current key and a few backups, not a key store.
pub const MAX_SPKI_PINS: usize = 16;

/// Parsed pins: SHA-256 hashes of DER-encoded SubjectPublicKeyInfo structures.
#[derive(Clone)]
pub(crate) struct Pins(Vec<[u8; 32]>);

impl Pins {
    /// `None` for no pins (no pinning). Each pin is the base64 of a SHA-256 hash (44
    /// characters), optionally written `sha256/<base64>` as OkHttp and HPKP write them.
    pub fn parse(pins: &[String]) -> Result<Option<Self>, CustomerError> {
        if pins.is_empty() {
            return Ok(None);
        }
        if pins.len() > MAX_SPKI_PINS {
            return Err(CustomerError::invalid_argument(format!(
                "spki_pins must hold at most {MAX_SPKI_PINS} pins, got {}",
                pins.len()
            )));
        }
        let parsed = pins
            .iter()
            .enumerate()
            .map(|(i, pin)| {
                let encoded = pin.trim();
                let encoded = encoded.strip_prefix("sha256/").unwrap_or(encoded);
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .ok()
                    .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                    .ok_or_else(|| {
                        CustomerError::invalid_argument(format!(
                            "spki_pins[{i}] is not the base64 of a SHA-256 hash (44 characters, optionally after \"sha256/\")"
                        ))
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Some(Self(parsed)))
    }

    fn matches(&self, cert: &CertificateDer<'_>) -> bool {
        // A certificate that does not parse matches nothing; verification has already accepted
        // the chain, so this only skips garbage a server appended to it.
        spki_sha256(cert).is_some_and(|hash| self.0.contains(&hash))
    }
}

impl fmt::Debug for Pins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} pins", self.0.len())
    }
}

/// SHA-256 of a certificate's DER SubjectPublicKeyInfo; `None` when it does not parse.
fn spki_sha256(cert: &CertificateDer<'_>) -> Option<[u8; 32]> {
    let parsed = webpki::EndEntityCert::try_from(cert).ok()?;
    Some(Sha256::digest(parsed.subject_public_key_info().as_ref()).into())
}

/// The SHA-256 pin of a DER certificate's public key, as `spki_pins` takes it: for tests and
/// for tools that print the pin of a certificate.
pub fn spki_pin_of_certificate(der: &[u8]) -> Option<String> {
    spki_sha256(&CertificateDer::from(der))
        .map(|hash| base64::engine::general_purpose::STANDARD.encode(hash))
}

/// The handshake failed because no presented certificate matched a pin.
#[derive(Debug)]
pub(crate) struct PinMismatch;

impl fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the server's certificates match none of the configured SPKI pins")
    }
}

impl std::error::Error for PinMismatch {}

/// Whether a request failed because of a pin mismatch. The rustls error sits inside an
/// `io::Error` (twice: tokio-rustls wraps it, hyper-rustls wraps that), and `io::Error::source`
/// skips what it wraps, so each `io::Error` is opened by hand.
pub(crate) fn is_pin_mismatch(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    // Bounded: a chain is a handful of links; a cycle must not hang a lookup.
    for _ in 0..32 {
        let Some(e) = next else { return false };
        if let Some(rustls::Error::InvalidCertificate(CertificateError::Other(other))) =
            e.downcast_ref::<rustls::Error>()
        {
            return other.0.downcast_ref::<PinMismatch>().is_some();
        }
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(wrapped) => Some(wrapped as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    false
}

/// The normal verifier, then the pins.
#[derive(Debug)]
struct PinningVerifier {
    inner: Arc<WebPkiServerVerifier>,
    pins: Pins,
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )?;
        if std::iter::once(end_entity)
            .chain(intermediates)
            .any(|cert| self.pins.matches(cert))
        {
            return Ok(verified);
        }
        Err(rustls::Error::InvalidCertificate(CertificateError::Other(
            OtherError(Arc::new(PinMismatch)),
        )))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The normal verifier, then the pins.
pub(crate) fn verifier(
    inner: Arc<WebPkiServerVerifier>,
    pins: &Pins,
) -> Arc<dyn ServerCertVerifier> {
    Arc::new(PinningVerifier {
        inner,
        pins: pins.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_base64_sha256_with_or_without_the_prefix() {
        let pin = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert!(Pins::parse(&[]).unwrap().is_none());
        let parsed = Pins::parse(&[pin.clone(), format!("sha256/{pin}")])
            .unwrap()
            .unwrap();
        assert_eq!(parsed.0, vec![[7u8; 32]; 2]);
        for bad in ["", "not base64!", "AAAA", &pin[..40]] {
            let error = Pins::parse(&[pin.clone(), bad.to_owned()]).unwrap_err();
            assert!(
                error.to_string().starts_with(
                    "INVALID_ARGUMENT: spki_pins[1] is not the base64 of a SHA-256 hash"
                ),
                "{bad:?}: {error}"
            );
        }
        let many = vec![pin; MAX_SPKI_PINS + 1];
        assert_eq!(
            Pins::parse(&many).unwrap_err().to_string(),
            "INVALID_ARGUMENT: spki_pins must hold at most 16 pins, got 17"
        );
    }
}

/// Pinning over real TLS on loopback: a test CA, an intermediate and a leaf for `localhost`,
/// served by a rustls server; the client trusts the test CA (the one thing only a test may
/// change) and otherwise runs exactly as shipped.
#[cfg(test)]
mod loopback_tests {
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    use rustls::RootCertStore;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpListener;

    use super::*;
    use crate::config::{ClientConfig, Credentials, Settings};
    use crate::CustomerClient;

    struct Pki {
        root: CertificateDer<'static>,
        intermediate: CertificateDer<'static>,
        leaf: CertificateDer<'static>,
        leaf_key: PrivateKeyDer<'static>,
    }

    fn pki() -> Pki {
        let ca = |name: &str| {
            let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, name);
            params
        };
        let root =
            CertifiedIssuer::self_signed(ca("test root"), KeyPair::generate().unwrap()).unwrap();
        let intermediate = CertifiedIssuer::signed_by(
            ca("test intermediate"),
            KeyPair::generate().unwrap(),
            &root,
        )
        .unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &intermediate)
            .unwrap();
        Pki {
            root: root.der().clone(),
            intermediate: intermediate.der().clone(),
            leaf: leaf.der().clone(),
            leaf_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        }
    }

    /// What the server saw: TCP connections, and HTTP requests read after a handshake.
    #[derive(Default)]
    struct Seen {
        connections: AtomicUsize,
        requests: AtomicUsize,
    }

    /// Serves `[leaf, intermediate]` and answers every request with a customer.
    async fn serve(pki: &Pki) -> (SocketAddr, Arc<Seen>) {
        serve_over(pki, rustls::DEFAULT_VERSIONS).await
    }

    /// The same, speaking only the given TLS versions.
    async fn serve_over(
        pki: &Pki,
        versions: &[&'static rustls::SupportedProtocolVersion],
    ) -> (SocketAddr, Arc<Seen>) {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![pki.leaf.clone(), pki.intermediate.clone()],
            pki.leaf_key.clone_key(),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let counting = seen.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                counting.connections.fetch_add(1, Ordering::SeqCst);
                let (acceptor, seen) = (acceptor.clone(), counting.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    seen.requests.fetch_add(1, Ordering::SeqCst);
                    let body = br#"{"id":"cst_pinned","object":"customer"}"#;
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = tls.write_all(head.as_bytes()).await;
                    let _ = tls.write_all(body).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        (addr, seen)
    }

    fn pin(cert: &CertificateDer<'_>) -> String {
        spki_pin_of_certificate(cert).unwrap()
    }

    async fn look_up(
        pki: &Pki,
        host: &str,
        addr: SocketAddr,
        pins: Vec<String>,
    ) -> Result<String, CustomerError> {
        let config = ClientConfig {
            spki_pins: pins,
            ..ClientConfig::new(
                format!("https://{host}:{}", addr.port()),
                Credentials::DeviceToken { token: "t".into() },
            )
        };
        let settings = Settings::validate(config)?;
        let mut roots = RootCertStore::empty();
        roots.add(pki.root.clone()).unwrap();
        // The shipped configuration (with the pin check when there are pins); only the roots
        // are the test CA's.
        let tls = crate::tls::client_config_with_roots(settings.pins.as_ref(), roots)?;
        let client = CustomerClient::build(settings, tls)?;
        client
            .get_customer("cst_pinned".into(), None, Default::default())
            .await
            .map(|customer| customer.id)
    }

    fn random_pin() -> String {
        base64::engine::general_purpose::STANDARD.encode(fastrand::u64(..).to_be_bytes().repeat(4))
    }

    #[tokio::test]
    async fn the_leaf_pin_passes() {
        let pki = pki();
        let (addr, seen) = serve(&pki).await;
        let id = look_up(&pki, "localhost", addr, vec![pin(&pki.leaf)]).await;
        assert_eq!(id.unwrap(), "cst_pinned");
        assert_eq!(seen.requests.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_backup_pin_of_the_intermediate_passes() {
        let pki = pki();
        let (addr, _) = serve(&pki).await;
        let pins = vec![random_pin(), format!("sha256/{}", pin(&pki.intermediate))];
        assert_eq!(
            look_up(&pki, "localhost", addr, pins).await.unwrap(),
            "cst_pinned"
        );
    }

    #[tokio::test]
    async fn a_wrong_pin_fails_closed_before_any_request_byte_and_is_not_retried() {
        let pki = pki();
        let (addr, seen) = serve(&pki).await;
        // The root is not sent by the server, so its key cannot match either.
        let pins = vec![random_pin(), pin(&pki.root)];
        let error = look_up(&pki, "localhost", addr, pins).await.unwrap_err();
        assert_eq!(error.code(), "NETWORK");
        assert_eq!(
            error.details().message,
            "could not connect to the server: the server's certificates match none of the configured SPKI pins"
        );
        assert_eq!(
            seen.requests.load(Ordering::SeqCst),
            0,
            "no request was read"
        );
        assert_eq!(seen.connections.load(Ordering::SeqCst), 1, "not retried");
    }

    #[tokio::test]
    async fn a_matching_pin_does_not_excuse_a_wrong_host_name() {
        let pki = pki();
        let (addr, seen) = serve(&pki).await;
        // The leaf names localhost only; 127.0.0.1 is not in it.
        let error = look_up(&pki, "127.0.0.1", addr, vec![pin(&pki.leaf)])
            .await
            .unwrap_err();
        assert_eq!(error.code(), "NETWORK");
        assert!(
            !error.details().message.contains("SPKI pins"),
            "{}",
            error.details().message
        );
        assert_eq!(seen.requests.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn no_pins_means_verification_alone() {
        let pki = pki();
        let (addr, _) = serve(&pki).await;
        assert_eq!(
            look_up(&pki, "localhost", addr, Vec::new()).await.unwrap(),
            "cst_pinned"
        );
    }

    #[test]
    fn pins_need_https() {
        let config = ClientConfig {
            spki_pins: vec![random_pin()],
            ..ClientConfig::new(
                "http://127.0.0.1:1",
                Credentials::DeviceToken { token: "t".into() },
            )
        };
        assert_eq!(
            Settings::validate(config).err().unwrap().to_string(),
            "INVALID_ARGUMENT: spki_pins need an https base URL: plain http has no certificate to pin"
        );
    }

    #[tokio::test]
    async fn the_shipped_configuration_speaks_tls_1_2_and_tls_1_3() {
        let pki = pki();
        for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
            let (addr, seen) = serve_over(&pki, &[version]).await;
            for pins in [vec![], vec![pin(&pki.leaf)]] {
                assert_eq!(
                    look_up(&pki, "localhost", addr, pins).await.unwrap(),
                    "cst_pinned",
                    "{version:?}"
                );
            }
            assert_eq!(seen.requests.load(Ordering::SeqCst), 2);
        }
    }
}
