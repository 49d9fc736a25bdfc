//! Signals duct receives and what becomes of them: most are passed on to the command (its process group in
//! new-session mode), SIGINT escalates to SIGKILL on the third, and job control (Ctrl-Z, `fg`) stops and
//! continues the command together with duct.

use std::sync::mpsc;

use nix::sys::signal::Signal;
use signal_hook::consts::signal::*;
use signal_hook::iterator::SignalsInfo;
use signal_hook::iterator::exfiltrator::WithOrigin;
use signal_hook::low_level::siginfo::{Cause, Origin};

use crate::child::Target;
use crate::config::Mode;
use crate::dispositions::Dispositions;
use crate::hurry::Hurry;
use crate::tty;

/// Signals duct passes on; one that was ignored at duct's start is left ignored instead (`nohup`, `cmd &`).
const FORWARDED: &[i32] = &[SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGTSTP];
/// Signals duct needs for itself whatever their disposition was.
const OWN: &[i32] = &[SIGCONT, SIGCHLD, SIGWINCH];

/// What wakes the supervising loop.
pub enum Event {
    Signal(Origin),
    /// Ctrl-Z or Ctrl-C typed at the command's terminal (`--pty`).
    Key(tty::Key),
}

/// The signals duct catches, given what was ignored at its start.
pub fn caught(dispositions: &Dispositions) -> Vec<i32> {
    FORWARDED.iter().copied().filter(|s| !dispositions.ignored(*s)).chain(OWN.iter().copied()).collect()
}

/// Catch the signals duct handles and turn them into events. Called before the command is spawned, so a
/// Ctrl-C in its first microseconds is not lost.
pub fn listen(events: mpsc::Sender<Event>, dispositions: &Dispositions) {
    let caught = caught(dispositions);
    let mut signals = match SignalsInfo::<WithOrigin>::new(&caught) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("cannot install signal handlers ({e}); signals will not be forwarded");
            return;
        }
    };
    let spawned = std::thread::Builder::new().name("signals".into()).spawn(move || {
        for origin in signals.forever() {
            if events.send(Event::Signal(origin)).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start the signal thread: {e}");
    }
}

/// After the command has ended, signals are about duct's own last waits for its files: SIGTERM (a batch
/// system's SIGKILL follows) cuts them to `after_sigterm`; SIGINT or SIGQUIT (a person at the terminal) ends
/// them at once. The files' unwritten tails stay in the spool either way.
pub fn hurry_on(incoming: mpsc::Receiver<Event>, after_sigterm: std::time::Duration, hurry: Hurry) {
    let spawned = std::thread::Builder::new().name("signals-late".into()).spawn(move || {
        for event in incoming {
            let Event::Signal(origin) = event else { continue };
            let until = match origin.signal {
                SIGTERM | SIGHUP => std::time::Instant::now() + after_sigterm,
                SIGINT | SIGQUIT => std::time::Instant::now(),
                _ => continue,
            };
            hurry.by(until);
        }
    });
    if let Err(e) = spawned {
        tracing::debug!("cannot watch for signals during the final wait: {e}");
    }
}

/// Passes signals on to the command.
pub struct Forwarder {
    pub mode: Mode,
    pub target: Target,
    sigints: u32,
}

impl Forwarder {
    pub fn new(mode: Mode, target: Target) -> Forwarder {
        Forwarder { mode, target, sigints: 0 }
    }

    /// Ctrl-C typed at the command's terminal (`--pty`): its terminal already sent SIGINT; the third kills,
    /// as three SIGINTs to duct do.
    pub fn interrupt_typed(&mut self) {
        self.sigints += 1;
        if self.sigints >= 3 {
            tracing::warn!("third interrupt: killing the command");
            self.target.send(Signal::SIGKILL);
        }
    }

    pub fn handle(&mut self, origin: &Origin) {
        let (mode, target) = (self.mode, self.target);
        let sig = origin.signal;
        // Our own group-wide sends come back to us in current-session mode; they are not news.
        if origin.process.is_some_and(|p| p.pid == std::process::id() as i32) {
            return;
        }
        // In current-session mode the terminal's signals reach the child directly (same process group);
        // forwarding them again would deliver Ctrl-C twice.
        let already_delivered = mode == Mode::CurrentSession && origin.cause == Cause::Kernel;
        let Ok(signal) = Signal::try_from(sig) else {
            return;
        };
        match signal {
            Signal::SIGINT => {
                self.sigints += 1;
                if self.sigints >= 3 {
                    tracing::warn!("third interrupt: killing the command");
                    target.send(Signal::SIGKILL);
                } else if !already_delivered {
                    tracing::info!("interrupt: passing it on to the command");
                    target.send(Signal::SIGINT);
                }
            }
            Signal::SIGTSTP => {
                // A new session's process group is orphaned, so the kernel discards SIGTSTP sent to it: only
                // SIGSTOP stops it.
                match mode {
                    Mode::NewSession => target.send(Signal::SIGSTOP),
                    Mode::CurrentSession if !already_delivered => target.send(Signal::SIGTSTP),
                    Mode::CurrentSession => {}
                }
                // Stop duct too, so the shell sees the job stopped and `fg` resumes both: the whole job when the
                // key was typed at the terminal, duct alone when someone sent the signal to duct.
                let whole_job = if origin.cause == Cause::Kernel { 0 } else { std::process::id() as i32 };
                let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(whole_job), Signal::SIGSTOP);
            }
            Signal::SIGCONT => target.send(Signal::SIGCONT),
            other => {
                if !already_delivered {
                    tracing::info!("passing {other} on to the command");
                    target.send(other);
                }
            }
        }
    }
}

/// Ctrl-Z under `--pty`: stop the command's foreground group and duct itself; return once `fg` continued
/// duct, after continuing the command.
pub fn suspend_job(master: std::os::fd::BorrowedFd<'_>, target: Target) {
    let group = tty::foreground_group(master);
    match group {
        Some(g) => {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(-g.as_raw()), Signal::SIGSTOP);
        }
        None => target.send(Signal::SIGSTOP),
    }
    tty::restore();
    // The whole job stops, as it would for a Ctrl-Z at duct's own terminal, so the shell reports it stopped.
    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(0), Signal::SIGSTOP);
    match group {
        Some(g) => {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(-g.as_raw()), Signal::SIGCONT);
        }
        None => target.send(Signal::SIGCONT),
    }
}
