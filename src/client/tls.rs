//! TLS as the AWS CLI configures it, for bastion hosts behind inspecting
//! proxies: `--ca-bundle FILE` / `AWS_CA_BUNDLE` / `ca_bundle` trust the PEM
//! certificates in a file *instead of* the system's roots (botocore hands the
//! bundle to urllib3 in place of certifi's), and `--no-verify-ssl` verifies no
//! certificate at all. aws-config reads none of these settings, so the HTTP
//! client is built here and handed to it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use super::ClientError;

/// How the endpoint's certificate is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TlsTrust {
    /// The system's root certificates (the SDK's default).
    #[default]
    System,
    /// Only the certificates in this PEM file (`--ca-bundle`).
    CaBundle(PathBuf),
    /// No verification (`--no-verify-ssl`).
    NoVerify,
}

/// The HTTP client for `trust`; `None` keeps the SDK's default client.
///
/// Errors: a bundle that cannot be read or holds no certificate is a
/// `ClientError::Config` naming the file (the SDK itself would panic on a bad
/// PEM file at the first request).
pub fn http_client(
    trust: &TlsTrust,
    connect_timeout: Option<Duration>,
) -> Result<Option<SharedHttpClient>, ClientError> {
    match trust {
        TlsTrust::System => Ok(None),
        TlsTrust::CaBundle(path) => bundle_client(path).map(Some),
        TlsTrust::NoVerify => no_verify_client(connect_timeout).map(Some),
    }
}

/// True for an `http://` URL (scheme compared without case, as URLs do).
pub fn is_plain_http(url: &str) -> bool {
    url.get(..7).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

/// The SDK's HTTP client with an empty trust store, for `http://` endpoints
/// (the sandbox, a local test server; set on the IoT client only):
/// it speaks plain HTTP as the default client does, and loads no root
/// certificate (an `https://` URL through it fails its certificate check).
pub fn plain_http_client() -> SharedHttpClient {
    let context = TlsContext::builder().with_trust_store(TrustStore::empty()).build();
    let builder = aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
    match context {
        Ok(context) => builder.tls_context(context).build_https(),
        // An empty trust store always builds; were it refused, the default client still works.
        Err(_) => builder.build_https(),
    }
}

fn bundle_client(path: &Path) -> Result<SharedHttpClient, ClientError> {
    let shown = crate::domain::untrusted::neutralise(&path.display().to_string()).into_owned();
    let pem = std::fs::File::open(path)
        .and_then(crate::wire::input::read_capped)
        .map_err(|e| ClientError::Config(format!("Unable to load the CA bundle {shown}: {e}")))?;
    let mut count = 0;
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| ClientError::Config(format!("The CA bundle {shown} is not valid PEM: {e}")))?;
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(cert)
            .map_err(|e| ClientError::Config(format!("The CA bundle {shown} holds a bad certificate: {e}")))?;
        count += 1;
    }
    if count == 0 {
        return Err(ClientError::Config(format!("The CA bundle {shown} holds no PEM certificate")));
    }
    let context = TlsContext::builder()
        .with_trust_store(TrustStore::empty().with_pem_certificate(pem))
        .build()
        .map_err(|e| ClientError::Config(format!("The CA bundle {shown} cannot be used: {e}")))?;
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
        .tls_context(context)
        .build_https())
}

/// Accepts any certificate; the handshake's signatures are still checked, as
/// `curl -k` does.
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

type HyperClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    SdkBody,
>;

/// hyper's client behind the SDK's connector trait: the SDK's HTTPS client
/// offers no way to skip verification, so `--no-verify-ssl` uses this one.
#[derive(Debug, Clone)]
struct InsecureConnector {
    client: HyperClient,
    read_timeout: Option<Duration>,
}

impl HttpConnector for InsecureConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let request = match request.try_into_http1x() {
            Ok(r) => r,
            Err(e) => return HttpConnectorFuture::ready(Err(ConnectorError::user(e.into()))),
        };
        let sent = self.client.request(request);
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let answered = match read_timeout {
                Some(limit) => {
                    tokio::time::timeout(limit, sent).await.map_err(|e| ConnectorError::timeout(e.into()))?
                }
                None => sent.await,
            };
            let response = answered.map_err(|e| {
                if e.is_connect() { ConnectorError::io(e.into()) } else { ConnectorError::other(e.into(), None) }
            })?;
            HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                .map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

/// One hyper client (and so one connection pool) for every request; only the
/// read timeout comes from the SDK's settings per connector.
fn no_verify_client(connect_timeout: Option<Duration>) -> Result<SharedHttpClient, ClientError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Other(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        .with_no_client_auth();
    let mut tcp = hyper_util::client::legacy::connect::HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    tcp.set_connect_timeout(connect_timeout);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp);
    let client: HyperClient =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
    Ok(http_client_fn(move |settings, _components| {
        SharedHttpConnector::new(InsecureConnector { client: client.clone(), read_timeout: settings.read_timeout() })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_must_hold_certificates() {
        let dir = std::env::temp_dir().join(format!("ddsp-tls-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let Err(ClientError::Config(e)) = http_client(&TlsTrust::CaBundle(empty), None) else { panic!("accepted") };
        assert!(e.contains("holds no PEM certificate"), "{e}");
        let Err(ClientError::Config(e)) = http_client(&TlsTrust::CaBundle(dir.join("missing.pem")), None) else {
            panic!("accepted")
        };
        assert!(e.starts_with("Unable to load the CA bundle"), "{e}");
        assert!(http_client(&TlsTrust::System, None).unwrap().is_none());
        assert!(http_client(&TlsTrust::NoVerify, None).unwrap().is_some());
        assert!(is_plain_http("HTTP://127.0.0.1:8080") && is_plain_http("http://localhost"));
        assert!(!is_plain_http("https://iot.eu-west-1.amazonaws.com") && !is_plain_http("http:/x"));
    }
}
