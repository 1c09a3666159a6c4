"""The benchmark's printed output: Markdown tables of the rows and a verdict against each target (the
preview's table is in serve.py, imported only when --serve asks for it)."""

from __future__ import annotations

from .row import BUILD_KINDS, Row
from .site import SITE_TARGET_FIRST_SEARCH_KB, SITE_TARGET_N, SITE_TARGET_PEAK_MB, SITE_TARGET_SECONDS
from .validate import TARGET_MS_PER_RECORD, TARGET_PEAK_MB

BUSY_SHARE = 0.2  # other processes using more CPU than this share of a build's wall time are reported (busy machine)
SITE_COLUMNS = ["kind", "N", "wall s", "peak MB", "site MB", "first-search KB", "ms / project", "CPU s"]


def table(rows: list[Row]) -> str:
    """The Markdown table of the validate rows."""
    lines = [
        "| measurement | records | total s | ms / record | CPU s | peak MB | diagnostics |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.measurement in BUILD_KINDS:
            continue
        lines.append(
            f"| {r.measurement} | {r.records} | {r.seconds:.2f} | {r.ms_per_record:.3f} | {r.cpu_seconds:.2f} | {r.peak_mb:.0f} | {r.diagnostics} |"
        )
    return "\n".join(lines)


def site_table(rows: list[Row]) -> str:
    """The Markdown table of the site builds (site and bare-material rows)."""
    lines = ["| " + " | ".join(SITE_COLUMNS) + " |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.measurement not in BUILD_KINDS:
            continue
        x = r.extra
        if x.get("ok"):
            cells = [
                f"{r.seconds:.1f}",
                f"{r.peak_mb:.0f}",
                f"{x['site_mb']:.1f}",
                f"{x['first_search_kb']:.1f}",
                f"{r.ms_per_record:.1f}",
                f"{r.cpu_seconds:.1f}",
            ]
        else:
            why = "timed out" if x.get("timed_out") else f"exit {x.get('returncode')}"
            cells = [f"FAILED ({why}) after {r.seconds:.1f}", f"{r.peak_mb:.0f}", "–", "–", "–", f"{r.cpu_seconds:.1f}"]
        lines.append(f"| {r.measurement} | {r.records} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(rows: list[Row]) -> str:
    """Whether every validate row meets its targets (ms per record, peak memory)."""
    bad = [
        r
        for r in rows
        if r.measurement == "validate" and (r.ms_per_record > TARGET_MS_PER_RECORD or r.peak_mb > TARGET_PEAK_MB)
    ]
    target = f"target: ≤ {TARGET_MS_PER_RECORD:g} ms per record, peak < {TARGET_PEAK_MB:g} MB"
    return f"{target} — " + ("met" if not bad else "MISSED for " + ", ".join(str(r.records) for r in bad))


def site_verdict(rows: list[Row]) -> str:
    """Whether the site meets its targets: at 10,000 projects ≤ 90 s and ≤ 1024 MB (2 cores), the first
    search ≤ 300 KB at every N; and how time and size grow with N."""
    site = sorted((r for r in rows if r.measurement == "site"), key=lambda r: r.records)
    if not site:
        return ""
    out = [
        f"site targets: {SITE_TARGET_N:,} projects in ≤ {SITE_TARGET_SECONDS:g} s and ≤ {SITE_TARGET_PEAK_MB:g} MB; "
        f"first search ≤ {SITE_TARGET_FIRST_SEARCH_KB:g} KB"
    ]
    failed = [r for r in site if not r.extra.get("ok")]
    if failed:
        out.append("- build FAILED for N = " + ", ".join(str(r.records) for r in failed) + " (log tail above)")
    ok = [r for r in site if r.extra.get("ok")]
    at_target = [r for r in ok if r.records == SITE_TARGET_N]
    if at_target:
        r = at_target[0]
        misses = ([f"{r.seconds:.0f} s > {SITE_TARGET_SECONDS:g} s"] if r.seconds > SITE_TARGET_SECONDS else []) + (
            [f"{r.peak_mb:.0f} MB > {SITE_TARGET_PEAK_MB:g} MB"] if r.peak_mb > SITE_TARGET_PEAK_MB else []
        )
        out.append(
            f"- {SITE_TARGET_N:,}: {r.seconds:.1f} s, {r.peak_mb:.0f} MB — "
            + ("met" if not misses else "MISSED: " + ", ".join(misses))
        )
    elif ok:
        r = ok[-1]
        if (
            len(ok) > 1 and r.records > ok[-2].records
        ):  # the marginal cost between the two largest N: fixed costs drop out
            a = ok[-2]
            slope = (r.seconds - a.seconds) / (r.records - a.records)
            how = f"{slope * 1000:.1f} ms per added project between {a.records:,} and {r.records:,}"
        else:
            slope = r.seconds / r.records
            how = f"{r.ms_per_record:.1f} ms per project at {r.records:,}"
        estimate = r.seconds + slope * (SITE_TARGET_N - r.records)
        out.append(
            f"- {SITE_TARGET_N:,}: not measured; {how}: ≈ {estimate:.0f} s at {SITE_TARGET_N:,} if linear "
            f"({'within' if estimate <= SITE_TARGET_SECONDS else 'over'} {SITE_TARGET_SECONDS:g} s); "
            f"peak {r.peak_mb:.0f} MB at {r.records:,}"
        )
    if ok:
        worst = max(ok, key=lambda r: r.extra["first_search_kb"])
        kb = worst.extra["first_search_kb"]
        out.append(
            f"- first search: worst {kb:.1f} KB (N = {worst.records:,}, query {worst.extra['first_search_query']}) — "
            + ("met" if kb <= SITE_TARGET_FIRST_SEARCH_KB else f"MISSED: > {SITE_TARGET_FIRST_SEARCH_KB:g} KB")
        )
    for a, b in zip(ok, ok[1:]):
        if a.records and a.seconds and a.extra["site_mb"]:
            k = b.records / a.records
            out.append(
                f"- growth {a.records:,} → {b.records:,} (N ×{k:g}): time ×{b.seconds / a.seconds:.1f}, "
                f"site size ×{b.extra['site_mb'] / a.extra['site_mb']:.1f}, peak memory ×{b.peak_mb / a.peak_mb:.1f}"
            )
    busy = [
        r
        for r in rows
        if r.measurement in BUILD_KINDS and (r.extra.get("other_cpu_seconds") or 0) > BUSY_SHARE * r.seconds
    ]
    if busy:
        out.append(
            "- machine busy: other processes used "
            + ", ".join(f"{r.extra['other_cpu_seconds']:.0f} CPU s during {r.measurement} {r.records:,}" for r in busy)
            + " — those wall times include waiting for a CPU; CPU s and peak MB much less so"
        )
    bare = {r.records: r for r in rows if r.measurement == "bare-material" and r.extra.get("ok")}
    for r in ok:
        if r.records in bare:
            b = bare[r.records]
            out.append(
                f"- vs bare Material at {r.records:,}: time ×{r.seconds / b.seconds:.2f}, peak ×{r.peak_mb / b.peak_mb:.2f}, "
                f"site ×{r.extra['site_mb'] / b.extra['site_mb']:.2f}, first search ×{r.extra['first_search_kb'] / b.extra['first_search_kb']:.3f}"
            )
    return "\n".join(out)


def report(rows: list[Row]) -> str:
    """The tables and verdicts of the rows, as printed."""
    parts = []
    if any(r.measurement not in BUILD_KINDS for r in rows):
        parts.append(table(rows) + "\n\n" + verdict(rows))
    if any(r.measurement in BUILD_KINDS for r in rows):
        parts.append(site_table(rows) + ("\n\n" + site_verdict(rows) if site_verdict(rows) else ""))
    return "\n\n".join(parts) + "\n"
