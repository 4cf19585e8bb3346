//! `declic serve`: the engine as an HTTP service. Events come in as JSON, outcomes go out
//! as `declic run` prints them, each naming the version of the rules that produced it.
//! When the rule files change (or on SIGHUP) they are checked again and, if they check,
//! replace the rules served; requests in flight finish on the version they started with.
//!
//! The server holds no state between requests beyond its rule sets, so any number of
//! copies can run behind a load balancer.

mod depth;
pub mod error;
mod limits;
pub mod log;
mod metrics;
pub mod playground;
mod routes;
pub mod rules;
mod runner;
pub mod sets;
mod stream;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use serde_json::json;
use tokio::sync::Semaphore;

pub use limits::Limits;
use rules::Origin;
use sets::{Refused, Sets};

/// What the server serves and where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The rule sets.
    pub rules: Rules,
    /// The address to listen on; port 0 picks a free one (the first log line names it).
    pub listen: SocketAddr,
    /// The bounds on requests.
    pub limits: Limits,
}

/// Which rule sets to serve.
#[derive(Debug, Clone)]
pub enum Rules {
    /// One rule set, under `/v1/`.
    One(Origin),
    /// A rule set for each folder of this one, under `/v1/accounts/{name}/`.
    Accounts(PathBuf),
}

/// Why the server did not start.
#[derive(Debug)]
pub enum StartError {
    /// A rule set does not check.
    Rules(Refused),
    /// The address cannot be listened on.
    Listen(std::io::Error),
}

/// What every request shares.
#[derive(Clone)]
pub struct State(Arc<Shared>);

/// The contents of [`State`].
pub struct Shared {
    /// The rule sets.
    pub sets: Sets,
    /// The bounds on requests.
    pub limits: Limits,
    metrics: metrics::Metrics,
    /// The slots of the concurrency limit.
    permits: Arc<Semaphore>,
}

impl std::ops::Deref for State {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl State {
    /// The state of a server of `sets` within `limits`.
    pub fn new(sets: Sets, limits: Limits) -> State {
        State(Arc::new(Shared {
            sets,
            permits: Arc::new(Semaphore::new(limits.concurrency)),
            limits,
            metrics: metrics::Metrics::default(),
        }))
    }
}

/// The service: the API, the playground's page, and around them the request log, the
/// metrics and (for the rule sets' routes) the limits.
pub fn app(state: State) -> axum::Router {
    let limit = from_fn_with_state(state.clone(), limits::limit);
    // The playground checks and runs whatever rules it is sent: the same bounds hold for
    // it as for the API, or it would be a way around them.
    routes::api(|v1| v1.route_layer(limit.clone()))
        .merge(playground::router().route_layer(limit))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(from_fn_with_state(state.clone(), limits::observe))
        .with_state(state)
}

/// Loads the rules, listens on `config.listen` and serves until SIGTERM or Ctrl-C, then
/// answers the requests in flight and returns.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let sets = match config.rules {
        Rules::One(origin) => Sets::one(origin),
        Rules::Accounts(dir) => Sets::accounts(&dir),
    };
    let state = State::new(sets.map_err(StartError::Rules)?, config.limits);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(StartError::Listen)?;
    let address = listener.local_addr().map_err(StartError::Listen)?;
    let _watchers = watch::start(&state);
    let terminated = watch::terminated();
    let versions: serde_json::Map<String, serde_json::Value> = state
        .sets
        .all()
        .iter()
        .map(|s| {
            (
                s.name.clone().unwrap_or_default(),
                s.current().id.clone().into(),
            )
        })
        .collect();
    log::info(
        "listening",
        json!({ "address": address.to_string(), "versions": versions }),
    );
    axum::serve(listener, app(state))
        .with_graceful_shutdown(terminated)
        .await
        .map_err(StartError::Listen)?;
    log::info("stopped", json!({}));
    Ok(())
}
