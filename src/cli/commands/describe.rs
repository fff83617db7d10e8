//! `ddsp describe-security-profile`: DescribeSecurityProfile.

use clap::Args;

use super::{InputArgs, check, execute, missing, to_json};
use crate::cli::global::GlobalArgs;
use crate::client::operations;
use crate::wire::request::{DescribeSecurityProfileRequest, Operation};

#[derive(Debug, Clone, Args)]
pub struct DescribeArgs {
    /// The name of the security profile to describe.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: DescribeArgs, global: &GlobalArgs) -> u8 {
    let mut req: DescribeSecurityProfileRequest = match args.input.request(Operation::Describe) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.security_profile_name {
        req.security_profile_name = n;
    }
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    if let Err(code) = check(&super::delete::name_problems(&req.security_profile_name)) {
        return code;
    }
    let name = req.security_profile_name;
    execute(global, "DescribeSecurityProfile", move |c| {
        Box::pin(async move { to_json(&operations::describe(c, &name).await?) })
    })
}
