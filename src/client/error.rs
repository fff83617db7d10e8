//! ClientError: what can go wrong talking to AWS or the sandbox, sorted the way
//! the AWS CLI sorts it into exit codes (service error, configuration or
//! credentials, anything else).

use aws_sdk_iot::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::error::display::DisplayErrorContext;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The service answered with an error (VersionConflictException, …).
    /// Detect's answer to an account it does not serve carries a second line
    /// saying so plainly, and what to do instead.
    #[error(
        "An error occurred ({code}) when calling the {operation} operation: {message}{}",
        if detect_closed(code, message) { DETECT_CLOSED } else { "" }
    )]
    Service { operation: &'static str, code: String, message: String },
    /// No region, no credentials, an unknown profile.
    #[error("{0}")]
    Config(String),
    /// The request never got an answer: connection refused, DNS, timeout.
    #[error("{0}")]
    Network(String),
    /// The request could not be built from the input.
    #[error("{0}")]
    Request(String),
    #[error("{0}")]
    Other(String),
}

/// What ddsp adds to Detect's answer for an account created after it closed.
pub const DETECT_CLOSED: &str = "\nThis AWS account cannot use Device Defender Detect: AWS closed it to new customers on 2026-08-31 (accounts that used it before keep it). ddsp --sandbox has all of Detect on this machine: profiles, violations, backtests.";

/// True for the answer AWS gives Detect's operations on an account created
/// after Detect closed to new customers (UnauthorizedException, "This feature
/// is no longer available to new customers").
fn detect_closed(code: &str, message: &str) -> bool {
    code == "UnauthorizedException" && message.contains("no longer available to new customers")
}

impl ClientError {
    /// Whether the service said the version moved on (VersionConflictException).
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, ClientError::Service { code, .. } if code == "VersionConflictException")
    }

    /// True when the resource named is not on the endpoint (deleted, or never made).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::Service { code, .. } if code == "ResourceNotFoundException")
    }

    /// True when the account cannot use Detect at all (see `DETECT_CLOSED`).
    pub fn is_detect_closed(&self) -> bool {
        matches!(self, ClientError::Service { code, message, .. } if detect_closed(code, message))
    }

    /// Wraps an SDK error of `operation`, sent to `endpoint`.
    pub fn from_sdk<E, R>(operation: &'static str, endpoint: &str, e: SdkError<E, R>) -> ClientError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
        SdkError<E, R>: std::error::Error,
    {
        let detail = DisplayErrorContext(&e).to_string();
        let root = {
            let mut cause: &dyn std::error::Error = &e;
            while let Some(next) = cause.source() {
                cause = next;
            }
            cause.to_string()
        };
        match e {
            SdkError::ServiceError(service) => {
                let err = service.err();
                ClientError::Service {
                    operation,
                    code: err.code().unwrap_or("Unknown").to_owned(),
                    message: err.message().unwrap_or_default().to_owned(),
                }
            }
            SdkError::TimeoutError(_) => ClientError::Network(format!("Read timeout on endpoint URL: \"{endpoint}\"")),
            SdkError::DispatchFailure(_) if detail.to_ascii_lowercase().contains("credential") => {
                ClientError::Config(format!("Unable to locate credentials: {detail}"))
            }
            SdkError::DispatchFailure(d) if d.is_timeout() => {
                ClientError::Network(format!("Connect timeout on endpoint URL: \"{endpoint}\""))
            }
            SdkError::DispatchFailure(_) => {
                tracing::debug!("dispatch failure: {detail}");
                ClientError::Network(format!("Could not connect to the endpoint URL: \"{endpoint}\" ({root})"))
            }
            SdkError::ConstructionFailure(_) if detail.to_ascii_lowercase().contains("credential") => {
                ClientError::Config(format!("Unable to locate credentials: {detail}"))
            }
            SdkError::ConstructionFailure(_) => ClientError::Request(detail),
            _ => ClientError::Other(detail),
        }
    }
}

impl From<aws_sdk_iot::error::BuildError> for ClientError {
    fn from(e: aws_sdk_iot::error::BuildError) -> Self {
        ClientError::Request(e.to_string())
    }
}
