//! `ddsp list-security-profiles`: ListSecurityProfiles, paginated as the AWS CLI
//! does: all pages merged by default, `--page-size` per call, `--max-items` with
//! a resumable `NextToken` (botocore's token format, so the two CLIs can resume
//! each other's listings), `--starting-token`, and `--no-paginate` for one call.

use clap::Args;
use serde_json::{Value, json};

use super::{InputArgs, bad_parameter, check, execute, to_json};
use crate::cli::global::GlobalArgs;
use crate::client::{ClientError, Connection, operations};
use crate::domain::validate_list;
use crate::wire::request::{ListSecurityProfilesRequest, Operation};
use crate::wire::response::SecurityProfileIdentifier;

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only profiles with a behavior that uses this dimension.
    #[arg(long)]
    pub dimension_name: Option<String>,
    /// Only profiles with a behavior that uses this metric.
    #[arg(long)]
    pub metric_name: Option<String>,
    /// The service's page token (with --no-paginate).
    #[arg(long)]
    pub next_token: Option<String>,
    /// The service's page size (with --no-paginate).
    #[arg(long, allow_negative_numbers = true)]
    pub max_results: Option<i64>,
    /// Resume from a NextToken an earlier --max-items listing printed.
    #[arg(long)]
    pub starting_token: Option<String>,
    /// Items per call while paginating.
    #[arg(long)]
    pub page_size: Option<i64>,
    /// Stop after this many items and print a NextToken to resume from.
    #[arg(long)]
    pub max_items: Option<usize>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Where a listing resumes: the service token and how many items of that page were already shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resume {
    pub token: Option<String>,
    pub skip: usize,
}

pub fn run(args: ListArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::List) {
        return code;
    }
    let mut req: ListSecurityProfilesRequest = match args.input.document() {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => return bad_parameter(&e),
    };
    req.dimension_name = args.dimension_name.or(req.dimension_name);
    req.metric_name = args.metric_name.or(req.metric_name);
    req.next_token = args.next_token.or(req.next_token);
    req.max_results = args.page_size.or(args.max_results).or(req.max_results);
    if let Err(code) = check(&validate_list(req.dimension_name.as_deref(), req.metric_name.as_deref(), req.max_results))
    {
        return code;
    }
    let resume = match &args.starting_token {
        Some(t) => decode_token(t),
        None => Resume { token: req.next_token.clone(), skip: 0 },
    };
    if global.no_paginate {
        return execute(global, "ListSecurityProfiles", move |c| {
            Box::pin(async move { to_json(&operations::list_page(c, &req).await?) })
        });
    }
    let max_items = args.max_items;
    execute(global, "ListSecurityProfiles", move |c| Box::pin(paginate(c, req, resume, max_items)))
}

async fn paginate(
    c: &Connection,
    mut req: ListSecurityProfilesRequest,
    resume: Resume,
    max_items: Option<usize>,
) -> Result<Value, ClientError> {
    let mut items: Vec<SecurityProfileIdentifier> = Vec::new();
    req.next_token = resume.token;
    let mut skip = resume.skip;
    let mut seen_tokens = std::collections::HashSet::new();
    loop {
        let page_token = req.next_token.clone();
        let page = operations::list_page(c, &req).await?;
        let mut page_items = page.security_profile_identifiers.unwrap_or_default();
        let page_len = page_items.len();
        page_items.drain(..skip.min(page_len));
        let consumed_before = skip.min(page_len);
        skip = 0;
        if let Some(limit) = max_items {
            let room = limit - items.len();
            if page_items.len() > room {
                items.extend(page_items.into_iter().take(room));
                let next = encode_token(&Resume { token: page_token, skip: consumed_before + room });
                return Ok(json!({ "securityProfileIdentifiers": items, "NextToken": next }));
            }
            items.extend(page_items);
            if items.len() == limit {
                let out = json!({ "securityProfileIdentifiers": items });
                return Ok(match page.next_token.filter(|t| !t.is_empty()) {
                    Some(t) => with_next(out, encode_token(&Resume { token: Some(t), skip: 0 })),
                    None => out,
                });
            }
        } else {
            items.extend(page_items);
        }
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) => {
                if !seen_tokens.insert(t.clone()) {
                    return Err(ClientError::Other(format!("The same next token was received twice: {t}")));
                }
                req.next_token = Some(t);
            }
            None => return Ok(json!({ "securityProfileIdentifiers": items })),
        }
    }
}

fn with_next(mut out: Value, token: String) -> Value {
    out["NextToken"] = json!(token);
    out
}

/// botocore's token: base64 of `{"nextToken": "…", "boto_truncate_amount": n}`.
pub fn encode_token(resume: &Resume) -> String {
    let token = serde_json::to_string(&resume.token.clone().unwrap_or_default()).unwrap_or_default();
    let text = if resume.skip > 0 {
        format!("{{\"nextToken\": {token}, \"boto_truncate_amount\": {}}}", resume.skip)
    } else {
        format!("{{\"nextToken\": {token}}}")
    };
    base64_encode(text.as_bytes())
}

/// Reads a botocore token; anything else is taken as the service's own token.
pub fn decode_token(text: &str) -> Resume {
    let parsed = base64_decode(text).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    match parsed {
        Some(v) if v.get("nextToken").is_some() => Resume {
            token: v["nextToken"].as_str().filter(|s| !s.is_empty()).map(str::to_owned),
            skip: v["boto_truncate_amount"].as_u64().map_or(0, |n| n as usize),
        },
        _ => Resume { token: Some(text.to_owned()), skip: 0 },
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|b| *b != b'=').collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_botocore() {
        // botocore: base64.b64encode(json.dumps({"nextToken": "abc", "boto_truncate_amount": 2}).encode())
        let token = encode_token(&Resume { token: Some("abc".into()), skip: 2 });
        assert_eq!(token, "eyJuZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMn0=");
        assert_eq!(decode_token(&token), Resume { token: Some("abc".into()), skip: 2 });
        assert_eq!(decode_token("raw-service-token"), Resume { token: Some("raw-service-token".into()), skip: 0 });
        assert_eq!(base64_decode(&base64_encode(b"ab")).unwrap(), b"ab");
    }
}
