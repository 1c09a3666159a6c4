"""The command line: `python -m generator.bench [--records 1000,10000] [--site] [--no-bare] [--serve] ...`.

Also the child side: `python -m generator.bench --child MEASUREMENT DIR` runs one CHILDREN entry in a
fresh interpreter and prints its JSON result (see children.run_child).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .bare import child_bare, measure_bare
from .children import pin_cpus
from .fixtures import build_env
from .mkdocs_build import BUILD_TIMEOUT, SITE_CORES
from .pdf import child_pdf
from .row import BUILD_KINDS, Row
from .site import child_site, measure_site, site_config
from .synthetic import DEFAULT_SEED, write_records
from .tables import report
from .validate import child_validate, measure_validate

if TYPE_CHECKING:
    from .search import SearchRow
    from .serve import ServeRow

# A measurement is a function (projects dir, record count) → Row, usually running a CHILDREN entry in a fresh
# process. To add one: write child_x/measure_x, register them here and select it in selected_measurements().
CHILDREN: dict[str, Callable[[Path], dict]] = {
    "validate": child_validate,
    "site": child_site,
    "bare-material": child_bare,
    "pdf": child_pdf,  # --pdf (issue 16): pdf.py
}
MEASUREMENTS: dict[str, Callable[..., Row]] = {
    "validate": measure_validate,
    "site": measure_site,
    "bare-material": measure_bare,
}
CHILD_CPUS: dict[str, int] = {"validate": 1}  # other children: PD_BENCH_CORES (--cores) CPUs


def selected_measurements(args: argparse.Namespace) -> list[str]:
    """The names of the measurements the options ask for, in the order they run."""
    return ["validate"] + (["site"] + ([] if args.no_bare else ["bare-material"]) if args.site else [])


def profile(projects: Path, top: int = 25) -> str:
    """A cProfile of pipeline.run over `projects` in this process: the `top` functions by own time."""
    import cProfile
    import io
    import pstats

    from generator.core.pipeline import run

    prof = cProfile.Profile()
    prof.enable()
    run([str(projects)])
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def measure_previews(workdir: Path, projects: Path, n: int) -> list[ServeRow]:
    """The preview of N records: an edit's time to show, with the tool's preview and with plain mkdocs serve."""
    # serve is imported only with --serve, as before the split: its modules would otherwise count in the
    # peak memory of every benchmark child, the validate measurement's included.
    from .serve import COMMANDS, measure_serve

    config = site_config(workdir / "preview.yml", projects.resolve())
    out = []
    for mode in COMMANDS:
        row = measure_serve(config, projects, n, mode, build_env())
        shown = ", ".join(f"{what} {t:.2f} s" if t is not None else f"{what} never" for what, t in row.reloads)
        sys.stderr.write(
            f"{mode} {n}: first page {row.start_seconds:.1f} s; edits {shown}{' — ' + row.error[:300] if row.error else ''}\n"
        )
        out.append(row)
    return out


def parser() -> argparse.ArgumentParser:
    """The options of `python -m generator.bench`."""
    p = argparse.ArgumentParser(prog="python -m generator.bench", description="记录载入、校验与计分的性能基准。")
    p.add_argument(
        "--records",
        help="comma-separated record counts (default 1000,10000; none with --search-index alone)",
    )
    p.add_argument("--out", help="also write the Markdown table to this file")
    p.add_argument("--keep", action="store_true", help="keep the generated records (their directory is printed)")
    p.add_argument(
        "--profile", action="store_true", help="print a cProfile of pipeline.run (in this process) instead of timing"
    )
    p.add_argument(
        "--site",
        action="store_true",
        help="also build the site for each N, and the bare MkDocs + Material baseline of N plain pages",
    )
    p.add_argument("--no-bare", action="store_true", help="with --site: skip the bare MkDocs + Material baseline")
    p.add_argument(
        "--serve",
        action="store_true",
        help="also time the preview for each N: how long an edited record takes to show (python -m generator "
        "preview, and plain mkdocs serve for comparison)",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="instead: the PDF import of a 20-page form and report made with Chromium (target ≤ 5 s)",
    )
    p.add_argument(
        "--search-index",
        metavar="N,…",
        help="also build the search index alone over N synthetic projects (e.g. 1000,10000,100000) and print its "
        "first-search bytes: for N too large to build the whole site",
    )
    p.add_argument("--cores", type=int, default=SITE_CORES, help=f"CPUs a site build may use (default {SITE_CORES})")
    p.add_argument(
        "--timeout",
        type=float,
        default=BUILD_TIMEOUT,
        help=f"seconds before a site build is killed and shown as timed out (default {BUILD_TIMEOUT:g})",
    )
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--child", nargs=2, metavar=("MEASUREMENT", "DIR"), help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement in this process); print its tables."""
    p = parser()
    args = p.parse_args(argv)
    if args.child:
        pin_cpus(CHILD_CPUS.get(args.child[0]) or int(os.environ.get("PD_BENCH_CORES", SITE_CORES)))
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return 0
    if args.pdf:
        return run_pdf(args)
    index_only = args.search_index and not (args.records or args.site or args.serve or args.profile)
    try:
        counts = [int(x) for x in ("" if index_only else args.records or "1000,10000").split(",") if x.strip()]
        index_counts = [int(x) for x in (args.search_index or "").split(",") if x.strip()]
    except ValueError:
        p.error("--records and --search-index take numbers separated by commas, e.g. 1000,10000")
    if not (counts or index_only) or any(n <= 0 for n in counts + index_counts):
        p.error("--records takes positive numbers")
    rows: list[Row] = []
    serve_rows: list[ServeRow] = []
    search_rows: list[SearchRow] = []
    for n in index_counts:
        from .search import measure_search_index

        search_rows.append(measure_search_index(n, args.seed, args.cores))
        sr = search_rows[-1]
        sys.stderr.write(
            f"search index {n}: {sr.seconds:.1f} s, {sr.index_mb:.1f} MB, first search {sr.first_search_kb:.1f} KB\n"
        )
    for n in counts:
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
        try:
            started = time.perf_counter()
            projects = write_records(workdir, n, args.seed)
            sys.stderr.write(f"generated {n} records in {time.perf_counter() - started:.1f} s under {projects}\n")
            if args.profile:
                print(profile(projects))
                continue
            for name in selected_measurements(args):
                kwargs = {"cores": args.cores, "timeout": args.timeout} if name in BUILD_KINDS else {}
                rows.append(MEASUREMENTS[name](projects, n, **kwargs))
                r = rows[-1]
                detail = (
                    f" (processes: {r.extra.get('processes')}, largest one {r.extra.get('rss_mb') or 0:.0f} MB, "
                    f"largest sampled total {r.extra.get('tree_peak_mb') or 0:.0f} MB)"
                    if name in BUILD_KINDS
                    else ""
                )
                sys.stderr.write(f"{name} {n}: {r.seconds:.1f} s, peak {r.peak_mb:.0f} MB{detail}\n")
            if args.serve:
                serve_rows += measure_previews(workdir, projects, n)
        finally:
            if args.keep:
                sys.stderr.write(f"kept {workdir}\n")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    if rows or serve_rows or search_rows:
        text = report(rows) if rows else ""
        if search_rows:
            from .search import search_table, search_verdict

            text += ("\n" if text else "") + search_table(search_rows) + "\n\n" + search_verdict(search_rows) + "\n"
        if serve_rows:
            from .serve import serve_table, serve_verdict

            text += "\n" + serve_table(serve_rows) + "\n\n" + serve_verdict(serve_rows) + "\n"
        print(text, end="")
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
    return 0


def run_pdf(args: argparse.Namespace) -> int:
    """`--pdf`: make the 20-page PDF, time its import, print the table."""
    from .pdf import measure_pdf, pdf_table

    workdir = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        text = pdf_table(measure_pdf(workdir))
    finally:
        if args.keep:
            sys.stderr.write(f"kept {workdir}\n")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(text, end="")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0
