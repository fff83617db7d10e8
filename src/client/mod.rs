//! The aws-sdk-iot adapter: builds the SDK client for AWS (aws-config's
//! standard chain: environment, shared config and credentials files, SSO,
//! credential processes, container and instance metadata) or for a sandbox
//! at a URL with its keys, and runs the security-profile operations with
//! ddsp's own types in and out. It does not link the sandbox: a caller that
//! wants one starts it and hands its URL, keys and stop over
//! (`crate::endpoint::connect`).

pub mod apply;
pub mod certificates;
pub mod convert;
mod error;
pub mod mitigation;
pub mod operations;
pub mod resources;
pub mod sandbox_calls;
pub mod targets;
mod tls;
pub mod violations;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::default_provider::region::DefaultRegionChain;
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_iot::Client;
use aws_sdk_iot::config::{Credentials, Region};

pub use error::ClientError;
pub use tls::TlsTrust;

use crate::wire::keys::Keys;

/// An SDK client that talks to a sandbox at `url` with its keys.
pub fn for_sandbox(url: &str, keys: &Keys, region: &str) -> Client {
    let credentials = Credentials::new(&keys.access_key, &keys.secret_key, None, None, "ddsp-sandbox");
    let mut config = aws_sdk_iot::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(credentials)
        .endpoint_url(url)
        // Throttles and 5xx answers are retried (3 attempts, backoff), as against AWS.
        .retry_config(aws_sdk_iot::config::retry::RetryConfig::standard());
    if tls::is_plain_http(url) {
        config = config.http_client(tls::plain_http_client());
    }
    Client::from_conf(config.build())
}

/// Where to connect and how, from the command line (AWS CLI names).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// None or zero: no limit.
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// Start an in-process sandbox on the user's sandbox database and use it.
    pub sandbox: bool,
    /// How the endpoint's TLS certificate is checked.
    pub tls: TlsTrust,
}

/// How a connection's own server stops (a sandbox it started): awaited by
/// `close`. In a mutex only so that a connection is shared between tasks
/// (`Sync`); nothing locks it but `close`.
type Stop = std::sync::Mutex<Pin<Box<dyn Future<Output = ()> + Send>>>;

/// A ready client, the endpoint it talks to, and how the server it owns
/// stops, if it owns one (the server lives as long as the connection).
pub struct Connection {
    pub client: Client,
    pub endpoint: String,
    pub region: String,
    stop: Option<Stop>,
}

impl Connection {
    /// A connection to a sandbox already running at `url`, signed with `keys`.
    pub fn to_sandbox(url: &str, keys: &Keys, region: &str) -> Connection {
        Connection {
            client: for_sandbox(url, keys, region),
            endpoint: url.to_owned(),
            region: region.to_owned(),
            stop: None,
        }
    }

    /// A connection to a sandbox at `url` that this connection owns: `stop`
    /// (which holds the server) is awaited by `close`.
    pub fn owning(url: &str, keys: &Keys, region: &str, stop: impl Future<Output = ()> + Send + 'static) -> Connection {
        Connection { stop: Some(std::sync::Mutex::new(Box::pin(stop))), ..Connection::to_sandbox(url, keys, region) }
    }

    /// Stops the server this connection owns, if any.
    pub async fn close(self) {
        if let Some(stop) = self.stop {
            // A poisoned lock still holds the stop: no task panicked while holding it, as none takes it.
            stop.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).await;
        }
    }
}

/// The credentials for `--profile NAME`, as the AWS CLI finds them: botocore
/// leaves the environment's keys out of its chain when a profile is named,
/// while aws-config's default chain tries them first even then. So: the
/// profile (keys, assume-role, SSO, credential_process), then the container
/// and instance roles, as botocore's chain goes on.
fn named_profile_credentials(
    profile: &str,
    region: Option<Region>,
    https: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
) -> CredentialsProviderChain {
    let mut config = ProviderConfig::default().with_region(region);
    if let Some(client) = https {
        config = config.with_http_client(client);
    }
    CredentialsProviderChain::first_try(
        "Profile",
        ProfileFileCredentialsProvider::builder().configure(&config).profile_name(profile).build(),
    )
    .or_else("EcsContainer", aws_config::ecs::EcsCredentialsProvider::builder().configure(&config).build())
    .or_else(
        "Ec2InstanceMetadata",
        aws_config::imds::credentials::ImdsCredentialsProvider::builder().configure(&config).build(),
    )
}

/// True when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are both set and not empty.
fn env_keys_set() -> bool {
    ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].iter().all(|k| std::env::var(k).is_ok_and(|v| !v.trim().is_empty()))
}

/// The keys a sandbox ddsp starts itself signs with (its documented
/// defaults, not a secret): access key and secret.
pub fn sandbox_keys() -> (String, String) {
    let keys = Keys::sandbox();
    (keys.access_key, keys.secret_key)
}

/// Builds the client for AWS (or `--endpoint-url`) through aws-config;
/// `options.sandbox` is the caller's to start (`crate::endpoint::connect`).
/// A missing region or missing credentials is a `ClientError::Config` before
/// anything is sent.
pub async fn connect(options: &ConnectOptions) -> Result<Connection, ClientError> {
    debug_assert!(!options.sandbox, "a sandbox is started by crate::endpoint::connect, not the client");
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    let env_keys = options.profile.is_none() && env_keys_set();
    let plain = options.endpoint_url.as_deref().is_some_and(tls::is_plain_http);
    let connect_timeout = options.connect_timeout.filter(|d| !d.is_zero());
    // The trust given applies to every HTTPS call, the credential providers'
    // too (STS, SSO), as in the AWS CLI. With an http:// endpoint and the
    // environment's keys no HTTPS call is made, so no bundle is read.
    let https = if plain && env_keys { None } else { tls::http_client(&options.tls, connect_timeout)? };
    if let Some(client) = &https {
        loader = loader.http_client(client.clone());
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
        let mut region = options.region.clone().map(Region::new);
        if region.is_none() {
            region = DefaultRegionChain::builder().profile_name(profile).build().region().await;
            // Found once: the loader does not look again (the instance metadata lookup can take seconds).
            loader = loader.region(region.clone());
        }
        loader = loader.credentials_provider(named_profile_credentials(profile, region, https.clone()));
    }
    if env_keys {
        // With no --profile, the default chain's first link is the
        // environment's keys, in the AWS CLI (botocore) as in aws-config,
        // AWS_PROFILE or not. Taking them directly gives the same credentials
        // without building the rest of the chain (web identity's STS client,
        // SSO, the instance metadata client): a quarter of a command's time.
        loader = loader
            .credentials_provider(aws_config::environment::credentials::EnvironmentVariableCredentialsProvider::new());
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let mut timeouts = TimeoutConfig::builder();
    if let Some(d) = options.connect_timeout.filter(|d| !d.is_zero()) {
        timeouts = timeouts.connect_timeout(d);
    }
    if let Some(d) = options.read_timeout.filter(|d| !d.is_zero()) {
        timeouts = timeouts.read_timeout(d);
    }
    let config = loader.timeout_config(timeouts.build()).load().await;
    let Some(region) = config.region().map(|r| r.to_string()).filter(|r| !r.is_empty()) else {
        return Err(ClientError::Config(
            "You must specify a region. You can also configure your region by running \"aws configure\".".to_owned(),
        ));
    };
    let Some(provider) = config.credentials_provider() else {
        return Err(ClientError::Config("Unable to locate credentials.".to_owned()));
    };
    if let Err(e) = provider.provide_credentials().await {
        return Err(ClientError::Config(format!(
            "Unable to locate credentials. You can configure credentials by running \"aws configure\". ({e})"
        )));
    }
    let endpoint = options.endpoint_url.clone().unwrap_or_else(|| format!("https://iot.{region}.amazonaws.com"));
    // An http:// endpoint: the IoT client alone gets a client that reads no
    // certificates (no TLS happens; a CA bundle of 140 certificates was parsed
    // once per SDK client built, a sixth of a command's time). The credential
    // providers keep the HTTPS client above.
    let client = if plain {
        Client::from_conf(aws_sdk_iot::config::Builder::from(&config).http_client(tls::plain_http_client()).build())
    } else {
        Client::new(&config)
    };
    Ok(Connection { client, endpoint, region, stop: None })
}
