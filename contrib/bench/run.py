#!/usr/bin/env python3
"""Benchmark duct against con-duct 0.23.0, the Python tool it replaces.

    python3 contrib/bench/run.py [--rounds N] [--quick] [--json OUT]

Sets up what it needs (a virtualenv with con-duct from PyPI, a release build of duct), then runs every
scenario for duct and for con-duct alternately, round after round, and prints one table: medians, spreads,
and the ratios the targets are about. Every ratio is taken between runs of the same round, so drift of a
shared machine cancels out. The table and every raw measurement go to a JSON file. See README.md beside this
file for what each scenario measures and how.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CON_DUCT_VERSION = "0.23.0"
MiB = 1 << 20
GiB = 1 << 30

# Targets, as in the issue. Ratios are con-duct / duct unless said otherwise.
T_STARTUP = 50.0  # start-up at least 50x faster
T_MONITOR = 20.0  # monitoring CPU at least 20x less
T_RSS_MIB = 8.0  # duct's peak RSS at most 8 MiB, every scenario
T_RSS_TEE = 10.0  # at least 10x less than con-duct while tee-ing
T_THROUGHPUT = 1.15  # duct within 1.15x of writing straight to the file
T_LATENCY_MS = 1.0  # median below 1 ms
T_LS_S = 1.0  # `con-duct ls` over LS_RUNS info.json files in under a second
LS_RUNS = 10_000

REPORT_INTERVAL = 1.0  # --report-interval of the monitoring runs (both tools)
LATENCY_WRITES = 500
LATENCY_PERIOD = 0.005

# The latency child: one line per write, the system-wide monotonic clock at the moment of writing.
LATENCY_CHILD = r"""
import os, sys, time
n, period = int(sys.argv[1]), float(sys.argv[2])
clk = time.CLOCK_MONOTONIC
start = time.clock_gettime(clk)
for i in range(n):
    os.write(1, b"%d\n" % time.clock_gettime_ns(clk))
    delay = start + (i + 1) * period - time.clock_gettime(clk)
    if delay > 0:
        time.sleep(delay)
"""


# Reference for throughput: stdin (a pipe) moved into a file with splice(2), 1 MiB at a time.
SPLICE_CHILD = r"""
import fcntl, os, sys
try:
    fcntl.fcntl(0, fcntl.F_SETPIPE_SZ, 1 << 20)
except OSError:
    pass
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
while os.splice(0, out, 1 << 20):
    pass
"""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------
# Running one measured process
# ---------------------------------------------------------------------------------------------------------


class HwmPoller(threading.Thread):
    """Follow the peak resident set (VmHWM) of one process, through a handle on its /proc directory.

    VmHWM is the high-water mark of the process's own address space since its exec, and only grows, so the
    last value read is the peak up to that moment. The handle is on the process, not on its pid: once the
    process is gone, reads fail instead of landing on a recycled pid.
    """

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.interval = interval
        self.hwm_kib = 0
        self.reads = 0
        self.stopping = threading.Event()
        try:
            self.dirfd: int | None = os.open(f"/proc/{pid}", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            self.dirfd = None

    def read_once(self) -> bool:
        if self.dirfd is None:
            return False
        try:
            fd = os.open("status", os.O_RDONLY, dir_fd=self.dirfd)
            try:
                data = os.read(fd, 16384)
            finally:
                os.close(fd)
        except OSError:
            return False
        m = re.search(rb"^VmHWM:\s+(\d+) kB", data, re.M)
        if not m:  # a zombie: its memory is gone
            return False
        self.hwm_kib = max(self.hwm_kib, int(m.group(1)))
        self.reads += 1
        return True

    def run(self) -> None:
        while not self.stopping.is_set():
            if not self.read_once():
                break
            self.stopping.wait(self.interval)

    def finish(self) -> int:
        self.stopping.set()
        self.join()
        if self.dirfd is not None:
            os.close(self.dirfd)
        return self.hwm_kib


def run_measured(
    argv: list[str],
    *,
    stdout: str | int = os.devnull,
    stderr: str | int = os.devnull,
    cwd: str | None = None,
    env: dict[str, str] | None = None,
    poll: float | None = 0.005,
) -> dict:
    """Spawn argv, wait for it with wait4, return wall time, CPU (the process plus every descendant it
    reaped, which is what the kernel folds into its rusage), the polled peak RSS of the process itself, and
    the exit status. `stdout`/`stderr`: a path (opened O_TRUNC) or a descriptor to dup2."""
    actions = []
    for fd, target in ((1, stdout), (2, stderr)):
        if isinstance(target, int):
            actions.append((os.POSIX_SPAWN_DUP2, target, fd))
        else:
            actions.append((os.POSIX_SPAWN_OPEN, fd, target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
    actions.append((os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0))
    exe = argv[0] if "/" in argv[0] else shutil.which(argv[0])
    if exe is None:
        raise FileNotFoundError(argv[0])
    old_cwd = None
    if cwd is not None:  # posix_spawn has no chdir action before Python 3.13's; chdir around it
        old_cwd = os.getcwd()
        os.chdir(cwd)
    try:
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(exe, argv, env if env is not None else os.environ, file_actions=actions)
    finally:
        if old_cwd is not None:
            os.chdir(old_cwd)
    poller = None
    if poll is not None:
        poller = HwmPoller(pid, poll)
        poller.read_once()
        poller.start()
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    hwm = poller.finish() if poller else None
    return {
        "wall_s": (t1 - t0) / 1e9,
        "cpu_s": ru.ru_utime + ru.ru_stime,
        "utime_s": ru.ru_utime,
        "stime_s": ru.ru_stime,
        # ru_maxrss of a process started from this harness is at least the harness's own size (the kernel
        # folds the pre-exec address space in at exec): kept for the record, not used.
        "tree_maxrss_kib": ru.ru_maxrss,
        "rss_kib": hwm,
        "rss_reads": poller.reads if poller else 0,
        "exit": os.waitstatus_to_exitcode(status),
    }


def gnu_time_maxrss(time_bin: str, argv: list[str], cwd: str, env: dict[str, str], out: str) -> int | None:
    """Peak RSS (KiB) of argv's process tree as GNU time reports it: time forks a small child that execs argv,
    so the floor is time's own size (about 1 MiB), not the harness's."""
    r = run_measured([time_bin, "-f", "%M", "-o", out, *argv], cwd=cwd, env=env, poll=None)
    try:
        with open(out) as f:
            return int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None
    finally:
        if os.path.exists(out):
            os.unlink(out)
        del r


# ---------------------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------------------


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def pct(xs, p):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]


def spread(xs):
    xs = [x for x in xs if x is not None]
    return (min(xs), max(xs)) if xs else (None, None)


def summary(xs) -> dict:
    lo, hi = spread(xs)
    return {"median": med(xs), "min": lo, "max": hi, "n": len([x for x in xs if x is not None])}


def ratio(a, b, floor=0.0):
    if a is None or b is None:
        return None
    return a / max(b, floor) if max(b, floor) > 0 else None


# ---------------------------------------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------------------------------------


def ensure_con_duct(venv: Path) -> Path:
    exe = venv / "bin" / "con-duct"
    if not exe.exists():
        log(f"no con-duct at {exe}: creating the virtualenv with con-duct=={CON_DUCT_VERSION} from PyPI")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"con-duct=={CON_DUCT_VERSION}"], check=True)
        except subprocess.CalledProcessError:
            setup = REPO / "contrib" / "setup-debian.sh"
            if venv.resolve() != (REPO / "target" / "con-duct-venv").resolve() or not setup.exists():
                raise
            log("plain venv failed (python3-venv missing?): running contrib/setup-debian.sh")
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run(["bash", str(setup)], check=True)
    v = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
    if CON_DUCT_VERSION not in v:
        log(f"warning: {exe} is {v!r}, not {CON_DUCT_VERSION}")
    return exe


def build_duct(target_dir: Path) -> Path:
    cargo = shutil.which("cargo")
    if cargo is None:
        sys.exit("bench: cargo not found (install Rust, or pass --duct PATH to a built duct)")
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir))
    log(f"building duct in release mode (CARGO_TARGET_DIR={target_dir})")
    subprocess.run([cargo, "build", "--release", "--locked", "--bin", "duct", "--bin", "con-duct"], cwd=REPO, env=env,
                   check=True)
    return target_dir / "release" / "duct"


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def fs_type(path: str) -> dict:
    best = ("", "?", "?")
    real = os.path.realpath(path)
    try:
        with open("/proc/self/mounts") as f:
            for line in f:
                dev, mnt, typ = line.split()[:3]
                mnt = mnt.replace("\\040", " ")
                if (real == mnt or real.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best[0]):
                    best = (mnt, typ, dev)
    except OSError:
        pass
    return {"path": real, "mount": best[0], "type": best[1], "device": best[2]}


def machine_info(tmp: str) -> dict:
    info: dict = {"nproc": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine()}
    try:
        info["affinity"] = len(os.sched_getaffinity(0))
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_total_kib"] = int(line.split()[1])
    except OSError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info["temp_dir_fs"] = fs_type(tmp)
    for k in ("dirty_ratio", "dirty_background_ratio"):
        try:
            info["vm_" + k] = int(Path(f"/proc/sys/vm/{k}").read_text())
        except (OSError, ValueError):
            pass
    info["loadavg_start"] = os.getloadavg()
    return info


# ---------------------------------------------------------------------------------------------------------
# The scenarios
# ---------------------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args, duct: Path, con_duct: Path, tmp: str):
        self.args = args
        self.duct = str(duct)
        self.con_duct = str(con_duct)
        self.tmp = tmp
        self.raw: list[dict] = []
        self.seq = 0
        # Neither tool may pick up the user's settings: no DUCT_* variables, no .env files (cwd is the temp dir).
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DUCT_")}
        self.env["DUCT_CONFIG_PATHS"] = os.path.join(tmp, "no-such.env")
        self.time_bin = shutil.which("time", path="/usr/bin:/bin") if not args.no_gnu_time else None
        self.quick = args.quick
        self.sleep_s = 2.0 if args.quick else 10.0
        self.size = (256 * MiB) if args.quick else GiB
        self.startup_n = 5 if args.quick else 10
        self.bare_cache: dict = {}
        # duct's `con-duct` is built next to duct (the same package).
        self.con_duct_rs = str(duct.parent / "con-duct")
        self.ls_tree: str | None = None
        self.ls_paths: list[str] = []

    def prefix(self, tag: str) -> str:
        self.seq += 1
        return os.path.join(self.tmp, f"{self.seq:04d}-{tag}_")

    @staticmethod
    def cleanup(prefix: str) -> None:
        for suffix in ("stdout", "stderr", "usage.jsonl", "info.json"):
            try:
                os.unlink(prefix + suffix)
            except FileNotFoundError:
                pass

    def wrap(self, tool: str, prefix: str, cmd: list[str], extra: list[str] = ()) -> list[str]:
        if tool == "duct":
            return [self.duct, "-p", prefix, *extra, "--", *cmd]
        return [self.con_duct, "run", "-p", prefix, *extra, *cmd]

    @staticmethod
    def read_info(prefix: str) -> dict:
        try:
            with open(prefix + "info.json") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    @staticmethod
    def count_lines(path: str) -> int:
        try:
            with open(path, "rb") as f:
                return sum(1 for _ in f)
        except OSError:
            return 0

    def record(self, scenario: str, tool: str, rnd: int, m: dict, **extra) -> dict:
        row = {"scenario": scenario, "tool": tool, "round": rnd, **m, **extra}
        self.raw.append(row)
        if m.get("exit") not in (0, None):
            log(f"warning: {scenario} {tool} round {rnd} exited {m['exit']}")
        return row

    def order(self, rnd: int) -> list[str]:
        return ["duct", "con-duct"] if rnd % 2 == 0 else ["con-duct", "duct"]

    # -- start-up: `duct -- true` ---------------------------------------------------------------------------
    def startup(self, rnd: int) -> None:
        for i in range(self.startup_n):
            for tool in self.order(rnd + i):
                p = self.prefix(f"startup-{tool}")
                # Polling would compete with the wrapper for the CPU: only without GNU time, for the RSS.
                poll = None if self.time_bin else 0.001
                m = run_measured(self.wrap(tool, p, ["true"]), cwd=self.tmp, env=self.env, poll=poll)
                self.record("startup", tool, rnd, m, index=i)
                self.cleanup(p)
        # Peak RSS: duct lives for a few milliseconds, too short to poll; GNU time (when present) reports it
        # with a floor of about 1 MiB (its own forked child). `true` itself is smaller than either wrapper.
        if self.time_bin:
            for tool in self.order(rnd):
                for i in range(2):
                    p = self.prefix(f"startup-rss-{tool}")
                    kib = gnu_time_maxrss(self.time_bin, self.wrap(tool, p, ["true"]), self.tmp, self.env, p + "time")
                    self.raw.append({"scenario": "startup-rss", "tool": tool, "round": rnd, "index": i, "rss_kib": kib})
                    self.cleanup(p)

    # -- monitoring cost -----------------------------------------------------------------------------------
    def monitor_cmd(self, children: int, seconds: float) -> list[str]:
        if children == 1:
            return ["sleep", f"{seconds:g}"]
        return ["sh", "-c", f"for i in $(seq {children}); do sleep {seconds:g} & done; wait"]

    def bare_cpu(self, children: int, rnd: int) -> float:
        """CPU of the monitored command itself, run bare (briefly: a sleeping process's CPU does not grow)."""
        vals = []
        for i in range(3):
            m = run_measured(self.monitor_cmd(children, 0.2), cwd=self.tmp, env=self.env, poll=None)
            vals.append(m["cpu_s"])
            self.raw.append({"scenario": f"monitor-bare-{children}", "tool": "bare", "round": rnd, "index": i, **m})
        return statistics.median(vals)

    def monitor(self, rnd: int, interval: float, children: int, bare: float) -> None:
        scen = f"monitor-si{interval:g}-c{children}"
        cmd = self.monitor_cmd(children, self.sleep_s)
        extra = ["--sample-interval", f"{interval:g}", "--report-interval", f"{max(REPORT_INTERVAL, interval):g}"]
        for tool in self.order(rnd):
            p = self.prefix(f"{scen}-{tool}")
            m = run_measured(self.wrap(tool, p, cmd, extra), cwd=self.tmp, env=self.env, poll=0.01)
            info = self.read_info(p)
            es = info.get("execution_summary", {})
            child_exact = None
            if "cpu_user_seconds" in es and "cpu_system_seconds" in es:
                child_exact = es["cpu_user_seconds"] + es["cpu_system_seconds"]
            child = child_exact if child_exact is not None else bare
            self.record(
                scen,
                tool,
                rnd,
                m,
                interval=interval,
                children=children,
                child_cpu_s=child,
                child_cpu_source="info.json" if child_exact is not None else "bare run",
                bare_cpu_s=bare,
                own_cpu_s=m["cpu_s"] - child,
                own_cpu_bare_s=m["cpu_s"] - bare,
                num_samples=es.get("num_samples"),
                num_reports=es.get("num_reports"),
                usage_lines=self.count_lines(p + "usage.jsonl"),
            )
            self.cleanup(p)

    # -- output throughput ---------------------------------------------------------------------------------
    def throughput_variants(self) -> list[str]:
        return ["file", "file+fsync", "cat", "tee", "splice", "duct", "con-duct"]

    def throughput(self, rnd: int) -> None:
        mib = self.size // MiB
        gen = f"dd if=/dev/zero bs=1M count={mib} status=none"
        genv = ["dd", "if=/dev/zero", "bs=1M", f"count={mib}", "status=none"]
        splicer = os.path.join(self.tmp, "splice.py")
        if not os.path.exists(splicer):
            Path(splicer).write_text(SPLICE_CHILD)
        variants = self.throughput_variants()
        if rnd % 2:
            variants = variants[::-1]
        for v in variants:
            out = os.path.join(self.tmp, f"tp-{v}.out")
            self.warm_up(genv)
            p = None
            if v == "file":
                m = run_measured(genv, stdout=out, cwd=self.tmp, env=self.env)
            elif v == "file+fsync":  # the same, then the data on disk: what an fsync at close costs
                m = run_measured([*genv, "conv=fsync"], stdout=out, cwd=self.tmp, env=self.env)
            elif v == "cat":
                m = run_measured(["sh", "-c", f"{gen} | cat > '{out}'"], cwd=self.tmp, env=self.env)
            elif v == "tee":
                m = run_measured(["sh", "-c", f"{gen} | tee '{out}' > /dev/null"], cwd=self.tmp, env=self.env)
            elif v == "splice":  # one pipe hop, no copy through user space: the floor of any pipe-based design
                m = run_measured(["sh", "-c", f"{gen} | '{sys.executable}' '{splicer}' '{out}'"], cwd=self.tmp,
                                 env=self.env)
            else:
                p = self.prefix(f"tp-{v}")
                m = run_measured(self.wrap(v, p, genv), cwd=self.tmp, env=self.env, poll=0.005)
                out = p + "stdout"
            size = os.path.getsize(out) if os.path.exists(out) else None
            if size != self.size:
                log(f"warning: throughput {v}: {size} bytes in {out}, expected {self.size}")
            self.record("throughput", v, rnd, m, bytes=self.size, file_bytes=size)
            if os.path.exists(out):
                os.unlink(out)
            if p:
                self.cleanup(p)
            os.sync()  # no dirty data of this variant left for the next one to wait on

    def warm_up(self, genv: list[str]) -> None:
        """Write and delete as much as the measured run will, untimed, right before it. On a virtual machine
        that hands freed memory back to its host (virtio-balloon free page reporting), the first touch of a
        page costs several times a copy: without this, whichever variant happens to get fresh pages looks
        four times slower. The pages freed here are the ones the measured run gets."""
        warm = os.path.join(self.tmp, "warm-up")
        run_measured(genv, stdout=warm, cwd=self.tmp, env=self.env, poll=None)
        os.unlink(warm)

    # -- latency -------------------------------------------------------------------------------------------
    def latency(self, rnd: int) -> None:
        child = [sys.executable, "-c", LATENCY_CHILD, str(LATENCY_WRITES), str(LATENCY_PERIOD)]
        for tool in self.order(rnd):
            p = self.prefix(f"latency-{tool}")
            r, w = os.pipe()
            lat: list[int] = []
            junk = [0]

            def reader():
                buf = b""
                clk = time.CLOCK_MONOTONIC
                while True:
                    chunk = os.read(r, 65536)
                    now = time.clock_gettime_ns(clk)
                    if not chunk:
                        break
                    buf += chunk
                    *lines, buf = buf.split(b"\n")
                    for line in lines:
                        try:
                            lat.append(now - int(line))
                        except ValueError:
                            junk[0] += 1

            t = threading.Thread(target=reader, daemon=True)
            t.start()
            try:
                m = run_measured(self.wrap(tool, p, child), stdout=w, cwd=self.tmp, env=self.env, poll=0.02)
            finally:
                os.close(w)
            t.join()
            os.close(r)
            us = [x / 1000 for x in lat]
            self.record(
                "latency",
                tool,
                rnd,
                m,
                lines=len(us),
                junk_lines=junk[0],
                median_us=med(us),
                p99_us=pct(us, 99),
                max_us=max(us) if us else None,
                latencies_us=[round(x, 1) for x in us],
            )
            if len(us) != LATENCY_WRITES:
                log(f"warning: latency {tool}: {len(us)} lines arrived of {LATENCY_WRITES}")
            self.cleanup(p)


    # -- ls over a tree of runs -----------------------------------------------------------------------------
    def build_ls_tree(self) -> None:
        """LS_RUNS info.json files in 100 directories, copies of one record duct writes here with a distinct
        message, command, wall time and peak RSS each (so the files differ as real runs' do). Built once."""
        root = os.path.join(self.tmp, "ls-tree")
        os.makedirs(root)
        seed = os.path.join(root, "seed_")
        subprocess.run([self.duct, "-p", seed, "-m", "seed", "--", "true"], cwd=self.tmp, env=self.env,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        with open(seed + "info.json") as f:
            record = json.load(f)
        self.cleanup(seed)
        for i in range(LS_RUNS):
            rel = f"d{i // 100:03d}/run{i:05d}_"
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            record["message"] = f"experiment {i % 7}"
            record["command"] = f"make -j{i % 16} target{i}"
            record["execution_summary"]["wall_clock_time"] = 1.0 + (i % 1000) / 10
            record["execution_summary"]["peak_rss"] = 1_000_000 + 4096 * i
            record["output_paths"] = {k: rel + k for k in ("stdout", "stderr", "usage", "info")}
            record["output_paths"]["prefix"] = rel
            with open(os.path.join(root, rel + "info.json"), "w") as f:
                json.dump(record, f)
            self.ls_paths.append(rel + "info.json")
        self.ls_tree = root

    def ls(self, rnd: int) -> None:
        if self.ls_tree is None:
            log(f"  ls: building a tree of {LS_RUNS} info.json files")
            self.build_ls_tree()
        outs = {}
        for tool in self.order(rnd):
            exe = self.con_duct_rs if tool == "duct" else self.con_duct
            out = os.path.join(self.tmp, f"ls-{tool}.json")
            # Paths on the command line, as a shell's `d*/*info.json` gives them (both tools take the list).
            m = run_measured([exe, "ls", "-f", "json", *self.ls_paths], stdout=out, cwd=self.ls_tree, env=self.env)
            with open(out) as f:
                outs[tool] = f.read()
            os.unlink(out)
            self.record("ls", tool, rnd, m, runs=LS_RUNS, rows=len(json.loads(outs[tool] or "[]")))
        if outs["duct"] != outs["con-duct"]:
            log(f"warning: ls round {rnd}: the two tools printed different JSON")


# ---------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------


def rows_of(raw, scenario, tool, key="wall_s"):
    return [r for r in raw if r["scenario"] == scenario and r["tool"] == tool and r.get(key) is not None]


def per_round(raw, scenario, tool, key, agg=statistics.median):
    out = {}
    for r in rows_of(raw, scenario, tool, key):
        out.setdefault(r["round"], []).append(r[key])
    return {k: agg(v) for k, v in out.items()}


def round_ratios(a: dict, b: dict, floor=0.0):
    """Ratios a/b between the two tools' figures of the same round."""
    return [ratio(a[k], b[k], floor) for k in sorted(a) if k in b and ratio(a[k], b[k], floor) is not None]


def analyse(raw: list[dict], bench: Bench) -> list[dict]:
    table = []

    def row(name, unit, d, c, rat, target, met, note=""):
        table.append(
            {"scenario": name, "unit": unit, "duct": d, "con_duct": c, "ratio": rat, "target": target, "met": met, "note": note}
        )

    def rss_row(name, scen, key="rss_kib"):
        d = [r[key] / 1024 for r in rows_of(raw, scen, "duct", key)]
        c = [r[key] / 1024 for r in rows_of(raw, scen, "con-duct", key)]
        if not d:
            return
        hi = max(d)
        rat = ratio(med(c), med(d))
        row(name, "MiB", summary(d), summary(c), {"median": rat}, f"duct max <= {T_RSS_MIB:g} MiB", hi <= T_RSS_MIB)

    # start-up
    d = [r["wall_s"] * 1000 for r in rows_of(raw, "startup", "duct")]
    c = [r["wall_s"] * 1000 for r in rows_of(raw, "startup", "con-duct")]
    if d:
        rr = round_ratios(per_round(raw, "startup", "con-duct", "wall_s"), per_round(raw, "startup", "duct", "wall_s"))
        row("start-up `-- true`: wall", "ms", summary(d), summary(c), summary(rr), f"con-duct/duct >= {T_STARTUP:g}x",
            med(rr) is not None and med(rr) >= T_STARTUP)
        if rows_of(raw, "startup-rss", "duct", "rss_kib"):
            rss_row("start-up: peak RSS (GNU time)", "startup-rss")
        else:
            rss_row("start-up: peak RSS (polled, lower bound)", "startup")

    # monitoring
    scens = sorted({r["scenario"] for r in raw if r["scenario"].startswith("monitor-si")},
                   key=lambda s: (float(s.split("-si")[1].split("-")[0]), int(s.split("-c")[-1])))
    for scen in scens:
        interval = scen.split("-si")[1].split("-")[0]
        children = scen.split("-c")[-1]
        d = [r["own_cpu_s"] * 1000 for r in rows_of(raw, scen, "duct", "own_cpu_s")]
        c = [r["own_cpu_s"] * 1000 for r in rows_of(raw, scen, "con-duct", "own_cpu_s")]
        # A duct figure at or below zero is noise of the subtraction: count it as 0.1 ms.
        rr = round_ratios(per_round(raw, scen, "con-duct", "own_cpu_s"), per_round(raw, scen, "duct", "own_cpu_s"),
                          floor=1e-4)
        samples = [r.get("num_samples") for r in rows_of(raw, scen, "duct", "own_cpu_s")]
        note = f"duct num_samples {samples}" if samples else ""
        if samples and not any(samples):
            note = "duct took no samples: its sampler is not working"
        row(f"monitor CPU, s-i {interval}s, {children} proc", "ms", summary(d), summary(c), summary(rr),
            f"con-duct/duct >= {T_MONITOR:g}x", med(rr) is not None and med(rr) >= T_MONITOR, note)
    for scen in scens:
        interval = scen.split("-si")[1].split("-")[0]
        children = scen.split("-c")[-1]
        rss_row(f"monitor peak RSS, s-i {interval}s, {children} proc", scen)

    # throughput
    tp = {v: per_round(raw, "throughput", v, "wall_s") for v in bench.throughput_variants()}
    if tp["file"]:
        size = bench.size // MiB
        base = tp["file"]
        labels = {
            "file": f"ref: dd > file ({size} MiB)",
            "file+fsync": "ref: dd > file, then fsync",
            "cat": "ref: dd | cat > file",
            "tee": "ref: dd | tee file > /dev/null",
            "splice": "ref: dd | splice(2) > file",
        }
        for v, label in labels.items():
            if tp[v]:
                vals = [r["wall_s"] for r in rows_of(raw, "throughput", v)]
                rr = round_ratios(tp[v], base)
                table.append({"scenario": label, "unit": "s", "duct": summary(vals), "con_duct": None,
                              "ratio": summary(rr), "target": "(x straight-to-file)", "met": None, "note": "reference"})
        d = [r["wall_s"] for r in rows_of(raw, "throughput", "duct")]
        c = [r["wall_s"] for r in rows_of(raw, "throughput", "con-duct")]
        rd = round_ratios(tp["duct"], base)
        rc = round_ratios(tp["con-duct"], base)
        row(f"throughput {size} MiB: log + /dev/null", "s", summary(d), summary(c), summary(rd),
            f"duct/straight-to-file <= {T_THROUGHPUT:g}x", med(rd) is not None and med(rd) <= T_THROUGHPUT,
            f"con-duct {med(rc):.2f}x straight-to-file" if rc else "")
        for v in ("file+fsync", "splice", "cat"):
            if tp[v]:
                rf = round_ratios(tp["duct"], tp[v])
                table.append({"scenario": f"  duct / ({labels[v][5:]})", "unit": "x", "duct": None, "con_duct": None,
                              "ratio": summary(rf), "target": "", "met": None, "note": "reference"})
        d = [r["rss_kib"] / 1024 for r in rows_of(raw, "throughput", "duct", "rss_kib")]
        c = [r["rss_kib"] / 1024 for r in rows_of(raw, "throughput", "con-duct", "rss_kib")]
        if d:
            rr = round_ratios(per_round(raw, "throughput", "con-duct", "rss_kib"),
                              per_round(raw, "throughput", "duct", "rss_kib"))
            ok = max(d) <= T_RSS_MIB and med(rr) is not None and med(rr) >= T_RSS_TEE
            row("throughput peak RSS (tee-ing)", "MiB", summary(d), summary(c), summary(rr),
                f"duct max <= {T_RSS_MIB:g} MiB; con-duct/duct >= {T_RSS_TEE:g}x", ok)

    # latency
    if rows_of(raw, "latency", "duct", "median_us"):
        pooled = {t: [x for r in rows_of(raw, "latency", t, "median_us") for x in r["latencies_us"]]
                  for t in ("duct", "con-duct")}
        for name, key, p in (("median", "median_us", 50), ("p99", "p99_us", 99)):
            runs = {t: [r[key] for r in rows_of(raw, "latency", t, key)] for t in ("duct", "con-duct")}
            cell = {t: {"median": pct(pooled[t], p) if p != 50 else med(pooled[t]), "min": spread(runs[t])[0],
                        "max": spread(runs[t])[1], "n": len(pooled[t])} for t in runs}
            rr = round_ratios(per_round(raw, "latency", "con-duct", key), per_round(raw, "latency", "duct", key))
            if name == "median":
                row("latency write->stdout, median", "us", cell["duct"], cell["con-duct"], summary(rr),
                    f"duct < {T_LATENCY_MS * 1000:g} us", cell["duct"]["median"] < T_LATENCY_MS * 1000)
            else:
                row("latency write->stdout, p99", "us", cell["duct"], cell["con-duct"], summary(rr), "", None)
        rss_row("latency peak RSS", "latency")

    # ls over a tree of runs
    d = [r["wall_s"] for r in rows_of(raw, "ls", "duct")]
    if d:
        c = [r["wall_s"] for r in rows_of(raw, "ls", "con-duct")]
        rr = round_ratios(per_round(raw, "ls", "con-duct", "wall_s"), per_round(raw, "ls", "duct", "wall_s"))
        rows = {r["tool"]: r["rows"] for r in rows_of(raw, "ls", "duct") + rows_of(raw, "ls", "con-duct")}
        row(f"ls -f json, {LS_RUNS} info.json: wall", "s", summary(d), summary(c), summary(rr),
            f"duct < {T_LS_S:g} s", max(d) < T_LS_S, f"rows listed: {rows}")
        # On a loaded machine the wall time is mostly waiting for a core: the CPU time says what ls costs.
        d = [r["cpu_s"] for r in rows_of(raw, "ls", "duct", "cpu_s")]
        c = [r["cpu_s"] for r in rows_of(raw, "ls", "con-duct", "cpu_s")]
        rr = round_ratios(per_round(raw, "ls", "con-duct", "cpu_s"), per_round(raw, "ls", "duct", "cpu_s"))
        row(f"ls -f json, {LS_RUNS} info.json: CPU", "s", summary(d), summary(c), summary(rr), "", None)
        # The 8 MiB target is the runner's, not the reader's: no target here.
        d = [r["rss_kib"] / 1024 for r in rows_of(raw, "ls", "duct", "rss_kib")]
        c = [r["rss_kib"] / 1024 for r in rows_of(raw, "ls", "con-duct", "rss_kib")]
        row(f"ls -f json, {LS_RUNS} info.json: peak RSS", "MiB", summary(d), summary(c),
            {"median": ratio(med(c), med(d))}, "", None)
    return table


def fmt_num(x) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def fmt_cell(s, suffix="") -> str:
    if not s or s.get("median") is None:
        return "-"
    out = fmt_num(s["median"]) + suffix
    if s.get("min") is not None and s.get("max") is not None and s.get("n", 0) > 1:
        out += f" [{fmt_num(s['min'])}-{fmt_num(s['max'])}]"
    return out


def print_table(table: list[dict]) -> None:
    head = ("scenario", "unit", "duct median [min-max]", "con-duct median [min-max]", "ratio", "target", "met?")
    lines = []
    for r in table:
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        lines.append((r["scenario"], r["unit"], fmt_cell(r["duct"]), fmt_cell(r["con_duct"]),
                      fmt_cell(r["ratio"], "x"), r["target"], met))
    widths = [max(len(str(x[i])) for x in [head, *lines]) for i in range(len(head))]
    sep = "-+-".join("-" * w for w in widths)
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths)))
    print(sep)
    for ln in lines:
        print(" | ".join(str(x).ljust(w) for x, w in zip(ln, widths)))
    notes = [f"  {r['scenario']}: {r['note']}" for r in table if r.get("note") and r["note"] != "reference"]
    if notes:
        print("notes:")
        print("\n".join(notes))


# ---------------------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, help="rounds of every scenario (default 5; 2 with --quick)")
    ap.add_argument("--quick", action="store_true", help="2 rounds, 2 s sleeps, 256 MiB of output")
    ap.add_argument("--json", default=str(HERE / "results.json"), help="where to write the results (default: %(default)s)")
    ap.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", str(REPO / "target")),
                    help="CARGO_TARGET_DIR of the release build (default: $CARGO_TARGET_DIR or target/)")
    ap.add_argument("--venv", default=str(REPO / "target" / "con-duct-venv"), help="virtualenv of con-duct")
    ap.add_argument("--duct", help="use this duct binary; do not build")
    ap.add_argument("--tmpdir", default="/var/tmp" if os.path.isdir("/var/tmp") else tempfile.gettempdir(),
                    help="where log files go (default: %(default)s); its filesystem is part of the result")
    ap.add_argument("--only", default="startup,monitor,throughput,latency,ls",
                    help="comma-separated subset of: startup,monitor,throughput,latency,ls")
    ap.add_argument("--no-gnu-time", action="store_true", help="do not use /usr/bin/time for start-up RSS")
    args = ap.parse_args()
    rounds = args.rounds or (2 if args.quick else 5)
    only = set(args.only.split(","))

    con_duct = ensure_con_duct(Path(args.venv))
    # Absolute: the tools run with the temp dir as working directory.
    duct = Path(args.duct).resolve() if args.duct else build_duct(Path(args.target_dir))
    if not os.access(duct, os.X_OK):
        sys.exit(f"bench: {duct} is not an executable")

    os.makedirs(args.tmpdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="duct-bench-", dir=args.tmpdir)
    bench = Bench(args, duct, con_duct, tmp)
    free = shutil.disk_usage(tmp).free
    if "throughput" in only and free < 3 * GiB:
        log(f"only {free / GiB:.1f} GiB free in {tmp}: skipping the throughput scenario (needs 3 GiB)")
        only.discard("throughput")

    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": [sys.executable, *sys.argv],
        "rounds": rounds,
        "quick": args.quick,
        "settings": {
            "sleep_s": bench.sleep_s,
            "throughput_bytes": bench.size,
            "startup_runs_per_round": bench.startup_n,
            "report_interval_s": REPORT_INTERVAL,
            "latency_writes": LATENCY_WRITES,
            "latency_period_s": LATENCY_PERIOD,
            "gnu_time": bench.time_bin,
        },
        "machine": machine_info(tmp),
        "versions": {
            "duct": first_line([str(duct), "--version"]),
            "duct_path": str(duct),
            "duct_git": first_line(["git", "-C", str(REPO), "describe", "--always", "--dirty"]),
            "con_duct": first_line([str(con_duct), "--version"]),
            "con_duct_python": first_line([str(Path(args.venv) / "bin" / "python"), "--version"]),
            "harness_python": platform.python_version(),
            "coreutils": first_line(["dd", "--version"]),
        },
    }
    log(f"duct {meta['versions']['duct']} ({duct}), {meta['versions']['con_duct']}; {rounds} rounds; logs in {tmp}")

    started = time.monotonic()
    try:
        for rnd in range(rounds):
            log(f"round {rnd + 1}/{rounds}")
            if "startup" in only:
                bench.startup(rnd)
            if "monitor" in only:
                bare = {n: bench.bare_cpu(n, rnd) for n in (1, 50)}
                configs = [(0.1, 1), (0.1, 50), (1.0, 1), (1.0, 50)]
                for interval, children in configs if rnd % 2 == 0 else configs[::-1]:
                    log(f"  monitoring: s-i {interval:g}s, {children} process(es), {bench.sleep_s:g}s")
                    bench.monitor(rnd, interval, children, bare[children])
            if "throughput" in only:
                log(f"  throughput: {bench.size // MiB} MiB")
                bench.throughput(rnd)
            if "latency" in only:
                log("  latency")
                bench.latency(rnd)
            if "ls" in only:
                log(f"  ls: {LS_RUNS} info.json files")
                bench.ls(rnd)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta["elapsed_s"] = round(time.monotonic() - started, 1)
    meta["machine"]["loadavg_end"] = os.getloadavg()

    table = analyse(bench.raw, bench)
    print()
    print_table(table)
    out = {**meta, "table": table, "raw": bench.raw}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    log(f"results in {args.json} ({meta['elapsed_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
