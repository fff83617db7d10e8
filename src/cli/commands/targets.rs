//! `ddsp attach-security-profile`, `detach-security-profile`,
//! `list-targets-for-security-profile` and `list-security-profiles-for-target`:
//! what a profile watches. Options, files, skeletons, pagination and outputs
//! as the AWS CLI's; names and target ARNs are checked before anything is sent.

use clap::Args;
use serde_json::json;

use super::{InputArgs, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::pagination::{PageArgs, list_pages};
use crate::client::targets;
use crate::domain::rules::validate_target;
use crate::domain::{Context, FieldPath, Problem};
use crate::wire::request::{
    ListSecurityProfilesForTargetRequest, ListTargetsForSecurityProfileRequest, Operation, SecurityProfileTargetRequest,
};

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
    let mut req: SecurityProfileTargetRequest = match args.input.request(operation) {
        Ok(r) => r,
        Err(code) => return code,
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
    let mut req: ListTargetsForSecurityProfileRequest = match args.input.request(Operation::ListTargets) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.security_profile_name {
        req.security_profile_name = n;
    }
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    let mut problems = super::delete::name_problems(&req.security_profile_name);
    problems.extend(page_problems(req.max_results));
    list_pages!(
        global,
        &args.pages,
        &problems,
        "ListTargetsForSecurityProfile",
        "securityProfileTargets",
        req,
        targets::targets_page
    )
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
    let mut req: ListSecurityProfilesForTargetRequest = match args.input.request(Operation::ListProfilesForTarget) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(t) = args.security_profile_target_arn {
        req.security_profile_target_arn = t;
    }
    req.recursive = crate::cli::input::flag(args.recursive, args.no_recursive).or(req.recursive);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    if req.security_profile_target_arn.is_empty() {
        return missing("--security-profile-target-arn");
    }
    let at = FieldPath::root().key("securityProfileTargetArn");
    let mut problems = validate_target(&req.security_profile_target_arn, &at, &Context::offline());
    problems.extend(page_problems(req.max_results));
    list_pages!(
        global,
        &args.pages,
        &problems,
        "ListSecurityProfilesForTarget",
        "securityProfileTargetMappings",
        req,
        targets::profiles_for_target_page
    )
}
