//! The nesting limit of request JSON, checked before parsing so that a deep document costs
//! one pass over its bytes, and its answer can say where it went too deep.

/// One open array or object on the way down.
enum Open<'a> {
    /// An array, at its `index`th value.
    Array { index: usize },
    /// An object, at the value of `key` (`None` before the first key is read).
    Object { key: Option<&'a str> },
}

/// The JSON path (`ticket.custom_fields[0].value`) of the first array or object nested
/// more than `max` deep in `text`, if any. The text is not otherwise checked: what is not
/// JSON is left to the parser, which says why.
pub fn too_deep(text: &str, max: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let mut open: Vec<Open<'_>> = Vec::new();
    // Whether the next string of an object is a key (after `{` or `,`).
    let mut key_next = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i + 1);
                if key_next {
                    if let Some(Open::Object { key }) = open.last_mut() {
                        *key = text.get(i + 1..end);
                    }
                    key_next = false;
                }
                i = end;
            }
            b'[' | b'{' if open.len() == max => return Some(path(&open)),
            b'[' => open.push(Open::Array { index: 0 }),
            b'{' => {
                open.push(Open::Object { key: None });
                key_next = true;
            }
            b']' | b'}' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Array { index }) => *index += 1,
                Some(Open::Object { .. }) => key_next = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote that closes the string whose text starts at `start` (or the
/// end of the text).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The path of the value the open containers lead to, as serde_path_to_error writes it.
fn path(open: &[Open<'_>]) -> String {
    let mut out = String::new();
    for step in open {
        match step {
            Open::Array { index } => out.push_str(&format!("[{index}]")),
            Open::Object { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key.unwrap_or("?"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn the_path_of_the_first_value_too_deep() {
        let cases = [
            // (text, max, path)
            (r#"{"a": 1}"#, 1, None),
            (r#"{"a": {"b": 1}}"#, 1, Some("a")),
            (r#"{"a": {"b": 1}}"#, 2, None),
            (r#"{"t": {"f": [1, {"v": [[2]]}]}}"#, 4, Some("t.f[1].v")),
            (r#"{"t": {"f": [1, {"v": [[2]]}]}}"#, 5, Some("t.f[1].v[0]")),
            (r#"{"t": {"f": [1, {"v": [[2]]}]}}"#, 6, None),
            // Brackets and quotes inside strings are text.
            (r#"{"a": "[[[{\"", "b": {"c": 1}}"#, 1, Some("b")),
            (r#"{"a": "[[[{\"", "b": 1}"#, 1, None),
            // The key read last before the value, not a key of a closed object.
            (r#"{"x": {"y": 1}, "z": [ {} ]}"#, 2, Some("z[0]")),
        ];
        for (text, max, expected) in cases {
            assert_eq!(too_deep(text, max).as_deref(), expected, "{text} at {max}");
        }
    }
}
