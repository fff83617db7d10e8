//! The rules: any profile, update or behavior list that parses is checked
//! without a panic, and every problem names a path and says something.
#![no_main]

use ddsp::domain::profile::{Behavior, ProfileUpdate, SecurityProfile};
use ddsp::domain::{Context, validate, validate_behaviors, validate_update};
use ddsp::wire::input::{Format, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ctx = Context { region: Some("us-east-1".into()), ..Context::default() };
    if let Ok(p) = parse_bytes::<SecurityProfile>(data, Format::Json) {
        for problem in validate(&p, &ctx) {
            assert!(!problem.message.is_empty());
        }
    }
    if let Ok(u) = parse_bytes::<ProfileUpdate>(data, Format::Json) {
        let _ = validate_update(&u, &ctx);
    }
    if let Ok(b) = parse_bytes::<Vec<Behavior>>(data, Format::Json) {
        let _ = validate_behaviors(&b, &ctx);
    }
});
