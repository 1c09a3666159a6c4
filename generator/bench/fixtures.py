"""Helpers the benchmark and the test suite share to run the site as an editor does (plain Python, no pytest).

The environment of a reproducible `mkdocs build` or preview subprocess, a free local port, fetching a
page, editing a record in place, and waiting — as the browser does — until an edit shows in a running
preview. Synthetic records are in generator.bench.synthetic.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

# socket and urllib.request are imported in the functions that use them: every benchmark child imports
# this module (ROOT, build_env), and they would add to its peak memory (urllib.request loads ssl and
# http.client, about 6 MB), the validate measurement's included.

ROOT = Path(__file__).resolve().parents[2]  # the repository: mkdocs.yml, content/, theme/, projects/
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01T00:00:00Z, as in the site tests: every build has the same date
EDIT_TIMEOUT = 60.0  # seconds before an edit that never shows is given up on
POLL_SECONDS = 0.01


def build_env() -> dict[str, str]:
    """The environment of a reproducible `mkdocs build` (or preview) subprocess of this repository."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for name in ("GENERATOR_DEBUG", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that no one listens on at the moment."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str) -> str | None:
    """The body of `url` as text, None if it does not answer (or answers with an error status)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def livereload_epoch(base: str) -> int:
    """The epoch of the build a MkDocs live server at `base` shows now (0 if it does not say)."""
    answer = http_get(f"{base}livereload/0/0")  # epoch 0 is always stale: the server answers at once
    return int(answer) if answer and answer.strip().isdigit() else 0


def shown_after_edit(
    base: str, page: str, phrase: str, epoch: int, proc: subprocess.Popen, timeout: float = EDIT_TIMEOUT
) -> float | None:
    """Seconds until `page` shows `phrase`, waiting as the browser does; None after `timeout` or if `proc` died.

    MkDocs' live-reload request (from the build `epoch`, read before the edit) answers once a later
    build is visible; then the page is fetched again."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout and proc.poll() is None:
        answer = http_get(f"{base}livereload/{epoch}/1")
        if answer is None or not answer.strip().isdigit():
            time.sleep(POLL_SECONDS)
            continue
        epoch = int(answer)
        body = http_get(base + page)
        if body is not None and phrase in body:
            return time.perf_counter() - start
    return None


def edit_narrative(record: Path, phrase: str) -> None:
    """Append a paragraph `phrase` to the narrative (.md) of `record` (a .toml path), creating it if missing."""
    md = record.with_suffix(".md")
    text = md.read_text(encoding="utf-8") if md.exists() else ""
    md.write_text(text.rstrip("\n") + f"\n\n{phrase}\n", encoding="utf-8")


def edit_toml(record: Path, phrase: str) -> None:
    """Set the evaluator of `record` (a .toml path) to `phrase`, rewriting its `evaluator = "…"` line."""
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith('evaluator = "'):
            lines[i] = f'evaluator = "{phrase}"\n'
            break
    else:
        raise RuntimeError(f"{record}: no evaluator line to edit")
    record.write_text("".join(lines), encoding="utf-8")
