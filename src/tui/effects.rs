//! Runs effects that talk to the endpoint on tokio tasks; every result comes
//! back as an `Event` on the channel, with the request's id and its error
//! typed, so the loop never waits on the network.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::message::{Details, Effect, Event, ResourceKind, ResourceRequest, Resources};
use crate::client::{ClientError, Connection, operations};
use crate::wire::request::ListSecurityProfilesRequest;

/// Lists every page of ListSecurityProfiles.
async fn list_all(c: &Connection) -> Result<Vec<crate::wire::response::SecurityProfileIdentifier>, ClientError> {
    let mut req = ListSecurityProfilesRequest { max_results: Some(250), ..Default::default() };
    let mut all = Vec::new();
    loop {
        let page = operations::list_page(c, &req).await?;
        all.extend(page.security_profile_identifiers.unwrap_or_default());
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => return Ok(all),
        }
    }
}

/// Starts an effect that needs the endpoint; its outcome arrives later as an event.
pub fn run(effect: Effect, connection: &Arc<Connection>, tx: &UnboundedSender<Event>) {
    let c = Arc::clone(connection);
    let tx = tx.clone();
    tokio::spawn(async move {
        let event = match effect {
            Effect::ListProfiles(id) => Event::Listed { id, result: list_all(&c).await },
            Effect::Describe { id, names } => {
                for name in names {
                    if let Ok(d) = operations::describe(&c, &name).await {
                        let behaviors = d.behaviors.as_ref().map_or(0, Vec::len);
                        let details = Details { name, behaviors, modified: d.last_modified_date, version: d.version };
                        let _ = tx.send(Event::Details { id, details });
                    }
                }
                return;
            }
            Effect::LoadKnown(id) => Event::Known { id, result: operations::known_lists(&c).await },
            Effect::Open { id, name } => Event::Opened { id, result: server_copy(&c, &name).await },
            Effect::Submit { id, change } => {
                Event::Submitted { id, result: crate::client::apply::apply(&c, &change).await }
            }
            Effect::LoadThingGroups(id) => {
                Event::ThingGroups { id, result: crate::client::targets::all_thing_groups(&c).await }
            }
            Effect::CountTarget { id, arn } => {
                Event::TargetProfiles { id, result: crate::client::targets::profiles_for_target(&c, &arn).await, arn }
            }
            Effect::FetchServer { id, name } => Event::Server { id, result: server_copy(&c, &name).await },
            Effect::Delete { id, name, expected_version } => {
                Event::Deleted { id, result: operations::delete(&c, &name, expected_version).await.map(|()| name) }
            }
            Effect::LoadResources(id) => Event::Resources { id, result: load_resources(&c).await },
            Effect::SaveResource { id, request } => {
                Event::ResourceSaved { id, result: save_resource(&c, request).await }
            }
            Effect::DeleteResource { id, kind, name } => {
                let result = match kind {
                    ResourceKind::Dimension => crate::client::resources::delete_dimension(&c, &name).await,
                    ResourceKind::CustomMetric => crate::client::resources::delete_custom_metric(&c, &name).await,
                };
                Event::ResourceDeleted { id, result: result.map(|()| name) }
            }
            Effect::ResourceUse { id, kind, name } => {
                let result = profiles_using(&c, kind, &name).await;
                Event::ResourceUse { id, kind, name, result }
            }
            Effect::LoadChart { id, key, targets } => {
                Event::ChartData { id, result: load_chart(&c, key, targets).await }
            }
            Effect::LoadViolations { id, profile } => {
                Event::Violations { id, result: load_violations(&c, &profile).await }
            }
            Effect::PutVerification { id, violation_id, state, description } => {
                let req = crate::wire::request::PutVerificationStateOnViolationRequest {
                    violation_id,
                    verification_state: Some(state),
                    verification_state_description: description,
                };
                Event::Verified { id, result: crate::client::violations::put_verification(&c, &req).await }
            }
            Effect::CountAlerts { id, behaviors, targets } => {
                Event::AlertVolume { id, result: count_alerts(&c, &behaviors, targets).await }
            }
            Effect::LoadAlerts { id, violation_id } => {
                let query = crate::client::sandbox_calls::AlertsQuery {
                    violation_id: Some(violation_id.clone()),
                    max_results: Some(100),
                    ..Default::default()
                };
                let result = crate::client::sandbox_calls::alerts_page(&c, &query, None).await.map(|(items, _)| items);
                Event::Alerts { id, violation_id, result }
            }
            Effect::LoadMitigationActions(id) => {
                Event::MitigationActions { id, result: load_mitigation_actions(&c).await }
            }
            Effect::StartMitigation { id, create, task_id, request } => {
                Event::Mitigated { id, result: start_mitigation(&c, create.as_deref(), &task_id, &request).await }
            }
            // The loop runs the others itself: they need no endpoint.
            _ => return,
        };
        let _ = tx.send(event);
    });
}

/// The most things a chart reads.
const CHART_THINGS: usize = 100;

/// 14 days of `key` for the things the targets hold (the first 100 by name).
async fn load_chart(
    c: &Connection,
    key: crate::domain::metric_data::MetricKey,
    targets: Vec<crate::domain::targets::Target>,
) -> Result<super::message::ChartData, ClientError> {
    use crate::client::violations::{metric_data, things_of_target};
    let targets = if targets.is_empty() { vec![crate::domain::targets::Target::AllRegistered] } else { targets };
    let mut things = std::collections::BTreeSet::new();
    for t in &targets {
        things.extend(things_of_target(c, t).await?);
    }
    let total = things.len();
    let things: Vec<String> = things.into_iter().take(CHART_THINGS).collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    // From a day boundary, so that no window starts half read.
    let from = (now - super::screens::editor::chart::CHART_SECONDS).div_euclid(86_400) * 86_400;
    let data = metric_data(c, &things, &[key], (from, now + 1)).await?;
    Ok(super::message::ChartData { data, things: total, capped: total > CHART_THINGS, horizon: now })
}

/// The most things an alert count reads.
const COUNT_THINGS: usize = 1000;

/// The alerts `behaviors` would have sent over the endpoint's last 14 days
/// (the first 1,000 things the targets hold); None without data.
async fn count_alerts(
    c: &Connection,
    behaviors: &[crate::domain::profile::Behavior],
    targets: Vec<crate::domain::targets::Target>,
) -> Result<Option<crate::domain::alerts::AlertVolume>, ClientError> {
    use crate::client::violations::{metric_data, things_of_target};
    use crate::domain::metric_data::MetricKey;
    let mut things = std::collections::BTreeSet::new();
    for t in &targets {
        things.extend(things_of_target(c, t).await?);
    }
    let things: Vec<String> = things.into_iter().take(COUNT_THINGS).collect();
    let mut keys: Vec<MetricKey> = behaviors
        .iter()
        .filter(|b| crate::domain::alerts::alerts_sent(b))
        .filter_map(|b| Some(MetricKey::of_behavior(b.metric.as_deref()?, b.metric_dimension.as_ref())))
        .collect();
    keys.sort();
    keys.dedup();
    if things.is_empty() || keys.is_empty() {
        return Ok(None);
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let from = (now - super::screens::editor::chart::CHART_SECONDS).div_euclid(86_400) * 86_400;
    let data = metric_data(c, &things, &keys, (from, now + 1)).await?;
    if data.is_empty() {
        return Ok(None);
    }
    let results = crate::domain::backtest::run_until(behaviors, &data, Some(now));
    Ok(Some(crate::domain::alerts::volume(behaviors, &results)))
}

/// Every mitigation action, described (name, type, role and parameters).
async fn load_mitigation_actions(c: &Connection) -> Result<Vec<serde_json::Value>, ClientError> {
    use crate::client::mitigation as m;
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let (items, next) = m::mitigation_actions_page(c, None, Some(250), token).await?;
        names.extend(items.into_iter().filter_map(|i| i["actionName"].as_str().map(str::to_owned)));
        match next.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    let mut out = Vec::new();
    for name in names {
        out.push(m::describe_mitigation_action(c, &name).await?);
    }
    Ok(out)
}

/// Makes the action when asked, starts the task, and lists what it did.
async fn start_mitigation(
    c: &Connection,
    create: Option<&super::message::NewMitigationAction>,
    task_id: &str,
    request: &crate::domain::mitigation::StartTaskRequest,
) -> Result<Vec<serde_json::Value>, ClientError> {
    use crate::client::mitigation as m;
    if let Some(a) = create {
        m::create_mitigation_action(c, &a.name, Some(&a.role_arn), &a.params, &None).await?;
    }
    m::start_task(c, task_id, request).await?;
    let query = m::ExecutionsQuery { task_id: Some(task_id.to_owned()), max_results: Some(250), ..Default::default() };
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let (items, next) = m::executions_page(c, &query, token).await?;
        all.extend(items);
        match next.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => return Ok(all),
        }
    }
}

/// Every active violation of a profile, and its ML behaviors' model status.
async fn load_violations(c: &Connection, profile: &str) -> Result<super::message::Violations, ClientError> {
    use crate::client::violations::{active_page, training_page};
    let mut req = crate::wire::request::ListActiveViolationsRequest {
        security_profile_name: Some(profile.to_owned()),
        max_results: Some(250),
        ..Default::default()
    };
    let mut active = Vec::new();
    loop {
        let (items, next) = active_page(c, &req).await?;
        active.extend(items);
        match next.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => break,
        }
    }
    let mut req = crate::wire::request::GetBehaviorModelTrainingSummariesRequest {
        security_profile_name: Some(profile.to_owned()),
        max_results: Some(10),
        ..Default::default()
    };
    let mut models = Vec::new();
    loop {
        let (items, next) = training_page(c, &req).await?;
        models.extend(items);
        match next.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => break,
        }
    }
    Ok(super::message::Violations { active, models })
}

/// Every dimension with its topic filters, every custom metric with its display name.
async fn load_resources(c: &Connection) -> Result<Resources, ClientError> {
    let (metrics, dimension_names) = operations::known_lists(c).await?;
    let mut dimensions = Vec::new();
    for name in dimension_names {
        let d = crate::client::resources::describe_dimension(c, &name).await?;
        let values = d["stringValues"]
            .as_array()
            .map_or_else(Vec::new, |v| v.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect());
        dimensions.push((name, values));
    }
    let mut described = Vec::new();
    for m in metrics {
        let d = crate::client::resources::describe_custom_metric(c, &m.name).await?;
        described.push((m, d["displayName"].as_str().map(str::to_owned)));
    }
    Ok(Resources { dimensions, metrics: described })
}

async fn save_resource(c: &Connection, request: ResourceRequest) -> Result<String, ClientError> {
    use crate::client::resources as r;
    let name = request.name().to_owned();
    match request {
        ResourceRequest::CreateDimension { name, values } => r::create_dimension(c, &name, &values, &None, None).await,
        ResourceRequest::UpdateDimension { name, values } => r::update_dimension(c, &name, &values).await,
        ResourceRequest::CreateCustomMetric { name, metric_type, display_name } => {
            r::create_custom_metric(c, &name, &metric_type, display_name.as_deref(), &None, None).await
        }
        ResourceRequest::UpdateCustomMetric { name, display_name } => {
            r::update_custom_metric(c, &name, &display_name).await
        }
    }?;
    Ok(name)
}

/// The names of the profiles whose behaviors use the dimension or custom metric.
async fn profiles_using(c: &Connection, kind: ResourceKind, name: &str) -> Result<Vec<String>, ClientError> {
    let mut req = ListSecurityProfilesRequest { max_results: Some(250), ..Default::default() };
    match kind {
        ResourceKind::Dimension => req.dimension_name = Some(name.to_owned()),
        ResourceKind::CustomMetric => req.metric_name = Some(name.to_owned()),
    }
    let mut all = Vec::new();
    loop {
        let page = operations::list_page(c, &req).await?;
        all.extend(page.security_profile_identifiers.unwrap_or_default().into_iter().map(|i| i.name));
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => return Ok(all),
        }
    }
}

/// The answer to an endpoint effect when there is no connection yet: the
/// same event a failed call gives, so the screen that waits hears back.
pub fn unconnected(effect: &Effect) -> Option<Event> {
    let e = || ClientError::Config("not connected yet: finish the setup first".into());
    Some(match effect {
        Effect::ListProfiles(id) => Event::Listed { id: *id, result: Err(e()) },
        Effect::LoadKnown(id) => Event::Known { id: *id, result: Err(e()) },
        Effect::LoadThingGroups(id) => Event::ThingGroups { id: *id, result: Err(e()) },
        Effect::LoadResources(id) => Event::Resources { id: *id, result: Err(e()) },
        Effect::SaveResource { id, .. } => Event::ResourceSaved { id: *id, result: Err(e()) },
        Effect::DeleteResource { id, .. } => Event::ResourceDeleted { id: *id, result: Err(e()) },
        Effect::ResourceUse { id, kind, name } => {
            Event::ResourceUse { id: *id, kind: *kind, name: name.clone(), result: Err(e()) }
        }
        Effect::CountTarget { id, arn } => Event::TargetProfiles { id: *id, arn: arn.clone(), result: Err(e()) },
        Effect::Open { id, .. } => Event::Opened { id: *id, result: Err(e()) },
        Effect::Submit { id, .. } => Event::Submitted { id: *id, result: Err(e()) },
        Effect::FetchServer { id, .. } => Event::Server { id: *id, result: Err(e()) },
        Effect::Delete { id, .. } => Event::Deleted { id: *id, result: Err(e()) },
        Effect::LoadChart { id, .. } => Event::ChartData { id: *id, result: Err(e()) },
        Effect::LoadViolations { id, .. } => Event::Violations { id: *id, result: Err(e()) },
        Effect::PutVerification { id, .. } => Event::Verified { id: *id, result: Err(e()) },
        Effect::CountAlerts { id, .. } => Event::AlertVolume { id: *id, result: Err(e()) },
        Effect::LoadAlerts { id, violation_id } => {
            Event::Alerts { id: *id, violation_id: violation_id.clone(), result: Err(e()) }
        }
        Effect::LoadMitigationActions(id) => Event::MitigationActions { id: *id, result: Err(e()) },
        Effect::StartMitigation { id, .. } => Event::Mitigated { id: *id, result: Err(e()) },
        _ => return None,
    })
}

/// A profile as the server has it now: described, its tags and its targets.
async fn server_copy(c: &Connection, name: &str) -> Result<crate::tui::message::ServerCopy, ClientError> {
    let d = operations::describe(c, name).await?;
    let tags = match &d.security_profile_arn {
        Some(arn) => operations::list_tags(c, arn).await?,
        None => Vec::new(),
    };
    let targets = crate::client::targets::all_targets(c, name).await?;
    Ok((d, tags, targets))
}
