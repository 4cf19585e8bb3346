//! `declic lsp` driven over stdio with JSON-RPC, as an editor drives it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long any one answer may take, even on a busy machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A client: the server process, and the messages it sent not yet looked at.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_declic"))
            .arg("lsp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("declic lsp starts");
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut client = Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 0,
        };
        let init = client.request("initialize", json!({ "capabilities": {} }));
        assert!(
            init["capabilities"]["completionProvider"].is_object(),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The whole response to a request: `result` or `error`.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.diagnostics_of(uri, None)
    }

    /// The diagnostics published for `uri` at `version` of the open document, when given
    /// (those of earlier versions are passed over).
    fn diagnostics_of(&mut self, uri: &str, version: Option<i32>) -> Vec<Value> {
        let is_mine = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        };
        if let Some(i) = self.pending.iter().position(is_mine) {
            let m = self.pending.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let message = self.receive();
            if is_mine(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({ "uri": uri, "languageId": "declic", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    fn change(&mut self, uri: &str, version: i32, changes: Value) {
        let doc = json!({ "uri": uri, "version": version });
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": doc, "contentChanges": changes }),
        );
    }

    /// The next message the server logs that contains `text`.
    fn log_containing(&mut self, text: &str) -> String {
        let is_it = |m: &Value| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(text))
        };
        if let Some(i) = self.pending.iter().position(is_it) {
            let m = self.pending.remove(i);
            return m["params"]["message"].as_str().unwrap().to_owned();
        }
        loop {
            let message = self.receive();
            if is_it(&message) {
                return message["params"]["message"].as_str().unwrap().to_owned();
            }
            self.pending.push(message);
        }
    }

    /// The titles of the triggers in the open document `uri`, from its outline.
    fn titles(&mut self, uri: &str) -> Vec<String> {
        let symbols = self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        symbols
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Says goodbye as an editor does; the server must end cleanly.
    fn shut_down(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.stdin = None;
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn at(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default())
        .collect()
}

const BROKEN: &str = "trigger \"Fin de session\" {\n  when all {\n    Ticket is Created\n    Canl is Messagerie\n  }\n  then {\n    Mettre fin à la session\n  }\n}\n";

#[test]
fn a_mistake_is_diagnosed_with_its_fix_and_cleared_once_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let file = uri(&dir.path().join("rules.declic"));
    let mut client = Client::start(&[]);
    client.open(&file, BROKEN);
    let found = client.diagnostics(&file);
    assert_eq!(codes(&found), ["declic::unknown_field"], "{found:?}");
    assert_eq!(found[0]["range"]["start"], at(3, 4));
    assert_eq!(found[0]["range"]["end"], at(3, 8));
    assert_eq!(found[0]["severity"], 1);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("did you mean `Canal`?"), "{message}");

    let context = json!({ "diagnostics": found });
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": file }, "range": found[0]["range"], "context": context }),
    );
    let edit = &actions[0]["edit"]["changes"][&file][0];
    assert_eq!(edit["newText"], "Canal", "{actions}");

    // The fix, as an incremental edit: the diagnostics go.
    client.change(
        &file,
        2,
        json!([{ "range": found[0]["range"], "text": "Canal" }]),
    );
    assert_eq!(client.diagnostics_of(&file, Some(2)), Vec::<Value>::new());
    client.shut_down();
}

#[test]
fn lints_and_other_files_of_the_rule_set_are_reported_like_check() {
    let dir = tempfile::tempdir().unwrap();
    // A trigger copied into a second file of the folder: `declic check` warns there.
    let fixed = BROKEN.replace("Canl", "Canal");
    let (a, b) = (dir.path().join("a.declic"), dir.path().join("b.declic"));
    std::fs::write(&a, &fixed).unwrap();
    std::fs::write(&b, &fixed).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_declic"))
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let check: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!check.is_empty(), "{report}");

    let mut client = Client::start(&[]);
    client.open(&uri(&b), &fixed);
    let served = client.diagnostics(&uri(&b));
    // The first trigger with the title is where the warning's related place points.
    let related = &served[0]["relatedInformation"][0]["location"]["uri"];
    assert_eq!(related, &json!(uri(&a)), "{served:?}");
    let served: Vec<(String, String)> = served
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            let message = message.split("\nhelp: ").next().unwrap();
            (d["code"].as_str().unwrap().to_owned(), message.to_owned())
        })
        .collect();
    let (mut served, mut check) = (served, check);
    served.sort();
    check.sort();
    assert_eq!(served, check);
    client.shut_down();
}

#[test]
fn a_title_taken_in_one_file_is_reported_in_the_other_and_cleared_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let fixed = BROKEN.replace("Canl", "Canal");
    let (a, b) = (dir.path().join("a.declic"), dir.path().join("b.declic"));
    std::fs::write(&a, &fixed).unwrap();
    let other = fixed
        .replace("Fin de session", "Autre")
        .replace("Mettre fin à la session", "Tags += autre");
    std::fs::write(&b, other).unwrap();
    let mut client = Client::start(&[]);
    client.open(&uri(&a), &fixed);
    assert_eq!(client.diagnostics(&uri(&a)), Vec::<Value>::new());
    // `a`, the first file, takes the title of `b`'s trigger: `b`, not edited, holds the
    // second trigger with the title, so the warning is published there.
    let title = json!({ "range": { "start": at(0, 9), "end": at(0, 23) }, "text": "Autre" });
    client.change(&uri(&a), 2, json!([title]));
    let in_b = client.diagnostics(&uri(&b));
    assert_eq!(codes(&in_b), ["declic::duplicate_title"], "{in_b:?}");
    let related = &in_b[0]["relatedInformation"][0]["location"]["uri"];
    assert_eq!(related, &json!(uri(&a)), "{in_b:?}");
    // The title given back, `b`'s warning is cleared.
    let back =
        json!({ "range": { "start": at(0, 9), "end": at(0, 14) }, "text": "Fin de session" });
    client.change(&uri(&a), 3, json!([back]));
    assert_eq!(client.diagnostics(&uri(&b)), Vec::<Value>::new());
    assert_eq!(client.titles(&uri(&a)), ["Fin de session"]);
    client.shut_down();
}

#[test]
fn an_edit_older_than_the_document_is_refused_and_logged_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let file = uri(&dir.path().join("rules.declic"));
    let fixed = BROKEN.replace("Canl", "Canal");
    let mut client = Client::start(&[]);
    client.open(&file, &fixed);
    client.diagnostics_of(&file, Some(1));
    // Version 3 comes first: it is applied, whatever came before it.
    let renamed = fixed.replace("Fin de session", "Trois");
    client.change(&file, 3, json!([{ "text": renamed }]));
    assert_eq!(client.diagnostics_of(&file, Some(3)), Vec::<Value>::new());
    assert_eq!(client.titles(&file), ["Trois"]);
    // Version 2, late, and version 3 again are older than the document: refused, logged.
    for late in [2, 3] {
        let edit = json!({ "range": { "start": at(0, 9), "end": at(0, 14) }, "text": "Deux" });
        client.change(&file, late, json!([edit]));
        let logged = client.log_containing(&format!("version {late} "));
        assert!(logged.contains("at version 3"), "{logged}");
        assert_eq!(client.titles(&file), ["Trois"], "version {late}");
    }
    // Near miss: version 4 applies, on the text of version 3.
    let edit = json!({ "range": { "start": at(0, 9), "end": at(0, 14) }, "text": "Quatre" });
    client.change(&file, 4, json!([edit]));
    assert_eq!(client.diagnostics_of(&file, Some(4)), Vec::<Value>::new());
    assert_eq!(client.titles(&file), ["Quatre"]);
    client.shut_down();
}

#[test]
fn completion_hover_formatting_symbols_and_folding_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = uri(&dir.path().join("rules.declic"));
    let text = "trigger \"Fin\" {\n  when all {\n    Canal is \n  }\n}\n";
    let mut client = Client::start(&[]);
    client.open(&file, text);
    let doc = json!({ "uri": file });
    let items = client.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": at(2, 13) }),
    );
    let labels = labels(&items);
    assert!(labels.contains(&"Messagerie"), "{labels:?}");
    assert!(!labels.contains(&"Canal"), "{labels:?}");

    client.change(
        &file,
        2,
        json!([{ "text": BROKEN.replace("Canl", "canal") }]),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": at(3, 5) }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("API: `via_id`"), "{shown}");

    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = edits[0]["newText"].as_str().unwrap();
    assert!(
        formatted.contains("    Canal is Messagerie\n"),
        "{formatted}"
    );

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": doc }),
    );
    assert_eq!(symbols[0]["name"], "Fin de session");
    assert_eq!(symbols[0]["selectionRange"]["start"], at(0, 8));

    let folds = client.request("textDocument/foldingRange", json!({ "textDocument": doc }));
    assert_eq!(folds.as_array().unwrap().len(), 3, "{folds}");
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": doc }),
    );
    assert!(!tokens["data"].as_array().unwrap().is_empty());
    client.shut_down();
}

/// The labels of a completion answer.
fn labels(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect()
}

/// A server with one rule file (not opened yet): the folder that holds it, its URI, and
/// the document naming it in requests.
fn one_file() -> (tempfile::TempDir, String, Value, Client) {
    let dir = tempfile::tempdir().unwrap();
    let file = uri(&dir.path().join("rules.declic"));
    let doc = json!({ "uri": file });
    (dir, file, doc, Client::start(&[]))
}

#[test]
fn time_conditions_complete_in_automations_only() {
    let (_dir, file, doc, mut client) = one_file();
    // (rule, condition line so far, labels offered, labels not offered)
    let cases: [(&str, &str, &[&str], &[&str]); 5] = [
        (
            "automation \"A\" {\n  when all {",
            "    ",
            &[
                "Hours since pending",
                "Business hours since pending",
                "Status",
            ],
            &[],
        ),
        (
            "automatisation \"A\" {\n  quand tous {",
            "    ",
            &[
                "Heures depuis En attente",
                "Heures ouvrées depuis En attente",
            ],
            &[],
        ),
        // After a time condition, its operators.
        (
            "automation \"A\" {\n  when all {",
            "    Hours since pending ",
            &["is", "<", ">"],
            &["Hours since pending", "includes"],
        ),
        // Near misses: a trigger has no time condition, nor does a `then` block.
        (
            "trigger \"T\" {\n  when all {",
            "    ",
            &["Status"],
            &["Hours since pending", "Business hours since pending"],
        ),
        (
            "automation \"A\" {\n  then {",
            "    ",
            &[],
            &["Hours since pending"],
        ),
    ];
    for (version, (head, line, offered, not_offered)) in cases.into_iter().enumerate() {
        let text = format!("{head}\n{line}\n  }}\n}}\n");
        if version == 0 {
            client.open(&file, &text);
        } else {
            client.change(&file, version as i32 + 1, json!([{ "text": text }]));
        }
        let items = client.request(
            "textDocument/completion",
            json!({ "textDocument": doc, "position": at(2, line.chars().count() as u32) }),
        );
        let labels = labels(&items);
        for label in offered {
            assert!(
                labels.contains(label),
                "`{label}` after {line:?} in {head:?}: {labels:?}"
            );
        }
        for label in not_offered {
            assert!(
                !labels.contains(label),
                "`{label}` after {line:?} in {head:?}: {labels:?}"
            );
        }
    }
    client.shut_down();
}

#[test]
fn time_conditions_hover_with_their_names_in_both_languages() {
    let (_dir, file, doc, mut client) = one_file();
    client.open(
        &file,
        "automation \"A\" {\n  when all {\n    Status is Pending\n    Heures ouvrées depuis En attente > 8\n    Hours since pending > 48\n  }\n  then {\n    Status = Solved\n  }\n}\n",
    );
    // (line, column, what the hover shows)
    let cases: [(u32, u32, &[&str]); 3] = [
        (
            4,
            6,
            &[
                "(time condition)",
                "French: Heures depuis En attente",
                "API: `PENDING`",
                "calendar hours",
            ],
        ),
        (
            3,
            6,
            &[
                "**Business hours since pending** (time condition)",
                "business hours",
            ],
        ),
        // Near miss: a field beside them is still a field.
        (2, 6, &["(field)", "API: `status`"]),
    ];
    for (line, column, parts) in cases {
        let hover = client.request(
            "textDocument/hover",
            json!({ "textDocument": doc, "position": at(line, column) }),
        );
        let shown = hover["contents"]["value"].as_str().unwrap_or_default();
        for part in parts {
            assert!(shown.contains(part), "`{part}` at {line}:{column}: {hover}");
        }
    }
    client.shut_down();
}

#[test]
fn a_scenario_leads_to_its_trigger_and_names_the_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rules.declic"),
        BROKEN.replace("Canl", "Canal"),
    )
    .unwrap();
    let scenarios = "[[scenario]]\nname = \"s\"\n\n[[scenario.step]]\nevent = \"created\"\nnote = \"x\"\nexpect.fired = [\"Fin de session\", \"Nope\"]\n";
    let path = dir.path().join("a.scenarios.toml");
    std::fs::write(&path, scenarios).unwrap();
    let file = uri(&path);
    let mut client = Client::start(&[]);
    client.open(&file, scenarios);
    let found = client.diagnostics(&file);
    assert!(codes(&found).iter().all(|c| !c.is_empty()), "{found:?}");
    assert!(
        found
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("Nope")),
        "{found:?}"
    );
    let line = 6;
    let column = scenarios
        .lines()
        .nth(line as usize)
        .unwrap()
        .find("Fin")
        .unwrap() as u32;
    let target = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": file }, "position": at(line, column) }),
    );
    assert_eq!(
        target["uri"],
        uri(&dir.path().join("rules.declic")),
        "{target}"
    );
    assert_eq!(target["range"]["start"], at(0, 8));
    let nowhere = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": file }, "position": at(0, 2) }),
    );
    assert_eq!(nowhere, Value::Null);
    client.shut_down();
}

#[test]
fn bad_input_gets_errors_or_empty_answers_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let file = uri(&dir.path().join("rules.declic"));
    let mut client = Client::start(&[]);
    client.open(&file, BROKEN);
    assert_eq!(client.diagnostics(&file).len(), 1);

    // An edit for an older version is refused; one past the end is clamped.
    client.change(&file, 1, json!([{ "text": "garbage" }]));
    client.change(
        &file,
        5,
        json!([{ "range": { "start": at(99, 0), "end": at(98, 3) }, "text": "\n" }]),
    );
    assert_eq!(client.diagnostics_of(&file, Some(5)).len(), 1);

    // Unknown methods, bad parameters and unknown documents are protocol errors.
    let unknown = client.call("declic/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.call("textDocument/hover", json!({ "nope": 1 }));
    assert_eq!(bad["error"]["code"], -32602);
    let closed = client.call(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri(&dir.path().join("x.declic")) }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(closed["error"]["code"], -32602);

    // A file of the folder that is not UTF-8 is diagnosed where it is.
    let latin1 = dir.path().join("latin1.declic");
    std::fs::write(&latin1, b"# \xe9t\xe9\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&latin1), "type": 1 }] }),
    );
    assert_eq!(
        codes(&client.diagnostics(&uri(&latin1))),
        ["declic::not_utf8"]
    );

    // A 30 MiB file: checked, and the server still answers.
    let huge = uri(&dir.path().join("huge.declic"));
    let line = "# a comment line of the huge file, repeated many times over\n";
    client.open(&huge, &line.repeat((30 << 20) / line.len()));
    let found = client.diagnostics(&huge);
    assert!(found.len() <= 1, "{found:?}");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": huge } }),
    );
    assert_eq!(symbols, json!([]));
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": huge } }),
    );

    // The folder deleted while its file is open: the open text is still served.
    drop(dir);
    client.change(
        &file,
        6,
        json!([{ "text": BROKEN.replace("Canl", "Canal") }]),
    );
    assert_eq!(client.diagnostics_of(&file, Some(6)), Vec::<Value>::new());
    client.shut_down();
}

#[test]
fn a_garbled_message_is_logged_and_the_server_goes_on() {
    let mut client = Client::start(&[]);
    let garbled = "{\"jsonrpc\": \"2.0\", \"method\": ";
    let stdin = client.stdin.as_mut().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{garbled}", garbled.len()).unwrap();
    stdin.flush().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = uri(&dir.path().join("a.declic"));
    client.open(&file, BROKEN);
    assert!(!client.diagnostics(&file).is_empty());
    let logged = client
        .pending
        .iter()
        .any(|m| m["method"] == "window/logMessage" && m["params"]["type"] == 1);
    assert!(logged, "{:?}", client.pending);
    client.shut_down();
}

#[test]
fn a_client_that_goes_away_ends_the_server_cleanly() {
    let mut client = Client::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    client.open(&uri(&dir.path().join("a.declic")), BROKEN);
    // Half a message, then nothing more.
    client
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
        .unwrap();
    client.stdin = None;
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn the_account_that_declic_toml_names_gives_titles_to_check_and_completion() {
    let dir = tempfile::tempdir().unwrap();
    let account = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/account");
    let rules = "trigger \"N2\" {\n  when all {\n    Ticket is Created\n    Group is \"Support N2\"\n  }\n  then {\n    send CSAT by email\n  }\n}\n";
    let file = dir.path().join("rules.declic");
    std::fs::write(&file, rules).unwrap();
    let check = |dir: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_declic"))
            .args(["check", "--format", "json"])
            .arg(dir)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["summary"]["errors"].as_u64().unwrap()
    };
    // Without the account, the title is an error, for `check` and for the server alike.
    assert_eq!(check(dir.path()), 1);
    let mut client = Client::start(&[]);
    client.open(&uri(&file), rules);
    assert_eq!(client.diagnostics(&uri(&file)).len(), 1);
    client.shut_down();

    let settings = format!("account = {:?}\n", account.display().to_string());
    std::fs::write(dir.path().join("declic.toml"), settings).unwrap();
    assert_eq!(check(dir.path()), 0);
    let mut client = Client::start(&[]);
    client.open(&uri(&file), rules);
    assert_eq!(client.diagnostics(&uri(&file)), Vec::<Value>::new());
    let items = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri(&file) }, "position": at(3, 13) }),
    );
    let labels = labels(&items);
    assert!(labels.contains(&"Support N2"), "{labels:?}");
    client.shut_down();
}
