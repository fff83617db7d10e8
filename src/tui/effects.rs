//! Runs effects that talk to the endpoint on tokio tasks; every result comes
//! back as an `Event` on the channel, with the request's id and its error
//! typed, so the loop never waits on the network.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::message::{Details, Effect, Event, SubmitError, Submitted};
use crate::client::{ClientError, Connection, operations};
use crate::wire::change::Submit;
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

/// Sends a submit. An update whose tag changes then fail is reported as
/// applied with the tags failed: the new version exists.
async fn submit(c: &Connection, s: Submit) -> Result<Submitted, SubmitError> {
    match s {
        Submit::Create(profile) => {
            let created = operations::create(c, &profile).await.map_err(SubmitError::Failed)?;
            let name = created.security_profile_name.unwrap_or(profile.security_profile_name);
            let description = operations::describe(c, &name).await.map_err(SubmitError::Failed)?;
            Ok(Submitted { arn: created.security_profile_arn.unwrap_or_default(), name, description })
        }
        Submit::Update { update, tag, untag } => {
            let description = operations::update(c, &update).await.map_err(SubmitError::Failed)?;
            let arn = description.security_profile_arn.clone().unwrap_or_default();
            let submitted = Submitted { name: update.security_profile_name, arn: arn.clone(), description };
            match operations::retag(c, &arn, &tag, &untag).await {
                Ok(()) => Ok(submitted),
                Err(error) => Err(SubmitError::TagsFailed { submitted: Box::new(submitted), error }),
            }
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
            Effect::Describe(names) => {
                for name in names {
                    if let Ok(d) = operations::describe(&c, &name).await {
                        let behaviors = d.behaviors.as_ref().map_or(0, Vec::len);
                        let details = Details { name, behaviors, modified: d.last_modified_date, version: d.version };
                        let _ = tx.send(Event::Details(details));
                    }
                }
                return;
            }
            Effect::LoadKnown => Event::Known(operations::known_lists(&c).await),
            Effect::Open { id, name } => {
                let result = async {
                    let d = operations::describe(&c, &name).await?;
                    let tags = match &d.security_profile_arn {
                        Some(arn) => operations::list_tags(&c, arn).await?,
                        None => Vec::new(),
                    };
                    Ok::<_, ClientError>((d, tags))
                }
                .await;
                Event::Opened { id, result }
            }
            Effect::Submit { id, submit: s } => Event::Submitted { id, result: submit(&c, *s).await },
            Effect::FetchServer { id, name } => Event::Server { id, result: operations::describe(&c, &name).await },
            Effect::Delete { id, name, expected_version } => {
                Event::Deleted { id, result: operations::delete(&c, &name, expected_version).await.map(|()| name) }
            }
            // The loop runs the others itself: they need no endpoint.
            _ => return,
        };
        let _ = tx.send(event);
    });
}

/// The answer to an endpoint effect when there is no connection yet: the
/// same event a failed call gives, so the screen that waits hears back.
pub fn unconnected(effect: &Effect) -> Option<Event> {
    let e = || ClientError::Config("not connected yet: finish the setup first".into());
    Some(match effect {
        Effect::ListProfiles(id) => Event::Listed { id: *id, result: Err(e()) },
        Effect::LoadKnown => Event::Known(Err(e())),
        Effect::Open { id, .. } => Event::Opened { id: *id, result: Err(e()) },
        Effect::Submit { id, .. } => Event::Submitted { id: *id, result: Err(SubmitError::Failed(e())) },
        Effect::FetchServer { id, .. } => Event::Server { id: *id, result: Err(e()) },
        Effect::Delete { id, .. } => Event::Deleted { id: *id, result: Err(e()) },
        _ => return None,
    })
}
