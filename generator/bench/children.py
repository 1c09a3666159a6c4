"""The measuring processes: a measurement run in a fresh interpreter, pinned to some CPUs, and the memory
and CPU time read from the operating system (ru_maxrss, /proc) for it and for the processes it starts."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

from .fixtures import ROOT


def run_child(
    measurement: str, directory: Path, *, timeout: float | None = None, env_extra: dict[str, str] | None = None
) -> dict:
    """Run `python -m generator.bench --child measurement directory` in a fresh interpreter; return its JSON result.

    A fresh process, so that its peak memory (ru_maxrss) belongs to that measurement alone; the child
    pins itself to the CPUs cli.CHILD_CPUS (or PD_BENCH_CORES) allows."""
    cmd = [sys.executable, "-m", "generator.bench", "--child", measurement, str(directory)]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(env_extra or {})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pin_cpus(count: int) -> None:
    """Restrict this process (and the processes it starts) to the first `count` CPUs it may use."""
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[: max(1, count)]))


def own_peak_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    import resource  # POSIX only: imported where used, as the parent process does not need it

    return maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def maxrss_mb(maxrss: int) -> float:
    """ru_maxrss in MB: it counts bytes on macOS, KiB on Linux."""
    return maxrss / 1024 / 1024 if sys.platform == "darwin" else maxrss / 1024


def session_memory(session: int) -> tuple[int, int]:
    """(processes, bytes in memory) of the processes in a session, from /proc; (0, 0) without /proc.

    One process: its RSS. Several (a build with worker processes, forked): the sum of their PSS, which
    counts a page shared after fork once in all rather than once per process; RSS where PSS is unreadable."""
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0, 0
    members: list[tuple[str, int]] = []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()  # after "pid (comm) ": state ppid pgrp session … rss (24th)
        if len(fields) > 21 and int(fields[3]) == session:
            members.append((entry, int(fields[21]) * page))
    if len(members) <= 1:
        return len(members), sum(rss for _, rss in members)
    total = 0
    for pid, rss in members:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                pss = next((int(line.split()[1]) * 1024 for line in fh if line.startswith(b"Pss:")), rss)
        except (OSError, ValueError):
            pss = rss
        total += pss
    return len(members), total


def machine_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat), None without /proc."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal (guest is inside user)
    return busy / os.sysconf("SC_CLK_TCK")
