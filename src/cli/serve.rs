//! `declic serve`: rule sets as an HTTP service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use declic::serve::{self, rules::Origin, Limits, StartError};

use super::{rules, Exit};

const EXAMPLES: &str = "\
Examples:
  declic serve recipes/fr                          on 127.0.0.1:7878
  declic serve recipes/fr --listen 0.0.0.0:8080 --account exports/
  declic serve --accounts customers/               one rule set per folder

  curl -s localhost:7878/v1/run -d @events/agent-ends-session.json

Routes: POST /v1/run (one event, or NDJSON with Content-Type: application/x-ndjson;
?output=changes for what fired and changed, without the ticket),
POST /v1/explain[?trigger=TITLE], POST /v1/check, GET /v1/rules, GET /healthz,
GET /readyz, GET /metrics; under --accounts, /v1/accounts/NAME/run and so on.
The rules reload when their files change, or on SIGHUP; SIGTERM stops the server once
the requests in flight are answered. Logs are JSON lines on stderr.

Exit codes:
  0  the server stopped on SIGTERM or Ctrl-C
  1  the rules have errors: the server does not start
  2  bad arguments, an unreadable folder, or an address that cannot be listened on";

/// Serve rule sets over HTTP: events in, outcomes out.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set: a rule file or a directory.
    #[arg(required_unless_present = "accounts")]
    rules: Option<PathBuf>,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...).
    #[arg(long, value_name = "DIR", conflicts_with = "accounts")]
    account: Option<PathBuf>,
    /// Serve each folder of DIR as the rule set of one account (its `account` folder, if
    /// any, holding the account's exports), at /v1/accounts/FOLDER/...
    #[arg(long, value_name = "DIR", conflicts_with = "rules")]
    accounts: Option<PathBuf>,
    /// The address to listen on (port 0: any free port, named in the first log line).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    listen: SocketAddr,
    /// The most bytes a request body may hold (one line, for a stream).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().body)]
    max_body: usize,
    /// The deepest nesting of an event's JSON.
    #[arg(long, value_name = "N", default_value_t = Limits::default().depth)]
    max_depth: usize,
    /// Seconds a request may take (for a stream: the longest wait for its next line).
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().timeout.as_secs())]
    timeout: u64,
    /// The most requests answered at once; past it, 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = Limits::default().concurrency)]
    max_concurrent: usize,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let rules = match (args.rules, args.accounts) {
        (Some(rules), _) => serve::Rules::One(Origin {
            rules,
            account: args.account,
        }),
        (None, Some(dir)) => serve::Rules::Accounts(dir),
        // clap requires one of them.
        (None, None) => return Exit::Usage,
    };
    let config = serve::Config {
        rules,
        listen: args.listen,
        limits: Limits {
            body: args.max_body,
            depth: args.max_depth.max(1),
            timeout: Duration::from_secs(args.timeout.max(1)),
            // tokio's semaphore holds at most `MAX_PERMITS` slots; more would mean no limit anyway.
            concurrency: args
                .max_concurrent
                .clamp(1, tokio::sync::Semaphore::MAX_PERMITS),
        },
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
        Err(StartError::Rules(refused)) => {
            if let Some(account) = &refused.account {
                eprintln!("error: the rules of account `{account}` do not check");
            }
            let diagnostics = &refused.rejected.diagnostics;
            rules::show(diagnostics, true);
            if diagnostics.iter().any(|d| d.code.is_unreadable()) {
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
