"""How long `mkdocs serve` takes to show an edited record (used by `python -m generator.bench --serve`).

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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PREVIEW = "python -m generator preview"  # the command the guide gives editors; the target applies to it
SERVE_TARGET_SECONDS = 1.0
SERVE_TARGET_N = 1000
START_TIMEOUT = 900.0  # seconds for the first build of the preview
EDIT_TIMEOUT = 60.0  # seconds before an edit that never shows is reported as such
POLL_SECONDS = 0.01


@dataclass
class ServeRow:
    records: int
    mode: str  # a key of COMMANDS
    start_seconds: float  # until the home page answers
    reloads: list[tuple[str, float | None]] = field(default_factory=list)  # (what was edited, seconds; None: never shown)
    error: str = ""

    @property
    def worst(self) -> float | None:
        times = [t for _, t in self.reloads]
        return None if not times or None in times else max(times)

    @property
    def median(self) -> float | None:
        times = [t for _, t in self.reloads if t is not None]
        return statistics.median(times) if times else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, phrase: str | None, timeout: float, proc: subprocess.Popen) -> float | None:
    """Seconds until `url` answers (and contains `phrase`), None after `timeout` or if the server died."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = _get(url)
        if body is not None and (phrase is None or phrase in body):
            return time.perf_counter() - start
        if proc.poll() is not None:
            return None
        time.sleep(POLL_SECONDS)
    return None


def _shown_after_edit(base: str, page: str, phrase: str, epoch: int, proc: subprocess.Popen) -> float | None:
    """Seconds until the page shows `phrase`, waiting as the browser does: MkDocs' live-reload request
    answers once a rebuild is visible, then the page is fetched again."""
    start = time.perf_counter()
    while time.perf_counter() - start < EDIT_TIMEOUT and proc.poll() is None:
        answer = _get(f"{base}livereload/{epoch}/1")
        if answer is None or not answer.strip().isdigit():
            time.sleep(POLL_SECONDS)
            continue
        epoch = int(answer)
        body = _get(base + page)
        if body is not None and phrase in body:
            return time.perf_counter() - start
    return None


def _epoch(base: str) -> int:
    answer = _get(f"{base}livereload/0/0")  # the epoch of the visible build, at once
    return int(answer) if answer and answer.strip().isdigit() else 0


def _edited_record(projects: Path, base: str) -> tuple[Path, str] | None:
    """A published record from the middle of the site and its page's URL path (bench records are
    projects/<year>/<slug>.toml; some carry errors on purpose and have no page)."""
    records = sorted(projects.glob("*/*.toml"))
    middle = len(records) // 2
    for record in records[middle:] + records[:middle]:
        page = f"projects/{record.parent.name}/{record.stem}/"
        if _get(base + page) is not None:
            return record, page
    return None


def _edit_narrative(record: Path, phrase: str) -> None:
    md = record.with_suffix(".md")
    text = md.read_text(encoding="utf-8") if md.exists() else ""
    md.write_text(text.rstrip("\n") + f"\n\n{phrase}\n", encoding="utf-8")


def _edit_toml(record: Path, phrase: str) -> None:
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("evaluator = \""):
            lines[i] = f"evaluator = \"{phrase}\"\n"
            break
    else:
        raise RuntimeError(f"{record}: no evaluator line to edit")
    record.write_text("".join(lines), encoding="utf-8")


COMMANDS = {  # how an editor previews: the tool's command (mkdocs serve --dirty), and plain mkdocs serve
    "python -m generator preview": ["-m", "generator", "preview"],
    "mkdocs serve": ["-m", "mkdocs", "serve"],
}


def measure_serve(config: Path, projects: Path, n: int, mode: str, env: dict[str, str], rounds: int = 2) -> ServeRow:
    """Start the preview (`mode`, a key of COMMANDS) with `config`, whose records are `projects`, and
    time edits to one record."""
    row = ServeRow(n, mode, 0.0)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, *COMMANDS[mode], "-f", str(config), "-a", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        # SIGINT back to its default: a shell starts background jobs with it ignored, and the server is
        # stopped with it (as Ctrl+C would), so that it removes its temporary site folder.
        proc = subprocess.Popen(cmd, cwd=str(config.parent), env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
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
                for what, edit in (("narrative", _edit_narrative), ("toml", _edit_toml)):
                    phrase = f"基准修改{what}{i}号{os.getpid()}{time.time_ns() % 10**9}"
                    epoch = _epoch(base)
                    edit(record, phrase)
                    row.reloads.append((what, _shown_after_edit(base, page, phrase, epoch, proc)))
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
    lines = ["| preview | records | first page s | reload median s | reload worst s | edits |", "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.error:
            lines.append(f"| {r.mode} | {r.records} | FAILED | – | – | {r.error[:200]} |")
            continue
        fmt = lambda t: "never" if t is None else f"{t:.2f}"  # noqa: E731
        edits = ", ".join(f"{what} {fmt(t)}" for what, t in r.reloads)
        lines.append(f"| {r.mode} | {r.records} | {r.start_seconds:.1f} | {fmt(r.median)} | {fmt(r.worst)} | {edits} |")
    return "\n".join(lines)


def serve_verdict(rows: list[ServeRow]) -> str:
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
