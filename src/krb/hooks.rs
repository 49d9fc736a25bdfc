//! Commands duct runs for Kerberos (`--krb-renew-cmd`, `--krb-notify-cmd`, aklog): without a shell, with a
//! time limit, stdin closed, their output read into duct's log rather than onto the command's terminal.

use std::io::Read;
use std::process::{Command, Stdio};
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
        assert_eq!(run("hook", &sh(script), &[], Duration::from_secs(30)), Ok(()));
    }

    #[test]
    fn failure_timeout_and_environment() {
        let r = run("hook", &sh("echo oops >&2; exit 3"), &[], Duration::from_secs(10));
        assert!(r.as_ref().is_err_and(|e| e.contains("exit code 3") && e.contains("oops")), "{r:?}");
        let r = run("hook", &sh("sleep 5"), &[], Duration::from_millis(300));
        assert!(r.as_ref().is_err_and(|e| e.contains("did not finish")), "{r:?}");
        let env = [("DUCT_KRB_REASON", "not renewable".to_string())];
        assert_eq!(
            run("hook", &sh(r#"[ "$DUCT_KRB_REASON" = "not renewable" ]"#), &env, Duration::from_secs(10)),
            Ok(())
        );
        assert!(run("hook", &["/nonexistent/hook".to_string()], &[], Duration::from_secs(1)).is_err());
        // A failing chatty hook: the reason keeps only the end of its output.
        let chatty = "i=0; while [ $i -lt 3000 ]; do echo éééééééééé; i=$((i+1)); done; echo last words; exit 1";
        let e = run("hook", &sh(chatty), &[], Duration::from_secs(30)).expect_err("it failed");
        assert!(e.len() < 700 && e.ends_with("last words"), "{e}");
    }
}
