//! `cargo bench --bench import`: `import` of N SMS (SMS Backup & Restore XML) and `put` of N
//! files, each against the server's raw bulkCreation rate driven by wrk in the same round (100
//! objects per request, 4 connections, the client's default `--concurrency`), over several
//! rounds; and, opt-in, crash safety at full size: `kill -9` at random points of an import and of
//! a `put`, each followed by the same command, ending with exactly the right objects.
//!
//! `CPMCTL_BENCH_N` (default 10,000) is the size of the rate runs and of the killed import;
//! `CPMCTL_BENCH_ROUNDS` (default 5) repeats wrk, import, wrk, put, wrk that many times, each
//! round in fresh boxes, each command against the mean of the wrk runs right before and after
//! it (0 skips the rates); `CPMCTL_BENCH_KILLS=K` kills the import K times and a `put` of
//! `CPMCTL_BENCH_PUT_KILL_N` (default 3,000) files K times. Each kill comes once the run printed
//! a random number of result lines beyond what the box already holds (records come per
//! bulkCreation chunk as it is answered, so that is a point in the creation's progress; the points
//! are stratified so the K kills spread over the whole run), then 0–19 ms later; it counts as
//! mid-run only when the process was still running when the signal was sent. The bench fails on a wrong count or exit status,
//! never on timing. Client CPU time is sampled from /proc (where the client's time goes).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

// Shared with benches/cli.rs, which uses parts this bench does not (and the other way round).
#[allow(dead_code)]
mod support;

use support::box_data::{FOLDER, count, for_each_object, load_average, object_in, rate, write_files};
use support::env::{Env, env_num};
use support::{Run, Table, secs, wrk};

/// Requests in flight for wrk and the client (the client's default `--concurrency`).
const CONNECTIONS: usize = 4;
const KILL_IMPORT_BOX: &str = "tel:+15550300001";
const KILL_PUT_BOX: &str = "tel:+15550300002";

/// The boxes of round `r`: wrk's three runs, import's and put's.
fn round_boxes(r: usize) -> [String; 5] {
    [0, 1, 2, 3, 4].map(|k| format!("tel:+1555031{r:02}{k:02}"))
}

fn main() -> anyhow::Result<()> {
    let n = env_num("CPMCTL_BENCH_N", 10_000)?;
    let rounds = env_num("CPMCTL_BENCH_ROUNDS", 5)?;
    let kills = env_num("CPMCTL_BENCH_KILLS", 0)?;
    let put_kill_n = env_num("CPMCTL_BENCH_PUT_KILL_N", 3_000)?;
    ensure!(n >= 10 && put_kill_n >= 10, "sizes must be at least 10");
    ensure!(rounds <= 99, "at most 99 rounds");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cpmctl"));
    let started = Instant::now();
    println!("cpmctl import bench: N={n}, {rounds} rounds, binary {}", bin.display());

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let dir = tempfile::tempdir()?;
    for sub in ["files", "files-kill"] {
        std::fs::create_dir_all(dir.path().join(sub))?;
    }
    let mut boxes: Vec<String> = (0..rounds).flat_map(round_boxes).collect();
    boxes.extend([KILL_IMPORT_BOX.to_string(), KILL_PUT_BOX.to_string()]);
    let env = Env::start(&rt, bin, dir.path(), boxes)?;
    let backup = dir.path().join("sms-backup.xml");
    write_backup(&backup, n)?;
    let files = dir.path().join("files");
    write_files(&files, n)?;

    let mut table = Table::default();
    let mut ratios: Vec<(f64, f64)> = Vec::new();
    for r in 0..rounds {
        // wrk runs right before and right after each measured command, and the command is
        // compared with the mean of the two: on a shared machine the rate drifts within seconds.
        let [wrk_a, wrk_b, wrk_c, import_box, put_box] = round_boxes(r);
        let round = r + 1;
        let wrk = |b: &str, table: &mut Table| -> anyhow::Result<Option<f64>> {
            let load = load_average();
            let raw = env.wrk_bulk_rate(b)?;
            if let Some(raw) = raw {
                table.row(
                    format!("round {round}: raw bulkCreation, wrk -c{CONNECTIONS} (load {load})"),
                    &Run::none(),
                    Some(raw),
                    "baseline",
                );
            }
            Ok(raw)
        };
        let Some(a) = wrk(&wrk_a, &mut table)? else {
            println!("wrk is not installed: no raw bulkCreation baseline, no ratios");
            break;
        };
        let import = env.run_counted(&rt, &import_box, &import_args(&backup), n)?;
        let b = wrk(&wrk_b, &mut table)?.unwrap_or(a);
        let ri = rate(n, import.run.time) / ((a + b) / 2.0);
        table.row(
            format!("round {round}: import {n} SMS"),
            &import.run,
            Some(rate(n, import.run.time)),
            &format!(
                "{ri:.2}x raw (mean of the wrk runs around it); client CPU {:.2}s, {} requests",
                import.cpu, import.run.requests.total
            ),
        );
        let put = env.run_counted(&rt, &put_box, &put_args(&files, &put_box), n)?;
        let c = wrk(&wrk_c, &mut table)?.unwrap_or(b);
        let rp = rate(n, put.run.time) / ((b + c) / 2.0);
        table.row(
            format!("round {round}: put {n} files"),
            &put.run,
            Some(rate(n, put.run.time)),
            &format!(
                "{rp:.2}x raw (mean of the wrk runs around it); client CPU {:.2}s, {} requests",
                put.cpu, put.run.requests.total
            ),
        );
        ratios.push((ri, rp));
    }
    table.print();
    if !ratios.is_empty() {
        // The median says more than any one round: the baseline itself moves by a third
        // within a minute when other work shares the machine.
        let span = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            let (lo, hi, mid) = (v[0], v[v.len() - 1], v[v.len() / 2]);
            format!("median {mid:.2}x ({lo:.2}–{hi:.2}x over {} rounds)", v.len())
        };
        println!(
            "import / raw bulkCreation: {}; put / raw bulkCreation: {} (goal ≥ 0.8x)",
            span(ratios.iter().map(|r| r.0).collect()),
            span(ratios.iter().map(|r| r.1).collect())
        );
    }

    if kills > 0 {
        let t = Instant::now();
        let (mid, creating, total) =
            env.kills(&rt, KILL_IMPORT_BOX, &import_args(&backup), n, kills, 0x2545_f491_4f6c_dd1d)?;
        println!(
            "import of {n} SMS: {mid} of {total} kills landed mid-run ({creating} while creating); then exactly {n} objects, no duplicates ({:.1}s)",
            secs(t.elapsed())
        );
        let kill_files = dir.path().join("files-kill");
        write_files(&kill_files, put_kill_n)?;
        let t = Instant::now();
        let args = put_args(&kill_files, KILL_PUT_BOX);
        let (mid, creating, total) = env.kills(&rt, KILL_PUT_BOX, &args, put_kill_n, kills, 0x9e37_79b9_7f4a_7c15)?;
        println!(
            "put of {put_kill_n} files: {mid} of {total} kills landed mid-run ({creating} while creating); then exactly {put_kill_n} objects, no duplicates ({:.1}s)",
            secs(t.elapsed())
        );
    } else {
        println!("(CPMCTL_BENCH_KILLS=20: kill -9 of the import and of a put 20 times each, then exact counts)");
    }
    println!("total bench time {:.1}s", secs(started.elapsed()));
    rt.block_on(env.server.shutdown());
    Ok(())
}

fn import_args(backup: &Path) -> Vec<String> {
    ["-o", "ndjson", "--progress", "log", "import"]
        .iter()
        .map(|s| s.to_string())
        .chain([backup.display().to_string()])
        .collect()
}

fn put_args(files: &Path, box_id: &str) -> Vec<String> {
    let mut a: Vec<String> = ["-o", "ndjson", "--progress", "log", "put"].iter().map(|s| s.to_string()).collect();
    a.push(files.display().to_string());
    a.extend(["--context", "sms", "--from", "tel:+15550002222", "--to", box_id, "--folder", FOLDER].map(String::from));
    a
}

/// User + system CPU seconds of a running process (clock ticks of 1/100 s).
fn cpu_secs(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// A measured run: time, requests, and the client's CPU seconds.
struct Counted {
    run: Run,
    cpu: f64,
}

impl Env {
    /// [`Env::cmd`] running `args`, with its own data dir per box, so ledgers never meet.
    fn box_cmd(&self, box_id: &str, args: &[String]) -> Command {
        let mut c = self.cmd(box_id);
        c.env("CPMCTL_DATA_DIR", self.root.join("data").join(box_id.replace([':', '+'], "_"))).args(args);
        c
    }

    /// Runs `args` into the empty `box_id`; checks the exit status, the `n` printed records and
    /// the box's count.
    fn run_counted(
        &self,
        rt: &tokio::runtime::Runtime,
        box_id: &str,
        args: &[String],
        n: usize,
    ) -> anyhow::Result<Counted> {
        let before = self.proxy.counts();
        let t = Instant::now();
        let mut child = self.box_cmd(box_id, args).spawn()?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut stderr = child.stderr.take().context("stderr")?;
        let lines = std::thread::spawn(move || {
            BufReader::new(stdout).lines().map_while(Result::ok).filter(|l| l.contains("\"id\"")).count()
        });
        let errs = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let (mut cpu, mut peak) = (0.0f64, 0u64);
        let status = loop {
            cpu = cpu.max(cpu_secs(child.id()).unwrap_or(0.0));
            peak = peak.max(support::vm_hwm_kib(child.id()).unwrap_or(0));
            if let Some(st) = child.try_wait()? {
                break st;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let time = t.elapsed();
        let records = lines.join().map_err(|_| anyhow::anyhow!("stdout reader panicked"))?;
        let stderr = errs.join().unwrap_or_default();
        ensure!(status.success(), "{args:?}: exited with {status}\n{stderr}");
        ensure!(records == n, "{args:?}: printed {records} records, expected {n}\n{stderr}");
        let stored = rt.block_on(count(&self.client(box_id)?))?;
        ensure!(stored == n, "{args:?}: the box holds {stored} objects, expected {n}");
        Ok(Counted { run: Run { time, peak_kib: peak, requests: self.proxy.counts().since(&before), stderr }, cpu })
    }

    /// `args` killed with SIGKILL `kills` times, each time once it printed a random number of
    /// result lines, then run to the end. Fails unless the box then holds exactly `n` objects, no
    /// two with the same content key. Returns how many kills found the process still running, how
    /// many of those interrupted creation, and how many kills there were.
    fn kills(
        &self,
        rt: &tokio::runtime::Runtime,
        box_id: &str,
        args: &[String],
        n: usize,
        kills: usize,
        mut seed: u64,
    ) -> anyhow::Result<(usize, usize, usize)> {
        let (mut mid, mut in_creation) = (0, 0);
        // The last chunk's lines come at the very end: a kill after them may find the run done.
        let last = n.saturating_sub(200).max(2);
        for k in 0..kills {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let stored = rt.block_on(count(&self.client(box_id)?))?;
            // A resumed run first prints the records already stored (one window of up to 1,000
            // at a time), then creates the rest. While there is something left to create, the
            // kill lands in the first of (kills left) slices of it, less what a kill adds anyway
            // (the up to 4 chunks of 100 in flight, which the server completes): so the kills
            // spread over the creation instead of the first few finishing it. Once everything
            // is stored, the kill lands in the resumed run's re-check instead, at least two
            // windows before its end, so the run is still going.
            let creating = stored < last;
            let (lines, delay) = if creating {
                let slice = ((last - stored) / (kills - k)).saturating_sub(250).max(1);
                (stored + 1 + (next() as usize) % slice, Duration::from_millis(next() % 20))
            } else {
                let span = n.saturating_sub(2_100).max(n / 3).max(1);
                (1 + (next() as usize) % span, Duration::ZERO)
            };
            let mut child = self.box_cmd(box_id, args).stderr(Stdio::null()).spawn()?;
            let mut out = BufReader::new(child.stdout.take().context("stdout")?);
            // Output is drained all along (a full pipe would stall the run); the signal says
            // when the first `lines` result lines went by.
            let (reached, wait) = std::sync::mpsc::channel();
            let reader = std::thread::spawn(move || {
                let mut line = String::new();
                let mut seen = 0;
                loop {
                    line.clear();
                    match out.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => seen += 1,
                    }
                    if seen == lines {
                        let _ = reached.send(());
                    }
                }
                let _ = reached.send(());
            });
            let _ = wait.recv();
            std::thread::sleep(delay);
            let running = child.try_wait()?.is_none();
            child.kill()?;
            let status = child.wait()?;
            let _ = reader.join();
            let killed = running && !status.success();
            if killed {
                mid += 1;
            }
            let now = rt.block_on(count(&self.client(box_id)?))?;
            ensure!(now <= n, "kill {}: {now} objects in the box, more than {n}", k + 1);
            if killed && creating {
                in_creation += 1;
            }
            println!(
                "  kill {:>2}: after {lines} result lines (+{} ms, {}): {}; {now} objects in the box",
                k + 1,
                delay.as_millis(),
                if creating { "creating" } else { "re-checking" },
                if killed { "killed mid-run" } else { "the run had finished" }
            );
        }
        self.run_counted_after_kills(rt, box_id, args, n)?;
        Ok((mid, in_creation, kills))
    }

    fn run_counted_after_kills(
        &self,
        rt: &tokio::runtime::Runtime,
        box_id: &str,
        args: &[String],
        n: usize,
    ) -> anyhow::Result<()> {
        let c = self.run_counted(rt, box_id, args, n)?;
        let client = self.client(box_id)?;
        let mut keys = Vec::new();
        rt.block_on(for_each_object(&client, |o| {
            keys.push(cpmctl::import::key::content_key(&o));
            Ok(())
        }))?;
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        ensure!(
            unique.len() == n && keys.len() == n,
            "after the kills: {} objects, {} distinct, expected {n}",
            keys.len(),
            unique.len()
        );
        let summary = c.run.stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        println!("  final run: {summary}");
        Ok(())
    }

    /// Objects per second the server stores when wrk posts the same bulkCreation request of 100
    /// SMS objects (one text part each) over [`CONNECTIONS`] connections for 3 s, through the
    /// proxy; `None` when wrk is missing.
    fn wrk_bulk_rate(&self, box_id: &str) -> anyhow::Result<Option<f64>> {
        use cpmctl::wire::multipart::{self, Part};
        const PER: usize = 100;
        let objects: Vec<_> = (0..PER)
            .map(|i| {
                let attrs = [
                    ("Date", "2015-01-01T00:00:00Z".into()),
                    ("Message-Context", "pager-message".into()),
                    ("Direction", "In".into()),
                    ("From", "tel:+15550002222".into()),
                    ("To", box_id.into()),
                    ("TextContent", format!("message {i}")),
                ];
                object_in(FOLDER, &attrs)
            })
            .collect();
        let list = cpmctl::wire::ObjectList { object: objects, ..Default::default() };
        let mut parts = vec![multipart::form_part("root-fields", "application/json", cpmctl::wire::encode(&list))];
        for i in 0..PER {
            parts.push(
                Part::new("text/plain; charset=utf-8", format!("message {i}"))
                    .with_header("content-disposition", "form-data; name=\"attachments\"; filename=\"sms.txt\""),
            );
        }
        let boundary = "cpmctl-bench-boundary-4d1f";
        let body_file = self.root.join("wrk-body.bin");
        std::fs::write(&body_file, multipart::build(boundary, &parts))?;
        let script = self.root.join("wrk.lua");
        std::fs::write(
            &script,
            format!(
                "local f = io.open({body:?}, \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\nwrk.method = \"POST\"\n\
                 wrk.headers[\"Content-Type\"] = \"multipart/form-data; boundary={boundary}\"\n\
                 wrk.headers[\"Authorization\"] = \"{auth}\"\n",
                body = body_file.display().to_string(),
                auth = wrk::basic_auth()
            ),
        )?;
        let url = format!("{}/objects/operations/bulkCreation", self.proxied(box_id));
        let out = match wrk::command(&script, &url, CONNECTIONS, 3).output() {
            Ok(o) => o,
            Err(e) => {
                println!("wrk not available ({e})");
                return Ok(None);
            }
        };
        Ok(Some(wrk::report(&out)?.rate * PER as f64))
    }
}

/// An SMS Backup & Restore file of `n` SMS with distinct dates, peers and bodies.
fn write_backup(path: &Path, n: usize) -> anyhow::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"{n}\">")?;
    for i in 0..n {
        writeln!(
            w,
            "  <sms protocol=\"0\" address=\"+1555020{:04}\" date=\"{}\" type=\"{}\" body=\"message {i} &amp; more\" read=\"1\" status=\"-1\" />",
            i % 50,
            1_420_070_400_000i64 + i as i64 * 1_000 + (i % 1000) as i64,
            1 + i % 2
        )?;
    }
    writeln!(w, "</smses>")?;
    w.flush()?;
    Ok(())
}
