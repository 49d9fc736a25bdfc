//! The wall around every thread body duct runs beside the command.

/// Run a thread body so that a bug in it is a logged error, not a dead duct or a dead child.
pub fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::error!("internal error in the {what}; duct carries on without it");
            None
        }
    }
}
