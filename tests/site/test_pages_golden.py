"""Golden tests of the generated Markdown project pages of the five seeds, built by the one site build
(publish/site.py) that the MkDocs plugin publishes and `generate --out` writes.

Regenerate the golden files after an intended change with

    UPDATE_GOLDEN=1 python3 -m pytest tests/site/test_pages_golden.py

and review the diff of tests/golden/pages/ before committing it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.core.decimals import fmt
from generator.core.pipeline import run
from generator.core.scoring import Node
from generator.publish.memory import build_in_memory
from generator.publish.site import SiteRequest
from generator.render.project import SiteOptions

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "pages"
TODAY = dt.date(2025, 1, 1)
SEEDS = {
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
TOTALS = {  # slug → (published total, maximum) as shown in the 合计 row; caidian is not scored
    "suzhou-egov-construction": ("80", "80"),
    "bayannur-treasury-epay": ("80", "100"),
    "dapeng-treasury-funds": ("96.5", "100"),
    "fumin-finance-platforms": ("95.4", "100"),
}


@pytest.fixture(scope="module")
def site():
    """(evaluations by slug, pages by path) from the shipped records, with a fixed build date.

    Run from the repository root with the relative path "projects", as the MkDocs plugin does, so
    that file names inside messages read projects/<year>/<slug>.toml on any machine.
    """
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = run(["projects"])
        _, pages = build_in_memory(SiteRequest("projects", SiteOptions(), TODAY, workers=1))
    finally:
        os.chdir(cwd)
    evs = {ev.record.slug: ev for ev in result.evaluations}
    return evs, {path: p.content for path, p in pages.items()}


def page_of(site, slug: str) -> str:
    pages = site[1]
    path = f"projects/{SEEDS[slug]}/{slug}.md"
    assert path in pages, sorted(pages)
    return pages[path]


def test_all_seeds_are_published(site):
    evs, pages = site
    assert set(evs) == set(SEEDS)
    assert {p for p in pages if re.fullmatch(r"projects/\d{4}/[^/]+\.md", p)} == {
        f"projects/{y}/{s}.md" for s, y in SEEDS.items()
    }


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_project_page_matches_golden(site, slug):
    content = page_of(site, slug)
    golden = GOLDEN / f"{slug}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(content, encoding="utf-8", newline="\n")
        return
    assert golden.is_file(), (
        f"{golden} is missing: run UPDATE_GOLDEN=1 python3 -m pytest {Path(__file__).relative_to(ROOT)}"
    )
    expected = golden.read_text(encoding="utf-8")
    if content != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), content.splitlines(True), f"golden/{slug}.md", f"generated/{slug}.md", n=2
            )
        )
        lines = diff.splitlines(True)
        pytest.fail(
            f"{slug}: generated page differs from the golden file ({len(lines)} diff lines; "
            f"UPDATE_GOLDEN=1 regenerates):\n" + "".join(lines[:120])
        )


def test_generate_out_writes_the_golden_pages(tmp_path):
    """`python -m generator generate --out` writes the very pages the golden files hold."""
    import subprocess
    import sys

    epoch = str(int(dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=dt.timezone.utc).timestamp()))
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--out", str(out), "projects"],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    for slug, year in SEEDS.items():
        written = (out / "projects" / str(year) / f"{slug}.md").read_text(encoding="utf-8")
        assert written == (GOLDEN / f"{slug}.md").read_text(encoding="utf-8"), slug


# ---------------------------------------------------------------- structure, independent of the golden files


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_level1_names_span_their_rows(site, slug):
    evs, _ = site
    content = page_of(site, slug)
    groups = [n for n in evs[slug].roots if isinstance(n, Node)]
    assert groups
    for node in groups:
        leaves = len(node.leaves())
        cell = re.search(
            rf'<th scope="rowgroup" rowspan="(\d+)" class="pd-level pd-level-1">{re.escape(html.escape(node.name))}[<]',
            content,
        )
        assert cell, f"{slug}: no level-1 cell for {node.name}"
        assert int(cell.group(1)) == leaves, (node.name, cell.group(1), leaves)
    # Every body row of the indicator table is one leaf; the spans of the level-1 cells add up to the rows
    # of the grouped leaves.
    table = re.search(r'<table class="pd-indicators[^"]*">.*?</table>', content, re.S).group(0)
    body_rows = re.findall(r"<tr(?: [^>]*)?>\s*(?:<th scope=\"rowgroup\"|<td class=\"pd-leaf\")", table)
    assert len(body_rows) == len(evs[slug].leaves)
    spans = sum(int(n) for n in re.findall(r'rowspan="(\d+)" class="pd-level pd-level-1"', table))
    assert spans == sum(len(n.leaves()) for n in groups)


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_total_row(site, slug):
    content = page_of(site, slug)
    table = re.search(r'<table class="pd-indicators[^"]*">.*?</table>', content, re.S).group(0)
    rows = re.findall(r'<tr class="pd-total-row">.*?</tr>', table, re.S)
    if slug not in TOTALS:
        assert rows == [] and "pd-unscored-table" in table  # not scored: no 合计 of scores
        return
    total, maximum = TOTALS[slug]
    assert len(rows) == 1
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rows[0])
    assert cells[:3] == ["合计", maximum, total], cells
    evs, _ = site
    r = evs[slug].record
    assert fmt(r.total) == total and fmt(evs[slug].max_score) == maximum
    assert f'data-total="{total}"' in content  # and the same total at the top of the page


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_narrative_headings_present(site, slug):
    evs, _ = site
    content = page_of(site, slug)
    narrative = evs[slug].record.narrative
    headings = re.findall(r"^(#{1,6})\s+(.+?)\s*#*\s*$", narrative, re.M)
    assert headings, f"{slug}: the narrative has no headings?"
    body = content.split("## 评价报告", 1)[1]
    for hashes, text in headings:
        level = max(3, min(6, len(hashes) + 1))  # the page owns h1/h2: narrative ## → h3
        assert f"<h{level}>{html.escape(text, quote=False)}</h{level}>" in body, (slug, hashes, text)
    assert content.count("## 评价报告") == 1


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_no_raw_markup_or_template_code_from_record_text(site, slug):
    content = page_of(site, slug)
    assert "<script" not in content.lower()
    assert "{{" not in content and "{%" not in content
    assert content.startswith("---\ntitle: ")


def test_review_scores_where_computed_differs(site):
    fumin = page_of(site, "fumin-finance-platforms")
    row = re.search(
        r'<tr data-differs="1">(?:(?!</tr>).)*?<td class="pd-leaf">服务对象满意度</td>.*?</tr>', fumin, re.S
    )
    assert row, "fumin: 服务对象满意度 is not marked as differing"
    assert re.search(r'pd-score-cell">9\.4</td>', row.group(0))
    assert re.search(r'pd-review-cell"><strong>10</strong>', row.group(0))
    suzhou = page_of(site, "suzhou-egov-construction")
    row = re.search(r'<tr data-differs="1">(?:(?!</tr>).)*?<td class="pd-leaf">预算执行率</td>.*?</tr>', suzhou, re.S)
    assert row and re.search(r'pd-review-cell"><strong>3\.9</strong>', row.group(0))
    dapeng = page_of(site, "dapeng-treasury-funds")
    assert (
        "data-differs" not in dapeng and "复核得分" not in dapeng.split("## 绩效指标完成情况", 1)[1].split("## ", 1)[0]
    )
    assert Decimal("96.5") == site[0]["dapeng-treasury-funds"].record.total


def test_no_html_block_is_cut_by_a_blank_line(site):
    """Every page is Markdown text and whole HTML blocks separated by blank lines, as any Markdown engine
    (and render/lift.py) reads it: a blank line inside an HTML fragment would leave its rest as text."""
    _, pages = site
    for path, content in pages.items():
        for block in content.split("\n\n"):
            if not block.startswith("<"):
                assert not re.search(
                    r"^\s*</?(?:table|thead|tbody|tr|td|th|div|ul|ol|li|pre|code|svg|figure|p)\b", block, re.M
                ), (path, block[:200])


@pytest.mark.parametrize("slug", sorted(TOTALS))
def test_scheme_line_agrees_with_the_table(site, slug):
    """The 评分方案 line names the level-1 parts and points of the record's own table, never the scheme's template."""
    evs, _ = site
    line = re.search(r"<th>评分方案</th><td>[^<]*本表一级指标：([^）]*)）", page_of(site, slug))
    assert line, slug
    shown = [tuple(part.rsplit(" ", 1)) for part in line.group(1).split(" / ")]
    roots = evs[slug].roots
    expected = [(n.name if isinstance(n, Node) else n.indicator.name, fmt(n.weight)) for n in roots]
    assert shown == expected
