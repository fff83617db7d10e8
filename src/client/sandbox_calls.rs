//! The sandbox's own operations (none of AWS's): ListSandboxAlerts, the
//! alerts the sandbox kept for profiles' SNS alert targets. They travel as a
//! signed IoT request whose path is changed before signing (an interceptor
//! on ListSecurityProfiles' call), so they go through the same credentials,
//! endpoint, TLS trust, timeouts and retries as every other call; the answer
//! is read as the JSON the sandbox sent.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::Value;

use super::targets::Page;
use super::{ClientError, Connection};

/// Sends the call to `path_and_query` instead, and keeps the answer's body.
#[derive(Debug)]
struct Redirect {
    path_and_query: String,
    body: Arc<Mutex<Option<Vec<u8>>>>,
}

impl Intercept for Redirect {
    fn name(&self) -> &'static str {
        "ddsp-sandbox-call"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        let uri = request.uri().to_owned();
        // scheme://authority, then our path.
        let authority_end = uri.find("://").map_or(0, |i| i + 3);
        let base_end = uri[authority_end..].find('/').map_or(uri.len(), |i| i + authority_end);
        request.set_uri(format!("{}{}", &uri[..base_end], self.path_and_query))?;
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes() {
            *self.body.lock().unwrap_or_else(|p| p.into_inner()) = Some(bytes.to_vec());
        }
        Ok(())
    }
}

/// GETs one of the sandbox's own paths, signed as IoT requests are, and
/// answers its JSON.
///
/// Errors: the sandbox's errors as service errors; against AWS, which has no
/// such path, the service's answer, said as "only the ddsp sandbox keeps alerts".
async fn sandbox_get(c: &Connection, operation: &'static str, path_and_query: String) -> Result<Value, ClientError> {
    let body = Arc::new(Mutex::new(None));
    let redirect = Redirect { path_and_query, body: Arc::clone(&body) };
    let sent = c.client.list_security_profiles().customize().interceptor(redirect).send().await;
    if let Err(e) = sent {
        let e = ClientError::from_sdk(operation, &c.endpoint, e);
        return Err(match e {
            ClientError::Service { code, .. } if code == "UnknownOperationException" || code == "Unknown" => {
                ClientError::Request(format!(
                    "{} is not a ddsp sandbox: only the sandbox keeps the alerts it sends (AWS sends them to SNS only)",
                    c.endpoint
                ))
            }
            other => other,
        });
    }
    let bytes = body.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default();
    serde_json::from_slice(&bytes)
        .map_err(|e| ClientError::Other(format!("the sandbox's answer to {operation} is not JSON: {e}")))
}

/// What ListSandboxAlerts is asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertsQuery {
    /// Only those after this alertId.
    pub after: Option<i64>,
    pub topic_arn: Option<String>,
    pub violation_id: Option<String>,
    pub thing_name: Option<String>,
    pub security_profile_name: Option<String>,
    pub max_results: Option<i64>,
}

/// One page of the alerts the sandbox kept, oldest first.
///
/// Errors: as `sandbox_get`.
pub async fn alerts_page(c: &Connection, q: &AlertsQuery, token: Option<String>) -> Result<Page, ClientError> {
    let encode = |v: &str| percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string();
    let mut query: Vec<String> = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            query.push(format!("{k}={}", encode(&v)));
        }
    };
    add("after", q.after.map(|a| a.to_string()));
    add("topicArn", q.topic_arn.clone());
    add("violationId", q.violation_id.clone());
    add("thingName", q.thing_name.clone());
    add("securityProfileName", q.security_profile_name.clone());
    add("maxResults", q.max_results.map(|m| m.to_string()));
    add("nextToken", token);
    let path =
        if query.is_empty() { "/sandbox/alerts".to_owned() } else { format!("/sandbox/alerts?{}", query.join("&")) };
    let out = sandbox_get(c, "ListSandboxAlerts", path).await?;
    let items = out.get("alerts").and_then(Value::as_array).cloned().unwrap_or_default();
    let next = out.get("nextToken").and_then(Value::as_str).map(str::to_owned);
    Ok((items, next))
}
