//! The cgroup duct runs in (a SLURM job's with `task/cgroup`, a systemd scope): the memory the batch system
//! OOM-kills on and the CPU time the kernel charged to it, which the per-process sums cannot see (page cache,
//! processes that left the tree).
//!
//! ```text
//! Cgroup::of_self() -> Option<Cgroup>       // None (said once at DEBUG) when there is none to read
//! Cgroup::memory_current(&self) -> Option<u64>
//! Cgroup::summary(&self, current_peak: Option<u64>) -> CgroupUsage   // execution_summary's cgroup_* fields
//! ```
//!
//! cgroup v2 (`memory.current`, `memory.peak`, `memory.max`, `cpu.stat`) is preferred; on a v1 or hybrid
//! host the memory controller's hierarchy (`memory.usage_in_bytes`, `memory.max_usage_in_bytes`,
//! `memory.limit_in_bytes`) and cpuacct's (`cpuacct.usage`, `cpuacct.usage_user`, `cpuacct.usage_sys`) are
//! read instead. v1's root cgroup is the whole machine, not a job's, and is not read.
//! CPU figures are what the cgroup used while duct ran (the difference from duct's start); the memory peak
//! is the kernel's high-water mark since the cgroup was made (the job's start, under SLURM).

use std::path::{Path, PathBuf};

use crate::record::CgroupUsage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cgroup {
    pub version: Version,
    /// The path as /proc/self/cgroup names it (the memory hierarchy's, on v1).
    pub path: String,
    memory_dir: PathBuf,
    /// Where the memory hierarchy is mounted: the limit that counts may be set on an ancestor (SLURM sets
    /// it on the job and the step, not the task).
    memory_mount: PathBuf,
    /// The directory with `cpu.stat` (v2) or `cpuacct.usage` (v1), when there is one.
    cpu_dir: Option<(Version, PathBuf)>,
    /// CPU (usage, user, system) in microseconds at duct's start.
    cpu_start: Option<[u64; 3]>,
}

/// One mount of a cgroup hierarchy, from /proc/self/mountinfo.
struct Mount {
    root: String,
    point: PathBuf,
    v2: bool,
    controllers: Vec<String>,
}

impl Cgroup {
    /// duct's own cgroup (the job's: duct runs inside it, and so does the command).
    pub fn of_self() -> Option<Cgroup> {
        let membership = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        match Cgroup::locate(&membership, &mountinfo, &|p: &Path| p.exists()) {
            Ok(mut cg) => {
                cg.cpu_start = cg.cpu_usage();
                tracing::debug!(path = %cg.path, version = ?cg.version, "sampling the cgroup's memory");
                Some(cg)
            }
            Err(why) => {
                tracing::debug!("no cgroup figures: {why}");
                None
            }
        }
    }

    /// Finds the memory (and CPU) files of the cgroup `membership` (/proc/self/cgroup) names, among the
    /// hierarchies `mountinfo` lists; Err says why there is nothing to read.
    fn locate(membership: &str, mountinfo: &str, exists: &dyn Fn(&Path) -> bool) -> Result<Cgroup, String> {
        let mounts = parse_mounts(mountinfo);
        // (hierarchy controllers, path) per line: "0::/path" is v2, "4:memory:/path" v1.
        let lines: Vec<(&str, &str)> = membership
            .lines()
            .filter_map(|l| {
                let mut parts = l.splitn(3, ':');
                let (_, ctrl, path) = (parts.next()?, parts.next()?, parts.next()?);
                Some((ctrl, path))
            })
            .collect();
        let mount_of = |v2: bool, controller: &str| -> Option<&Mount> {
            mounts.iter().find(|m| m.v2 == v2 && (v2 || m.controllers.iter().any(|c| c == controller)))
        };
        let dir_of = |v2: bool, controller: &str, path: &str| -> Option<PathBuf> {
            let m = mount_of(v2, controller)?;
            // A mount of a subtree (containers) shows paths below its root.
            let rel = path.strip_prefix(m.root.trim_end_matches('/')).unwrap_or(path);
            Some(m.point.join(rel.trim_start_matches('/')))
        };
        let v2_path = lines.iter().find(|(c, _)| c.is_empty()).map(|(_, p)| *p);
        let v1_path =
            |controller: &str| lines.iter().find(|(c, _)| c.split(',').any(|x| x == controller)).map(|(_, p)| *p);
        let v2_dir = v2_path.and_then(|p| dir_of(true, "", p).map(|d| (p, d)));
        let memory = match &v2_dir {
            Some((p, d)) if exists(&d.join("memory.current")) => Some((Version::V2, p.to_string(), d.clone())),
            _ => v1_path("memory").and_then(|p| dir_of(false, "memory", p).map(|d| (Version::V1, p.to_string(), d))),
        };
        let Some((version, path, memory_dir)) = memory else {
            return Err("no memory controller is mounted for duct's cgroup".into());
        };
        // v1's root has the memory files and means the whole machine; v2's root has no memory.current, and a
        // "/" seen inside a cgroup namespace is the container's own cgroup.
        if version == Version::V1 && path == "/" {
            return Err("duct's cgroup is the v1 memory hierarchy's root (the whole machine)".into());
        }
        let memory_file = if version == Version::V2 { "memory.current" } else { "memory.usage_in_bytes" };
        if !exists(&memory_dir.join(memory_file)) {
            return Err(format!("{} is not readable", memory_dir.join(memory_file).display()));
        }
        let cpu_dir = match &v2_dir {
            Some((p, d)) if (version == Version::V2 || *p != "/") && exists(&d.join("cpu.stat")) => {
                Some((Version::V2, d.clone()))
            }
            _ => v1_path("cpuacct")
                .filter(|p| *p != "/")
                .and_then(|p| dir_of(false, "cpuacct", p))
                .filter(|d| exists(&d.join("cpuacct.usage")))
                .map(|d| (Version::V1, d)),
        };
        let memory_mount = mount_of(version == Version::V2, "memory").map(|m| m.point.clone()).unwrap_or_default();
        Ok(Cgroup { version, path, memory_dir, memory_mount, cpu_dir, cpu_start: None })
    }

    /// Bytes charged to the cgroup now.
    pub fn memory_current(&self) -> Option<u64> {
        let file = if self.version == Version::V2 { "memory.current" } else { "memory.usage_in_bytes" };
        read_u64(&self.memory_dir.join(file))
    }

    fn memory_peak(&self) -> Option<u64> {
        let file = if self.version == Version::V2 { "memory.peak" } else { "memory.max_usage_in_bytes" };
        read_u64(&self.memory_dir.join(file))
    }

    /// The limit that applies: the lowest of the cgroup's and its ancestors'; None when there is none (`max`
    /// on v2, a page-rounded i64::MAX on v1).
    fn memory_limit(&self) -> Option<u64> {
        let file = if self.version == Version::V2 { "memory.max" } else { "memory.limit_in_bytes" };
        self.memory_dir
            .ancestors()
            .take_while(|d| d.starts_with(&self.memory_mount) && *d != self.memory_mount)
            .filter_map(|d| read_u64(&d.join(file)))
            .filter(|l| *l < (1 << 62))
            .min()
    }

    /// CPU (usage, user, system) in microseconds since the cgroup was made.
    fn cpu_usage(&self) -> Option<[u64; 3]> {
        let (version, dir) = self.cpu_dir.as_ref()?;
        match version {
            Version::V2 => {
                let text = std::fs::read_to_string(dir.join("cpu.stat")).ok()?;
                let field = |name: &str| {
                    text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse::<u64>().ok())
                };
                Some([field("usage_usec")?, field("user_usec").unwrap_or(0), field("system_usec").unwrap_or(0)])
            }
            Version::V1 => {
                let ns = |f: &str| read_u64(&dir.join(f)).map(|n| n / 1000);
                Some([
                    ns("cpuacct.usage")?,
                    ns("cpuacct.usage_user").unwrap_or(0),
                    ns("cpuacct.usage_sys").unwrap_or(0),
                ])
            }
        }
    }

    /// execution_summary's `cgroup_*` fields; `current_peak` is the highest `memory.current` sampled.
    pub fn summary(&self, current_peak: Option<u64>) -> CgroupUsage {
        let cpu = self.cpu_usage().zip(self.cpu_start).map(|(end, start)| {
            let secs = |i: usize| end[i].saturating_sub(start[i]) as f64 / 1e6;
            [secs(0), secs(1), secs(2)]
        });
        CgroupUsage {
            cgroup_path: Some(self.path.clone()),
            cgroup_version: Some(if self.version == Version::V2 { 2 } else { 1 }),
            cgroup_memory_peak: self.memory_peak(),
            cgroup_memory_current_peak: current_peak,
            cgroup_memory_limit: self.memory_limit(),
            cgroup_cpu_seconds: cpu.map(|c| c[0]),
            cgroup_cpu_user_seconds: cpu.map(|c| c[1]),
            cgroup_cpu_system_seconds: cpu.map(|c| c[2]),
        }
    }
}

fn read_u64(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// cgroup mounts from mountinfo: `ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER`.
fn parse_mounts(mountinfo: &str) -> Vec<Mount> {
    mountinfo
        .lines()
        .filter_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            let left: Vec<&str> = left.split_whitespace().collect();
            let right: Vec<&str> = right.split_whitespace().collect();
            let fstype = *right.first()?;
            let v2 = match fstype {
                "cgroup2" => true,
                "cgroup" => false,
                _ => return None,
            };
            let controllers = right.get(2).map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default();
            Some(Mount { root: unescape(left.get(3)?), point: PathBuf::from(unescape(left.get(4)?)), v2, controllers })
        })
        .collect()
}

/// mountinfo writes space, tab, newline and backslash as octal escapes.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 4).and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(c) => {
                out.push(c as char);
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYBRID_MOUNTS: &str = "\
30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw
35 30 0:31 / /sys/fs/cgroup/memory rw,nosuid shared:15 - cgroup cgroup rw,memory
36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:16 - cgroup cgroup rw,cpu,cpuacct
";
    const V2_MOUNTS: &str = "29 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

    fn all_exist(_: &Path) -> bool {
        true
    }

    #[test]
    fn a_slurm_job_under_cgroup_v2() {
        let cg =
            Cgroup::locate("0::/system.slice/slurmstepd.scope/job_7/step_batch/user/task_0\n", V2_MOUNTS, &all_exist)
                .unwrap();
        assert_eq!(cg.version, Version::V2);
        assert_eq!(
            cg.memory_dir,
            Path::new("/sys/fs/cgroup/system.slice/slurmstepd.scope/job_7/step_batch/user/task_0")
        );
        assert_eq!(cg.cpu_dir.as_ref().map(|(v, _)| *v), Some(Version::V2));
    }

    #[test]
    fn a_hybrid_host_reads_memory_and_cpuacct_from_v1() {
        let membership = "12:memory:/slurm/uid_0/job_3/step_batch/task_0\n4:cpu,cpuacct:/slurm/uid_0/job_3\n0::/\n";
        // The unified hierarchy has no memory controller here.
        let exists = |p: &Path| !p.ends_with("memory.current");
        let cg = Cgroup::locate(membership, HYBRID_MOUNTS, &exists).unwrap();
        assert_eq!(cg.version, Version::V1);
        assert_eq!(cg.memory_dir, Path::new("/sys/fs/cgroup/memory/slurm/uid_0/job_3/step_batch/task_0"));
        assert_eq!(cg.memory_mount, Path::new("/sys/fs/cgroup/memory"));
        assert_eq!(cg.cpu_dir, Some((Version::V1, PathBuf::from("/sys/fs/cgroup/cpu,cpuacct/slurm/uid_0/job_3"))));
    }

    #[test]
    fn nothing_to_read_says_why() {
        let root = Cgroup::locate("4:memory:/\n0::/\n", HYBRID_MOUNTS, &|p: &Path| !p.ends_with("memory.current"))
            .unwrap_err();
        assert!(root.contains("root"), "{root}");
        let none = Cgroup::locate("0::/user.slice\n", "", &all_exist).unwrap_err();
        assert!(none.contains("no memory controller"), "{none}");
        let unreadable = Cgroup::locate("0::/a\n", V2_MOUNTS, &|p: &Path| !p.ends_with("memory.current")).unwrap_err();
        assert!(unreadable.contains("no memory controller"), "{unreadable}");
    }

    #[test]
    fn a_container_mount_of_a_subtree() {
        let mounts = "29 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        let cg = Cgroup::locate("0::/docker/abc/inner\n", mounts, &all_exist).unwrap();
        assert_eq!(cg.memory_dir, Path::new("/sys/fs/cgroup/inner"));
        assert_eq!(unescape("/a\\040b"), "/a b");
    }
}
