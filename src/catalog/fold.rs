//! Case- and accent-insensitive name matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The form names are compared in: lower case, accents removed, typographic apostrophes
/// made plain and runs of white space made one space, so `Mettre fin a la session`,
/// `METTRE FIN À LA SESSION` and `Mettre  fin à la session` are one name.
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        let mut out = String::with_capacity(name.len());
        for (i, word) in ascii_words(name).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.extend(word.iter().map(|b| char::from(b.to_ascii_lowercase())));
        }
        return out;
    }
    fold_unicode(name).collect()
}

/// Whether `name` folds to `folded`, a name already folded: the comparison of a lookup,
/// which needs no folded copy of each name it tries.
pub fn folds_to(name: &str, folded: &str) -> bool {
    if name.is_ascii() {
        return ascii_folds_to(name, folded.as_bytes());
    }
    fold_unicode(name).eq(folded.chars())
}

/// [`fold`] of ASCII text, which has no accent to remove and no typographic apostrophe:
/// lower case, and words joined by one space. Decomposing it would change nothing, and it
/// was most of the time `declic check` spent resolving names; so was a fold made of
/// iterator adapters, hence the loops over bytes.
fn ascii_words(name: &str) -> impl Iterator<Item = &[u8]> {
    name.as_bytes()
        .split(|b| char::from(*b).is_whitespace())
        .filter(|w| !w.is_empty())
}

/// [`folds_to`] for an ASCII name: word by word, byte by byte, stopping at the first
/// difference (most names a lookup tries differ in their first letter).
fn ascii_folds_to(name: &str, folded: &[u8]) -> bool {
    let mut rest = folded;
    for (i, word) in ascii_words(name).enumerate() {
        if i > 0 {
            match rest.split_first() {
                Some((b' ', after)) => rest = after,
                _ => return false,
            }
        }
        let Some((head, after)) = rest.split_at_checked(word.len()) else {
            return false;
        };
        if !word
            .iter()
            .zip(head)
            .all(|(w, h)| w.to_ascii_lowercase() == *h)
        {
            return false;
        }
        rest = after;
    }
    rest.is_empty()
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
    use super::{fold, fold_unicode, folds_to};
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
