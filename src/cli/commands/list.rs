//! `ddsp list-security-profiles`: ListSecurityProfiles, paginated as the AWS CLI
//! does: all pages merged by default, `--page-size` per call, `--max-items` with
//! a resumable `NextToken` (botocore's token format, so the two CLIs can resume
//! each other's listings), `--starting-token`, and `--no-paginate` for one call.

use clap::Args;
use serde_json::Value;

use super::targets::PageArgs;
use super::{InputArgs, bad_parameter, check, execute, to_json};
use crate::cli::global::GlobalArgs;
use crate::cli::pagination::{Resume, collect};
use crate::client::{ClientError, Connection, operations};
use crate::domain::validate_list;
use crate::wire::request::{ListSecurityProfilesRequest, Operation};

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only profiles with a behavior that uses this dimension.
    #[arg(long)]
    pub dimension_name: Option<String>,
    /// Only profiles with a behavior that uses this metric.
    #[arg(long)]
    pub metric_name: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
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
    req.next_token = args.pages.next_token.clone().or(req.next_token);
    req.max_results = args.pages.page_size.or(args.pages.max_results).or(req.max_results);
    if let Err(code) = check(&validate_list(req.dimension_name.as_deref(), req.metric_name.as_deref(), req.max_results))
    {
        return code;
    }
    let resume = args.pages.resume(req.next_token.clone());
    if global.no_paginate {
        return execute(global, "ListSecurityProfiles", move |c| {
            Box::pin(async move { to_json(&operations::list_page(c, &req).await?) })
        });
    }
    let max_items = args.pages.max_items;
    execute(global, "ListSecurityProfiles", move |c| Box::pin(paginate(c, req, resume, max_items)))
}

/// Every page of the listing (or from `resume`, up to `max_items`).
async fn paginate(
    c: &Connection,
    req: ListSecurityProfilesRequest,
    resume: Resume,
    max_items: Option<usize>,
) -> Result<Value, ClientError> {
    collect(KEY, resume, max_items, |token| {
        let mut page_req = req.clone();
        page_req.next_token = token;
        async move {
            let page = operations::list_page(c, &page_req).await?;
            let items = page.security_profile_identifiers.unwrap_or_default();
            Ok((items.iter().map(to_json).collect::<Result<Vec<_>, _>>()?, page.next_token))
        }
    })
    .await
}

/// The list member of ListSecurityProfiles' output.
const KEY: &str = "securityProfileIdentifiers";
