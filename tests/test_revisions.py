"""Revisions (issue 13, history): a record's [[revisions]] — the changes made after its first publication — are
checked against its publish_date, the build date and each other, and its page shows 发布日期, 更新日期 and a
修订记录 table; its JSON download carries them. Everything comes from the record itself."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from generator.core import diagnostics as dg
from generator.core.loader import load_file
from generator.core.pipeline import run
from generator.core.revisions import update_date
from generator.publish.memory import MemorySink
from generator.publish.site import SiteRequest, build_site
from generator.render.project import SiteOptions
from tests.test_public_findings import editor_words, visible_text

BUILD_DAY = "1735689600"  # SOURCE_DATE_EPOCH: 2025-01-01, the day the checks and builds below are as of

BODY = """publish_date = "2024-06-30"
total = 10

[[indicator]]
path = ["产出"]
name = "系统故障率"
target = "≤1%"
actual = "0.5%"
weight = 10
score = 10

[[revisions]]
date = 2024-08-15
note = "更正：指标“系统故障率”的公布得分由 8 分更正为 10 分（录入时抄错）"
fields = ["指标“系统故障率”得分"]

[[revisions]]
date = "2024-09-01"
note = "补充：评价报告正文第二节（原文漏录）"
"""

UNREVISED = BODY.split("[[revisions]]")[0]
REVISION_CODES = {"E401", "E402", "W403", "W404", "W405"}


@pytest.fixture(autouse=True)
def build_day(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)


def _diags(tmp_path, write_record, record_head, body: str = BODY) -> tuple[list[dg.Diagnostic], str]:
    path = write_record(tmp_path, record_head + body)
    return run([str(path.parent.parent)]).diagnostics, record_head + body


def _line(text: str, needle: str, nth: int = 0) -> int:
    return [i for i, ln in enumerate(text.split("\n"), start=1) if ln.startswith(needle)][nth]


# ---------------------------------------------------------------------------- the format


def test_revisions_load_with_their_dates_notes_and_fields(tmp_path, write_record, record_head):
    record, found = load_file(str(write_record(tmp_path, record_head + BODY)))
    assert record is not None and not dg.has_errors(found)
    assert [(r.date, r.fields) for r in record.revisions] == [
        ("2024-08-15", ["指标“系统故障率”得分"]),  # a TOML date and a quoted one read alike
        ("2024-09-01", []),
    ]
    assert record.revisions[0].note.startswith("更正：指标“系统故障率”的公布得分由 8 分")
    assert update_date(record) == "2024-09-01"


def test_a_record_without_revisions_has_no_update_date(tmp_path, write_record, record_head):
    record, _ = load_file(str(write_record(tmp_path, record_head + 'publish_date = "2024-06-30"\n')))
    assert record is not None and record.revisions == [] and update_date(record) is None


def test_well_formed_revisions_raise_nothing(tmp_path, write_record, record_head):
    diags, _ = _diags(tmp_path, write_record, record_head)
    assert [d for d in diags if d.code in REVISION_CODES or d.code == "E101"] == []


# (what to change in BODY, the code, and the line it points at: the revision whose date is wrong)
PROBLEMS = [
    pytest.param(("date = 2024-08-15", "date = 2024-06-29"), "E401", 0, id="before first publication"),
    pytest.param(('date = "2024-09-01"', 'date = "2025-01-02"'), "E402", 1, id="after the build date"),
    pytest.param(("date = 2024-08-15", "date = 2024-10-15"), "W403", 1, id="out of order"),
    pytest.param(('date = "2024-09-01"', 'date = "2024-09"'), "W404", 1, id="a month, not a day"),
]


@pytest.mark.parametrize("change, code, nth", PROBLEMS)
def test_each_date_problem_has_its_code_at_the_date(tmp_path, write_record, record_head, change, code, nth):
    diags, text = _diags(tmp_path, write_record, record_head, BODY.replace(*change))
    [found] = [d for d in diags if d.code in REVISION_CODES]
    assert found.code == code and found.line == _line(text, "date =", nth + 1)  # the first is the evaluation date
    assert found.severity is (dg.Severity.ERROR if code.startswith("E") else dg.Severity.WARNING)
    assert re.search(r"\d{4}-\d{2}", found.message)  # names the date it means


def test_errors_are_only_dates_that_would_publish_something_false():
    """A date before first publication or after today would show a false date on the page: errors. The rest are
    editors' warnings, never shown to the public."""
    for code in REVISION_CODES | {"W406", "W407", "I408"}:
        info = dg.CODES[code]
        if code in ("E401", "E402"):
            assert info.severity is dg.Severity.ERROR and info.listing is None
        else:
            assert info.severity is not dg.Severity.ERROR and info.listing is dg.Listing.EDITORS


def test_the_build_date_is_the_sites(tmp_path, write_record, record_head, monkeypatch):
    """A revision dated after SOURCE_DATE_EPOCH's day is an error; once that day comes, it is not."""
    body = BODY.replace('date = "2024-09-01"', 'date = "2025-01-02"')
    assert "E402" in {d.code for d in _diags(tmp_path, write_record, record_head, body)[0]}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_DAY) + 86400))  # 2025-01-02
    assert "E402" not in {d.code for d in _diags(tmp_path, write_record, record_head, body)[0]}


def test_revisions_without_a_publish_date(tmp_path, write_record, record_head):
    diags, text = _diags(tmp_path, write_record, record_head, BODY.replace('publish_date = "2024-06-30"\n', ""))
    [w405] = [d for d in diags if d.code in REVISION_CODES]
    assert w405.code == "W405" and w405.line == _line(text, "[[revisions]]")


@pytest.mark.parametrize("note", ['note = ""', 'note = "   "', None], ids=["empty", "blank", "missing"])
def test_a_revision_needs_a_note(tmp_path, write_record, record_head, note):
    old = 'note = "补充：评价报告正文第二节（原文漏录）"'
    body = BODY.replace(old, note) if note else BODY.replace(old + "\n", "")
    diags, _ = _diags(tmp_path, write_record, record_head, body)
    [e101] = [d for d in diags if d.code == "E101"]
    assert "note" in e101.message and e101.severity is dg.Severity.ERROR


# ---------------------------------------------------------------------------- the page and the downloads


def _build(tmp_path, write_record, text: str):
    """(pages by path, assets by path, the build) of one record, as the site build publishes them."""
    path = write_record(tmp_path, text)
    sink = MemorySink()
    build = build_site(SiteRequest(str(path.parent.parent), SiteOptions(), dt.date(2025, 1, 1), workers=1), sink)
    for page in build.finish():
        sink.page(page)
    assets = {**sink.assets, **{a.path: a for a in build.index.data_files()}}
    return {p: page.content for p, page in sink.pages.items()}, assets, build


@pytest.fixture
def built(tmp_path, write_record, record_head):
    return _build(tmp_path, write_record, record_head + BODY)


def _section(page: str, heading: str) -> str:
    return page.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def test_page_shows_publication_update_and_revisions(built):
    page = built[0]["projects/2021/x.md"]
    front = page.split("\n---\n", 1)[0]
    assert "publish_date: 2024-06-30" in front.replace("'", "").replace('"', "")
    assert "update_date: 2024-09-01" in front.replace("'", "").replace('"', "")
    facts = re.findall(r"<tr><th>(发布日期|更新日期)</th><td>([^<]*)</td></tr>", page)
    assert facts == [("发布日期", "2024-06-30"), ("更新日期", "2024-09-01（见修订记录）")]
    section = _section(page, "修订记录")
    assert "本页于 2024-06-30 首次发布" in section and "共 2 次" in section
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", section)
    assert rows == [
        ("2024-08-15", "更正：指标“系统故障率”的公布得分由 8 分更正为 10 分（录入时抄错）", "指标“系统故障率”得分"),
        ("2024-09-01", "补充：评价报告正文第二节（原文漏录）", ""),
    ]
    # near the top: right after the facts, before the figures
    assert page.index("## 修订记录") < page.index("## 绩效指标完成情况")


def test_revision_notes_are_escaped_and_carry_no_editor_words(tmp_path, write_record, record_head):
    body = BODY.replace("（原文漏录）", "<script>x</script>（原文漏录）")
    page = _build(tmp_path, write_record, record_head + body)[0]["projects/2021/x.md"]
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert editor_words(visible_text(_section(page, "修订记录"))) == []


def test_json_download_carries_the_revisions(built):
    _, assets, _ = built
    own = json.loads(assets["downloads/2021/x.json"].content)
    [whole] = json.loads(assets["data/projects.json"].content)["projects"]
    for project in (own, whole):
        assert project["publish_date"] == "2024-06-30" and project["update_date"] == "2024-09-01"
        assert project["revisions"] == [
            {
                "date": "2024-08-15",
                "note": "更正：指标“系统故障率”的公布得分由 8 分更正为 10 分（录入时抄错）",
                "fields": ["指标“系统故障率”得分"],
            },
            {"date": "2024-09-01", "note": "补充：评价报告正文第二节（原文漏录）", "fields": []},
        ]


def test_summary_keeps_the_update_date(tmp_path, write_record, record_head):
    from generator.render.summary import summarize

    [ev] = run([str(write_record(tmp_path, record_head + BODY).parent.parent)]).evaluations
    summary = summarize(ev)
    assert (summary.publish_date, summary.update_date) == ("2024-06-30", "2024-09-01")


def test_a_record_without_revisions_has_no_section(tmp_path, write_record, record_head):
    pages, assets, _ = _build(tmp_path, write_record, record_head + UNREVISED)
    page = pages["projects/2021/x.md"]
    assert "修订记录" not in page and "更新日期" not in page
    assert "<tr><th>发布日期</th><td>2024-06-30</td></tr>" in page
    report = json.loads(assets["downloads/2021/x.json"].content)
    assert report["revisions"] == [] and report["update_date"] is None


def test_a_revision_before_first_publication_withholds_the_record(tmp_path, write_record, record_head):
    pages, _, build = _build(
        tmp_path, write_record, record_head + BODY.replace("date = 2024-08-15", "date = 2024-06-29")
    )
    assert "projects/2021/x.md" not in pages and build.withheld == 1


def test_generate_out_pages_carry_the_dates(tmp_path, write_record, record_head, run_cli):
    path = write_record(tmp_path, record_head + BODY)
    out = tmp_path / "out"
    proc = run_cli("generate", str(path.parent.parent), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = next(out.rglob("x.md")).read_text(encoding="utf-8")
    assert "<tr><th>更新日期</th><td>2024-09-01（见修订记录）</td></tr>" in page and "## 修订记录" in page
