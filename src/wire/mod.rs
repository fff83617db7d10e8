//! The AWS side of the model: request and response shapes as the AWS CLI and
//! the service write them, the readers for `--cli-input-json` / `--cli-input-yaml`
//! and the CLI's shorthand syntax, and the skeletons the CLI prints.

pub mod change;
pub mod destination;
pub mod diff;
mod documents;
pub mod export;
pub mod input;
pub mod keys;
pub mod merge;
pub mod metric_reports;
pub mod params;
pub mod plan;
pub mod request;
pub mod response;
pub mod saved_plan;
pub mod schema;
pub mod shorthand;
pub mod skeleton;
pub mod spark_sql;
pub mod strict;
pub mod time;
pub mod yaml_out;
pub mod yaml_tree;
