//! `con-duct pp`: a JSON or JSON Lines record, pretty printed as Python's pprint does, as con-duct 0.23.0.

use std::path::Path;

use super::Error;

pub fn pp(file: &Path, humanize: bool) -> Result<(), Error> {
    let _ = (file, humanize);
    Err(Error::Failed("con-duct pp: not yet available".into()))
}
