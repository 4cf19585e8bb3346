//! Scenario files: any bytes, read as `declic test` reads a `.scenarios.toml` file, and
//! every file that reads and names only known triggers run against the French recipes,
//! whose scenarios are the seeds. Nothing may panic.

use std::path::Path;
use std::sync::LazyLock;

use declic::engine::Compiled;
use declic::scenario::{run, ScenarioFile};
use declic::RuleSet;

/// The rules the scenarios run against, read once per process.
static RULES: LazyLock<(RuleSet, Compiled)> = LazyLock::new(|| {
    let recipes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../recipes/fr");
    let rules = declic::check_path(&recipes)
        .into_result()
        .expect("the recipes check");
    let engine = Compiled::new(&rules).expect("the recipes compile");
    (rules, engine)
});

fn main() {
    LazyLock::force(&RULES);
    afl::fuzz!(|data: &[u8]| {
        let path = Path::new("fuzz.scenarios.toml");
        let Ok(source) = declic::load::decode(path, data.to_vec()) else {
            return;
        };
        let Ok(file) = ScenarioFile::parse(&source) else {
            return;
        };
        let (rules, engine) = &*RULES;
        if file.check_triggers(rules).is_empty() {
            for scenario in &file.scenarios {
                run(scenario, &file.source, engine);
            }
        }
    });
}
