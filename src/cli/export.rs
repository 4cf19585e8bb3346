//! `declic export zendesk`: checked rules as the JSON the Zendesk API accepts.

use std::path::PathBuf;

use declic::interop::export;
use declic::interop::write_atomic;
use declic::interop::zendesk_json::RuleKind;
use declic::Diagnostic;

use super::interop::{fail, load_account, Shared};
use super::output;
use super::Exit;

const EXAMPLES: &str = "\
Examples:
  declic export zendesk rules/                   {\"triggers\": [...]} on standard output
  declic export zendesk rules/ -o triggers.json  written atomically; --force to replace
  declic export zendesk rules/ --automations      only the automations: {\"automations\": [...]}
  declic export zendesk rules/ --account account/   titles back to ids
  declic export zendesk rules/ --queues          {\"queues\": [...]}, the routing queues

Each trigger becomes {title, description, active, position, category_id, id, conditions:
{all, any}, actions}, in run order; automations the same, under \"automations\". A rule set
holding both writes both lists in one document, which import reads back whole;
--triggers or --automations writes the one list an API endpoint takes. Conditions nested beyond one all-list and one any-list
are rewritten into that form when an equivalent one exists (not -> opposite operators, De
Morgan), and the trigger is refused with declic::not_exportable when none does.

Exit codes:
  0  exported
  1  the rules have errors, or a trigger cannot be exported; nothing is written
  2  bad arguments, an unreadable path, an output file that exists";

/// Export rules to another system.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    to: To,
}

#[derive(Debug, clap::Subcommand)]
enum To {
    /// The JSON the Zendesk triggers (or automations) API accepts for create and update.
    Zendesk(ZendeskArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
struct ZendeskArgs {
    /// The rule set: a file, or a directory of .declic files.
    #[arg(value_name = "RULES")]
    rules: PathBuf,
    /// File to write; standard output if not given.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Write only the automations, `{"automations": [...]}`, as `/api/v2/automations` takes.
    #[arg(long, conflicts_with = "triggers")]
    automations: bool,
    /// Write only the triggers, `{"triggers": [...]}`, as `/api/v2/triggers` takes.
    #[arg(long, conflicts_with = "queues")]
    triggers: bool,
    /// Write the routing queues, `{"queues": [...]}` as the queues API takes them
    /// (`primary_groups_id`, `secondary_groups_id`), rather than the triggers.
    #[arg(long, conflicts_with = "automations")]
    queues: bool,
    #[command(flatten)]
    shared: Shared,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let To::Zendesk(args) = args.to;
    let Shared {
        force,
        ref account,
        format,
    } = args.shared;
    let account = match load_account(account.as_deref()) {
        Ok(account) => account,
        Err(d) => return fail(&[*d], format, Exit::Usage),
    };
    let checked = declic::check_path_with(&args.rules, account.as_ref());
    let unreadable = checked.diagnostics.iter().any(|d| d.code.is_unreadable());
    let mut diagnostics = checked.diagnostics.clone();
    let Ok(rules) = checked.into_result() else {
        let exit = if unreadable {
            Exit::Usage
        } else {
            Exit::Problems
        };
        return fail(&diagnostics, format, exit);
    };
    let json = if args.queues {
        let (queues, refused) = declic::interop::queue::export(&rules);
        diagnostics.extend(refused);
        serde_json::to_string_pretty(&queues).unwrap_or_default() + "\n"
    } else {
        let mut exported = export::export(&rules, account.as_ref());
        diagnostics.append(&mut exported.diagnostics);
        let only = match (args.triggers, args.automations) {
            (true, _) => Some(RuleKind::Trigger),
            (_, true) => Some(RuleKind::Automation),
            _ => None,
        };
        export::document(&exported, only)
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return fail(&diagnostics, format, Exit::Problems);
    }
    let written = match &args.output {
        None => {
            output::emit(&json);
            Ok(())
        }
        Some(path) => write_atomic(path, &json, force),
    };
    if let Err(e) = written {
        diagnostics.push(e.to_diagnostic());
        return fail(&diagnostics, format, Exit::Usage);
    }
    output::to_stderr(&diagnostics, format);
    Exit::Ok
}
