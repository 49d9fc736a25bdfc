//! Copies one of the child's streams, byte for byte, from its pipe to duct's terminal and to its log sink.
//! The pump reads as soon as the child writes (a blocking poll, no timer), echoes first (that is what a
//! person is waiting for) and then hands the bytes to the sink, which never blocks on the filesystem.

use std::os::fd::{AsFd, OwnedFd};
use std::thread::JoinHandle;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::sink::Sink;
use crate::supervisor::Tally;

const BUF: usize = 256 << 10;
const PIPE_SIZE: i32 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Tells a pump to stop waiting for end of file: it drains what is already in the pipe and returns.
pub struct Stopper {
    write_end: Option<OwnedFd>,
}

impl Stopper {
    pub fn stop(&mut self) {
        // Closing the write end makes the pump's poll see POLLHUP on the read end.
        self.write_end = None;
    }
}

pub struct Pump {
    handle: JoinHandle<Option<Sink>>,
    pub stopper: Stopper,
    /// Disconnects when the pump's thread ends.
    done: std::sync::mpsc::Receiver<()>,
}

impl Pump {
    /// Wait until the pump has seen end of file, or `deadline`; true when it has.
    pub fn wait(&self, deadline: std::time::Instant) -> bool {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        !matches!(self.done.recv_timeout(left), Err(std::sync::mpsc::RecvTimeoutError::Timeout))
    }
    /// Wait for the pump and take back its sink.
    pub fn join(self) -> Option<Sink> {
        self.handle.join().ok().flatten()
    }
}

/// `tally` counts what is read, for duct's supervisor (None when duct runs as one process).
pub fn start(
    stream: Stream,
    pipe: OwnedFd,
    echo: bool,
    sink: Option<Sink>,
    tally: Option<Tally>,
) -> std::io::Result<Pump> {
    let (stop_read, stop_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    // A larger pipe means fewer, larger reads and hand-overs in a burst (a pseudo-terminal refuses: fine).
    let _ = nix::fcntl::fcntl(&pipe, nix::fcntl::FcntlArg::F_SETPIPE_SZ(PIPE_SIZE));
    let (done_tx, done) = std::sync::mpsc::channel::<()>();
    let name = match stream {
        Stream::Stdout => "pump-stdout",
        Stream::Stderr => "pump-stderr",
    };
    let handle = std::thread::Builder::new().name(name.into()).spawn(move || {
        let _done = done_tx;
        crate::guard(name, || run(stream, &pipe, &stop_read, echo, sink.as_ref(), tally));
        if stream == Stream::Stderr {
            crate::terminal::end_child_stderr();
        }
        sink
    })?;
    Ok(Pump { handle, stopper: Stopper { write_end: Some(stop_write) }, done })
}

fn run(stream: Stream, pipe: &OwnedFd, stop: &OwnedFd, echo: bool, sink: Option<&Sink>, tally: Option<Tally>) {
    let mut buf = vec![0u8; BUF];
    let mut stopping = false;
    loop {
        if !stopping {
            let mut fds = [PollFd::new(pipe.as_fd(), PollFlags::POLLIN), PollFd::new(stop.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) => {}
                Err(Errno::EINTR) => continue,
                Err(e) => {
                    tracing::error!("cannot wait for the command's {stream:?}: {e}");
                    return;
                }
            }
            let stop_seen = fds[1].revents().is_some_and(|r| !r.is_empty());
            let data = fds[0].revents().is_some_and(|r| !r.is_empty());
            if stop_seen {
                // Descendants still hold the pipe open: take what is there now, without waiting for more.
                stopping = true;
                if let Err(e) = nix::fcntl::fcntl(pipe, nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK)) {
                    tracing::debug!("cannot make the pipe non-blocking: {e}");
                    return;
                }
            } else if !data {
                continue;
            }
        }
        match nix::unistd::read(pipe, &mut buf) {
            Ok(0) => return,
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default();
                if let Some(t) = tally {
                    t.add(stream == Stream::Stderr, n);
                }
                if echo {
                    match stream {
                        Stream::Stdout => crate::terminal::child_stdout(bytes),
                        Stream::Stderr => crate::terminal::child_stderr(bytes),
                    }
                }
                if let Some(sink) = sink {
                    sink.write(bytes);
                }
            }
            Err(Errno::EINTR) => {}
            // EAGAIN: drained after a stop. EIO: a pseudo-terminal's end of file (its last writer closed).
            Err(Errno::EAGAIN) | Err(Errno::EIO) => return,
            Err(e) => {
                tracing::error!("cannot read the command's {stream:?}: {e}");
                return;
            }
        }
    }
}
