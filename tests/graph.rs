//! `declic graph`: golden DOT and Mermaid output on the French recipes, and its exit codes.

use std::path::Path;

mod common;

fn declic(args: &[&str]) -> (i32, String) {
    common::declic_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

#[test]
fn dot_is_the_default() {
    let (code, dot) = declic(&["graph", "recipes/fr"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("graph-recipes-fr-dot", dot);
}

#[test]
fn mermaid_on_request() {
    let (code, mermaid) = declic(&["graph", "recipes/fr", "--format", "mermaid"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("graph-recipes-fr-mermaid", mermaid);
}

#[test]
fn both_languages_give_the_same_edges() {
    let edges = |lang: &str| -> Vec<String> {
        let (_, dot) = declic(&["graph", &format!("recipes/{lang}")]);
        dot.lines()
            .filter(|l| l.contains("->"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(edges("fr"), edges("en"));
}

#[test]
fn rules_with_errors_exit_1_and_unreadable_paths_2() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let bad = dir.path().join("bad.declic");
    std::fs::write(
        &bad,
        "trigger \"x\" {\n  when all { Canal is Messageri }\n  then { Group = 1 }\n}\n",
    )
    .expect("written");
    let (code, out) = declic(&["graph", &bad.display().to_string()]);
    assert_eq!((code, out.as_str()), (1, ""));
    let (code, _) = declic(&["graph", "no/such/rules"]);
    assert_eq!(code, 2);
}
