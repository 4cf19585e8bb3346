//! The bundled recipes and sample events: golden `run` and `explain` output for every
//! sample event, and the English rule set behaving exactly as the French one.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use declic::engine::Compiled;
use declic::model::{Event, Outcome};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn events() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("events"))
        .expect("the events folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    found.sort();
    assert!(found.len() >= 8, "one sample event per seed situation");
    found
}

/// The command's stdout, run from the project's root so paths in it are relative.
fn declic(args: &[&str]) -> String {
    let out = Command::cargo_bin("declic")
        .expect("the binary is built")
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn name(path: &Path) -> String {
    path.file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn run_on_every_sample_event() {
    for event in events() {
        let relative = format!("events/{}.json", name(&event));
        let text = declic(&["run", "recipes/fr", &relative, "--format", "text"]);
        insta::assert_snapshot!(format!("run-{}", name(&event)), text);
    }
}

#[test]
fn explain_every_sample_event() {
    for event in events() {
        let relative = format!("events/{}.json", name(&event));
        let text = declic(&["explain", "recipes/fr", &relative]);
        insta::assert_snapshot!(format!("explain-{}", name(&event)), text);
    }
}

fn engine(lang: &str) -> Compiled {
    let rules = declic::check_path(&root().join("recipes").join(lang))
        .into_result()
        .unwrap_or_else(|e| panic!("recipes/{lang}: {e:?}"));
    Compiled::new(&rules).expect("compiles")
}

/// What does not depend on the language the recipes are written in.
fn shape(o: &Outcome) -> (serde_json::Value, Vec<u32>, Vec<&'static str>) {
    let passes = o.fired.iter().map(|f| f.pass).collect();
    let effects = o.effects.iter().map(|e| e.kind()).collect();
    let mut ticket = serde_json::to_value(&o.ticket).expect("a ticket serialises");
    // Once-per-ticket markers name triggers by title, which is translated.
    if let Some(t) = ticket.as_object_mut() {
        t.remove(declic::engine::ONCE_MARKER);
    }
    (ticket, passes, effects)
}

#[test]
fn english_and_french_recipes_do_the_same() {
    let (fr, en) = (engine("fr"), engine("en"));
    assert_eq!(fr.titles().count(), en.titles().count());
    for path in events() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let event = Event::from_json(&text).expect("a valid event");
        let (a, b) = (fr.run(&event), en.run(&event));
        assert_eq!(shape(&a), shape(&b), "{}", path.display());
    }
}

#[test]
fn the_recipes_check_without_a_warning() {
    for lang in ["fr", "en"] {
        let checked = declic::check_path(&root().join("recipes").join(lang));
        assert!(
            checked.diagnostics.is_empty(),
            "{lang}: {:?}",
            checked.diagnostics
        );
        assert_eq!(checked.files, 9, "nine recipe files in {lang}");
        // File 8 holds two automations, kept apart from the triggers; their linter
        // findings are part of the diagnostics above.
        let titles: Vec<&str> = checked
            .rules
            .automations
            .iter()
            .map(|a| &*a.title)
            .collect();
        assert_eq!(titles.len(), 2, "{lang}: {titles:?}");
        assert_eq!(checked.rules.queues.len(), 2, "{lang}: file 9's queues");
    }
}

#[test]
fn every_recipe_scenario_passes() {
    let out = Command::cargo_bin("declic")
        .expect("the binary is built")
        .current_dir(root())
        .args(["test", "recipes/", "--format", "json"])
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    let passed = report["summary"]["passed"].as_u64().unwrap_or_default();
    assert!(
        passed >= 7 * 4,
        "at least four scenarios per recipe: {report:#}"
    );
}
