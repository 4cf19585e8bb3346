//! JSON Schemas of the model, generated from the types so they cannot drift from them.
//!
//! The repository checks them in under `schema/`; `tests/schema.rs` fails when they are
//! stale and rewrites them when `DECLIC_UPDATE_SCHEMA=1` is set.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

use super::{Changes, Event, Outcome, Ticket};

/// The schema of an [`Event`], the input of `declic run`: what may be read.
pub fn event_schema() -> Value {
    generate::<Event>(SchemaSettings::draft2020_12())
}

/// The schema of an [`Outcome`], the output of a cycle: what is written, so a field that
/// is always written is required.
pub fn outcome_schema() -> Value {
    generate::<Outcome>(SchemaSettings::draft2020_12().for_serialize())
}

/// The schema of [`Changes`], the output of `declic run --output changes`.
pub fn changes_schema() -> Value {
    generate::<Changes>(SchemaSettings::draft2020_12().for_serialize())
}

/// The schema of a [`Ticket`] on its own.
pub fn ticket_schema() -> Value {
    generate::<Ticket>(SchemaSettings::draft2020_12())
}

fn generate<T: JsonSchema>(settings: SchemaSettings) -> Value {
    settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
