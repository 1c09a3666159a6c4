"""Across years in the built site: the 逐年对比 page, the 关注清单 and a department's averages in a real browser, and
`generate --out` writing them. Built once (mkdocs build --strict) from the seeds, the draft and future fixtures and
tests/site/fixtures/years (fixture-hotline in 2022 and 2023, a 2024 draft and a 2025 record embargoed until 2099)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
from playwright.sync_api import Page, expect  # noqa: E402

COMPARE = "projects/compare/fixture-hotline/"
DEPARTMENT = "departments/样例市政务服务管理局/"
WITHHELD = [
    "逐年草稿专用短语青鸾",
    "qingluandraftmarker",
    "逐年未公开专用短语白泽",
    "baizefuturemarker",
    "青鸾",
    "白泽",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the test output clean
        pass


@pytest.fixture(scope="module")
def years_site(tmp_path_factory, site_tools):
    base = tmp_path_factory.mktemp("across-years")
    records = site_tools.copy_records(base / "projects", fixtures=("projects", "years"))
    proc, root = site_tools.build_records(base, records, strict=True)
    assert proc.returncode == 0, f"mkdocs build failed ({proc.returncode}):\n{proc.log[-4000:]}"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="years-site", daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(root=root, records=records, url=f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _open(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    assert page.goto(url).status == 200, url
    page.wait_for_load_state("load")
    return context, page


def _overflow(page: Page) -> dict:
    return page.evaluate(
        """() => ({page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                   tables: [...document.querySelectorAll('.pd-table-wrap')].map(w => ({
                       cls: w.querySelector('table').className, over: w.scrollWidth - w.clientWidth,
                       cue: w.classList.contains('pd-scrolls') ? getComputedStyle(w, '::before').content : ''}))})"""
    )


@pytest.mark.parametrize("path", [COMPARE, "watchlist/", DEPARTMENT])
def test_tables_fit_a_desktop_screen(browser, years_site, path: str):
    """At 1280 px the comparison (two years side by side), the watch list and the department's averages fit."""
    context, page = _open(browser, years_site.url + path, 1280)
    try:
        sizes = _overflow(page)
        assert sizes["page"] <= 0 and sizes["tables"], sizes
        assert all(t["over"] <= 1 for t in sizes["tables"]), sizes
    finally:
        context.close()


def test_comparison_scrolls_in_its_frame_on_a_phone(browser, years_site):
    """At 375 px the page itself does not scroll sideways; the wide comparison scrolls inside its frame, says so
    and takes the keyboard."""
    context, page = _open(browser, years_site.url + COMPARE, 375)
    try:
        sizes = _overflow(page)
        assert sizes["page"] <= 0, sizes
        wide = [t for t in sizes["tables"] if "pd-compare-indicators" in t["cls"]]
        assert wide and wide[0]["over"] > 0 and "左右滑动" in wide[0]["cue"], sizes
        wrap = page.locator(".pd-table-wrap:has(.pd-compare-indicators)")
        assert wrap.get_attribute("tabindex") == "0"
    finally:
        context.close()


def test_from_a_year_to_the_comparison_and_on_to_the_other_year(page: Page, years_site):
    page.goto(years_site.url + "projects/2022/hotline-operation/")
    page.get_by_role("link", name="各年度指标和得分逐年对比").click()
    expect(page).to_have_url(years_site.url + COMPARE)
    expect(page.locator("h1")).to_have_text("政务服务便民热线运行经费：逐年对比")
    expect(page.locator(".pd-cmp-notice")).to_contain_text("“产出指标” 50 分 → 40 分")
    row = page.locator(".pd-compare-indicators tbody tr", has_text="热线接听量")
    expect(row.locator("td")).to_have_text(["≥30 万件", "24 万件", "16 / 20", "≥30 万件", "31 万件", "15 / 15"])
    page.get_by_role("link", name="2023 年度评价结果").click()
    expect(page).to_have_url(years_site.url + "projects/2023/hotline-operation/")


def test_watch_list_links_lead_to_published_pages(page: Page, years_site):
    page.goto(years_site.url + "projects/")
    page.locator(".pd-see-also").get_by_role("link", name="关注清单").click()
    expect(page).to_have_url(years_site.url + "watchlist/")
    hrefs = page.eval_on_selector_all(".pd-watch tbody a", "as => as.map(a => a.href)")
    assert any(h.endswith("/projects/2022/hotline-operation/") for h in hrefs), hrefs
    for href in sorted(set(hrefs)):
        assert page.request.get(href).status == 200, href


def test_department_page_shows_averages_by_year(page: Page, years_site):
    page.goto(years_site.url + DEPARTMENT)
    rows = page.locator("table.pd-by-year tbody tr")
    expect(rows).to_have_count(2)  # 2023 and 2022: the 2024 draft and the 2025 embargoed record do not count
    expect(rows.nth(0).locator("th")).to_have_text("2023")
    expect(rows.nth(0).locator("td").nth(1)).to_contain_text("计入 1 个")
    expect(rows.nth(0).locator("td").nth(2)).to_contain_text("计入 2 个")


def test_withheld_years_are_in_no_file_of_the_site(years_site, site_tools):
    found = site_tools.files_containing(years_site.root, WITHHELD)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    control = site_tools.files_containing(years_site.root, ["工单转办时限"])  # only in the published 2023 record
    assert "projects/compare/fixture-hotline/index.html" in control["工单转办时限"], control
    assert (years_site.records / "2024" / "hotline-operation.toml").is_file()
    assert (years_site.records / "2025" / "hotline-operation.toml").is_file()


def test_generate_writes_the_new_pages_the_same_each_time(tmp_path, site_tools):
    records = site_tools.copy_records(tmp_path / "projects", fixtures=("projects", "years"))
    outputs = []
    for name in ("one", "two"):
        proc = site_tools.generate(records, tmp_path / name)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        outputs.append(tmp_path / name)
    for path in ("projects/compare/fixture-hotline.md", "projects/compare/index.md", "watchlist.md"):
        first, second = (out / path for out in outputs)
        assert first.is_file(), path
        assert first.read_bytes() == second.read_bytes(), path


def test_screenshots(browser, years_site, shots_dir):
    for width, height in ((1280, 900), (375, 812)):
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            for name, path in (("compare", COMPARE), ("watchlist", "watchlist/"), ("department", DEPARTMENT)):
                page.goto(years_site.url + path)
                page.wait_for_load_state("load")
                page.screenshot(path=str(shots_dir / f"across-years-{name}-{width}.png"), full_page=True)
            page.goto(years_site.url + "projects/2022/hotline-operation/")
            page.locator("#其他年度").scroll_into_view_if_needed()
            page.screenshot(path=str(shots_dir / f"across-years-other-years-{width}.png"))
        finally:
            context.close()
