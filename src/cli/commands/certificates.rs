//! The device commands, named as the AWS CLI names them:
//! `create-keys-and-certificate` (with `--certificate-pem-outfile`,
//! `--public-key-outfile` and `--private-key-outfile`, written as the CLI
//! writes them, the private key owner-only), `describe-certificate`,
//! `list-certificates`, `update-certificate`, `delete-certificate`,
//! `attach-thing-principal`, `detach-thing-principal`,
//! `list-thing-principals` and `describe-endpoint`. Options, files, skeletons
//! and outputs as the CLI's; every request is judged by the rules the
//! sandbox shares (`domain::rules::certificates`) before anything is sent.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{InputArgs, bad_parameter, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::input::flag;
use crate::cli::pagination::{PageArgs, list_command};
use crate::client::certificates as client;
use crate::domain::rules::certificates::{DeviceRequest, validate_device_request};
use crate::wire::request::{
    AttachThingPrincipalRequest, CertificateIdRequest, CreateKeysAndCertificateRequest, DeleteCertificateRequest,
    DescribeEndpointRequest, DetachThingPrincipalRequest, ListCertificatesRequest, ListThingPrincipalsRequest,
    Operation, UpdateCertificateRequest,
};

#[derive(Debug, Clone, Args)]
pub struct CreateKeysArgs {
    /// Make the certificate ACTIVE (else INACTIVE).
    #[arg(long, overrides_with = "no_set_as_active")]
    pub set_as_active: bool,
    #[arg(long)]
    pub no_set_as_active: bool,
    /// Write the certificate (PEM) to this file.
    #[arg(long)]
    pub certificate_pem_outfile: Option<PathBuf>,
    /// Write the public key (PEM) to this file.
    #[arg(long)]
    pub public_key_outfile: Option<PathBuf>,
    /// Write the private key (PEM) to this file, readable by its owner only.
    #[arg(long)]
    pub private_key_outfile: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Writes one of the outfiles; the private key is made owner-only before it holds anything.
fn write_outfile(path: &std::path::Path, text: &str, private: bool) -> Result<(), String> {
    let written = if private {
        crate::private_files::touch(path).and_then(|_| std::fs::write(path, text))
    } else {
        std::fs::write(path, text)
    };
    written
        .map_err(|e| format!("cannot write {}: {e}", crate::domain::untrusted::neutralise(&path.display().to_string())))
}

pub fn run_create_keys(args: CreateKeysArgs, global: &GlobalArgs) -> u8 {
    let mut req: CreateKeysAndCertificateRequest = match args.input.request(Operation::CreateKeysAndCertificate) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.set_as_active = flag(args.set_as_active, args.no_set_as_active).or(req.set_as_active);
    let outfiles = [
        (args.certificate_pem_outfile, "/certificatePem", false),
        (args.public_key_outfile, "/keyPair/PublicKey", false),
        (args.private_key_outfile, "/keyPair/PrivateKey", true),
    ];
    execute(global, "CreateKeysAndCertificate", move |c| {
        Box::pin(async move {
            let out = client::create_keys_and_certificate(c, req.set_as_active).await?;
            for (path, pointer, private) in &outfiles {
                if let (Some(path), Some(text)) = (path, out.pointer(pointer).and_then(|v| v.as_str())) {
                    write_outfile(path, text, *private).map_err(crate::client::ClientError::Other)?;
                }
            }
            Ok(out)
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct CertificateIdArgs {
    /// The certificate's ID (64 hexadecimal characters; the end of its ARN).
    #[arg(long)]
    pub certificate_id: Option<String>,
    /// delete-certificate: delete even when attached to policies (the sandbox has none).
    #[arg(long, overrides_with = "no_force_delete")]
    pub force_delete: bool,
    #[arg(long)]
    pub no_force_delete: bool,
    /// update-certificate: ACTIVE, INACTIVE or REVOKED.
    #[arg(long)]
    pub new_status: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Which of the three certificate commands `CertificateIdArgs` serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateCall {
    Describe,
    Update,
    Delete,
}

pub fn run_certificate(args: CertificateIdArgs, global: &GlobalArgs, call: CertificateCall) -> u8 {
    let operation = match call {
        CertificateCall::Describe => Operation::DescribeCertificate,
        CertificateCall::Update => Operation::UpdateCertificate,
        CertificateCall::Delete => Operation::DeleteCertificate,
    };
    if let Some(code) = args.input.skeleton(operation) {
        return code;
    }
    // The input document's members: the id, and forceDelete or newStatus.
    let read = match call {
        CertificateCall::Describe => args.input.read::<CertificateIdRequest>().map(|r| (r.certificate_id, None, None)),
        CertificateCall::Delete => {
            args.input.read::<DeleteCertificateRequest>().map(|r| (r.certificate_id, r.force_delete, None))
        }
        CertificateCall::Update => args
            .input
            .read::<UpdateCertificateRequest>()
            .map(|r| (r.certificate_id, None, Some(r.new_status).filter(|s| !s.is_empty()))),
    };
    let (mut id, mut force, mut status) = match read {
        Ok(members) => members,
        Err(code) => return code,
    };
    if let Some(given) = args.certificate_id {
        id = given;
    }
    force = flag(args.force_delete, args.no_force_delete).or(force);
    status = args.new_status.or(status);
    if id.is_empty() {
        return missing("--certificate-id");
    }
    if call == CertificateCall::Update && status.is_none() {
        return missing("--new-status");
    }
    let view = DeviceRequest { certificate_id: Some(&id), new_status: status.as_deref(), ..Default::default() };
    if let Err(code) = check(&validate_device_request(&view)) {
        return code;
    }
    let title = match call {
        CertificateCall::Describe => "DescribeCertificate",
        CertificateCall::Update => "UpdateCertificate",
        CertificateCall::Delete => "DeleteCertificate",
    };
    execute(global, title, move |c| {
        Box::pin(async move {
            match call {
                CertificateCall::Describe => client::describe_certificate(c, &id).await,
                CertificateCall::Update => {
                    client::update_certificate(c, &id, status.as_deref().unwrap_or_default()).await?;
                    Ok(json!({}))
                }
                CertificateCall::Delete => {
                    client::delete_certificate(c, &id, force).await?;
                    Ok(json!({}))
                }
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListCertificatesArgs {
    /// Oldest first (by creation date); newest first without it.
    #[arg(long, overrides_with = "no_ascending_order")]
    pub ascending_order: bool,
    #[arg(long)]
    pub no_ascending_order: bool,
    /// Resume after this marker (with --no-paginate).
    #[arg(long)]
    pub marker: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list_certificates(args: ListCertificatesArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListCertificatesRequest = match args.input.request(Operation::ListCertificates) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.ascending_order = flag(args.ascending_order, args.no_ascending_order).or(req.ascending_order);
    req.page_size = args.pages.size_or(req.page_size);
    let marker = args.marker.clone().or(args.pages.next_token.clone()).or(req.marker.clone());
    let problems = validate_device_request(&DeviceRequest {
        page_size: req.page_size.map(|n| ("pageSize", n)),
        ..Default::default()
    });
    list_command(global, &args.pages, &problems, "ListCertificates", "certificates", marker, move |c, token| {
        let (size, ascending) = (req.page_size, req.ascending_order);
        Box::pin(async move { client::certificates_page(c, size, ascending, token).await })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ThingPrincipalArgs {
    /// The thing.
    #[arg(long)]
    pub thing_name: Option<String>,
    /// The principal: a certificate's ARN.
    #[arg(long)]
    pub principal: Option<String>,
    /// attach-thing-principal: EXCLUSIVE_THING or NON_EXCLUSIVE_THING.
    #[arg(long)]
    pub thing_principal_type: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_thing_principal(args: ThingPrincipalArgs, global: &GlobalArgs, attach: bool) -> u8 {
    let operation = if attach { Operation::AttachThingPrincipal } else { Operation::DetachThingPrincipal };
    if let Some(code) = args.input.skeleton(operation) {
        return code;
    }
    let doc = if attach {
        args.input.read::<AttachThingPrincipalRequest>()
    } else {
        args.input.read::<DetachThingPrincipalRequest>().map(|d| AttachThingPrincipalRequest {
            thing_name: d.thing_name,
            principal: d.principal,
            thing_principal_type: None,
        })
    };
    let mut req = match doc {
        Ok(r) => r,
        Err(code) => return code,
    };
    if !attach && args.thing_principal_type.is_some() {
        return bad_parameter("--thing-principal-type is an option of attach-thing-principal only");
    }
    if let Some(t) = args.thing_name {
        req.thing_name = t;
    }
    if let Some(p) = args.principal {
        req.principal = p;
    }
    req.thing_principal_type = args.thing_principal_type.or(req.thing_principal_type);
    if req.thing_name.is_empty() {
        return missing("--thing-name");
    }
    if req.principal.is_empty() {
        return missing("--principal");
    }
    let view = DeviceRequest {
        thing_name: Some(&req.thing_name),
        principal: Some(&req.principal),
        thing_principal_type: req.thing_principal_type.as_deref(),
        ..Default::default()
    };
    if let Err(code) = check(&validate_device_request(&view)) {
        return code;
    }
    let title = if attach { "AttachThingPrincipal" } else { "DetachThingPrincipal" };
    execute(global, title, move |c| {
        Box::pin(async move {
            if attach {
                client::attach_thing_principal(c, &req.thing_name, &req.principal, req.thing_principal_type.as_deref())
                    .await?;
            } else {
                client::detach_thing_principal(c, &req.thing_name, &req.principal).await?;
            }
            Ok(json!({}))
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListThingPrincipalsArgs {
    /// The thing.
    #[arg(long)]
    pub thing_name: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list_thing_principals(args: ListThingPrincipalsArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListThingPrincipalsRequest = match args.input.request(Operation::ListThingPrincipals) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(t) = args.thing_name.clone() {
        req.thing_name = t;
    }
    if req.thing_name.is_empty() {
        return missing("--thing-name");
    }
    req.max_results = args.pages.size_or(req.max_results);
    let next_token = args.pages.next_token.clone().or(req.next_token.clone());
    let problems = validate_device_request(&DeviceRequest {
        thing_name: Some(&req.thing_name),
        page_size: req.max_results.map(|n| ("maxResults", n)),
        ..Default::default()
    });
    list_command(global, &args.pages, &problems, "ListThingPrincipals", "principals", next_token, move |c, token| {
        let (thing, max) = (req.thing_name.clone(), req.max_results);
        Box::pin(async move { client::thing_principals_page(c, &thing, max, token).await })
    })
}

#[derive(Debug, Clone, Args)]
pub struct DescribeEndpointArgs {
    /// iot:Data-ATS (the MQTT endpoint), iot:Data, iot:CredentialProvider or iot:Jobs.
    #[arg(long)]
    pub endpoint_type: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_describe_endpoint(args: DescribeEndpointArgs, global: &GlobalArgs) -> u8 {
    let mut req: DescribeEndpointRequest = match args.input.request(Operation::DescribeEndpoint) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.endpoint_type = args.endpoint_type.or(req.endpoint_type).filter(|t| !t.is_empty());
    let view = DeviceRequest { endpoint_type: req.endpoint_type.as_deref(), ..Default::default() };
    if let Err(code) = check(&validate_device_request(&view)) {
        return code;
    }
    execute(global, "DescribeEndpoint", move |c| {
        Box::pin(async move { client::describe_endpoint(c, req.endpoint_type.as_deref()).await })
    })
}
