//! String literals as the grammar reads them back: the written form of a text value, for
//! everything that writes rules (explanations, the formatter, the importer).

use std::fmt::Write;

/// `s` as a double-quoted string with the grammar's escapes.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as a raw string, with the fewest `#` that let it stand: one more than the longest
/// run of `#` after a quote inside it, none without a quote. Raw strings hold no escapes,
/// so `s` must not hold control characters a reader would want escaped.
pub fn raw(s: &str) -> String {
    let count = s
        .match_indices('"')
        .map(|(i, _)| 1 + s[i + 1..].chars().take_while(|c| *c == '#').count())
        .max()
        .unwrap_or(0);
    let hashes = "#".repeat(count);
    format!("r{hashes}\"{s}\"{hashes}")
}
