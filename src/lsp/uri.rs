//! `file:` URIs to paths and back: the protocol names documents by URI, declic's sources
//! by path.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The path a `file:` URI names; `None` for any other scheme (an unsaved buffer).
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host is ours.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let bytes = decode(path)?;
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let mut out = String::from("file://");
    for b in path.to_str()?.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_uris() {
        let path = Path::new("/tmp/règles d'été/a#1.declic");
        let uri = from_path(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///tmp/r%C3%A8gles%20d%27%C3%A9t%C3%A9/a%231.declic"
        );
        assert_eq!(to_path(&uri).unwrap(), path);
    }

    #[test]
    fn other_schemes_and_bad_escapes_name_no_path() {
        // (The URI parser may refuse a bad escape itself: then there is nothing to ask.)
        for text in ["untitled:Untitled-1", "file:///a%2", "file:///a%zz"] {
            if let Ok(uri) = Uri::from_str(text) {
                assert_eq!(to_path(&uri), None, "{text}");
            }
        }
        let vscode = Uri::from_str("file:///c%3A/rules/a.declic").unwrap();
        assert_eq!(to_path(&vscode).unwrap(), Path::new("/c:/rules/a.declic"));
    }
}
