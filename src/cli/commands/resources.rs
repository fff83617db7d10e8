//! The dimension and custom metric commands, named as the AWS CLI names them:
//! `create-`, `update-`, `describe-`, `list-` and `delete-dimension(s)` and
//! `…-custom-metric(s)`. Options, files, skeletons, pagination and outputs as
//! the CLI's; every request is judged by the same pure rules as the sandbox
//! (names, types, topic filters and their wildcards, display names, tags,
//! clientRequestToken) before anything is sent.

use clap::Args;
use serde_json::json;

use super::{InputArgs, bad_parameter, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::pagination::{PageArgs, list_command};
use crate::client::resources;
use crate::domain::{Context, CustomMetricRequest, DimensionRequest, validate_custom_metric, validate_dimension};
use crate::wire::params;
use crate::wire::request::{
    CreateCustomMetricRequest, CreateDimensionRequest, CustomMetricNameRequest, DimensionNameRequest, ListPageRequest,
    Operation, UpdateCustomMetricRequest, UpdateDimensionRequest,
};

/// `--tags` as the CLI takes it (shorthand items or JSON, `file://`).
fn tags(values: &Option<Vec<String>>) -> Result<Option<Vec<crate::domain::profile::Tag>>, u8> {
    let Some(values) = values else { return Ok(None) };
    let loaded = super::create::loaded("tags", values).map_err(|e| bad_parameter(&e))?;
    params::tags(&loaded).map(Some).map_err(|e| bad_parameter(&e.to_string()))
}

/// `--string-values` as the CLI takes it: one topic filter per argument, or a JSON list.
fn string_values(values: &Option<Vec<String>>) -> Result<Option<Vec<String>>, u8> {
    let Some(values) = values else { return Ok(None) };
    let loaded = super::create::loaded("string-values", values).map_err(|e| bad_parameter(&e))?;
    params::retain_v1(&loaded).map(Some).map_err(|e| bad_parameter(&e.to_string()))
}

#[derive(Debug, Clone, Args)]
pub struct DimensionArgs {
    /// The dimension's name.
    #[arg(long)]
    pub name: Option<String>,
    /// The dimension type: TOPIC_FILTER (create-dimension).
    #[arg(long = "type")]
    pub dimension_type: Option<String>,
    /// MQTT topic filters, one per argument (wildcards + and # allowed) or a JSON list.
    #[arg(long, num_args = 1..)]
    pub string_values: Option<Vec<String>>,
    /// Tags: Key=K,Value=V … or JSON (create-dimension).
    #[arg(long, num_args = 1..)]
    pub tags: Option<Vec<String>>,
    /// An idempotency token (create-dimension; one is made when left out).
    #[arg(long)]
    pub client_request_token: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// create-dimension or update-dimension.
pub fn run_write_dimension(args: DimensionArgs, global: &GlobalArgs, create: bool) -> u8 {
    let operation = if create { Operation::CreateDimension } else { Operation::UpdateDimension };
    if let Some(code) = args.input.skeleton(operation) {
        return code;
    }
    if !create {
        let given = [
            ("--type", args.dimension_type.is_some()),
            ("--tags", args.tags.is_some()),
            ("--client-request-token", args.client_request_token.is_some()),
        ];
        if let Some((option, _)) = given.iter().find(|(_, set)| *set) {
            return bad_parameter(&format!(
                "{option} is not an option of update-dimension (only --name and --string-values are)"
            ));
        }
    }
    let (mut req, tag_values, values) = match (
        if create {
            args.input.read::<CreateDimensionRequest>()
        } else {
            args.input.read::<UpdateDimensionRequest>().map(|u| CreateDimensionRequest {
                name: u.name,
                string_values: u.string_values,
                ..CreateDimensionRequest::default()
            })
        },
        tags(&args.tags),
        string_values(&args.string_values),
    ) {
        (Ok(r), Ok(t), Ok(v)) => (r, t, v),
        (Err(code), _, _) | (_, Err(code), _) | (_, _, Err(code)) => return code,
    };
    if let Some(n) = args.name {
        req.name = n;
    }
    req.dimension_type = args.dimension_type.or(req.dimension_type);
    req.string_values = values.or(req.string_values);
    req.tags = tag_values.or(req.tags);
    req.client_request_token = args.client_request_token.or(req.client_request_token);
    if req.name.is_empty() {
        return missing("--name");
    }
    if create && req.dimension_type.is_none() {
        return missing("--type");
    }
    let Some(values) = req.string_values.clone() else { return missing("--string-values") };
    let view = DimensionRequest {
        name: &req.name,
        dimension_type: req.dimension_type.as_deref(),
        string_values: Some(&values),
        tags: req.tags.as_deref(),
        client_request_token: req.client_request_token.as_deref(),
    };
    if let Err(code) = check(&validate_dimension(&view, &Context::offline())) {
        return code;
    }
    let title = if create { "CreateDimension" } else { "UpdateDimension" };
    execute(global, title, move |c| {
        Box::pin(async move {
            if create {
                let token = req.client_request_token.as_deref();
                resources::create_dimension(c, &req.name, &values, &req.tags, token).await
            } else {
                resources::update_dimension(c, &req.name, &values).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct DimensionNameArgs {
    /// The dimension's name.
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// describe-dimension or delete-dimension.
pub fn run_dimension_by_name(args: DimensionNameArgs, global: &GlobalArgs, delete: bool) -> u8 {
    let operation = if delete { Operation::DeleteDimension } else { Operation::DescribeDimension };
    let mut req: DimensionNameRequest = match args.input.request(operation) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.name {
        req.name = n;
    }
    if req.name.is_empty() {
        return missing("--name");
    }
    let view = DimensionRequest { name: &req.name, ..DimensionRequest::default() };
    if let Err(code) = check(&validate_dimension(&view, &Context::offline())) {
        return code;
    }
    let title = if delete { "DeleteDimension" } else { "DescribeDimension" };
    execute(global, title, move |c| {
        Box::pin(async move {
            if delete {
                resources::delete_dimension(c, &req.name).await?;
                Ok(json!({}))
            } else {
                resources::describe_dimension(c, &req.name).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct CustomMetricArgs {
    /// The custom metric's name (not starting with aws:).
    #[arg(long)]
    pub metric_name: Option<String>,
    /// A name for the console and reports.
    #[arg(long)]
    pub display_name: Option<String>,
    /// string-list, ip-address-list, number-list or number (create-custom-metric).
    #[arg(long)]
    pub metric_type: Option<String>,
    /// Tags: Key=K,Value=V … or JSON (create-custom-metric).
    #[arg(long, num_args = 1..)]
    pub tags: Option<Vec<String>>,
    /// An idempotency token (create-custom-metric; one is made when left out).
    #[arg(long)]
    pub client_request_token: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// create-custom-metric or update-custom-metric.
pub fn run_write_custom_metric(args: CustomMetricArgs, global: &GlobalArgs, create: bool) -> u8 {
    let operation = if create { Operation::CreateCustomMetric } else { Operation::UpdateCustomMetric };
    if let Some(code) = args.input.skeleton(operation) {
        return code;
    }
    if !create {
        let given = [
            ("--metric-type", args.metric_type.is_some()),
            ("--tags", args.tags.is_some()),
            ("--client-request-token", args.client_request_token.is_some()),
        ];
        if let Some((option, _)) = given.iter().find(|(_, set)| *set) {
            return bad_parameter(&format!(
                "{option} is not an option of update-custom-metric (only --metric-name and --display-name are)"
            ));
        }
    }
    let (mut req, tag_values) = match (
        if create {
            args.input.read::<CreateCustomMetricRequest>()
        } else {
            args.input.read::<UpdateCustomMetricRequest>().map(|u| CreateCustomMetricRequest {
                metric_name: u.metric_name,
                display_name: u.display_name,
                ..CreateCustomMetricRequest::default()
            })
        },
        tags(&args.tags),
    ) {
        (Ok(r), Ok(t)) => (r, t),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if let Some(n) = args.metric_name {
        req.metric_name = n;
    }
    req.display_name = args.display_name.or(req.display_name);
    req.metric_type = args.metric_type.or(req.metric_type);
    req.tags = tag_values.or(req.tags);
    req.client_request_token = args.client_request_token.or(req.client_request_token);
    if req.metric_name.is_empty() {
        return missing("--metric-name");
    }
    if create && req.metric_type.is_none() {
        return missing("--metric-type");
    }
    if !create && req.display_name.is_none() {
        return missing("--display-name");
    }
    let view = CustomMetricRequest {
        metric_name: &req.metric_name,
        metric_type: req.metric_type.as_deref(),
        display_name: req.display_name.as_deref(),
        tags: req.tags.as_deref(),
        client_request_token: req.client_request_token.as_deref(),
    };
    if let Err(code) = check(&validate_custom_metric(&view, &Context::offline())) {
        return code;
    }
    let title = if create { "CreateCustomMetric" } else { "UpdateCustomMetric" };
    execute(global, title, move |c| {
        Box::pin(async move {
            let name = &req.metric_name;
            if create {
                let (kind, display) = (req.metric_type.as_deref().unwrap_or_default(), req.display_name.as_deref());
                let token = req.client_request_token.as_deref();
                resources::create_custom_metric(c, name, kind, display, &req.tags, token).await
            } else {
                resources::update_custom_metric(c, name, req.display_name.as_deref().unwrap_or_default()).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct CustomMetricNameArgs {
    /// The custom metric's name.
    #[arg(long)]
    pub metric_name: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// describe-custom-metric or delete-custom-metric.
pub fn run_custom_metric_by_name(args: CustomMetricNameArgs, global: &GlobalArgs, delete: bool) -> u8 {
    let operation = if delete { Operation::DeleteCustomMetric } else { Operation::DescribeCustomMetric };
    let mut req: CustomMetricNameRequest = match args.input.request(operation) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.metric_name {
        req.metric_name = n;
    }
    if req.metric_name.is_empty() {
        return missing("--metric-name");
    }
    let view = CustomMetricRequest { metric_name: &req.metric_name, ..CustomMetricRequest::default() };
    if let Err(code) = check(&validate_custom_metric(&view, &Context::offline())) {
        return code;
    }
    let title = if delete { "DeleteCustomMetric" } else { "DescribeCustomMetric" };
    execute(global, title, move |c| {
        Box::pin(async move {
            if delete {
                resources::delete_custom_metric(c, &req.metric_name).await?;
                Ok(json!({}))
            } else {
                resources::describe_custom_metric(c, &req.metric_name).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListNamesArgs {
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

/// list-dimensions or list-custom-metrics.
pub fn run_list_names(args: ListNamesArgs, global: &GlobalArgs, dimensions: bool) -> u8 {
    let operation = if dimensions { Operation::ListDimensions } else { Operation::ListCustomMetrics };
    let mut req: ListPageRequest = match args.input.request(operation) {
        Ok(r) => r,
        Err(code) => return code,
    };
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    let problems = crate::domain::validate_list(None, None, req.max_results);
    let max = req.max_results;
    let (title, key) =
        if dimensions { ("ListDimensions", "dimensionNames") } else { ("ListCustomMetrics", "metricNames") };
    list_command(global, &args.pages, &problems, title, key, req.next_token.clone(), move |c, token| {
        Box::pin(async move {
            if dimensions {
                resources::dimensions_page(c, token, max).await
            } else {
                resources::custom_metrics_page(c, token, max).await
            }
        })
    })
}
