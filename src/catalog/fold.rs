//! Case- and accent-insensitive name matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The form names are compared in: lower case, accents removed, typographic apostrophes
/// made plain and runs of white space made one space, so `Mettre fin a la session`,
/// `METTRE FIN À LA SESSION` and `Mettre  fin à la session` are one name.
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        return fold_ascii(name).collect();
    }
    fold_unicode(name).collect()
}

/// Whether `name` folds to `folded`, a name already folded: the comparison of a lookup,
/// which needs no folded copy of each name it tries.
pub fn folds_to(name: &str, folded: &str) -> bool {
    if name.is_ascii() {
        return fold_ascii(name).eq(folded.chars());
    }
    fold_unicode(name).eq(folded.chars())
}

/// [`fold`] of ASCII text, which has no accent to remove and no typographic apostrophe:
/// lower case, and words joined by one space. Decomposing it would change nothing, and it
/// was most of the time `declic check` spent resolving names.
fn fold_ascii(name: &str) -> impl Iterator<Item = char> + '_ {
    name.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .enumerate()
        .flat_map(|(i, w)| (i > 0).then_some(' ').into_iter().chain(w.chars()))
        .map(|c| c.to_ascii_lowercase())
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
    use super::{fold, fold_ascii, fold_unicode, folds_to};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_text_folds_as_unicode_text_does(name in "[ -~\t\n\r\x0b\x0c\x1c-\x1f]{0,40}") {
            prop_assert_eq!(fold_ascii(&name).collect::<String>(), fold_unicode(&name).collect::<String>());
        }
    }

    proptest! {
        #[test]
        fn folds_to_agrees_with_fold(name in "[ -~\t\n\u{e0}-\u{ff}\u{2019}\u{301}]{0,20}", other in "[ a-e\u{e9}]{0,6}") {
            prop_assert!(folds_to(&name, &fold(&name)));
            prop_assert_eq!(folds_to(&name, &fold(&other)), fold(&name) == fold(&other));
        }
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
