//! Writes info.json off the main thread, so a hanging filesystem never stops duct from reaping the child or
//! passing signals on. Each document replaces the previous one atomically; a failed write is retried with
//! backoff; at the end, a document its own directory will not take goes to the spool directory instead.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::hurry::Hurry;
use crate::sink::replace_atomically;
use crate::spool::SpoolDir;

#[derive(Default)]
struct Slot {
    latest: Option<Arc<Vec<u8>>>,
    posted: u64,
    written: u64,
    last_error: Option<String>,
}

struct Shared {
    path: PathBuf,
    slot: Mutex<Slot>,
    cv: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct InfoFile {
    shared: Arc<Shared>,
    hurry: Hurry,
    _thread: Option<JoinHandle<()>>,
}

/// Where the final info.json ended up.
pub enum Placed {
    Home,
    Fallback(PathBuf, String),
    Nowhere(String),
}

impl InfoFile {
    pub fn start(path: &std::path::Path, hurry: Hurry) -> InfoFile {
        let shared =
            Arc::new(Shared { path: path.to_path_buf(), slot: Mutex::new(Slot::default()), cv: Condvar::new() });
        let sh = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("info-writer".into())
            .spawn(move || {
                crate::guard("info.json writer", || writer(&sh));
            })
            .map_err(|e| tracing::error!("cannot start the info.json writer: {e}"))
            .ok();
        InfoFile { shared, hurry, _thread: thread }
    }

    pub fn post(&self, doc: Vec<u8>) {
        let mut s = self.shared.lock();
        s.latest = Some(Arc::new(doc));
        s.posted += 1;
        drop(s);
        self.shared.cv.notify_all();
    }

    /// Wait until the latest document is in place or `deadline` passes.
    fn settle(&self, deadline: Instant) -> MutexGuard<'_, Slot> {
        let sh = &self.shared;
        let mut s = sh.lock();
        loop {
            let left = self.hurry.left(deadline);
            if s.written >= s.posted || left.is_zero() {
                break;
            }
            s = match sh.cv.wait_timeout(s, left.min(Duration::from_millis(50))) {
                Ok((g, _)) => g,
                Err(e) => e.into_inner().0,
            };
        }
        s
    }

    /// The run's files are being removed (a fast failure): let a write in progress end first, so that it
    /// does not leave its temporary file behind.
    pub fn abandon(self, deadline: Instant) {
        drop(self.settle(deadline));
    }

    /// Wait until the latest document is in place or `deadline` passes; then put it in the spool directory.
    pub fn finish(self, deadline: Instant, spool: &SpoolDir) -> Placed {
        let sh = &self.shared;
        let s = self.settle(deadline);
        if s.written >= s.posted {
            return Placed::Home;
        }
        let why = s.last_error.clone().unwrap_or_else(|| "the write did not finish in time".into());
        let Some(doc) = s.latest.clone() else { return Placed::Home };
        drop(s);
        let name = sh.path.file_name().map(|n| n.to_owned()).unwrap_or_else(|| "info.json".into());
        match spool.path() {
            Ok(dir) => {
                let fallback = dir.join(&name);
                // Private like the other spool files: it names the command, its environment and the paths.
                // `duct --recover` puts it in place of the provisional one, after the log files.
                let placed = replace_atomically(&fallback, &doc)
                    .and_then(|()| {
                        use std::os::unix::fs::PermissionsExt;
                        std::fs::set_permissions(&fallback, std::fs::Permissions::from_mode(0o600))
                    })
                    .and_then(|()| crate::spool::note_replacement(dir, &name.to_string_lossy(), &sh.path));
                match placed {
                    Ok(()) => Placed::Fallback(fallback, why),
                    Err(e) => Placed::Nowhere(format!("{why}; fallback {}: {e}", fallback.display())),
                }
            }
            Err(e) => Placed::Nowhere(format!("{why}; no spool directory: {e}")),
        }
    }
}

fn writer(sh: &Shared) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let (doc, generation) = {
            let mut s = sh.lock();
            while s.written >= s.posted {
                s = match sh.cv.wait(s) {
                    Ok(g) => g,
                    Err(e) => e.into_inner(),
                };
            }
            (s.latest.clone(), s.posted)
        };
        let Some(doc) = doc else { continue };
        match replace_atomically(Path::new(&sh.path), &doc) {
            Ok(()) => {
                let mut s = sh.lock();
                s.written = s.written.max(generation);
                if s.last_error.take().is_some() {
                    tracing::info!("{} written again", sh.path.display());
                }
                backoff = Duration::from_millis(100);
                drop(s);
                sh.cv.notify_all();
            }
            Err(e) => {
                let mut s = sh.lock();
                if s.last_error.is_none() {
                    tracing::warn!("cannot write {}: {e}; retrying", sh.path.display());
                }
                s.last_error = Some(e.to_string());
                // Sleep, but wake early for a newer document.
                let posted = s.posted;
                let until = Instant::now() + backoff;
                while s.posted == posted && Instant::now() < until {
                    s = match sh.cv.wait_timeout(s, until.saturating_duration_since(Instant::now())) {
                        Ok((g, _)) => g,
                        Err(e) => e.into_inner().0,
                    };
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}
