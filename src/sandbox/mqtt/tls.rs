//! TLS for the MQTT listener, as AWS IoT's device endpoint asks it: a client
//! certificate is required, it must chain to the sandbox's CA, and it must be
//! a certificate the sandbox knows and holds ACTIVE (DescribeCertificate's
//! status); an INACTIVE, REVOKED or unknown one fails the handshake. ALPN
//! `x-amzn-mqtt-ca` is accepted, so agents that connect to 443 with ALPN
//! (the AWS IoT Device SDK's default) work on whatever port the listener has.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{ServerConfig, WebPkiClientVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

use crate::sandbox::Service;
use crate::sandbox::authority::{Authority, certificate_id};

/// The ALPN protocol AWS IoT serves MQTT on at port 443.
pub const ALPN_MQTT: &[u8] = b"x-amzn-mqtt-ca";

/// Verifies a client's chain with webpki, then asks the store for its status.
#[derive(Debug)]
struct ActiveOnly {
    chain: Arc<dyn ClientCertVerifier>,
    service: Arc<ServiceHandle>,
}

/// The service, as the verifier's `Debug` bound wants it.
struct ServiceHandle(Arc<Service>);

impl std::fmt::Debug for ServiceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Service")
    }
}

impl ClientCertVerifier for ActiveOnly {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.chain.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.chain.verify_client_cert(end_entity, intermediates, now)?;
        let id = certificate_id(end_entity);
        match self.service.0.certificate_status(&id) {
            Ok(Some(status)) if status == "ACTIVE" => Ok(ClientCertVerified::assertion()),
            Ok(Some(status)) if status == "REVOKED" => {
                tracing::info!(target: "ddsp::sandbox", certificate = %id, "refused: the certificate is REVOKED");
                Err(rustls::Error::InvalidCertificate(CertificateError::Revoked))
            }
            Ok(status) => {
                tracing::info!(
                    target: "ddsp::sandbox",
                    certificate = %id,
                    "refused: the certificate is {}",
                    status.as_deref().unwrap_or("not one this sandbox issued")
                );
                Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
            }
            Err(e) => Err(rustls::Error::General(format!("the certificate's status could not be read: {}", e.message))),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.chain.supported_verify_schemes()
    }
}

/// The listener's TLS configuration: the server certificate for `hosts`,
/// signed by `authority`, and client certificates checked as above.
///
/// Errors: the CA or a host name that cannot make a certificate, said for the user.
pub fn server_config(authority: &Authority, hosts: &[String], service: Arc<Service>) -> Result<ServerConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(authority.der()?).map_err(|e| format!("the sandbox's CA is not usable: {e}"))?;
    let chain = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
        .build()
        .map_err(|e| format!("the client certificate check cannot be made: {e}"))?;
    let verifier = ActiveOnly { chain, service: Arc::new(ServiceHandle(service)) };
    let identity = authority.server_identity(hosts).map_err(|e| format!("the server certificate: {e}"))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(identity.chain, identity.key)
        .map_err(|e| format!("the server certificate: {e}"))?;
    config.alpn_protocols = vec![ALPN_MQTT.to_vec(), b"mqtt".to_vec()];
    Ok(config)
}
