//! A real one-node SLURM cluster for a test (../shared/notes/slurm.md): munged, slurmctld and slurmd from
//! Debian's `slurm-wlm` and `munge`, each a child of the test, with every path (config, state, spool, pid
//! files, logs, munge socket and key) under a temporary directory and free ports. Client commands get
//! `SLURM_CONF` through [`Cluster::command`]. Dropping the cluster cancels every job, waits for the queue
//! to empty, and stops the three daemons by the PIDs it started, also when the test panics.
//!
//! ```ignore
//! let Some(cluster) = common::slurm::Cluster::start() else { return };   // SKIP (or fail under CI=true)
//! let out = cluster.command("srun").args(["-n2", "hostname"]).output();
//! ```
#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::TestDir;
use super::kdc::find_tool;

const TOOLS: &[&str] =
    &["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "srun", "scontrol", "squeue", "scancel"];

/// How long the cluster may take to come up or a job to run (the longest test job runs a minute), on a
/// loaded 2-core machine.
const READY: Duration = Duration::from_secs(180);

pub struct Cluster {
    dir: TestDir,
    daemons: Vec<(&'static str, Child)>,
    task_cgroup: bool,
}

impl Cluster {
    /// None (after `require` printed SKIP) when slurm-wlm or munge is missing; under CI=true that panics.
    pub fn start() -> Option<Cluster> {
        Cluster::start_as(false)
    }

    /// A cluster whose jobs run in cgroups of their own (`TaskPlugin=task/cgroup`, memory constrained), made
    /// by slurmd under /sys/fs/cgroup; job ids start at a random number so that the cgroup paths of two such
    /// clusters never meet.
    pub fn start_with_task_cgroup() -> Option<Cluster> {
        Cluster::start_as(true)
    }

    fn start_as(task_cgroup: bool) -> Option<Cluster> {
        for t in TOOLS {
            if !super::require(&format!("{t} (Debian slurm-wlm and munge)"), find_tool(t).is_some()) {
                return None;
            }
        }
        let dir = TestDir::new();
        // munged refuses a socket directory that is not executable for all.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod cluster dir");
        for sub in ["munge", "state", "spool", "log"] {
            std::fs::create_dir_all(dir.join(sub)).expect("make cluster dirs");
        }
        std::fs::set_permissions(dir.join("munge"), std::fs::Permissions::from_mode(0o755)).expect("chmod munge");
        let mut cluster = Cluster { dir, daemons: Vec::new(), task_cgroup };
        cluster.start_munge();
        cluster.write_conf();
        let conf = cluster.conf();
        let conf = conf.to_str().expect("utf-8 temp path");
        cluster.spawn("slurmctld", &["-D", "-i", "-f", conf]);
        cluster.spawn("slurmd", &["-D", "-N", "localhost", "-f", conf]);
        cluster.wait_until("the node to be idle", || {
            let out = cluster.command("sinfo").args(["-h", "-o", "%T"]).output().ok()?;
            String::from_utf8_lossy(&out.stdout).trim().starts_with("idle").then_some(())
        });
        Some(cluster)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn conf(&self) -> PathBuf {
        self.dir.join("slurm.conf")
    }

    /// A SLURM client command pointed at this cluster.
    pub fn command(&self, tool: &str) -> Command {
        let mut cmd = Command::new(find_tool(tool).unwrap_or_else(|| PathBuf::from(tool)));
        cmd.env("SLURM_CONF", self.conf()).stdin(Stdio::null());
        cmd
    }

    /// Runs a client command to its end (bounded by [`READY`]).
    pub fn run(&self, cmd: &mut Command) -> Output {
        super::output_with_timeout(cmd, READY)
    }

    /// Submits `sbatch ARGS` in `cwd` and returns the job id.
    pub fn sbatch(&self, cwd: &Path, args: &[&str]) -> String {
        self.sbatch_with(self.command("sbatch").current_dir(cwd), args)
    }

    /// Submits with a prepared `sbatch` command (environment, directory) and returns the job id.
    pub fn sbatch_with(&self, sbatch: &mut Command, args: &[&str]) -> String {
        let out = self.run(sbatch.arg("--parsable").args(args));
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(out.status.success(), "sbatch {args:?}: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
        text.split(';').next().unwrap_or_default().to_string()
    }

    /// Waits until no job of the cluster is pending or running.
    pub fn wait_idle(&self) {
        self.wait_until("the queue to empty", || {
            let out = self.command("squeue").args(["-h", "-o", "%i"]).output().ok()?;
            (out.status.success() && String::from_utf8_lossy(&out.stdout).trim().is_empty()).then_some(())
        });
    }

    fn wait_until(&self, what: &str, mut ready: impl FnMut() -> Option<()>) {
        let deadline = Instant::now() + READY;
        while Instant::now() < deadline {
            if ready().is_some() {
                return;
            }
            for (name, child) in &self.daemons {
                if !alive(child.id()) {
                    panic!("{name} exited while waiting for {what}; logs in {}", self.dir().display());
                }
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; logs in {}", self.dir().display());
    }

    fn start_munge(&mut self) {
        let key = self.dir.join("munge/munge.key");
        let keygen = Command::new(find_tool("mungekey").expect("mungekey"))
            .args(["--create", "--keyfile"])
            .arg(&key)
            .output()
            .expect("run mungekey");
        assert!(keygen.status.success(), "mungekey: {}", String::from_utf8_lossy(&keygen.stderr));
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).expect("chmod munge key");
        let d = self.dir.path().to_path_buf();
        let args: Vec<String> = vec![
            "-F".into(),
            "--force".into(),
            format!("--socket={}", d.join("munge/munge.socket").display()),
            format!("--key-file={}", key.display()),
            format!("--pid-file={}", d.join("munge/munged.pid").display()),
            format!("--seed-file={}", d.join("munge/munged.seed").display()),
            format!("--log-file={}", d.join("log/munged.log").display()),
        ];
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.spawn("munged", &args);
        let socket = d.join("munge/munge.socket");
        self.wait_until("munged's socket", || socket.exists().then_some(()));
    }

    fn write_conf(&self) {
        let d = self.dir.path();
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mem_mb = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| m.lines().find(|l| l.starts_with("MemTotal:")).map(str::to_string))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
            .map_or(1024, |kb| kb / 1024 / 2);
        let conf = format!(
            "ClusterName=ducttest\n\
             SlurmctldHost=localhost(127.0.0.1)\n\
             SlurmctldPort={ctld}\n\
             SlurmdPort={slurmd}\n\
             SlurmUser=root\n\
             SlurmdUser=root\n\
             AuthType=auth/munge\n\
             CredType=cred/munge\n\
             AuthInfo=socket={d}/munge/munge.socket\n\
             StateSaveLocation={d}/state\n\
             SlurmdSpoolDir={d}/spool\n\
             SlurmctldPidFile={d}/slurmctld.pid\n\
             SlurmdPidFile={d}/slurmd.pid\n\
             SlurmctldLogFile={d}/log/slurmctld.log\n\
             SlurmdLogFile={d}/log/slurmd.log\n\
             ProctrackType=proctrack/pgid\n\
             TaskPlugin={task}\n\
             FirstJobId={first_job}\n\
             JobAcctGatherType=jobacct_gather/none\n\
             AccountingStorageType=accounting_storage/none\n\
             JobCompType=jobcomp/none\n\
             SwitchType=switch/none\n\
             MpiDefault=none\n\
             SelectType=select/cons_tres\n\
             SelectTypeParameters=CR_Core_Memory\n\
             ReturnToService=2\n\
             MailProg=/bin/true\n\
             KillWait=5\n\
             SchedulerParameters=batch_sched_delay=0\n\
             NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={mem_mb} State=UNKNOWN\n\
             PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP\n",
            task = if self.task_cgroup { "task/cgroup" } else { "task/none" },
            first_job = if self.task_cgroup { 1000 + std::process::id() % 1_000_000 } else { 1 },
            ctld = free_port(),
            slurmd = free_port(),
            d = d.display(),
        );
        std::fs::write(self.conf(), conf).expect("write slurm.conf");
        if self.task_cgroup {
            // slurmd reads cgroup.conf next to slurm.conf. The plugin (v1 or v2) is detected from /sys/fs/cgroup.
            std::fs::write(d.join("cgroup.conf"), "CgroupPlugin=autodetect\nConstrainRAMSpace=yes\n")
                .expect("write cgroup.conf");
        }
    }

    fn spawn(&mut self, name: &'static str, args: &[&str]) {
        let log = std::fs::File::create(self.dir.join(format!("log/{name}.out"))).expect("daemon log");
        let err = log.try_clone().expect("daemon log");
        let child = Command::new(find_tool(name).unwrap_or_else(|| panic!("{name} not found")))
            .args(args)
            .env("SLURM_CONF", self.conf())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        self.daemons.push((name, child));
    }
}

/// Whether our child `pid` still runs (a zombie counts as gone: it is reaped only in drop).
fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()).unwrap_or("Z");
    state != "Z" && state != "X"
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Jobs first: slurmstepd ignores SIGTERM and would outlive the daemons.
        let _ = self.command("scancel").args(["--full", "--user=root"]).output();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let out = self.command("squeue").args(["-h", "-o", "%i"]).output();
            if out.is_ok_and(|o| !o.status.success() || o.stdout.iter().all(u8::is_ascii_whitespace)) {
                break;
            }
            thread::sleep(Duration::from_millis(100));
        }
        // Then the daemons we started, by PID, last-started first (munged outlives its clients).
        for (_, child) in self.daemons.iter_mut().rev() {
            let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        // slurmd removes each job's cgroup but leaves the node's and the user's; another cluster's jobs may
        // still be in them (rmdir of a busy cgroup fails, harmlessly).
        if self.task_cgroup {
            for hierarchy in std::fs::read_dir("/sys/fs/cgroup").into_iter().flatten().flatten() {
                let node = hierarchy.path().join("slurm_localhost");
                for uid in std::fs::read_dir(&node).into_iter().flatten().flatten() {
                    if uid.path().is_dir() {
                        let _ = std::fs::remove_dir(uid.path());
                    }
                }
                let _ = std::fs::remove_dir(&node);
            }
            let _ = std::fs::remove_dir("/sys/fs/cgroup/slurm_localhost");
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}
