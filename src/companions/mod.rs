//! The readers of duct's and con-duct's records: `con-duct ls`, `con-duct pp` and `con-duct plot` (the command line is in
//! `con_duct`; nothing here knows about it).

mod filter;
mod group;
pub mod ls;
pub mod plot;
pub mod pp;
mod pprint;
mod pyjson;
mod records;

use std::io::{self, Write};

/// Why a companion stopped; the command line turns it into one line and an exit code.
#[derive(Debug)]
pub enum Error {
    /// The input asked for something that cannot be done (an expression outside the language, ...).
    Usage(String),
    /// A file missing or unreadable or not JSON, stdout not writable.
    Failed(String),
    /// The reader of stdout went away: stop quietly.
    BrokenPipe,
}

/// Writes everything to stdout; a closed pipe is `BrokenPipe`, not an error message.
pub fn write_out(text: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Error::BrokenPipe),
        Err(e) => Err(Error::Failed(format!("cannot write to stdout: {e}"))),
    }
}
