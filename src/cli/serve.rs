//! `declic serve`: the rule set as an HTTP service.

use std::net::SocketAddr;
use std::path::PathBuf;

use declic::serve::{self, StartError};

use super::{rules, Exit};

const EXAMPLES: &str = "\
Examples:
  declic serve recipes/fr                          on 127.0.0.1:7878
  declic serve recipes/fr --listen 0.0.0.0:8080 --account exports/

  curl -s localhost:7878/v1/run -d @events/agent-ends-session.json

Logs are JSON lines on stderr. The rules are checked before the server starts: with
errors, it does not start.

Exit codes:
  0  the server stopped cleanly
  1  the rules have errors
  2  bad arguments, or the address cannot be listened on";

/// Serve a rule set over HTTP: events in, outcomes out.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set: a rule file or a directory.
    rules: PathBuf,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...).
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
    /// The address to listen on (port 0: any free port, named in the first log line).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    listen: SocketAddr,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let config = serve::Config {
        origin: serve::origin(args.rules, args.account),
        listen: args.listen,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    let Ok(runtime) = runtime else {
        eprintln!("error: cannot start the server's threads");
        return Exit::Usage;
    };
    match runtime.block_on(serve::serve(config)) {
        Ok(()) => Exit::Ok,
        Err(StartError::Rules(rejected)) => {
            rules::show(&rejected.diagnostics, true);
            let unreadable = rejected.diagnostics.iter().any(|d| d.code.is_unreadable());
            if unreadable {
                Exit::Usage
            } else {
                Exit::Problems
            }
        }
        Err(StartError::Listen(e)) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            Exit::Usage
        }
    }
}
