//! `declic lsp`: the language server, for editors.

use std::path::PathBuf;

use super::Exit;

const EXAMPLES: &str = "\
Editors start it; it speaks the Language Server Protocol on standard input and output:
  declic lsp                          serve one editor
  declic lsp --account account/       rules may name the account's fields, groups, webhooks

A file's rule set is its folder, or the nearest folder above it with a declic.toml.
editors/ in the repository has the VS Code extension and the Neovim and Helix settings.";

/// Serve editors over the Language Server Protocol (stdio).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Folder of the account's API exports (ticket_fields.json, groups.json...), so rules
    /// may name custom fields, groups and webhooks by title.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
}

/// Runs the command until the editor says `exit` or goes away.
pub fn run(args: Args) -> Exit {
    let settings = declic::lsp::Settings {
        account: args.account,
    };
    match declic::lsp::serve_stdio(settings) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("declic lsp: {e}");
            Exit::Usage
        }
    }
}
