//! Every client's TLS configuration, built here rather than by reqwest: rustls on ring's default
//! provider (its cipher suites, all AEAD with forward secrecy; its key-exchange groups and
//! signature checks), TLS 1.3 and 1.2, the webpki roots, HTTP/1.1, and the pin check after
//! verification when there are pins. With one configuration for every client, reqwest is built
//! without a provider or roots of its own (feature `rustls-tls-no-provider`): a smaller library.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::RootCertStore;

use crate::error::CustomerError;
use crate::pinning::{self, Pins};

/// The configuration a client ships with: the webpki roots, pinned when there are pins.
pub(crate) fn client_config(pins: Option<&Pins>) -> Result<rustls::ClientConfig, CustomerError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    client_config_with_roots(pins, roots)
}

pub(crate) fn client_config_with_roots(
    pins: Option<&Pins>,
    roots: RootCertStore,
) -> Result<rustls::ClientConfig, CustomerError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cannot = |e: rustls::Error| {
        CustomerError::invalid_argument(format!("cannot build the TLS configuration: {e}"))
    };
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| {
            CustomerError::invalid_argument(format!("cannot build the TLS verifier: {e}"))
        })?;
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(cannot)?;
    let mut config = match pins {
        Some(pins) => builder
            .dangerous()
            .with_custom_certificate_verifier(pinning::verifier(verifier, pins)),
        None => builder.with_webpki_verifier(verifier),
    }
    .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_offers_http_1_1_and_no_certificate_with_or_without_pins() {
        let pins = Pins::parse(&[base64_pin()]).unwrap().unwrap();
        for config in [
            client_config(None).unwrap(),
            client_config(Some(&pins)).unwrap(),
        ] {
            assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
            assert!(!config.client_auth_cert_resolver.has_certs());
        }
    }

    fn base64_pin() -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode([1u8; 32])
    }
}
