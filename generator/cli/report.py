"""`python -m generator report [PATHS…]`: the recomputed scores of every record, as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from generator.core import diagnostics as dg

from .output_formats import summary_line


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="输出计分复核结果")
    p.add_argument("paths", nargs="*", default=None)
    p.add_argument("--format", choices=["json"], default="json")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from generator.core.pipeline import run as run_pipeline
    from generator.core.report import report

    result = run_pipeline(args.paths or ["projects"])
    json.dump(report(result.evaluations), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if not result.evaluations and result.diagnostics:
        sys.stderr.write(summary_line(result) + "\n")
    return 1 if dg.has_errors(result.diagnostics) else 0
