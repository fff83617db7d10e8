//! Rules on the inputs of the device operations (CreateKeysAndCertificate,
//! DescribeCertificate, UpdateCertificate, DeleteCertificate,
//! ListCertificates, AttachThingPrincipal, DetachThingPrincipal,
//! ListThingPrincipals, DescribeEndpoint): shapes, enums and lengths from the
//! IoT model. Shared by the commands and the sandbox.

use super::text::{quote, resource_name_fault};
use crate::domain::path::FieldPath;
use crate::domain::problem::{Problem, Rule, Severity};

/// CertificateStatus's values (the model's enum).
pub const CERTIFICATE_STATUSES: &[&str] =
    &["ACTIVE", "INACTIVE", "REVOKED", "PENDING_TRANSFER", "REGISTER_INACTIVE", "PENDING_ACTIVATION"];
/// The statuses UpdateCertificate may set; the others are the service's own
/// (transfers and registration).
pub const SETTABLE_STATUSES: &[&str] = &["ACTIVE", "INACTIVE", "REVOKED"];
/// ThingPrincipalType's values.
pub const THING_PRINCIPAL_TYPES: &[&str] = &["EXCLUSIVE_THING", "NON_EXCLUSIVE_THING"];
/// DescribeEndpoint's endpoint types (the API reference lists them; the model has a free string of up to 128).
pub const ENDPOINT_TYPES: &[&str] = &["iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"];

/// What one of these requests holds, as far as the rules care.
#[derive(Debug, Clone, Default)]
pub struct DeviceRequest<'a> {
    pub certificate_id: Option<&'a str>,
    pub new_status: Option<&'a str>,
    pub thing_name: Option<&'a str>,
    pub principal: Option<&'a str>,
    pub thing_principal_type: Option<&'a str>,
    pub endpoint_type: Option<&'a str>,
    /// pageSize or maxResults: 1–250.
    pub page_size: Option<(&'static str, i64)>,
}

fn error(member: &'static str, rule: Rule, message: String) -> Problem {
    Problem { path: FieldPath::root().key(member), severity: Severity::Error, rule, message }
}

/// Why a certificateId is not one: 64 hexadecimal characters (the model's
/// length, and pattern `(0x)?[a-fA-F0-9]+`).
pub fn certificate_id_fault(id: &str) -> Option<String> {
    let hex = id.strip_prefix("0x").unwrap_or(id);
    if id.chars().count() != 64 {
        return Some(format!("certificateId {} has {} characters; it has 64", quote(id), id.chars().count()));
    }
    (!hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("certificateId {} is not hexadecimal (0-9, a-f)", quote(id)))
}

/// Judges a device request.
pub fn validate_device_request(r: &DeviceRequest<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(fault) = r.certificate_id.and_then(certificate_id_fault) {
        out.push(error("certificateId", Rule::CertificateId, fault));
    }
    if let Some(status) = r.new_status {
        if !CERTIFICATE_STATUSES.contains(&status) {
            out.push(error(
                "newStatus",
                Rule::EnumValue,
                format!("newStatus is {}; use one of {}", quote(status), SETTABLE_STATUSES.join(", ")),
            ));
        } else if !SETTABLE_STATUSES.contains(&status) {
            out.push(error(
                "newStatus",
                Rule::EnumValue,
                format!(
                    "newStatus {status} is set by the service itself (transfers, registration); use one of {}",
                    SETTABLE_STATUSES.join(", ")
                ),
            ));
        }
    }
    if let Some(fault) = r.thing_name.and_then(resource_name_fault) {
        out.push(error("thingName", Rule::ThingName, format!("thingName {fault}")));
    }
    if r.principal.is_some_and(str::is_empty) {
        out.push(error("principal", Rule::EnumValue, "principal is empty; give a certificate's ARN".to_owned()));
    }
    for (member, value, allowed) in [
        ("thingPrincipalType", r.thing_principal_type, THING_PRINCIPAL_TYPES),
        ("endpointType", r.endpoint_type, ENDPOINT_TYPES),
    ] {
        if let Some(v) = value.filter(|v| !allowed.contains(v)) {
            out.push(error(
                member,
                Rule::EnumValue,
                format!("{member} is {}; use one of {}", quote(v), allowed.join(", ")),
            ));
        }
    }
    if let Some((member, n)) = r.page_size.filter(|(_, n)| !(1..=250).contains(n)) {
        out.push(error(member, Rule::EnumValue, format!("{member} is {n}; use 1 to 250")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_statuses_and_types_are_judged() {
        let id = "0123456789abcdef".repeat(4);
        assert!(validate_device_request(&DeviceRequest { certificate_id: Some(&id), ..Default::default() }).is_empty());
        assert!(certificate_id_fault("abc").unwrap().contains("64"));
        assert!(certificate_id_fault(&"z".repeat(64)).unwrap().contains("hexadecimal"));
        let p = validate_device_request(&DeviceRequest { new_status: Some("PENDING_TRANSFER"), ..Default::default() });
        assert!(p[0].message.contains("set by the service"), "{p:?}");
        let p = validate_device_request(&DeviceRequest {
            endpoint_type: Some("iot:Nope"),
            thing_principal_type: Some("ALL"),
            page_size: Some(("pageSize", 0)),
            ..Default::default()
        });
        assert_eq!(p.len(), 3, "{p:?}");
    }
}
