//! What every sandbox operation shares: the request's environment (region,
//! clock), ARNs, opaque pagination tokens and page sizes.

use super::errors::ApiError;
use crate::domain::rules::resource_name_fault;

/// The account every sandbox ARN names.
pub const ACCOUNT: &str = "123456789012";
/// Page size when a list call sets no maxResults.
pub const DEFAULT_PAGE: usize = 25;

/// Where and when a request runs.
#[derive(Debug, Clone)]
pub struct Env {
    pub region: String,
    /// Epoch seconds, millisecond precision.
    pub now: f64,
}

impl Env {
    /// The partition the region belongs to.
    pub fn partition(&self) -> &'static str {
        super::regions::partition(&self.region)
    }

    /// The type and name of an ARN of this account, partition and region; an
    /// ARN of another region names nothing here (each region is apart).
    pub fn own_arn<'a>(&self, arn: &'a str) -> Option<(&'a str, &'a str)> {
        let mut parts = arn.splitn(6, ':');
        let (_, partition, _, region) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if partition != self.partition() || region != self.region {
            return None;
        }
        parse_arn(arn)
    }

    /// `arn:aws:iot:REGION:123456789012:KIND/NAME`.
    pub fn arn(&self, kind: &str, name: &str) -> String {
        format!("arn:{}:iot:{}:{ACCOUNT}:{kind}/{name}", self.partition(), self.region)
    }
}

/// An IoT ARN split into resource type and name, if it is one of this account's.
pub fn parse_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (scheme, _partition, service, _region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if scheme != "arn" || service != "iot" || account != ACCOUNT {
        return None;
    }
    resource.split_once('/')
}

/// Rejects a path label that is not a valid resource name, as the service does
/// (InvalidRequestException, not NotFound).
pub fn check_name(what: &str, name: &str) -> Result<(), ApiError> {
    match resource_name_fault(name) {
        Some(fault) => Err(ApiError::invalid(format!("1 validation error detected: {what} {fault}"))),
        None => Ok(()),
    }
}

/// The page size a list call asked for (1–250).
pub fn page_size(max_results: Option<i64>) -> Result<usize, ApiError> {
    match max_results {
        None => Ok(DEFAULT_PAGE),
        Some(n @ 1..=250) => Ok(n as usize),
        Some(n) => Err(ApiError::invalid(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 250"
        ))),
    }
}

/// The opaque token for "after this key": its bytes in hex.
pub fn encode_token(after: &str) -> String {
    after.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The key a token stands for; a token ddsp did not make is an InvalidRequest.
pub fn decode_token(token: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let bad = || ApiError::invalid("The nextToken is invalid");
    if token.len() % 2 != 0 {
        return Err(bad());
    }
    let bytes: Result<Vec<u8>, _> =
        (0..token.len()).step_by(2).map(|i| u8::from_str_radix(token.get(i..i + 2).unwrap_or("zz"), 16)).collect();
    String::from_utf8(bytes.map_err(|_| bad())?).map(Some).map_err(|_| bad())
}

/// An operation's output as the JSON the router sends: a `wire::response`
/// shape (`Page`, `Empty`, the Create outputs, …). A shape that cannot be
/// written (it never happens to these: string keys only) is an internal error.
pub fn answer(output: impl serde::Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(output).map_err(|e| ApiError::internal(format!("the answer could not be written: {e}")))
}

/// One page of sorted keys: the keys after `after`, at most `size`, and the next token.
pub fn page<T, K: Fn(&T) -> &str>(items: Vec<T>, after: Option<&str>, size: usize, key: K) -> (Vec<T>, Option<String>) {
    let mut rest: Vec<T> = items.into_iter().filter(|i| after.is_none_or(|a| key(i) > a)).collect();
    let next = if rest.len() > size {
        rest.truncate(size);
        rest.last().map(|i| encode_token(key(i)))
    } else {
        None
    };
    (rest, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_tokens_and_pages() {
        let env = Env { region: "cn-north-1".into(), now: 0.0 };
        let arn = env.arn("securityprofile", "a:b");
        assert_eq!(arn, "arn:aws-cn:iot:cn-north-1:123456789012:securityprofile/a:b");
        assert_eq!(parse_arn(&arn), Some(("securityprofile", "a:b")));
        assert_eq!(parse_arn("arn:aws:sns:us-east-1:123456789012:t"), None);
        assert_eq!(decode_token(Some(&encode_token("prof-1"))).unwrap().as_deref(), Some("prof-1"));
        assert!(decode_token(Some("xyz")).is_err());
        let (first, next) = page(vec!["a", "b", "c"], None, 2, |s| s);
        assert_eq!((first, next.as_deref()), (vec!["a", "b"], Some("62")));
        let (second, next) = page(vec!["a", "b", "c"], Some("b"), 2, |s| s);
        assert_eq!((second, next), (vec!["c"], None));
        assert!(page_size(Some(0)).is_err());
    }
}
