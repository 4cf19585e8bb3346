//! The message loop and the server's state: open documents, the last check of each rule
//! set, and what was published where.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    notification::{self, Notification as _},
    request::{self, Request as _},
    CodeActionProviderCapability, CompletionOptions, FoldingRangeProviderCapability,
    HoverProviderCapability, InitializeParams, InitializeResult, OneOf, Position,
    PublishDiagnosticsParams, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::text::Document;
use super::{complete, diagnostics, hover, outline, ruleset, scenarios, uri};
use crate::account::Account;
use crate::check::RuleSet;

/// What the server is started with, besides what the client sends.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The folder of the account's API exports, so rules may name custom fields, groups
    /// and webhooks by title. The client's `initializationOptions.account` may also name
    /// one; this one wins. Without either, each rule set's `declic.toml` may name one.
    pub account: Option<PathBuf>,
}

/// Why the server stopped without the client asking.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The first message was not `initialize`, or the stream was not the protocol's.
    #[error("the client did not start the protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
}

/// Serves one client on standard input and output until it sends `exit` or goes away.
pub fn serve_stdio(settings: Settings) -> Result<(), ServeError> {
    let (connection, io) = super::transport::stdio();
    let result = run(&connection, settings);
    drop(connection);
    io.join();
    result
}

/// Serves one client on `connection`: the handshake, then every message until `exit`.
pub fn run(connection: &Connection, settings: Settings) -> Result<(), ServeError> {
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        Err(e) if e.channel_is_disconnected() => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let account_dir = settings.account.or_else(|| {
        let options = params.initialization_options.as_ref()?;
        Some(PathBuf::from(options.get("account")?.as_str()?))
    });
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "declic".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    if connection
        .sender
        .send(Response::new_ok(id, result).into())
        .is_err()
    {
        return Ok(());
    }
    let mut server = Server::new(connection);
    if let Some(dir) = account_dir {
        server.load_account(&dir);
    }
    server.serve();
    Ok(())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "{".into(), ".".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: outline::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// A request's answer: its result, or the protocol error to send.
type Answer = Result<Value, (ErrorCode, String)>;

struct Server<'a> {
    connection: &'a Connection,
    /// The open documents, by URI.
    docs: HashMap<Uri, Document>,
    /// The rule sets to check again before the next wait.
    dirty: BTreeSet<PathBuf>,
    /// The last check's rules of each rule set, for hover and definition.
    rules: HashMap<PathBuf, RuleSet>,
    /// What the last check of each rule set found for each trigger, so that an edit
    /// checks again only what it changed.
    caches: HashMap<PathBuf, ruleset::Cache>,
    /// The files each rule set last published diagnostics for, to clear them.
    published: HashMap<PathBuf, HashSet<PathBuf>>,
    /// The account the server or the client named, for every rule set.
    account: Option<Account>,
    /// The accounts rule sets' `declic.toml` files name, by folder, read once (again
    /// after a watched file changes); `None` where one could not be read.
    accounts: HashMap<PathBuf, Option<Account>>,
    shutting_down: bool,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection) -> Server<'a> {
        Server {
            connection,
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
            rules: HashMap::new(),
            caches: HashMap::new(),
            published: HashMap::new(),
            account: None,
            accounts: HashMap::new(),
            shutting_down: false,
        }
    }

    fn load_account(&mut self, dir: &Path) {
        self.account = self.read_account(dir);
    }

    fn read_account(&self, dir: &Path) -> Option<Account> {
        match Account::load(dir) {
            Ok(account) => Some(account),
            Err(e) => {
                self.show(&format!(
                    "declic: {}",
                    e.to_diagnostic().message_with_help()
                ));
                None
            }
        }
    }

    /// Reads the account of the rule set at `root` unless it is at hand: the one the
    /// server was given, else the one its `declic.toml` names.
    fn read_account_of(&mut self, root: &Path) {
        if self.account.is_some() {
            return;
        }
        let (config, _) = crate::lint::Config::load(root);
        let Some(dir) = config.account() else {
            return;
        };
        if !self.accounts.contains_key(dir) {
            let account = self.read_account(dir);
            self.accounts.insert(dir.to_path_buf(), account);
        }
    }

    /// The account of the rule set at `root`, once [`Server::read_account_of`] read it.
    fn account_of(&self, root: &Path) -> Option<&Account> {
        if self.account.is_some() {
            return self.account.as_ref();
        }
        let (config, _) = crate::lint::Config::load(root);
        self.accounts.get(config.account()?)?.as_ref()
    }

    /// The loop: answer what comes; when nothing waits, check what changed.
    fn serve(&mut self) {
        loop {
            let message = if self.dirty.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return,
                }
            } else {
                match self.connection.receiver.try_recv() {
                    Ok(message) => message,
                    Err(e) if e.is_empty() => {
                        self.guarded("checking", Server::refresh);
                        continue;
                    }
                    Err(_) => return,
                }
            };
            match message {
                Message::Request(request) => {
                    let response = self.request(request);
                    self.send(response.into());
                }
                Message::Notification(n) if n.method == notification::Exit::METHOD => return,
                Message::Notification(n) => {
                    let method = n.method.clone();
                    self.guarded(&method, |server| server.notification(n));
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Runs `work`, turning a panic into a message to the user: the server goes on.
    fn guarded(&mut self, what: &str, work: impl FnOnce(&mut Server<'a>)) {
        if catch_unwind(AssertUnwindSafe(|| work(self))).is_err() {
            self.show(&format!(
                "declic: an internal error stopped {what}; the server goes on"
            ));
        }
    }

    fn send(&self, message: Message) {
        // A client gone cannot be told; the loop ends when its channel closes.
        let _ = self.connection.sender.send(message);
    }

    fn show(&self, text: &str) {
        let params = lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::WARNING,
            message: text.to_owned(),
        };
        self.send(Notification::new(notification::ShowMessage::METHOD.into(), params).into());
    }

    fn log(&self, text: &str) {
        let params = lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::LOG,
            message: text.to_owned(),
        };
        self.send(Notification::new(notification::LogMessage::METHOD.into(), params).into());
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let answer = if self.shutting_down {
            Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            ))
        } else {
            catch_unwind(AssertUnwindSafe(|| {
                self.answer(&request.method, request.params)
            }))
            .unwrap_or_else(|_| {
                Err((
                    ErrorCode::InternalError,
                    format!("declic failed on `{}`; the server goes on", request.method),
                ))
            })
        };
        match answer {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn answer(&mut self, method: &str, params: Value) -> Answer {
        match method {
            request::Shutdown::METHOD => {
                self.shutting_down = true;
                Ok(Value::Null)
            }
            request::Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                let at = p.text_document_position;
                let root = self.root_of(&at.text_document.uri);
                if let Some(root) = &root {
                    self.read_account_of(root);
                }
                self.at(&at.text_document.uri, at.position, |doc, offset, server| {
                    let account = root.as_deref().and_then(|r| server.account_of(r));
                    json(complete::complete(&doc.text, offset, account))
                })
            }
            request::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                let at = p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, |doc, offset, server| {
                    let rules = server.rules_of(&at.text_document.uri);
                    json(hover::hover(doc, offset, rules))
                })
            }
            request::Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(outline::format(doc))
            }
            request::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(outline::symbols(doc))
            }
            request::FoldingRangeRequest::METHOD => {
                let p: lsp_types::FoldingRangeParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(outline::folding(doc))
            }
            request::SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(outline::tokens(doc))
            }
            request::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                let at = p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, |doc, offset, server| {
                    let Some(rules) = server.rules_of(&at.text_document.uri) else {
                        return Ok(Value::Null);
                    };
                    json(scenarios::definition(&doc.text, offset, rules))
                })
            }
            request::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = parse(params)?;
                json(diagnostics::quick_fixes(
                    &p.text_document.uri,
                    &p.context.diagnostics,
                ))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("declic does not answer `{method}`"),
            )),
        }
    }

    fn doc(&self, uri: &Uri) -> Result<&Document, (ErrorCode, String)> {
        self.docs.get(uri).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })
    }

    /// Answers about the place `position` in the open document `uri`.
    fn at(
        &self,
        uri: &Uri,
        position: Position,
        answer: impl FnOnce(&Document, usize, &Server<'a>) -> Answer,
    ) -> Answer {
        let doc = self.doc(uri)?;
        answer(doc, doc.offset(position), self)
    }

    /// The last checked rules of the rule set the document `uri` belongs to (for a
    /// scenario file, the one it runs against).
    fn rules_of(&self, uri: &Uri) -> Option<&RuleSet> {
        let root = self.root_of(uri)?;
        self.rules.get(&root)
    }

    fn root_of(&self, uri: &Uri) -> Option<PathBuf> {
        let path = uri::to_path(uri)?;
        if ruleset::is_scenario_file(&path) {
            let text = self.docs.get(uri).map_or("", |d| d.text.as_str());
            return Some(scenarios::target(&path, text));
        }
        Some(ruleset::root_of(&path))
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let doc = p.text_document;
                self.docs
                    .insert(doc.uri.clone(), Document::new(doc.text, doc.version));
                self.touch(&doc.uri);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    self.log(&format!(
                        "declic: an edit of `{}`, which is not open",
                        uri.as_str()
                    ));
                    return;
                };
                match doc.apply(p.text_document.version, p.content_changes) {
                    Ok(()) => self.touch(&uri),
                    Err(e) => self.log(&format!("declic: {}: {e}", uri.as_str())),
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(p) = parse::<lsp_types::DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                // The rule set still holds the file as saved: check it again from disk.
                self.touch(&p.text_document.uri);
                self.docs.remove(&p.text_document.uri);
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidSaveTextDocumentParams>(n.params) {
                    self.touch(&p.text_document.uri);
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidChangeWatchedFilesParams>(n.params) {
                    // An account's exports may be among them: read them again when needed.
                    self.accounts.clear();
                    // What was resolved with the account read before must be again.
                    self.caches.clear();
                    for change in p.changes {
                        self.touch(&change.uri);
                    }
                }
            }
            _ => {}
        }
    }

    /// Marks the rule set of `uri` to be checked again.
    fn touch(&mut self, uri: &Uri) {
        if let Some(root) = self.root_of(uri) {
            self.dirty.insert(root);
        }
    }

    /// Checks every rule set marked, and publishes the diagnostics of each of its files
    /// and of the open scenario files that run against it.
    fn refresh(&mut self) {
        for root in std::mem::take(&mut self.dirty) {
            let open: HashMap<PathBuf, String> = self
                .docs
                .iter()
                .filter_map(|(uri, doc)| Some((uri::to_path(uri)?, doc.text.clone())))
                .filter(|(path, _)| ruleset::is_rule_file(path) && path.starts_with(&root))
                .collect();
            self.read_account_of(&root);
            let mut cache = self.caches.remove(&root).unwrap_or_default();
            let checked = ruleset::check(&root, &open, self.account_of(&root), &mut cache);
            // A cache holds a copy of the rule set's triggers: once none of its files is
            // open, no edit will take from it.
            if self
                .docs
                .keys()
                .any(|uri| self.root_of(uri).as_ref() == Some(&root))
            {
                self.caches.insert(root.clone(), cache);
            }
            let mut found = checked.diagnostics;
            let mut scenario_files = Vec::new();
            for (uri, doc) in &self.docs {
                let Some(path) = uri::to_path(uri) else {
                    continue;
                };
                if ruleset::is_scenario_file(&path) && scenarios::target(&path, &doc.text) == root {
                    found.extend(scenarios::diagnostics(&path, &doc.text, &checked.rules));
                    scenario_files.push(path);
                }
            }
            let mut files = diagnostics::by_file(&found);
            // Even a clean scenario file is published, so that its old marks go.
            for path in scenario_files {
                files.entry(path).or_default();
            }
            // Every open file of the rule set is published, clean ones with no diagnostics.
            for path in open.keys() {
                files.entry(path.clone()).or_default();
            }
            let before = self.published.remove(&root).unwrap_or_default();
            for path in before {
                files.entry(path).or_default();
            }
            for (path, list) in &files {
                self.publish(path, list.clone());
            }
            let now = files
                .into_iter()
                .filter(|(_, list)| !list.is_empty())
                .map(|(path, _)| path)
                .collect();
            self.published.insert(root.clone(), now);
            self.rules.insert(root, checked.rules);
        }
    }

    fn publish(&self, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
        let open = self
            .docs
            .iter()
            .find(|(uri, _)| uri::to_path(uri).as_deref() == Some(path));
        let (uri, version) = match open {
            Some((uri, doc)) => (uri.clone(), Some(doc.version)),
            None => match uri::from_path(path) {
                Some(uri) => (uri, None),
                None => return,
            },
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(
            Notification::new(notification::PublishDiagnostics::METHOD.into(), params).into(),
        );
    }
}

fn parse<P: DeserializeOwned>(params: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notify<P: serde::Serialize>(server: &mut Server<'_>, method: &str, params: P) {
        let params = serde_json::to_value(params).expect("params serialise");
        server.notification(Notification::new(method.to_owned(), params));
        server.refresh();
    }

    #[test]
    fn a_rule_set_keeps_its_cache_while_one_of_its_files_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let text = "trigger \"a\" {\n  when all {\n    Ticket is Created\n  }\n  then {\n    Group = 1\n  }\n}\n";
        let uri = |name: &str| uri::from_path(&dir.path().join(name)).expect("a file URI");
        let (connection, _client) = Connection::memory();
        let mut server = Server::new(&connection);
        let root = dir.path().to_path_buf();
        let open = |server: &mut Server<'_>, name: &str| {
            let doc = lsp_types::TextDocumentItem::new(uri(name), "declic".into(), 1, text.into());
            let params = lsp_types::DidOpenTextDocumentParams { text_document: doc };
            notify(server, notification::DidOpenTextDocument::METHOD, params);
        };
        let close = |server: &mut Server<'_>, name: &str| {
            let doc = lsp_types::TextDocumentIdentifier::new(uri(name));
            let params = lsp_types::DidCloseTextDocumentParams { text_document: doc };
            notify(server, notification::DidCloseTextDocument::METHOD, params);
        };
        open(&mut server, "a.declic");
        open(&mut server, "b.declic");
        assert!(server.caches.contains_key(&root));
        close(&mut server, "a.declic");
        assert!(server.caches.contains_key(&root), "b.declic is still open");
        close(&mut server, "b.declic");
        assert!(!server.caches.contains_key(&root), "every file is closed");
    }
}
