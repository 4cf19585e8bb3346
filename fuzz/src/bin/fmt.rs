//! The formatter: any bytes that read as a rule file and parse are formatted, and the
//! result must say the same (the same syntax tree up to spellings, the same checked rules
//! and diagnostics) and format to itself: the promises `tests/format_props.rs` checks on
//! generated files, here on whatever the fuzzer finds.

#[path = "../../../tests/support/oracle.rs"]
mod oracle;

use std::path::Path;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(source) = declic::load::decode(Path::new("fuzz.declic"), data.to_vec()) else {
            return;
        };
        if declic::format::format(&source).is_ok() {
            oracle::round_trip("fuzz.declic", &source.text);
        }
    });
}
