//! `declic catalog`: the vocabulary, for writing rules without guessing names.

use declic::catalog::time::{self, TimeField, TIME_FIELDS};
use declic::catalog::{actions::ACTIONS, fields::FIELDS, Domain, Names};
use declic::model::HoursTest;
use serde_json::json;

use super::{output, Exit};

const EXAMPLES: &str = "\
Examples:
  declic catalog                  every field, time condition and action, in English, French
                                  and API form
  declic catalog --format json    the same, for tools";

/// List every field, value and action with its English, French and Zendesk API names.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// `text` or `json`.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
    format: CatalogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CatalogFormat {
    Text,
    Json,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    match args.format {
        CatalogFormat::Json => output::emit(&format!("{:#}\n", as_json())),
        CatalogFormat::Text => output::emit(&as_text()),
    }
    Exit::Ok
}

fn names(n: &Names) -> serde_json::Value {
    json!({ "en": n.en, "fr": n.fr, "api": n.api })
}

fn values(domain: &Domain) -> serde_json::Value {
    domain.values().iter().map(|v| names(&v.names)).collect()
}

fn as_json() -> serde_json::Value {
    let fields: Vec<_> = FIELDS
        .iter()
        .map(|f| {
            json!({
                "names": names(&f.names),
                "domain": f.domain.describe(),
                "values": values(&f.domain),
                "operators": f.ops.iter().map(|o| json!({"en": o.en(), "fr": o.fr()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let actions: Vec<_> = ACTIONS
        .iter()
        .map(|a| json!({ "names": names(&a.names), "takes": a.args.describe() }))
        .collect();
    let times: Vec<_> = TIME_FIELDS
        .iter()
        .map(|t| {
            json!({
                "names": names(&t.names),
                "business_hours": t.business,
                "operators": time_operators(t),
            })
        })
        .collect();
    json!({ "fields": fields, "time_conditions": times, "actions": actions })
}

/// The API operators of a time condition: `greater_than`, or with business hours
/// `greater_than_business_hours`.
fn time_operators(t: &TimeField) -> Vec<&'static str> {
    time::OPS
        .iter()
        .map(|&op| {
            HoursTest {
                moment: t.moment,
                op,
                business: t.business,
                hours: 0,
            }
            .api_operator()
        })
        .collect()
}

fn as_text() -> String {
    let mut out = String::from("FIELDS (English | French | API)\n");
    for f in FIELDS {
        out.push_str(&format!(
            "  {} | {} | {}\n",
            f.names.en[0], f.names.fr[0], f.names.api
        ));
        let values: Vec<String> = f
            .domain
            .values()
            .iter()
            .map(|v| format!("{} / {}", v.names.en[0], v.names.fr[0]))
            .collect();
        if !values.is_empty() {
            out.push_str(&format!("      values: {}\n", values.join(", ")));
        } else {
            out.push_str(&format!("      takes {}\n", f.domain.describe()));
        }
        let ops: Vec<&str> = f.ops.iter().map(|o| o.en()).collect();
        out.push_str(&format!("      operators: {}\n", ops.join(", ")));
    }
    out.push_str("  Custom field <id> | Champ personnalisé <id> | custom_fields_<id>\n");
    out.push_str(
        "\nTIME CONDITIONS, automations only (English | French | API); \
         operators: is, <, > (est, <, >)\n",
    );
    for t in TIME_FIELDS {
        out.push_str(&format!(
            "  {} | {} | {} {}\n",
            t.names.en[0],
            t.names.fr[0],
            t.names.api,
            time_operators(t).join(", ")
        ));
    }
    out.push_str("\nACTIONS (English | French | API)\n");
    for a in ACTIONS {
        out.push_str(&format!(
            "  {} | {} | {}\n",
            a.names.en[0], a.names.fr[0], a.names.api
        ));
    }
    out
}
