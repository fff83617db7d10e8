//! `ddsp attach-security-profile`, `detach-security-profile`,
//! `list-targets-for-security-profile` and `list-security-profiles-for-target`:
//! what a profile watches. Options, files, skeletons, pagination and outputs
//! as the AWS CLI's; names and target ARNs are checked before anything is sent.

use clap::Args;
use serde_json::{Value, json};

use super::{InputArgs, bad_parameter, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::pagination::{Resume, collect, decode_token};
use crate::client::targets;
use crate::domain::rules::validate_target;
use crate::domain::{Context, FieldPath, Problem};
use crate::wire::request::{
    ListSecurityProfilesForTargetRequest, ListTargetsForSecurityProfileRequest, Operation, SecurityProfileTargetRequest,
};

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

    /// Where the listing starts: `--starting-token`, else the service token.
    pub fn resume(&self, next_token: Option<String>) -> Resume {
        match &self.starting_token {
            Some(t) => decode_token(t),
            None => Resume { token: next_token, skip: 0 },
        }
    }
}

/// maxResults: 1–250 (MaxResults in the model).
fn page_problems(max_results: Option<i64>) -> Vec<Problem> {
    crate::domain::validate_list(None, None, max_results)
}

#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// The security profile.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    /// A thing group's ARN, or arn:aws:iot:REGION:ACCOUNT:all/registered-things (or unregistered-things).
    #[arg(long)]
    pub security_profile_target_arn: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// attach-security-profile (`attach`) or detach-security-profile.
pub fn run_target(args: TargetArgs, global: &GlobalArgs, attach: bool) -> u8 {
    let operation = if attach { Operation::Attach } else { Operation::Detach };
    if let Some(code) = args.input.skeleton(operation) {
        return code;
    }
    let mut req: SecurityProfileTargetRequest = match args.input.document() {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => return bad_parameter(&e),
    };
    if let Some(n) = args.security_profile_name {
        req.security_profile_name = n;
    }
    if let Some(t) = args.security_profile_target_arn {
        req.security_profile_target_arn = t;
    }
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    if req.security_profile_target_arn.is_empty() {
        return missing("--security-profile-target-arn");
    }
    let mut problems = super::delete::name_problems(&req.security_profile_name);
    let at = FieldPath::root().key("securityProfileTargetArn");
    problems.extend(validate_target(&req.security_profile_target_arn, &at, &Context::offline()));
    if let Err(code) = check(&problems) {
        return code;
    }
    let title = if attach { "AttachSecurityProfile" } else { "DetachSecurityProfile" };
    execute(global, title, move |c| {
        Box::pin(async move {
            let (profile, target) = (&req.security_profile_name, &req.security_profile_target_arn);
            if attach {
                targets::attach(c, profile, target).await?
            } else {
                targets::detach(c, profile, target).await?
            }
            Ok(json!({}))
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListTargetsArgs {
    /// The security profile whose targets to list.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list_targets(args: ListTargetsArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::ListTargets) {
        return code;
    }
    let mut req: ListTargetsForSecurityProfileRequest = match args.input.document() {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => return bad_parameter(&e),
    };
    if let Some(n) = args.security_profile_name {
        req.security_profile_name = n;
    }
    req.next_token = args.pages.next_token.clone().or(req.next_token);
    req.max_results = args.pages.page_size.or(args.pages.max_results).or(req.max_results);
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    let mut problems = super::delete::name_problems(&req.security_profile_name);
    problems.extend(page_problems(req.max_results));
    if let Err(code) = check(&problems) {
        return code;
    }
    let resume = args.pages.resume(req.next_token.clone());
    let (one_page, max_items) = (args.pages.one_page(global), args.pages.max_items);
    execute(global, "ListTargetsForSecurityProfile", move |c| {
        Box::pin(async move {
            let fetch = |token: Option<String>| {
                let page_req = ListTargetsForSecurityProfileRequest { next_token: token, ..req.clone() };
                async move { targets::targets_page(c, &page_req).await }
            };
            listing("securityProfileTargets", one_page, resume, max_items, fetch).await
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ProfilesForTargetArgs {
    /// The target: a thing group's ARN, or …:all/registered-things (or unregistered-things).
    #[arg(long)]
    pub security_profile_target_arn: Option<String>,
    /// Also the profiles attached to the thing groups below it.
    #[arg(long, overrides_with = "no_recursive")]
    pub recursive: bool,
    #[arg(long)]
    pub no_recursive: bool,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_profiles_for_target(args: ProfilesForTargetArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::ListProfilesForTarget) {
        return code;
    }
    let mut req: ListSecurityProfilesForTargetRequest = match args.input.document() {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => return bad_parameter(&e),
    };
    if let Some(t) = args.security_profile_target_arn {
        req.security_profile_target_arn = t;
    }
    req.recursive = crate::cli::input::flag(args.recursive, args.no_recursive).or(req.recursive);
    req.next_token = args.pages.next_token.clone().or(req.next_token);
    req.max_results = args.pages.page_size.or(args.pages.max_results).or(req.max_results);
    if req.security_profile_target_arn.is_empty() {
        return missing("--security-profile-target-arn");
    }
    let at = FieldPath::root().key("securityProfileTargetArn");
    let mut problems = validate_target(&req.security_profile_target_arn, &at, &Context::offline());
    problems.extend(page_problems(req.max_results));
    if let Err(code) = check(&problems) {
        return code;
    }
    let resume = args.pages.resume(req.next_token.clone());
    let (one_page, max_items) = (args.pages.one_page(global), args.pages.max_items);
    execute(global, "ListSecurityProfilesForTarget", move |c| {
        Box::pin(async move {
            let fetch = |token: Option<String>| {
                let page_req = ListSecurityProfilesForTargetRequest { next_token: token, ..req.clone() };
                async move { targets::profiles_for_target_page(c, &page_req).await }
            };
            listing("securityProfileTargetMappings", one_page, resume, max_items, fetch).await
        })
    })
}

/// One page as the service sent it (`--no-paginate`), or every page merged.
pub async fn listing<F, Fut>(
    key: &str,
    one_page: bool,
    resume: Resume,
    max_items: Option<usize>,
    mut fetch: F,
) -> Result<Value, crate::client::ClientError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<targets::Page, crate::client::ClientError>>,
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
