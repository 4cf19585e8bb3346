//! The formatter on real files: every recipe and corpus file formats into text that says
//! the same and formats to itself; messy inputs format into golden snapshots.

#[path = "support/oracle.rs"]
mod oracle;

use std::path::{Path, PathBuf};

use declic::Source;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.declic` file below `dir`, in path order.
fn files(dir: &str) -> Vec<PathBuf> {
    let mut found = declic::load::rule_files(&root().join(dir)).expect("the folder");
    found.sort();
    found
}

/// Formats `path` and checks the formatter's promises.
fn round_trip(path: &Path) {
    let text = std::fs::read_to_string(path).expect("a UTF-8 file");
    oracle::round_trip(&path.display().to_string(), &text);
}

#[test]
fn recipes_format_into_the_same_rules() {
    let recipes = files("recipes");
    assert!(recipes.len() >= 14);
    recipes.iter().for_each(|p| round_trip(p));
}

#[test]
fn the_valid_corpus_formats_into_the_same_rules() {
    files("tests/corpus/valid")
        .iter()
        .for_each(|p| round_trip(p));
}

/// Larger than any file but the corpus's 1 MiB line.
const HUGE: usize = 64 * 1024;

/// Files with errors the checker finds (unknown names, wrong values) still format, and
/// keep every error; files that do not parse are refused with their syntax errors.
#[test]
fn the_invalid_corpus_formats_or_is_refused() {
    let (mut formatted, mut refused) = (0, 0);
    for path in files("tests/corpus/invalid") {
        let bytes = std::fs::read(&path).expect("readable");
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if text.len() > HUGE {
            // Parsing a 1 MiB line is slow in debug builds: format it once, no more.
            oracle::format(&path.display().to_string(), &text);
            formatted += 1;
        } else if declic::syntax::parse(&text).is_ok() {
            round_trip(&path);
            formatted += 1;
        } else {
            let errors = declic::format::format(&Source::new("x.declic", text.as_str()))
                .expect_err("a file that does not parse is refused");
            assert!(errors.iter().all(|d| d.is_error()), "{}", path.display());
            refused += 1;
        }
    }
    assert!(
        formatted >= 30 && refused >= 20,
        "{formatted} formatted, {refused} refused"
    );
}

#[test]
fn messy_files_format_into_golden_snapshots() {
    insta::glob!("format/*.declic", |path| {
        let text = std::fs::read_to_string(path).expect("a fixture");
        let formatted = oracle::format(&path.display().to_string(), &text);
        oracle::assert_same_meaning(&path.display().to_string(), &text, &formatted);
        insta::assert_snapshot!(formatted);
    });
}
