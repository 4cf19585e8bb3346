//! Events: any bytes, read as the event JSON `declic run` takes, and every event that
//! reads run through the bundled English recipes. Nothing may panic.

use std::path::Path;
use std::sync::LazyLock;

use declic::engine::Compiled;
use declic::model::Event;

/// The rules every event runs through, read once per process.
static ENGINE: LazyLock<Compiled> = LazyLock::new(|| {
    let recipes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../recipes/en");
    let rules = declic::check_path(&recipes)
        .into_result()
        .expect("the recipes check");
    Compiled::new(&rules).expect("the recipes compile")
});

fn main() {
    LazyLock::force(&ENGINE);
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok(event) = Event::from_json(text) {
            let outcome = ENGINE.run(&event);
            let _ = serde_json::to_string(&outcome);
        }
    });
}
