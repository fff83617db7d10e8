//! Whether a profile fires: ListActiveViolations, ListViolationEvents,
//! ListMetricValues, GetBehaviorModelTrainingSummaries and
//! PutVerificationStateOnViolation, with the AWS CLI's JSON out (timestamps
//! as epoch seconds, turned into the CLI's ISO 8601 by the output). List calls
//! answer one page: its items and the next token.

use aws_sdk_iot::primitives::DateTime;
use aws_sdk_iot::types as sdk;
use serde_json::{Value, json};

use super::convert::{behavior_from_sdk, epoch_seconds, metric_value_from_sdk};
use super::targets::{Page, page_size};
use super::{ClientError, Connection};
use crate::domain::metric_data::{Builder, MetricData, MetricKey, Reported};
use crate::domain::profile::MetricValue;
use crate::domain::targets::Target;
use crate::wire::request::{
    GetBehaviorModelTrainingSummariesRequest, ListActiveViolationsRequest, ListMetricValuesRequest,
    ListViolationEventsRequest, PutVerificationStateOnViolationRequest,
};
use crate::wire::time::TimeInput;

fn time(secs: i64) -> DateTime {
    DateTime::from_secs(secs)
}

/// Puts `key: value` into `item` when there is a value.
fn put(item: &mut Value, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        item[key] = v;
    }
}

fn metric_value(v: Option<&sdk::MetricValue>) -> Option<Value> {
    v.and_then(|v| serde_json::to_value(metric_value_from_sdk(v)).ok())
}

fn behavior(b: Option<&sdk::Behavior>) -> Option<Value> {
    b.and_then(|b| serde_json::to_value(behavior_from_sdk(b)).ok())
}

fn additional(info: Option<&sdk::ViolationEventAdditionalInfo>) -> Option<Value> {
    info.map(|i| json!({"confidenceLevel": i.confidence_level().map(|c| c.as_str())}))
}

/// An ActiveViolation as the CLI prints it.
pub fn active_json(v: &sdk::ActiveViolation) -> Value {
    let mut item = json!({});
    put(&mut item, "violationId", v.violation_id().map(|s| json!(s)));
    put(&mut item, "thingName", v.thing_name().map(|s| json!(s)));
    put(&mut item, "securityProfileName", v.security_profile_name().map(|s| json!(s)));
    put(&mut item, "behavior", behavior(v.behavior()));
    put(&mut item, "lastViolationValue", metric_value(v.last_violation_value()));
    put(&mut item, "violationEventAdditionalInfo", additional(v.violation_event_additional_info()));
    put(&mut item, "verificationState", v.verification_state().map(|s| json!(s.as_str())));
    put(&mut item, "verificationStateDescription", v.verification_state_description().map(|s| json!(s)));
    put(&mut item, "lastViolationTime", epoch_seconds(&v.last_violation_time).map(|t| json!(t)));
    put(&mut item, "violationStartTime", epoch_seconds(&v.violation_start_time).map(|t| json!(t)));
    item
}

pub async fn active_page(c: &Connection, req: &ListActiveViolationsRequest) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_active_violations()
        .set_thing_name(req.thing_name.clone())
        .set_security_profile_name(req.security_profile_name.clone())
        .set_behavior_criteria_type(req.behavior_criteria_type.as_deref().map(sdk::BehaviorCriteriaType::from))
        .set_list_suppressed_alerts(req.list_suppressed_alerts)
        .set_verification_state(req.verification_state.as_deref().map(sdk::VerificationState::from))
        .set_next_token(req.next_token.clone())
        .set_max_results(page_size(req.max_results))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListActiveViolations", &c.endpoint, e))?;
    let items = out.active_violations().iter().map(active_json).collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

/// The request's window as epoch seconds (the command has checked both are there and readable).
fn window(start: &Option<crate::wire::time::TimeInput>, end: &Option<crate::wire::time::TimeInput>) -> (i64, i64) {
    let secs = |t: &Option<crate::wire::time::TimeInput>| t.as_ref().and_then(|t| t.epoch_seconds().ok()).unwrap_or(0);
    (secs(start), secs(end))
}

pub async fn events_page(c: &Connection, req: &ListViolationEventsRequest) -> Result<Page, ClientError> {
    let (start, end) = window(&req.start_time, &req.end_time);
    let out = c
        .client
        .list_violation_events()
        .start_time(time(start))
        .end_time(time(end))
        .set_thing_name(req.thing_name.clone())
        .set_security_profile_name(req.security_profile_name.clone())
        .set_behavior_criteria_type(req.behavior_criteria_type.as_deref().map(sdk::BehaviorCriteriaType::from))
        .set_list_suppressed_alerts(req.list_suppressed_alerts)
        .set_verification_state(req.verification_state.as_deref().map(sdk::VerificationState::from))
        .set_next_token(req.next_token.clone())
        .set_max_results(page_size(req.max_results))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListViolationEvents", &c.endpoint, e))?;
    let items = out
        .violation_events()
        .iter()
        .map(|v| {
            let mut item = json!({});
            put(&mut item, "violationId", v.violation_id().map(|s| json!(s)));
            put(&mut item, "thingName", v.thing_name().map(|s| json!(s)));
            put(&mut item, "securityProfileName", v.security_profile_name().map(|s| json!(s)));
            put(&mut item, "behavior", behavior(v.behavior()));
            put(&mut item, "metricValue", metric_value(v.metric_value()));
            put(&mut item, "violationEventAdditionalInfo", additional(v.violation_event_additional_info()));
            put(&mut item, "violationEventType", v.violation_event_type().map(|s| json!(s.as_str())));
            put(&mut item, "verificationState", v.verification_state().map(|s| json!(s.as_str())));
            put(&mut item, "verificationStateDescription", v.verification_state_description().map(|s| json!(s)));
            put(&mut item, "violationEventTime", epoch_seconds(&v.violation_event_time).map(|t| json!(t)));
            item
        })
        .collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

pub async fn metric_values_page(c: &Connection, req: &ListMetricValuesRequest) -> Result<Page, ClientError> {
    let (start, end) = window(&req.start_time, &req.end_time);
    let out = c
        .client
        .list_metric_values()
        .set_thing_name(req.thing_name.clone())
        .set_metric_name(req.metric_name.clone())
        .set_dimension_name(req.dimension_name.clone())
        .set_dimension_value_operator(req.dimension_value_operator.as_deref().map(sdk::DimensionValueOperator::from))
        .start_time(time(start))
        .end_time(time(end))
        .set_max_results(page_size(req.max_results))
        .set_next_token(req.next_token.clone())
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListMetricValues", &c.endpoint, e))?;
    let items = out
        .metric_datum_list()
        .iter()
        .map(|d| {
            let mut item = json!({});
            put(&mut item, "timestamp", epoch_seconds(&d.timestamp).map(|t| json!(t)));
            put(&mut item, "value", metric_value(d.value()));
            item
        })
        .collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

pub async fn training_page(
    c: &Connection,
    req: &GetBehaviorModelTrainingSummariesRequest,
) -> Result<Page, ClientError> {
    let out = c
        .client
        .get_behavior_model_training_summaries()
        .set_security_profile_name(req.security_profile_name.clone())
        .set_max_results(page_size(req.max_results))
        .set_next_token(req.next_token.clone())
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("GetBehaviorModelTrainingSummaries", &c.endpoint, e))?;
    let items = out
        .summaries()
        .iter()
        .map(|s| {
            let mut item = json!({});
            put(&mut item, "securityProfileName", s.security_profile_name().map(|v| json!(v)));
            put(&mut item, "behaviorName", s.behavior_name().map(|v| json!(v)));
            put(
                &mut item,
                "trainingDataCollectionStartDate",
                epoch_seconds(&s.training_data_collection_start_date).map(|t| json!(t)),
            );
            put(&mut item, "modelStatus", s.model_status().map(|v| json!(v.as_str())));
            put(&mut item, "datapointsCollectionPercentage", s.datapoints_collection_percentage().map(|v| json!(v)));
            put(&mut item, "lastModelRefreshDate", epoch_seconds(&s.last_model_refresh_date).map(|t| json!(t)));
            item
        })
        .collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

pub async fn put_verification(c: &Connection, req: &PutVerificationStateOnViolationRequest) -> Result<(), ClientError> {
    c.client
        .put_verification_state_on_violation()
        .violation_id(&req.violation_id)
        .set_verification_state(req.verification_state.as_deref().map(sdk::VerificationState::from))
        .set_verification_state_description(req.verification_state_description.clone())
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("PutVerificationStateOnViolation", &c.endpoint, e))?;
    Ok(())
}

/// The things a target holds, as far as the API can list them: every
/// registered thing (ListThings), a thing group's members and its
/// descendants' (ListThingsInThingGroup, recursive). Unregistered things
/// cannot be listed; they are found only in metric data.
pub async fn things_of_target(c: &Connection, target: &Target) -> Result<Vec<String>, ClientError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (names, next) = match target {
            Target::AllUnregistered => return Ok(out),
            Target::AllRegistered => {
                let page = c
                    .client
                    .list_things()
                    .set_next_token(token.clone())
                    .max_results(250)
                    .send()
                    .await
                    .map_err(|e| ClientError::from_sdk("ListThings", &c.endpoint, e))?;
                let names: Vec<String> =
                    page.things().iter().filter_map(|t| t.thing_name().map(str::to_owned)).collect();
                (names, page.next_token().map(str::to_owned))
            }
            Target::ThingGroup(group) => {
                let page = c
                    .client
                    .list_things_in_thing_group()
                    .thing_group_name(group)
                    .recursive(true)
                    .set_next_token(token.clone())
                    .max_results(250)
                    .send()
                    .await
                    .map_err(|e| ClientError::from_sdk("ListThingsInThingGroup", &c.endpoint, e))?;
                (page.things().to_vec(), page.next_token().map(str::to_owned))
            }
        };
        out.extend(names);
        match next.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => return Ok(out),
        }
    }
}

/// Calls in flight at once while reading metric data.
const CONCURRENT_READS: usize = 16;

/// Every value of `keys` reported by `things` with `from <= time < to`,
/// read with ListMetricValues (all pages, 16 calls at a time).
pub async fn metric_data(
    c: &Connection,
    things: &[String],
    keys: &[MetricKey],
    (from, to): (i64, i64),
) -> Result<MetricData, ClientError> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    // Owned jobs: the stream's futures borrow nothing, so it can run on a spawned task.
    let jobs: Vec<(String, MetricKey)> =
        things.iter().flat_map(|t| keys.iter().map(move |k| (t.clone(), k.clone()))).collect();
    let series: Vec<Vec<(String, MetricKey, i64, Reported)>> = stream::iter(jobs)
        .map(|(thing, key)| async move {
            let mut points = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let req = ListMetricValuesRequest {
                    thing_name: Some(thing.clone()),
                    metric_name: Some(key.metric.clone()),
                    dimension_name: key.dimension.as_ref().map(|d| d.0.clone()),
                    dimension_value_operator: key.dimension.as_ref().map(|d| d.1.clone()),
                    start_time: Some(TimeInput::Seconds(from as f64)),
                    end_time: Some(TimeInput::Seconds(to as f64)),
                    max_results: Some(250),
                    next_token: token.clone(),
                };
                let (items, next) = metric_values_page(c, &req).await?;
                for item in items {
                    let time = item["timestamp"].as_f64().map(|t| t.floor() as i64);
                    let value: Option<MetricValue> = serde_json::from_value(item["value"].clone()).ok();
                    if let (Some(time), Some(v)) = (time, value.as_ref().and_then(Reported::from_metric_value)) {
                        points.push((thing.clone(), key.clone(), time, v));
                    }
                }
                match next.filter(|t| !t.is_empty()) {
                    Some(t) => token = Some(t),
                    None => return Ok::<_, ClientError>(points),
                }
            }
        })
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    let mut b = Builder::default();
    for (thing, key, time, v) in series.into_iter().flatten() {
        b.push(&thing, key, time, 0, v);
    }
    Ok(b.finish())
}
