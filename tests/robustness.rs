//! Hostile input never panics the front end: random bytes, and random sequences of the
//! language's own tokens (which reach much deeper into the grammar than bytes do).

use std::path::Path;

use proptest::prelude::*;

/// Runs bytes through everything a rule file goes through, as `declic check` would.
fn check_bytes(bytes: Vec<u8>) -> usize {
    match declic::load::decode(Path::new("fuzz.declic"), bytes) {
        Ok(source) => {
            let checked = declic::check(&[source]);
            for d in &checked.diagnostics {
                // Rendering touches every span: it must not panic either.
                let _ = declic::diagnostics::render::json(d);
                let _ =
                    declic::diagnostics::render::text(d, declic::diagnostics::render::Style::Plain);
            }
            checked.diagnostics.len()
        }
        Err(_) => 1,
    }
}

const TOKENS: &[&str] = &[
    "trigger",
    "déclencheur",
    "messaging trigger",
    "automation",
    "Hours since pending",
    "\"Title\"",
    "\"",
    "{",
    "}",
    "\n",
    " ",
    "when",
    "quand",
    "then",
    "alors",
    "all",
    "any",
    "not",
    "au moins un",
    "category",
    "position",
    "3",
    "-1",
    "99999999999999999999",
    "active",
    "false",
    "id",
    "on",
    "once per ticket",
    "Canal",
    "is",
    "est",
    "is not",
    "n'est pas",
    "changed to",
    "a changé en",
    "<",
    ">=",
    "includes",
    "contains",
    "is present",
    "Messagerie",
    "Status",
    "Statut",
    "Ended by agent",
    "Tags",
    "+=",
    "-=",
    "=",
    "Mettre fin à la session",
    "send CSAT",
    "notify",
    "requester",
    "webhook",
    "zendesk",
    r##"r#"{"field":"x","operator":"y","value":[1]}"#"##,
    "#",
    "# c\n",
    "r#\"",
    "\"#",
    "\\",
    "\\u{",
    "é",
    "\u{2019}",
    "\r\n",
    "\t",
    "custom_fields_1",
    "x",
];

fn token_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_bytes(bytes);
    }

    #[test]
    fn random_token_sequences_never_panic(text in token_text()) {
        check_bytes(text.into_bytes());
    }

    #[test]
    fn a_valid_trigger_with_random_tokens_spliced_in_never_panics(
        cut in 0usize..200, insert in token_text()
    ) {
        let base = "trigger \"t\" {\n  when all {\n    Canal is Messagerie\n    any { Status category changed to Solved }\n  }\n  then {\n    Mettre fin à la session\n    Tags += a\n  }\n}\n";
        let mut cut = cut.min(base.len());
        while !base.is_char_boundary(cut) { cut -= 1; }
        let text = format!("{}{}{}", &base[..cut], insert, &base[cut..]);
        check_bytes(text.into_bytes());
    }
}

#[test]
fn a_valid_file_gives_no_diagnostic_so_the_harness_can_tell() {
    let text =
        "trigger \"t\" {\n when all {\n Canal is Messagerie\n }\n then {\n send CSAT\n }\n}\n";
    assert_eq!(check_bytes(text.as_bytes().to_vec()), 0);
    assert!(check_bytes(b"trigger".to_vec()) > 0);
}
