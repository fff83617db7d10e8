//! The service's errors as the wire carries them: HTTP status from the model,
//! `x-amzn-ErrorType` header and a `{"message": …}` body (service.md §4
//! "Errors"), so the SDK and the CLI decode each to its own variant.

use serde_json::{Value, json};

use crate::domain::Problem;

/// One error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
    /// ResourceAlreadyExistsException also names the resource.
    pub resource: Option<(String, String)>,
    /// A body of its own, with `message` added: a rejected device report
    /// answers with Device Defender's rejected document.
    pub document: Option<Box<Value>>,
}

/// The one conversion from the rules' findings to the service's answer: Ok
/// when they hold no error, else InvalidRequestException listing each error
/// in the service's usual words. Warnings are never refused: a rule no AWS
/// source confirms only warns (service.md §7), and the sandbox is never
/// stricter than the validator.
pub fn refuse<'a>(problems: impl IntoIterator<Item = &'a Problem>) -> Result<(), ApiError> {
    let errors: Vec<String> = problems.into_iter().filter(|p| p.is_error()).map(Problem::to_string).collect();
    match errors.len() {
        0 => Ok(()),
        n => Err(ApiError::invalid(format!(
            "{n} validation error{} detected: {}",
            if n == 1 { "" } else { "s" },
            errors.join("; ")
        ))),
    }
}

impl ApiError {
    fn new(code: &'static str, status: u16, message: impl Into<String>) -> Self {
        ApiError { code, status, message: message.into(), resource: None, document: None }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("InvalidRequestException", 400, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", 404, message)
    }

    pub fn already_exists(message: impl Into<String>, id: &str, arn: &str) -> Self {
        ApiError {
            resource: Some((id.to_owned(), arn.to_owned())),
            ..Self::new("ResourceAlreadyExistsException", 409, message)
        }
    }

    /// A certificate in the wrong state for the operation (406, as the model says).
    pub fn certificate_state(message: impl Into<String>) -> Self {
        Self::new("CertificateStateException", 406, message)
    }

    /// A resource still in use by another (409).
    pub fn delete_conflict(message: impl Into<String>) -> Self {
        Self::new("DeleteConflictException", 409, message)
    }

    /// A task id already started with another clientRequestToken (400, as the model says).
    pub fn task_exists(message: impl Into<String>) -> Self {
        Self::new("TaskAlreadyExistsException", 400, message)
    }

    pub fn version_conflict(message: impl Into<String>) -> Self {
        Self::new("VersionConflictException", 409, message)
    }

    /// IoT answers limits with 410, not 429.
    pub fn limit_exceeded(message: impl Into<String>) -> Self {
        Self::new("LimitExceededException", 410, message)
    }

    /// IoT answers throttling with 400, not 429.
    pub fn throttled() -> Self {
        Self::new("ThrottlingException", 400, "Rate exceeded")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalFailureException", 500, message)
    }

    pub fn unknown_operation() -> Self {
        Self::new("UnknownOperationException", 404, "The requested operation is not recognized by this endpoint")
    }

    /// What a Detect operation answers an account created after Detect closed
    /// to new customers on 2026-08-31 (UnauthorizedException, 401 in the model).
    pub fn detect_closed() -> Self {
        Self::new(
            "UnauthorizedException",
            401,
            "This feature is no longer available to new customers. Existing customers can continue to use the service as normal.",
        )
    }

    /// A request no SDK or CLI would send (a browser's Origin, a foreign Host).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new("AccessDeniedException", 403, message)
    }

    /// A signature whose x-amz-date is more than 15 minutes from the server's clock.
    pub fn signature_expired(message: impl Into<String>) -> Self {
        Self::new("InvalidSignatureException", 403, message)
    }

    pub fn missing_auth() -> Self {
        Self::new("MissingAuthenticationTokenException", 403, "Missing Authentication Token")
    }

    pub fn unrecognized_client() -> Self {
        Self::new("UnrecognizedClientException", 403, "The security token included in the request is invalid.")
    }

    pub fn bad_signature() -> Self {
        Self::new(
            "InvalidSignatureException",
            403,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
        )
    }

    /// InvalidRequestException whose body is `document` (with `message`).
    pub fn with_document(message: impl Into<String>, document: Value) -> Self {
        ApiError { document: Some(Box::new(document)), ..Self::invalid(message) }
    }

    /// The JSON body: `message`, plus `resourceId`/`resourceArn` where they
    /// apply, or the error's own document with `message` added.
    pub fn body(&self) -> Value {
        let mut body = match self.document.as_deref() {
            Some(Value::Object(doc)) => Value::Object(doc.clone()),
            _ => json!({}),
        };
        body["message"] = json!(self.message);
        if let Some((id, arn)) = &self.resource {
            body["resourceId"] = json!(id);
            body["resourceArn"] = json!(arn);
        }
        body
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("storage error: {e}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::internal(format!("stored document unreadable: {e}"))
    }
}
