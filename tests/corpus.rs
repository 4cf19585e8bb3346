//! The corpus of invalid rule files: each one's rendered diagnostics are a snapshot, and
//! each one must report the code its first comment line names. The valid corpus must check
//! without a single diagnostic.

use std::path::Path;

use declic::diagnostics::render::{self, Style};
use declic::Diagnostic;

mod common;
use common::{promised_codes, relative};

fn diagnostics(path: &Path) -> Vec<Diagnostic> {
    declic::check_path(&relative(path)).diagnostics
}

#[test]
fn invalid_files_render_as_snapshots() {
    insta::glob!("corpus/invalid/*", |path| {
        if path.extension().is_some_and(|e| e == "md" || e == "py") {
            return;
        }
        let found = diagnostics(path);
        assert!(!found.is_empty(), "{}: no diagnostic", path.display());
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        for promised in promised_codes(path) {
            assert!(
                codes.contains(&promised.as_str()),
                "{}: expected {promised}, got {codes:?}",
                path.display()
            );
        }
        let rendered: Vec<String> = found
            .iter()
            .map(|d| render::text(d, Style::Plain))
            .collect();
        let rendered = rendered.join("\n");
        // The text form quotes whole source lines: for the 1 MiB line, pin the JSON instead.
        if rendered.len() > 64 * 1024 {
            let json: Vec<serde_json::Value> = found.iter().map(render::json).collect();
            insta::assert_json_snapshot!(json);
        } else {
            insta::assert_snapshot!(rendered);
        }
    });
}

#[test]
fn json_form_of_a_sample() {
    for name in ["30", "47", "57"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/invalid");
        let path = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
            .expect("corpus file");
        let json: Vec<serde_json::Value> = diagnostics(&path).iter().map(render::json).collect();
        insta::assert_json_snapshot!(format!("json-{name}"), json);
    }
}

#[test]
fn the_corpus_is_large_enough() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/invalid");
    let count = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "declic"))
        .count();
    assert!(count >= 60, "{count} invalid files");
}

#[test]
fn valid_files_check_without_a_diagnostic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/valid");
    let checked = declic::check_path(&relative(&dir));
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| render::text(d, Style::Plain))
        .collect();
    assert!(messages.is_empty(), "{}", messages.join("\n"));
    assert!(checked.triggers >= 8);
}
