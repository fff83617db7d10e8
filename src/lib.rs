//! ddsp: an editor and command line for AWS IoT Device Defender security
//! profiles. `domain` is the pure core (model, catalogue, rules); `wire` reads
//! and writes the AWS CLI's files; `cli` is the command line.

pub mod cli;
pub mod client;
pub mod config;
pub mod domain;
pub mod drafts;
pub mod edit_file;
pub mod endpoint;
pub mod exit;
pub mod private_files;
pub mod process;
pub mod sandbox;
pub mod templates;
pub mod tui;
pub mod wire;
