"""A revised record on the built site (issue 13, history): the 信息公开 header shows 发布日期 and 更新日期, the page
lists its 修订记录 near the top, and both read well in a browser at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest

SLUG, YEAR = "caidian-jincai", 2021
REVISIONS = """
[[revisions]]
date = 2024-08-15
note = "更正：“其中”财政拨款的执行数由 176.23 万元更正为 167.23 万元（录入时抄错，已与原文核对）"
fields = ["资金来源“财政拨款”的全年执行数"]

[[revisions]]
date = 2024-11-20
note = "补充：评价报告正文“四、存在问题”一节（原文漏录）"
"""


@pytest.fixture(scope="module")
def revised_site(tmp_path_factory, site_tools):
    """The seeds, one of them published on 2024-06-30 and revised twice since, built with --strict."""
    base = tmp_path_factory.mktemp("revised")
    records = site_tools.copy_records(base / "projects", fixtures=())
    record = records / str(YEAR) / f"{SLUG}.toml"
    text = record.read_text(encoding="utf-8")
    text = text.replace('status = "published"\n', 'status = "published"\npublish_date = "2024-06-30"\n', 1)
    record.write_text(text + REVISIONS, encoding="utf-8")
    proc, site = site_tools.build_records(base, records, strict=True)
    assert proc.returncode == 0, proc.log[-4000:]
    return SimpleNamespace(root=site, page=site / "projects" / str(YEAR) / SLUG / "index.html")


def _doc(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def test_header_shows_publication_and_update_dates(revised_site):
    rows = _doc(revised_site.page).xpath("//div[@class='pd-record-info']//dl/div")
    header = {r.xpath("dt")[0].text_content(): r.xpath("dd")[0].text_content() for r in rows}
    assert header["发布日期"] == "2024-06-30" and header["更新日期"] == "2024-11-20"
    assert list(header).index("发布日期") + 1 == list(header).index("更新日期")


def test_revision_table_near_the_top(revised_site):
    doc = _doc(revised_site.page)
    headings = [h.text_content().strip() for h in doc.xpath("//article//h2")]
    assert headings.index("修订记录") < headings.index("预算执行情况")
    table = doc.xpath("//table[@class='pd-revisions']")[0]
    assert [th.text_content() for th in table.xpath(".//th")] == ["修订日期", "修订说明", "涉及数据"]
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]
    assert [r[0] for r in rows] == ["2024-08-15", "2024-11-20"]
    assert rows[0][2] == "资金来源“财政拨款”的全年执行数" and rows[1][2] == ""
    intro = doc.xpath("//p[@class='pd-revisions-intro']")[0].text_content()
    assert intro == "本页于 2024-06-30 首次发布，此后作了以下修订（共 2 次）。"


def test_unrevised_pages_are_as_before(revised_site):
    other = _doc(revised_site.root / "projects" / "2021" / "dapeng-treasury-funds" / "index.html")
    assert not other.xpath("//table[@class='pd-revisions']")
    assert "更新日期" not in other.text_content()


pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")


@pytest.fixture(scope="module")
def revised_url(revised_site):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(revised_site.root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/projects/{YEAR}/{SLUG}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("width", [1280, 375])
def test_revisions_in_a_browser(page, revised_url, width, site_tools):
    page.set_viewport_size({"width": width, "height": 1100})
    page.goto(revised_url)
    header = page.locator(".pd-record-info")
    assert "更新日期" in header.inner_text() and header.is_visible()
    table = page.locator("table.pd-revisions")
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    # the date column keeps a date on one line; the page itself never scrolls sideways
    lines = page.evaluate(
        """() => [...document.querySelectorAll('table.pd-revisions tbody tr td:first-child')].map(td => {
             const range = document.createRange(); range.selectNodeContents(td);
             return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })"""
    )
    assert lines == [1, 1]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shots = Path("/tmp/site-shots")
    shots.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"revisions-{width}.png"))  # the top of the page: header, facts, revisions
