//! Verifies a request's SigV4 signature against the sandbox's access key. The
//! signing math is the aws-sigv4 crate's: the request is signed again with the
//! secret, the client's scope, time and signed headers, and the two signatures
//! must match. Missing or wrong signatures get AWS's 403 errors.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use super::clock::parse_amz_date;
use super::errors::ApiError;

/// The access key the sandbox accepts and its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub access_key: String,
    pub secret_key: String,
}

/// The service name IoT requests are signed for (service.md §4: `iot`, not `execute-api`).
const SERVICE: &str = "iot";

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

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Checks the Authorization header of a request (method, target = path and
/// query as sent, headers, body) against `keys`.
pub fn verify(
    keys: &Keys,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), ApiError> {
    let auth = header(headers, "authorization").ok_or_else(ApiError::missing_auth)?;
    let auth = parse_authorization(auth).ok_or_else(ApiError::bad_signature)?;
    if auth.access_key != keys.access_key {
        return Err(ApiError::unrecognized_client());
    }
    if auth.service != SERVICE {
        return Err(ApiError::bad_signature());
    }
    let time: SystemTime =
        header(headers, "x-amz-date").and_then(parse_amz_date).ok_or_else(ApiError::bad_signature)?;
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
        Ok(())
    } else {
        Err(ApiError::bad_signature())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
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
        assert_eq!(verify(&keys, "GET", "/tags", &[], b"").unwrap_err().code, "MissingAuthenticationTokenException");
        let h = vec![(
            "Authorization".to_owned(),
            "AWS4-HMAC-SHA256 Credential=OTHER/20261125/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=abc"
                .to_owned(),
        )];
        assert_eq!(verify(&keys, "GET", "/tags", &h, b"").unwrap_err().code, "UnrecognizedClientException");
    }
}
