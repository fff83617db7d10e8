//! The pure core: the security-profile model, the metric catalogue, field paths
//! and the service's rules. Nothing here does I/O, runs async or draws.

pub mod alerts;
pub mod backtest;
pub mod choices;
pub mod edit;
pub mod enums;
pub mod evaluate;
pub mod metric_data;
pub mod metrics;
pub mod mitigation;
pub mod non_null;
pub mod path;
pub mod problem;
pub mod profile;
pub mod regions;
pub mod rules;
pub mod running_totals;
pub mod targets;
pub mod tune;
pub mod untrusted;
pub mod value_text;

pub use path::FieldPath;
pub use problem::{Problem, Rule, Severity};
pub use rules::{
    Context, CustomMetricRequest, DimensionRequest, EndpointReferences, validate, validate_behaviors,
    validate_custom_metric, validate_dimension, validate_list, validate_tags, validate_update,
};
