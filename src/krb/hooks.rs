//! Commands duct runs for Kerberos (`--krb-renew-cmd`, `--krb-notify-cmd`, aklog): without a shell, with a
//! time limit, stdin closed, their output read into duct's log rather than onto the command's terminal.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const HOOK_TIMEOUT: Duration = Duration::from_secs(60);

/// Run `argv` with extra environment; Ok when it exits 0 in time, else a one-line reason. Its output is
/// logged either way (at debug when all went well).
pub fn run(what: &str, argv: &[String], env: &[(&str, String)], timeout: Duration) -> Result<(), String> {
    let Some((program, args)) = argv.split_first() else { return Err(format!("{what}: empty command")) };
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    // Spawned and waited for through duct's one reaper, which would otherwise take its status for an orphan's.
    let mut child = crate::child::spawn_helper(&mut cmd).map_err(|e| format!("{what}: cannot run {program}: {e}"))?;
    let pid = child.id() as i32;
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
            let _ = p.take(64 << 10).read_to_end(&mut buf);
            let _ = tx.send(buf);
        });
    }
    let deadline = Instant::now() + timeout;
    let status = match crate::child::wait_helper(pid, deadline) {
        Some(r) => Ok(r),
        None => {
            let _ = child.kill();
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
            if output.is_empty() { String::new() } else { format!(": {output}") }
        )),
        Err(e) => Err(e),
    }
}
