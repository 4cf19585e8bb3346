//! Text conditions as Zendesk means them (DOMAIN.md section 3): `is` contains the string,
//! `includes` at least one of the words (a phrase in double quotes counts as one word),
//! case ignored; words match on word boundaries, strings anywhere.
//!
//! Every search is linear in the text and the needle: a string is found with the standard
//! library's two-way search, a word by Knuth-Morris-Pratt over bytes with its table made
//! once, at compile time. A comment of megabytes and a phrase of a thousand words take
//! a few milliseconds, not the product of the two.

use std::borrow::Cow;

/// A word or phrase to find on word boundaries, lower-case, with its search table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word, lower-case.
    pub text: Box<str>,
    /// For each prefix of `text`'s bytes, the length of its longest proper prefix that is
    /// also its suffix: where the search goes on after a mismatch.
    fallback: Box<[u32]>,
}

impl Word {
    /// The word `lower`, already lower-case.
    pub fn new(lower: &str) -> Word {
        Word {
            fallback: fallback(lower.as_bytes()),
            text: lower.into(),
        }
    }

    /// Whether `hay` (lower-case) holds the word starting and ending on word boundaries:
    /// `refund` is in "refund please" but not in "refunded".
    pub fn is_in(&self, hay: &str) -> bool {
        let (h, n) = (hay.as_bytes(), self.text.as_bytes());
        if n.is_empty() {
            return true;
        }
        let mut matched = 0;
        for (i, &b) in h.iter().enumerate() {
            while matched > 0 && n[matched] != b {
                matched = self.fallback[matched - 1] as usize;
            }
            if n[matched] == b {
                matched += 1;
            }
            if matched == n.len() {
                // A match of valid UTF-8 in valid UTF-8 starts and ends on char
                // boundaries, so both slices below are sound.
                let (start, end) = (i + 1 - n.len(), i + 1);
                if self.bounded(&hay[..start], &hay[end..]) {
                    return true;
                }
                matched = self.fallback[matched - 1] as usize;
            }
        }
        false
    }

    /// Whether the text before and after a match leaves it a whole word: a word that
    /// begins (ends) with a letter or digit must not have one just before (after) it.
    fn bounded(&self, before: &str, after: &str) -> bool {
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let (first, last) = (self.text.chars().next(), self.text.chars().next_back());
        (!alnum(first) || !alnum(before.chars().next_back()))
            && (!alnum(last) || !alnum(after.chars().next()))
    }
}

/// The Knuth-Morris-Pratt table of `needle`.
fn fallback(needle: &[u8]) -> Box<[u32]> {
    let mut table = vec![0u32; needle.len()];
    let mut k = 0usize;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = table[k - 1] as usize;
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        table[i] = k as u32;
    }
    table.into()
}

/// The words of an `includes` operand (lower-case): separated by spaces, a phrase in
/// double quotes counting as one word; an unclosed quote runs to the end.
pub(crate) fn words(lower: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut rest = lower.trim_start();
    while !rest.is_empty() {
        let (word, after) = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
            None => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
        };
        let word = word.trim();
        if !word.is_empty() {
            out.push(Word::new(word));
        }
        rest = after.trim_start();
    }
    out
}

/// `s` in lower case, borrowed when it already is (most tags and field values).
pub(crate) fn lowered(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::{words, Word};

    fn texts(operand: &str) -> Vec<String> {
        words(operand).into_iter().map(|w| w.text.into()).collect()
    }

    #[test]
    fn quotes_make_one_word_of_a_phrase() {
        assert_eq!(
            texts("refund \"my printer\"  late"),
            ["refund", "my printer", "late"]
        );
        assert_eq!(texts("\"on fire"), ["on fire"]);
        assert_eq!(texts("a \"\" b"), ["a", "b"]);
        assert!(texts("   ").is_empty());
    }

    #[test]
    fn words_match_on_word_boundaries_only() {
        let cases = [
            ("refund", "refund please", true),
            ("refund", "a refund", true),
            ("refund", "i want a refund.", true),
            ("refund", "refunded", false),
            ("refund", "prerefund", false),
            ("my printer", "is my printer on fire", true),
            ("my printer", "my printers", false),
            // A failed boundary does not hide a later match.
            ("ab", "abab ab", true),
            ("aab", "aaab", false),
            ("aab", "a aab", true),
            ("été", "un été chaud", true),
            ("été", "étés", false),
            ("e-mail", "by e-mail.", true),
            ("#1", "ticket#1", true),
        ];
        for (word, hay, expected) in cases {
            assert_eq!(Word::new(word).is_in(hay), expected, "{word} in {hay}");
        }
    }

    #[test]
    fn a_long_phrase_in_a_long_text_is_found_in_linear_time() {
        // Naively, every one of the ten million starts would compare up to the phrase's
        // two thousand bytes: minutes. Linear, it is one pass.
        let phrase = format!("{}b", "a ".repeat(1000));
        let word = Word::new(&phrase);
        let mut hay = "a ".repeat(5_000_000);
        assert!(!word.is_in(&hay));
        hay.push('b');
        assert!(word.is_in(&hay));
    }
}
