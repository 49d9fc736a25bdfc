//! A private MIT Kerberos realm for a test: krb5kdc on a free 127.0.0.1 port,
//! everything (config, database, stash, log, keytabs, caches) under a
//! temporary directory; no system-wide change. Stopped by the PID in its pid
//! file (never by name) on `stop()` or drop, including when the test panics.
//!
//! ```ignore
//! let Some(kdc) = common::kdc::Kdc::start() else { return };   // SKIP (or fail under CI=true)
//! let cc = kdc.ccache("alice");                                 // FILE:<dir>/alice.ccache
//! kdc.kinit(&cc, "alice", "60s", Some("10m")).expect("kinit");
//! let mut cmd = common::duct(dir);
//! kdc.apply(&mut cmd, &cc);                                     // KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5CCNAME
//! ```
//!
//! Lifetimes are parameterisable through [`KdcConfig`]: the KDC's
//! `max_life`/`max_renewable_life`, krbtgt's, and each principal's. The
//! defaults follow ../shared/notes/kerberos.md: krbtgt 10m/1h, `alice` 2m/10m,
//! `short` 1m/3m, `norenew` 2m/0; each principal's password is its name and
//! each gets a keytab `<dir>/<name>.keytab` (exported with -norandkey, so the
//! password keeps working).
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Write;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::TestDir;

/// One principal of the realm.
#[derive(Clone, Debug)]
pub struct PrincipalSpec {
    /// Without the realm, e.g. `alice`.
    pub name: String,
    /// Its password (the default fixtures use the name).
    pub password: String,
    /// kadmin duration syntax: `2m`, `30s`, `1h`.
    pub maxlife: String,
    /// `0` for none.
    pub maxrenewlife: String,
}

impl PrincipalSpec {
    pub fn new(name: &str, maxlife: &str, maxrenewlife: &str) -> Self {
        PrincipalSpec {
            name: name.into(),
            password: name.into(),
            maxlife: maxlife.into(),
            maxrenewlife: maxrenewlife.into(),
        }
    }
}

/// The realm's settings.
#[derive(Clone, Debug)]
pub struct KdcConfig {
    pub realm: String,
    /// kdc.conf `max_life` / `max_renewable_life` for the realm.
    pub max_life: String,
    pub max_renewable_life: String,
    /// krbtgt's own limits (they cap every TGT and every renewal).
    pub krbtgt_maxlife: String,
    pub krbtgt_maxrenewlife: String,
    pub principals: Vec<PrincipalSpec>,
}

impl Default for KdcConfig {
    fn default() -> Self {
        KdcConfig {
            realm: "DUCT.TEST".into(),
            max_life: "10m".into(),
            max_renewable_life: "1h".into(),
            krbtgt_maxlife: "10m".into(),
            krbtgt_maxrenewlife: "1h".into(),
            principals: vec![
                PrincipalSpec::new("alice", "2m", "10m"),
                PrincipalSpec::new("short", "1m", "3m"),
                PrincipalSpec::new("norenew", "2m", "0"),
            ],
        }
    }
}

/// A running private KDC.
pub struct Kdc {
    pub config: KdcConfig,
    pub port: u16,
    dir: TestDir,
    stopped: bool,
}

const TOOLS: [&str; 5] = ["krb5kdc", "kdb5_util", "kadmin.local", "kinit", "klist"];

/// `name` as found on PATH or in /usr/sbin and /sbin (where Debian puts the KDC tools).
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|d| d.join(name))
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

impl Kdc {
    /// A realm with [`KdcConfig::default`]. None (after `require` printed
    /// SKIP) when the MIT KDC tools are missing; under CI=true that panics.
    pub fn start() -> Option<Kdc> {
        Self::start_with(KdcConfig::default())
    }

    pub fn start_with(config: KdcConfig) -> Option<Kdc> {
        for t in TOOLS {
            if !super::require(&format!("{t} (Debian krb5-kdc, krb5-admin-server, krb5-user)"), find_tool(t).is_some())
            {
                return None;
            }
        }
        let dir = TestDir::new();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod the KDC directory");
        let mut kdc = Kdc { config, port: 0, dir, stopped: true };
        kdc.create_database();
        let mut last = String::new();
        for _ in 0..8 {
            kdc.port = free_port();
            kdc.write_configs();
            match kdc.launch() {
                Ok(()) => return Some(kdc),
                Err(e) => last = e,
            }
        }
        panic!("could not start krb5kdc: {last}");
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
    pub fn realm(&self) -> &str {
        &self.config.realm
    }
    pub fn krb5_conf(&self) -> PathBuf {
        self.dir().join("krb5.conf")
    }
    pub fn kdc_conf(&self) -> PathBuf {
        self.dir().join("kdc.conf")
    }
    pub fn pid_file(&self) -> PathBuf {
        self.dir().join("kdc.pid")
    }
    /// `FILE:<dir>/<name>.ccache`: a fresh cache name per use.
    pub fn ccache(&self, name: &str) -> String {
        format!("FILE:{}", self.dir().join(format!("{name}.ccache")).display())
    }
    /// The keytab exported for `principal` at start.
    pub fn keytab(&self, principal: &str) -> PathBuf {
        self.dir().join(format!("{}.keytab", principal.replace('/', "_")))
    }
    /// `principal@REALM`.
    pub fn full(&self, principal: &str) -> String {
        format!("{principal}@{}", self.config.realm)
    }

    /// The environment a Kerberos client needs for this realm: KRB5_CONFIG,
    /// KRB5_KDC_PROFILE and KRB5CCNAME=`ccache`.
    pub fn env(&self, ccache: &str) -> Vec<(OsString, OsString)> {
        vec![
            ("KRB5_CONFIG".into(), self.krb5_conf().into()),
            ("KRB5_KDC_PROFILE".into(), self.kdc_conf().into()),
            ("KRB5CCNAME".into(), ccache.into()),
        ]
    }

    /// Applies [`Kdc::env`] to `cmd`, and removes KRB5_CLIENT_KTNAME (MIT
    /// GSSAPI would silently re-acquire tickets from it).
    pub fn apply(&self, cmd: &mut Command, ccache: &str) {
        cmd.envs(self.env(ccache)).env_remove("KRB5_CLIENT_KTNAME").env_remove("KRB5_TRACE");
    }

    /// `kinit -l lifetime [-r renew] principal` into `ccache`, password on stdin.
    pub fn kinit(&self, ccache: &str, principal: &str, lifetime: &str, renew: Option<&str>) -> Result<(), String> {
        let password = self
            .config
            .principals
            .iter()
            .find(|p| p.name == principal)
            .map_or_else(|| principal.to_string(), |p| p.password.clone());
        let mut cmd = Command::new(find_tool("kinit").expect("kinit"));
        cmd.args(["-l", lifetime]);
        if let Some(r) = renew {
            cmd.args(["-r", r]);
        }
        cmd.arg(principal);
        self.apply(&mut cmd, ccache);
        run(&mut cmd, Some(&format!("{password}\n")))
    }

    /// `kinit -k -t <keytab> [-l lifetime] principal` into `ccache`.
    pub fn kinit_keytab(&self, ccache: &str, principal: &str, lifetime: Option<&str>) -> Result<(), String> {
        let mut cmd = Command::new(find_tool("kinit").expect("kinit"));
        cmd.arg("-k").arg("-t").arg(self.keytab(principal));
        if let Some(l) = lifetime {
            cmd.args(["-l", l]);
        }
        cmd.arg(principal);
        self.apply(&mut cmd, ccache);
        run(&mut cmd, None)
    }

    /// `klist` (with `args`) on `ccache`.
    pub fn klist(&self, ccache: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(find_tool("klist").expect("klist"));
        cmd.args(args).stdin(Stdio::null());
        self.apply(&mut cmd, ccache);
        cmd.output().expect("run klist")
    }

    /// Runs kadmin.local queries (e.g. `addprinc -pw x bob`) against this realm.
    pub fn kadmin(&self, queries: &[String]) -> Result<(), String> {
        let mut cmd = Command::new(find_tool("kadmin.local").expect("kadmin.local"));
        cmd.args(["-r", &self.config.realm]);
        self.apply(&mut cmd, &self.ccache("kadmin"));
        let mut input = queries.join("\n");
        input.push('\n');
        run(&mut cmd, Some(&input))
    }

    /// Stops the KDC: SIGTERM to the PID in its pid file (only if that
    /// process is a krb5kdc), then waits up to 5 s. Idempotent.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let Some(pid) = self.pid() else { return };
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && is_krb5kdc(pid) {
            thread::sleep(Duration::from_millis(20));
        }
        if is_krb5kdc(pid) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }

    /// Starts krb5kdc again after [`Kdc::stop`], with the same database,
    /// configuration and port, and waits until it listens. A no-op while it
    /// runs. Panics if it does not come up (e.g. the port was taken meanwhile).
    pub fn restart(&mut self) {
        if !self.stopped && self.pid().is_some() {
            return;
        }
        if let Err(e) = self.launch() {
            panic!("could not restart krb5kdc on port {}: {e}", self.port);
        }
    }

    /// The running KDC's PID (from the pid file, checked against /proc/PID/comm).
    pub fn pid(&self) -> Option<i32> {
        let pid: i32 = std::fs::read_to_string(self.pid_file()).ok()?.trim().parse().ok()?;
        (pid > 0 && is_krb5kdc(pid)).then_some(pid)
    }

    fn create_database(&self) {
        let c = &self.config;
        // The database step needs a kdc.conf but no port.
        self.write_configs();
        let mut cmd = Command::new(find_tool("kdb5_util").expect("kdb5_util"));
        cmd.args(["-r", &c.realm, "create", "-s", "-P", "duct-test-master-password"]);
        self.apply(&mut cmd, &self.ccache("kadmin"));
        run(&mut cmd, None).expect("kdb5_util create");
        let mut q = vec![format!(
            "modprinc -maxlife {} -maxrenewlife {} krbtgt/{r}@{r}",
            c.krbtgt_maxlife,
            c.krbtgt_maxrenewlife,
            r = c.realm
        )];
        for p in &c.principals {
            q.push(format!(
                "addprinc -pw {} -maxlife {} -maxrenewlife {} {}",
                p.password, p.maxlife, p.maxrenewlife, p.name
            ));
            q.push(format!("ktadd -norandkey -k {} {}", self.keytab(&p.name).display(), p.name));
        }
        self.kadmin(&q).expect("kadmin.local: create principals");
        for p in &c.principals {
            assert!(self.keytab(&p.name).is_file(), "keytab for {} was not written", p.name);
        }
    }

    fn write_configs(&self) {
        let d = self.dir().display().to_string();
        let c = &self.config;
        let port = self.port;
        let krb5 = format!(
            "[libdefaults]\n default_realm = {r}\n dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n \
dns_canonicalize_hostname = false\n udp_preference_limit = 1\n default_client_keytab_name = FILE:{d}/client-%{{euid}}.keytab\n\
\n[realms]\n {r} = {{\n  kdc = 127.0.0.1:{port}\n }}\n",
            r = c.realm
        );
        let kdc = format!(
            "[kdcdefaults]\n kdc_listen = 127.0.0.1:{port}\n kdc_tcp_listen = 127.0.0.1:{port}\n\n[realms]\n {r} = {{\n  \
database_name = {d}/principal\n  key_stash_file = {d}/stash\n  acl_file = {d}/kadm5.acl\n  max_life = {ml}\n  \
max_renewable_life = {mr}\n  kdc_listen = 127.0.0.1:{port}\n  kdc_tcp_listen = 127.0.0.1:{port}\n  \
supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n }}\n\n[logging]\n kdc = FILE:{d}/kdc.log\n",
            r = c.realm,
            ml = c.max_life,
            mr = c.max_renewable_life
        );
        std::fs::write(self.krb5_conf(), krb5).expect("write krb5.conf");
        std::fs::set_permissions(self.krb5_conf(), std::fs::Permissions::from_mode(0o644)).expect("chmod krb5.conf");
        std::fs::write(self.kdc_conf(), kdc).expect("write kdc.conf");
        std::fs::write(self.dir().join("kadm5.acl"), "").expect("write kadm5.acl");
    }

    fn launch(&mut self) -> Result<(), String> {
        let _ = std::fs::remove_file(self.pid_file());
        let mut cmd = Command::new(find_tool("krb5kdc").expect("krb5kdc"));
        cmd.args(["-r", &self.config.realm, "-P"]).arg(self.pid_file());
        self.apply(&mut cmd, &self.ccache("kdc"));
        // krb5kdc daemonises: the parent exits once the child is set up.
        run(&mut cmd, None)?;
        self.stopped = false;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let up =
                TcpStream::connect_timeout(&([127, 0, 0, 1], self.port).into(), Duration::from_millis(200)).is_ok();
            if up && self.pid().is_some() {
                return Ok(());
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir().join("kdc.log")).unwrap_or_default();
                self.stop();
                return Err(format!("krb5kdc did not listen on 127.0.0.1:{} within 10 s; kdc.log:\n{log}", self.port));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Kdc {
    fn drop(&mut self) {
        self.stop();
    }
}

fn is_krb5kdc(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "krb5kdc")
}

/// A port free for both TCP and UDP on 127.0.0.1 right now.
fn free_port() -> u16 {
    for _ in 0..50 {
        let tcp = TcpListener::bind("127.0.0.1:0").expect("bind a TCP port");
        let port = tcp.local_addr().expect("local addr").port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free 127.0.0.1 port for both TCP and UDP");
}

/// Runs `cmd` (stdin = `input` or /dev/null) to completion; Err with its output unless it succeeded.
fn run(cmd: &mut Command, input: Option<&str>) -> Result<(), String> {
    cmd.stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        let _ = stdin.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| format!("waiting for {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed ({}): {}{}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
