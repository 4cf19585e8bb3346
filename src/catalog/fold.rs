//! Case- and accent-insensitive name matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The form names are compared in: lower case, accents removed, typographic apostrophes
/// made plain and runs of white space made one space, so `Mettre fin a la session`,
/// `METTRE FIN À LA SESSION` and `Mettre  fin à la session` are one name.
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        let mut out = String::with_capacity(name.len());
        out.extend(AsciiFold::new(name).map(char::from));
        return out;
    }
    fold_unicode(name).collect()
}

/// Whether `name` folds to `folded`, a name already folded: the comparison of a lookup,
/// which needs no folded copy of each name it tries.
pub fn folds_to(name: &str, folded: &str) -> bool {
    // A lookup tries many names, most of which differ from the one wanted in their first
    // letter. An ASCII first letter folds to itself in lower case, whatever follows it, so
    // it settles those before anything is folded.
    // (No byte of a multi-byte character is ASCII, and none that starts one is white space.)
    let first = name.bytes().find(|b| !char::from(*b).is_whitespace());
    if first
        .is_some_and(|b| b.is_ascii() && folded.as_bytes().first() != Some(&b.to_ascii_lowercase()))
    {
        return false;
    }
    if name.is_ascii() {
        return AsciiFold::new(name).eq(folded.bytes());
    }
    fold_unicode(name).eq(folded.chars())
}

/// The longest name [`with_folded`] folds on the stack: longer than any catalog name.
const ON_STACK: usize = 64;

/// Calls `f` with `name` folded. A lookup only compares the folded name, so a short ASCII
/// one (every name of the catalog, as rules usually spell them) is folded into a buffer on
/// the stack: allocating a `String` for each lookup was most of what resolving a name cost.
pub fn with_folded<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0; ON_STACK];
    if name.len() <= ON_STACK && name.is_ascii() {
        // Folding never lengthens a name, so the buffer holds it all.
        let mut len = 0;
        for (slot, b) in buffer.iter_mut().zip(AsciiFold::new(name)) {
            *slot = b;
            len += 1;
        }
        if let Ok(folded) = std::str::from_utf8(&buffer[..len]) {
            return f(folded);
        }
    }
    f(&fold(name))
}

/// [`fold`] of ASCII text, byte by byte: lower case, and words joined by one space. ASCII
/// has no accent to remove and no typographic apostrophe, so decomposing it would change
/// nothing; and it was most of the time `declic check` spent resolving names, as was a
/// fold made of iterator adapters. Byte by byte, a comparison also stops at the first
/// difference (most names a lookup tries differ in their first letter).
struct AsciiFold<'a> {
    rest: &'a [u8],
    /// Whether white space came since the last byte given, which then owes a space.
    gap: bool,
}

impl<'a> AsciiFold<'a> {
    fn new(name: &'a str) -> Self {
        AsciiFold {
            rest: name.trim_start().as_bytes(),
            gap: false,
        }
    }
}

impl Iterator for AsciiFold<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        loop {
            let (&b, rest) = self.rest.split_first()?;
            if char::from(b).is_whitespace() {
                self.gap = true;
                self.rest = rest;
            } else if std::mem::take(&mut self.gap) {
                // The space between two words; `b` starts the next one.
                return Some(b' ');
            } else {
                self.rest = rest;
                return Some(b.to_ascii_lowercase());
            }
        }
    }
}

fn fold_unicode(name: &str) -> impl Iterator<Item = char> + '_ {
    name.trim()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        // Each character, with whether white space came before it.
        .scan(false, |after_space, c| {
            if c.is_whitespace() {
                *after_space = true;
                return Some(None);
            }
            Some(Some((std::mem::take(after_space), c)))
        })
        .flatten()
        .flat_map(|(after_space, c)| {
            let c = match c {
                '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
                c => c,
            };
            after_space
                .then_some(' ')
                .into_iter()
                .chain(c.to_lowercase())
        })
}

#[cfg(test)]
mod tests {
    use super::{fold, fold_unicode, folds_to, with_folded, ON_STACK};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_text_folds_as_unicode_text_does(name in "[ -~\t\n\r\x0b\x0c\x1c-\x1f]{0,40}") {
            prop_assert_eq!(fold(&name), fold_unicode(&name).collect::<String>());
        }
    }

    proptest! {
        #[test]
        fn folds_to_agrees_with_fold(name in "[ -~\t\n\u{e0}-\u{ff}\u{2019}\u{301}]{0,20}", other in "[ a-e\u{e9}]{0,6}") {
            prop_assert!(folds_to(&name, &fold(&name)));
            prop_assert_eq!(folds_to(&name, &fold(&other)), fold(&name) == fold(&other));
        }
    }

    proptest! {
        #[test]
        fn ascii_names_match_whatever_their_case_and_spacing(words in prop::collection::vec("[a-zA-Z0-9'-]{1,6}", 0..4), gap in "[ \t\n]{1,3}") {
            let name = words.join(&gap);
            let folded = fold(&words.join(" "));
            let padded = format!("{gap}{name}{gap}");
            let longer = format!("{name}x");
            prop_assert!(folds_to(&name.to_ascii_uppercase(), &folded));
            prop_assert!(folds_to(&padded, &folded));
            prop_assert!(!folds_to(&longer, &folded));
        }
    }

    proptest! {
        #[test]
        fn with_folded_gives_what_fold_does(name in "[ -~\t\n\u{e0}-\u{ff}\u{2019}]{0,80}") {
            prop_assert_eq!(with_folded(&name, str::to_owned), fold(&name));
        }
    }

    #[test]
    fn with_folded_folds_names_that_fill_the_stack_buffer() {
        let name = "A".repeat(ON_STACK);
        assert_eq!(with_folded(&name, str::to_owned), "a".repeat(ON_STACK));
        let longer = format!("  {name} B ");
        assert_eq!(with_folded(&longer, str::to_owned), fold(&longer));
    }

    #[test]
    fn folds_case_accents_apostrophes_and_spaces() {
        assert_eq!(fold("Mettre fin à la session"), "mettre fin a la session");
        assert_eq!(
            fold("  METTRE   FIN À LA\tSESSION "),
            "mettre fin a la session"
        );
        assert_eq!(fold("Raison d’inactivité"), "raison d'inactivite");
        assert_eq!(fold("Priorité"), fold("PRIORITE"));
        assert_ne!(fold("Statut"), fold("Status"));
    }
}
