//! `ddsp create-thing-group`, `delete-thing-group` and `list-thing-groups`:
//! enough to pick a profile's target, and for a sandbox user who has no thing
//! group yet to make one. Options, files, skeletons and outputs as the AWS CLI's.

use clap::Args;

use super::{InputArgs, bad_parameter, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::input::{flag, load};
use crate::cli::pagination::{PageArgs, list_pages};
use crate::client::targets;
use crate::domain::rules::validate_thing_group_name;
use crate::domain::{Context, FieldPath, validate_list, validate_tags};
use crate::wire::params;
use crate::wire::request::{
    CreateThingGroupRequest, DeleteThingGroupRequest, ListThingGroupsRequest, Operation, ThingGroupProperties,
};

#[derive(Debug, Clone, Args)]
pub struct CreateThingGroupArgs {
    /// The thing group's name.
    #[arg(long)]
    pub thing_group_name: Option<String>,
    /// The group it sits in, if any.
    #[arg(long)]
    pub parent_group_name: Option<String>,
    /// thingGroupDescription=TEXT,attributePayload={attributes={K=V},merge=true} or JSON.
    #[arg(long)]
    pub thing_group_properties: Option<String>,
    /// Tags: Key=K,Value=V … or JSON.
    #[arg(long, num_args = 1..)]
    pub tags: Option<Vec<String>>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_create(args: CreateThingGroupArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::CreateThingGroup) {
        return code;
    }
    let built = (|| -> Result<CreateThingGroupRequest, String> {
        let mut req: CreateThingGroupRequest = args.input.document()?.unwrap_or_default();
        if let Some(n) = &args.thing_group_name {
            req.thing_group_name = n.clone();
        }
        req.parent_group_name = args.parent_group_name.clone().or(req.parent_group_name);
        if let Some(p) = &args.thing_group_properties {
            let text = load("thing-group-properties", p)?;
            let properties: ThingGroupProperties =
                params::structure("thing-group-properties", "thingGroupProperties", &text)
                    .map_err(|e| e.to_string())?;
            req.thing_group_properties = Some(properties);
        }
        if let Some(t) = &args.tags {
            let values = super::create::loaded("tags", t)?;
            req.tags = Some(params::tags(&values).map_err(|e| e.to_string())?);
        }
        Ok(req)
    })();
    let req = match built {
        Ok(r) => r,
        Err(e) => return bad_parameter(&e),
    };
    if req.thing_group_name.is_empty() {
        return missing("--thing-group-name");
    }
    let ctx = Context::offline();
    let mut problems = validate_thing_group_name(&req.thing_group_name, &FieldPath::root().key("thingGroupName"), &ctx);
    if let Some(parent) = &req.parent_group_name {
        problems.extend(validate_thing_group_name(parent, &FieldPath::root().key("parentGroupName"), &ctx));
    }
    problems.extend(validate_tags(req.tags.as_deref().unwrap_or_default(), &ctx));
    if let Err(code) = check(&problems) {
        return code;
    }
    execute(global, "CreateThingGroup", move |c| Box::pin(async move { targets::create_thing_group(c, &req).await }))
}

#[derive(Debug, Clone, Args)]
pub struct DeleteThingGroupArgs {
    /// The thing group to delete; the security profiles attached to it are detached.
    #[arg(long)]
    pub thing_group_name: Option<String>,
    /// Delete only if the group is at this version.
    #[arg(long, allow_negative_numbers = true)]
    pub expected_version: Option<i64>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_delete(args: DeleteThingGroupArgs, global: &GlobalArgs) -> u8 {
    let mut req: DeleteThingGroupRequest = match args.input.request(Operation::DeleteThingGroup) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.thing_group_name {
        req.thing_group_name = n;
    }
    req.expected_version = args.expected_version.or(req.expected_version);
    if req.thing_group_name.is_empty() {
        return missing("--thing-group-name");
    }
    let at = FieldPath::root().key("thingGroupName");
    if let Err(code) = check(&validate_thing_group_name(&req.thing_group_name, &at, &Context::offline())) {
        return code;
    }
    execute(global, "DeleteThingGroup", move |c| {
        Box::pin(async move {
            targets::delete_thing_group(c, &req.thing_group_name, req.expected_version).await?;
            Ok(serde_json::json!({}))
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListThingGroupsArgs {
    /// Only the groups directly in this one (with --recursive, at any depth).
    #[arg(long)]
    pub parent_group: Option<String>,
    /// Only the groups whose names start with this.
    #[arg(long)]
    pub name_prefix_filter: Option<String>,
    /// With --parent-group, the groups at any depth below it.
    #[arg(long, overrides_with = "no_recursive")]
    pub recursive: bool,
    #[arg(long)]
    pub no_recursive: bool,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list(args: ListThingGroupsArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListThingGroupsRequest = match args.input.request(Operation::ListThingGroups) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.parent_group = args.parent_group.clone().or(req.parent_group);
    req.name_prefix_filter = args.name_prefix_filter.clone().or(req.name_prefix_filter);
    req.recursive = flag(args.recursive, args.no_recursive).or(req.recursive);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    let ctx = Context::offline();
    let mut problems = validate_list(None, None, req.max_results);
    if let Some(parent) = &req.parent_group {
        problems.extend(validate_thing_group_name(parent, &FieldPath::root().key("parentGroup"), &ctx));
    }
    list_pages!(global, &args.pages, &problems, "ListThingGroups", "thingGroups", req, targets::thing_groups_page)
}
