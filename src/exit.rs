//! Exit codes, as the AWS CLI v2 uses them, so scripts can branch on them.

use std::process::ExitCode;

/// Success.
pub const OK: u8 = 0;
/// The user answered no when asked to confirm (`apply` declined): nothing
/// was changed, but what was asked for was not done (Terraform's code for a
/// cancelled apply, which the AWS CLI has no equivalent of).
pub const DECLINED: u8 = 1;
/// Ctrl-C.
pub const INTERRUPTED: u8 = 130;
/// Bad command line or parameters, including a request the rules reject.
pub const BAD_PARAMETERS: u8 = 252;
/// Bad configuration or credentials.
pub const BAD_CONFIG: u8 = 253;
/// The service returned an error.
pub const SERVICE_ERROR: u8 = 254;
/// Anything else.
pub const OTHER: u8 = 255;

/// The code as a process exit code.
pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}
