//! Runs effects on tokio tasks; every result comes back as an `Event` on the
//! channel, so the loop never waits on the network.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Effect, Event, Submit, Submitted};
use super::form::Known;
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

async fn submit(c: &Connection, s: Submit) -> Result<Submitted, ClientError> {
    match s {
        Submit::Create(profile) => {
            let created = operations::create(c, &profile).await?;
            let name = created.security_profile_name.unwrap_or(profile.security_profile_name);
            let description = operations::describe(c, &name).await?;
            Ok(Submitted { arn: created.security_profile_arn.unwrap_or_default(), name, description })
        }
        Submit::Update { update, tag, untag } => {
            let description = operations::update(c, &update).await?;
            let arn = description.security_profile_arn.clone().unwrap_or_default();
            operations::retag(c, &arn, &tag, &untag).await?;
            Ok(Submitted { name: update.security_profile_name, arn, description })
        }
    }
}

/// Starts the effect; its outcome arrives later as an event.
pub fn run(effect: Effect, connection: &Arc<Connection>, tx: &UnboundedSender<Event>) {
    let c = Arc::clone(connection);
    let tx = tx.clone();
    tokio::spawn(async move {
        match effect {
            Effect::ListProfiles => {
                let _ = tx.send(Event::Listed(list_all(&c).await.map_err(|e| e.to_string())));
            }
            Effect::Describe(names) => {
                for name in names {
                    if let Ok(d) = operations::describe(&c, &name).await {
                        let behaviors = d.behaviors.as_ref().map_or(0, Vec::len);
                        let _ = tx.send(Event::Details {
                            name,
                            behaviors,
                            modified: d.last_modified_date,
                            version: d.version,
                        });
                    }
                }
            }
            Effect::LoadKnown => {
                let result = operations::known_lists(&c)
                    .await
                    .map(|(custom_metrics, dimensions)| Known { custom_metrics, dimensions })
                    .map_err(|e| e.to_string());
                let _ = tx.send(Event::Known(result));
            }
            Effect::Open(name) => {
                let result = async {
                    let d = operations::describe(&c, &name).await?;
                    let tags = match &d.security_profile_arn {
                        Some(arn) => operations::list_tags(&c, arn).await?,
                        None => Vec::new(),
                    };
                    Ok::<_, ClientError>((d, tags))
                }
                .await;
                let _ = tx.send(Event::Opened(result.map_err(|e| e.to_string())));
            }
            Effect::Submit(s) => {
                let _ = tx.send(Event::Submitted(submit(&c, *s).await.map_err(|e| e.to_string())));
            }
            Effect::FetchServer(name) => {
                let _ = tx.send(Event::Server(operations::describe(&c, &name).await.map_err(|e| e.to_string())));
            }
            Effect::Delete { name, expected_version } => {
                let result =
                    operations::delete(&c, &name, expected_version).await.map(|()| name).map_err(|e| e.to_string());
                let _ = tx.send(Event::Deleted(result));
            }
            Effect::Write { path, json } => {
                let result = tokio::task::spawn_blocking(move || {
                    // In the current directory, never over an existing file; the whole path is shown.
                    std::env::current_dir()
                        .and_then(|dir| crate::private_files::write_new(&dir, &path, json.as_bytes()))
                        .map(|written| written.display().to_string())
                        .map_err(|e| e.to_string())
                })
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
                let _ = tx.send(Event::Written(result));
            }
            // The loop runs these itself: they need no endpoint.
            Effect::Quit | Effect::RemoveDraft(_) | Effect::Connect(_) | Effect::SaveSettings(_) => {}
        }
    });
}
