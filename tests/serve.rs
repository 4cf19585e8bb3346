//! `declic serve` end to end: the real binary on a free loopback port, driven by a real
//! HTTP client (ureq), and by hand over TCP where a test must hold a stream open.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// A rule set of one trigger: urgent tickets get the tag `urgent`.
const URGENT: &str = r#"
trigger "Tag urgent tickets" {
  when all {
    Priority is Urgent
  }
  then {
    Tags += urgent
  }
}
"#;

/// Another trigger: low tickets get the tag `low`.
const LOW: &str = r#"
trigger "Tag low tickets" {
  when all {
    Priority is Low
  }
  then {
    Tags += low
  }
}
"#;

/// A file that does not check.
const BROKEN: &str = r#"
trigger "Broken" {
  when all {
    Nope is 1
  }
  then {
    Tags += x
  }
}
"#;

const URGENT_EVENT: &str = r#"{"ticket": {"priority": "urgent"}}"#;
const LOW_EVENT: &str = r#"{"ticket": {"priority": "low"}}"#;

/// How long a test waits for the server to do something before it fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// The log lines after `listening`, as they come.
    logs: Receiver<Value>,
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
        let mut server = Server {
            child,
            address: String::new(),
            logs,
        };
        let listening = server.log("listening");
        server.address = listening["address"]
            .as_str()
            .expect("an address")
            .to_owned();
        server
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

    /// Waits for the next log line with `message`, skipping the others.
    fn log(&self, message: &str) -> Value {
        loop {
            let line = self
                .logs
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|e| panic!("no `{message}` log line: {e}"));
            if line["message"] == message {
                return line;
            }
        }
    }

    /// Sends the server a signal (`TERM`, `HUP`).
    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// The version `/v1/rules` names.
    fn version(&self) -> String {
        let (_, rules) = self.get("/v1/rules");
        rules["version"].as_str().expect("a version").to_owned()
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
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
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

/// An NDJSON request written by hand, chunk by chunk, so that a test can read outcomes
/// while the request is still open.
struct Stream {
    tcp: TcpStream,
    /// What came back so far.
    received: String,
}

impl Stream {
    fn open(server: &Server, path: &str) -> Stream {
        let mut tcp = TcpStream::connect(&server.address).expect("connects");
        tcp.set_read_timeout(Some(PATIENCE)).expect("a time-out");
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-ndjson\r\n\
             Transfer-Encoding: chunked\r\n\r\n"
        );
        tcp.write_all(head.as_bytes()).expect("sends");
        Stream {
            tcp,
            received: String::new(),
        }
    }

    fn send(&mut self, line: &str) {
        let chunk = format!("{:x}\r\n{line}\n\r\n", line.len() + 1);
        self.tcp.write_all(chunk.as_bytes()).expect("sends");
    }

    fn finish(&mut self) {
        self.tcp.write_all(b"0\r\n\r\n").expect("sends");
    }

    /// Reads until `n` outcome lines have come, and returns them.
    fn outcomes(&mut self, n: usize) -> Vec<Value> {
        loop {
            let lines = self.lines();
            if lines.len() >= n {
                return lines;
            }
            let mut buffer = [0; 4096];
            let read = self.tcp.read(&mut buffer).expect("the answer comes");
            assert!(read > 0, "the answer ended early: {}", self.received);
            self.received += &String::from_utf8_lossy(&buffer[..read]);
        }
    }

    /// The JSON lines of the answer so far (its chunk sizes and head left out).
    fn lines(&self) -> Vec<Value> {
        let body = self.received.split("\r\n\r\n").nth(1).unwrap_or_default();
        body.split(['\r', '\n'])
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }

    /// Reads the answer to its end (the last chunk).
    fn end(&mut self) -> Vec<Value> {
        while !self.received.ends_with("0\r\n\r\n") {
            let mut buffer = [0; 4096];
            let read = self.tcp.read(&mut buffer).expect("the answer comes");
            assert!(read > 0, "the answer ended early: {}", self.received);
            self.received += &String::from_utf8_lossy(&buffer[..read]);
        }
        self.lines()
    }
}

#[test]
fn the_probes_answer_and_an_unknown_path_is_a_json_404() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    assert_eq!(server.get("/healthz"), (200, json!({ "status": "ok" })));
    let (status, ready) = server.get("/readyz");
    assert_eq!(status, 200);
    assert_eq!(ready["versions"][""], server.version());
    let (status, missing) = server.get("/nowhere");
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "declic::not_found");
    let (status, wrong) = answer(ureq::delete(&server.url("/v1/run")).call());
    assert_eq!(status, 405);
    assert_eq!(wrong["error"]["code"], "declic::method_not_allowed");
}

#[test]
fn run_gives_the_outcome_of_one_event_and_its_version() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let (status, urgent) = server.post("/v1/run", URGENT_EVENT);
    assert_eq!(status, 200, "{urgent}");
    assert_eq!(
        urgent["fired"][0]["trigger"], "Tag urgent tickets",
        "{urgent}"
    );
    assert_eq!(urgent["ticket"]["tags"], json!(["urgent"]), "{urgent}");
    assert!(urgent["version"].as_str().is_some_and(|v| v.len() == 16));
    assert_eq!(urgent["version"], server.version());
    // The near miss: a low ticket fires nothing, on the same version.
    let (_, low) = server.post("/v1/run", LOW_EVENT);
    assert_eq!(low["fired"], json!([]), "{low}");
    assert_eq!(low["version"], urgent["version"]);
}

#[test]
fn a_bad_event_is_a_400_naming_its_code_and_path() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let (status, body) = server.post("/v1/run", r#"{"ticket": {"priority": "loud"}}"#);
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "declic::invalid_event");
    assert_eq!(body["error"]["path"], "ticket.priority");
}

#[test]
fn explain_says_why_and_may_keep_one_trigger() {
    let dir = folder(&[("a.declic", URGENT), ("b.declic", LOW)]);
    let server = Server::start(&[path(&dir)]);
    let (status, all) = server.post("/v1/explain", URGENT_EVENT);
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["outcome"]["fired"][0]["trigger"], "Tag urgent tickets");
    assert_eq!(all["version"], server.version());
    let reached = |e: &Value| e["passes"][0]["triggers"].as_array().map(Vec::len);
    assert_eq!(reached(&all), Some(2), "{all}");
    let (status, one) = server.post("/v1/explain?trigger=Tag%20low%20tickets", URGENT_EVENT);
    assert_eq!(status, 200, "{one}");
    assert_eq!(reached(&one), Some(1), "{one}");
    // The near miss: a title the rules do not have.
    let (status, unknown) = server.post("/v1/explain?trigger=Nope", URGENT_EVENT);
    assert_eq!(status, 400);
    assert_eq!(unknown["error"]["code"], "declic::unknown_trigger");
}

#[test]
fn check_gives_the_diagnostics_declic_check_gives() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let (status, broken) = server.post("/v1/check", BROKEN);
    assert_eq!(status, 200, "{broken}");
    assert_eq!(broken["summary"]["errors"], 1, "{broken}");
    assert_eq!(broken["diagnostics"][0]["code"], "declic::unknown_field");
    // The same JSON as the command line's, file name aside.
    let file = dir.path().join("broken.declic");
    write(&file, BROKEN);
    let out = Command::new(env!("CARGO_BIN_EXE_declic"))
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .expect("runs");
    let cli: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(broken["summary"], cli["summary"]);
    let without_file = |v: &Value| {
        let mut d = v["diagnostics"][0].clone();
        d["file"] = Value::Null;
        d
    };
    assert_eq!(without_file(&broken), without_file(&cli));
    // Several files by name, in JSON; the near miss: files that check.
    let files = json!({ "files": { "a.declic": URGENT, "b.declic": LOW } }).to_string();
    let clean = answer(
        ureq::post(&server.url("/v1/check"))
            .set("Content-Type", "application/json")
            .send_string(&files),
    );
    assert_eq!(clean.0, 200);
    assert_eq!(clean.1["summary"]["errors"], 0, "{}", clean.1);
    assert_eq!(clean.1["summary"]["files"], 2);
    assert_eq!(clean.1["summary"]["triggers"], 2);
}

#[test]
fn rules_lists_the_triggers_in_run_order_with_the_version() {
    let dir = folder(&[("b.declic", URGENT), ("a.declic", LOW)]);
    let server = Server::start(&[path(&dir)]);
    let (status, rules) = server.get("/v1/rules");
    assert_eq!(status, 200);
    // Files run in path order: a.declic first.
    assert_eq!(
        rules["triggers"],
        json!(["Tag low tickets", "Tag urgent tickets"])
    );
    assert_eq!(rules["last_reload"], Value::Null);
    let (_, run) = server.post("/v1/run", LOW_EVENT);
    assert_eq!(rules["version"], run["version"]);
}

#[test]
fn metrics_count_requests_events_firings_and_errors() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    server.post("/v1/run", URGENT_EVENT);
    server.post("/v1/run", URGENT_EVENT);
    server.post("/v1/run", LOW_EVENT);
    server.post("/v1/run", "{");
    let response = ureq::get(&server.url("/metrics")).call().expect("answers");
    assert!(response.content_type().starts_with("text/plain"));
    let text = response.into_string().expect("text");
    for line in [
        "declic_requests_total{route=\"/v1/run\",status=\"200\"} 3",
        "declic_requests_total{route=\"/v1/run\",status=\"400\"} 1",
        "declic_request_duration_seconds_count{route=\"/v1/run\"} 4",
        "declic_events_total 3",
        "declic_firings_total{trigger=\"Tag urgent tickets\"} 2",
        "declic_errors_total{code=\"declic::invalid_event\"} 1",
        "declic_reloads_total{result=\"applied\"} 0",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }
}

#[test]
fn every_request_has_an_id_in_its_answer_and_its_log_line() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let given = ureq::get(&server.url("/healthz"))
        .set("X-Request-Id", "abc-123")
        .call()
        .expect("answers");
    assert_eq!(given.header("x-request-id"), Some("abc-123"));
    let logged = server.log("request");
    assert_eq!(logged["request_id"], "abc-123");
    assert_eq!(logged["route"], "/healthz");
    assert_eq!(logged["status"], 200);
    // Without one, the server makes one.
    let made = ureq::get(&server.url("/healthz")).call().expect("answers");
    let id = made.header("x-request-id").expect("an id").to_owned();
    assert_ne!(id, "abc-123");
    assert_eq!(server.log("request")["request_id"], id.as_str());
}

#[test]
fn ndjson_streams_outcomes_in_order_with_bad_lines_in_place() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let body = [
        URGENT_EVENT,
        "",
        "not json",
        LOW_EVENT,
        r#"{"ticket": {"status": "x"}}"#,
    ]
    .join("\n");
    let response = ureq::post(&server.url("/v1/run"))
        .set("Content-Type", "application/x-ndjson")
        .send_string(&body)
        .expect("answers");
    assert_eq!(response.content_type(), "application/x-ndjson");
    let text = response.into_string().expect("text");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0]["ticket"]["tags"], json!(["urgent"]));
    // The blank line counts in the numbering, and gives no outcome.
    assert_eq!(lines[1]["error"]["code"], "declic::invalid_event");
    assert_eq!(lines[1]["error"]["line"], 3);
    assert_eq!(lines[2]["fired"], json!([]));
    assert!(lines[2]["version"].is_string());
    assert_eq!(lines[3]["error"]["line"], 5);
    assert_eq!(lines[3]["error"]["path"], "ticket.status");
}

#[test]
fn ndjson_is_answered_line_by_line_while_the_request_is_still_coming() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let mut stream = Stream::open(&server, "/v1/run");
    stream.send(URGENT_EVENT);
    // The first outcome comes back before the second event is even sent.
    let first = stream.outcomes(1);
    assert_eq!(first[0]["ticket"]["tags"], json!(["urgent"]));
    stream.send(LOW_EVENT);
    assert_eq!(stream.outcomes(2)[1]["fired"], json!([]));
    stream.finish();
    assert_eq!(stream.end().len(), 2);
}

#[test]
fn a_body_past_the_limit_is_a_413() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir), "--max-body", "100"]);
    let padded = |n: usize| format!(r#"{{"ticket": {{"subject": "{}"}}}}"#, "x".repeat(n));
    let (status, body) = server.post("/v1/run", &padded(200));
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "declic::file_too_large");
    // The near miss: just under the limit.
    assert_eq!(server.post("/v1/run", &padded(50)).0, 200);
    // In a stream, the limit holds for each line: the long one is answered in place.
    let lines = [padded(200), padded(50)].join("\n");
    let response = ureq::post(&server.url("/v1/run"))
        .set("Content-Type", "application/x-ndjson")
        .send_string(&lines)
        .expect("answers");
    let text = response.into_string().expect("text");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(
        lines[0]["error"]["code"], "declic::file_too_large",
        "{text}"
    );
    assert_eq!(lines[1]["error"], Value::Null, "{text}");
}

#[test]
fn json_nested_past_the_limit_is_a_400_with_its_path() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir), "--max-depth", "4"]);
    let deep = r#"{"ticket": {"priority": "urgent", "extra": {"a": [{"b": 1}]}}}"#;
    let (status, body) = server.post("/v1/run", deep);
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "declic::too_deep");
    assert_eq!(body["error"]["path"], "ticket.extra.a[0]");
    // The near miss: as deep as the limit allows.
    let deep = r#"{"ticket": {"priority": "urgent", "extra": {"a": [1]}}}"#;
    let (status, body) = server.post("/v1/run", deep);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_request_slower_than_the_time_out_is_a_408() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir), "--timeout", "1"]);
    // A body announced longer than what comes.
    let mut tcp = TcpStream::connect(&server.address).expect("connects");
    tcp.set_read_timeout(Some(PATIENCE)).expect("a time-out");
    let head = "POST /v1/run HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n{\"ticket\"";
    tcp.write_all(head.as_bytes()).expect("sends");
    let mut answer = String::new();
    let _ = tcp.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("declic::timeout"), "{answer}");
    // The near miss: a whole request in time.
    assert_eq!(server.post("/v1/run", URGENT_EVENT).0, 200);
}

#[test]
fn past_the_concurrency_limit_a_503_says_when_to_retry() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir), "--max-concurrent", "2"]);
    let mut first = Stream::open(&server, "/v1/run");
    first.send(URGENT_EVENT);
    first.outcomes(1);
    // One slot is left: the near miss.
    assert_eq!(server.post("/v1/run", URGENT_EVENT).0, 200);
    let mut second = Stream::open(&server, "/v1/run");
    second.send(URGENT_EVENT);
    second.outcomes(1);
    let refused = ureq::post(&server.url("/v1/run")).send_string(URGENT_EVENT);
    let Err(ureq::Error::Status(503, response)) = refused else {
        panic!("a 503, not {refused:?}");
    };
    assert_eq!(response.header("retry-after"), Some("1"));
    let body: Value = serde_json::from_str(&response.into_string().expect("text")).expect("JSON");
    assert_eq!(body["error"]["code"], "declic::overloaded");
    // The playground checks and runs what it is sent: it is held to the same limit.
    let playground = serde_json::json!({"files": {"a.declic": URGENT}, "event": URGENT_EVENT});
    let refused = ureq::post(&server.url("/v1/playground/run"))
        .set("Content-Type", "application/json")
        .send_string(&playground.to_string());
    assert!(
        matches!(refused, Err(ureq::Error::Status(503, _))),
        "a 503, not {refused:?}"
    );
    // The probes are never refused.
    assert_eq!(server.get("/healthz").0, 200);
    for stream in [&mut first, &mut second] {
        stream.finish();
        assert_eq!(stream.end().len(), 1);
    }
}

#[test]
fn changed_files_that_check_replace_the_rules() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let before = server.version();
    write(&dir.path().join("b.declic"), LOW);
    let reloaded = server.log("rules reloaded");
    assert_eq!(reloaded["previous"], before.as_str());
    let after = server.version();
    assert_eq!(reloaded["version"], after.as_str());
    assert_ne!(after, before);
    let (_, low) = server.post("/v1/run", LOW_EVENT);
    assert_eq!(low["fired"][0]["trigger"], "Tag low tickets");
    assert_eq!(low["version"], after.as_str());
    let (_, rules) = server.get("/v1/rules");
    assert_eq!(rules["last_reload"]["applied"], true);
}

#[test]
fn a_request_in_flight_at_a_reload_finishes_on_the_version_it_started_with() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let before = server.version();
    let mut stream = Stream::open(&server, "/v1/run");
    stream.send(LOW_EVENT);
    stream.outcomes(1);
    write(&dir.path().join("b.declic"), LOW);
    let after = server.log("rules reloaded")["version"].clone();
    // The stream goes on with the rules it started with: nothing fires on a low ticket.
    stream.send(LOW_EVENT);
    let outcomes = stream.outcomes(2);
    assert_eq!(outcomes[1]["version"], before.as_str());
    assert_eq!(outcomes[1]["fired"], json!([]));
    // The near miss: a request started after the reload has the new rules.
    let (_, low) = server.post("/v1/run", LOW_EVENT);
    assert_eq!(low["version"], after);
    assert_eq!(low["fired"][0]["trigger"], "Tag low tickets");
    stream.finish();
    stream.end();
}

#[test]
fn changed_files_that_do_not_check_leave_the_old_rules_serving() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    let before = server.version();
    write(&dir.path().join("b.declic"), BROKEN);
    let refused = server.log("rules refused: the previous version keeps serving");
    assert_eq!(refused["level"], "warn");
    assert_eq!(refused["diagnostics"][0]["code"], "declic::unknown_field");
    assert_eq!(server.version(), before);
    let (_, urgent) = server.post("/v1/run", URGENT_EVENT);
    assert_eq!(urgent["fired"][0]["trigger"], "Tag urgent tickets");
    let (_, rules) = server.get("/v1/rules");
    assert_eq!(rules["last_reload"]["applied"], false);
    assert_ne!(rules["last_reload"]["version"], before.as_str());
    assert_eq!(
        rules["last_reload"]["diagnostics"][0]["code"],
        "declic::unknown_field"
    );
    let text = ureq::get(&server.url("/metrics")).call().expect("answers");
    let text = text.into_string().expect("text");
    assert!(
        text.contains("declic_reloads_total{result=\"refused\"} 1"),
        "{text}"
    );
}

#[test]
fn a_configmap_update_swapping_its_data_link_reloads_the_rules() {
    // A ConfigMap volume as the kubelet lays it out: the files in a hidden folder, a
    // hidden link `..data` to it, and a visible link for each file through `..data`.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::create_dir(root.join("..2026_01")).expect("a folder");
    write(&root.join("..2026_01/a.declic"), URGENT);
    std::os::unix::fs::symlink("..2026_01", root.join("..data")).expect("a link");
    std::os::unix::fs::symlink("..data/a.declic", root.join("a.declic")).expect("a link");
    let server = Server::start(&[path(&dir)]);
    let before = server.version();
    // The kubelet's update: a new folder, a new link renamed over `..data` at once.
    std::fs::create_dir(root.join("..2026_02")).expect("a folder");
    write(&root.join("..2026_02/a.declic"), LOW);
    std::os::unix::fs::symlink("..2026_02", root.join("..data_tmp")).expect("a link");
    std::fs::rename(root.join("..data_tmp"), root.join("..data")).expect("renamed");
    std::fs::remove_dir_all(root.join("..2026_01")).expect("removed");
    // Writing the new folder may set off a reload of the old files first.
    while server.log("rules reloaded")["version"] == before.as_str() {}
    let (_, rules) = server.get("/v1/rules");
    assert_eq!(rules["triggers"], json!(["Tag low tickets"]));
}

#[test]
fn sighup_reloads_the_rules() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir)]);
    server.signal("HUP");
    server.log("SIGHUP: reloading the rules");
    let reloaded = server.log("rules reloaded");
    assert_eq!(reloaded["version"], server.version().as_str());
}

#[test]
fn a_request_in_flight_at_sigterm_is_answered_before_the_server_stops() {
    let dir = folder(&[("a.declic", URGENT)]);
    let mut server = Server::start(&[path(&dir)]);
    let mut stream = Stream::open(&server, "/v1/run");
    stream.send(URGENT_EVENT);
    stream.outcomes(1);
    server.signal("TERM");
    server.log("stopping: answering the requests in flight");
    // No new connection is taken: the signal is logged as it arrives, and the listener
    // closes a moment later, so the test waits for that, within a bound.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while TcpStream::connect(&server.address).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the listener is still open 10 s after SIGTERM"
        );
        std::thread::yield_now();
    }
    // The request in flight goes on to its end.
    stream.send(LOW_EVENT);
    stream.finish();
    let outcomes = stream.end();
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[1]["fired"], json!([]));
    server.log("stopped");
    let status = server.child.wait().expect("the server ends");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn accounts_each_serve_their_own_folder() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, rules) in [("acme", URGENT), ("globex", LOW)] {
        std::fs::create_dir(dir.path().join(name)).expect("a folder");
        write(&dir.path().join(name).join("rules.declic"), rules);
    }
    let server = Server::start(&["--accounts", dir.path().to_str().expect("UTF-8")]);
    let (status, acme) = server.post("/v1/accounts/acme/run", URGENT_EVENT);
    assert_eq!(status, 200, "{acme}");
    assert_eq!(acme["fired"][0]["trigger"], "Tag urgent tickets");
    let (_, globex) = server.post("/v1/accounts/globex/run", URGENT_EVENT);
    assert_eq!(globex["fired"], json!([]));
    assert_ne!(acme["version"], globex["version"]);
    let (_, rules) = server.get("/v1/accounts/globex/rules");
    assert_eq!(rules["triggers"], json!(["Tag low tickets"]));
    // The near misses: an account that does not exist, and the routes without one.
    let (status, unknown) = server.post("/v1/accounts/initech/run", URGENT_EVENT);
    assert_eq!(status, 404);
    assert_eq!(unknown["error"]["code"], "declic::unknown_account");
    assert_eq!(server.post("/v1/run", URGENT_EVENT).0, 404);
}

#[test]
fn rules_with_errors_do_not_start() {
    let dir = folder(&[("a.declic", BROKEN)]);
    let out = Command::new(env!("CARGO_BIN_EXE_declic"))
        .args(["serve", path(&dir), "--listen", "127.0.0.1:0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("declic::unknown_field"), "{stderr}");
}

/// The sample events of `events/`, each on one line (as a stream carries them).
fn sample_events() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("the sample events")
        .map(|entry| entry.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            let value: Value = serde_json::from_str(&text).expect("a JSON event");
            value.to_string()
        })
        .collect()
}

/// The JSON lines of the answer to `events` sent as one NDJSON stream to `path`.
fn streamed(server: &Server, path: &str, events: &[String]) -> Vec<Value> {
    let response = ureq::post(&server.url(path))
        .set("Content-Type", "application/x-ndjson")
        .send_string(&events.join("\n"))
        .expect("answers");
    assert_eq!(response.content_type(), "application/x-ndjson");
    let text = response.into_string().expect("text");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn output_changes_is_the_outcome_without_the_ticket_for_one_event_and_a_stream() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = |p: &str| root.join(p).to_str().expect("utf-8").to_owned();
    let messaging = [file("tests/corpus/valid/06-messaging-triggers.declic")];
    let recipes = [
        file("recipes/fr"),
        "--account".to_owned(),
        file("recipes/fr/compte"),
    ];
    let events = sample_events();
    assert!(events.len() >= 10);
    // Without routing each event is read as the rules need it; with it (the recipes have
    // queues, the account agents), whole, and what routing decided is among the changes.
    for (args, routes) in [(&messaging[..], false), (&recipes[..], true)] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let server = Server::start(&args);
        let (mut fired, mut routed) = (0, 0);
        let mut outcomes = Vec::new();
        let mut changes = Vec::new();
        for event in &events {
            let (status, outcome) = server.post("/v1/run", event);
            assert_eq!(status, 200, "{outcome}");
            // The default is the outcome, ticket included, as `?output=outcome` names it.
            assert_eq!(server.post("/v1/run?output=outcome", event).1, outcome);
            let (status, changed) = server.post("/v1/run?output=changes", event);
            assert_eq!(status, 200, "{changed}");
            let mut without_ticket = outcome.clone();
            let ticket = without_ticket
                .as_object_mut()
                .and_then(|o| o.remove("ticket"));
            assert!(ticket.is_some(), "{outcome}");
            assert_eq!(changed, without_ticket);
            assert!(changed["version"].is_string(), "{changed}");
            fired += changed["fired"].as_array().map_or(0, Vec::len);
            routed += usize::from(changed.get("routing").is_some());
            outcomes.push(outcome);
            changes.push(changed);
        }
        assert!(fired > 0, "nothing fired under {args:?}");
        assert_eq!(routed > 0, routes, "{args:?}");
        // A stream gives, line by line, what each event alone gives.
        assert_eq!(
            streamed(&server, "/v1/run?output=changes", &events),
            changes
        );
        assert_eq!(streamed(&server, "/v1/run", &events), outcomes);
    }
}

#[test]
fn output_changes_keeps_the_errors_and_limits_of_the_outcome() {
    let dir = folder(&[("a.declic", URGENT)]);
    let server = Server::start(&[path(&dir), "--max-depth", "4", "--max-body", "200"]);
    let deep = r#"{"ticket": {"priority": "urgent", "extra": {"a": [{"b": 1}]}}}"#;
    let large = format!(r#"{{"ticket": {{"subject": "{}"}}}}"#, "x".repeat(300));
    // (event, status, code, path)
    let cases = [
        ("{", 400, "declic::invalid_event", None),
        (
            r#"{"ticket": {"priority": "loud"}}"#,
            400,
            "declic::invalid_event",
            Some("ticket.priority"),
        ),
        ("[]", 400, "declic::invalid_event", None),
        (deep, 400, "declic::too_deep", Some("ticket.extra.a[0]")),
        (&large, 413, "declic::file_too_large", None),
    ];
    for (event, status, code, at) in cases {
        let (got, outcome) = server.post("/v1/run", event);
        assert_eq!(
            (got, &outcome["error"]["code"]),
            (status, &json!(code)),
            "{event}"
        );
        let (got, changes) = server.post("/v1/run?output=changes", event);
        assert_eq!(got, status, "{changes}");
        assert_eq!(changes, outcome, "{event}");
        if let Some(at) = at {
            assert_eq!(changes["error"]["path"], at, "{changes}");
        }
    }
    // The near miss: a good event, and in a stream a bad line answered in its place.
    let (status, good) = server.post("/v1/run?output=changes", URGENT_EVENT);
    assert_eq!(status, 200, "{good}");
    assert_eq!(good["fired"][0]["trigger"], "Tag urgent tickets");
    let lines = streamed(
        &server,
        "/v1/run?output=changes",
        &[
            URGENT_EVENT.to_owned(),
            "{".to_owned(),
            LOW_EVENT.to_owned(),
        ],
    );
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], good);
    assert_eq!(lines[1]["error"]["code"], "declic::invalid_event");
    assert_eq!(lines[1]["error"]["line"], 2);
    assert_eq!(lines[2]["fired"], json!([]));
    assert!(lines[2].get("ticket").is_none());
    // Events run for their changes are counted as the others are.
    let text = ureq::get(&server.url("/metrics")).call().expect("answers");
    let text = text.into_string().expect("text");
    for line in [
        "declic_events_total 3",
        "declic_firings_total{trigger=\"Tag urgent tickets\"} 2",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }
}

#[test]
fn an_unknown_output_is_a_400_naming_its_code() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("acme")).expect("a folder");
    write(&dir.path().join("acme").join("rules.declic"), URGENT);
    let server = Server::start(&["--accounts", path(&dir)]);
    let (status, changes) = server.post("/v1/accounts/acme/run?output=changes", URGENT_EVENT);
    assert_eq!(status, 200, "{changes}");
    assert_eq!(changes["fired"][0]["trigger"], "Tag urgent tickets");
    assert!(changes.get("ticket").is_none(), "{changes}");
    for query in ["?output=ticket", "?output=Changes", "?output="] {
        let route = format!("/v1/accounts/acme/run{query}");
        let (status, refused) = server.post(&route, URGENT_EVENT);
        assert_eq!(status, 400, "{query}: {refused}");
        assert_eq!(refused["error"]["code"], "declic::unknown_output");
        // A stream is refused before it starts.
        let refused = ureq::post(&server.url(&route))
            .set("Content-Type", "application/x-ndjson")
            .send_string(URGENT_EVENT);
        let (status, refused) = answer(refused);
        assert_eq!(status, 400, "{query}: {refused}");
        assert_eq!(refused["error"]["code"], "declic::unknown_output");
    }
    // A query that cannot be read is refused in JSON too.
    let route = "/v1/accounts/acme/run?output=changes&output=outcome";
    let (status, refused) = server.post(route, URGENT_EVENT);
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["error"]["code"], "declic::invalid_value");
}
