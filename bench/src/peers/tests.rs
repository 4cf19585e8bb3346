//! Event by event, each peer fires the same triggers as declic (the harness only compares
//! totals), from its own form of the data and from the JSON text alike.

use datalogic_rs::bumpalo::Bump;

use super::{jsonlogic::JsonLogic, rhai::Rhai, Fired, TITLES};

/// The triggers declic fires on `text`, as a mask over [`TITLES`].
fn declic_fired(engine: &declic::engine::Compiled, text: &str) -> Fired {
    let event = declic::model::Event::from_json(text).expect("valid");
    engine.run(&event).fired.iter().fold(0, |mask, f| {
        let i = TITLES
            .iter()
            .position(|t| *t == &*f.trigger)
            .expect("a known trigger");
        mask | 1 << i
    })
}

#[test]
fn peers_fire_what_declic_fires_on_every_event() {
    let texts = crate::events::generate(3_000, 7);
    let engine = crate::recipes();
    let jsonlogic = JsonLogic::new();
    let arena = Bump::new();
    let data = super::jsonlogic::prepare(&texts, &arena);
    let rhai = Rhai::new();
    let mut scopes = super::rhai::prepare(&texts);
    let (mut scratch, mut scope) = (Bump::new(), ::rhai::Scope::new());
    for (i, text) in texts.iter().enumerate() {
        let want = declic_fired(&engine, text);
        let got = [
            jsonlogic.run(&data[i], &mut scratch),
            jsonlogic.run_json(text, &mut scratch),
            rhai.run(&mut scopes[i]),
            rhai.run_json(text, &mut scope),
        ];
        assert_eq!(got, [want; 4], "event {i}: {text}");
    }
    // Running an event leaves it as it was: a second run fires the same.
    assert_eq!(rhai.run(&mut scopes[0]), declic_fired(&engine, &texts[0]));
}

/// The hand-written situations of `events/`, which reach corners the generator may not.
#[test]
fn peers_fire_what_declic_fires_on_the_sample_events() {
    let engine = crate::recipes();
    let (jsonlogic, rhai) = (JsonLogic::new(), Rhai::new());
    let (mut scratch, mut scope) = (Bump::new(), ::rhai::Scope::new());
    let mut paths: Vec<_> = std::fs::read_dir(crate::root().join("events"))
        .expect("the sample events")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        // Business hours from a schedule are not modelled (see the module's doc).
        if text.contains("\"schedule\"") {
            continue;
        }
        let want = declic_fired(&engine, &text);
        let got = [
            jsonlogic.run_json(&text, &mut scratch),
            rhai.run_json(&text, &mut scope),
        ];
        assert_eq!(got, [want; 2], "{}", path.display());
    }
}
