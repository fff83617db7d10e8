//! Device certificates and the things they are attached to, as AWS IoT keeps
//! them (shapes and errors from the IoT model): CreateKeysAndCertificate,
//! DescribeCertificate, ListCertificates, UpdateCertificate,
//! DeleteCertificate, AttachThingPrincipal, DetachThingPrincipal,
//! ListThingPrincipals, and DescribeEndpoint.
//!
//! Only an ACTIVE certificate this sandbox issued connects to its MQTT
//! listeners (`mqtt::tls` asks `status`). Choices the documentation leaves
//! open, named:
//! - A REVOKED certificate stays revoked: UpdateCertificate to anything else
//!   is CertificateStateException. (A choice: the API reference does not say
//!   whether revocation can be undone; the console offers no way back, and a
//!   device fleet should be able to rely on a revocation.)
//! - PENDING_TRANSFER, REGISTER_INACTIVE and PENDING_ACTIVATION are the
//!   service's own states (transfers, registration): UpdateCertificate to one
//!   of them is InvalidRequestException.
//! - AttachThingPrincipal's principal must be a certificate of this sandbox
//!   (it has no Cognito identities or IAM principals); thingPrincipalType
//!   EXCLUSIVE_THING refuses a certificate already attached to another thing.

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::devices::Devices;
use super::errors::{ApiError, refuse};
use super::resource::{Env, answer, check_name, decode_token, encode_token, page_size};
use super::store::certificates as store;
use super::things;
use crate::domain::rules::certificates::{DeviceRequest, validate_device_request};
use crate::wire::response::{Empty, Page};

pub const KIND: &str = "cert";

/// A certificate as DescribeCertificate returns it (CertificateDescription).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Description {
    certificate_arn: String,
    certificate_id: String,
    status: String,
    certificate_pem: String,
    owned_by: String,
    creation_date: f64,
    last_modified_date: f64,
    customer_version: i64,
    generation_id: String,
    validity: Validity,
    certificate_mode: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Validity {
    not_before: f64,
    not_after: f64,
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("The certificate {id} does not exist"))
}

/// certificateId: 64 hexadecimal characters (the rule the commands share).
fn check_id(id: &str) -> Result<(), ApiError> {
    refuse(&validate_device_request(&DeviceRequest { certificate_id: Some(id), ..Default::default() }))
}

fn load(tx: &Transaction, id: &str) -> Result<Description, ApiError> {
    check_id(id)?;
    let doc = store::get(tx, &id.to_ascii_lowercase())?.ok_or_else(|| not_found(id))?;
    Ok(serde_json::from_str(&doc)?)
}

fn save(tx: &Transaction, d: &Description) -> Result<(), ApiError> {
    store::put(tx, &d.certificate_id, &d.status, d.creation_date, &serde_json::to_string(d)?)
}

/// CreateKeysAndCertificate: a new key pair and a certificate for it signed
/// by the sandbox's CA; ACTIVE when `setAsActive`, else INACTIVE. Answers
/// `{certificateArn, certificateId, certificatePem, keyPair: {PublicKey, PrivateKey}}`.
pub fn create(tx: &Transaction, env: &Env, devices: &Devices, set_as_active: bool) -> Result<Value, ApiError> {
    let issued = devices
        .authority()
        .and_then(|a| a.issue(env.now.floor() as i64))
        .map_err(|e| ApiError::internal(format!("The certificate could not be made: {e}")))?;
    let arn = env.arn(KIND, &issued.certificate_id);
    let d = Description {
        certificate_arn: arn.clone(),
        certificate_id: issued.certificate_id.clone(),
        status: if set_as_active { "ACTIVE" } else { "INACTIVE" }.to_owned(),
        certificate_pem: issued.certificate_pem.clone(),
        owned_by: super::resource::ACCOUNT.to_owned(),
        creation_date: env.now,
        last_modified_date: env.now,
        customer_version: 1,
        generation_id: uuid::Uuid::new_v4().to_string(),
        validity: Validity { not_before: issued.not_before as f64, not_after: issued.not_after as f64 },
        certificate_mode: "DEFAULT".to_owned(),
    };
    save(tx, &d)?;
    Ok(json!({
        "certificateArn": arn,
        "certificateId": issued.certificate_id,
        "certificatePem": issued.certificate_pem,
        "keyPair": {"PublicKey": issued.public_key_pem, "PrivateKey": issued.private_key_pem},
    }))
}

pub fn describe(tx: &Transaction, id: &str) -> Result<Value, ApiError> {
    Ok(json!({ "certificateDescription": load(tx, id)? }))
}

/// ListCertificates: newest first unless `isAscendingOrder`; `pageSize`
/// 1–250; `marker` / `nextMarker` resume.
pub fn list(tx: &Transaction, page: Option<i64>, marker: Option<&str>, ascending: bool) -> Result<Value, ApiError> {
    let size = page_size(page).map_err(|_| {
        ApiError::invalid(format!(
            "1 validation error detected: Value '{}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 250",
            page.unwrap_or_default()
        ))
    })?;
    let resume = decode_token(marker).map_err(|_| ApiError::invalid("The marker is invalid"))?;
    let after = match &resume {
        Some(key) => {
            let (created, id) = key.split_once('|').ok_or_else(|| ApiError::invalid("The marker is invalid"))?;
            Some((created.parse::<f64>().map_err(|_| ApiError::invalid("The marker is invalid"))?, id))
        }
        None => None,
    };
    let mut docs = store::page(tx, after, ascending, size + 1)?;
    let more = docs.len() > size;
    docs.truncate(size);
    let mut items = Vec::new();
    let mut last = None;
    for doc in docs {
        let d: Description = serde_json::from_str(&doc)?;
        last = Some(format!("{}|{}", d.creation_date, d.certificate_id));
        items.push(json!({
            "certificateArn": d.certificate_arn,
            "certificateId": d.certificate_id,
            "status": d.status,
            "certificateMode": d.certificate_mode,
            "creationDate": d.creation_date,
        }));
    }
    let next = last.filter(|_| more).map(|last| encode_token(&last));
    answer(Page { token_member: "nextMarker", ..Page::new("certificates", items, next) })
}

/// UpdateCertificate: ACTIVE, INACTIVE or REVOKED; connections made with a
/// certificate that leaves ACTIVE are closed, as AWS IoT closes them.
///
/// Errors: an unknown status, or one only the service sets
/// (InvalidRequestException); a revoked certificate (CertificateStateException).
pub fn update(
    tx: &Transaction,
    env: &Env,
    devices: &Devices,
    id: &str,
    new_status: Option<&str>,
) -> Result<Value, ApiError> {
    let mut d = load(tx, id)?;
    let status =
        new_status.ok_or_else(|| ApiError::invalid("1 validation error detected: newStatus must not be null"))?;
    refuse(&validate_device_request(&DeviceRequest { new_status: Some(status), ..Default::default() }))?;
    if d.status == "REVOKED" && status != "REVOKED" {
        return Err(ApiError::certificate_state(format!(
            "The certificate {} is revoked and cannot be set to {status}",
            d.certificate_id
        )));
    }
    d.status = status.to_owned();
    d.last_modified_date = env.now;
    save(tx, &d)?;
    if status != "ACTIVE" {
        devices.certificate_left_active(&d.certificate_id);
    }
    answer(Empty {})
}

/// DeleteCertificate.
///
/// Errors: an ACTIVE certificate (CertificateStateException: deactivate it
/// first); one still attached to a thing (DeleteConflictException).
pub fn delete(tx: &Transaction, id: &str) -> Result<Value, ApiError> {
    let d = load(tx, id)?;
    if d.status == "ACTIVE" {
        return Err(ApiError::certificate_state(
            "Certificate must be deactivated (not ACTIVE) before deletion.".to_owned(),
        ));
    }
    let things = store::things_of(tx, &d.certificate_arn)?;
    if let Some(thing) = things.first() {
        return Err(ApiError::delete_conflict(format!(
            "Things must be detached before deletion (arn: {}): attached to {thing}",
            d.certificate_arn
        )));
    }
    store::remove(tx, &d.certificate_id)?;
    answer(Empty {})
}

/// The certificate a principal ARN names, if it is one of this region's.
fn certificate_of(env: &Env, principal: &str) -> Option<String> {
    match env.own_arn(principal) {
        Some((KIND, id)) => Some(id.to_ascii_lowercase()),
        _ => None,
    }
}

fn required_principal(principal: Option<&str>) -> Result<&str, ApiError> {
    principal
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::invalid("1 validation error detected: principal must not be null"))
}

/// AttachThingPrincipal: `principal` (the `x-amzn-principal` header) is a certificate's ARN.
pub fn attach(
    tx: &Transaction,
    env: &Env,
    thing: &str,
    principal: Option<&str>,
    principal_type: Option<&str>,
) -> Result<Value, ApiError> {
    check_name("thingName", thing)?;
    let principal = required_principal(principal)?;
    if !things::exists(tx, thing)? {
        return Err(things::not_found(thing));
    }
    refuse(&validate_device_request(&DeviceRequest { thing_principal_type: principal_type, ..Default::default() }))?;
    let exclusive = principal_type == Some("EXCLUSIVE_THING");
    let id = certificate_of(env, principal).ok_or_else(|| {
        ApiError::invalid(format!(
            "The principal {} is not a certificate ARN of this sandbox (arn:aws:iot:{}:{}:cert/ID)",
            crate::domain::untrusted::neutralise(principal),
            env.region,
            super::resource::ACCOUNT
        ))
    })?;
    let d = load(tx, &id)?;
    if exclusive && store::things_of(tx, &d.certificate_arn)?.iter().any(|t| t != thing) {
        return Err(ApiError::invalid(format!(
            "The certificate {} is already attached to another thing; EXCLUSIVE_THING allows one",
            d.certificate_id
        )));
    }
    store::attach(tx, thing, &d.certificate_arn)?;
    answer(Empty {})
}

/// DetachThingPrincipal; detaching what is not attached succeeds, as the API does.
pub fn detach(tx: &Transaction, thing: &str, principal: Option<&str>) -> Result<Value, ApiError> {
    check_name("thingName", thing)?;
    let principal = required_principal(principal)?;
    if !things::exists(tx, thing)? {
        return Err(things::not_found(thing));
    }
    store::detach(tx, thing, principal)?;
    answer(Empty {})
}

/// ListThingPrincipals: `{principals: [ARN], nextToken}`.
pub fn principals(tx: &Transaction, thing: &str, token: Option<&str>, max: Option<i64>) -> Result<Value, ApiError> {
    check_name("thingName", thing)?;
    if !things::exists(tx, thing)? {
        return Err(things::not_found(thing));
    }
    let size = page_size(max)?;
    let after = decode_token(token)?;
    let mut list = store::of_thing(tx, thing, after.as_deref(), size + 1)?;
    let more = list.len() > size;
    list.truncate(size);
    let next = list.last().filter(|_| more).map(|last| encode_token(last));
    answer(Page::new("principals", list, next))
}

/// DescribeEndpoint: the MQTT endpoint for `iot:Data-ATS` (and the legacy
/// `iot:Data`, and no type); the sandbox has no credentials provider or jobs endpoint.
pub fn endpoint(devices: &Devices, endpoint_type: Option<&str>) -> Result<Value, ApiError> {
    match endpoint_type {
        None | Some("iot:Data-ATS") | Some("iot:Data") => Ok(json!({ "endpointAddress": devices.data_endpoint() })),
        Some(t @ ("iot:CredentialProvider" | "iot:Jobs")) => {
            Err(ApiError::invalid(format!("The sandbox has no {t} endpoint; it serves iot:Data-ATS")))
        }
        Some(other) => Err(ApiError::invalid(format!(
            "{} is not an endpoint type: iot:Data, iot:Data-ATS, iot:CredentialProvider or iot:Jobs",
            crate::domain::untrusted::neutralise(other)
        ))),
    }
}

/// The status of the certificate with this id, for the MQTT listeners: only
/// an ACTIVE one may connect.
pub fn status(tx: &Transaction, id: &str) -> Result<Option<String>, ApiError> {
    store::status(tx, id)
}
