//! The aws-sdk-iot adapter: builds the SDK client for AWS (aws-config's
//! standard chain) or for a sandbox (static keys, fixed endpoint).

use aws_sdk_iot::Client;
use aws_sdk_iot::config::{BehaviorVersion, Credentials, Region};

use crate::sandbox::Keys;

/// An SDK client that talks to a sandbox at `url` with its keys.
pub fn for_sandbox(url: &str, keys: &Keys, region: &str) -> Client {
    let credentials = Credentials::new(&keys.access_key, &keys.secret_key, None, None, "ddsp-sandbox");
    let config = aws_sdk_iot::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(credentials)
        .endpoint_url(url)
        .build();
    Client::from_conf(config)
}
