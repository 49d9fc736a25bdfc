//! What duct's own signal handlers must not change for the command: a signal that was ignored when duct
//! started (nohup's SIGHUP, the SIGINT and SIGQUIT a script gives `cmd &`) stays ignored in the command, and
//! every other signal is at its default there, whatever duct installed for itself.

/// The signals ignored at duct's start, as a mask (bit N-1 for signal N), captured before duct changes any.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dispositions {
    ignored: u64,
}

/// Linux numbers signals 1..=64.
const LAST: i32 = 64;

impl Dispositions {
    /// Read every signal's disposition. Call before installing any handler. SIGPIPE is left out: Rust's
    /// runtime ignores it before main, so its disposition at exec time is unknowable; the command gets the
    /// default, as from any Rust program.
    pub fn capture() -> Dispositions {
        let mut ignored = 0u64;
        for sig in (1..=LAST).filter(|s| *s != libc::SIGPIPE) {
            // SAFETY: an all-zero sigaction is a valid value of this plain C struct.
            let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
            // SAFETY: a null new action only queries; `old` is a live local of the right type.
            let rc = unsafe { libc::sigaction(sig, std::ptr::null(), &mut old) };
            if rc == 0 && old.sa_sigaction == libc::SIG_IGN {
                ignored |= 1 << (sig - 1);
            }
        }
        Dispositions { ignored }
    }

    pub fn ignored(&self, sig: i32) -> bool {
        (1..=LAST).contains(&sig) && self.ignored & (1 << (sig - 1)) != 0
    }

    /// In the child between fork and exec: ignored-at-start signals ignored, all others default (exec resets
    /// handled ones anyway; this also undoes what duct ignores for itself, such as SIGTTOU). Only calls
    /// sigaction, which is async-signal-safe; glibc's internal signals are refused by it and stay as they are.
    pub fn apply_in_child(&self) {
        for sig in 1..=LAST {
            if sig == libc::SIGKILL || sig == libc::SIGSTOP {
                continue;
            }
            let handler = if self.ignored(sig) { libc::SIG_IGN } else { libc::SIG_DFL };
            // SAFETY: an all-zero sigaction is a valid value of this plain C struct.
            let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
            act.sa_sigaction = handler;
            // SAFETY: `act` is a live, initialised sigaction; errors (invalid signal) are of no consequence.
            unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
        }
    }

    /// duct itself ignores the job-control signals of a background process: a duct in the background then
    /// gets EIO from reading the terminal instead of being stopped, and it never changes the terminal's modes
    /// from there (it checks that it is in the foreground first).
    pub fn ignore_tty_stops() {
        for sig in [libc::SIGTTIN, libc::SIGTTOU] {
            // SAFETY: setting a standard signal to SIG_IGN has no memory-safety requirements.
            unsafe { libc::signal(sig, libc::SIG_IGN) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_bits_match_signal_numbers() {
        let d = Dispositions { ignored: 1 << (libc::SIGHUP - 1) };
        assert!(d.ignored(libc::SIGHUP));
        assert!(!d.ignored(libc::SIGINT));
        assert!(!d.ignored(0) && !d.ignored(65));
    }
}
