//! `ddsp list-security-profiles`: ListSecurityProfiles, paginated as the AWS CLI
//! does: all pages merged by default, `--page-size` per call, `--max-items` with
//! a resumable `NextToken` (botocore's token format, so the two CLIs can resume
//! each other's listings), `--starting-token`, and one call with `--no-paginate`
//! or the service's own `--next-token` / `--max-results`.

use clap::Args;

use super::{InputArgs, to_json};
use crate::cli::global::GlobalArgs;
use crate::cli::pagination::{PageArgs, list_command};
use crate::client::operations;
use crate::domain::validate_list;
use crate::wire::request::{ListSecurityProfilesRequest, Operation};

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only profiles with a behavior that uses this dimension.
    #[arg(long)]
    pub dimension_name: Option<String>,
    /// Only profiles with a behavior that uses this metric.
    #[arg(long)]
    pub metric_name: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: ListArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListSecurityProfilesRequest = match args.input.request(Operation::List) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.dimension_name = args.dimension_name.or(req.dimension_name);
    req.metric_name = args.metric_name.or(req.metric_name);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    let problems = validate_list(req.dimension_name.as_deref(), req.metric_name.as_deref(), req.max_results);
    let next_token = req.next_token.clone();
    list_command(global, &args.pages, &problems, "ListSecurityProfiles", KEY, next_token, move |c, token| {
        let page_req = ListSecurityProfilesRequest { next_token: token, ..req.clone() };
        Box::pin(async move {
            let page = operations::list_page(c, &page_req).await?;
            let items = page.security_profile_identifiers.unwrap_or_default();
            Ok((items.iter().map(to_json).collect::<Result<Vec<_>, _>>()?, page.next_token))
        })
    })
}

/// The list member of ListSecurityProfiles' output.
const KEY: &str = "securityProfileIdentifiers";
