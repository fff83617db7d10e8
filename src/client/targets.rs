//! What a profile is attached to, and the thing groups it can be attached to:
//! AttachSecurityProfile, DetachSecurityProfile, ListTargetsForSecurityProfile,
//! ListSecurityProfilesForTarget, CreateThingGroup, DeleteThingGroup and
//! ListThingGroups, with the AWS CLI's JSON in and out (service.md §8). List
//! calls answer one page: its items as the CLI prints them and the next token.

use serde_json::{Value, json};

use super::{ClientError, Connection};
use crate::wire::request::{
    CreateThingGroupRequest, ListSecurityProfilesForTargetRequest, ListTargetsForSecurityProfileRequest,
    ListThingGroupsRequest,
};

/// One page of a listing: its items and the token of the next page.
pub type Page = (Vec<Value>, Option<String>);

/// A page size as the SDK takes it (the rules have kept it within 1–250).
pub(crate) fn page_size(max_results: Option<i64>) -> Option<i32> {
    max_results.map(|n| i32::try_from(n).unwrap_or(i32::MAX))
}

pub async fn attach(c: &Connection, profile: &str, target: &str) -> Result<(), ClientError> {
    c.client
        .attach_security_profile()
        .security_profile_name(profile)
        .security_profile_target_arn(target)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("AttachSecurityProfile", &c.endpoint, e))?;
    Ok(())
}

pub async fn detach(c: &Connection, profile: &str, target: &str) -> Result<(), ClientError> {
    c.client
        .detach_security_profile()
        .security_profile_name(profile)
        .security_profile_target_arn(target)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DetachSecurityProfile", &c.endpoint, e))?;
    Ok(())
}

pub async fn targets_page(c: &Connection, req: &ListTargetsForSecurityProfileRequest) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_targets_for_security_profile()
        .security_profile_name(&req.security_profile_name)
        .set_next_token(req.next_token.clone())
        .set_max_results(page_size(req.max_results))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListTargetsForSecurityProfile", &c.endpoint, e))?;
    let items = out.security_profile_targets().iter().map(|t| json!({"arn": t.arn()})).collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

pub async fn profiles_for_target_page(
    c: &Connection,
    req: &ListSecurityProfilesForTargetRequest,
) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_security_profiles_for_target()
        .security_profile_target_arn(&req.security_profile_target_arn)
        .set_recursive(req.recursive)
        .set_next_token(req.next_token.clone())
        .set_max_results(page_size(req.max_results))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListSecurityProfilesForTarget", &c.endpoint, e))?;
    let items = out
        .security_profile_target_mappings()
        .iter()
        .map(|m| {
            let mut item = json!({});
            if let Some(id) = m.security_profile_identifier() {
                item["securityProfileIdentifier"] = json!({"name": id.name(), "arn": id.arn()});
            }
            if let Some(t) = m.target() {
                item["target"] = json!({"arn": t.arn()});
            }
            item
        })
        .collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

pub async fn create_thing_group(c: &Connection, req: &CreateThingGroupRequest) -> Result<Value, ClientError> {
    let properties = req.thing_group_properties.as_ref().map(|p| {
        aws_sdk_iot::types::ThingGroupProperties::builder()
            .set_thing_group_description(p.thing_group_description.clone())
            .set_attribute_payload(p.attribute_payload.as_ref().map(|a| {
                aws_sdk_iot::types::AttributePayload::builder()
                    .set_attributes(a.attributes.clone().map(|m| m.into_iter().collect()))
                    .set_merge(a.merge)
                    .build()
            }))
            .build()
    });
    let tags = super::convert::tags_to_sdk(&req.tags).map_err(|e| ClientError::Request(e.to_string()))?;
    let out = c
        .client
        .create_thing_group()
        .thing_group_name(&req.thing_group_name)
        .set_parent_group_name(req.parent_group_name.clone())
        .set_thing_group_properties(properties)
        .set_tags(tags)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CreateThingGroup", &c.endpoint, e))?;
    let mut answer = json!({});
    for (key, value) in [
        ("thingGroupName", out.thing_group_name()),
        ("thingGroupArn", out.thing_group_arn()),
        ("thingGroupId", out.thing_group_id()),
    ] {
        if let Some(v) = value {
            answer[key] = json!(v);
        }
    }
    Ok(answer)
}

pub async fn delete_thing_group(c: &Connection, name: &str, expected_version: Option<i64>) -> Result<(), ClientError> {
    c.client
        .delete_thing_group()
        .thing_group_name(name)
        .set_expected_version(expected_version)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DeleteThingGroup", &c.endpoint, e))?;
    Ok(())
}

pub async fn thing_groups_page(c: &Connection, req: &ListThingGroupsRequest) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_thing_groups()
        .set_parent_group(req.parent_group.clone())
        .set_name_prefix_filter(req.name_prefix_filter.clone())
        .set_recursive(req.recursive)
        .set_next_token(req.next_token.clone())
        .set_max_results(page_size(req.max_results))
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListThingGroups", &c.endpoint, e))?;
    let items = out
        .thing_groups()
        .iter()
        .map(|g| {
            let mut item = json!({});
            if let Some(n) = g.group_name() {
                item["groupName"] = json!(n);
            }
            if let Some(a) = g.group_arn() {
                item["groupArn"] = json!(a);
            }
            item
        })
        .collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

/// Every target ARN of a profile (all pages of ListTargetsForSecurityProfile).
pub async fn all_targets(c: &Connection, profile: &str) -> Result<Vec<String>, ClientError> {
    let mut req = ListTargetsForSecurityProfileRequest {
        security_profile_name: profile.to_owned(),
        max_results: Some(250),
        ..Default::default()
    };
    let mut all = Vec::new();
    loop {
        let (items, next) = targets_page(c, &req).await?;
        all.extend(items.iter().filter_map(|i| i["arn"].as_str().map(str::to_owned)));
        match next.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => return Ok(all),
        }
    }
}

/// The names of the profiles attached to a target (all pages of ListSecurityProfilesForTarget).
pub async fn profiles_for_target(c: &Connection, arn: &str) -> Result<Vec<String>, ClientError> {
    let mut req = ListSecurityProfilesForTargetRequest {
        security_profile_target_arn: arn.to_owned(),
        max_results: Some(250),
        ..Default::default()
    };
    let mut all = Vec::new();
    loop {
        let (items, next) = profiles_for_target_page(c, &req).await?;
        all.extend(items.iter().filter_map(|i| i["securityProfileIdentifier"]["name"].as_str().map(str::to_owned)));
        match next.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => return Ok(all),
        }
    }
}

/// Every thing group's name and ARN (all pages of ListThingGroups).
pub async fn all_thing_groups(c: &Connection) -> Result<Vec<(String, String)>, ClientError> {
    let mut req = ListThingGroupsRequest { max_results: Some(250), ..Default::default() };
    let mut all = Vec::new();
    loop {
        let (items, next) = thing_groups_page(c, &req).await?;
        all.extend(items.iter().filter_map(|i| {
            Some((i["groupName"].as_str()?.to_owned(), i["groupArn"].as_str().unwrap_or_default().to_owned()))
        }));
        match next.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => return Ok(all),
        }
    }
}
