//! Section e: `declic serve` under load on loopback. The release binary serves the
//! recipes; a load generator (hyper's client on one tokio thread, so the server keeps the
//! other cores) sends generated events from 1, 64 and 512 connections at once, each
//! connection one request after another. Beside it, in-process `run` on the same events:
//! what the HTTP layer costs. Then the rules are reloaded every second under load, and a
//! broken file is dropped in under load: no request may fail either time. The server's
//! memory is its resident set, from /proc.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;

use crate::measure::{throughput, Row};

/// The route the load sends its events to, for their outcomes or their changes.
const RUN: &str = "/v1/run";
const CHANGES: &str = "/v1/run?output=changes";

/// The connection counts of the load passes.
const CONNECTIONS: [usize; 3] = [1, 64, 512];

pub fn rows(quick: bool) -> Result<Vec<Row>, String> {
    let n = if quick { 5_000 } else { 50_000 };
    let churn = Duration::from_secs(if quick { 3 } else { 10 });
    eprintln!("e: declic serve under load, {n} requests a pass...");
    let texts: Arc<Vec<Bytes>> = Arc::new(
        crate::events::generate(n.min(20_000), 29)
            .into_iter()
            .map(Bytes::from)
            .collect(),
    );
    let rules = copy_recipes()?;
    let mut server = Server::start(&crate::stream::binary()?, rules.path())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;

    let engine = crate::recipes();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // `n` rounded down to a whole share for each thread.
    let n = n / cores * cores;
    let one = in_process(&engine, &texts, n, 1);
    let all = in_process(&engine, &texts, n, cores);
    let reference = "in-process run, one thread";
    let base = Some((reference, n as f64 / one.as_secs_f64()));
    let mut rows = vec![
        throughput("e-serve", reference, n, one, None),
        throughput(
            "e-serve",
            &format!("in-process run, {cores} threads"),
            n,
            all,
            base,
        ),
    ];
    let passes = CONNECTIONS.iter().map(|&c| (c, RUN, ""));
    // What fired and changed without the ticket: the recipes route, so each event is
    // still read whole, but no ticket is written back.
    let passes = passes.chain([(64, CHANGES, " ?output=changes")]);
    for (connections, path, what) in passes {
        let load = runtime.block_on(load(
            &server.address,
            &texts,
            connections,
            path,
            Some(n),
            None,
        ))?;
        let name = format!("serve{what}, {connections} conn: {}", load.summary());
        let mut row = throughput("e-serve", &name, load.ok, load.time, base);
        row.peak_bytes = server.resident();
        rows.push(row);
    }

    // Reloads every second under load: each one a new version of the rules.
    let stop = Arc::new(AtomicBool::new(false));
    let touched = rules.path().join("zz-reload.declic");
    let reloads = {
        let (stop, touched) = (Arc::clone(&stop), touched.clone());
        std::thread::spawn(move || reload_every_second(&touched, &stop))
    };
    let load = runtime.block_on(load_for(&server.address, &texts, 64, churn));
    stop.store(true, Ordering::Relaxed);
    let reloaded = reloads.join().map_err(|_| "the reloading thread failed")?;
    let load = load?;
    let applied = server.log_count("rules reloaded");
    let name = format!(
        "serve + reload each s ({applied} of {reloaded}): {}",
        load.summary()
    );
    rows.push(throughput("e-reload", &name, load.ok, load.time, base));
    check_no_failure(&load, "reloads")?;

    // A broken file dropped in under load: refused, the old rules keep serving.
    let broken = rules.path().join("zz-broken.declic");
    let load = runtime.block_on(async {
        let running = load_for(&server.address, &texts, 64, churn);
        let breaking = async {
            tokio::time::sleep(churn / 3).await;
            std::fs::write(
                &broken,
                "trigger \"broken\" { when all {\n Nope is 1\n}\n then {\n Tags += x\n}\n}\n",
            )
        };
        let (load, wrote) = tokio::join!(running, breaking);
        wrote.map_err(|e| e.to_string())?;
        load
    })?;
    let refused = server.log_count("rules refused: the previous version keeps serving");
    let name = format!(
        "serve + broken reload ({refused} refused): {}",
        load.summary()
    );
    let mut row = throughput("e-reload", &name, load.ok, load.time, base);
    row.peak_bytes = server.resident();
    rows.push(row);
    check_no_failure(&load, "a broken reload")?;
    if refused == 0 {
        return Err("the broken file was not refused".into());
    }
    server.stop();
    Ok(rows)
}

/// In-process `run` on `threads` threads: parse, run and serialise each event, as a
/// request does.
fn in_process(
    engine: &declic::engine::Compiled,
    texts: &[Bytes],
    n: usize,
    threads: usize,
) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                let mut bytes = 0;
                for text in texts
                    .iter()
                    .cycle()
                    .skip(t)
                    .step_by(threads)
                    .take(n / threads)
                {
                    let text = std::str::from_utf8(text).expect("generated events are text");
                    let event =
                        declic::model::Event::from_json(text).expect("generated events are valid");
                    bytes += serde_json::to_vec(&engine.run(&event)).map_or(0, |v| v.len());
                }
                std::hint::black_box(bytes);
            });
        }
    });
    start.elapsed()
}

/// What one load pass measured.
struct Load {
    ok: usize,
    failed: usize,
    time: Duration,
    /// Each answered request's latency, sorted.
    latencies: Vec<Duration>,
}

impl Load {
    fn percentile(&self, p: usize) -> Duration {
        let i = (self.latencies.len() * p / 100).min(self.latencies.len().saturating_sub(1));
        self.latencies.get(i).copied().unwrap_or_default()
    }

    fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "p50 {:.2} ms, p99 {:.2} ms, {} failed",
            ms(self.percentile(50)),
            ms(self.percentile(99)),
            self.failed
        )
    }
}

fn check_no_failure(load: &Load, during: &str) -> Result<(), String> {
    match load.failed {
        0 => Ok(()),
        n => Err(format!("{n} requests failed during {during}")),
    }
}

/// `requests` requests to `path` in all (or as many as `until` allows) from
/// `connections` connections at once.
async fn load(
    address: &str,
    texts: &Arc<Vec<Bytes>>,
    connections: usize,
    path: &'static str,
    requests: Option<usize>,
    until: Option<Instant>,
) -> Result<Load, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (address, texts, next) = (address.to_owned(), Arc::clone(texts), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            connection(&address, &texts, &next, path, requests, until).await
        }));
    }
    let mut load = Load {
        ok: 0,
        failed: 0,
        time: Duration::ZERO,
        latencies: Vec::new(),
    };
    for task in tasks {
        let (latencies, failed) = task.await.map_err(|e| e.to_string())??;
        load.ok += latencies.len();
        load.failed += failed;
        load.latencies.extend(latencies);
    }
    load.time = start.elapsed();
    load.latencies.sort();
    Ok(load)
}

/// [`load`] for a while.
async fn load_for(
    address: &str,
    texts: &Arc<Vec<Bytes>>,
    connections: usize,
    time: Duration,
) -> Result<Load, String> {
    load(
        address,
        texts,
        connections,
        RUN,
        None,
        Some(Instant::now() + time),
    )
    .await
}

/// One client: a keep-alive connection sending events one after another; the latencies of
/// its answered requests, and how many failed (a status other than 200, or no answer).
async fn connection(
    address: &str,
    texts: &[Bytes],
    next: &AtomicUsize,
    path: &str,
    requests: Option<usize>,
    until: Option<Instant>,
) -> Result<(Vec<Duration>, usize), String> {
    let tcp = tokio::net::TcpStream::connect(address)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let _ = tcp.set_nodelay(true);
    let io = hyper_util::rt::TokioIo::new(tcp);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let (mut latencies, mut failed) = (Vec::new(), 0);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if requests.is_some_and(|n| i >= n) || until.is_some_and(|t| Instant::now() >= t) {
            break;
        }
        let request = hyper::Request::post(path)
            .header("host", "bench")
            .header("content-type", "application/json")
            .body(Full::new(texts[i % texts.len()].clone()))
            .map_err(|e| e.to_string())?;
        let start = Instant::now();
        let answered = match sender.send_request(request).await {
            Ok(response) => {
                let ok = response.status() == 200;
                response.into_body().collect().await.is_ok() && ok
            }
            Err(_) => false,
        };
        if answered {
            latencies.push(start.elapsed());
        } else {
            failed += 1;
            sender
                .ready()
                .await
                .map_err(|e| format!("the connection closed: {e}"))?;
        }
    }
    Ok((latencies, failed))
}

/// Rewrites a rule file each second until `stop`, each time with another trigger title (a
/// new version); how many times.
fn reload_every_second(path: &Path, stop: &AtomicBool) -> usize {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let text = format!(
            "trigger \"Reload {n}\" {{\n  when all {{\n    Tags includes reload_{n}\n    Tags excludes reloaded_{n}\n  }}\n  then {{\n    Tags += reloaded_{n}\n  }}\n}}\n"
        );
        if std::fs::write(path, text).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    n
}

/// The recipes copied to a temporary folder, which the reload rows change.
fn copy_recipes() -> Result<TempDir, String> {
    let dir =
        TempDir(std::env::temp_dir().join(format!("declic-bench-serve-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).map_err(|e| e.to_string())?;
    let from = crate::root().join("recipes/fr");
    for entry in std::fs::read_dir(&from)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "declic") {
            std::fs::copy(&path, dir.0.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    Ok(dir)
}

/// A folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The server, its address, and the messages of its log so far.
struct Server {
    child: Child,
    address: String,
    messages: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    fn start(declic: &Path, rules: &Path) -> Result<Server, String> {
        let mut child = Command::new(declic)
            .arg("serve")
            .arg(rules)
            .args(["--listen", "127.0.0.1:0", "--max-concurrent", "4096"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start declic serve: {e}"))?;
        let mut lines = BufReader::new(child.stderr.take().ok_or("no stderr")?).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let first: serde_json::Value = serde_json::from_str(&first)
            .map_err(|_| format!("declic serve did not start: {first}"))?;
        let address = first["address"]
            .as_str()
            .ok_or("no address logged")?
            .to_owned();
        // The log is read as it comes (a full pipe would stop the server), and only the
        // messages other than requests are kept.
        let messages = Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = Arc::clone(&messages);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if line.contains("\"message\":\"request\"") {
                    continue;
                }
                let value: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
                if let (Some(message), Ok(mut kept)) = (value["message"].as_str(), kept.lock()) {
                    kept.push(message.to_owned());
                }
            }
        });
        Ok(Server {
            child,
            address,
            messages,
        })
    }

    /// How many log lines so far have `message`.
    fn log_count(&self, message: &str) -> usize {
        self.messages
            .lock()
            .map(|m| m.iter().filter(|m| *m == message).count())
            .unwrap_or(0)
    }

    /// The server's peak resident memory so far (VmHWM), from /proc.
    fn resident(&self) -> Option<usize> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
