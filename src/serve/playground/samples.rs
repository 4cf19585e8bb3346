//! The samples the page offers: the bundled recipes in English and French, and the sample
//! events, built into the binary so that the server needs no files beside it.

use serde::Serialize;

/// `(path in the repository, text)` of each file listed, read at build time.
macro_rules! embedded {
    ($($path:literal,)*) => {
        &[$(($path, include_str!(concat!("../../../", $path))),)*]
    };
}

/// The recipes, English then French, each language in file order.
const RECIPES: &[(&str, &str)] = embedded![
    "recipes/en/1-after-hours.declic",
    "recipes/en/2-surge-messaging-routing.declic",
    "recipes/en/3-surge-omnichannel-routing.declic",
    "recipes/en/4-email-follow-up.declic",
    "recipes/en/5-auto-solve-abandoned.declic",
    "recipes/en/6-session-end-reporting.declic",
    "recipes/en/7-csat-at-session-end.declic",
    "recipes/en/8-pending-reminder-and-solve.declic",
    "recipes/en/9-routing-queues.declic",
    "recipes/fr/1-hors-horaires.declic",
    "recipes/fr/2-afflux-routage-messagerie.declic",
    "recipes/fr/3-afflux-routage-omnicanal.declic",
    "recipes/fr/4-relance-email-abandons.declic",
    "recipes/fr/5-resolution-auto-abandons.declic",
    "recipes/fr/6-reporting-fin-de-session.declic",
    "recipes/fr/7-csat-fin-de-session.declic",
    "recipes/fr/8-relance-et-resolution-en-attente.declic",
    "recipes/fr/9-files-de-routage.declic",
];

/// The sample events, in file order.
const EVENTS: &[(&str, &str)] = embedded![
    "events/abandoned-assigned-messaging-routing.json",
    "events/abandoned-assigned-omnichannel.json",
    "events/agent-ends-session-stays-messaging.json",
    "events/agent-ends-session.json",
    "events/agent-solves-active-conversation.json",
    "events/closed-ticket-update.json",
    "events/end-user-message-after-session-ended.json",
    "events/message-sent-after-closing-time.json",
    "events/messaging-created-outside-business-hours.json",
    "events/solved-after-agent-ended-session.json",
    "events/surge-already-handled-supervisor-note.json",
    "events/surge-unassigned-inactive-messaging-routing.json",
    "events/surge-unassigned-inactive-omnichannel.json",
];

/// `GET /v1/playground/samples`: everything the page's pickers offer.
#[derive(Debug, Serialize)]
pub struct Samples {
    /// The recipes, one rule file each.
    pub recipes: Vec<Recipe>,
    /// The sample events, one JSON document each.
    pub events: Vec<Sample>,
}

/// One bundled rule file.
#[derive(Debug, Serialize)]
pub struct Recipe {
    /// `en` or `fr`: the language it is written in.
    pub lang: &'static str,
    /// Its name below `recipes/`: `en/1-after-hours.declic`.
    pub name: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// One bundled event.
#[derive(Debug, Serialize)]
pub struct Sample {
    /// Its file name: `agent-ends-session.json`.
    pub name: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// The recipes and events built into the binary.
pub fn samples() -> Samples {
    let recipes = RECIPES.iter().filter_map(|&(path, text)| {
        let name = path.strip_prefix("recipes/")?;
        let (lang, _) = name.split_once('/')?;
        Some(Recipe { lang, name, text })
    });
    let events = EVENTS.iter().filter_map(|&(path, text)| {
        let name = path.strip_prefix("events/")?;
        Some(Sample { name, text })
    });
    Samples {
        recipes: recipes.collect(),
        events: events.collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Event;
    use crate::{Severity, Source};

    /// The files of `folder` (from the repository's root) whose names end with `ext`.
    fn files_in(folder: &str, ext: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("the folder is in the repository")
            .map(|entry| entry.expect("a listed entry").file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .filter(|name| name.ends_with(ext))
            .map(|name| format!("{folder}/{name}"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_recipe_and_event_of_the_repository_is_offered() {
        let recipes: Vec<&str> = RECIPES.iter().map(|(path, _)| *path).collect();
        let mut wanted = files_in("recipes/en", ".declic");
        wanted.extend(files_in("recipes/fr", ".declic"));
        assert_eq!(recipes, wanted);
        let events: Vec<&str> = EVENTS.iter().map(|(path, _)| *path).collect();
        assert_eq!(events, files_in("events", ".json"));
        // Every embedded file is offered by the API, under its short name.
        let samples = samples();
        assert_eq!(samples.recipes.len(), RECIPES.len());
        assert_eq!(samples.events.len(), EVENTS.len());
        assert!(samples
            .recipes
            .iter()
            .all(|r| format!("recipes/{}", r.name).starts_with(&format!("recipes/{}/", r.lang))));
        assert!(samples.recipes.iter().any(|r| r.lang == "en"));
        assert!(samples.recipes.iter().any(|r| r.lang == "fr"));
    }

    #[test]
    fn every_sample_checks_and_every_event_reads() {
        for recipe in samples().recipes {
            let checked = crate::check(&[Source::new(recipe.name, recipe.text)]);
            assert_eq!(checked.count(Severity::Error), 0, "{}", recipe.name);
        }
        for sample in samples().events {
            assert!(Event::from_json(sample.text).is_ok(), "{}", sample.name);
        }
    }
}
