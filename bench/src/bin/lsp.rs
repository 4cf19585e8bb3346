//! The language server's latency: from a one-character edit sent to `declic lsp` to the
//! diagnostics it publishes for it, over stdio as an editor speaks to it, on the recipes
//! and on a generated rule set of 7,000 triggers; and the server's memory on the latter.
//!
//! ```text
//! cargo build --release && cargo run --release -p declic-bench --bin lsp
//! ```
//!
//! It drives the `declic` binary beside it in `target/release` (or the one `DECLIC` names).

#[path = "../rules.rs"]
#[allow(dead_code)]
mod rules;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const EDITS: usize = 100;

fn main() {
    let declic = std::env::var_os("DECLIC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/declic"));
    let recipes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../recipes/fr");
    let recipes = recipes.canonicalize().expect("recipes/fr");
    let generated = std::env::temp_dir().join(format!("declic-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&generated).expect("a temporary folder");
    std::fs::write(generated.join("generated.declic"), rules::rule_set(7_000)).expect("written");

    println!(
        "{:<28} {:>10} {:>10} {:>12}",
        "rule set", "median", "worst", "server RSS"
    );
    for (name, dir) in [
        ("recipes/fr (7 files)", &recipes),
        ("7,000 triggers (1 file)", &generated),
    ] {
        let (median, worst, rss) = measure(&declic, dir);
        println!(
            "{name:<28} {:>8.1}ms {:>8.1}ms {:>9} MiB",
            ms(median),
            ms(worst),
            rss >> 10
        );
    }
    let _ = std::fs::remove_dir_all(&generated);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median and worst of [`EDITS`] edits of the first file of `dir`, and the server's
/// peak resident memory in KiB.
fn measure(declic: &Path, dir: &Path) -> (Duration, Duration, u64) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the folder")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "declic"))
        .collect();
    files.sort();
    let mut server = Server::start(declic);
    server.request("initialize", json!({ "capabilities": {} }));
    server.notify("initialized", json!({}));
    let uri = format!("file://{}", files[0].display());
    let text = std::fs::read_to_string(&files[0]).expect("the file");
    let doc = json!({ "uri": uri, "languageId": "declic", "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    server.diagnostics(&uri, 1);
    // Type a character in the first trigger's title, then take it away, and so on: the
    // file still parses, so every edit is checked and linted; the checker reads again
    // only the trigger typed in, the lints and the whole set's checks run over all of it.
    let quote = text
        .find("trigger \"")
        .or_else(|| text.find("déclencheur"))
        .expect("a trigger");
    let quote = quote + text[quote..].find('"').expect("a title");
    let line = text[..quote].matches('\n').count() as u32;
    let column = text[..=quote]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.encode_utf16().count()) as u32;
    let mut times = Vec::with_capacity(EDITS);
    for i in 0..EDITS {
        let version = i as i64 + 2;
        let change = if i % 2 == 0 {
            json!({ "range": range(line, column, column), "text": "x" })
        } else {
            json!({ "range": range(line, column, column + 1), "text": "" })
        };
        let params = json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [change],
        });
        let start = Instant::now();
        server.notify("textDocument/didChange", params);
        server.diagnostics(&uri, version);
        times.push(start.elapsed());
    }
    let rss = server.peak_rss();
    server.request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let _ = server.child.wait();
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], rss)
}

fn range(line: u32, from: u32, to: u32) -> Value {
    json!({ "start": { "line": line, "character": from }, "end": { "line": line, "character": to } })
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start(declic: &Path) -> Server {
        let mut child = Command::new(declic)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (build it with cargo build --release)",
                    declic.display()
                )
            });
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        Server {
            child,
            stdin,
            stdout,
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("sent");
        self.stdin.flush().expect("sent");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
            {
                return;
            }
        }
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).expect("read") > 0,
                "the server ended"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("a body");
        serde_json::from_slice(&body).expect("JSON")
    }

    /// The server's peak resident memory, in KiB (Linux).
    fn peak_rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}
