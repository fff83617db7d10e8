//! Detect closed to new customers on 2026-08-31: an account created since
//! gets UnauthorizedException on Detect's operations. The sandbox answers so
//! with `--faults new-customer`; the commands and the editor say plainly what
//! it means and that `--sandbox` has all of Detect locally.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Stdio};

use common::{SandboxProcess, sandbox_env, temp_dir};

#[test]
fn a_new_account_is_told_detect_is_closed_and_where_to_go() {
    let sandbox = SandboxProcess::start(&["--in-memory", "--faults", "new-customer"]);
    let home = temp_dir("detect-closed");
    let run = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddsp"));
        cmd.args(args).args(["--endpoint-url", &sandbox.url]).env("HOME", &home).stdin(Stdio::null());
        sandbox_env(&mut cmd, &home);
        cmd.output().unwrap()
    };
    let listed = run(&["list-security-profiles"]);
    let err = String::from_utf8_lossy(&listed.stderr);
    assert_eq!(listed.status.code(), Some(254), "{err}");
    assert!(
        err.contains("An error occurred (UnauthorizedException) when calling the ListSecurityProfiles operation: This feature is no longer available to new customers"),
        "the service's own words first: {err}"
    );
    assert!(err.contains("This AWS account cannot use Device Defender Detect"), "{err}");
    assert!(err.contains("ddsp --sandbox"), "{err}");
    // IoT itself still answers: only Detect is closed.
    let things = run(&["list-thing-groups"]);
    assert_eq!(things.status.code(), Some(0), "{}", String::from_utf8_lossy(&things.stderr));
}
