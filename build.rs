//! Turns `assets/metrics.tsv` (the built-in metric catalogue) into a static Rust
//! table, so the catalogue is data in the repository and costs nothing at run time.
//! A malformed row stops the build with the row's line number.

use std::{env, fs, path::Path, process::ExitCode};

const COLUMNS: usize = 12;

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=assets/metrics.tsv");
    match generate() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("assets/metrics.tsv: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate() -> Result<(), String> {
    let text = fs::read_to_string("assets/metrics.tsv").map_err(|e| e.to_string())?;
    let mut rows = String::from("&[\n");
    let mut header_seen = false;
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != COLUMNS {
            return Err(format!("line {}: {} columns, expected {COLUMNS}", number + 1, cells.len()));
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        rows.push_str(&row(&cells).map_err(|e| format!("line {}: {e}", number + 1))?);
    }
    rows.push_str("]\n");
    let out = env::var("OUT_DIR").map_err(|e| e.to_string())?;
    fs::write(Path::new(&out).join("metric_catalogue.rs"), rows).map_err(|e| e.to_string())
}

fn row(c: &[&str]) -> Result<String, String> {
    let side = match c[1] {
        "cloud" => "Side::Cloud",
        "device" => "Side::Device",
        other => return Err(format!("side {other:?}")),
    };
    let data_type = match c[2] {
        "number" => "MetricType::Number",
        "ip-address-list" => "MetricType::IpAddressList",
        "port-list" => "MetricType::PortList",
        other => return Err(format!("type {other:?}")),
    };
    let value = match c[3] {
        "count" => "ValueField::Count",
        "cidrs" => "ValueField::Cidrs",
        "ports" => "ValueField::Ports",
        other => return Err(format!("value {other:?}")),
    };
    let duration = match c[5] {
        "required" => "DurationRule::Required",
        "optional" => "DurationRule::Optional",
        "statistical" => "DurationRule::StatisticalOnly",
        "forbidden" => "DurationRule::Forbidden",
        "unconfirmed" => "DurationRule::Unconfirmed",
        other => return Err(format!("duration {other:?}")),
    };
    let support = |cell: &str| match cell {
        "yes" => Ok("Support::Yes"),
        "no" => Ok("Support::No"),
        "unconfirmed" => Ok("Support::Unconfirmed"),
        other => Err(format!("support {other:?}")),
    };
    let dimension = match c[8] {
        "none" => "DimensionSupport::None",
        "rules" => "DimensionSupport::RulesOnly",
        "rules+ml" => "DimensionSupport::RulesAndMl",
        other => return Err(format!("dimension {other:?}")),
    };
    let operators = match c[9] {
        "numeric" => "ComparisonOperator::NUMERIC".to_owned(),
        "cidr" => "ComparisonOperator::CIDR".to_owned(),
        "port" => "ComparisonOperator::PORT".to_owned(),
        list => {
            let mut ops = String::from("&[");
            for op in list.split(',') {
                let variant = match op {
                    "less-than" => "LessThan",
                    "less-than-equals" => "LessThanEquals",
                    "greater-than" => "GreaterThan",
                    "greater-than-equals" => "GreaterThanEquals",
                    other => return Err(format!("operator {other:?}")),
                };
                ops.push_str(&format!("ComparisonOperator::{variant},"));
            }
            ops.push(']');
            ops
        }
    };
    let confirmed = match c[10] {
        "yes" => "true",
        "no" => "false",
        other => return Err(format!("confirmed {other:?}")),
    };
    Ok(format!(
        "    MetricSpec {{ name: {:?}, side: {side}, data_type: {data_type}, value_field: {value}, unit: {:?}, duration: {duration}, statistical: {}, ml: {}, dimension: {dimension}, operators: {operators}, confirmed: {confirmed}, description: {:?} }},\n",
        c[0],
        c[4],
        support(c[6])?,
        support(c[7])?,
        c[11],
    ))
}
