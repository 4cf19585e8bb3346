//! `declic serve`: the engine as an HTTP service. Events come in as JSON, outcomes go out
//! as the command line prints them, each naming the version of the rules that produced it.
//!
//! The server holds no state between requests beyond its rule sets, so any number of
//! copies can run behind a load balancer.

pub mod error;
pub mod log;
pub mod playground;
mod routes;
pub mod rules;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;
use serde_json::json;

use rules::{Origin, Rejected, Version};

/// What the server serves and where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The rule set and its account.
    pub origin: Origin,
    /// The address to listen on; port 0 picks a free one (the log says which).
    pub listen: SocketAddr,
}

/// Why the server did not start.
#[derive(Debug)]
pub enum StartError {
    /// The rules do not check: their diagnostics.
    Rules(Rejected),
    /// The address cannot be listened on.
    Listen(std::io::Error),
}

/// A rule set being served: where it comes from, and the version requests now get.
pub struct Served {
    origin: Origin,
    current: ArcSwap<Version>,
}

impl Served {
    /// Loads the rule set at `origin`.
    pub fn load(origin: Origin) -> Result<Served, Rejected> {
        let version = origin.load()?;
        Ok(Served {
            origin,
            current: ArcSwap::from_pointee(version),
        })
    }

    /// The version a request starts on and keeps to its end, whatever reloads meanwhile.
    pub fn current(&self) -> Arc<Version> {
        self.current.load_full()
    }

    /// Where the rule set comes from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// What every request sees: the rule sets.
#[derive(Clone)]
pub struct State {
    served: Arc<Served>,
}

impl State {
    /// The state serving one rule set.
    pub fn new(served: Served) -> State {
        State {
            served: Arc::new(served),
        }
    }
}

/// The service's routes: the API, and the playground's page.
pub fn app(state: State) -> axum::Router {
    routes::api().merge(playground::router()).with_state(state)
}

/// Loads the rules, listens on `config.listen` and serves until the process is stopped.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let served = Served::load(config.origin).map_err(StartError::Rules)?;
    let version = served.current().id.clone();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(StartError::Listen)?;
    let address = listener.local_addr().map_err(StartError::Listen)?;
    log::info(
        "listening",
        json!({ "address": address.to_string(), "version": version }),
    );
    axum::serve(listener, app(State::new(served)))
        .await
        .map_err(StartError::Listen)
}

/// The rule set a file or folder holds, for the command line.
pub fn origin(rules: PathBuf, account: Option<PathBuf>) -> Origin {
    Origin { rules, account }
}
