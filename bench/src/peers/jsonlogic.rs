//! The recipes in JSONLogic, run by datalogic-rs: one rule per trigger
//! (`recipes.jsonlogic.json`), compiled once into a [`Logic`].
//!
//! The data is datalogic's own form, a [`DataValue`] tree in a bump arena: evaluating
//! against a `&DataValue` costs no conversion at all, which is why datalogic's docs steer
//! hot loops to it rather than to `OwnedDataValue` (which every evaluation would copy into
//! the arena again). An arena tree is immutable, so a change to the ticket builds new
//! nodes for the changed field and its parents in the per-event arena, sharing everything
//! else: the data the rules see is rebuilt once per write, never per rule.

use datalogic_rs::bumpalo::Bump;
use datalogic_rs::{DataValue, Engine, Logic};

use super::{Doc, Fired, Leaf, Put, TITLES};

/// The rules, compiled.
pub struct JsonLogic {
    engine: Engine,
    rules: Vec<Logic>,
}

impl JsonLogic {
    /// Compiles `recipes.jsonlogic.json`, checking it holds the recipes in declic's order.
    pub fn new() -> JsonLogic {
        let engine = Engine::new();
        let text = include_str!("recipes.jsonlogic.json");
        let arena = Bump::new();
        let list = DataValue::from_str(text, &arena).expect("the JSONLogic rules are JSON");
        assert_eq!(
            list.len(),
            Some(TITLES.len()),
            "one JSONLogic rule per trigger"
        );
        let rules = list
            .members()
            .zip(TITLES)
            .map(|(rule, title)| {
                assert_eq!(rule.get("title").and_then(DataValue::as_str), Some(title));
                let when = rule.get("when").expect("each rule has a `when`").to_owned();
                engine.compile(when).expect("the JSONLogic rules compile")
            })
            .collect();
        JsonLogic { engine, rules }
    }

    /// Runs the cycle on one event already in datalogic's form; `arena` is scratch space,
    /// reset here.
    pub fn run(&self, event: &DataValue<'_>, arena: &mut Bump) -> Fired {
        arena.reset();
        let mut doc = Data {
            root: arena.alloc(*event),
            arena,
        };
        super::run(&mut doc, |i, doc| self.holds(i, doc))
    }

    /// Parses `text` into `arena` (strings borrowed from the text), then runs the cycle.
    pub fn run_json(&self, text: &str, arena: &mut Bump) -> Fired {
        arena.reset();
        let event = DataValue::from_str(text, arena).expect("valid");
        let mut doc = Data {
            root: arena.alloc(event),
            arena,
        };
        super::run(&mut doc, |i, doc| self.holds(i, doc))
    }

    fn holds<'a>(&'a self, i: usize, doc: &Data<'a>) -> bool {
        let result = self
            .engine
            .evaluate(&self.rules[i], doc.root, doc.arena)
            .expect("the JSONLogic rules evaluate");
        self.engine.truthy(result)
    }
}

/// Events in datalogic's form, parsed once into `arena` (not timed: the rows that start
/// from this form measure evaluation only).
pub fn prepare<'t>(texts: &'t [String], arena: &'t Bump) -> Vec<DataValue<'t>> {
    texts
        .iter()
        .map(|t| DataValue::from_str(t, arena).expect("valid"))
        .collect()
}

/// One event as the rules see it, changed in its arena.
struct Data<'a> {
    root: &'a DataValue<'a>,
    arena: &'a Bump,
}

impl Doc for Data<'_> {
    fn read<R>(&self, path: &[&str], f: impl FnOnce(Leaf<'_>) -> R) -> R {
        f(match lookup(*self.root, path) {
            DataValue::Null => Leaf::Null,
            DataValue::Bool(b) => Leaf::Bool(b),
            DataValue::String(s) => Leaf::Str(s),
            DataValue::Number(n) => n.as_i64().map_or(Leaf::Other, Leaf::Int),
            _ => Leaf::Other,
        })
    }

    fn write(&mut self, path: &[&'static str], value: Put) {
        let value = match value {
            Put::Null => DataValue::Null,
            Put::Int(i) => DataValue::from_i64(i),
            Put::Str(s) => DataValue::String(s),
        };
        self.root = self.arena.alloc(with(*self.root, path, value, self.arena));
    }

    fn has_tag(&self, tag: &str) -> bool {
        lookup(*self.root, &["ticket", "tags"])
            .members()
            .any(|t| t.as_str() == Some(tag))
    }

    fn push_tag(&mut self, tag: &'static str) {
        let tags = lookup(*self.root, &["ticket", "tags"]);
        let old = tags.as_array().unwrap_or(&[]);
        let new = self.arena.alloc_slice_fill_with(old.len() + 1, |i| {
            old.get(i).copied().unwrap_or(DataValue::String(tag))
        });
        self.root = self.arena.alloc(with(
            *self.root,
            &["ticket", "tags"],
            DataValue::Array(new),
            self.arena,
        ));
    }
}

/// The value at `path` (`Null` when any step is missing).
fn lookup<'a>(mut v: DataValue<'a>, path: &[&str]) -> DataValue<'a> {
    for key in path {
        v = v
            .as_object()
            .and_then(|pairs| pairs.iter().find(|(k, _)| k == key))
            .map_or(DataValue::Null, |(_, v)| *v);
    }
    v
}

/// `node` with `value` at `path`: new nodes along the path, the rest shared.
fn with<'a>(
    node: DataValue<'a>,
    path: &[&'static str],
    value: DataValue<'a>,
    arena: &'a Bump,
) -> DataValue<'a> {
    let Some((key, rest)) = path.split_first() else {
        return value;
    };
    let pairs = node.as_object().unwrap_or(&[]);
    let at = pairs.iter().position(|(k, _)| k == key);
    let child = with(
        at.map_or(DataValue::Null, |i| pairs[i].1),
        rest,
        value,
        arena,
    );
    let len = pairs.len() + usize::from(at.is_none());
    DataValue::Object(arena.alloc_slice_fill_with(len, |i| match pairs.get(i) {
        Some(&(k, _)) if Some(i) == at => (k, child),
        Some(&pair) => pair,
        None => (*key, child),
    }))
}
