"""`python -m generator report [PATHS…] [--public]`: the recomputed scores of every record (or of those the site
would publish), as JSON, with each record's status and publication date."""

from __future__ import annotations

import argparse
import json
import sys

from generator.core import diagnostics as dg

from .output_formats import summary_line


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="输出计分复核结果")
    p.add_argument("paths", nargs="*", default=None, help="记录目录或记录文件（默认 projects）")
    p.add_argument("--format", choices=["json"], default="json", help="输出格式（目前只有 json）")
    p.add_argument(
        "--public", action="store_true", help="只列出网站会公开的记录（不含草稿、未到公开日期或有错误的记录）"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from generator.core.pipeline import run as run_pipeline
    from generator.core.report import report

    result = run_pipeline(args.paths or ["projects"])
    evaluations = result.evaluations
    if args.public:  # what the site would publish today (SOURCE_DATE_EPOCH sets "today" for reproducible output)
        from generator.publish.policy import build_date, is_public

        today = build_date()
        evaluations = [ev for ev in evaluations if is_public(ev, today)]
    json.dump(report(evaluations), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    if not result.evaluations and result.diagnostics:
        sys.stderr.write(summary_line(result) + "\n")
    return 1 if dg.has_errors(result.diagnostics) else 0
