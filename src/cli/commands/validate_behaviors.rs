//! `ddsp validate-security-profile-behaviors`: asks the endpoint to check
//! behaviors (ValidateSecurityProfileBehaviors). ddsp's own rules run first and
//! print what they find, but the request is sent anyway: asking is the point.

use clap::Args;

use super::create::loaded;
use super::{InputArgs, bad_parameter, execute, missing, to_json};
use crate::cli::global::GlobalArgs;
use crate::client::operations;
use crate::domain::{Context, EndpointReferences, validate_behaviors};
use crate::wire::params;
use crate::wire::request::{Operation, ValidateSecurityProfileBehaviorsRequest};

#[derive(Debug, Clone, Args)]
pub struct ValidateBehaviorsArgs {
    /// The behaviors: one shorthand behavior per argument
    /// (name=N,metric=M,criteria={comparisonOperator=…,value={count=5},durationSeconds=300})
    /// or a JSON list (file://PATH).
    #[arg(long, num_args = 1..)]
    pub behaviors: Option<Vec<String>>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: ValidateBehaviorsArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::ValidateBehaviors) {
        return code;
    }
    let from_file: Option<ValidateSecurityProfileBehaviorsRequest> = match args.input.document() {
        Ok(d) => d,
        Err(e) => return bad_parameter(&e),
    };
    let behaviors = match &args.behaviors {
        Some(b) => match loaded("behaviors", b).and_then(|t| params::behaviors(&t).map_err(|e| e.to_string())) {
            Ok(list) => list,
            Err(e) => return bad_parameter(&e),
        },
        None => match from_file {
            Some(r) => r.behaviors,
            None => return missing("--behaviors"),
        },
    };
    // ddsp's problems are printed, but the service is asked all the same: its answer is the point.
    let refs = EndpointReferences::of(Some(&behaviors), None, None);
    let region = global.region.clone();
    let online = !refs.is_empty();
    if !online {
        for p in validate_behaviors(&behaviors, &Context { region: region.clone(), ..Context::offline() }) {
            eprintln!("{p}");
        }
    }
    execute(global, "ValidateSecurityProfileBehaviors", move |c| {
        Box::pin(async move {
            if online {
                let ctx = operations::context_for(c, &refs, region).await?;
                for p in validate_behaviors(&behaviors, &ctx) {
                    eprintln!("{p}");
                }
            }
            to_json(&operations::validate_behaviors(c, &behaviors).await?)
        })
    })
}
