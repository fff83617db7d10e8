//! Verifies a request's SigV4 signature against the sandbox's access key. The
//! signing math is the aws-sigv4 crate's: the request is signed again with the
//! secret, the client's scope, time and signed headers, and the two signatures
//! must match. Missing or wrong signatures get AWS's 403 errors. As AWS does,
//! a signature more than 15 minutes from the server's clock is refused (a
//! captured request cannot be replayed later), and the credential scope must
//! name the service `iot` and a real region: that region is the request's.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use super::clock::parse_amz_date;
use super::errors::ApiError;

pub use crate::wire::keys::Keys;

/// The service name IoT requests are signed for (service.md §4: `iot`, not `execute-api`).
const SERVICE: &str = "iot";

/// How far a request's x-amz-date may be from the server's clock (service.md §7).
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

struct Authorization<'a> {
    access_key: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let mut scope = credential?.split('/');
    let (access_key, _date, region, service, terminator) =
        (scope.next()?, scope.next()?, scope.next()?, scope.next()?, scope.next()?);
    if terminator != "aws4_request" {
        return None;
    }
    Some(Authorization {
        access_key,
        region,
        service,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    })
}

/// The region a request's signature is scoped to, if it carries one (read,
/// not checked: for a sandbox that does not check signatures).
pub fn scope_region(headers: &[(String, String)]) -> Option<String> {
    header(headers, "authorization").and_then(parse_authorization).map(|a| a.region.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Checks the Authorization header of a request (method, target = path and
/// query as sent, headers, body) against `keys` at time `now`; returns the
/// region of the credential scope, which the request is for.
///
/// Errors (403): MissingAuthenticationToken, UnrecognizedClient (another
/// access key), InvalidSignature (a wrong signature or scope, a region that
/// does not exist, a date more than 15 minutes from `now`).
pub fn verify(
    keys: &Keys,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
    now: SystemTime,
) -> Result<String, ApiError> {
    let auth = header(headers, "authorization").ok_or_else(ApiError::missing_auth)?;
    let auth = parse_authorization(auth).ok_or_else(ApiError::bad_signature)?;
    if auth.access_key != keys.access_key {
        return Err(ApiError::unrecognized_client());
    }
    if auth.service != SERVICE {
        return Err(ApiError::bad_signature());
    }
    if !super::regions::is_known(auth.region) {
        return Err(ApiError::signature_expired(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            crate::domain::untrusted::neutralise(auth.region)
        )));
    }
    let stamp = header(headers, "x-amz-date").ok_or_else(ApiError::bad_signature)?;
    let time: SystemTime = parse_amz_date(stamp).ok_or_else(ApiError::bad_signature)?;
    check_age(stamp, time, now)?;
    let host = header(headers, "host").ok_or_else(ApiError::bad_signature)?;
    let token = header(headers, "x-amz-security-token");
    // The signer adds host, x-amz-date and the token itself; pass the other signed headers as sent.
    let passed: Vec<(&str, &str)> = auth
        .signed_headers
        .iter()
        .filter(|h| !matches!(**h, "host" | "x-amz-date" | "x-amz-security-token"))
        .map(|h| header(headers, h).map(|v| (*h, v)).ok_or_else(ApiError::bad_signature))
        .collect::<Result<_, _>>()?;
    let identity: Identity =
        Credentials::new(&keys.access_key, &keys.secret_key, token.map(str::to_owned), None, "ddsp-sandbox").into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name(SERVICE)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|_| ApiError::bad_signature())?
        .into();
    let uri = format!("http://{host}{target}");
    let request = SignableRequest::new(method, uri, passed.into_iter(), SignableBody::Bytes(body))
        .map_err(|_| ApiError::bad_signature())?;
    let output = sign(request, &params).map_err(|_| ApiError::bad_signature())?;
    if constant_time_eq(output.signature().as_bytes(), auth.signature.as_bytes()) {
        Ok(auth.region.to_owned())
    } else {
        Err(ApiError::bad_signature())
    }
}

/// AWS's answer to a stale or future date, in its words ("Signature expired:
/// 20010101T000000Z is now earlier than 20261130T114500Z (20261130T120000Z - 15 min.)").
fn check_age(stamp: &str, time: SystemTime, now: SystemTime) -> Result<(), ApiError> {
    let shown = |t: SystemTime| super::clock::amz_date(t);
    if time + MAX_SKEW < now {
        return Err(ApiError::signature_expired(format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            crate::domain::untrusted::neutralise(stamp),
            shown(now - MAX_SKEW),
            shown(now)
        )));
    }
    if time > now + MAX_SKEW {
        return Err(ApiError::signature_expired(format!(
            "Signature not yet current: {} is still later than {} ({} + 15 min.)",
            crate::domain::untrusted::neutralise(stamp),
            shown(now + MAX_SKEW),
            shown(now)
        )));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn authorization_header_parts() {
        let a = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/iot/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc",
        )
        .unwrap();
        assert_eq!((a.access_key, a.region, a.service, a.signature), ("AKID", "us-east-1", "iot", "abc"));
        assert_eq!(a.signed_headers, ["content-type", "host", "x-amz-date"]);
        assert!(parse_authorization("Basic abc").is_none());
    }

    #[test]
    fn missing_and_foreign_keys_are_refused() {
        let keys = Keys { access_key: "AKID".into(), secret_key: "s".into() };
        let now = SystemTime::now();
        let code = verify(&keys, "GET", "/tags", &[], b"", now).unwrap_err().code;
        assert_eq!(code, "MissingAuthenticationTokenException");
        let h = vec![(
            "Authorization".to_owned(),
            "AWS4-HMAC-SHA256 Credential=OTHER/20261125/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=abc"
                .to_owned(),
        )];
        assert_eq!(verify(&keys, "GET", "/tags", &h, b"", now).unwrap_err().code, "UnrecognizedClientException");
    }

    /// Headers of a GET /tags signed for `region` at `time`, as an SDK sends them.
    fn signed(keys: &Keys, region: &str, time: SystemTime) -> Vec<(String, String)> {
        let identity: Identity = Credentials::new(&keys.access_key, &keys.secret_key, None, None, "test").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(SERVICE)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let request =
            SignableRequest::new("GET", "http://127.0.0.1:7411/tags", std::iter::empty(), SignableBody::Bytes(b""))
                .unwrap();
        let (instructions, _) = sign(request, &params).unwrap().into_parts();
        let mut headers = vec![("host".to_owned(), "127.0.0.1:7411".to_owned())];
        headers.extend(instructions.headers().map(|(k, v)| (k.to_owned(), v.to_owned())));
        headers
    }

    #[test]
    fn a_signature_older_or_newer_than_15_minutes_is_refused() {
        let keys = Keys { access_key: "AKID".into(), secret_key: "s".into() };
        let signed_at = UNIX_EPOCH + Duration::from_secs(1_796_040_000); // 2026-11-30T12:00:00Z
        let headers = signed(&keys, "eu-west-1", signed_at);
        let at = |minutes: i64| {
            let delta = Duration::from_secs(minutes.unsigned_abs() * 60);
            if minutes >= 0 { signed_at + delta } else { signed_at - delta }
        };
        assert_eq!(verify(&keys, "GET", "/tags", &headers, b"", at(0)).unwrap(), "eu-west-1");
        assert_eq!(verify(&keys, "GET", "/tags", &headers, b"", at(14)).unwrap(), "eu-west-1");
        let late = verify(&keys, "GET", "/tags", &headers, b"", at(16)).unwrap_err();
        assert_eq!((late.status, late.code), (403, "InvalidSignatureException"));
        assert_eq!(
            late.message,
            "Signature expired: 20261130T120000Z is now earlier than 20261130T120100Z (20261130T121600Z - 15 min.)"
        );
        let early = verify(&keys, "GET", "/tags", &headers, b"", at(-16)).unwrap_err();
        assert!(
            early.message.starts_with("Signature not yet current: 20261130T120000Z is still later than"),
            "{}",
            early.message
        );
    }

    #[test]
    fn the_scope_must_name_a_real_region() {
        let keys = Keys { access_key: "AKID".into(), secret_key: "s".into() };
        let now = SystemTime::now();
        let headers = signed(&keys, "xx-nowhere-9", now);
        let e = verify(&keys, "GET", "/tags", &headers, b"", now).unwrap_err();
        assert_eq!((e.status, e.code), (403, "InvalidSignatureException"));
        assert_eq!(e.message, "Credential should be scoped to a valid region, not 'xx-nowhere-9'.");
        let cn = signed(&keys, "cn-north-1", now);
        assert_eq!(verify(&keys, "GET", "/tags", &cn, b"", now).unwrap(), "cn-north-1");
    }
}
