//! Checks the test-only fault filesystem itself (tests/support/faultfs), so a
//! failing resilience test points at duct, not at its test rig. Needs root
//! and /dev/fuse; skipped otherwise (a failure under CI=true).
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileExt, MetadataExt, PermissionsExt};
use std::os::unix::io::IntoRawFd;
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::TestDir;
use common::faultfs::{FaultFs, is_fuse_mounted};

fn append(path: &Path) -> File {
    OpenOptions::new().create(true).append(true).open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
}

/// The errno of `r`, which must be an error.
#[track_caller]
fn errno<T: std::fmt::Debug>(r: io::Result<T>) -> i32 {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.raw_os_error().unwrap_or_else(|| panic!("not an OS error: {e}")),
    }
}

fn backing(ffs: &FaultFs, name: &str) -> String {
    fs::read_to_string(ffs.backing.join(name)).unwrap_or_else(|e| panic!("read backing {name}: {e}"))
}

/// close(2) on the file, returning what it reports (Rust's drop ignores it).
fn close(f: File) -> io::Result<()> {
    // SAFETY: the fd comes from into_raw_fd, so nothing else closes it.
    if unsafe { libc::close(f.into_raw_fd()) } == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[test]
fn passthrough_basics() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let m = &ffs.mnt;
    fs::create_dir(m.join("d")).expect("mkdir");
    fs::write(m.join("d/f"), "hello world\n").expect("create+write");
    assert_eq!(fs::read_to_string(m.join("d/f")).expect("read"), "hello world\n");
    OpenOptions::new().write(true).open(m.join("d/f")).expect("open").set_len(5).expect("ftruncate");
    assert_eq!(fs::metadata(m.join("d/f")).expect("stat").len(), 5);
    fs::rename(m.join("d/f"), m.join("d/g")).expect("rename");
    let names: Vec<_> = fs::read_dir(m.join("d")).expect("readdir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names, ["g"]);
    assert_eq!(backing(&ffs, "d/g"), "hello");
    fs::set_permissions(m.join("d/g"), fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(fs::metadata(ffs.backing.join("d/g")).expect("stat").mode() & 0o777, 0o600);
    // O_TRUNC through `>`-style open.
    fs::write(m.join("d/g"), "x").expect("truncating write");
    assert_eq!(backing(&ffs, "d/g"), "x");
    fs::remove_file(m.join("d/g")).expect("unlink");
    fs::remove_dir(m.join("d")).expect("rmdir");
    assert!(!ffs.backing.join("d").exists());
    assert!(ffs.status().starts_with("hang=- fail=- fail-late=- expired=-"), "{}", ffs.status());
}

#[test]
fn expire_renew_heal() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let log = ffs.mnt.join("log");
    let mut w = append(&log);
    w.write_all(b"a\n").expect("write before expiry");
    let r = File::open(&log).expect("open reader");

    ffs.ctl("expire");
    assert_eq!(errno(w.write_all(b"b\n")), libc::EACCES, "old writer");
    assert_eq!(errno(r.read_at(&mut [0; 8], 0)), libc::EACCES, "old reader");
    assert_eq!(errno(w.sync_all()), libc::EACCES, "fsync on old handle");
    assert_eq!(errno(w.set_len(0)), libc::EACCES, "ftruncate on old handle");
    assert_eq!(errno(File::open(&log)), libc::EACCES, "new open while expired");
    assert_eq!(errno(OpenOptions::new().create(true).append(true).open(ffs.mnt.join("new"))), libc::EACCES);

    ffs.ctl("renew");
    let mut w2 = append(&log);
    w2.write_all(b"c\n").expect("write through a handle opened after renew");
    assert_eq!(errno(w.write_all(b"d\n")), libc::EACCES, "old handle stays dead after renew");

    ffs.ctl("expire ESTALE");
    assert_eq!(errno(w2.write_all(b"e\n")), libc::ESTALE);
    assert_eq!(errno(File::open(&log)), libc::EACCES, "new opens always fail with EACCES");

    ffs.ctl("heal");
    w.write_all(b"f\n").expect("old handle revived by heal");
    w2.write_all(b"g\n").expect("old handle revived by heal");
    close(File::open(&log).expect("open after heal")).expect("close after heal");
    assert_eq!(backing(&ffs, "log"), "a\nc\nf\ng\n");
}

#[test]
fn fail_then_ok() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let log = ffs.mnt.join("log");
    let mut w = append(&log);
    w.write_all(b"1\n").expect("write");

    ffs.ctl("fail EIO");
    assert_eq!(errno(w.write_all(b"x\n")), libc::EIO);
    assert_eq!(errno(w.sync_all()), libc::EIO);
    assert_eq!(errno(File::open(&log).and_then(|mut f| f.read(&mut [0; 4]))), libc::EIO, "read");
    let w2 = append(&log); // opening is not affected by `fail`
    assert_eq!(errno(close(w2)), libc::EIO, "close reports the flush error");

    ffs.ctl("fail ENOSPC");
    assert_eq!(errno(w.write_all(b"x\n")), libc::ENOSPC);
    ffs.ctl("fail 122"); // by number: EDQUOT
    assert_eq!(errno(w.write_all(b"x\n")), libc::EDQUOT);

    ffs.ctl("ok");
    w.write_all(b"2\n").expect("write after ok");
    w.sync_all().expect("fsync after ok");
    assert_eq!(backing(&ffs, "log"), "1\n2\n");
}

#[test]
fn fail_late_drops_unsynced_data() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let log = ffs.mnt.join("log");
    let mut w = append(&log);
    w.write_all(b"kept\n").expect("write");
    w.sync_all().expect("fsync");

    ffs.ctl("fail-late EIO");
    w.write_all(b"lost\n").expect("writes succeed under fail-late");
    assert_eq!(backing(&ffs, "log"), "kept\n", "held back, not yet written");
    assert_eq!(errno(w.sync_all()), libc::EIO, "fsync reports the lost writeback");
    let mut w2 = append(&log);
    w2.write_all(b"lost too\n").expect("write");
    assert_eq!(errno(close(w2)), libc::EIO, "close reports it too");

    ffs.ctl("ok");
    w.write_all(b"after\n").expect("write after ok");
    w.sync_all().expect("fsync after ok");
    assert_eq!(backing(&ffs, "log"), "kept\nafter\n");
}

#[test]
fn hang_blocks_until_ok() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let log = ffs.mnt.join("log");
    let mut w = append(&log);
    w.write_all(b"before\n").expect("write");

    ffs.ctl("hang");
    let (tx, rx) = mpsc::channel();
    let opener = log.clone();
    thread::spawn(move || {
        let r = w.write_all(b"stuck\n");
        let r2 = OpenOptions::new().append(true).open(&opener).and_then(|mut f| f.write_all(b"reopened\n"));
        let _ = tx.send((r.map_err(|e| e.to_string()), r2.map_err(|e| e.to_string())));
    });
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "write returned during hang");
    // The control file keeps working while everything else hangs.
    assert!(ffs.status().starts_with("hang=*"), "{}", ffs.status());

    ffs.ctl("ok");
    let (r, r2) = rx.recv_timeout(Duration::from_secs(5)).expect("write still blocked after ok");
    r.expect("hung write completes after ok");
    r2.expect("open+write after ok");
    assert_eq!(backing(&ffs, "log"), "before\nstuck\nreopened\n");
}

#[test]
fn scoped_to_one_name() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (a, b, c) = (ffs.mnt.join("a.log"), ffs.mnt.join("b.log"), ffs.mnt.join("c.log"));
    let (mut wa, mut wb, mut wc) = (append(&a), append(&b), append(&c));

    ffs.ctl("fail EIO @a.log");
    assert_eq!(errno(wa.write_all(b"x")), libc::EIO);
    wb.write_all(b"b1").expect("b unaffected by fail @a.log");

    ffs.ctl("expire @b.log");
    assert_eq!(errno(wb.write_all(b"x")), libc::EACCES);
    assert_eq!(errno(File::open(&b)), libc::EACCES);
    wc.write_all(b"c1").expect("c unaffected by expire @b.log");
    File::open(&c).expect("c opens");

    ffs.ctl("hang @a.log");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(wa.write_all(b"a1").map_err(|e| e.to_string()));
    });
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err(), "write to a.log returned during hang @a.log");
    wc.write_all(b"c2").expect("c unaffected by hang @a.log");

    ffs.ctl("ok @a.log");
    rx.recv_timeout(Duration::from_secs(5)).expect("a.log still hung").expect("a.log write after ok @a.log");
    assert_eq!(errno(wb.write_all(b"x")), libc::EACCES, "ok @a.log leaves b.log expired");
    ffs.ctl("heal @b.log");
    wb.write_all(b"b2").expect("b.log healed");
    assert_eq!([backing(&ffs, "a.log"), backing(&ffs, "b.log"), backing(&ffs, "c.log")], ["a1", "b1b2", "c1c2"]);
}

#[test]
fn killed_daemon_gives_enotconn() {
    let dir = TestDir::new();
    let Some(mut ffs) = FaultFs::mount(dir.path()) else { return };
    let mut w = append(&ffs.mnt.join("log"));
    ffs.kill_daemon();
    assert_eq!(errno(w.write_all(b"x")), libc::ENOTCONN);
    let mnt = ffs.mnt.clone();
    drop(w);
    drop(ffs);
    assert!(!is_fuse_mounted(&mnt), "still mounted after drop");
}

#[test]
fn drop_unmounts_even_after_a_panic() {
    let dir = TestDir::new();
    let seen = std::sync::Mutex::new(None);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some(ffs) = FaultFs::mount(dir.path()) else { return };
        *seen.lock().expect("lock") = Some((ffs.mnt.clone(), ffs.pid()));
        // A hung request and an open file make the unmount as hard as it gets.
        let mut w = append(&ffs.mnt.join("log"));
        ffs.ctl("hang");
        thread::spawn(move || {
            let _ = w.write_all(b"x");
            thread::sleep(Duration::from_secs(2)); // keeps the file open
        });
        thread::sleep(Duration::from_millis(50));
        panic!("deliberate panic with faultfs mounted");
    }));
    let Some((mnt, pid)) = seen.into_inner().expect("lock") else { return };
    assert!(result.is_err());
    assert!(!is_fuse_mounted(&mnt), "{} still mounted", mnt.display());
    assert!(!Path::new(&format!("/proc/{pid}")).exists(), "daemon {pid} still running");
}

/// A daemon running as root must hand created files to the caller, or an
/// unprivileged writer cannot reopen its own log.
#[test]
fn unprivileged_user_can_reopen_created_files() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| Path::new(p).exists()) else {
        common::require("setpriv", false);
        return;
    };
    fs::create_dir(ffs.mnt.join("u")).expect("mkdir");
    fs::set_permissions(ffs.mnt.join("u"), fs::Permissions::from_mode(0o777)).expect("chmod");
    // The temp dir is usually 0700 root: let nobody through to the mount.
    for p in [dir.path(), ffs.mnt.parent().expect("parent")] {
        let mode = fs::metadata(p).expect("stat").mode();
        fs::set_permissions(p, fs::Permissions::from_mode(mode | 0o711)).expect("chmod");
    }
    let script = "set -e; cd \"$1\"; echo one > f; echo two >> f; cat f; mkdir sub; echo three > sub/g; cat sub/g";
    let out = std::process::Command::new(setpriv)
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups", "sh", "-c", script, "sh"])
        .arg(ffs.mnt.join("u"))
        .output()
        .expect("run setpriv");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "one\ntwo\nthree\n");
    let meta = fs::metadata(ffs.backing.join("u/f")).expect("stat backing");
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(fs::metadata(ffs.backing.join("u/sub")).expect("stat").uid(), 65534);
}
