//! Case- and accent-insensitive name matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The form names are compared in: lower case, accents removed, typographic apostrophes
/// made plain and runs of white space made one space, so `Mettre fin a la session`,
/// `METTRE FIN À LA SESSION` and `Mettre  fin à la session` are one name.
pub fn fold(name: &str) -> String {
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
    use super::fold;

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
