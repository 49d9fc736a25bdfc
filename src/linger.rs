//! After duct has returned: the command's output, still held open by descendants that outlive it, keeps
//! flowing into its log files.
//!
//! A pipe whose last reader is gone kills its writer with SIGPIPE, so when descendants of the command still
//! hold its stdout or stderr at the end of the run, a small process of duct's own (forked from the worker,
//! in a session of its own so no terminal signal reaches it) takes over the read ends and appends what
//! comes to the log files until every writer has closed them. It writes nowhere else: duct's own stdout
//! belongs to the shell again (`$(duct cmd)` must not wait for the descendants).

use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};

/// One stream to keep reading: its read end, and its log file (None: read and discard).
pub struct Held {
    pub read_end: OwnedFd,
    pub log: Option<File>,
}

/// Start the lingering reader. Its failures only cost the descendants' later output (they then get SIGPIPE,
/// as without it).
pub fn start(streams: Vec<Held>) {
    if streams.is_empty() {
        return;
    }
    // Everything the child needs is made here: after fork in a threaded process the child may only make
    // async-signal-safe calls, so it allocates nothing and takes no lock.
    let Ok(null) = File::options().read(true).write(true).open("/dev/null") else {
        tracing::warn!("cannot keep reading the descendants' output: /dev/null cannot be opened");
        return;
    };
    let mut fds: Vec<libc::pollfd> =
        streams.iter().map(|s| libc::pollfd { fd: s.read_end.as_raw_fd(), events: libc::POLLIN, revents: 0 }).collect();
    let logs: Vec<i32> = streams.iter().map(|s| s.log.as_ref().map_or(-1, AsRawFd::as_raw_fd)).collect();
    let mut buf = vec![0u8; 64 << 10];
    // SAFETY: the child runs only `keep_reading`, which makes raw system calls on memory prepared above and
    // ends in `_exit`; it never returns into Rust code that could take a lock held by another thread.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => tracing::warn!(
            "cannot keep reading the descendants' output ({}); they may get SIGPIPE",
            std::io::Error::last_os_error()
        ),
        // SAFETY: this is the child of the fork above, the only caller `keep_reading` allows.
        0 => unsafe { keep_reading(null.as_raw_fd(), &mut fds, &logs, &mut buf) },
        pid => tracing::debug!("pid {pid} keeps reading the output the descendants still write"),
    }
    // The parent's copies close here; the child's stay open in the child.
    drop(streams);
}

/// The lingering process: poll, read, append, until every stream has reached its end; then exit.
///
/// # Safety
/// Only for the child of `fork` in `start`: async-signal-safe calls only.
unsafe fn keep_reading(null: i32, fds: &mut [libc::pollfd], logs: &[i32], buf: &mut [u8]) -> ! {
    // SAFETY: (the whole body) plain system calls on descriptors and memory this process owns.
    unsafe {
        libc::setsid();
        for fd in 0..3 {
            libc::dup2(null, fd);
        }
        // The worker's handlers would write into its signal pipe: back to the defaults, and a failing log
        // write must not kill this process.
        for sig in
            [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT, libc::SIGCHLD, libc::SIGUSR1, libc::SIGUSR2]
        {
            libc::signal(sig, libc::SIG_DFL);
        }
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        loop {
            if fds.iter().all(|p| p.fd < 0) {
                libc::_exit(0);
            }
            if libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) < 0 {
                continue;
            }
            for (p, &log) in fds.iter_mut().zip(logs) {
                if p.fd < 0 || p.revents == 0 {
                    continue;
                }
                let n = libc::read(p.fd, buf.as_mut_ptr().cast(), buf.len());
                if n == 0 || (n < 0 && *libc::__errno_location() != libc::EINTR) {
                    // End of file; a terminal's master reads EIO once its last slave closed.
                    p.fd = -1;
                    continue;
                }
                let mut at = 0isize;
                while log >= 0 && n > 0 && at < n {
                    let w = libc::write(log, buf.as_ptr().offset(at).cast(), (n - at) as usize);
                    if w > 0 {
                        at += w;
                    } else if w < 0 && *libc::__errno_location() == libc::EINTR {
                        continue;
                    } else {
                        // The log file fails: its bytes are lost, the descendants are not harmed.
                        break;
                    }
                }
            }
        }
    }
}
