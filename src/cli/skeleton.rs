//! `ddsp skeleton OPERATION [input|yaml-input|output]`: the skeletons the
//! AWS CLI's `--generate-cli-skeleton` prints, for writing request files.

use std::io::Write;

use super::exit;
use crate::wire::request::Operation;
use crate::wire::skeleton::{SkeletonKind, skeleton};

pub fn parse_operation(text: &str) -> Result<Operation, String> {
    Operation::ALL.iter().copied().find(|op| op.command() == text).ok_or_else(|| {
        let names: Vec<&str> = Operation::ALL.iter().map(|op| op.command()).collect();
        format!("unknown operation; use one of {}", names.join(", "))
    })
}

pub fn parse_kind(text: &str) -> Result<SkeletonKind, String> {
    SkeletonKind::parse(text).ok_or_else(|| "use input, yaml-input or output".to_owned())
}

pub fn run(operation: Operation, kind: SkeletonKind) -> u8 {
    let _ = std::io::stdout().lock().write_all(skeleton(operation, kind).as_bytes());
    exit::OK
}
