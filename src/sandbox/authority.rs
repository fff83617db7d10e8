//! The sandbox's certificate authority: what AmazonRootCA1 and AWS IoT's own
//! issuing CA are for AWS IoT, one self-signed CA here. It signs the server
//! certificate the MQTT listeners present (for `localhost`, the loopback
//! addresses and each `--allow-host`) and the device certificates
//! CreateKeysAndCertificate hands out, so a device that trusts `ddsp sandbox
//! ca` and holds a certificate from `create-keys-and-certificate` connects as
//! it would to AWS IoT.
//!
//! With a database file the CA is kept beside it (`STEM.ca.pem`, and
//! `STEM.ca.key` owner-only), made at first start and read after, so devices
//! set up once keep working across restarts. In memory it lives as long as
//! the sandbox.
//!
//! Choices (named, AWS does not document its own CA's internals): the CA and
//! the device keys are RSA 2048 with SHA-256, as CreateKeysAndCertificate's
//! keys are; device certificates are valid until 2049-12-31 23:59:59 UTC, as
//! AWS IoT's are; the server's key is ECDSA P-256 (faster handshakes under
//! many connections; every client the tests run accepts it).

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, PKCS_RSA_SHA256, RsaKeySize, SanType, SerialNumber, date_time_ymd,
};
use sha2::{Digest, Sha256};

/// The CA's common name, as `ddsp sandbox ca` shows it.
pub const CA_NAME: &str = "ddsp sandbox root CA";

/// Why the authority could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    #[error("cannot {action} {path}: {source}")]
    File { action: &'static str, path: String, source: std::io::Error },
    #[error("cannot make a certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("{path} is not a PEM private key the sandbox wrote: {source}")]
    Key { path: String, source: rcgen::Error },
}

/// The CA: its certificate (PEM, as a device's trust store takes it) and the
/// key and name it signs with.
pub struct Authority {
    pem: String,
    key: KeyPair,
    /// The CA as an issuer: its own parameters signed again by its key, which
    /// gives the same subject and key identifier as the certificate on disk.
    issuer: rcgen::Certificate,
}

/// A certificate the CA issued, with what the API returns of it.
pub struct Issued {
    /// The certificate, PEM.
    pub certificate_pem: String,
    /// SHA-256 of the certificate's DER, in lower-case hex: the certificateId AWS IoT gives.
    pub certificate_id: String,
    /// The key pair, PEM (PKCS#8 private key, SubjectPublicKeyInfo public key).
    pub public_key_pem: String,
    pub private_key_pem: String,
    /// Validity, epoch seconds.
    pub not_before: i64,
    pub not_after: i64,
}

/// The server certificate and key the MQTT listeners present, DER.
pub struct ServerIdentity {
    pub chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    pub key: rustls::pki_types::PrivateKeyDer<'static>,
}

/// 2049-12-31 23:59:59 UTC: when certificates from CreateKeysAndCertificate expire.
pub const NOT_AFTER: i64 = 2_524_607_999;

impl Authority {
    /// Reads the CA kept beside `db` (`STEM.ca.pem` and `STEM.ca.key`), making
    /// it first when there is none; with no database, a new CA in memory.
    ///
    /// Errors: a file that cannot be read or written, or a key that is not one.
    pub fn open(db: Option<&Path>) -> Result<Authority, AuthorityError> {
        let Some(db) = db else { return Authority::generate() };
        let (pem_path, key_path) = files(db);
        if pem_path.exists() && key_path.exists() {
            let read = |p: &Path| {
                std::fs::read_to_string(p).map_err(|source| AuthorityError::File {
                    action: "read",
                    path: p.display().to_string(),
                    source,
                })
            };
            let pem = read(&pem_path)?;
            let key = KeyPair::from_pem(&read(&key_path)?)
                .map_err(|source| AuthorityError::Key { path: key_path.display().to_string(), source })?;
            return Authority::with(pem, key);
        }
        let made = Authority::generate()?;
        let write = |p: &Path, text: &str| {
            crate::private_files::touch(p)
                .and_then(|_| std::fs::write(p, text))
                .map_err(|source| AuthorityError::File { action: "write", path: p.display().to_string(), source })
        };
        write(&key_path, &made.key.serialize_pem())?;
        write(&pem_path, &made.pem)?;
        Ok(made)
    }

    fn generate() -> Result<Authority, AuthorityError> {
        let key = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)?;
        let pem = ca_params().self_signed(&key)?.pem();
        Authority::with(pem, key)
    }

    fn with(pem: String, key: KeyPair) -> Result<Authority, AuthorityError> {
        let issuer = ca_params().self_signed(&key)?;
        Ok(Authority { pem, key, issuer })
    }

    /// The CA certificate, PEM: what a device's `--rootCA` (or `ca_filepath`) names.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The CA certificate, DER, for a trust store.
    ///
    /// Errors: a PEM file edited into something that is not a certificate.
    pub fn der(&self) -> Result<rustls::pki_types::CertificateDer<'static>, String> {
        use rustls::pki_types::pem::PemObject;
        rustls::pki_types::CertificateDer::from_pem_slice(self.pem.as_bytes())
            .map_err(|e| format!("the sandbox's CA certificate does not read: {e}"))
    }

    /// A new device certificate and key pair, as CreateKeysAndCertificate makes
    /// them: RSA 2048, subject "AWS IoT Certificate", client authentication.
    ///
    /// Errors: the key or the signature could not be made.
    pub fn issue(&self, now: i64) -> Result<Issued, AuthorityError> {
        let key = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, "AWS IoT Certificate");
        params.distinguished_name = name;
        // From the start of today (UTC): a device's clock may lag a little.
        let today = now.div_euclid(86_400);
        let date = jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(today)).unwrap_or_default();
        params.not_before = date_time_ymd(i32::from(date.year()), date.month() as u8, date.day() as u8);
        params.not_after = date_time_ymd(2049, 12, 31) + std::time::Duration::from_secs(86_399);
        params.serial_number = Some(SerialNumber::from_slice(&random_serial()));
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.use_authority_key_identifier_extension = true;
        let cert = params.signed_by(&key, &self.issuer, &self.key)?;
        Ok(Issued {
            certificate_id: certificate_id(cert.der()),
            certificate_pem: cert.pem(),
            public_key_pem: key.public_key_pem(),
            private_key_pem: key.serialize_pem(),
            not_before: today * 86_400,
            not_after: NOT_AFTER,
        })
    }

    /// The server certificate for `hosts` (names or IP addresses), signed by the CA.
    ///
    /// Errors: a host that is not a valid DNS name or address.
    pub fn server_identity(&self, hosts: &[String]) -> Result<ServerIdentity, AuthorityError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, "localhost");
        params.distinguished_name = name;
        for host in hosts {
            let san = match host.parse::<std::net::IpAddr>() {
                Ok(ip) => SanType::IpAddress(ip),
                Err(_) => SanType::DnsName(host.clone().try_into()?),
            };
            if !params.subject_alt_names.contains(&san) {
                params.subject_alt_names.push(san);
            }
        }
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.serial_number = Some(SerialNumber::from_slice(&random_serial()));
        params.use_authority_key_identifier_extension = true;
        let cert = params.signed_by(&key, &self.issuer, &self.key)?;
        Ok(ServerIdentity {
            chain: vec![cert.der().clone()],
            key: rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        })
    }
}

/// The certificateId AWS IoT gives a certificate: SHA-256 of its DER, hex.
pub fn certificate_id(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the CA of the database `db` is kept.
pub fn files(db: &Path) -> (PathBuf, PathBuf) {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "sandbox".into());
    (db.with_file_name(format!("{stem}.ca.pem")), db.with_file_name(format!("{stem}.ca.key")))
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, CA_NAME);
    name.push(DnType::OrganizationName, "ddsp sandbox");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params.not_before = date_time_ymd(2026, 1, 1);
    params.not_after = date_time_ymd(2049, 12, 31);
    params
}

/// A positive 16-byte serial number.
fn random_serial() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = fastrand::u8(..);
    }
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    bytes
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_authority_signs_as_the_one_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sandbox.db");
        let first = Authority::open(Some(&db)).unwrap();
        let again = Authority::open(Some(&db)).unwrap();
        assert_eq!(first.pem(), again.pem(), "the CA on disk is read, not made again");
        let issued = again.issue(1_800_000_000).unwrap();
        assert_eq!(issued.certificate_id.len(), 64);
        assert!(issued.certificate_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(issued.private_key_pem.contains("PRIVATE KEY"));
        // The device certificate verifies against the CA as first written.
        let mut roots = rustls::RootCertStore::empty();
        roots.add(first.der().unwrap()).unwrap();
        let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider).build().unwrap();
        use rustls::pki_types::pem::PemObject;
        let der = rustls::pki_types::CertificateDer::from_pem_slice(issued.certificate_pem.as_bytes()).unwrap();
        let now = rustls::pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_800_000_000));
        verifier.verify_client_cert(&der, &[], now).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(files(&db).1).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the CA key is owner-only");
        }
    }
}
