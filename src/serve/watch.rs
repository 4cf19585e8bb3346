//! Reloading without a restart: a change under a rule set's folders (seen by the kernel's
//! file watching) or a SIGHUP reloads it; SIGTERM and Ctrl-C stop the server once the
//! requests in flight are answered.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use serde_json::json;
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use super::sets::Served;
use super::{log, State};

/// How long changes must pause before the rules are read again: saving a file, or a
/// Kubernetes ConfigMap swapping its folder, is a burst of events, and one reload is
/// enough for it.
const SETTLE: Duration = Duration::from_millis(100);

/// The file watchers; watching stops when they are dropped.
pub struct Watchers(#[allow(dead_code)] Vec<RecommendedWatcher>);

/// Watches every rule set's folders and listens for SIGHUP; each rule set reloads on its
/// own task.
pub fn start(state: &State) -> Watchers {
    let mut watchers = Vec::new();
    let mut reloads = Vec::new();
    for served in state.sets.all() {
        let (send, receive) = unbounded_channel();
        watchers.extend(watch(served, send.clone()));
        reloads.push(send);
        tokio::spawn(reload_on(state.clone(), Arc::clone(served), receive));
    }
    match signal(SignalKind::hangup()) {
        Ok(hangup) => drop(tokio::spawn(hangups(hangup, reloads))),
        Err(e) => log::warn(
            "cannot listen for SIGHUP",
            json!({ "reason": e.to_string() }),
        ),
    }
    Watchers(watchers)
}

/// A watcher of `served`'s folders that asks for a reload on each change; `None`, logged,
/// if the system cannot watch them (SIGHUP still reloads).
fn watch(served: &Served, reload: UnboundedSender<()>) -> Option<RecommendedWatcher> {
    let handler = move |event: notify::Result<notify::Event>| match event {
        Ok(event) if !changes(&event.kind) => {}
        _ => {
            let _ = reload.send(());
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(e) => {
            log::warn(
                "cannot watch the rules: reload them with SIGHUP",
                json!({ "reason": e.to_string() }),
            );
            return None;
        }
    };
    for path in served.origin().watched() {
        // A file is watched through its folder: a ConfigMap replaces the file behind a
        // link, and a watch on the file would end with the file it first led to.
        let (path, mode) = if path.is_dir() {
            (path, RecursiveMode::Recursive)
        } else {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            (
                parent.unwrap_or(Path::new(".")),
                RecursiveMode::NonRecursive,
            )
        };
        if let Err(e) = watcher.watch(path, mode) {
            let fields = json!({ "path": path.display().to_string(), "reason": e.to_string() });
            log::warn("cannot watch the rules: reload them with SIGHUP", fields);
        }
    }
    Some(watcher)
}

/// Whether an event may change what the files hold: not a mere read (reloading reads
/// them, and must not set off another reload).
fn changes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Reloads `served` each time it is asked, once the asking settles.
async fn reload_on(state: State, served: Arc<Served>, mut asked: UnboundedReceiver<()>) {
    while asked.recv().await.is_some() {
        while let Ok(Some(())) = tokio::time::timeout(SETTLE, asked.recv()).await {}
        // Checking is work for a thread of its own: the runtime's threads keep answering.
        let reloading = Arc::clone(&served);
        let applied = tokio::task::spawn_blocking(move || reloading.reload()).await;
        state.metrics.reload(applied.unwrap_or(false));
    }
}

/// Asks every rule set to reload on each SIGHUP.
async fn hangups(mut hangup: Signal, reloads: Vec<UnboundedSender<()>>) {
    while hangup.recv().await.is_some() {
        log::info("SIGHUP: reloading the rules", json!({}));
        for reload in &reloads {
            let _ = reload.send(());
        }
    }
}

/// Listens for SIGTERM and Ctrl-C from now on: the future resolves on either, and the
/// server then stops accepting connections, and stops once those it has are answered.
/// Listening starts here, not when the future is first polled, so that no signal sent
/// once the server says it listens is missed.
pub fn terminated() -> impl std::future::Future<Output = ()> {
    let term = signal(SignalKind::terminate());
    if let Err(e) = &term {
        log::warn(
            "cannot listen for SIGTERM",
            json!({ "reason": e.to_string() }),
        );
    }
    async move {
        let term = async {
            match term {
                Ok(mut term) => drop(term.recv().await),
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            () = term => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        log::info("stopping: answering the requests in flight", json!({}));
    }
}
