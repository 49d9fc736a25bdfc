//! Pseudo-terminals for `--pty`: the command's stdout and stderr are each a terminal (so `isatty()` is true
//! and progress bars and colours stay on) while duct still captures them apart; duct's own terminal goes to
//! raw mode so that keys reach the command's terminal, whose line discipline turns them into signals.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::sync::Mutex;

use nix::fcntl::{FcntlArg, FdFlag, fcntl};
use nix::pty::{Winsize, openpty};
use nix::sys::termios::{self, OutputFlags, SetArg, Termios};

/// The terminal modes duct found, restored on every way out (including a panic).
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

/// Two pseudo-terminals: stdout's (also the command's controlling terminal and stdin) and stderr's.
pub struct Ptys {
    pub out_master: OwnedFd,
    pub out_slave: OwnedFd,
    pub err_master: OwnedFd,
    pub err_slave: OwnedFd,
}

impl Ptys {
    /// Open both, sized like `like` (duct's terminal) when there is one.
    pub fn open(like: Option<BorrowedFd<'_>>) -> io::Result<Ptys> {
        let ws = like.and_then(winsize);
        let out = openpty(ws.as_ref(), None)?;
        let err = openpty(ws.as_ref(), None)?;
        for fd in [&out.master, &out.slave, &err.master, &err.slave] {
            cloexec(fd)?;
        }
        // No output processing on the command's side: the logs get exactly the bytes it wrote ("\n", not
        // "\r\n"); duct's own terminal does the translation for display.
        for slave in [&out.slave, &err.slave] {
            let mut t = termios::tcgetattr(slave)?;
            t.output_flags.remove(OutputFlags::OPOST);
            termios::tcsetattr(slave, SetArg::TCSANOW, &t)?;
        }
        Ok(Ptys { out_master: out.master, out_slave: out.slave, err_master: err.master, err_slave: err.slave })
    }
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
        let _ = termios::tcsetattr(stdin.as_fd(), SetArg::TCSADRAIN, &t);
    }
}

/// The suspend key (Ctrl-Z) if the command's terminal would turn it into SIGTSTP right now.
fn suspend_char(master: BorrowedFd<'_>) -> Option<u8> {
    let t = termios::tcgetattr(master).ok()?;
    if !t.local_flags.contains(termios::LocalFlags::ISIG) {
        return None;
    }
    let c = t.control_chars[termios::SpecialCharacterIndices::VSUSP as usize];
    // _POSIX_VDISABLE: no suspend key.
    (c != 0).then_some(c)
}

/// Relay duct's stdin to the command's terminal until either side closes.
///
/// The command leads a session of its own, so its process group is orphaned and the kernel discards the
/// SIGTSTP that its terminal would send on Ctrl-Z. duct therefore takes that key itself and calls
/// `on_suspend`, which stops the command's foreground group and duct together (the shell then sees the job
/// stopped, and `fg` resumes both). Programs that read keys raw (ISIG off) get Ctrl-Z as a byte, as usual.
pub fn relay_input(to: OwnedFd, on_suspend: impl Fn() + Send + 'static) -> io::Result<()> {
    std::thread::Builder::new().name("pty-input".into()).spawn(move || {
        crate::guard("terminal input relay", || {
            let mut buf = [0u8; 4096];
            let stdin = io::stdin();
            loop {
                let n = match nix::unistd::read(stdin.as_fd(), &mut buf) {
                    Ok(0) => return,
                    Ok(n) => n,
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(_) => return,
                };
                let mut chunk = buf.get(..n).unwrap_or_default();
                while !chunk.is_empty() {
                    let susp = suspend_char(to.as_fd());
                    let cut = susp.and_then(|c| chunk.iter().position(|b| *b == c));
                    let (before, after) = match cut {
                        Some(i) => (chunk.get(..i).unwrap_or_default(), chunk.get(i + 1..).unwrap_or_default()),
                        None => (chunk, &[][..]),
                    };
                    if crate::terminal::write_all(to.as_fd(), before).is_err() {
                        return;
                    }
                    if cut.is_some() {
                        on_suspend();
                    }
                    chunk = after;
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
