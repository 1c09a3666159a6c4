"""The site published under a sub-path of its host (site_url https://czj.example.gov.cn/czj/jxpj/), as on a provincial
集约化 platform: served from 127.0.0.1 under /czj/jxpj/ only (anything else is a 404), in Debian's Chromium.

Every request a page makes (styles, scripts, the search index, images, links followed) must stay under the prefix
and succeed; search, a project page and the projects table's filters work.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
from playwright.sync_api import Page, expect  # noqa: E402

PREFIX = "/czj/jxpj/"


@pytest.fixture(scope="module")
def subpath_url(portal_site, portal_tools):
    server, thread, url = portal_tools.serve_under(portal_site.root, PREFIX)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def watched(page: Page, subpath_url: str):
    """The page, with every request that left the prefix or failed collected in `problems`."""
    problems: list[str] = []
    host = subpath_url[: subpath_url.index(PREFIX)]

    def on_request(request):
        if request.url.startswith(host) and not request.url.startswith(subpath_url):
            problems.append(f"outside the sub-path: {request.url}")
        elif not request.url.startswith((subpath_url, "data:", "about:")):
            problems.append(f"another host: {request.url}")

    page.on("request", on_request)
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    # a request cut short because the test moved on to the next page (net::ERR_ABORTED) did not fail
    page.on(
        "requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "") else problems.append(f"failed: {r.url}")
    )
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return page, problems


def test_search_and_a_project_page_under_a_sub_path(watched, subpath_url, shots_dir):
    page, problems = watched
    page.goto(subpath_url)
    expect(page.locator("h1").first).to_have_text("项目支出绩效评价信息公开")
    box = page.locator("[data-pd-search-input]")
    box.click()
    box.press_sequentially("容灾")  # in the caidian narrative only
    expect(page.locator("[data-pd-search-meta]")).to_have_text(re.compile(r"^找到 1 个结果"), timeout=15_000)
    link = page.locator("[data-pd-search-results] a").first
    assert link.get_attribute("href").startswith(subpath_url)
    link.click()
    expect(page).to_have_url(f"{subpath_url}projects/2021/caidian-jincai/?h=%E5%AE%B9%E7%81%BE")  # ?h=容灾: marked
    expect(page.locator("article mark.pd-hl").first).to_have_text("容灾")
    expect(page.locator("h1").first).to_have_text("2021年度蔡甸区财政局金财工程")
    expect(page.locator(".pd-record-info")).to_contain_text("11110000MB0000000U/2021-00003")
    footer = page.locator("footer .pd-portal")
    expect(footer).to_contain_text("网站标识码：3406000012")
    expect(footer.locator("img")).to_have_js_property("naturalWidth", 55)  # the 党政机关 mark, served from the site
    page.screenshot(path=str(shots_dir / "subpath-project.png"), full_page=True)
    assert problems == []


def test_projects_table_and_links_under_a_sub_path(watched, subpath_url):
    page, problems = watched
    page.goto(subpath_url)
    page.get_by_role("link", name="查看全部项目").click()
    expect(page).to_have_url(f"{subpath_url}projects/")
    filters = page.locator("form[data-pd-filters]")
    expect(filters).to_be_visible()  # pd-table.js ran
    filters.locator("select[name=year]").select_option("2021")
    expect(page.locator("table[data-pd-table] tbody tr:not([hidden])")).to_have_count(3)
    expect(page).to_have_url(f"{subpath_url}projects/?year=2021")
    page.locator("table[data-pd-table] tbody tr:not([hidden]) a").first.click()
    expect(page).to_have_url(re.compile(re.escape(subpath_url) + r"projects/2021/[a-z-]+/$"))
    page.go_back()
    page.goto(f"{subpath_url}data/")
    with page.expect_download() as download:
        page.get_by_role("link", name="全部项目汇总（CSV）").click()
    assert download.value.url == f"{subpath_url}data/projects.csv"
    assert problems == []
