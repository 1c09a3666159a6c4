"""The validate measurement: load + validate + score of N records, as `python -m generator validate` runs them."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .children import own_peak_mb, run_child
from .row import Row

TARGET_MS_PER_RECORD = 2.0
TARGET_PEAK_MB = 300.0


def child_validate(projects: Path) -> dict:
    """In the child: time load + validate + score of every record (pipeline.run, as `validate` runs it)."""
    from generator.core.pipeline import run

    start, cpu_start = time.perf_counter(), time.process_time()
    result = run([str(projects)], keep=False)  # as the validate command does
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in result.diagnostics:
        counts[d.severity.value] += 1
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": own_peak_mb(),
        "diagnostics": len(result.diagnostics),
        # records that loaded: every file but those with a file-level error (E0xx/E1xx)
        "records": len(result.files) - len({d.file for d in result.diagnostics if d.code[:2] in ("E0", "E1")}),
        "counts": counts,
    }


def measure_validate(projects: Path, n: int) -> Row:
    """The validate row of the n records in `projects`, measured in a child pinned to one CPU."""
    out = run_child("validate", projects)
    if out["records"] != n:
        sys.stderr.write(f"warning: only {out['records']} of {n} synthetic records loaded\n")
    return Row(
        "validate",
        n,
        out["seconds"],
        out["cpu_seconds"],
        out["peak_mb"],
        out["diagnostics"],
        {"counts": out["counts"], "loaded": out["records"]},
    )
