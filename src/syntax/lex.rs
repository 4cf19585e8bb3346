//! A quick lexical pass that knows only comments, strings and braces: enough to guard the
//! nesting depth before pest descends, to find a string that is never closed, and to cut
//! a file between its triggers.

/// What the pass found.
pub(super) struct Shape {
    /// The brace that first goes deeper than the limit.
    pub too_deep_at: Option<usize>,
    /// The opening quote of a string still open at the end of the text.
    pub open_string_at: Option<usize>,
    /// One past each brace that closes a top-level block: where each trigger ends.
    pub top_level_ends: Vec<usize>,
}

/// The bytes the scan stops at; it steps over all others in a tight loop, since a large
/// file is read whole by this one thread before it is shared out.
const STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut i = 0;
    let bytes = b"#\"r{}";
    while i < bytes.len() {
        stops[bytes[i] as usize] = true;
        i += 1;
    }
    stops
};

/// Scans `text`, counting braces outside comments and strings (raw strings included).
pub(super) fn shape(text: &str, max_depth: usize) -> Shape {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut shape = Shape {
        too_deep_at: None,
        open_string_at: None,
        top_level_ends: Vec::new(),
    };
    while i < bytes.len() {
        if !STOPS[bytes[i] as usize] {
            i += 1;
            continue;
        }
        match bytes[i] {
            b'#' => i = end_of_line(bytes, i),
            b'"' => match quoted_end(bytes, i) {
                Some(end) => i = end,
                None => {
                    shape.open_string_at = Some(i);
                    return shape;
                }
            },
            b'r' => match raw_start(bytes, i) {
                Some((hashes, body)) => match raw_end(bytes, body, hashes) {
                    Some(end) => i = end,
                    None => {
                        shape.open_string_at = Some(i);
                        return shape;
                    }
                },
                None => i += 1,
            },
            b'{' => {
                depth += 1;
                if depth > max_depth && shape.too_deep_at.is_none() {
                    shape.too_deep_at = Some(i);
                }
                i += 1;
            }
            b'}' => {
                if depth == 1 {
                    shape.top_level_ends.push(i + 1);
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    shape
}

fn end_of_line(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// One past the closing quote of the string opening at `from`.
fn quoted_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// For `r#"` at `from` (a raw string, not the end of a word): its hash count and where its
/// body starts.
fn raw_start(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let after_word = from == 0 || !bytes[from - 1].is_ascii_alphanumeric();
    let hashes = bytes[from + 1..].iter().take_while(|b| **b == b'#').count();
    let quote = from + 1 + hashes;
    (after_word && bytes.get(quote) == Some(&b'"')).then_some((hashes, quote + 1))
}

fn raw_end(bytes: &[u8], body: usize, hashes: usize) -> Option<usize> {
    let mut i = body;
    while i < bytes.len() {
        let closes = bytes[i] == b'"'
            && bytes.len() >= i + 1 + hashes
            && bytes[i + 1..i + 1 + hashes].iter().all(|b| *b == b'#');
        if closes {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let s = shape("{ \"{{\" # {{{\n r#\"{\"}\"# }", 1);
        assert_eq!((s.too_deep_at, s.open_string_at), (None, None));
        assert_eq!(shape("{{", 1).too_deep_at, Some(1));
    }

    #[test]
    fn top_level_blocks_end_after_their_closing_brace() {
        let s = shape("a { { } \"}\" } # }\nb {} }", 8);
        assert_eq!(s.top_level_ends, [13, 22]);
    }

    #[test]
    fn open_strings_are_found_raw_or_quoted() {
        assert_eq!(shape("a \"b", 8).open_string_at, Some(2));
        assert_eq!(shape("a r#\"b\" c", 8).open_string_at, Some(2));
        assert_eq!(shape("a \"b\\\"\" c", 8).open_string_at, None);
        // `r` ending a word is not a raw string: `bar"x"` is a word then a string.
        assert_eq!(shape("bar\"x\"", 8).open_string_at, None);
    }
}
