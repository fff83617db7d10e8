//! Where a shown call goes. "Show the call" (Ctrl-K, `c` on the confirm
//! screen) prints `aws iot` commands that a user pastes into a shell; without
//! the editor's endpoint, region and AWS profile they would go to that
//! shell's default account. A `Destination` is what each command carries so
//! that pasting it does exactly what the editor would send.

use super::export::shell_quote;

/// The editor's connection, as the AWS CLI's options say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// How the status line names it ("local sandbox · us-east-1").
    pub label: String,
    /// The endpoint URL (`--endpoint-url`).
    pub endpoint: String,
    pub region: String,
    /// The AWS profile (`--profile`), when one was chosen.
    pub profile: Option<String>,
    /// Keys to sign with, for a sandbox ddsp started itself (its documented
    /// defaults, not a secret): given as environment assignments.
    pub keys: Option<(String, String)>,
    /// True when the endpoint lives only as long as this ddsp runs.
    pub while_running: bool,
}

impl Destination {
    /// The comment line that opens the commands.
    pub fn comment(&self) -> String {
        let lasting = if self.while_running { "; it answers while this ddsp runs" } else { "" };
        format!("# These go to {} ({}, region {}){lasting}.\n", self.label, self.endpoint, self.region)
    }

    /// `aws iot ARGS` as it must be typed to reach this destination.
    pub fn command(&self, args: &str) -> String {
        let env = self.keys.as_ref().map_or_else(String::new, |(access, secret)| {
            format!("AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} ", shell_quote(access), shell_quote(secret))
        });
        let profile = self.profile.as_ref().map_or_else(String::new, |p| format!(" --profile {}", shell_quote(p)));
        format!(
            "{env}aws iot {args} --endpoint-url {} --region {}{profile}\n",
            shell_quote(&self.endpoint),
            shell_quote(&self.region)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_carries_the_endpoint_region_profile_and_sandbox_keys() {
        let sandbox = Destination {
            label: "local sandbox · us-east-1".into(),
            endpoint: "http://127.0.0.1:7411".into(),
            region: "us-east-1".into(),
            profile: None,
            keys: Some(("AKID".into(), "secret".into())),
            while_running: true,
        };
        assert_eq!(
            sandbox.command("list-security-profiles"),
            "AWS_ACCESS_KEY_ID='AKID' AWS_SECRET_ACCESS_KEY='secret' aws iot list-security-profiles --endpoint-url 'http://127.0.0.1:7411' --region 'us-east-1'\n"
        );
        assert!(sandbox.comment().contains("while this ddsp runs"));
        let aws = Destination { profile: Some("prod".into()), keys: None, while_running: false, ..sandbox };
        assert!(aws.command("x").ends_with(" --profile 'prod'\n"));
        assert!(!aws.command("x").contains("AWS_ACCESS_KEY_ID"));
    }
}
