//! Publishes the alerts the sandbox keeps (`alerts.rs`) with the AWS SDK's
//! SNS Publish, as Detect publishes to a profile's SNS alert target:
//! `--sns-endpoint-url URL` sends them to that endpoint (moto_server,
//! LocalStack), `--sns` to SNS itself in the account the standard AWS
//! credential chain names. The message is the alert document as JSON text.
//!
//! Choices, where AWS is silent:
//! - Each topic is reached in the region its ARN names.
//! - Detect assumes the alert target's role to publish; the sandbox publishes
//!   with the chain's credentials (the role is kept on the alert, not assumed).
//! - A failed attempt is tried again after 1, 2, 4 … seconds (at most 5
//!   minutes apart), eight attempts in all; each error is kept on the alert,
//!   and the last one marks it FAILED.
//! - Against an endpoint URL with no credentials in the chain, the sandbox's
//!   own keys sign (local SNS emulators accept any).
//! - A topic whose ARN names no region AWS has is not published to: the
//!   attempt fails with that reason (one SNS client is kept per region).
//! - Each Publish has 30 seconds (`CALL_TIMEOUT`), so an endpoint that never
//!   answers delays alerts, it does not stop them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;

use super::Service;
use crate::domain::untrusted::neutralise;

/// Attempts before an alert is FAILED.
pub const ATTEMPTS: i64 = 8;
/// The longest wait between two attempts.
const BACKOFF_MAX: f64 = 300.0;
/// How many due alerts one round publishes, at most, per region.
const ROUND: usize = 100;
/// The longest one Publish may take, retries included.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// The pause after the store could not be read or written.
const STORE_PAUSE: Duration = Duration::from_secs(5);

/// Where alerts are published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsConfig {
    /// None: SNS itself, through the standard endpoint of each topic's region.
    pub endpoint_url: Option<String>,
}

/// The seconds to wait after the `attempts`-th failure.
pub fn backoff(attempts: i64) -> f64 {
    2f64.powi(attempts.clamp(0, 30) as i32 - 1).clamp(1.0, BACKOFF_MAX)
}

/// The region an SNS topic ARN names (`arn:aws:sns:REGION:ACCOUNT:TOPIC`).
fn topic_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// Publishes due alerts until the task is aborted: woken when alerts are
/// kept, and when the next retry falls due.
pub async fn publish(service: Arc<Service>, config: SnsConfig) {
    let shared = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let chain_has_keys = match shared.credentials_provider() {
        Some(p) => p.provide_credentials().await.is_ok(),
        None => false,
    };
    let mut clients: HashMap<String, aws_sdk_sns::Client> = HashMap::new();
    loop {
        let worker = Arc::clone(&service);
        let due = tokio::task::spawn_blocking(move || worker.due_alerts(ROUND)).await;
        let due = match due {
            Ok(Ok(due)) => due,
            Ok(Err(e)) => {
                tracing::warn!(target: "ddsp::sandbox", "cannot read the alerts to publish: {}", neutralise(&e.message));
                tokio::time::sleep(STORE_PAUSE).await;
                continue;
            }
            Err(_) => {
                tokio::time::sleep(STORE_PAUSE).await;
                continue;
            }
        };
        for (region, alert) in &due {
            deliver(&service, &config, &shared, chain_has_keys, &mut clients, region, alert).await;
        }
        if due.len() >= ROUND {
            continue;
        }
        let worker = Arc::clone(&service);
        let wait = tokio::task::spawn_blocking(move || worker.next_alert_due()).await;
        let wait = match wait {
            Ok(Ok(Some(secs))) => Duration::from_secs_f64(secs.min(60.0)),
            _ => Duration::from_secs(60),
        };
        let _ = tokio::time::timeout(wait, service.alert_delivery().waiting.notified()).await;
    }
}

/// One SNS client per topic region, made once: the AWS chain's settings,
/// `CALL_TIMEOUT`, and for `--sns-endpoint-url` the sandbox's own keys when
/// the chain has none (a local SNS takes any).
fn client_for<'c>(
    clients: &'c mut HashMap<String, aws_sdk_sns::Client>,
    shared: &aws_config::SdkConfig,
    config: &SnsConfig,
    chain_has_keys: bool,
    topic_region: &str,
) -> &'c aws_sdk_sns::Client {
    clients.entry(topic_region.to_owned()).or_insert_with(|| {
        let timeouts = aws_sdk_sns::config::timeout::TimeoutConfig::builder().operation_timeout(CALL_TIMEOUT).build();
        let mut b = aws_sdk_sns::config::Builder::from(shared)
            .region(aws_sdk_sns::config::Region::new(topic_region.to_owned()))
            .timeout_config(timeouts);
        if let Some(url) = &config.endpoint_url {
            b = b.endpoint_url(url);
            if !chain_has_keys {
                let keys = super::default_keys();
                b = b.credentials_provider(aws_sdk_sns::config::Credentials::new(
                    keys.access_key,
                    keys.secret_key,
                    None,
                    None,
                    "ddsp-sandbox",
                ));
            }
        }
        aws_sdk_sns::Client::from_conf(b.build())
    })
}

/// Publishes one due alert and records the attempt: its MessageId, or the
/// error and when to try again (none after `ATTEMPTS`).
async fn deliver(
    service: &Arc<Service>,
    config: &SnsConfig,
    shared: &aws_config::SdkConfig,
    chain_has_keys: bool,
    clients: &mut HashMap<String, aws_sdk_sns::Client>,
    region: &str,
    alert: &super::store::alerts::Alert,
) {
    let topic_region = topic_region(&alert.topic_arn).unwrap_or(region).to_owned();
    if !super::regions::is_known(&topic_region) {
        let error = format!("the topic's ARN names no AWS region ({})", neutralise(&topic_region));
        let worker = Arc::clone(service);
        let (region, id) = (region.to_owned(), alert.id);
        let _ =
            tokio::task::spawn_blocking(move || worker.record_alert_attempt(&region, id, Err((&error, None)))).await;
        return;
    }
    let client = client_for(clients, shared, config, chain_has_keys, &topic_region);
    let sent = client.publish().topic_arn(&alert.topic_arn).message(&alert.message).send().await;
    let outcome = match &sent {
        Ok(out) => Ok(out.message_id().unwrap_or_default().to_owned()),
        Err(e) => Err(aws_sdk_sns::error::DisplayErrorContext(e).to_string()),
    };
    let attempts = alert.attempts + 1;
    let next = (attempts < ATTEMPTS).then(|| service.now() + backoff(attempts));
    let worker = Arc::clone(service);
    let (region, id) = (region.to_owned(), alert.id);
    let recorded = tokio::task::spawn_blocking(move || match &outcome {
        Ok(message_id) => worker.record_alert_attempt(&region, id, Ok(message_id)),
        Err(error) => worker.record_alert_attempt(&region, id, Err((error, next))),
    })
    .await;
    if let Err(e) = &sent {
        tracing::warn!(
            target: "ddsp::sandbox",
            "alert {} to {} not published (attempt {attempts} of {ATTEMPTS}): {}",
            alert.id,
            neutralise(&alert.topic_arn),
            neutralise(&aws_sdk_sns::error::DisplayErrorContext(e).to_string())
        );
    }
    if !matches!(recorded, Ok(Ok(()))) {
        if let Ok(Err(e)) = recorded {
            tracing::warn!(target: "ddsp::sandbox", "cannot record an alert's delivery: {}", neutralise(&e.message));
        }
        // The lease keeps the alert from being taken again at once.
        tokio::time::sleep(STORE_PAUSE).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_five_minutes_and_topics_name_their_region() {
        let waits: Vec<f64> = (1..=10).map(backoff).collect();
        assert_eq!(&waits[..4], &[1.0, 2.0, 4.0, 8.0]);
        assert_eq!(waits[9], 300.0);
        assert_eq!(topic_region("arn:aws:sns:eu-west-1:123456789012:alerts"), Some("eu-west-1"));
        assert_eq!(topic_region("nonsense"), None);
    }
}
