//! The time conditions of automations: `Hours since pending > 48`, `Heures depuis En
//! attente > 48`, `Business hours since pending > 8` (DOMAIN.md section 6b).
//!
//! A time condition's name says both the moment counted from and what is counted: calendar
//! hours (`Hours since ...`) or the schedule's open hours (`Business hours since ...`,
//! `Heures ouvrées depuis ...`). The API puts the second in the operator
//! (`greater_than_business_hours`), but an admin reads "8 business hours since pending":
//! business hours are what is counted, not a way of comparing. Naming them in the field
//! keeps the operators the language already has (`is`, `<`, `>`) and needs no new keyword.
//!
//! The French names follow the status values (`En attente`, `Résolu`), so that what an
//! admin reads in a status condition is what they write in a time condition; the older
//! noun phrases (`Heures depuis la mise en attente`) stay accepted.

use super::{folds_to, with_folded, Found, Lang, Names};
use crate::model::{HoursOp, Moment};

/// One time condition of the catalog: a moment, counted in calendar or business hours.
#[derive(Debug)]
pub struct TimeField {
    /// The moment counted from (or, for [`Moment::UntilDueDate`], to).
    pub moment: Moment,
    /// Whether only the schedule's open hours count.
    pub business: bool,
    /// Its names; `api` is the moment's API field (the operator carries the business
    /// hours, see [`crate::model::HoursTest::api_operator`]).
    pub names: Names,
}

/// The operators a time condition takes, as the API has them.
pub const OPS: [HoursOp; 3] = [HoursOp::Is, HoursOp::LessThan, HoursOp::GreaterThan];

/// A row counting calendar hours.
const fn hours(
    moment: Moment,
    en: &'static [&'static str],
    fr: &'static [&'static str],
) -> TimeField {
    row(moment, false, en, fr)
}

/// A row counting the schedule's open hours.
const fn business(
    moment: Moment,
    en: &'static [&'static str],
    fr: &'static [&'static str],
) -> TimeField {
    row(moment, true, en, fr)
}

const fn row(
    moment: Moment,
    business: bool,
    en: &'static [&'static str],
    fr: &'static [&'static str],
) -> TimeField {
    TimeField {
        moment,
        business,
        names: Names {
            en,
            fr,
            api: moment.api(),
        },
    }
}

/// Every time condition: the calendar-hours ones first, so that a bare API name (`PENDING`)
/// reads as calendar hours, as the API's plain operators mean.
pub static TIME_FIELDS: &[TimeField] = &[
    hours(
        Moment::New,
        &["Hours since created", "Hours since new"],
        &["Heures depuis Nouveau", "Heures depuis la création"],
    ),
    hours(
        Moment::Open,
        &["Hours since open"],
        &["Heures depuis Ouvert", "Heures depuis l'ouverture"],
    ),
    hours(
        Moment::Pending,
        &["Hours since pending"],
        &[
            "Heures depuis En attente",
            "Heures depuis la mise en attente",
        ],
    ),
    hours(
        Moment::Hold,
        &[
            "Hours since on-hold",
            "Hours since on hold",
            "Hours since hold",
        ],
        &["Heures depuis En pause", "Heures depuis la mise en pause"],
    ),
    hours(
        Moment::Solved,
        &["Hours since solved"],
        &["Heures depuis Résolu", "Heures depuis la résolution"],
    ),
    hours(
        Moment::Closed,
        &["Hours since closed"],
        &["Heures depuis Clos", "Heures depuis la clôture"],
    ),
    hours(
        Moment::Assigned,
        &["Hours since assigned"],
        &["Heures depuis l'assignation"],
    ),
    hours(
        Moment::Updated,
        &["Hours since update", "Hours since updated"],
        &["Heures depuis la mise à jour"],
    ),
    hours(
        Moment::RequesterUpdated,
        &[
            "Hours since requester update",
            "Hours since requester updated",
        ],
        &["Heures depuis la mise à jour du demandeur"],
    ),
    hours(
        Moment::AssigneeUpdated,
        &[
            "Hours since assignee update",
            "Hours since assignee updated",
        ],
        &["Heures depuis la mise à jour de l'assigné"],
    ),
    hours(
        Moment::DueDate,
        &["Hours since due date"],
        &["Heures depuis l'échéance"],
    ),
    hours(
        Moment::UntilDueDate,
        &["Hours until due date"],
        &["Heures avant l'échéance"],
    ),
    hours(
        Moment::SlaNextBreach,
        &["Hours since next SLA breach", "Hours since SLA breach"],
        &["Heures depuis la prochaine violation de SLA"],
    ),
    business(
        Moment::New,
        &["Business hours since created", "Business hours since new"],
        &[
            "Heures ouvrées depuis Nouveau",
            "Heures ouvrées depuis la création",
        ],
    ),
    business(
        Moment::Open,
        &["Business hours since open"],
        &[
            "Heures ouvrées depuis Ouvert",
            "Heures ouvrées depuis l'ouverture",
        ],
    ),
    business(
        Moment::Pending,
        &["Business hours since pending"],
        &[
            "Heures ouvrées depuis En attente",
            "Heures ouvrées depuis la mise en attente",
        ],
    ),
    business(
        Moment::Hold,
        &[
            "Business hours since on-hold",
            "Business hours since on hold",
            "Business hours since hold",
        ],
        &[
            "Heures ouvrées depuis En pause",
            "Heures ouvrées depuis la mise en pause",
        ],
    ),
    business(
        Moment::Solved,
        &["Business hours since solved"],
        &[
            "Heures ouvrées depuis Résolu",
            "Heures ouvrées depuis la résolution",
        ],
    ),
    business(
        Moment::Closed,
        &["Business hours since closed"],
        &[
            "Heures ouvrées depuis Clos",
            "Heures ouvrées depuis la clôture",
        ],
    ),
    business(
        Moment::Assigned,
        &["Business hours since assigned"],
        &["Heures ouvrées depuis l'assignation"],
    ),
    business(
        Moment::Updated,
        &[
            "Business hours since update",
            "Business hours since updated",
        ],
        &["Heures ouvrées depuis la mise à jour"],
    ),
    business(
        Moment::RequesterUpdated,
        &[
            "Business hours since requester update",
            "Business hours since requester updated",
        ],
        &["Heures ouvrées depuis la mise à jour du demandeur"],
    ),
    business(
        Moment::AssigneeUpdated,
        &[
            "Business hours since assignee update",
            "Business hours since assignee updated",
        ],
        &["Heures ouvrées depuis la mise à jour de l'assigné"],
    ),
    business(
        Moment::DueDate,
        &["Business hours since due date"],
        &["Heures ouvrées depuis l'échéance"],
    ),
    business(
        Moment::UntilDueDate,
        &["Business hours until due date"],
        &["Heures ouvrées avant l'échéance"],
    ),
    business(
        Moment::SlaNextBreach,
        &[
            "Business hours since next SLA breach",
            "Business hours since SLA breach",
        ],
        &["Heures ouvrées depuis la prochaine violation de SLA"],
    ),
];

impl TimeField {
    /// The row for `moment` counted in calendar or business hours.
    pub fn get(moment: Moment, business: bool) -> &'static TimeField {
        TIME_FIELDS
            .iter()
            .find(|f| f.moment == moment && f.business == business)
            .expect("every moment has both rows (checked by a test)")
    }

    /// The name to write in `lang`. A business-hours condition has no API name of its own
    /// (the API says it in the operator), so it is written in English there.
    pub fn name(&self, lang: Lang) -> &'static str {
        match (lang, self.business) {
            (Lang::Api, true) => self.names.en[0],
            _ => self.names.canonical(lang),
        }
    }
}

/// The time condition named `name`, in any language, case and accents.
pub fn find(name: &str) -> Option<Found<&'static TimeField>> {
    with_folded(name, |wanted| {
        TIME_FIELDS.iter().find_map(|f| {
            let (lang, _) = f.names.all().find(|(_, n)| folds_to(n, wanted))?;
            // The API's field names a calendar-hours condition; a business-hours row
            // shares it only to export.
            (lang != Lang::Api || !f.business).then_some(Found { item: f, lang })
        })
    })
}

/// Every spelling of every time condition, for did-you-mean.
pub fn spellings() -> impl Iterator<Item = (&'static str, usize)> {
    TIME_FIELDS
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.names.all().map(move |(_, n)| (n, i)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fold;

    #[test]
    fn every_moment_has_a_calendar_and_a_business_row() {
        for moment in Moment::ALL {
            for business in [false, true] {
                let f = TimeField::get(moment, business);
                assert_eq!(f.names.api, moment.api());
                assert_eq!(f.business, business);
            }
        }
        assert_eq!(TIME_FIELDS.len(), 2 * Moment::ALL.len());
    }

    #[test]
    fn names_read_in_both_languages_and_the_api() {
        let cases = [
            ("Hours since pending", Moment::Pending, false, Lang::En),
            ("Heures depuis En attente", Moment::Pending, false, Lang::Fr),
            ("heures depuis en attente", Moment::Pending, false, Lang::Fr),
            (
                "Business hours since pending",
                Moment::Pending,
                true,
                Lang::En,
            ),
            (
                "Heures ouvrees depuis En attente",
                Moment::Pending,
                true,
                Lang::Fr,
            ),
            ("PENDING", Moment::Pending, false, Lang::Api),
            (
                "Hours until due date",
                Moment::UntilDueDate,
                false,
                Lang::En,
            ),
            (
                "sla_next_breach_at",
                Moment::SlaNextBreach,
                false,
                Lang::Api,
            ),
            ("Heures depuis la création", Moment::New, false, Lang::Fr),
        ];
        for (name, moment, business, lang) in cases {
            let found = find(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(
                (found.item.moment, found.item.business, found.lang),
                (moment, business, lang),
                "{name}"
            );
        }
        // Near misses: half a name, a typo, a status in a sentence.
        for name in [
            "Hours since",
            "Hours pending",
            "Business hours",
            "Hours since pendin",
        ] {
            assert!(find(name).is_none(), "{name}");
        }
    }

    /// The catalog's index reads every name as trying each row in turn does: every
    /// spelling, shouted and spaced out, and the near misses of the test above.
    #[test]
    fn the_catalog_index_finds_what_the_rows_do() {
        let row = |found: Option<Found<&'static TimeField>>| {
            found.map(|f| (std::ptr::from_ref(f.item), f.lang))
        };
        let spelt = spellings().flat_map(|(name, _)| {
            [
                name.to_owned(),
                name.to_uppercase(),
                format!("  {}  ", name.replace(' ', "  ")),
            ]
        });
        let misses = ["Hours since", "Hours pending", "Business hours", "Tags", ""];
        let mut found = 0;
        for name in spelt.chain(misses.map(str::to_owned)) {
            let indexed = super::super::Catalog::get().time(&name);
            found += usize::from(indexed.is_some());
            assert_eq!(row(indexed), row(find(&name)), "{name}");
        }
        assert_eq!(found, 3 * spellings().count());
    }

    #[test]
    fn no_two_rows_share_a_spelling() {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (name, i) in spellings() {
            let folded = fold(name);
            if let Some((_, other)) = seen.iter().find(|(n, _)| *n == folded) {
                // Only the business row's API name repeats its calendar row's.
                assert_eq!(TIME_FIELDS[*other].moment, TIME_FIELDS[i].moment, "{name}");
                assert!(TIME_FIELDS[i].business && name == TIME_FIELDS[i].names.api);
                continue;
            }
            seen.push((folded, i));
        }
    }
}
