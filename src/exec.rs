//! Finding and executing the command's program the way a shell does: a PATH search, the shell's answer for a
//! binary the kernel refuses ("cannot execute binary file: Exec format error", 126), and /bin/sh for a text
//! file without `#!`. glibc's execvp would hand a refused binary to /bin/sh as well, which prints garbage and
//! exits 127, so duct does the exec itself in that case.

use std::ffi::{CString, OsStr, OsString};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The program to run, found.
pub struct Program {
    pub path: PathBuf,
    /// The file looks like a binary (ELF, or a NUL in its first line, bash's test): if the kernel refuses it,
    /// that is an exec format error, never a shell script.
    pub binary: bool,
}

/// `name` as execvp would find it: a path when it has a '/', else the first executable regular file in PATH.
/// None: not found.
pub fn find(name: &OsStr) -> Option<Program> {
    let path = if name.as_bytes().contains(&b'/') {
        Some(PathBuf::from(name))
    } else {
        let search = std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/usr/local/bin:/usr/bin:/bin"));
        std::env::split_paths(&search)
            .map(|dir| if dir.as_os_str().is_empty() { PathBuf::from(".").join(name) } else { dir.join(name) })
            .find(|p| is_executable_file(p))
    }?;
    let binary = looks_binary(&path);
    Some(Program { path, binary })
}

fn is_executable_file(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// bash's check_binary_file: an ELF header, or a NUL before the first newline of the first 80 bytes.
fn looks_binary(path: &Path) -> bool {
    let mut head = [0u8; 80];
    let n = match std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) {
        Ok(n) => n,
        Err(_) => return false,
    };
    let head = head.get(..n).unwrap_or_default();
    if head.starts_with(b"\x7fELF") {
        return true;
    }
    if head.starts_with(b"#!") {
        return false;
    }
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    first_line.contains(&0)
}

/// What the child calls instead of execvp for a binary: `execve` with duct's environment, and no fallback.
/// Everything is built before the fork, because the child may not allocate.
pub struct DirectExec {
    path: CString,
    /// Owns the strings that `ptrs` points into (a CString's bytes stay put when the Vec moves).
    _argv: Vec<CString>,
    ptrs: Vec<*const libc::c_char>,
}

// SAFETY: the pointers point into `_argv`'s heap buffers, which are owned by the struct and never mutated.
unsafe impl Send for DirectExec {}
// SAFETY: as above; nothing is mutated through a shared reference.
unsafe impl Sync for DirectExec {}

impl DirectExec {
    pub fn new(path: &Path, argv: &[OsString]) -> io::Result<DirectExec> {
        let c = |s: &OsStr| CString::new(s.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput));
        let argv = argv.iter().map(|a| c(a)).collect::<io::Result<Vec<_>>>()?;
        let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
        ptrs.push(std::ptr::null());
        Ok(DirectExec { path: c(path.as_os_str())?, _argv: argv, ptrs })
    }

    /// In the child, after fork: returns only on failure, with the errno that spawn will report.
    pub fn exec(&self) -> io::Error {
        unsafe extern "C" {
            static environ: *const *const libc::c_char;
        }
        // SAFETY: path and argv are NUL-terminated C strings that outlive the call, argv is NULL-terminated,
        // and environ is the process environment, as execvp would pass it.
        unsafe { libc::execve(self.path.as_ptr(), self.ptrs.as_ptr(), environ) };
        io::Error::last_os_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_programs_in_path_and_tells_binaries() {
        let sh = find(OsStr::new("sh")).expect("sh in PATH");
        assert!(sh.path.is_absolute());
        assert!(sh.binary, "{} is ELF", sh.path.display());
        assert!(find(OsStr::new("surely-no-such-program-here")).is_none());
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("s");
        std::fs::write(&script, "echo hi\n").unwrap();
        assert!(!looks_binary(&script));
        std::fs::write(&script, b"\x00\x01binary\n").unwrap();
        assert!(looks_binary(&script));
        std::fs::write(&script, b"#!/bin/sh\n\x00").unwrap();
        assert!(!looks_binary(&script));
    }
}
