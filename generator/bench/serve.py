"""How long `mkdocs serve` takes to show an edited record (`python -m generator.bench --serve`).

The preview is measured from outside, as an editor sees it: start `mkdocs serve` on N records, wait for
the first page, then edit one record (its narrative, then its TOML) and wait as the browser does —
MkDocs' live-reload request answers when a rebuild is visible, then the page is fetched — until the
edit appears. The figure includes MkDocs' own file watching and its 0.1 s quiet
period before a rebuild. Target: at most 1 s on a site of 1,000 records.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .fixtures import POLL_SECONDS, edit_narrative, edit_toml, free_port, http_get, livereload_epoch, shown_after_edit

PREVIEW = "python -m generator preview"  # the command the guide gives editors; the target applies to it
SERVE_TARGET_SECONDS = 1.0
SERVE_TARGET_N = 1000
START_TIMEOUT = 900.0  # seconds for the first build of the preview


@dataclass
class ServeRow:
    records: int
    mode: str  # a key of COMMANDS
    start_seconds: float  # until the home page answers
    reloads: list[tuple[str, float | None]] = field(
        default_factory=list
    )  # (what was edited, seconds; None: never shown)
    error: str = ""

    @property
    def worst(self) -> float | None:
        shown = [t for _, t in self.reloads if t is not None]
        return max(shown) if shown and len(shown) == len(self.reloads) else None  # None: an edit never showed

    @property
    def median(self) -> float | None:
        times = [t for _, t in self.reloads if t is not None]
        return statistics.median(times) if times else None


def _wait_for(url: str, phrase: str | None, timeout: float, proc: subprocess.Popen) -> float | None:
    """Seconds until `url` answers (and contains `phrase`), None after `timeout` or if the server died."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = http_get(url)
        if body is not None and (phrase is None or phrase in body):
            return time.perf_counter() - start
        if proc.poll() is not None:
            return None
        time.sleep(POLL_SECONDS)
    return None


def _edited_record(projects: Path, base: str) -> tuple[Path, str] | None:
    """A published record from the middle of the site and its page's URL path (bench records are
    projects/<year>/<slug>.toml; some carry errors on purpose and have no page)."""
    records = sorted(projects.glob("*/*.toml"))
    middle = len(records) // 2
    for record in records[middle:] + records[:middle]:
        page = f"projects/{record.parent.name}/{record.stem}/"
        if http_get(base + page) is not None:
            return record, page
    return None


COMMANDS = {  # how an editor previews: the tool's command (mkdocs serve --dirty), and plain mkdocs serve
    "python -m generator preview": ["-m", "generator", "preview"],
    "mkdocs serve": ["-m", "mkdocs", "serve"],
}


def measure_serve(config: Path, projects: Path, n: int, mode: str, env: dict[str, str], rounds: int = 2) -> ServeRow:
    """Start the preview (`mode`, a key of COMMANDS) with `config`, whose records are `projects`, and
    time edits to one record."""
    row = ServeRow(n, mode, 0.0)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, *COMMANDS[mode], "-f", str(config), "-a", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        # SIGINT back to its default: a shell starts background jobs with it ignored, and the server is
        # stopped with it (as Ctrl+C would), so that it removes its temporary site folder.
        proc = subprocess.Popen(
            cmd,
            cwd=str(config.parent),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            if _wait_for(base, None, START_TIMEOUT, proc) is None:
                log.seek(0)
                row.error = "预览没有启动：" + log.read().decode("utf-8", "replace")[-2000:]
                return row
            row.start_seconds = time.perf_counter() - started
            found = _edited_record(projects, base)
            if found is None:
                row.error = "没有找到任何已发布记录的页面"
                return row
            record, page = found
            time.sleep(1.0)  # let the watcher settle after the first build
            for i in range(rounds):
                for what, edit in (("narrative", edit_narrative), ("toml", edit_toml)):
                    phrase = f"基准修改{what}{i}号{os.getpid()}{time.time_ns() % 10**9}"
                    epoch = livereload_epoch(base)
                    edit(record, phrase)
                    row.reloads.append((what, shown_after_edit(base, page, phrase, epoch, proc)))
                    time.sleep(1.0)  # a quiet interval, as between an editor's saves
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return row


def serve_table(rows: list[ServeRow]) -> str:
    """The Markdown table of the previews (--serve)."""
    lines = [
        "| preview | records | first page s | reload median s | reload worst s | edits |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if r.error:
            lines.append(f"| {r.mode} | {r.records} | FAILED | – | – | {r.error[:200]} |")
            continue
        fmt = lambda t: "never" if t is None else f"{t:.2f}"  # noqa: E731
        edits = ", ".join(f"{what} {fmt(t)}" for what, t in r.reloads)
        lines.append(f"| {r.mode} | {r.records} | {r.start_seconds:.1f} | {fmt(r.median)} | {fmt(r.worst)} | {edits} |")
    return "\n".join(lines)


def serve_verdict(rows: list[ServeRow]) -> str:
    """Whether the preview meets its target at SERVE_TARGET_N records; plain mkdocs serve is for comparison."""
    out = [f"preview target: an edited record shows within {SERVE_TARGET_SECONDS:g} s on {SERVE_TARGET_N:,} records"]
    for r in rows:
        if r.records != SERVE_TARGET_N:
            continue
        worst = r.worst
        ok = not r.error and worst is not None and worst <= SERVE_TARGET_SECONDS
        shown = "never shown" if worst is None else f"worst {worst:.2f} s"
        verdict = ("met" if ok else "MISSED") if r.mode == PREVIEW else "for comparison"
        out.append(f"- {r.mode}: {shown} — {verdict}")
    return "\n".join(out)
