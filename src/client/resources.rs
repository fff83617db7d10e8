//! The resources behaviors refer to: dimensions (CreateDimension,
//! UpdateDimension, DescribeDimension, ListDimensions, DeleteDimension) and
//! custom metrics (the same five for custom metrics), with the AWS CLI's JSON
//! out. A create without a clientRequestToken gets a fresh one, as the SDKs
//! and the CLI fill in an idempotency token.

use serde_json::{Value, json};

use super::convert::{epoch_seconds, object, tags_to_sdk};
use super::targets::Page;
use super::{ClientError, Connection};
use crate::domain::profile::Tag;

fn token(given: Option<&str>) -> String {
    given.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

fn sdk_tags(tags: &Option<Vec<Tag>>) -> Result<Option<Vec<aws_sdk_iot::types::Tag>>, ClientError> {
    tags_to_sdk(tags).map_err(|e| ClientError::Request(e.to_string()))
}

pub async fn create_dimension(
    c: &Connection,
    name: &str,
    string_values: &[String],
    tags: &Option<Vec<Tag>>,
    client_request_token: Option<&str>,
) -> Result<Value, ClientError> {
    let out = c
        .client
        .create_dimension()
        .name(name)
        .r#type(aws_sdk_iot::types::DimensionType::TopicFilter)
        .set_string_values(Some(string_values.to_vec()))
        .set_tags(sdk_tags(tags)?)
        .client_request_token(token(client_request_token))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CreateDimension", &c.endpoint, e))?;
    Ok(object(vec![("name", out.name().map(|v| json!(v))), ("arn", out.arn().map(|v| json!(v)))]))
}

/// DescribeDimension's and UpdateDimension's members.
macro_rules! dimension {
    ($out:expr) => {
        object(vec![
            ("name", $out.name().map(|v| json!(v))),
            ("arn", $out.arn().map(|v| json!(v))),
            ("type", $out.r#type().map(|t| json!(t.as_str()))),
            ("stringValues", $out.string_values.as_ref().map(|v| json!(v))),
            ("creationDate", epoch_seconds(&$out.creation_date).map(|t| json!(t))),
            ("lastModifiedDate", epoch_seconds(&$out.last_modified_date).map(|t| json!(t))),
        ])
    };
}

pub async fn update_dimension(c: &Connection, name: &str, string_values: &[String]) -> Result<Value, ClientError> {
    let out = c
        .client
        .update_dimension()
        .name(name)
        .set_string_values(Some(string_values.to_vec()))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("UpdateDimension", &c.endpoint, e))?;
    Ok(dimension!(out))
}

pub async fn describe_dimension(c: &Connection, name: &str) -> Result<Value, ClientError> {
    let out = c
        .client
        .describe_dimension()
        .name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeDimension", &c.endpoint, e))?;
    Ok(dimension!(out))
}

pub async fn delete_dimension(c: &Connection, name: &str) -> Result<(), ClientError> {
    c.client
        .delete_dimension()
        .name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DeleteDimension", &c.endpoint, e))?;
    Ok(())
}

pub async fn dimensions_page(c: &Connection, next: Option<String>, max: Option<i64>) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_dimensions()
        .set_next_token(next)
        .set_max_results(super::targets::page_size(max))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListDimensions", &c.endpoint, e))?;
    Ok((out.dimension_names().iter().map(|n| json!(n)).collect(), out.next_token().map(str::to_owned)))
}

pub async fn create_custom_metric(
    c: &Connection,
    name: &str,
    metric_type: &str,
    display_name: Option<&str>,
    tags: &Option<Vec<Tag>>,
    client_request_token: Option<&str>,
) -> Result<Value, ClientError> {
    let out = c
        .client
        .create_custom_metric()
        .metric_name(name)
        .metric_type(aws_sdk_iot::types::CustomMetricType::from(metric_type))
        .set_display_name(display_name.map(str::to_owned))
        .set_tags(sdk_tags(tags)?)
        .client_request_token(token(client_request_token))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CreateCustomMetric", &c.endpoint, e))?;
    Ok(object(vec![
        ("metricName", out.metric_name().map(|v| json!(v))),
        ("metricArn", out.metric_arn().map(|v| json!(v))),
    ]))
}

/// DescribeCustomMetric's and UpdateCustomMetric's members.
macro_rules! custom_metric {
    ($out:expr) => {
        object(vec![
            ("metricName", $out.metric_name().map(|v| json!(v))),
            ("metricArn", $out.metric_arn().map(|v| json!(v))),
            ("metricType", $out.metric_type().map(|t| json!(t.as_str()))),
            ("displayName", $out.display_name().map(|v| json!(v))),
            ("creationDate", epoch_seconds(&$out.creation_date).map(|t| json!(t))),
            ("lastModifiedDate", epoch_seconds(&$out.last_modified_date).map(|t| json!(t))),
        ])
    };
}

pub async fn update_custom_metric(c: &Connection, name: &str, display_name: &str) -> Result<Value, ClientError> {
    let out = c
        .client
        .update_custom_metric()
        .metric_name(name)
        .display_name(display_name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("UpdateCustomMetric", &c.endpoint, e))?;
    Ok(custom_metric!(out))
}

pub async fn describe_custom_metric(c: &Connection, name: &str) -> Result<Value, ClientError> {
    let out = c
        .client
        .describe_custom_metric()
        .metric_name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeCustomMetric", &c.endpoint, e))?;
    Ok(custom_metric!(out))
}

pub async fn delete_custom_metric(c: &Connection, name: &str) -> Result<(), ClientError> {
    c.client
        .delete_custom_metric()
        .metric_name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DeleteCustomMetric", &c.endpoint, e))?;
    Ok(())
}

pub async fn custom_metrics_page(c: &Connection, next: Option<String>, max: Option<i64>) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_custom_metrics()
        .set_next_token(next)
        .set_max_results(super::targets::page_size(max))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListCustomMetrics", &c.endpoint, e))?;
    Ok((out.metric_names().iter().map(|n| json!(n)).collect(), out.next_token().map(str::to_owned)))
}
