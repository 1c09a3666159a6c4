"""One measured `mkdocs build`, shared by the site and the bare-Material measurements.

In the child (measure_build): run the build in a subprocess, sample its memory, size its output and
count the bytes of a first search. In the parent (build_row): run that child and turn its result into
a Row, or a failed Row with the build log's tail on stderr.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .children import machine_cpu_seconds, maxrss_mb, run_child, session_memory
from .fixtures import build_env
from .row import Row

BUILD_TIMEOUT = 1800.0  # seconds per build (--timeout); a build that takes longer is killed and shown as timed out
SITE_CORES = 2  # CPUs a build may use (--cores); the targets are for 2 cores
LOG_TAIL_LINES = 40
SAMPLE_SECONDS = 0.5  # how often the build's processes are sampled from /proc


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last `lines` lines of a build log (read from its last 64 KiB)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.path.getsize(path) - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def run_build(config: Path, site: Path, log_path: Path, timeout: float) -> dict:
    """In the child: run `mkdocs build` in a subprocess (its only child), output to log_path.

    Peak memory is the build's ru_maxrss (RUSAGE_CHILDREN of this process, which starts nothing else).
    The build's session is also sampled from /proc twice a second: when the build runs worker
    processes, ru_maxrss is the largest single process only, so the peak is the larger of it and the
    largest sampled sum over the processes (PSS, see children.session_memory) — a sample, so a peak
    between two samples can be missed."""
    import resource

    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    machine_start = machine_cpu_seconds()
    start = time.perf_counter()
    timed_out = False
    most_procs = tree_peak = 0
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=str(config.parent),
            env=build_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        while True:
            try:
                proc.wait(timeout=SAMPLE_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pass
            procs, rss = session_memory(proc.pid)
            most_procs, tree_peak = max(most_procs, procs), max(tree_peak, rss)
            if time.perf_counter() - start > timeout:
                timed_out = True
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the build's own process group (start_new_session)
                proc.wait()
                break
    seconds = time.perf_counter() - start
    machine_end = machine_cpu_seconds()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)  # this child's sampling, counted as the build's
    other = None
    if machine_start is not None and machine_end is not None:
        other = max(0.0, machine_end - machine_start - usage.ru_utime - usage.ru_stime - own.ru_utime - own.ru_stime)
    rss_mb = maxrss_mb(usage.ru_maxrss)
    tree_mb = tree_peak / 1024 / 1024
    peak_mb = max(rss_mb, tree_mb) if most_procs > 1 else rss_mb
    warnings = 0
    with open(log_path, "rb") as fh:
        for line in fh:
            if line.startswith(b"WARNING"):
                warnings += 1
    return {
        "returncode": proc.returncode,
        "timed_out": timed_out,
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mb": peak_mb,
        "rss_mb": rss_mb,
        "tree_peak_mb": tree_mb,
        "processes": most_procs,
        "warnings": warnings,
        "other_cpu_seconds": other,
    }


def dir_size(root: Path) -> tuple[int, int]:
    """(files, bytes) under root."""
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            try:
                size += os.stat(os.path.join(folder, name)).st_size
                files += 1
            except OSError:
                pass
    return files, size


def measure_build(config: Path, site: Path, first_search: Callable[[Path], dict]) -> dict:
    """In the child: build `config` into `site` and measure it; `first_search` counts a built site's first search.

    The timeout comes from PD_BENCH_TIMEOUT (the parent's --timeout)."""
    timeout = float(os.environ.get("PD_BENCH_TIMEOUT", BUILD_TIMEOUT))
    log_path = config.parent / "build.log"
    out = run_build(config, site, log_path, timeout)
    out["log"] = str(log_path)
    built = (site / "index.html").is_file()
    out["ok"] = out["returncode"] == 0 and not out["timed_out"] and built
    if built:
        out["site_files"], out["site_bytes"] = dir_size(site)
        try:
            out["first_search"] = first_search(site)
        except (OSError, KeyError, ValueError) as exc:  # e.g. no search index: the build is not usable
            out["ok"] = False
            out["first_search_error"] = f"{type(exc).__name__}: {exc}"
    if not out["ok"]:
        out["log_tail"] = log_tail(log_path)
    return out


def build_row(kind: str, n: int, directory: Path, cores: int, timeout: float) -> Row:
    """The Row of build measurement `kind` (a child measurement name) over `directory`, for N = n."""
    try:
        out = run_child(
            kind,
            directory,
            timeout=timeout + 300,  # the child kills the build itself after `timeout`
            env_extra={"PD_BENCH_CORES": str(cores), "PD_BENCH_TIMEOUT": str(timeout)},
        )
    except (RuntimeError, subprocess.TimeoutExpired, ValueError, IndexError) as exc:
        out = {
            "ok": False,
            "returncode": None,
            "timed_out": isinstance(exc, subprocess.TimeoutExpired),
            "seconds": 0.0,
            "cpu_seconds": 0.0,
            "peak_mb": 0.0,
            "warnings": 0,
            "log_tail": str(exc)[-4000:],
        }
    if not out["ok"]:
        why = "timed out" if out.get("timed_out") else f"exit {out.get('returncode')}"
        sys.stderr.write(
            f"\n{kind} build of {n} failed ({why}); log tail ({out.get('log', 'no log')}):\n"
            f"{out.get('log_tail', '')}\n{out.get('first_search_error', '')}\n"
        )
    first = out.get("first_search") or {}
    extra = {
        "ok": out["ok"],
        "returncode": out.get("returncode"),
        "timed_out": out.get("timed_out", False),
        "site_mb": out.get("site_bytes", 0) / 1024 / 1024,
        "site_files": out.get("site_files", 0),
        "first_search_kb": first.get("bytes", 0) / 1024,
        "first_search_query": first.get("query"),
        "first_search_files": first.get("files", []),
        "first_search_results": first.get("results", False),
        "rss_mb": out.get("rss_mb"),
        "tree_peak_mb": out.get("tree_peak_mb"),
        "processes": out.get("processes"),
        "other_cpu_seconds": out.get("other_cpu_seconds"),
    }
    return Row(kind, n, out["seconds"], out["cpu_seconds"], out["peak_mb"], out.get("warnings", 0), extra)
