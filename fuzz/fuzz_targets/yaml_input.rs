//! The `--cli-input-yaml` reader: any bytes give a request or an error with a
//! place, never a panic; each message stays short and one line, and a
//! document reports at most `MOST_ERRORS` errors, read plainly or mended.
#![no_main]

use ddsp::domain::profile::{ProfileUpdate, SecurityProfile};
use ddsp::wire::input::{Format, MOST_ERRORS, parse_bytes, parse_mended};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = parse_bytes::<SecurityProfile>(data, Format::Yaml) {
        assert!(e.all().count() <= MOST_ERRORS);
        for one in e.all() {
            assert!(one.to_string().len() < 2000 && !one.message.contains('\n'));
        }
    }
    let _ = parse_bytes::<ProfileUpdate>(data, Format::Yaml);
    // The mended reading `ddsp validate` judges: the same errors, and never a panic.
    if let Err((e, _)) = parse_mended::<SecurityProfile>(data, Format::Yaml) {
        assert!(e.all().count() <= MOST_ERRORS);
    }
});
