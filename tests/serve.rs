//! `declic serve` end to end: the real binary on a free loopback port, driven by a real
//! HTTP client.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};

use serde_json::{json, Value};

/// A rule set of one trigger: urgent tickets get the tag `urgent`.
const URGENT: &str = r#"
trigger "Tag urgent tickets" {
  when all { Priority is Urgent }
  then { Tags += urgent }
}
"#;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// The log lines after the first, as they come.
    _logs: Receiver<Value>,
}

impl Server {
    /// Starts `declic serve ARGS` on a free port and waits for its `listening` line.
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_declic"))
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (send, logs) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let value = serde_json::from_str(&line).unwrap_or(json!({ "text": line }));
                if send.send(value).is_err() {
                    break;
                }
            }
        });
        let listening = logs
            .iter()
            .find(|line| line["message"] == "listening")
            .expect("the server logs the address it listens on");
        let address = listening["address"]
            .as_str()
            .expect("an address")
            .to_owned();
        Server {
            child,
            address,
            _logs: logs,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        answer(ureq::get(&self.url(path)).call())
    }

    fn post(&self, path: &str, body: &str) -> (u16, Value) {
        answer(ureq::post(&self.url(path)).send_string(body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status and JSON body of an answer, error statuses included.
fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let response = match result {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(e) => panic!("no answer: {e}"),
    };
    let status = response.status();
    let body = response.into_string().expect("a text body");
    let value = serde_json::from_str(&body).unwrap_or(json!({ "text": body }));
    (status, value)
}

/// A folder holding `files`.
fn rules(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        write(&dir.path().join(name), text);
    }
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("the file is written");
}

fn path(dir: &tempfile::TempDir) -> &str {
    dir.path().to_str().expect("a UTF-8 path")
}

#[test]
fn healthz_answers_while_the_server_lives() {
    let dir = rules(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    assert_eq!(server.get("/healthz"), (200, json!({ "status": "ok" })));
    assert_eq!(server.get("/nowhere").0, 404);
}

#[test]
fn run_gives_the_outcome_of_one_event_and_its_version() {
    let dir = rules(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let (status, urgent) = server.post("/v1/run", r#"{"ticket": {"priority": "urgent"}}"#);
    assert_eq!(status, 200, "{urgent}");
    assert_eq!(
        urgent["fired"][0]["trigger"], "Tag urgent tickets",
        "{urgent}"
    );
    assert_eq!(urgent["ticket"]["tags"], json!(["urgent"]), "{urgent}");
    assert!(urgent["version"].as_str().is_some_and(|v| v.len() == 16));
    // The near miss: a low ticket fires nothing, on the same version.
    let (_, low) = server.post("/v1/run", r#"{"ticket": {"priority": "low"}}"#);
    assert_eq!(low["fired"], json!([]), "{low}");
    assert_eq!(low["version"], urgent["version"]);
}

#[test]
fn a_bad_event_is_a_400_naming_its_code_and_path() {
    let dir = rules(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let (status, body) = server.post("/v1/run", r#"{"ticket": {"priority": "loud"}}"#);
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "declic::invalid_event");
    assert_eq!(body["error"]["path"], "ticket.priority");
}

#[test]
fn rules_with_errors_do_not_start() {
    let dir = rules(&[(
        "a.declic",
        "trigger \"x\" { when all { Nope is 1 } then { } }",
    )]);
    let out = Command::new(env!("CARGO_BIN_EXE_declic"))
        .args(["serve", path(&dir), "--listen", "127.0.0.1:0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("declic::"), "{stderr}");
}
