//! Where the four output files go: the prefix template, the file names, and creating them before the
//! command starts (so that a typo or a missing permission is an error while nothing has run yet).

use std::ffi::{OsStr, OsString};
use std::fs::OpenOptions;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use crate::config::Outputs;

/// con-duct's default `--output-prefix` (also where `con-duct ls` and `krb-status` look without one).
pub const DEFAULT_OUTPUT_PREFIX: &str = ".duct/logs/{datetime}-{pid}_";

const FIELDS: &[&str] = &[
    "datetime",
    "pid",
    "datetime_filesafe",
    "hostname",
    "slurm_job_id",
    "slurm_array_job_id",
    "slurm_array_task_id",
    "slurm_step_id",
    "slurm_procid",
];

/// The environment variable behind each `{slurm_*}` placeholder; unset (outside SLURM) renders empty, so one
/// prefix works both inside and outside a job.
fn slurm_variable(field: &str) -> Option<&'static str> {
    Some(match field {
        "slurm_job_id" => "SLURM_JOB_ID",
        "slurm_array_job_id" => "SLURM_ARRAY_JOB_ID",
        "slurm_array_task_id" => "SLURM_ARRAY_TASK_ID",
        "slurm_step_id" => "SLURM_STEP_ID",
        "slurm_procid" => "SLURM_PROCID",
        _ => return None,
    })
}

/// What the placeholders are filled from; passed in so the renderer reads no global state.
pub struct Context<'a> {
    pub datetime: &'a str,
    pub pid: u32,
    pub hostname: &'a str,
    pub env: &'a dyn Fn(&str) -> Option<OsString>,
}

/// The output paths, serialised as info.json's `output_paths` (con-duct's field names).
#[derive(Debug, Clone, Serialize)]
pub struct LogPaths {
    #[serde(serialize_with = "lossy")]
    pub stdout: PathBuf,
    #[serde(serialize_with = "lossy")]
    pub stderr: PathBuf,
    #[serde(serialize_with = "lossy")]
    pub usage: PathBuf,
    #[serde(serialize_with = "lossy")]
    pub info: PathBuf,
    #[serde(serialize_with = "lossy")]
    pub prefix: PathBuf,
}

/// Which of the files this run writes.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub stdout: bool,
    pub stderr: bool,
    pub usage: bool,
    pub info: bool,
}

impl Wanted {
    pub fn new(capture: Outputs, samples: bool, info: bool) -> Wanted {
        Wanted { stdout: capture.stdout(), stderr: capture.stderr(), usage: samples, info }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("Conflicting files:\n{}\nUse --clobber to overwrite conflicting files.", list(.0))]
    Conflict(Vec<String>),
    #[error("cannot create {path}: {source}")]
    Create { path: String, source: io::Error },
    #[error("--output-prefix {prefix}: {blocker} is not a directory")]
    NotADirectory { prefix: String, blocker: String },
}

fn list(paths: &[String]) -> String {
    paths.iter().map(|p| format!("- {p}")).collect::<Vec<_>>().join("\n")
}

#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a [u8]),
    Field(&'a str),
}

/// Split a template the way Python's str.format reads it: `{name}` fields, `{{` and `}}` escapes. The
/// template is bytes, as a path may be (the placeholders themselves are ASCII).
fn parse(template: &[u8]) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let bytes = template;
    let (mut i, mut text_start) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                pieces.push(Piece::Text(&template[text_start..=i]));
                i += 2;
                text_start = i;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                pieces.push(Piece::Text(&template[text_start..=i]));
                i += 2;
                text_start = i;
            }
            b'{' => {
                pieces.push(Piece::Text(&template[text_start..i]));
                let close = template[i..].iter().position(|&b| b == b'}').ok_or("unmatched '{'")? + i;
                let raw = &template[i + 1..close];
                let name = std::str::from_utf8(raw).unwrap_or("");
                let env_ok = name.strip_prefix("env:").is_some_and(|v| !v.is_empty());
                if !FIELDS.contains(&name) && !env_ok {
                    let name = String::from_utf8_lossy(raw);
                    return Err(format!(
                        "unknown placeholder {{{name}}} (known: {{datetime}}, {{pid}}, {{hostname}}, {{slurm_job_id}}, \
                         {{slurm_array_job_id}}, {{slurm_array_task_id}}, {{slurm_step_id}}, {{slurm_procid}}, \
                         {{env:NAME}}; write {{{{ and }}}} for braces)"
                    ));
                }
                pieces.push(Piece::Field(name));
                i = close + 1;
                text_start = i;
            }
            b'}' => return Err("single '}' (write '}}' for a brace)".to_string()),
            _ => i += 1,
        }
    }
    pieces.push(Piece::Text(&template[text_start..]));
    Ok(pieces)
}

pub fn check_template(template: &OsStr) -> Result<(), String> {
    parse(template.as_bytes()).map(|_| ())
}

/// Render the prefix; the boolean says whether the deprecated `{datetime_filesafe}` was used.
/// Unset variables (`{env:NAME}`, `{slurm_*}` outside SLURM) render empty.
pub fn render(template: &OsStr, ctx: &Context) -> Result<(OsString, bool), String> {
    let mut out: Vec<u8> = Vec::new();
    let mut deprecated = false;
    for piece in parse(template.as_bytes())? {
        match piece {
            Piece::Text(t) => out.extend_from_slice(t),
            Piece::Field("pid") => out.extend_from_slice(ctx.pid.to_string().as_bytes()),
            Piece::Field("hostname") => out.extend_from_slice(ctx.hostname.as_bytes()),
            Piece::Field(name) => {
                if let Some(var) = name.strip_prefix("env:").or_else(|| slurm_variable(name)) {
                    out.extend_from_slice((ctx.env)(var).unwrap_or_default().as_bytes());
                } else {
                    deprecated |= name == "datetime_filesafe";
                    out.extend_from_slice(ctx.datetime.as_bytes());
                }
            }
        }
    }
    Ok((OsString::from_vec(out), deprecated))
}

/// Paths go into info.json as text; bytes that are not UTF-8 become U+FFFD there (the files keep them).
fn lossy<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

impl LogPaths {
    pub fn new(prefix: OsString) -> LogPaths {
        // A prefix is glued to the names, not joined: `run_` gives `run_stdout`.
        let with = |name: &str| {
            let mut p = prefix.clone();
            p.push(name);
            PathBuf::from(p)
        };
        LogPaths {
            stdout: with("stdout"),
            stderr: with("stderr"),
            usage: with("usage.jsonl"),
            info: with("info.json"),
            prefix: PathBuf::from(prefix),
        }
    }

    fn selected(&self, wanted: Wanted) -> Vec<&Path> {
        [
            (wanted.stdout, &self.stdout),
            (wanted.stderr, &self.stderr),
            (wanted.usage, &self.usage),
            (wanted.info, &self.info),
        ]
        .into_iter()
        .filter(|(w, _)| *w)
        .map(|(_, p)| p.as_path())
        .collect()
    }

    /// Refuse to overwrite without --clobber, create the directories, and create (truncate) each file, so
    /// that every later problem is one of keeping a working file working.
    pub fn prepare(&self, wanted: Wanted, clobber: bool) -> Result<(), SetupError> {
        let files = self.selected(wanted);
        let conflicts: Vec<String> =
            files.iter().filter(|p| p.symlink_metadata().is_ok()).map(|p| p.display().to_string()).collect();
        if !conflicts.is_empty() && !clobber {
            return Err(SetupError::Conflict(conflicts));
        }
        let dir: PathBuf = if self.prefix.as_os_str().as_bytes().ends_with(b"/") {
            self.prefix.clone()
        } else {
            self.prefix.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        // The nearest existing ancestor must be a directory; create_dir_all would only say "File exists".
        if let Some(blocker) = dir.ancestors().find(|a| !a.as_os_str().is_empty() && a.metadata().is_ok())
            && !blocker.is_dir()
        {
            return Err(SetupError::NotADirectory {
                prefix: self.prefix.display().to_string(),
                blocker: blocker.display().to_string(),
            });
        }
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(&dir)
                .map_err(|source| SetupError::Create { path: dir.display().to_string(), source })?;
        }
        for path in files {
            OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(path)
                .map_err(|source| SetupError::Create { path: path.display().to_string(), source })?;
        }
        Ok(())
    }

    /// Remove what `prepare` created (fail-time and command-not-found paths); missing files are fine.
    pub fn remove(&self, wanted: Wanted) {
        for path in self.selected(wanted) {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders_and_escapes() {
        let env = |n: &str| (n == "SLURM_JOB_ID" || n == "X").then(|| OsString::from(format!("v{n}")));
        let ctx = Context { datetime: "D", pid: 7, hostname: "h", env: &env };
        let render = |t: &str| render(OsStr::new(t), &ctx);
        let ok = |s: &str, d: bool| Ok((OsString::from(s), d));
        assert_eq!(render("a/{datetime}-{pid}_"), ok("a/D-7_", false));
        assert_eq!(render("{datetime_filesafe}"), ok("D", true));
        assert_eq!(
            render("{hostname}/{slurm_job_id}/{slurm_procid}-{env:X}-{env:Y}_"),
            ok("h/vSLURM_JOB_ID/-vX-_", false)
        );
        assert!(render("{env:}").is_err());
        assert_eq!(render("x{{y}}"), ok("x{y}", false));
        let bytes = OsStr::from_bytes(b"r\xff/{pid}_");
        assert_eq!(super::render(bytes, &ctx), Ok((OsString::from_vec(b"r\xff/7_".to_vec()), false)));
    }

    #[test]
    fn rejects_unknown_and_unbalanced() {
        let env = |_: &str| None;
        let ctx = Context { datetime: "D", pid: 1, hostname: "h", env: &env };
        let render = |t: &str| render(OsStr::new(t), &ctx);
        assert!(render("{host}").unwrap_err().contains("{host}"));
        assert!(render("{pid").is_err());
        assert!(render("pid}").is_err());
    }
}
