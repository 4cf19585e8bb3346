//! The rule sets being served, each swapped whole when its files change.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use axum::http::StatusCode;
use serde_json::json;

use super::error::{codes, ApiError};
use super::log;
use super::metrics::Firings;
use super::rules::{Origin, Rejected, Version};
use crate::Diagnostic;

/// One rule set being served: where it comes from, the version requests now get, and how
/// its last reload went.
pub struct Served {
    /// The account's name under `--accounts`; `None` for the one rule set.
    pub name: Option<String>,
    origin: Origin,
    current: ArcSwap<Version>,
    last: Mutex<Option<Reload>>,
    /// How often each trigger fired, across versions.
    pub firings: Firings,
}

/// How a reload went.
#[derive(Debug, Clone)]
pub struct Reload {
    /// When it happened (RFC 3339).
    pub time: String,
    /// The version the files had.
    pub version: String,
    /// Whether they replaced the rules served; when not, the old ones still serve.
    pub applied: bool,
    /// The diagnostics of the files: why they were refused, or their warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Served {
    /// Loads the rule set at `origin`; its diagnostics if it has errors.
    pub fn load(name: Option<String>, origin: Origin) -> Result<Served, Rejected> {
        let version = origin.load()?;
        Ok(Served {
            name,
            origin,
            current: ArcSwap::from_pointee(version),
            last: Mutex::new(None),
            firings: Firings::default(),
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

    /// The last reload, if there was one since the start.
    pub fn last_reload(&self) -> Option<Reload> {
        self.last
            .lock()
            .map(|last| last.clone())
            .unwrap_or_default()
    }

    /// Reads and checks the files again: if they check, they replace the version served
    /// (requests in flight finish on theirs); if not, the old version keeps serving. Either
    /// way the outcome is logged and kept for `/v1/rules`. Whether they were applied.
    pub fn reload(&self) -> bool {
        let previous = self.current.load().id.clone();
        let (reload, version) = match self.origin.load() {
            Ok(version) => (
                Reload::new(&version.id, true, version.diagnostics.clone()),
                Some(version),
            ),
            Err(rejected) => (Reload::new(&rejected.id, false, rejected.diagnostics), None),
        };
        let fields = json!({
            "account": self.name,
            "version": reload.version,
            "previous": previous,
            "diagnostics": reload.diagnostics.iter().map(crate::diagnostics::render::json).collect::<Vec<_>>(),
        });
        if let Some(version) = version {
            self.current.store(Arc::new(version));
            log::info("rules reloaded", fields);
        } else {
            log::warn("rules refused: the previous version keeps serving", fields);
        }
        let applied = reload.applied;
        if let Ok(mut last) = self.last.lock() {
            *last = Some(reload);
        }
        applied
    }
}

impl Reload {
    fn new(version: &str, applied: bool, diagnostics: Vec<Diagnostic>) -> Reload {
        Reload {
            time: jiff::Timestamp::now().to_string(),
            version: version.to_owned(),
            applied,
            diagnostics,
        }
    }
}

/// Every rule set the server runs: one, or one per account.
pub enum Sets {
    /// `declic serve RULES`: the routes under `/v1/`.
    One(Arc<Served>),
    /// `declic serve --accounts DIR`: the routes under `/v1/accounts/{name}/`.
    Accounts(BTreeMap<String, Arc<Served>>),
}

/// Why a rule set could not be served at the start: which, and its diagnostics.
#[derive(Debug)]
pub struct Refused {
    /// The account, under `--accounts`.
    pub account: Option<String>,
    /// What is wrong with its files.
    pub rejected: Rejected,
}

impl Sets {
    /// The one rule set at `origin`.
    pub fn one(origin: Origin) -> Result<Sets, Refused> {
        let served = Served::load(None, origin).map_err(|rejected| Refused {
            account: None,
            rejected,
        })?;
        Ok(Sets::One(Arc::new(served)))
    }

    /// A rule set for each folder of `dir` (hidden ones left out), named by the folder;
    /// the folder's `account` folder, if it has one, holds that account's API exports.
    pub fn accounts(dir: &Path) -> Result<Sets, Refused> {
        let refused = |account: Option<String>, diagnostic: Diagnostic| Refused {
            account,
            rejected: Rejected {
                id: String::new(),
                diagnostics: vec![diagnostic],
            },
        };
        let entries =
            std::fs::read_dir(dir).map_err(|e| refused(None, crate::load::unreadable(dir, &e)))?;
        let mut sets = BTreeMap::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !entry.path().is_dir() {
                continue;
            }
            let rules = entry.path();
            let account = Some(rules.join("account")).filter(|a| a.is_dir());
            let origin = Origin { rules, account };
            let served = Served::load(Some(name.clone()), origin).map_err(|rejected| Refused {
                account: Some(name.clone()),
                rejected,
            })?;
            sets.insert(name, Arc::new(served));
        }
        if sets.is_empty() {
            let message = format!("`{}` holds no account folder", dir.display());
            let diagnostic = Diagnostic::error(crate::Code::NoRuleFiles, message)
                .in_file(dir.display().to_string())
                .help("each folder of `--accounts` is the rule set of one account");
            return Err(refused(None, diagnostic));
        }
        Ok(Sets::Accounts(sets))
    }

    /// Every rule set, in name order.
    pub fn all(&self) -> Vec<&Arc<Served>> {
        match self {
            Sets::One(served) => vec![served],
            Sets::Accounts(sets) => sets.values().collect(),
        }
    }

    /// The rule set a request names: the one, or the account `name`.
    pub fn get(&self, name: Option<&str>) -> Result<&Arc<Served>, ApiError> {
        match (self, name) {
            (Sets::One(served), None) => Ok(served),
            (Sets::Accounts(sets), Some(name)) => sets.get(name).ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    codes::UNKNOWN_ACCOUNT,
                    format!("no account is named `{name}`"),
                )
            }),
            (Sets::One(_), Some(_)) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                "this server serves one rule set, under `/v1/` (started without `--accounts`)",
            )),
            (Sets::Accounts(_), None) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                "this server serves accounts: name one, `/v1/accounts/{name}/...`",
            )),
        }
    }
}
