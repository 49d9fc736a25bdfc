//! Pseudo-terminals for `--pty`: the command's stdout and stderr are each a terminal (so `isatty()` is true
//! and progress bars and colours stay on) while duct still captures them apart; duct's own terminal goes to
//! raw mode so that keys reach the command's terminal, whose line discipline turns them into signals.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::sync::Mutex;

use nix::fcntl::{FcntlArg, FdFlag, fcntl};
use nix::pty::{Winsize, openpty};
use nix::sys::termios::{self, OutputFlags, SetArg, Termios};

/// The terminal modes duct found, restored on every way out (including a panic). Process-wide: the panic hook
/// restores them, and it has no run to ask.
static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

pub fn is_tty(fd: BorrowedFd<'_>) -> bool {
    nix::unistd::isatty(fd).unwrap_or(false)
}

fn winsize(fd: BorrowedFd<'_>) -> Option<Winsize> {
    let mut ws = Winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCGWINSZ writes one Winsize into the pointed-to, live struct.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_col > 0).then_some(ws)
}

fn set_winsize(fd: BorrowedFd<'_>, ws: &Winsize) {
    // SAFETY: TIOCSWINSZ reads one Winsize from the pointed-to, live struct.
    unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, ws) };
}

fn cloexec(fd: &OwnedFd) -> io::Result<()> {
    fcntl(fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC))?;
    Ok(())
}

/// The command's pseudo-terminals: stdout's (also its controlling terminal and stdin) and, where duct's own
/// stderr is a terminal too, stderr's.
pub struct Ptys {
    pub out_master: OwnedFd,
    pub out_slave: OwnedFd,
    /// (master, slave) of stderr's terminal.
    pub err: Option<(OwnedFd, OwnedFd)>,
}

/// The size a terminal gets when there is none to copy (`--pty always` in a batch job): the classic 80x24,
/// since 0x0 makes programs wrap at every character.
const DEFAULT_SIZE: Winsize = Winsize { ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0 };

impl Ptys {
    /// Open them, sized like `like` (duct's terminal) when there is one.
    pub fn open(like: Option<BorrowedFd<'_>>, with_stderr: bool) -> io::Result<Ptys> {
        let ws = like.and_then(winsize).unwrap_or(DEFAULT_SIZE);
        let one = || -> io::Result<(OwnedFd, OwnedFd)> {
            let p = openpty(Some(&ws), None)?;
            cloexec(&p.master)?;
            cloexec(&p.slave)?;
            // No output processing on the command's side: the logs get exactly the bytes it wrote ("\n", not
            // "\r\n"); duct's own terminal does the translation for display.
            let mut t = termios::tcgetattr(&p.slave)?;
            t.output_flags.remove(OutputFlags::OPOST);
            termios::tcsetattr(&p.slave, SetArg::TCSANOW, &t)?;
            Ok((p.master, p.slave))
        };
        let (out_master, out_slave) = one()?;
        let err = if with_stderr { Some(one()?) } else { None };
        Ok(Ptys { out_master, out_slave, err })
    }
}

/// Whether duct's process group is the foreground group of the terminal on `fd`: only then may duct change
/// the terminal's modes or read keys from it.
pub fn in_foreground(fd: BorrowedFd<'_>) -> bool {
    nix::unistd::tcgetpgrp(fd).is_ok_and(|g| g == nix::unistd::getpgrp())
}

/// Copy duct's window size to the command's terminals (at start and on every SIGWINCH; the kernel then
/// sends the command its own SIGWINCH).
pub fn copy_winsize(from: BorrowedFd<'_>, to: &[BorrowedFd<'_>]) {
    if let Some(ws) = winsize(from) {
        for fd in to {
            set_winsize(*fd, &ws);
        }
    }
}

/// Put duct's terminal in raw mode (keys pass through as bytes) but keep output processing, so the
/// command's "\n" still starts a new line on screen.
pub fn enter_raw(fd: BorrowedFd<'_>) -> io::Result<()> {
    let original = termios::tcgetattr(fd)?;
    let mut raw = original.clone();
    termios::cfmakeraw(&mut raw);
    raw.output_flags = original.output_flags;
    let mut saved = SAVED.lock().unwrap_or_else(|e| e.into_inner());
    if saved.is_none() {
        *saved = Some(original);
    }
    drop(saved);
    termios::tcsetattr(fd, SetArg::TCSADRAIN, &raw)?;
    Ok(())
}

/// Put duct's terminal back as duct found it. Safe to call any number of times, from any path.
pub fn restore() {
    let saved = SAVED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(t) = saved {
        let stdin = io::stdin();
        // From the background the terminal is the shell's (duct ignores SIGTTOU, so this would succeed).
        if !in_foreground(stdin.as_fd()) {
            return;
        }
        let _ = termios::tcsetattr(stdin.as_fd(), SetArg::TCSADRAIN, &t);
    }
}

/// A key that duct acts on when the command's terminal would turn it into a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Ctrl-Z: duct stops the job itself (the kernel discards SIGTSTP in the command's orphaned group).
    Suspend,
    /// Ctrl-C: passed through (the terminal sends SIGINT); duct counts it, since it never sees that SIGINT.
    Interrupt,
}

/// The suspend and interrupt keys if the command's terminal would turn them into signals right now.
fn signal_keys(master: BorrowedFd<'_>) -> (Option<u8>, Option<u8>) {
    let Ok(t) = termios::tcgetattr(master) else { return (None, None) };
    if !t.local_flags.contains(termios::LocalFlags::ISIG) {
        return (None, None);
    }
    // 0 is _POSIX_VDISABLE: no such key.
    let key = |i: termios::SpecialCharacterIndices| Some(t.control_chars[i as usize]).filter(|c| *c != 0);
    (key(termios::SpecialCharacterIndices::VSUSP), key(termios::SpecialCharacterIndices::VINTR))
}

/// Relay duct's stdin to the command's terminal until either side closes.
///
/// The command leads a session of its own, so its process group is orphaned and the kernel discards the
/// SIGTSTP that its terminal would send on Ctrl-Z. duct therefore takes that key itself and reports
/// `Key::Suspend`, on which the job is stopped together (the shell then sees the job stopped, and `fg`
/// resumes both). Ctrl-C passes through and is reported as `Key::Interrupt`. Programs that read keys raw (ISIG
/// off) get both as bytes, as usual. In the background (after `bg`) reading gives EIO, as duct ignores
/// SIGTTIN; the relay then waits for the foreground.
pub fn relay_input(to: OwnedFd, on_key: impl Fn(Key) + Send + 'static) -> io::Result<()> {
    std::thread::Builder::new().name("pty-input".into()).spawn(move || {
        crate::guard("terminal input relay", || {
            let mut buf = [0u8; 4096];
            let stdin = io::stdin();
            loop {
                let n = match nix::unistd::read(stdin.as_fd(), &mut buf) {
                    Ok(0) => return,
                    Ok(n) => n,
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(nix::errno::Errno::EIO) if !in_foreground(stdin.as_fd()) => {
                        std::thread::sleep(std::time::Duration::from_millis(200));
                        continue;
                    }
                    Err(_) => return,
                };
                let mut chunk = buf.get(..n).unwrap_or_default();
                while !chunk.is_empty() {
                    let (susp, intr) = signal_keys(to.as_fd());
                    let is_key = |b: &u8| Some(*b) == susp || Some(*b) == intr;
                    let Some(i) = chunk.iter().position(is_key) else {
                        if crate::terminal::write_all(to.as_fd(), chunk).is_err() {
                            return;
                        }
                        break;
                    };
                    let key = chunk.get(i).copied();
                    // The interrupt key goes through with what came before it; the suspend key does not.
                    let through = if key == intr { i + 1 } else { i };
                    if crate::terminal::write_all(to.as_fd(), chunk.get(..through).unwrap_or_default()).is_err() {
                        return;
                    }
                    on_key(if key == intr { Key::Interrupt } else { Key::Suspend });
                    chunk = chunk.get(i + 1..).unwrap_or_default();
                }
            }
        });
    })?;
    Ok(())
}

/// The foreground process group of the command's terminal.
pub fn foreground_group(master: BorrowedFd<'_>) -> Option<nix::unistd::Pid> {
    nix::unistd::tcgetpgrp(master).ok()
}
