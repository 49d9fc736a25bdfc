//! Commands duct runs for Kerberos (`--krb-renew-cmd`, `--krb-notify-cmd`, aklog): without a shell, with a
//! time limit, stdin closed, their output read into duct's log rather than onto the command's terminal.
//! Each runs in a process group of its own, so that at its time limit, and when duct exits, the whole group
//! (a shell's children too) can be killed: a hook never outlives duct.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const HOOK_TIMEOUT: Duration = Duration::from_secs(60);
/// How much of a hook's stdout and of its stderr goes into duct's log.
const OUTPUT_KEPT: u64 = 64 << 10;
/// How much of a failed hook's output goes into the failure's one-line reason (info.json, the warning).
const REASON_KEPT: usize = 500;

/// The last `max` bytes of `text` (on a character boundary), marked as cut.
fn tail(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", &text[start..])
}

/// The process groups of hooks that may still have members, killed when duct exits.
#[derive(Clone, Default)]
pub struct Groups(Arc<Mutex<GroupSet>>);

#[derive(Default)]
struct GroupSet {
    live: HashSet<i32>,
    /// duct is exiting: a hook spawned from now on is killed at once.
    closed: bool,
}

impl Groups {
    fn lock(&self) -> std::sync::MutexGuard<'_, GroupSet> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn add(&self, pgid: i32) {
        let mut set = self.lock();
        if set.closed {
            kill_group(pgid);
        } else {
            set.live.insert(pgid);
        }
    }

    /// Forget `pgid` once no process is left in it (so a later group reusing the number is never killed).
    fn forget_if_empty(&self, pgid: i32) {
        if !group_alive(pgid) {
            self.lock().live.remove(&pgid);
        }
    }

    /// Forget `pgid` now: its group was SIGKILLed whole, and a number left on the list could later name
    /// someone else's group, which kill_all would then kill.
    fn forget(&self, pgid: i32) {
        self.lock().live.remove(&pgid);
    }

    /// SIGKILL every hook's process group still alive, now and for any hook started later (duct is exiting).
    pub fn kill_all(&self) {
        let mut set = self.lock();
        set.closed = true;
        for pgid in set.live.drain() {
            kill_group(pgid);
        }
    }
}

fn group_alive(pgid: i32) -> bool {
    nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), None).is_ok()
}

fn kill_group(pgid: i32) {
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), nix::sys::signal::Signal::SIGKILL);
}

/// Run `argv` with extra environment; Ok when it exits 0 in time, else a one-line reason. Its output is
/// logged either way (at debug when all went well). Its process group stays in `groups` while it has
/// members (a hook's own background children), for duct to kill at exit.
pub fn run(
    what: &str,
    argv: &[String],
    env: &[(&str, String)],
    timeout: Duration,
    groups: &Groups,
) -> Result<(), String> {
    let Some((program, args)) = argv.split_first() else { return Err(format!("{what}: empty command")) };
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    // Spawned and waited for through duct's one reaper, which would otherwise take its status for an orphan's.
    let mut child = crate::child::spawn_helper(&mut cmd).map_err(|e| format!("{what}: cannot run {program}: {e}"))?;
    let pid = child.id() as i32;
    groups.add(pid);
    // Read both pipes in threads so a chatty hook cannot block on a full pipe while we wait for it.
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let pipes = [
        child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>),
        child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>),
    ];
    let mut readers = 0;
    for p in pipes.into_iter().flatten() {
        let tx = tx.clone();
        readers += 1;
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut p = p;
            let _ = (&mut p).take(OUTPUT_KEPT).read_to_end(&mut buf);
            // Keep draining what is not kept: a pipe closed early would kill a chatty hook with SIGPIPE.
            let _ = std::io::copy(&mut p, &mut std::io::sink());
            let _ = tx.send(buf);
        });
    }
    let deadline = Instant::now() + timeout;
    let status = match crate::child::wait_helper(pid, deadline) {
        Some(r) => Ok(r),
        None => {
            // The whole group: `sh -c 'sleep 1001; true'` would otherwise leave its sleep running.
            kill_group(pid);
            groups.forget(pid);
            let _ = crate::child::wait_helper(pid, Instant::now() + Duration::from_secs(5));
            Err(format!("{what}: {program} did not finish within {}s", timeout.as_secs()))
        }
    };
    // A hook's own background children may keep its pipes open: take what came, without waiting long.
    let output: String = (0..readers)
        .filter_map(|_| rx.recv_timeout(Duration::from_millis(500)).ok())
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    groups.forget_if_empty(pid);
    match status {
        Ok(r) if r.code == 0 => {
            if !output.is_empty() {
                tracing::debug!("{what}: {program}: {output}");
            }
            Ok(())
        }
        Ok(r) => Err(format!(
            "{what}: {program} failed (exit code {}){}",
            r.code,
            if output.is_empty() { String::new() } else { format!(": {}", tail(&output, REASON_KEPT)) }
        )),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn a_chatty_hook_is_not_killed_by_a_closed_pipe() {
        // ~450 KiB on stdout from the shell itself, far past what is kept, then success.
        let script =
            "i=0; while [ $i -lt 10000 ]; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done";
        assert_eq!(run("hook", &sh(script), &[], Duration::from_secs(30), &Groups::default()), Ok(()));
    }

    #[test]
    fn failure_timeout_and_environment() {
        let r = run("hook", &sh("echo oops >&2; exit 3"), &[], Duration::from_secs(10), &Groups::default());
        assert!(r.as_ref().is_err_and(|e| e.contains("exit code 3") && e.contains("oops")), "{r:?}");
        let r = run("hook", &sh("sleep 5"), &[], Duration::from_millis(300), &Groups::default());
        assert!(r.as_ref().is_err_and(|e| e.contains("did not finish")), "{r:?}");
        let env = [("DUCT_KRB_REASON", "not renewable".to_string())];
        assert_eq!(
            run(
                "hook",
                &sh(r#"[ "$DUCT_KRB_REASON" = "not renewable" ]"#),
                &env,
                Duration::from_secs(10),
                &Groups::default()
            ),
            Ok(())
        );
        assert!(
            run("hook", &["/nonexistent/hook".to_string()], &[], Duration::from_secs(1), &Groups::default()).is_err()
        );
        // A failing chatty hook: the reason keeps only the end of its output.
        let chatty = "i=0; while [ $i -lt 3000 ]; do echo éééééééééé; i=$((i+1)); done; echo last words; exit 1";
        let e = run("hook", &sh(chatty), &[], Duration::from_secs(30), &Groups::default()).expect_err("it failed");
        assert!(e.len() < 700 && e.ends_with("last words"), "{e}");
    }

    /// Poll until no process is left in group `pgid` (SIGKILL is delivered asynchronously).
    fn group_gone(pgid: i32) -> bool {
        let end = Instant::now() + Duration::from_secs(20);
        while group_alive(pgid) {
            if Instant::now() > end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    #[test]
    fn a_timeout_kills_the_hooks_whole_group() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pidfile = dir.path().join("pgid");
        let script = format!("echo $$ > {}; sleep 1001; true", pidfile.display());
        let groups = Groups::default();
        let r = run("hook", &sh(&script), &[], Duration::from_millis(500), &groups);
        assert!(r.as_ref().is_err_and(|e| e.contains("did not finish")), "{r:?}");
        let pgid: i32 = std::fs::read_to_string(&pidfile).expect("pgid").trim().parse().expect("a pid");
        assert!(group_gone(pgid), "the hook's sleep outlived its timeout");
        // The killed group is off the kill list: its number may name another group later.
        assert!(groups.lock().live.is_empty(), "the killed group stays on the kill list");
    }

    #[test]
    fn a_hooks_background_children_are_killed_by_kill_all() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pidfile = dir.path().join("pgid");
        // The hook exits 0 at once, leaving a child in its group (its output redirected, so pipes close).
        let script = format!("echo $$ > {}; sleep 1003 >/dev/null 2>&1 & exit 0", pidfile.display());
        let groups = Groups::default();
        assert_eq!(run("hook", &sh(&script), &[], Duration::from_secs(30), &groups), Ok(()));
        let pgid: i32 = std::fs::read_to_string(&pidfile).expect("pgid").trim().parse().expect("a pid");
        assert!(group_alive(pgid), "the background sleep is gone already");
        groups.kill_all();
        assert!(group_gone(pgid), "kill_all left the hook's child running");
    }
}
