//! What `import` and `export` share: account metadata (`--account DIR`, also read by
//! `check`), replacing files, and diagnostics on standard error.

use std::path::{Path, PathBuf};

use declic::account::Account;
use declic::Diagnostic;

use super::output::{self, Format};
use super::Exit;

/// The options of `import` and `export` besides their input and output.
#[derive(Debug, clap::Args)]
pub struct Shared {
    /// Replace files that exist.
    #[arg(long)]
    pub force: bool,
    /// Folder of the account's API exports (ticket_fields.json, groups.json, users.json,
    /// webhooks.json, schedules.json, brands.json, trigger_categories.json), so that rules
    /// name fields, groups and webhooks by title.
    #[arg(long, value_name = "DIR")]
    pub account: Option<PathBuf>,
    /// How to show diagnostics (on standard error).
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    pub format: Format,
}

/// The account in `dir`, if one was given; a folder that cannot be read, or a file in it
/// that is not the API's answer, is a diagnostic (and the command a usage error).
pub fn load_account(dir: Option<&Path>) -> Result<Option<Account>, Box<Diagnostic>> {
    match dir {
        None => Ok(None),
        Some(dir) => Account::load(dir)
            .map(Some)
            .map_err(|e| Box::new(e.to_diagnostic())),
    }
}

/// Shows `diagnostics` and ends with `exit`.
pub fn fail(diagnostics: &[Diagnostic], format: Format, exit: Exit) -> Exit {
    output::to_stderr(diagnostics, format);
    exit
}

/// The routing queues `file` holds as declic text, when it is the queues API's answer
/// (`{"queues": [...]}` or `{"queue": {...}}`); `None` for any other file, which the
/// triggers' import then reads (and reports if unreadable).
pub fn queues(
    file: &Path,
    style: declic::interop::text::Style<'_>,
) -> Option<Result<declic::interop::queue::ImportedQueues, declic::interop::InteropError>> {
    // Through the loader's checks (a device, a file past the size limit): what it refuses
    // is left to the triggers' import, which reports it.
    let text = String::from_utf8(declic::load::read_file(file).ok()?).ok()?;
    // Spares a large triggers export a second reading.
    if !text.contains("\"queue") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    declic::interop::queue::is_queues(&value)
        .then(|| declic::interop::queue::import(file, &value, style))
}
