//! The device operations (CreateKeysAndCertificate, DescribeCertificate,
//! ListCertificates, UpdateCertificate, DeleteCertificate,
//! AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals,
//! DescribeEndpoint), with the AWS CLI's JSON out: members in the model's
//! order, unset ones left out.

use serde_json::{Value, json};

use super::convert::{epoch_seconds, object};
use super::targets::Page;
use super::{ClientError, Connection};

fn text(v: Option<&str>) -> Option<Value> {
    v.map(|v| json!(v))
}

pub async fn create_keys_and_certificate(c: &Connection, set_as_active: Option<bool>) -> Result<Value, ClientError> {
    let out = c
        .client
        .create_keys_and_certificate()
        .set_set_as_active(set_as_active)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CreateKeysAndCertificate", &c.endpoint, e))?;
    Ok(object(vec![
        ("certificateArn", text(out.certificate_arn())),
        ("certificateId", text(out.certificate_id())),
        ("certificatePem", text(out.certificate_pem())),
        (
            "keyPair",
            out.key_pair()
                .map(|k| object(vec![("PublicKey", text(k.public_key())), ("PrivateKey", text(k.private_key()))])),
        ),
    ]))
}

pub async fn describe_certificate(c: &Connection, id: &str) -> Result<Value, ClientError> {
    let out = c
        .client
        .describe_certificate()
        .certificate_id(id)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeCertificate", &c.endpoint, e))?;
    let d = out.certificate_description();
    Ok(object(vec![(
        "certificateDescription",
        d.map(|d| {
            object(vec![
                ("certificateArn", text(d.certificate_arn())),
                ("certificateId", text(d.certificate_id())),
                ("caCertificateId", text(d.ca_certificate_id())),
                ("status", d.status().map(|s| json!(s.as_str()))),
                ("certificatePem", text(d.certificate_pem())),
                ("ownedBy", text(d.owned_by())),
                ("previousOwnedBy", text(d.previous_owned_by())),
                ("creationDate", epoch_seconds(&d.creation_date).map(|t| json!(t))),
                ("lastModifiedDate", epoch_seconds(&d.last_modified_date).map(|t| json!(t))),
                ("customerVersion", d.customer_version().map(|v| json!(v))),
                ("generationId", text(d.generation_id())),
                (
                    "validity",
                    d.validity().map(|v| {
                        object(vec![
                            ("notBefore", epoch_seconds(&v.not_before).map(|t| json!(t))),
                            ("notAfter", epoch_seconds(&v.not_after).map(|t| json!(t))),
                        ])
                    }),
                ),
                ("certificateMode", d.certificate_mode().map(|m| json!(m.as_str()))),
            ])
        }),
    )]))
}

/// One page of ListCertificates: the certificates and the next marker.
pub async fn certificates_page(
    c: &Connection,
    page_size: Option<i64>,
    ascending: Option<bool>,
    marker: Option<String>,
) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_certificates()
        .set_page_size(page_size.map(|n| n as i32))
        .set_ascending_order(ascending)
        .set_marker(marker)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListCertificates", &c.endpoint, e))?;
    let items = out
        .certificates()
        .iter()
        .map(|x| {
            object(vec![
                ("certificateArn", text(x.certificate_arn())),
                ("certificateId", text(x.certificate_id())),
                ("status", x.status().map(|s| json!(s.as_str()))),
                ("certificateMode", x.certificate_mode().map(|m| json!(m.as_str()))),
                ("creationDate", epoch_seconds(&x.creation_date).map(|t| json!(t))),
            ])
        })
        .collect();
    Ok((items, out.next_marker().map(str::to_owned)))
}

pub async fn update_certificate(c: &Connection, id: &str, status: &str) -> Result<(), ClientError> {
    c.client
        .update_certificate()
        .certificate_id(id)
        .new_status(aws_sdk_iot::types::CertificateStatus::from(status))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("UpdateCertificate", &c.endpoint, e))?;
    Ok(())
}

pub async fn delete_certificate(c: &Connection, id: &str, force: Option<bool>) -> Result<(), ClientError> {
    c.client
        .delete_certificate()
        .certificate_id(id)
        .set_force_delete(force)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DeleteCertificate", &c.endpoint, e))?;
    Ok(())
}

pub async fn attach_thing_principal(
    c: &Connection,
    thing: &str,
    principal: &str,
    principal_type: Option<&str>,
) -> Result<(), ClientError> {
    c.client
        .attach_thing_principal()
        .thing_name(thing)
        .principal(principal)
        .set_thing_principal_type(principal_type.map(aws_sdk_iot::types::ThingPrincipalType::from))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("AttachThingPrincipal", &c.endpoint, e))?;
    Ok(())
}

pub async fn detach_thing_principal(c: &Connection, thing: &str, principal: &str) -> Result<(), ClientError> {
    c.client
        .detach_thing_principal()
        .thing_name(thing)
        .principal(principal)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DetachThingPrincipal", &c.endpoint, e))?;
    Ok(())
}

/// One page of ListThingPrincipals: the principals' ARNs and the next token.
pub async fn thing_principals_page(
    c: &Connection,
    thing: &str,
    max_results: Option<i64>,
    token: Option<String>,
) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_thing_principals()
        .thing_name(thing)
        .set_max_results(max_results.map(|n| n as i32))
        .set_next_token(token)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListThingPrincipals", &c.endpoint, e))?;
    Ok((out.principals().iter().map(|p| json!(p)).collect(), out.next_token().map(str::to_owned)))
}

pub async fn describe_endpoint(c: &Connection, endpoint_type: Option<&str>) -> Result<Value, ClientError> {
    let out = c
        .client
        .describe_endpoint()
        .set_endpoint_type(endpoint_type.map(str::to_owned))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeEndpoint", &c.endpoint, e))?;
    Ok(object(vec![("endpointAddress", text(out.endpoint_address()))]))
}
