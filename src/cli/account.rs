//! `--account DIR`: the account metadata that lets rules name fields, groups and webhooks
//! by title. Shared by the commands that read rules.

use std::path::Path;

use declic::interop::account::Account;
use declic::Diagnostic;

/// The account in `dir`, if one was given; a folder that cannot be read, or a file in it
/// that is not the API's answer, is a diagnostic (and the command a usage error).
pub fn load(dir: Option<&Path>) -> Result<Option<Account>, Box<Diagnostic>> {
    match dir {
        None => Ok(None),
        Some(dir) => Account::load(dir)
            .map(Some)
            .map_err(|e| Box::new(e.to_diagnostic())),
    }
}
