//! The metric data readers: metrics-export batches (gzip or not, many
//! documents one after another) and device-side metrics reports; whatever
//! they read is grouped into series and evaluated by a rule, a statistical
//! threshold and a set behavior. Any bytes give readings or an error with its
//! line and column, never a panic.
#![no_main]

use ddsp::domain::evaluate::evaluate_data;
use ddsp::domain::metric_data::Builder;
use ddsp::domain::profile::Behavior;
use ddsp::wire::metric_reports::{read_device_report, read_export_limited};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut b = Builder::default();
    // Small limits, so a gzip bomb in the corpus is cut short as ingest cuts a large one.
    let _ = read_export_limited(data, (1 << 20, 1 << 16), |r| {
        b.push(&r.thing, r.key, r.time, r.version, r.value);
        Ok(())
    });
    if let Ok(readings) = std::str::from_utf8(data).map_err(drop).and_then(|text| read_device_report(text, "thing", 1_700_000_000).map_err(drop)) {
        for r in readings {
            b.push(&r.thing, r.key, r.time, r.version, r.value);
        }
    }
    let data = b.finish();
    let behaviors: Vec<Behavior> = serde_json::from_str(
        r#"[{"name":"a","metric":"aws:num-messages-sent","criteria":{"comparisonOperator":"less-than","value":{"count":10},"durationSeconds":300,"consecutiveDatapointsToAlarm":2}},
            {"name":"b","metric":"aws:all-bytes-out","criteria":{"comparisonOperator":"less-than-equals","statisticalThreshold":{"statistic":"p90"},"durationSeconds":300}},
            {"name":"c","metric":"aws:listening-tcp-ports","criteria":{"comparisonOperator":"in-port-set","value":{"ports":[22]}}}]"#,
    )
    .unwrap_or_default();
    let _ = evaluate_data(&behaviors, &data);
});
