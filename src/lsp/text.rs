//! Open documents: their text, and the conversion between the byte offsets declic's spans
//! use and the line and UTF-16 column positions of the protocol.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The text of an open document, as the client last sent it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The whole text.
    pub text: String,
    /// The client's version of it; edits with an older version are refused.
    pub version: i32,
    /// Where each line starts.
    lines: Vec<usize>,
}

/// Why an edit could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The edit belongs to an older version of the document than the one held.
    #[error("edit for version {got} of a document at version {held}, ignored")]
    Stale {
        /// The edit's version.
        got: i32,
        /// The version held.
        held: i32,
    },
}

impl Document {
    /// A document with `text` at `version`.
    pub fn new(text: String, version: i32) -> Document {
        let lines = line_starts(&text);
        Document {
            text,
            version,
            lines,
        }
    }

    /// Applies the client's changes for `version`, in order. An edit whose range lies
    /// past the text is clamped to it: the client's view and ours then agree again at the
    /// next full sync, and the server never fails on it.
    pub fn apply(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Result<(), EditError> {
        if version <= self.version {
            return Err(EditError::Stale {
                got: version,
                held: self.version,
            });
        }
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.lines = line_starts(&self.text);
        }
        self.version = version;
        Ok(())
    }

    /// The byte offset of `position`, clamped to its line and to the text.
    pub fn offset(&self, position: Position) -> usize {
        offset(&self.text, &self.lines, position)
    }

    /// The position of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        position(&self.text, &self.lines, offset)
    }
}

/// Positions in a text that is not an open document (a file read from disk).
pub struct LineIndex<'a> {
    text: &'a str,
    lines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// The index of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            lines: line_starts(text),
        }
    }

    /// The position of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        position(self.text, &self.lines, offset)
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of `position`, clamped.
    pub fn offset(&self, position: Position) -> usize {
        offset(self.text, &self.lines, position)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
    std::iter::once(0).chain(newlines).collect()
}

fn offset(text: &str, lines: &[usize], position: Position) -> usize {
    let Some(&start) = lines.get(position.line as usize) else {
        return text.len();
    };
    let end = lines
        .get(position.line as usize + 1)
        .map_or(text.len(), |next| next - 1);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= position.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    end
}

fn position(text: &str, lines: &[usize], offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = lines.partition_point(|&start| start <= offset) - 1;
    let character: usize = text[lines[line]..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range
                .map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn positions_count_utf16_units() {
        let doc = Document::new("é😀x\nab".to_owned(), 1);
        // `é` is one unit, the emoji two: `x` is at column 3.
        assert_eq!(doc.offset(Position::new(0, 3)), "é😀".len());
        assert_eq!(doc.position("é😀".len()), Position::new(0, 3));
        assert_eq!(doc.position(doc.text.len()), Position::new(1, 2));
        // Past a line's end, the end of that line; past the last line, the text's end.
        assert_eq!(doc.offset(Position::new(0, 99)), "é😀x".len());
        assert_eq!(doc.offset(Position::new(9, 0)), doc.text.len());
    }

    #[test]
    fn edits_apply_in_order_and_stale_ones_are_refused() {
        let mut doc = Document::new("Canal is Mail\n".to_owned(), 1);
        let edits = vec![
            change(Some(((0, 9), (0, 13))), "Messagerie"),
            change(Some(((0, 0), (0, 0))), "  "),
        ];
        doc.apply(2, edits).unwrap();
        assert_eq!(doc.text, "  Canal is Messagerie\n");
        let stale = doc.apply(2, vec![change(None, "")]);
        assert_eq!(stale, Err(EditError::Stale { got: 2, held: 2 }));
        assert_eq!(doc.text, "  Canal is Messagerie\n");
    }

    #[test]
    fn an_edit_past_the_end_is_clamped() {
        let mut doc = Document::new("ab".to_owned(), 1);
        doc.apply(2, vec![change(Some(((5, 0), (3, 1))), "c")])
            .unwrap();
        assert_eq!(doc.text, "abc");
    }
}
