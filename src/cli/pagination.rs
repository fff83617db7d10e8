//! The AWS CLI's pagination for list commands: every page merged by default,
//! `--page-size` per call, `--max-items` with a resumable `NextToken` in
//! botocore's format (so the two CLIs resume each other's listings),
//! `--starting-token`, and a stop when the same token comes back twice.

use std::future::Future;
use std::pin::Pin;

use clap::Args;
use serde_json::{Value, json};

use super::commands::{check, execute};
use super::global::GlobalArgs;
use crate::client::targets::Page;
use crate::client::{ClientError, Connection};
use crate::domain::Problem;

/// The AWS CLI's pagination options of a list command.
#[derive(Debug, Clone, Args)]
pub struct PageArgs {
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
}

impl PageArgs {
    /// One page only, as the AWS CLI decides: `--no-paginate`, or the
    /// service's own `--next-token` / `--max-results` given on the command line.
    pub fn one_page(&self, global: &GlobalArgs) -> bool {
        global.no_paginate || self.next_token.is_some() || self.max_results.is_some()
    }

    /// The page size the call asks for: `--page-size`, else `--max-results`,
    /// else the input document's.
    pub fn size_or(&self, from_input: Option<i64>) -> Option<i64> {
        self.page_size.or(self.max_results).or(from_input)
    }

    /// Puts the options over the input document's `nextToken` and `maxResults`.
    pub fn onto(&self, next_token: &mut Option<String>, max_results: &mut Option<i64>) {
        *next_token = self.next_token.clone().or(next_token.take());
        *max_results = self.size_or(*max_results);
    }

    /// Where the listing starts: `--starting-token`, else the service token.
    pub fn resume(&self, next_token: Option<String>) -> Resume {
        match &self.starting_token {
            Some(t) => decode_token(t),
            None => Resume { token: next_token, skip: 0 },
        }
    }
}

/// One page as the service sent it (`--no-paginate`), or every page merged.
pub async fn listing<F, Fut>(
    key: &str,
    one_page: bool,
    resume: Resume,
    max_items: Option<usize>,
    mut fetch: F,
) -> Result<Value, ClientError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page, ClientError>>,
{
    if one_page {
        let (items, next) = fetch(resume.token).await?;
        let mut out = json!({ key: items });
        if let Some(t) = next.filter(|t| !t.is_empty()) {
            out["nextToken"] = json!(t);
        }
        return Ok(out);
    }
    collect(key, resume, max_items, fetch).await
}

/// `list_command` for a request with a `next_token` member: each page asks
/// with `$req`, its token replaced by the page's, through
/// `$fetch(connection, &request)`.
macro_rules! list_pages {
    ($global:expr, $pages:expr, $problems:expr, $operation:literal, $key:literal, $req:ident, $fetch:path) => {{
        let next_token = $req.next_token.clone();
        $crate::cli::pagination::list_command(
            $global,
            $pages,
            $problems,
            $operation,
            $key,
            next_token,
            move |c, token| {
                let mut page_req = $req.clone();
                page_req.next_token = token;
                Box::pin(async move { $fetch(c, &page_req).await })
            },
        )
    }};
}
pub(crate) use list_pages;

/// A call for one page, given the service token.
pub type PageCall<'c> = Pin<Box<dyn Future<Output = Result<Page, ClientError>> + 'c>>;

/// What every List* command does once its request is read: the checks'
/// verdict (the first error exits with the AWS CLI's code for it), then one
/// page or every page of `operation` merged under `key`, printed as the AWS
/// CLI does. `page` asks for the page after a token.
#[allow(clippy::too_many_arguments)]
pub fn list_command<F>(
    global: &GlobalArgs,
    pages: &PageArgs,
    problems: &[Problem],
    operation: &'static str,
    key: &'static str,
    next_token: Option<String>,
    page: F,
) -> u8
where
    F: for<'c> Fn(&'c Connection, Option<String>) -> PageCall<'c> + 'static,
{
    if let Err(code) = check(problems) {
        return code;
    }
    let resume = pages.resume(next_token);
    let (one_page, max_items) = (pages.one_page(global), pages.max_items);
    execute(global, operation, move |c| {
        Box::pin(async move { listing(key, one_page, resume, max_items, |token| page(c, token)).await })
    })
}

/// Where a listing resumes: the service token and how many items of that page were already shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resume {
    pub token: Option<String>,
    pub skip: usize,
}

/// Fetches pages through `fetch` (given the service token, it answers the
/// page's items and the next token) from `resume` on, and merges them under
/// `key`, stopping after `max_items` with a `NextToken` to resume from.
pub async fn collect<F, Fut>(
    key: &str,
    resume: Resume,
    max_items: Option<usize>,
    mut fetch: F,
) -> Result<Value, ClientError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<Value>, Option<String>), ClientError>>,
{
    let mut items: Vec<Value> = Vec::new();
    let mut token = resume.token;
    let mut skip = resume.skip;
    let mut seen_tokens = std::collections::HashSet::new();
    loop {
        let page_token = token.clone();
        let (mut page_items, next) = fetch(token.take()).await?;
        let page_len = page_items.len();
        page_items.drain(..skip.min(page_len));
        let consumed_before = skip.min(page_len);
        skip = 0;
        let next = next.filter(|t| !t.is_empty());
        if let Some(limit) = max_items {
            let room = limit - items.len();
            if page_items.len() > room {
                items.extend(page_items.into_iter().take(room));
                let resume_at = encode_token(&Resume { token: page_token, skip: consumed_before + room });
                return Ok(json!({ key: items, "NextToken": resume_at }));
            }
            items.extend(page_items);
            if items.len() == limit {
                let out = json!({ key: items });
                return Ok(match next {
                    Some(t) => with_next(out, encode_token(&Resume { token: Some(t), skip: 0 })),
                    None => out,
                });
            }
        } else {
            items.extend(page_items);
        }
        match next {
            Some(t) => {
                if !seen_tokens.insert(t.clone()) {
                    return Err(ClientError::Other(format!("The same next token was received twice: {t}")));
                }
                token = Some(t);
            }
            None => return Ok(json!({ key: items })),
        }
    }
}

fn with_next(mut out: Value, token: String) -> Value {
    out["NextToken"] = json!(token);
    out
}

/// botocore's token: base64 of `{"nextToken": "…", "boto_truncate_amount": n}`.
pub fn encode_token(resume: &Resume) -> String {
    // A cut in the first page resumes from no token: botocore writes null.
    let token = serde_json::to_string(&resume.token).unwrap_or_default();
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
        // botocore: a cut in the first page has no token to resume from.
        let first = encode_token(&Resume { token: None, skip: 1 });
        assert_eq!(first, "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==");
        assert_eq!(decode_token(&first), Resume { token: None, skip: 1 });
    }
}
