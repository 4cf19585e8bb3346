//! Section g: the language server's latency, from a one-character edit sent to `declic
//! lsp` over stdio (as an editor speaks to it) to the diagnostics it publishes for it, on
//! the French recipes and on a generated rule set of 7,000 triggers; beside a full check
//! and lint of the same rule set in the harness's process (`declic::check_path`, the
//! `declic check` a user would otherwise run), so the ratio says how much cheaper an edit
//! is. The edit rows' memory is the server's peak resident memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::measure::{median, Row};

/// How many edits each rule set takes, and in a quick run.
const EDITS: usize = 100;
const QUICK_EDITS: usize = 20;

pub fn rows(quick: bool) -> Result<Vec<Row>, String> {
    let edits = if quick { QUICK_EDITS } else { EDITS };
    eprintln!("g: {edits} edits through declic lsp, beside a full check...");
    let declic = crate::stream::binary()?;
    let recipes = crate::root().join("recipes/fr");
    let generated = std::env::temp_dir().join(format!("declic-bench-lsp-{}", std::process::id()));
    std::fs::create_dir_all(&generated).map_err(|e| e.to_string())?;
    std::fs::write(
        generated.join("generated.declic"),
        crate::rules::rule_set(7_000),
    )
    .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for (name, dir) in [
        ("recipes/fr", recipes.as_path()),
        ("7,000 triggers", generated.as_path()),
    ] {
        let runs = if quick { 3 } else { 7 };
        let (full, _) = median(runs, || declic::check_path(dir).diagnostics.len());
        let edited = edit(&declic, dir, edits);
        let edited = match edited {
            Ok(edited) => edited,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&generated);
                return Err(e);
            }
        };
        let against = format!("{name}: full check and lints in process");
        let row = |what: String, time: Duration, peak: Option<usize>| Row {
            section: "g-lsp".to_owned(),
            name: what,
            per_second: None,
            micros: time.as_secs_f64() * 1e6,
            ratio: time.as_secs_f64() / full.as_secs_f64(),
            against: against.clone(),
            peak_bytes: peak,
        };
        rows.push(row(against.clone(), full, None));
        rows.push(row(
            format!("{name}: edit, median of {edits} (server RSS)"),
            edited.median,
            Some(edited.rss),
        ));
        rows.push(row(
            format!("{name}: edit, worst of {edits}"),
            edited.worst,
            None,
        ));
    }
    let _ = std::fs::remove_dir_all(&generated);
    Ok(rows)
}

/// What [`edit`] measured.
struct Edited {
    median: Duration,
    worst: Duration,
    /// The server's peak resident memory, in bytes.
    rss: usize,
}

/// Opens the first file of `dir` in a server, then types a character in its first
/// trigger's title and takes it away, `edits` times in all, each timed until the
/// server published that version's diagnostics. The file still parses, so every edit
/// is checked and linted.
fn edit(declic: &Path, dir: &Path, edits: usize) -> Result<Edited, String> {
    let dir = dir.canonicalize().map_err(|e| e.to_string())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "declic"))
        .collect();
    files.sort();
    let file = files.first().ok_or("no rule file")?;
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let (line, column) = first_title(&text).ok_or("no trigger title")?;
    let mut server = Server::start(declic)?;
    server.request("initialize", json!({ "capabilities": {} }))?;
    server.notify("initialized", json!({}))?;
    let uri = format!("file://{}", file.display());
    let doc = json!({ "uri": uri, "languageId": "declic", "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": doc }))?;
    server.diagnostics(&uri, 1)?;
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
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
        let start = std::time::Instant::now();
        server.notify("textDocument/didChange", params)?;
        server.diagnostics(&uri, version)?;
        times.push(start.elapsed());
    }
    let rss = server.peak_rss();
    server.request("shutdown", Value::Null)?;
    server.notify("exit", Value::Null)?;
    let _ = server.child.wait();
    times.sort();
    Ok(Edited {
        median: times[times.len() / 2],
        worst: times[times.len() - 1],
        rss,
    })
}

/// The line and UTF-16 column just inside the first trigger's title quote.
fn first_title(text: &str) -> Option<(u32, u32)> {
    let keyword = text
        .find("trigger \"")
        .or_else(|| text.find("déclencheur"))?;
    let quote = keyword + text[keyword..].find('"')?;
    let line = text[..quote].matches('\n').count() as u32;
    let column = text[..=quote]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.encode_utf16().count()) as u32;
    Some((line, column))
}

fn range(line: u32, from: u32, to: u32) -> Value {
    json!({ "start": { "line": line, "character": from }, "end": { "line": line, "character": to } })
}

/// A `declic lsp` process spoken to over its stdin and stdout.
struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start(declic: &Path) -> Result<Server, String> {
        let mut child = Command::new(declic)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", declic.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Server {
            child,
            stdin,
            stdout,
            next_id: 0,
        })
    }

    fn send(&mut self, message: Value) -> Result<(), String> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("the server stopped reading: {e}"))
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        loop {
            let message = self.receive()?;
            if message["id"] == id {
                return Ok(message);
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Result<(), String> {
        loop {
            let m = self.receive()?;
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
            {
                return Ok(());
            }
        }
    }

    fn receive(&mut self) -> Result<Value, String> {
        let mut length = 0;
        loop {
            let mut line = String::new();
            let read = self
                .stdout
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            if read == 0 {
                return Err("the server ended".to_owned());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().map_err(|_| format!("a bad length: {n}"))?;
            }
        }
        let mut body = vec![0; length];
        self.stdout
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }

    /// The server's peak resident memory, in bytes (Linux; 0 elsewhere).
    fn peak_rss(&self) -> usize {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let kib: usize = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        kib * 1024
    }
}
