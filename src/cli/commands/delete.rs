//! `ddsp delete-security-profile`: DeleteSecurityProfile with `--expected-version`.

use clap::Args;
use serde_json::json;

use super::{InputArgs, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::client::operations;
use crate::domain::rules::resource_name_fault;
use crate::domain::{FieldPath, Problem, Rule, Severity};
use crate::wire::request::{DeleteSecurityProfileRequest, Operation};

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    /// The name of the security profile to delete.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    /// Fail with VersionConflictException unless the profile has this version.
    #[arg(long, allow_negative_numbers = true)]
    pub expected_version: Option<i64>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The profile-name rule, for operations that take only a name.
pub fn name_problems(name: &str) -> Vec<Problem> {
    resource_name_fault(name)
        .map(|fault| Problem {
            path: FieldPath::root().key("securityProfileName"),
            severity: Severity::Error,
            rule: Rule::ProfileName,
            message: format!("the profile name {fault}"),
        })
        .into_iter()
        .collect()
}

pub fn run(args: DeleteArgs, global: &GlobalArgs) -> u8 {
    let mut req: DeleteSecurityProfileRequest = match args.input.request(Operation::Delete) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.security_profile_name {
        req.security_profile_name = n;
    }
    req.expected_version = args.expected_version.or(req.expected_version);
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    if let Err(code) = check(&name_problems(&req.security_profile_name)) {
        return code;
    }
    execute(global, "DeleteSecurityProfile", move |c| {
        Box::pin(async move {
            operations::delete(c, &req.security_profile_name, req.expected_version).await?;
            Ok(json!({}))
        })
    })
}
