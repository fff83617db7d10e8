//! The `--cli-input-json` reader: any bytes give a request or an error with a
//! place, never a panic, and an error message stays short.
#![no_main]

use ddsp::domain::profile::{ProfileUpdate, SecurityProfile};
use ddsp::wire::input::{Format, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = parse_bytes::<SecurityProfile>(data, Format::Json) {
        assert!(e.to_string().len() < 2000);
    }
    let _ = parse_bytes::<ProfileUpdate>(data, Format::Json);
});
