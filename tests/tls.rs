//! TLS where bastions need it: a local HTTPS endpoint whose certificate is
//! signed by a CA made here, in front of a sandbox. Without the CA the command
//! fails; `--ca-bundle`, `AWS_CA_BUNDLE` and the profile's `ca_bundle` make it
//! trusted; `--no-verify-ssl` connects with a warning; another CA is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{sandbox_env, temp_dir};
use ddsp::sandbox::{Sandbox, SandboxConfig, serve};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

/// A CA's PEM certificate, and a server certificate for localhost it signed.
struct Authority {
    ca_pem: String,
    server_cert: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
}

fn authority(name: &str) -> Authority {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, name);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let server_cert = server.signed_by(&server_key, &ca_cert, &ca_key).unwrap();
    Authority {
        ca_pem: ca_cert.pem(),
        server_cert: server_cert.der().clone(),
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
    }
}

/// Accepts TLS on a loopback port and relays each connection to the sandbox,
/// for as long as the runtime lives (bounded by the test's few requests).
async fn https_front(authority: &Authority, listener: TcpListener, backend: std::net::SocketAddr) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![authority.server_cert.clone()], authority.server_key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        for _ in 0..64 {
            let Ok((socket, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let accepted = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(socket)).await;
                let Ok(Ok(mut tls)) = accepted else { return };
                let Ok(mut plain) = TcpStream::connect(backend).await else { return };
                let _ =
                    tokio::time::timeout(Duration::from_secs(30), tokio::io::copy_bidirectional(&mut tls, &mut plain))
                        .await;
            });
        }
    });
}

struct Setup {
    _runtime: tokio::runtime::Runtime,
    _sandbox: Sandbox,
    url: String,
    home: PathBuf,
    ca: PathBuf,
    other_ca: PathBuf,
}

fn setup(name: &str) -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let ours = authority("ddsp test CA");
    let theirs = authority("some other CA");
    let (sandbox, port) = runtime.block_on(async {
        // The front's port is chosen first, so the sandbox can accept its Host.
        let front = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = front.local_addr().unwrap().port();
        let config = SandboxConfig { allowed_hosts: vec![format!("localhost:{port}")], ..SandboxConfig::ephemeral() };
        let sandbox = serve(config).await.unwrap();
        https_front(&ours, front, sandbox.addr()).await;
        (sandbox, port)
    });
    let home = temp_dir(name);
    let ca = home.join("ca.pem");
    std::fs::write(&ca, &ours.ca_pem).unwrap();
    let other_ca = home.join("other.pem");
    std::fs::write(&other_ca, &theirs.ca_pem).unwrap();
    Setup { _runtime: runtime, _sandbox: sandbox, url: format!("https://localhost:{port}"), home, ca, other_ca }
}

impl Setup {
    fn ddsp(&self, extra: &[&str], env: &[(&str, &Path)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddsp"));
        cmd.args(["list-security-profiles", "--endpoint-url", &self.url]).args(extra).stdin(Stdio::null());
        sandbox_env(&mut cmd, &self.home);
        cmd.env_remove("AWS_CA_BUNDLE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_private_ca_is_trusted_only_when_named() {
    let s = setup("tls-ca");
    let untrusted = s.ddsp(&[], &[]);
    assert_eq!(untrusted.status.code(), Some(255), "{}", stderr(&untrusted));

    let flag = s.ddsp(&["--ca-bundle", s.ca.to_str().unwrap()], &[]);
    assert!(flag.status.success(), "{}", stderr(&flag));
    let listed: serde_json::Value = serde_json::from_slice(&flag.stdout).unwrap();
    assert_eq!(listed["securityProfileIdentifiers"], serde_json::json!([]));

    let env = s.ddsp(&[], &[("AWS_CA_BUNDLE", &s.ca)]);
    assert!(env.status.success(), "{}", stderr(&env));

    std::fs::write(s.home.join("config"), format!("[default]\nca_bundle = {}\n", s.ca.display())).unwrap();
    let config = s.ddsp(&[], &[]);
    assert!(config.status.success(), "{}", stderr(&config));
    std::fs::remove_file(s.home.join("config")).unwrap();

    // A bundle replaces the roots it is given instead of: another CA's bundle fails.
    let wrong = s.ddsp(&["--ca-bundle", s.other_ca.to_str().unwrap()], &[]);
    assert_eq!(wrong.status.code(), Some(255), "{}", stderr(&wrong));
}

#[test]
fn no_verify_ssl_connects_and_says_so() {
    let s = setup("tls-no-verify");
    let out = s.ddsp(&["--no-verify-ssl"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: --no-verify-ssl"), "{}", stderr(&out));
}

#[test]
fn a_bad_bundle_is_a_configuration_error() {
    let s = setup("tls-bad-bundle");
    let junk = s.home.join("junk.pem");
    std::fs::write(&junk, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").unwrap();
    let out = s.ddsp(&["--ca-bundle", junk.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    assert!(stderr(&out).contains("junk.pem"), "{}", stderr(&out));
}
