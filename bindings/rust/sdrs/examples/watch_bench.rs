// Waiting for many jobs at once: JobFutures on one executor thread (the watcher), against one
// blocking std::thread per job (Client::wait_job), as many as the machine allows.
//
// Starts its own emulator, seeds jobs of random duration (POST /_emulator/seed-jobs) right
// before each mode, and prints per mode: jobs completed and how, wall time, the process's
// threads (from /proc/self/status, sampled by the main thread, so no sampler thread counts),
// peak RSS, process CPU, TCP connections and polls the emulator saw, and how long after a
// job's end_time its wait returned (p50/p99/max).
//
// SDRS_EMULATOR=build/bin/sdrs-emulator LD_LIBRARY_PATH=build/lib \
//     cargo run --release --example watch_bench -- [--jobs 10000] [--min-s 5] [--max-s 60]
//     [--mode both|future|blocking] [--fail-every 0] [--max-polls-per-sec 5000]
//     [--max-in-flight 8] [--stack-kib 256] [--emulator-threads 1024]
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sdrs::{Client, Config, ErrorKind, Job, WaitOptions, Watcher, WatcherOptions};

// The executor tests/watcher.rs uses.
#[path = "../tests/common/executor.rs"]
mod executor;
use executor::Tasks;

struct Args {
    jobs: usize,
    min_s: u64,
    max_s: u64,
    mode: String,
    fail_every: usize,
    max_polls_per_sec: i32,
    max_in_flight: i32,
    stack_kib: usize,
    emulator_threads: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        jobs: 10_000,
        min_s: 5,
        max_s: 60,
        mode: "both".into(),
        fail_every: 0,
        max_polls_per_sec: 5_000,
        max_in_flight: 8,
        stack_kib: 256,
        emulator_threads: 1024,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = || value.parse::<u64>().map_err(|_| format!("{flag}: not a number: {value}"));
        match flag.as_str() {
            "--jobs" => a.jobs = num()? as usize,
            "--min-s" => a.min_s = num()?,
            "--max-s" => a.max_s = num()?,
            "--mode" if ["both", "future", "blocking"].contains(&value.as_str()) => a.mode = value.clone(),
            "--fail-every" => a.fail_every = num()? as usize,
            "--max-polls-per-sec" => a.max_polls_per_sec = num()? as i32,
            "--max-in-flight" => a.max_in_flight = num()? as i32,
            "--stack-kib" => a.stack_kib = num()? as usize,
            "--emulator-threads" => a.emulator_threads = num()? as usize,
            _ => return Err(format!("unknown option or value: {flag} {value}")),
        }
    }
    if a.jobs == 0 || a.min_s > a.max_s {
        return Err("need --jobs >= 1 and --min-s <= --max-s".into());
    }
    Ok(a)
}

// ---------------------------------------------------------------------------------------------
// The emulator: started here, seeded and read through its admin API.
// ---------------------------------------------------------------------------------------------

struct Emulator {
    child: Child,
    port: u16,
}

impl Emulator {
    fn start(threads: usize) -> Result<Emulator, String> {
        let exe = std::env::var("SDRS_EMULATOR").map_err(|_| "set SDRS_EMULATOR to the sdrs-emulator binary")?;
        let mut child = Command::new(&exe)
            .args(["--port", "0", "--quiet", "--threads", &threads.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{exe}: {e}"))?;
        // Read the one line it prints on this thread: a reader thread would count as ours.
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout")).read_line(&mut line).map_err(|e| e.to_string())?;
        let port = line.trim().strip_prefix("listening on 127.0.0.1:").and_then(|p| p.parse().ok());
        match port {
            Some(port) => Ok(Emulator { child, port }),
            None => {
                let _ = child.kill();
                Err(format!("unexpected emulator output {line:?}"))
            }
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn admin(&self, method: &str, path: &str, body: &str) -> Result<String, String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
        let mut resp = String::new();
        s.read_to_string(&mut resp).map_err(|e| e.to_string())?;
        let status = resp.split_whitespace().nth(1).unwrap_or("");
        let body = resp.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        if !status.starts_with('2') {
            return Err(format!("{method} {path} -> {status} {body}"));
        }
        Ok(body)
    }

    fn stat(&self, name: &str) -> Result<i64, String> {
        let body = self.admin("GET", "/_emulator/stats", "")?;
        json_number(&body, name).ok_or_else(|| format!("no {name} in {body}"))
    }

    /// Seeds jobs that stay INIT 1 s, then RUNNING a random time in [min_s - 1, max_s - 1] s,
    /// so each ends min_s..max_s from now.
    fn seed_jobs(&self, a: &Args) -> Result<Vec<String>, String> {
        let body = format!(
            r#"{{"count":{},"init_ms":1000,"run_ms_min":{},"run_ms_max":{},"fail_every":{}}}"#,
            a.jobs,
            a.min_s.saturating_sub(1) * 1000,
            a.max_s.saturating_sub(1) * 1000,
            a.fail_every
        );
        let resp = self.admin("POST", "/_emulator/seed-jobs", &body)?;
        let list = resp.split_once("\"job_ids\"").and_then(|(_, r)| r.split_once('[')).and_then(|(_, r)| r.split_once(']'));
        let ids: Vec<String> = list.ok_or_else(|| format!("no job_ids in {resp:.200}"))?.0.split('"').skip(1).step_by(2).map(str::to_string).collect();
        if ids.len() != a.jobs {
            return Err(format!("seeded {} jobs, asked for {}", ids.len(), a.jobs));
        }
        Ok(ids)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn json_number(body: &str, name: &str) -> Option<i64> {
    let key = format!("\"{name}\":");
    let rest = body[body.find(&key)? + key.len()..].trim_start();
    rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect::<String>().parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Process figures from /proc/self.
// ---------------------------------------------------------------------------------------------

fn status_field(name: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn threads() -> u64 {
    status_field("Threads:")
}

/// utime + stime of the process, in clock ticks (100 per second on Linux).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the ")" that closes the command name; utime and stime are fields 14 and 15.
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The thread count, sampled by whoever calls `sample`.
struct ThreadPeak(u64);

impl ThreadPeak {
    fn sample(&mut self) {
        self.0 = self.0.max(threads());
    }
}

// ---------------------------------------------------------------------------------------------
// Outcome bookkeeping, shared by both modes.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    ok: usize,
    failed: usize,
    other: usize,
    /// The first few unexpected errors.
    other_samples: Vec<String>,
    /// ms from the job's end_time to the moment its wait returned.
    late_ms: Vec<i64>,
}

impl Tally {
    fn record(&mut self, out: Result<Job, sdrs::Error>, done_ms: i64) {
        let end = match &out {
            Ok(job) => {
                self.ok += 1;
                job.end_time_ms()
            }
            Err(e) if e.kind() == ErrorKind::JobFailed => {
                self.failed += 1;
                e.job().and_then(Job::end_time_ms)
            }
            Err(e) => {
                self.other += 1;
                if self.other_samples.len() < 5 {
                    self.other_samples.push(e.to_string());
                }
                None
            }
        };
        if let Some(end) = end {
            self.late_ms.push(done_ms - end);
        }
    }

    fn lateness(&mut self) -> String {
        if self.late_ms.is_empty() {
            return "n/a".into();
        }
        self.late_ms.sort_unstable();
        let at = |q: f64| self.late_ms[((self.late_ms.len() - 1) as f64 * q).round() as usize];
        format!("p50 {} ms, p99 {} ms, max {} ms", at(0.5), at(0.99), at(1.0))
    }
}

struct Figures {
    mode: &'static str,
    waits: usize,
    wall: Duration,
    threads_before: u64,
    threads_peak: u64,
    cpu_s: f64,
    connections: i64,
    polls: i64,
    tally: Tally,
}

/// A mode's starting point: the emulator's counters, the process's threads and CPU, the clock.
struct Measure {
    conn0: i64,
    polls0: i64,
    threads_before: u64,
    peak: ThreadPeak,
    cpu0: u64,
    started: Instant,
}

impl Measure {
    fn start(emu: &Emulator) -> Result<Measure, String> {
        let (conn0, polls0) = (emu.stat("connections")?, emu.stat("api_requests")?);
        let threads_before = threads();
        Ok(Measure { conn0, polls0, threads_before, peak: ThreadPeak(threads_before), cpu0: cpu_ticks(), started: Instant::now() })
    }

    /// The mode's figures; wall is taken by the caller (before any teardown it leaves out).
    fn finish(self, emu: &Emulator, mode: &'static str, waits: usize, wall: Duration, tally: Tally) -> Result<Figures, String> {
        Ok(Figures {
            mode,
            waits,
            wall,
            threads_before: self.threads_before,
            threads_peak: self.peak.0,
            cpu_s: (cpu_ticks() - self.cpu0) as f64 / 100.0,
            connections: emu.stat("connections")? - self.conn0 - 1,
            polls: emu.stat("api_requests")? - self.polls0,
            tally,
        })
    }
}

/// Prints one mode's figures; fails when a wait ended other than SUCCESS or FAIL.
fn report(a: &Args, mut f: Figures) -> Result<(), String> {
    let lateness = f.tally.lateness();
    println!(
        "{}: {} of {} jobs waited, {} SUCCESS + {} FAIL + {} other = {} completed; wall {:.1} s; threads {} before, peak {}; \
         peak RSS {} MiB; process CPU {:.1} s; emulator saw {} TCP connections, {} API requests; \
         wait returned after end_time: {}",
        f.mode,
        f.waits,
        a.jobs,
        f.tally.ok,
        f.tally.failed,
        f.tally.other,
        f.tally.ok + f.tally.failed + f.tally.other,
        f.wall.as_secs_f64(),
        f.threads_before,
        f.threads_peak,
        status_field("VmHWM:") / 1024,
        f.cpu_s,
        f.connections,
        f.polls,
        lateness
    );
    for e in &f.tally.other_samples {
        println!("  {}: other outcome: {e}", f.mode);
    }
    let completed = f.tally.ok + f.tally.failed;
    if f.tally.other > 0 || completed != f.waits {
        return Err(format!("{}: {completed} of {} waits ended in SUCCESS or FAIL", f.mode, f.waits));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Futures on a minimal executor (tests/common/executor.rs).
// ---------------------------------------------------------------------------------------------

fn run_futures(a: &Args, emu: &Emulator, client: &Client) -> Result<Figures, String> {
    let ids = emu.seed_jobs(a)?;
    let mut m = Measure::start(emu)?;

    let watcher = Watcher::new(client, WatcherOptions::new().max_polls_per_sec(a.max_polls_per_sec).max_in_flight(a.max_in_flight))
        .map_err(|e| e.to_string())?;
    let opts = WaitOptions::new().timeout(Duration::from_secs(1800));
    let mut tasks = Tasks::new(ids.iter().map(|id| watcher.wait(id, &opts)));
    let mut tally = Tally::default();
    while tasks.left() > 0 {
        tasks.poll_woken(|_, out| tally.record(out, now_ms()));
        m.peak.sample();
        if tasks.left() > 0 && !tasks.woken() {
            thread::park_timeout(Duration::from_millis(200));
        }
    }
    let wall = m.started.elapsed();
    m.peak.sample();
    drop(watcher);
    m.finish(emu, "futures (one Watcher, one executor thread)", ids.len(), wall, tally)
}

// ---------------------------------------------------------------------------------------------
// The blocking baseline: one thread per job in Client::wait_job.
// ---------------------------------------------------------------------------------------------

fn run_blocking(a: &Args, emu: &Emulator, client: &Arc<Client>) -> Result<Figures, String> {
    let ids = emu.seed_jobs(a)?;
    let mut m = Measure::start(emu)?;

    let tally = Arc::new(Mutex::new(Tally::default()));
    let finished = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    let mut spawn_error = None;
    for id in ids {
        let (client, tally, finished) = (Arc::clone(client), Arc::clone(&tally), Arc::clone(&finished));
        let spawned = thread::Builder::new().stack_size(a.stack_kib * 1024).spawn(move || {
            let opts = WaitOptions::new().timeout(Duration::from_secs(1800));
            let out = client.wait_job(&id, Some(&opts));
            tally.lock().unwrap().record(out, now_ms());
            finished.fetch_add(1, Ordering::SeqCst);
        });
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => {
                spawn_error = Some(e);
                break;
            }
        }
        if handles.len() % 256 == 0 {
            m.peak.sample();
        }
    }
    let waits = handles.len();
    if let Some(e) = spawn_error {
        println!("blocking: the machine allowed {waits} threads (next spawn: {e}); the other jobs are not waited");
    }
    while finished.load(Ordering::SeqCst) < waits {
        m.peak.sample();
        thread::sleep(Duration::from_millis(200));
    }
    let wall = m.started.elapsed();
    for h in handles {
        h.join().map_err(|_| "a waiting thread panicked")?;
    }
    let tally = Arc::try_unwrap(tally).map_err(|_| "tally still shared")?.into_inner().unwrap();
    m.finish(emu, "blocking (one std::thread per job in Client::wait_job)", waits, wall, tally)
}

fn main() -> Result<(), String> {
    let a = parse_args()?;
    let emu = Emulator::start(a.emulator_threads)?;
    let config = Config::new()
        .and_then(|c| c.allow_http(true))
        .and_then(|c| c.endpoint(&emu.endpoint()))
        .and_then(|c| c.project_id("0123456789abcdef0123456789abcdef"))
        .and_then(|c| c.token("emulator-token"))
        .map_err(|e| e.to_string())?;
    let client = Arc::new(Client::new(&config).map_err(|e| e.to_string())?);
    println!(
        "libsdrs {}; {} jobs of {}-{} s (fail_every {}); watcher: max {} polls/s, {} in flight; wait options: library defaults, 30 min deadline; \
         blocking threads: {} KiB stacks; emulator --threads {}",
        sdrs::version(),
        a.jobs,
        a.min_s,
        a.max_s,
        a.fail_every,
        a.max_polls_per_sec,
        a.max_in_flight,
        a.stack_kib,
        a.emulator_threads
    );
    if a.mode != "blocking" {
        report(&a, run_futures(&a, &emu, &client)?)?;
    }
    if a.mode != "future" {
        report(&a, run_blocking(&a, &emu, &client)?)?;
    }
    Ok(())
}
