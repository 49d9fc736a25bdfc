//! One run, start to finish: files, child, pumps, sampler and signals, then the orderly shutdown that ends
//! in info.json, the summary and the child's exit code.

use std::ffi::OsString;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use signal_hook::consts::signal::{SIGCHLD, SIGCONT, SIGTERM, SIGWINCH};

use crate::child::{self, PtySlaves, Reaped, Status, StreamSetup, Target};
use crate::config::Config;
use crate::config::LogLevel;
use crate::dispositions::Dispositions;
use crate::exit;
use crate::hurry::Hurry;
use crate::info;
use crate::info_file::{InfoFile, Placed};
use crate::krb::watcher::Watcher;
use crate::log_paths::{LogPaths, Wanted};
use crate::monitor::{self, Monitor};
use crate::pump::{self, Pump, Stream};
use crate::record::{self, ExecutionSummary};
use crate::signals::{self, Event, Forwarder};
use crate::sink::{self, Sink, SinkStats};
use crate::spool::SpoolDir;
use crate::supervisor::{self, Link};
use crate::tty;

/// After the command exits, how long its descendants may keep the output pipes open before duct stops
/// reading them.
const DESCENDANT_GRACE: Duration = Duration::from_millis(1000);
/// After a SIGTERM the batch system's SIGKILL is near: the final wait for failing files is cut to this.
const FINAL_TIMEOUT_AFTER_SIGTERM: Duration = Duration::from_secs(5);

fn epoch(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

fn join_command(argv: &[OsString]) -> String {
    argv.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
}

fn stream_setup(captured: bool, shown: bool) -> StreamSetup {
    match (captured, shown) {
        (true, _) => StreamSetup::Pipe,
        (false, true) => StreamSetup::Inherit,
        (false, false) => StreamSetup::Null,
    }
}

/// Runs the command; returns the command's exit code, or why it could not run.
pub fn run(cfg: Config, dispositions: Dispositions, link: Option<Link>) -> Result<u8, exit::Error> {
    let duct_pid = link.as_ref().map_or(std::process::id(), |l| l.supervisor_pid);
    let (paths, wanted) = prepare_files(&cfg, duct_pid)?;
    // Signals are caught from before the spawn, so a Ctrl-C in the first microseconds is not lost.
    let (events, incoming) = mpsc::channel::<Event>();
    signals::listen(events.clone(), &dispositions);
    if let Some(link) = &link {
        link.unblock_signals();
    }
    if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
        tracing::warn!("cannot become a subreaper ({e}); daemonised descendants will not be tracked");
    }
    let mut job = Job::start(&cfg, paths, wanted, &events, dispositions, link.as_ref())?;
    let ended = job.supervise(&cfg, &incoming, link.as_ref());
    signals::hurry_on(incoming, FINAL_TIMEOUT_AFTER_SIGTERM, job.hurry.clone());
    let code = job.finish(&cfg, ended);
    // A log file's writer may be stuck in the kernel for good: the supervisor returns the code anyway.
    if let Some(link) = &link {
        link.finished(code);
    }
    Ok(code)
}

/// The file names from the prefix, and the files created, before anything runs.
fn prepare_files(cfg: &Config, duct_pid: u32) -> Result<(LogPaths, Wanted), exit::Error> {
    let datetime = chrono::Local::now().format("%Y.%m.%dT%H.%M.%S").to_string();
    let hostname = nix::unistd::gethostname().map(|h| h.to_string_lossy().into_owned()).unwrap_or_default();
    let env = |name: &str| std::env::var_os(name);
    let ctx = crate::log_paths::Context { datetime: &datetime, pid: duct_pid, hostname: &hostname, env: &env };
    let (prefix, deprecated) = crate::log_paths::render(&cfg.output_prefix, &ctx)
        .map_err(|e| exit::Error::Usage(format!("--output-prefix: {e}")))?;
    if deprecated {
        tracing::warn!("{{datetime_filesafe}} in --output-prefix is deprecated; use {{datetime}} instead");
    }
    if cfg.sample_interval < Duration::from_millis(10) {
        tracing::warn!("--sample-interval below 10 ms costs CPU and cannot resolve CPU use (10 ms clock ticks)");
    }
    let paths = LogPaths::new(prefix);
    let wanted = Wanted::new(cfg.capture, cfg.records_samples(), cfg.records_info());
    paths.prepare(wanted, cfg.clobber)?;
    Ok((paths, wanted))
}

/// Everything that runs alongside the command.
struct Job {
    paths: LogPaths,
    wanted: Wanted,
    pid: i32,
    target: Target,
    command: String,
    start_wall: SystemTime,
    pumps: Vec<Pump>,
    /// The command's pseudo-terminals (`--pty`), for window-size changes and Ctrl-Z.
    pty_masters: Vec<OwnedFd>,
    /// A copy of each output's read end with its log file (None when not captured), for descendants that
    /// still write when duct is done.
    held: Vec<(OwnedFd, Option<std::path::PathBuf>)>,
    /// The pid the shell waits on, when duct runs as two processes.
    supervisor: Option<i32>,
    raw: Option<RawTerminal>,
    /// duct relays its terminal's keys to the command's (`--pty` in the foreground).
    relays_keys: bool,
    monitor: Option<Monitor>,
    krb: Option<Watcher>,
    gpu: info::GpuProbe,
    statics: info::Static,
    info_file: Option<InfoFile>,
    spool_dir: Arc<SpoolDir>,
    /// The deadline of the final waits, which a late signal brings forward.
    hurry: Hurry,
}

/// How the command ended.
struct Ended {
    exit: Reaped,
    orphans: Vec<Reaped>,
    end_wall: SystemTime,
    sigterm: bool,
}

impl Job {
    /// Spawn the command and everything around it.
    fn start(
        cfg: &Config,
        paths: LogPaths,
        wanted: Wanted,
        events: &mpsc::Sender<Event>,
        dispositions: Dispositions,
        link: Option<&Link>,
    ) -> Result<Job, exit::Error> {
        let command = join_command(&cfg.command);
        let start_wall = SystemTime::now();
        let out_setup = stream_setup(cfg.capture.stdout(), cfg.outputs.stdout());
        let err_setup = stream_setup(cfg.capture.stderr(), cfg.outputs.stderr());
        let stdin_tty = tty::is_tty(std::io::stdin().as_fd());
        let ptys = if cfg.pty {
            let stdin = std::io::stdin();
            let like = if stdin_tty { Some(stdin.as_fd()) } else { None };
            tty::Ptys::open(like, cfg.pty_stderr)
                .map_err(|e| tracing::warn!("cannot open pseudo-terminals ({e}); the command gets pipes"))
                .ok()
        } else {
            None
        };
        // Keys are relayed only from a real terminal, and only by a duct in its foreground: `--pty always` in a
        // batch job or behind `&` leaves stdin alone.
        let relay = ptys.is_some() && stdin_tty && tty::in_foreground(std::io::stdin().as_fd());
        let slaves = ptys.as_ref().map(|p| PtySlaves {
            out: &p.out_slave,
            err: p.err.as_ref().map(|(_, slave)| slave),
            input: relay,
        });
        let spawned = match child::spawn(&cfg.command, cfg.mode, out_setup, err_setup, slaves, dispositions) {
            Ok(s) => s,
            Err(e) => {
                paths.remove(wanted);
                return Err(e.into());
            }
        };
        let pid = spawned.pid;
        let target = Target::new(pid, cfg.mode);
        // The command's terminals: duct keeps the masters (the slaves close here, so end of file can come).
        let (mut child_out, mut child_err) = (spawned.stdout, spawned.stderr);
        let mut pty_masters: Vec<OwnedFd> = Vec::new();
        let mut raw = None;
        if let Some(p) = ptys {
            let err_master = p.err.map(|(master, _)| master);
            pty_masters
                .extend(std::iter::once(&p.out_master).chain(err_master.as_ref()).filter_map(|m| m.try_clone().ok()));
            if relay {
                let tx = events.clone();
                let on_key = move |key| {
                    let _ = tx.send(Event::Key(key));
                };
                match p.out_master.try_clone().map(|m| tty::relay_input(m, on_key)) {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) | Err(e) => tracing::warn!("cannot relay terminal input to the command: {e}"),
                }
                raw = raw_terminal();
            }
            child_out = Some(p.out_master);
            if err_master.is_some() {
                child_err = err_master;
            }
        }
        let reads_stderr = child_err.is_some();
        let held = [
            (child_out.as_ref(), cfg.capture.stdout().then(|| paths.stdout.clone())),
            (child_err.as_ref(), cfg.capture.stderr().then(|| paths.stderr.clone())),
        ]
        .into_iter()
        .filter_map(|(fd, log)| Some((fd?.try_clone().ok()?, log)))
        .collect();
        tracing::info!("duct {} is executing '{}'...", env!("CARGO_PKG_VERSION"), command);
        tracing::info!("Log files will be written to {}", paths.prefix.display());

        if let Some(link) = link {
            let streams: Vec<supervisor::Stream<'_>> = [
                (
                    child_out.as_ref(),
                    cfg.capture.stdout().then_some(paths.stdout.as_path()),
                    cfg.outputs.stdout(),
                    false,
                ),
                (
                    child_err.as_ref(),
                    cfg.capture.stderr().then_some(paths.stderr.as_path()),
                    cfg.outputs.stderr(),
                    true,
                ),
            ]
            .into_iter()
            .filter_map(|(fd, log, shown, is_stderr)| {
                Some(supervisor::Stream { fd: fd?.as_fd(), log, shown, is_stderr })
            })
            .collect();
            link.report(pid, wanted.info.then_some(paths.info.as_path()), &streams);
        }
        // The echo never waits for duct's own streams: a stopped pager must not stall the command.
        crate::terminal::start_echo(cfg.capture.stdout(), cfg.capture.stderr());
        let spool_dir = Arc::new(SpoolDir::new(cfg.spool_dir.clone(), link.and_then(Link::spool_announcer)));
        let hurry = Hurry::default();
        let pool = sink::Pool::new(cfg.max_buffer, Arc::clone(&spool_dir), hurry.clone());
        let mut pumps: Vec<Pump> = Vec::new();
        for (stream, fd, shown, path, captured, index) in [
            (Stream::Stdout, child_out, cfg.outputs.stdout(), &paths.stdout, cfg.capture.stdout(), 0),
            (Stream::Stderr, child_err, cfg.outputs.stderr(), &paths.stderr, cfg.capture.stderr(), 1),
        ] {
            let Some(fd) = fd else { continue };
            let sink = captured.then(|| Sink::start(path, index, &pool));
            match pump::start(stream, fd, shown, sink, link.and_then(|l| l.tally)) {
                Ok(p) => pumps.push(p),
                // The pipe closed with the failed thread: the child sees EPIPE on that stream, nothing worse.
                Err(e) => tracing::error!("cannot start copying the command's {stream:?}: {e}"),
            }
        }
        if !reads_stderr || !cfg.outputs.stderr() {
            crate::terminal::end_child_stderr();
        }

        let monitor = cfg.records_samples().then(|| {
            let usage = wanted.usage.then(|| Sink::start(&paths.usage, 2, &pool));
            Monitor::start(
                pid,
                link.map(|l| l.supervisor_pid as i32),
                cfg.mode,
                cfg.sample_interval,
                cfg.report_interval,
                usage,
            )
        });
        // Handles opened under the old ticket may be dead (NFS sec=krb5): every log file reopens after a renewal.
        let krb = cfg.krb.clone().map(|k| Watcher::start(k, Box::new(move || pool.reopen_all())));
        let gpu = if cfg.records_info() { info::GpuProbe::start() } else { info::GpuProbe(None) };
        let statics = info::Static {
            command: command.clone(),
            system: info::system_info(),
            env: info::batch_env(),
            paths: paths.clone(),
            working_directory: std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default(),
            message: cfg.message.clone(),
            slurm: crate::slurm::current_job(),
        };
        let info_file = wanted.info.then(|| InfoFile::start(&paths.info, hurry.clone()));
        let job = Job {
            paths,
            wanted,
            pid,
            target,
            command,
            start_wall,
            pumps,
            pty_masters,
            held,
            supervisor: link.map(|l| l.supervisor_pid as i32),
            raw,
            relays_keys: relay,
            monitor,
            krb,
            gpu,
            statics,
            info_file,
            spool_dir,
            hurry,
        };
        job.post_provisional(None);
        Ok(job)
    }

    /// The provisional info.json (no exit code yet), with the Kerberos record as it stands.
    fn post_provisional(&self, krb: Option<&crate::krb::watcher::Record>) {
        let Some(file) = &self.info_file else { return };
        let state = json!({"state": "running"}).as_object().cloned().unwrap_or_default();
        let mut doc = info::document(&self.statics, &Value::Null, &self.summary(None, None), state);
        if let (Some(record), Value::Object(m)) = (krb, &mut doc) {
            m.insert("krb".into(), json!(record));
        }
        file.post(to_bytes(&doc));
    }

    /// A renewal, failure or warning of the Kerberos watcher goes into the provisional info.json at once, so
    /// that a duct killed mid-run leaves it there.
    fn keep_krb_current(&self, posted: &mut String) {
        let Some(record) = self.krb.as_ref().map(Watcher::record) else { return };
        let now = serde_json::to_string(&record).unwrap_or_default();
        if now != *posted {
            self.post_provisional(Some(&record));
            *posted = now;
        }
    }

    /// The execution summary with what is known without the sampler: before the end, no exit code and no end.
    fn summary(&self, exit: Option<i32>, end: Option<f64>) -> ExecutionSummary {
        let prefix = self.paths.prefix.to_string_lossy();
        let mut s =
            ExecutionSummary::start(&self.command, &prefix, epoch(self.start_wall), &self.statics.working_directory);
        if let (Some(code), Some(end)) = (exit, end) {
            s.end_at(code, end);
        }
        s
    }

    /// Statuses from the reaper: the command's own, and those of orphans the command left to duct.
    fn note(&self, statuses: Vec<Status>, exit: &mut Option<Reaped>, orphans: &mut Vec<Reaped>) {
        for st in statuses {
            match st {
                Status::Exited(r) => {
                    if let Some(m) = &self.monitor {
                        monitor::lock(&m.aggregator()).note_reaped(r.pid, r.maxrss);
                    }
                    if r.pid == self.pid {
                        *exit = Some(r);
                    } else {
                        orphans.push(r);
                    }
                }
                Status::Stopped(p) if p == self.pid => tracing::debug!("the command stopped"),
                Status::Stopped(_) => {}
            }
        }
    }

    /// Hand the output that descendants still hold to a process that appends it to the log files after duct
    /// has returned. A file that still has unwritten bytes gets none (they would land before the spooled
    /// tail); its stream is still read, so the descendants are not killed by SIGPIPE.
    fn linger(&self, held: Vec<(OwnedFd, Option<std::path::PathBuf>)>, stats: &[SinkStats]) {
        let complete = |path: &std::path::Path| {
            let name = path.to_string_lossy();
            stats.iter().any(|s| s.path == name && s.bytes_unwritten == 0)
        };
        let streams = held
            .into_iter()
            .map(|(read_end, log)| {
                let log =
                    log.filter(|p| complete(p)).and_then(|p| std::fs::OpenOptions::new().append(true).open(p).ok());
                crate::linger::Held { read_end, log }
            })
            .collect();
        crate::linger::start(streams);
    }

    /// Pass signals on and reap until the command itself has exited.
    fn supervise(&mut self, cfg: &Config, incoming: &mpsc::Receiver<Event>, link: Option<&Link>) -> Ended {
        let mut forwarder = Forwarder::new(cfg.mode, self.target);
        let mut sigterm = false;
        // Under SLURM, a command still running this long after a SIGTERM is killed by duct, before SLURM's
        // SIGKILL ends duct too (issue 15 item 4).
        let term_grace = self.statics.slurm.as_ref().and_then(|j| j.term_grace);
        let mut kill_at: Option<Instant> = None;
        let mut out_of_time = false;
        let mut exit: Option<Reaped> = None;
        let mut orphans: Vec<Reaped> = Vec::new();
        let mut waiting = false;
        let mut told = false;
        let mut krb_posted = String::new();
        loop {
            match incoming.recv_timeout(Duration::from_millis(200)) {
                Ok(Event::Signal(origin)) if link.is_some_and(|l| !l.accepts(&origin)) => {}
                Ok(Event::Signal(origin)) => {
                    if origin.signal == SIGCONT && self.raw.is_none() && self.relays_keys {
                        // `fg` after `bg`: the terminal is duct's again.
                        self.raw = raw_terminal();
                    }
                    if origin.signal == SIGWINCH {
                        let to: Vec<_> = self.pty_masters.iter().map(|m| m.as_fd()).collect();
                        tty::copy_winsize(std::io::stdin().as_fd(), &to);
                    } else if origin.signal != SIGCHLD {
                        sigterm |= origin.signal == SIGTERM;
                        if origin.signal == SIGTERM && kill_at.is_none() {
                            kill_at = term_grace.map(|g| Instant::now() + g);
                        }
                        forwarder.handle(&origin);
                    }
                }
                Ok(Event::Key(tty::Key::Interrupt)) => forwarder.interrupt_typed(),
                Ok(Event::Key(tty::Key::Suspend)) => {
                    if let Some(master) = self.pty_masters.first() {
                        signals::suspend_job(master.as_fd(), self.target);
                        // Drop the old guard first: its restore would otherwise undo the new raw mode.
                        drop(self.raw.take());
                        self.raw = raw_terminal();
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(Duration::from_millis(200)),
            }
            self.note(child::reap(), &mut exit, &mut orphans);
            if kill_at.is_some_and(|at| Instant::now() >= at) {
                // The command's whole group, descendants that --wait-descendants waits for included: SLURM
                // would kill them all, but cannot reach the command's own session under proctrack/pgid.
                let (what, them) = if exit.is_none() { ("is", "it") } else { ("has descendants", "them") };
                tracing::warn!(
                    "the command {what} still running {:.1} s after SIGTERM; killing {them} before SLURM's SIGKILL \
                     ends duct",
                    term_grace.unwrap_or_default().as_secs_f64()
                );
                self.target.send(nix::sys::signal::Signal::SIGKILL);
                kill_at = None;
                out_of_time = true;
            }
            crate::terminal::flush_stale();
            self.keep_krb_current(&mut krb_posted);
            if let Some(exit) = exit {
                if !told && let Some(link) = link {
                    link.reaped(exit.code);
                    told = true;
                }
                if cfg.wait_descendants && !out_of_time {
                    let left = child::live_descendants();
                    if left > 0 {
                        if !waiting {
                            tracing::info!("the command exited; duct waits for its {left} descendants");
                            waiting = true;
                        }
                        continue;
                    }
                }
                return Ended { exit, orphans, end_wall: SystemTime::now(), sigterm };
            }
        }
    }

    /// Drain the output, let the files catch up, then info.json and the summary; returns duct's exit code.
    fn finish(mut self, cfg: &Config, ended: Ended) -> u8 {
        let Ended { exit, mut orphans, end_wall, sigterm } = ended;
        // Output still in the pipes is drained; descendants that keep them open get a short grace.
        let deadline = Instant::now() + DESCENDANT_GRACE;
        let mut output_held = false;
        for p in &self.pumps {
            output_held |= !p.wait(deadline);
        }
        let descendants_running = child::live_descendants();
        if output_held {
            tracing::info!(
                "descendants of the command are still running ({descendants_running}) and hold its output open; \
                 what they write goes on into the log files after duct returns"
            );
        }
        let mut sinks: Vec<Sink> = Vec::new();
        for mut p in std::mem::take(&mut self.pumps) {
            p.stopper.stop();
            sinks.extend(p.join());
        }
        crate::terminal::end_child_stderr();
        let aggregator = self.monitor.as_ref().map(Monitor::aggregator);
        sinks.extend(self.monitor.take().and_then(Monitor::stop));
        let mut no_exit = None;
        self.note(child::reap(), &mut no_exit, &mut orphans);
        // How long the command ran, as con-duct measures it (not counting duct's own wait for its files).
        let ran = end_wall.duration_since(self.start_wall).map(|d| d.as_secs_f64()).unwrap_or(0.0);
        // A cancelled job's logs are what its user looks at to learn why: kept however soon it ended.
        let failed_fast = exit.code != 0 && !sigterm && (ran < cfg.fail_time || cfg.fail_time < 0.0);
        let final_timeout = if failed_fast {
            // The files are about to be removed: no point waiting for them to recover.
            Duration::from_secs(1)
        } else if sigterm {
            cfg.final_timeout.min(FINAL_TIMEOUT_AFTER_SIGTERM)
        } else {
            cfg.final_timeout
        };
        let deadline = Instant::now() + final_timeout;
        let stats: Vec<SinkStats> = sink::finish_all(sinks, deadline);
        let held = std::mem::take(&mut self.held);
        if output_held {
            self.linger(held, &stats);
        }

        if failed_fast {
            tracing::info!(
                "Removing log files since command failed{}.",
                if cfg.fail_time > 0.0 { format!(" in less than {} seconds", cfg.fail_time) } else { String::new() }
            );
            if let Some(file) = self.info_file.take() {
                file.abandon(Instant::now() + Duration::from_secs(2));
            }
            // Off the main thread: an unlink on a hung mount must not keep duct from returning the exit code.
            let (paths, wanted) = (self.paths.clone(), self.wanted);
            let (done_tx, done) = mpsc::channel::<()>();
            let removing = std::thread::Builder::new().name("remove-logs".into()).spawn(move || {
                paths.remove(wanted);
                let _ = done_tx.send(());
            });
            if removing.is_ok() && done.recv_timeout(Duration::from_secs(2)).is_err() {
                tracing::warn!("could not remove the log files of {} in time", self.paths.prefix.display());
            }
            crate::terminal::drain(final_timeout);
            return exit_byte(exit.code);
        }

        let mut summary = self.summary(Some(exit.code), Some(epoch(end_wall)));
        if let Some(agg) = &aggregator {
            let (resources, sampled) = monitor::lock(agg).summary();
            summary.resources = resources;
            summary.sampled = Some(sampled);
        }
        let fit = self.statics.slurm.as_ref().map(|job| job.fit(&summary));
        summary.ended = Some(record::Ended {
            cpu_user_seconds: exit.cpu_user + orphans.iter().map(|o| o.cpu_user).sum::<f64>(),
            cpu_system_seconds: exit.cpu_system + orphans.iter().map(|o| o.cpu_system).sum::<f64>(),
            // The sampler already knows it when there is one (it folds it into peak_rss); without one, say it here.
            rusage_max_rss: aggregator
                .is_none()
                .then(|| std::iter::once(exit.maxrss).chain(orphans.iter().map(|o| o.maxrss)).max())
                .flatten(),
            signal: exit.signal,
            descendants_running,
            fit: fit.clone(),
        });
        // The watcher stops before its record is written, so a renewal can no longer land after the record
        // that info.json and the summary show; the ticket then still has at least its margin left for the
        // info.json write.
        let krb = self.krb.take().map(Watcher::stop);
        let mut placed = Placed::Home;
        if let Some(file) = self.info_file.take() {
            let not_shown = json!({
                "stdout": crate::terminal::skipped(crate::terminal::Own::Stdout),
                "stderr": crate::terminal::skipped(crate::terminal::Own::Stderr),
            });
            // The supervisor killed (`kill -9` of duct's pid): the shell has lost duct's exit code; say so.
            let orphaned = self.supervisor.is_some_and(|p| nix::unistd::getppid().as_raw() != p);
            let extra = json!({
                "state": if orphaned { "duct-killed" } else if sigterm { "cancelled" } else { "finished" },
                "killed": if orphaned { Some("supervisor") } else { None },
                "log_files": stats,
                "spool_dir": self.spool_dir.created(),
                "echo_bytes_not_shown": not_shown,
            });
            let gpu = self.gpu.result(Duration::from_secs(2));
            let mut doc = info::document(&self.statics, &gpu, &summary, extra.as_object().cloned().unwrap_or_default());
            if let (Some(record), Value::Object(m)) = (&krb, &mut doc) {
                m.insert("krb".into(), json!(record));
            }
            file.post(to_bytes(&doc));
            placed = file.finish(deadline.max(Instant::now() + Duration::from_secs(1)), &self.spool_dir);
        }
        report_log_trouble(&stats, &placed, &self.paths.info, self.spool_dir.created());
        if cfg.log_level <= LogLevel::Info {
            let text = crate::summary::render(&cfg.summary_format, &summary.to_map(), cfg.colors);
            crate::terminal::message(format!("{text}\n").as_bytes());
            if let Some(line) = fit.as_ref().and_then(crate::slurm::fit_line) {
                crate::terminal::message(format!("{line}\n").as_bytes());
            }
            if let Some(record) = &krb {
                crate::terminal::message(format!("{}\n", record.line()).as_bytes());
            }
        }
        crate::terminal::drain(final_timeout);
        exit_byte(exit.code)
    }
}

fn exit_byte(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(1)
}

/// Restores duct's terminal modes when dropped, whichever way `run` ends.
struct RawTerminal;

impl Drop for RawTerminal {
    fn drop(&mut self) {
        tty::restore();
    }
}

fn raw_terminal() -> Option<RawTerminal> {
    // In the background (after Ctrl-Z and `bg`) the terminal is the shell's; SIGCONT from `fg` comes back here.
    if !tty::in_foreground(std::io::stdin().as_fd()) {
        return None;
    }
    match tty::enter_raw(std::io::stdin().as_fd()) {
        Ok(()) => Some(RawTerminal),
        Err(e) => {
            tracing::warn!("cannot put the terminal in raw mode ({e}); keys are not passed through");
            None
        }
    }
}

fn to_bytes(doc: &Value) -> Vec<u8> {
    let mut text = serde_json::to_vec(doc).unwrap_or_default();
    text.push(b'\n');
    text
}

/// The "where is my data" lines: shown at the default log level whenever a log file had trouble.
fn report_log_trouble(
    stats: &[SinkStats],
    placed: &Placed,
    info_path: &std::path::Path,
    spool: Option<&std::path::Path>,
) {
    let info_path = info_path.display();
    let incidents: usize = stats.iter().map(|s| s.incidents.len()).sum();
    let retries: u64 = stats.iter().map(|s| s.retries).sum();
    let spooled: u64 = stats.iter().map(|s| s.bytes_spooled).sum();
    let dropped: u64 = stats.iter().map(|s| s.bytes_dropped).sum();
    let unwritten: Vec<&SinkStats> = stats.iter().filter(|s| s.bytes_unwritten > 0).collect();
    for s in &unwritten {
        tracing::warn!(
            "{}: its last {} bytes could not be written; they are in {} (run: duct --recover {})",
            s.path,
            s.bytes_unwritten,
            s.unwritten_in.as_deref().unwrap_or("?"),
            spool.map(|p| p.display().to_string()).unwrap_or_default()
        );
    }
    match placed {
        Placed::Home => {}
        Placed::Fallback(p, why) => tracing::warn!("cannot write {info_path} ({why}); info.json is at {}", p.display()),
        Placed::Nowhere(why) => tracing::error!("cannot write {info_path} anywhere: {why}"),
    }
    if incidents > 0 || dropped > 0 {
        let outcome = if dropped > 0 {
            format!("{dropped} bytes lost")
        } else if unwritten.is_empty() {
            "all output is in the log files".to_string()
        } else {
            "the rest is in the spool".to_string()
        };
        tracing::warn!("log files: {incidents} incidents, {retries} retries, {spooled} bytes spooled; {outcome}");
    }
}
