"""The site's navigation, dark scheme, navigation.instant, print and JavaScript-off, in a real browser.

Two sites: the session's (conftest.built_site: the shipped mkdocs.yml, tabs on) and, for this module, the seeds
built with what a publisher may add to it — Material's light/dark palette toggle and navigation.instant (which
needs site_url: Material follows only links its sitemap lists, so the site is built for the port it is served on).
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
from playwright.sync_api import Page, expect  # noqa: E402

SEEDS = {
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
PUBLIC_SECTIONS = ["首页", "全部项目", "按年度", "按部门", "方法说明", "数据下载"]
GUIDE = "编辑指南"
GUIDE_PAGES = ["录入记录", "字段说明", "评分规则", "等级方案", "诊断代码", "编辑器设置", "发布"]
PAGES = {  # name → (address, the section it marks as current)
    "home": ("", "首页"),
    "project": ("projects/2021/dapeng-treasury-funds/", "全部项目"),
    "guide": ("guide/fields/", GUIDE),
}
TABS = "nav.md-tabs"
SIDEBAR = ".md-sidebar--primary"
DRAWER_BUTTON = "label.md-header__button[for='__drawer']"
SEARCH_INPUT = "[data-pd-search-input]"
RESULTS = "[data-pd-search-results]"
META = "[data-pd-search-meta]"
HELP_OPTION = "[data-pd-search-help-option]"
PAPER_WIDTH = 703  # A4 (210 mm) less the 12 mm margins of pd.css's @page, in CSS pixels


def project_url(base: str, slug: str) -> str:
    return f"{base}projects/{SEEDS[slug]}/{slug}/"


def new_page(browser, width: int, **options) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    return context.new_page()


def visible_texts(page: Page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).filter(visible=True).all_inner_texts()]


def top_level(drawer) -> list[str]:
    """The labels of the top-level items of the navigation (a current page's first, the one that opens its
    contents, has the same label as its link)."""
    return drawer.locator(":scope > ul > li").evaluate_all(
        "lis => lis.map(li => li.querySelector(':scope > a, :scope > label, :scope > div').textContent.trim())"
    )


# ---------------------------------------------------------------- the second site: palette toggle, instant


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the test output clean
        pass


PUBLISHER_THEME = """\
  features: [navigation.tabs, navigation.instant, navigation.top, navigation.indexes, toc.follow]
  palette:
    - scheme: default
      primary: blue grey
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: 切换到深色模式
    - scheme: slate
      primary: blue grey
      accent: indigo
      toggle:
        icon: material/brightness-4
        name: 切换到浅色模式
"""


@pytest.fixture(scope="module")
def publisher_site(site_tools, tmp_path_factory):
    """The seeds built with the palette toggle and navigation.instant, served on the port its site_url names."""
    base = tmp_path_factory.mktemp("publisher")
    site = base / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = base / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {site_tools.ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {site_tools.ROOT / 'content'}\n"
        f"site_url: {url}\n"
        f"theme:\n  custom_dir: {site_tools.ROOT / 'theme'}\n{PUBLISHER_THEME}"
        f"plugins:\n  - disclosure:\n      records_dir: {site_tools.ROOT / 'projects'}\n",
        encoding="utf-8",
    )
    proc = site_tools.mkdocs_build(config, site)
    assert proc.returncode == 0, proc.log[-4000:]
    assert "/projects/2021/dapeng-treasury-funds/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, name="publisher-site", daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------- 1. navigation at every width


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("width", [1280, 1600])
def test_wide_screens_show_the_sections_as_tabs(browser, site_url: str, width: int, name: str):
    """At 1220 px and wider the public sections are tabs, the page's own section marked; the guide is a tab only
    inside the guide, where the sidebar lists its pages."""
    path, section = PAGES[name]
    page = new_page(browser, width)
    try:
        page.goto(site_url + path)
        expect(page.locator(TABS)).to_be_visible()
        shown = PUBLIC_SECTIONS + ([GUIDE] if section == GUIDE else [])
        assert visible_texts(page, f"{TABS} .md-tabs__link") == shown
        assert visible_texts(page, f"{TABS} .md-tabs__item--active") == [section]
        expect(page.locator(DRAWER_BUTTON)).to_be_hidden()  # the tabs replace the menu
        if section == GUIDE:
            for title in GUIDE_PAGES:
                expect(page.locator(SIDEBAR).get_by_role("link", name=title, exact=True)).to_be_visible()
        else:  # a one-page section lists nothing in the sidebar: the content has the width
            expect(page.locator(SIDEBAR)).to_be_hidden()
        page.locator(TABS).get_by_role("link", name="按部门", exact=True).click()
        expect(page).to_have_url(site_url + "departments/")
        expect(page.locator(f"{TABS} .md-tabs__item--active")).to_have_text("按部门")
    finally:
        page.context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_phones_reach_the_sections_through_the_menu(browser, site_url: str, name: str):
    """At 375 px the menu button opens the drawer with the public sections (and, inside the guide, its pages)."""
    path, section = PAGES[name]
    page = new_page(browser, 375)
    try:
        page.goto(site_url + path)
        expect(page.locator(TABS)).to_be_hidden()
        page.locator(DRAWER_BUTTON).click()
        drawer = page.locator(f"{SIDEBAR} nav.md-nav--primary")
        assert top_level(drawer) == PUBLIC_SECTIONS + ([GUIDE] if section == GUIDE else [])
        if section == GUIDE:  # the drawer opens on the guide's own pages; its title leads up to the sections
            expect(drawer.get_by_role("link", name="录入记录", exact=True)).to_be_visible()
            drawer.locator("label.md-nav__title", has_text=GUIDE).click()
        expect(drawer.get_by_role("link", name="方法说明", exact=True)).to_be_visible()
        drawer.get_by_role("link", name="方法说明", exact=True).click()
        expect(page).to_have_url(site_url + "methodology/")
    finally:
        page.context.close()


def test_pages_outside_the_navigation_mark_their_section(browser, site_url: str):
    """A year page and a department page (same depth, tabs rendered once per depth and section) mark their own."""
    page = new_page(browser, 1280)
    try:
        for path, section in [("years/2021/", "按年度"), ("departments/", "按部门"), ("projects/", "全部项目")]:
            page.goto(site_url + path)
            expect(page.locator(f"{TABS} .md-tabs__item--active")).to_have_text(section)
        page.locator("table[data-pd-table] tbody a").first.click()
        expect(page.locator(f"{TABS} .md-tabs__item--active")).to_have_text("全部项目")
        page.locator(".pd-facts a").first.click()  # 主管部门
        expect(page).to_have_url(re.compile(r"/departments/[^/]+/$"))
        expect(page.locator(f"{TABS} .md-tabs__item--active")).to_have_text("按部门")
    finally:
        page.context.close()


def test_the_guide_is_reached_from_the_downloads_page(page: Page, site_url: str):
    page.goto(site_url + "data/")
    page.get_by_role("link", name="编辑指南（供录入人员）").click()
    expect(page).to_have_url(site_url + "guide/")
    expect(page.locator(f"{TABS} .md-tabs__item--active")).to_have_text(GUIDE)


# ---------------------------------------------------------------- 2. the guide in search


def search(page: Page, query: str, *, with_help: bool = False) -> list[dict]:
    """Type the query into the header's search box and wait for its results (with the help pages or not)."""
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function(
        """([sel, meta, q, help]) => {
             const list = document.querySelector(sel);  // not an earlier query's results:
             if (list.dataset.pdQuery !== q || list.hasAttribute('data-pd-with-help') !== help) return false;
             const m = document.querySelector(meta).textContent;
             const n = document.querySelectorAll(sel + ' > li').length;
             if (m.startsWith('没有找到')) return n === 0;
             const found = /^找到 (\\d+) 个结果(?:，显示前 (\\d+) 个)?$/.exec(m);
             return !!found && n === Number(found[2] || found[1]);
           }""",
        arg=[RESULTS, META, query, with_help],
        timeout=15_000,
    )
    return page.eval_on_selector_all(
        f"{RESULTS} > li",
        "els => els.map(li => ({url: li.querySelector('a').href, help: !!li.querySelector('.pd-search-help-tag')}))",
    )


def test_guide_pages_are_found_only_when_the_visitor_asks(page: Page, site_url: str):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(site_url)
    found = search(page, "预算执行率")
    assert found and not any("/guide/" in r["url"] for r in found), found
    assert search(page, "字段说明") == []  # words only the guide has find nothing
    assert not any("/search/help/" in url for url in fetched)  # nor is the guide's index fetched

    option = page.locator(HELP_OPTION)
    expect(option).to_have_text(re.compile("包括编辑帮助页面"))
    option.locator("input").check()
    found = search(page, "字段说明", with_help=True)
    assert found and all("/guide/" in r["url"] and r["help"] for r in found), found
    found = search(page, "预算执行率", with_help=True)  # public pages first, then the guide's, each marked
    kinds = ["/guide/" in r["url"] for r in found]
    assert kinds == sorted(kinds) and True in kinds and False in kinds, found
    assert all(r["help"] == ("/guide/" in r["url"]) for r in found)


def test_inside_the_guide_search_includes_the_guide(page: Page, site_url: str):
    page.goto(site_url + "guide/")
    found = search(page, "字段说明", with_help=True)
    assert found and all("/guide/" in r["url"] for r in found), found
    expect(page.locator(f"{HELP_OPTION} input")).to_be_checked()


# ---------------------------------------------------------------- 3. navigation.instant


def test_instant_navigation_keeps_the_projects_table_working(browser, publisher_site: str):
    page = new_page(browser, 1280)
    try:
        page.goto(publisher_site)
        page.evaluate("window.__pdSamePage = true")
        for _ in range(2):  # there and back and there again: set up once per table, however often it shows
            page.locator(TABS).get_by_role("link", name="全部项目", exact=True).click()
            expect(page).to_have_url(publisher_site + "projects/")
            expect(page.locator("form[data-pd-filters]")).to_be_visible()
            page.locator(TABS).get_by_role("link", name="首页", exact=True).click()
            expect(page).to_have_url(publisher_site)
        page.locator(TABS).get_by_role("link", name="全部项目", exact=True).click()
        expect(page.locator("form[data-pd-filters]")).to_be_visible()
        assert page.evaluate("window.__pdSamePage") is True, "a full page load: navigation.instant was not used"

        rows = page.locator("table[data-pd-table] tbody tr:not([hidden])")
        expect(rows).to_have_count(len(SEEDS))
        page.locator("select[name=year]").select_option("2021")
        expect(rows).to_have_count(3)
        expect(page.locator(".pd-count")).to_have_text("显示 3 / 5 个项目")
        page.locator("select[name=year]").select_option("")
        header = page.locator("table[data-pd-table] thead th", has=page.locator("button", has_text="得分"))
        expect(header.locator("button")).to_have_count(1)
        header.locator("button").click()
        expect(header).to_have_attribute("aria-sort", "ascending")
        header.locator("button").click()
        expect(header).to_have_attribute("aria-sort", "descending")
        scores = rows.evaluate_all("rs => rs.map(r => parseFloat(r.dataset.score || '-1'))")
        assert scores == sorted(scores, reverse=True) and len(set(scores)) > 2, scores
        assert page.evaluate("window.__pdSamePage") is True
    finally:
        page.context.close()


def test_instant_navigation_keeps_search_and_the_scroll_cue(browser, publisher_site: str):
    page = new_page(browser, 375)
    try:
        page.goto(publisher_site)
        page.evaluate("window.__pdSamePage = true")
        page.locator(DRAWER_BUTTON).click()
        page.locator(f"{SIDEBAR} nav.md-nav--primary").get_by_role("link", name="全部项目", exact=True).click()
        expect(page).to_have_url(publisher_site + "projects/")
        wrap = page.locator(".pd-table-wrap:has([data-pd-table])")
        expect(wrap).to_have_class(re.compile(r"\bpd-scrolls\b"))  # the "scrolls sideways" cue, set on the new page
        expect(wrap).to_have_attribute("tabindex", "0")
        page.locator("label.md-header__button[for='__search']").click()
        found = search(page, "代理记账")
        target = project_url(publisher_site, "dapeng-treasury-funds")
        assert [r["url"] for r in found] == [target + "?h=%E4%BB%A3%E7%90%86%E8%AE%B0%E8%B4%A6"]  # ?h=代理记账
        page.locator(f"{RESULTS} a").first.click()
        expect(page).to_have_url(target + "?h=%E4%BB%A3%E7%90%86%E8%AE%B0%E8%B4%A6")
        expect(page.locator("#__search")).not_to_be_checked()  # the result shows without the search over it
        # the new page (swapped in, not loaded) marks the query and scrolls to it
        mark = page.locator("article mark.pd-hl").first
        expect(mark).to_have_text("代理记账")
        expect(mark).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 0
        assert page.evaluate("window.__pdSamePage") is True
    finally:
        page.context.close()


# ---------------------------------------------------------------- 4. dark scheme

CONTRAST_JS = """(selectors) => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return m.length === 3 ? [...m, 1] : m; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => {
    const chain = []; for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let bg = rgba(getComputedStyle(document.documentElement).colorScheme === 'dark' ? 'rgb(0,0,0)' : 'rgb(255,255,255)');
    for (const e of chain) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) bg = over(c, bg); }
    return bg;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = {};
  for (const sel of selectors) {
    const els = [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length && e.textContent.trim());
    if (!els.length) { out[sel] = null; continue; }
    out[sel] = Math.min(...els.slice(0, 40).map(e => {
      const bg = background(e instanceof SVGElement ? e.ownerSVGElement : e);
      const style = getComputedStyle(e);
      return ratio(over(rgba(e instanceof SVGElement ? style.fill : style.color), bg), bg);
    }));
  }
  out.page = lum(background(document.querySelector('.md-content')));
  return out;
}"""
READABLE = {  # element → the contrast it needs (WCAG AA: 4.5 for text; 3 for large text such as the total)
    "table.pd-indicators td": 4.5,
    "table.pd-indicators th": 4.5,
    "table[data-pd-table] td": 4.5,
    ".pd-badge": 4.5,
    ".pd-total strong": 3,
    ".pd-review": 4.5,
    ".pd-facts th": 4.5,
    ".md-typeset p": 4.5,
    ".pd-svg .pd-label": 4.5,
    ".pd-svg .pd-value": 4.5,
    ".pd-svg .pd-axis": 4.5,
}


def contrasts(page: Page) -> dict:
    return page.evaluate(CONTRAST_JS, list(READABLE))


def test_the_dark_toggle_darkens_the_site_and_keeps_it_readable(browser, publisher_site: str, shots_dir: Path):
    page = new_page(browser, 1280)
    try:
        page.goto(project_url(publisher_site, "fumin-finance-platforms"))  # a review score, charts, findings
        light = contrasts(page)
        assert light["page"] > 0.9
        page.locator("form[data-md-component=palette] label:visible").click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        page.screenshot(path=str(shots_dir / "nav-dark-project-1280.png"), full_page=False)
        dark = contrasts(page)
        assert dark["page"] < 0.05, dark  # the background is dark
        for scheme, found in (("light", light), ("dark", dark)):
            for selector, needed in READABLE.items():
                if selector.startswith("table[data-pd-table]"):
                    continue  # not on a project page
                assert found[selector] is not None, (scheme, selector)
                assert found[selector] >= needed, (scheme, selector, round(found[selector], 2))
        # The choice is kept across pages: the list and the home page are dark too, and readable.
        page.locator(TABS).get_by_role("link", name="首页", exact=True).click()
        expect(page).to_have_url(publisher_site)
        expect(page.locator("article h1")).to_have_text("项目支出绩效评价信息公开")  # the home page is in place
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        home = contrasts(page)
        assert home["page"] < 0.05 and home["table[data-pd-table] td"] >= 4.5 and home[".pd-badge"] >= 4.5, home
        page.screenshot(path=str(shots_dir / "nav-dark-home-1280.png"), full_page=True)
    finally:
        page.context.close()


# ---------------------------------------------------------------- 5. print


HIDDEN_IN_PRINT = [".md-header", TABS, ".md-sidebar", ".md-footer", ".md-search", ".md-top", ".pd-downloads"]


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_print_shows_the_page_alone_with_the_indicator_table_on_the_paper(browser, site_url: str, slug: str):
    page = new_page(browser, PAPER_WIDTH)
    try:
        page.goto(project_url(site_url, slug))
        page.emulate_media(media="print")
        for selector in HIDDEN_IN_PRINT:
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        expect(page.locator("article h1")).to_be_visible()
        sizes = page.evaluate("""() => {
            const table = document.querySelector('table.pd-indicators');
            const wrap = table.closest('.pd-table-wrap');
            return {table: table.getBoundingClientRect().right, scroll: wrap.scrollWidth, wrap: wrap.clientWidth,
                    page: document.documentElement.clientWidth, cue: getComputedStyle(wrap, '::before').content};
        }""")
        assert sizes["scroll"] <= sizes["wrap"] + 1 and sizes["table"] <= sizes["page"] + 1, sizes
        assert sizes["cue"] in ("none", "normal"), sizes  # no "可左右滑动" on paper
    finally:
        page.context.close()


def test_print_is_light_and_clean_in_the_dark_scheme_too(browser, publisher_site: str, shots_dir: Path):
    page = new_page(browser, 1280)
    try:
        page.goto(project_url(publisher_site, "fumin-finance-platforms"))
        page.locator("form[data-md-component=palette] label:visible").click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        page.pdf(path=str(shots_dir / "nav-print-fumin-dark.pdf"), format="A4", print_background=True)
        page.set_viewport_size({"width": PAPER_WIDTH, "height": 900})
        page.emulate_media(media="print")
        printed = contrasts(page)
        assert printed["page"] > 0.9, printed  # dark text on white paper
        assert printed["table.pd-indicators td"] >= 4.5 and printed[".md-typeset p"] >= 4.5, printed
        for selector in HIDDEN_IN_PRINT:
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        page.screenshot(path=str(shots_dir / "nav-print-fumin-dark.png"), full_page=True)
    finally:
        page.context.close()


# ---------------------------------------------------------------- 6. JavaScript off


def test_without_javascript_lists_project_pages_and_downloads_work(browser, site_url: str):
    page = new_page(browser, 1280, java_script_enabled=False)
    try:
        page.goto(site_url)
        page.locator(TABS).get_by_role("link", name="按年度", exact=True).click()
        expect(page).to_have_url(site_url + "years/")
        page.get_by_role("link", name="2021 年度").click()
        expect(page).to_have_url(site_url + "years/2021/")
        expect(page.locator("table[data-pd-table] tbody tr")).to_have_count(3)
        page.get_by_role("link", name="国库业务经费", exact=True).click()
        expect(page).to_have_url(project_url(site_url, "dapeng-treasury-funds"))
        expect(page.locator("table.pd-indicators")).to_be_visible()
        downloads = page.eval_on_selector_all("a[download]", "as => as.map(a => a.href)")
        assert {"toml", "json", "csv"} <= {url.rsplit(".", 1)[1] for url in downloads}, downloads  # the record's
        page.locator(TABS).get_by_role("link", name="数据下载", exact=True).click()
        site_wide = page.eval_on_selector_all("a[download]", "as => as.map(a => a.href)")
        # 4 site-wide files (projects, indicators, projects JSON, problems), each record's TOML/JSON/CSV
        assert len(site_wide) == 4 + 3 * len(SEEDS), site_wide
        downloads += site_wide
        for url in downloads:
            response = page.request.get(url)
            assert response.status == 200 and response.body(), url
        page.locator(TABS).get_by_role("link", name="全部项目", exact=True).click()
        rows = page.locator("table[data-pd-table] tbody tr")
        expect(rows).to_have_count(len(SEEDS))  # a plain table
        expect(page.locator("form[data-pd-filters]")).to_be_hidden()
        for href in rows.locator("td:nth-child(2) a").evaluate_all("as => as.map(a => a.href)"):
            assert page.request.get(href).status == 200, href
    finally:
        page.context.close()


def test_without_javascript_the_menu_opens_on_a_phone(browser, site_url: str):
    page = new_page(browser, 375, java_script_enabled=False)
    try:
        page.goto(project_url(site_url, "caidian-jincai"))
        page.locator(DRAWER_BUTTON).click()
        drawer = page.locator(f"{SIDEBAR} nav.md-nav--primary")
        link = drawer.get_by_role("link", name="按部门", exact=True)
        expect(link).to_be_visible()
        link.click()
        expect(page).to_have_url(site_url + "departments/")
    finally:
        page.context.close()


# ---------------------------------------------------------------- screenshots for a human


def test_navigation_screenshots(browser, site_url: str, shots_dir: Path):
    shots = []
    for width in (375, 1280, 1600):
        for name, (path, _) in PAGES.items():
            page = new_page(browser, width)
            try:
                page.goto(site_url + path)
                page.wait_for_load_state("networkidle")
                shot = shots_dir / f"nav-{name}-{width}.png"
                page.screenshot(path=str(shot))
                shots.append(shot)
                if width == 375:
                    page.locator(DRAWER_BUTTON).click()
                    page.wait_for_timeout(400)  # the drawer slides in
                    shot = shots_dir / f"nav-{name}-{width}-menu.png"
                    page.screenshot(path=str(shot))
                    shots.append(shot)
            finally:
                page.context.close()
    page = new_page(browser, PAPER_WIDTH)
    try:
        page.goto(project_url(site_url, "suzhou-egov-construction"))
        page.emulate_media(media="print")
        shot = shots_dir / "nav-print-suzhou.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(shot)
        page.emulate_media(media="screen")
        page.pdf(path=str(shots_dir / "nav-print-suzhou.pdf"), format="A4")
    finally:
        page.context.close()
    for shot in shots:
        assert shot.stat().st_size > 5_000, shot
