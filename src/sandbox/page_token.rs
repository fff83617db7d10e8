//! Page tokens bound to the query that made them. AWS's `nextToken`s are
//! opaque and checked: one that was forged, or made by another operation or
//! another filter, is an InvalidRequestException. The sandbox seals each
//! token it answers with an HMAC-SHA256 over the query (operation, path,
//! filters and region; not `maxResults`, which may change between pages)
//! and the resume key, keyed by a secret made at start; a token from before
//! a restart is refused like a forged one (a choice: AWS does not say how
//! long its tokens live).

use std::sync::OnceLock;

use super::errors::ApiError;
use super::router::Target;

/// Hex characters of the MAC kept at the token's front (128 bits).
const MAC_HEX: usize = 32;

/// The process's secret, from the system's random source (two v4 UUIDs).
fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(|| {
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        key
    })
}

/// What a token is bound to: the operation, region, path and every query
/// parameter but `nextToken` and `maxResults`, in a fixed order.
pub fn scope(operation: &str, region: &str, target: &Target) -> String {
    let mut query: Vec<&(String, String)> =
        target.query.iter().filter(|(k, _)| k != "nextToken" && k != "maxResults").collect();
    query.sort();
    let mut out = format!("{operation}\n{region}\n{}", target.segments.join("/"));
    for (k, v) in query {
        out.push('\n');
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

fn mac(scope: &str, inner: &str) -> String {
    let message = format!("{scope}\n\n{inner}");
    let mut hex = aws_sigv4::sign::v4::calculate_signature(secret(), message.as_bytes());
    hex.truncate(MAC_HEX);
    hex
}

/// The token to answer with for `inner` (a handler's resume key) in `scope`.
pub fn seal(scope: &str, inner: &str) -> String {
    format!("{}{inner}", mac(scope, inner))
}

/// The handler's resume key in a token this sandbox made for `scope`.
///
/// Errors: InvalidRequestException "The nextToken is invalid" for a token
/// that is forged, altered, from another query, or from before a restart.
pub fn open<'a>(scope: &str, token: &'a str) -> Result<&'a str, ApiError> {
    let bad = || ApiError::invalid("The nextToken is invalid");
    let (given, inner) = token.split_at_checked(MAC_HEX).ok_or_else(bad)?;
    let expected = mac(scope, inner);
    let same =
        given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0;
    if same { Ok(inner) } else { Err(bad()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_only_in_its_own_query() {
        let things = scope("ListThings", "us-east-1", &Target::parse("/things?maxResults=2"));
        let token = seal(&things, "7468696e672d31");
        assert_eq!(open(&things, &token).unwrap(), "7468696e672d31");
        let other_page_size = scope("ListThings", "us-east-1", &Target::parse("/things?maxResults=50"));
        assert!(open(&other_page_size, &token).is_ok(), "maxResults may change between pages");
        let filtered = scope("ListThings", "us-east-1", &Target::parse("/things?thingTypeName=x"));
        let elsewhere = scope("ListThings", "eu-west-1", &Target::parse("/things"));
        let profiles = scope("ListSecurityProfiles", "us-east-1", &Target::parse("/security-profiles"));
        for other in [filtered, elsewhere, profiles] {
            assert!(open(&other, &token).is_err());
        }
        assert!(open(&things, "78").is_err(), "a forged token");
        assert!(open(&things, &format!("{}79", &token[..MAC_HEX])).is_err(), "an altered key");
    }
}
