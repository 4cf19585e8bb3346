//! Case- and accent-insensitive name matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The form names are compared in: lower case, accents removed, typographic apostrophes
/// made plain and runs of white space made one space, so `Mettre fin a la session`,
/// `METTRE FIN À LA SESSION` and `Mettre  fin à la session` are one name.
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        return fold_ascii(name);
    }
    fold_unicode(name)
}

/// [`fold`] of ASCII text, which has no accent to remove and no typographic apostrophe:
/// lower case, and words joined by one space. Decomposing it would change nothing, and it
/// was most of the time `declic check` spent resolving names.
fn fold_ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.make_ascii_lowercase();
    out
}

fn fold_unicode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.trim().nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, fold_ascii, fold_unicode};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_text_folds_as_unicode_text_does(name in "[ -~\t\n\r\x0b\x0c\x1c-\x1f]{0,40}") {
            prop_assert_eq!(fold_ascii(&name), fold_unicode(&name));
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
