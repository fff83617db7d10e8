//! ListMetricValues over the metric data things reported (shapes from the
//! IoT model); the data itself is kept by `store::series`.

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::resource::{answer, decode_token, encode_token, page_size};
use super::store::series;
use crate::domain::metric_data::{MetricKey, Reported};
use crate::wire::response::Page;

/// The query of ListMetricValues.
#[derive(Debug, Default)]
pub struct MetricValuesQuery<'a> {
    pub thing_name: Option<&'a str>,
    pub metric_name: Option<&'a str>,
    pub dimension_name: Option<&'a str>,
    pub dimension_value_operator: Option<&'a str>,
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
}

/// ListMetricValues: a thing's values of a metric between startTime
/// (inclusive) and endTime (exclusive), oldest first, as
/// `{metricDatumList: [{timestamp, value: MetricValue}], nextToken}`.
///
/// Errors: InvalidRequestException for a missing thingName, metricName,
/// startTime or endTime (all required by the model), or an operator other
/// than IN / NOT_IN.
pub fn list_metric_values(
    tx: &Transaction,
    q: MetricValuesQuery<'_>,
    next_token: Option<&str>,
    max_results: Option<i64>,
) -> Result<Value, ApiError> {
    let required = |name: &str| ApiError::invalid(format!("1 validation error detected: {name} must not be null"));
    let thing = q.thing_name.ok_or_else(|| required("thingName"))?;
    let metric = q.metric_name.ok_or_else(|| required("metricName"))?;
    let start = q.start_time.ok_or_else(|| required("startTime"))?;
    let end = q.end_time.ok_or_else(|| required("endTime"))?;
    super::errors::refuse(&crate::domain::rules::validate_violation_query(&crate::domain::rules::ViolationQuery {
        thing_name: Some(thing),
        metric_name: Some(metric),
        dimension_name: q.dimension_name,
        dimension_value_operator: q.dimension_value_operator,
        start_time: Some(start),
        end_time: Some(end),
        max_results,
        ..Default::default()
    }))?;
    let operator = q.dimension_value_operator.unwrap_or("IN");
    let size = page_size(max_results)?;
    let after =
        decode_token(next_token)?.map(|t| t.parse::<i64>().map_err(|_| ApiError::invalid("The nextToken is invalid")));
    let from = match after.transpose()? {
        Some(t) => t.saturating_add(1),
        None => start,
    };
    let key = MetricKey {
        metric: metric.to_owned(),
        dimension: q.dimension_name.map(|d| (d.to_owned(), operator.to_owned())),
    };
    let mut list = Vec::new();
    let mut next = None;
    if let Some(id) = series::id_of(tx, thing, &key)? {
        for series::Stored { time, number, is_number, other } in series::values(tx, id, from, end, size + 1)? {
            if list.len() == size {
                next = list.last().and_then(|d: &Value| d["timestamp"].as_i64()).map(|t| encode_token(&t.to_string()));
                break;
            }
            let value = match (number, other) {
                (Some(n), _) => serde_json::to_value(Reported::Number(n).to_metric_value(is_number))?,
                (None, Some(doc)) => serde_json::from_str(&doc)?,
                (None, None) => json!({}),
            };
            list.push(json!({"timestamp": time, "value": value}));
        }
    }
    answer(Page::new("metricDatumList", list, next))
}
