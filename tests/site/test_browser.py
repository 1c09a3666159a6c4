"""The built site in a real browser (Debian's Chromium through pytest-playwright).

The site is built once per session (conftest.built_site) from the seeds plus a draft and a
future-dated record, and served from 127.0.0.1 (conftest.site_url).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
TITLE = {  # the <h1> of each seed page
    "dapeng-treasury-funds": "国库业务经费",
    "caidian-jincai": "2021年度蔡甸区财政局金财工程",
    "bayannur-treasury-epay": "国库集中支付电子化服务",
    "suzhou-egov-construction": "电子政务项目建设资金",
    "fumin-finance-platforms": "预算信息管理平台、部门财务核算运维费、政府采购电子卖场平台经费",
}

SEARCH_INPUT = "[data-pd-search-input]"
RESULTS = "[data-pd-search-results]"
META = "[data-pd-search-meta]"
TABLE_ROWS = "table[data-pd-table] tbody tr"
VISIBLE_ROWS = "table[data-pd-table] tbody tr:not([hidden])"


def project_url(site_url: str, slug: str) -> str:
    return f"{site_url}projects/{SEEDS[slug]}/{slug}/"


def search(page: Page, query: str) -> list[dict]:
    """Focus the header search box, type the query key by key, wait until the results for it are shown."""
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially(query)
    expect(box).to_have_value(query)
    # The box searches 120 ms after the last key; the meta line reads 找到 N 个结果[，显示前 M 个] or 没有找到“query”….
    expect(page.locator(META)).to_have_text(
        re.compile(r"^(找到 \d+ 个结果(，显示前 \d+ 个)?|没有找到.*)$"), timeout=15_000
    )
    page.wait_for_function(
        """([sel, meta, q]) => {
             if (document.querySelector(sel).dataset.pdQuery !== q) return false;  // an earlier query's results
             const m = document.querySelector(meta).textContent;
             const n = document.querySelectorAll(sel + ' > li').length;
             if (m.startsWith('没有找到')) return m.includes(q) && n === 0;
             const found = /^找到 (\\d+) 个结果(?:，显示前 (\\d+) 个)?$/.exec(m);
             return !!found && n > 0 && n === Number(found[2] || found[1]);
           }""",
        arg=[RESULTS, META, query],
        timeout=15_000,
    )
    return page.eval_on_selector_all(
        f"{RESULTS} > li",
        "els => els.map(li => ({title: li.querySelector('h1').textContent,"
        " url: li.querySelector('a').getAttribute('href'), text: li.textContent}))",
    )


# ---------------------------------------------------------------- 1. search


def result_title(slug: str) -> str:
    """Search results name the project with its year: 国库业务经费（2021）."""
    return f"{TITLE[slug]}（{SEEDS[slug]}）"


@pytest.mark.parametrize(
    "query, slug",
    [
        ("代理记账", "dapeng-treasury-funds"),  # dapeng narrative: 代理记账及档案管理任务完成率
        ("容灾", "caidian-jincai"),  # caidian narrative: 数据库异地实时容灾备份
    ],
)
def test_search_finds_seed_by_a_word_of_its_narrative(page: Page, site_url: str, query: str, slug: str):
    page.goto(site_url)
    results = search(page, query)
    assert [r["title"] for r in results] == [result_title(slug)], results  # the word occurs in that seed only
    # the link carries the query, which the project page marks (?h=…)
    assert urlsplit(results[0]["url"]).path.rstrip("/").endswith(f"projects/{SEEDS[slug]}/{slug}")
    page.locator(f"{RESULTS} a").first.click()
    expect(page).to_have_url(re.compile(re.escape(project_url(site_url, slug)) + r"\?h="))
    expect(page.locator("h1").first).to_have_text(TITLE[slug])


@pytest.mark.parametrize("query", ["预算执行率", "执行率", "执行", "满意度", "金财工程"])
def test_search_multi_character_domain_terms(page: Page, site_url: str, query: str):
    page.goto(project_url(site_url, "dapeng-treasury-funds"))
    results = search(page, query)
    titles = {r["title"] for r in results}
    assert titles & {result_title(s) for s in SEEDS}, results
    # project pages come first, each with its year, kind and department under the title
    assert results[0]["title"] in {result_title(s) for s in SEEDS}, results
    assert "年度" in results[0]["text"], results


@pytest.mark.parametrize(
    "query, slug",
    [
        ("算执", "dapeng-treasury-funds"),  # inside 预算执行率: spans two dictionary words
        ("电子商城", "caidian-jincai"),  # 政府采购电子商城
        ("商城", "caidian-jincai"),
        ("签章", "bayannur-treasury-epay"),  # inside 电子签章产品
        ("采购电子", "caidian-jincai"),
    ],
)
def test_search_finds_part_of_a_word(page: Page, site_url: str, query: str, slug: str):
    """Two or three characters from the middle of a word find the project (two-character index terms)."""
    page.goto(site_url)
    results = search(page, query)
    assert result_title(slug) in [r["title"] for r in results], results


def test_search_part_of_a_word_is_precise(page: Page, site_url: str):
    page.goto(site_url)
    assert [r["title"] for r in search(page, "商城")] == [result_title("caidian-jincai")]


def test_search_count_is_the_number_of_pages_found(page: Page, site_url: str):
    """The count shown is the number of pages found; the first 10 are listed, the projects (whose indicator names
    hold the query, above a page that only mentions it) first."""
    page.goto(site_url)
    results = search(page, "预算执行率")
    meta = page.locator(META).inner_text()
    total = int(re.match(r"找到 (\d+) 个结果", meta).group(1))
    is_project = ["/projects/" in r["url"] for r in results]
    assert is_project[: len(SEEDS)] == [True] * len(SEEDS)  # every seed mentions 预算执行率, and they lead
    assert not any(is_project[len(SEEDS) :])
    assert len(results) == min(total, 10)
    if total > 10:
        assert meta == f"找到 {total} 个结果，显示前 10 个"


# ---------------------------------------------------------------- 2. all-projects table


def visible_rows(page: Page) -> list[dict]:
    return page.eval_on_selector_all(
        VISIBLE_ROWS, "rs => rs.map(r => ({...r.dataset, shown: r.offsetParent !== null}))"
    )


def test_projects_table_filters_by_year_and_grade(page: Page, site_url: str):
    page.goto(site_url + "projects/")
    form = page.locator("form[data-pd-filters]")
    expect(form).to_be_visible()
    all_rows = page.eval_on_selector_all(TABLE_ROWS, "rs => rs.map(r => ({...r.dataset}))")
    assert len(all_rows) == len(SEEDS)
    expect(page.locator(".pd-count")).to_have_text(f"显示 {len(SEEDS)} / {len(SEEDS)} 个项目")

    form.locator("select[name=year]").select_option("2021")
    rows = visible_rows(page)
    assert sorted(r["name"] for r in rows) == sorted(TITLE[s] for s, y in SEEDS.items() if y == 2021)
    assert all(r["year"] == "2021" and r["shown"] for r in rows)
    assert page.locator(f"{TABLE_ROWS}:visible").count() == 3
    expect(page.locator(".pd-count")).to_have_text(f"显示 3 / {len(SEEDS)} 个项目")
    assert "year=2021" in page.url

    form.locator("select[name=year]").select_option("")
    form.locator("select[name=grade]").select_option("优")
    rows = visible_rows(page)
    expected = [r["name"] for r in all_rows if r["grade"] == "优"]
    assert {TITLE["dapeng-treasury-funds"], TITLE["fumin-finance-platforms"]} <= set(expected)
    assert 2 <= len(rows) < len(all_rows)
    assert sorted(r["name"] for r in rows) == sorted(expected)
    assert all(r["grade"] == "优" and r["shown"] for r in rows)
    assert set(page.locator(f"{VISIBLE_ROWS} .pd-grade").all_inner_texts()) == {"优"}

    form.locator("select[name=year]").select_option("2021")  # both: 2021 and 优
    assert [r["name"] for r in visible_rows(page)] == [TITLE["dapeng-treasury-funds"]]


def test_projects_table_filters_from_the_address(page: Page, site_url: str):
    page.goto(site_url + "projects/?year=2024")
    expect(page.locator("select[name=year]")).to_have_value("2024")
    assert [r["name"] for r in visible_rows(page)] == [TITLE["fumin-finance-platforms"]]


def test_projects_table_sorts_by_clicking_a_header(page: Page, site_url: str):
    page.goto(site_url + "projects/")
    years = lambda: [int(r["year"]) for r in visible_rows(page)]  # noqa: E731
    before = years()
    assert before == sorted(before, reverse=True)  # generated newest first
    year_header = page.locator("th[data-sort=year] button")
    year_header.click()
    expect(page.locator("th[data-sort=year]")).to_have_attribute("aria-sort", "ascending")
    assert years() == sorted(before) and years() != before

    page.locator("th[data-sort=score] button").click()
    expect(page.locator("th[data-sort=score]")).to_have_attribute("aria-sort", "ascending")
    scores = [float(r["score"]) if r["score"] else -1 for r in visible_rows(page)]
    assert scores == sorted(scores) and len(set(scores)) > 1
    page.locator("th[data-sort=score] button").click()
    expect(page.locator("th[data-sort=score]")).to_have_attribute("aria-sort", "descending")
    scores = [float(r["score"]) if r["score"] else -1 for r in visible_rows(page)]
    assert scores == sorted(scores, reverse=True)
    # The visible cells follow the rows, not only the data attributes.
    first = page.locator(f"{VISIBLE_ROWS} >> nth=0")
    assert first.get_attribute("data-name") in first.locator("td").nth(1).inner_text()


# ---------------------------------------------------------------- 3. project pages


def indicator_row(page: Page, name: str):
    return page.locator("table.pd-indicators tbody tr").filter(
        has=page.locator("td.pd-leaf", has_text=re.compile(rf"^{re.escape(name)}$"))
    )


@pytest.mark.parametrize(
    "slug, total, max_score, grade",
    [
        ("dapeng-treasury-funds", "96.5", "100", "优"),
        ("fumin-finance-platforms", "95.4", "100", "优"),
        ("suzhou-egov-construction", "80", "80", "优"),
    ],
)
def test_project_page_total_and_grade(page: Page, site_url: str, slug: str, total: str, max_score: str, grade: str):
    page.goto(project_url(site_url, slug))
    score = page.locator(".pd-meta .pd-score")
    expect(score.locator(".pd-total strong")).to_have_text(total)
    expect(score.locator(".pd-total small")).to_have_text(f"/ {max_score}")
    expect(score.locator(".pd-grade")).to_have_text(grade)
    total_row = page.locator("table.pd-indicators tr.pd-total-row")
    expect(total_row.locator("th")).to_have_text("合计")
    expect(total_row.locator("td.pd-num").nth(0)).to_have_text(max_score)
    expect(total_row.locator("td.pd-num").nth(1)).to_have_text(total)


def test_dapeng_shows_no_review(page: Page, site_url: str):
    page.goto(project_url(site_url, "dapeng-treasury-funds"))
    expect(page.locator(".pd-meta .pd-review")).to_have_count(0)
    expect(page.locator("table.pd-indicators tr[data-differs]")).to_have_count(0)


@pytest.mark.parametrize(
    "slug, indicator, published, review, review_total",
    [
        ("fumin-finance-platforms", "服务对象满意度", "9.4", "10", "96"),
        ("suzhou-egov-construction", "预算执行率", "6", "3.9", "77.9"),
    ],
)
def test_project_page_review_scores(page: Page, site_url: str, slug, indicator, published, review, review_total):
    page.goto(project_url(site_url, slug))
    row = indicator_row(page, indicator)
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-differs", "1")
    expect(row.locator("td.pd-score-cell")).to_have_text(published)
    expect(row.locator("td.pd-review-cell strong")).to_have_text(review)
    expect(page.locator("table.pd-indicators thead")).to_contain_text("复核得分")
    expect(page.locator(".pd-meta .pd-review strong")).to_have_text(review_total)


# ---------------------------------------------------------------- 4. nothing leaves 127.0.0.1


def test_no_request_leaves_localhost(page: Page, site_url: str):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.goto(project_url(site_url, "fumin-finance-platforms"))
    page.wait_for_load_state("networkidle")
    page.goto(site_url + "projects/")
    page.wait_for_load_state("networkidle")
    search(page, "预算执行率")
    page.wait_for_load_state("networkidle")
    assert any("/search/t/" in u for u in requests), "the search loaded nothing from the search index"
    assert any("/search/p/" in u for u in requests)  # the pages of the first results
    outside = [
        u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
    ]
    assert not outside, outside


def test_every_request_of_a_page_is_found(page: Page, site_url: str):
    """No request ends in 404 (Material fetched search/search_index.json on every load, taking the site's search
    form for its own)."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for url in (site_url, project_url(site_url, "dapeng-treasury-funds"), site_url + "methodology/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    search(page, "预算执行率")
    page.wait_for_load_state("networkidle")
    assert failed == []


# ---------------------------------------------------------------- 5. narrow screens


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_project_page_has_no_horizontal_scroll_at_375px(browser, site_url: str, slug: str):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(project_url(site_url, slug))
        page.wait_for_load_state("load")
        sizes = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth,"
            " client: document.documentElement.clientWidth, body: document.body.scrollWidth})"
        )
        if sizes["scroll"] > sizes["client"]:
            culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .filter(e => !e.closest('.md-sidebar, .md-search, [hidden]'))
                .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
                                   + ' right=' + Math.round(e.getBoundingClientRect().right))""")
            pytest.fail(f"{slug}: scrollWidth {sizes['scroll']} > clientWidth {sizes['client']}; widest: {culprits}")
        assert sizes["client"] == 375
    finally:
        context.close()


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_indicator_table_fits_a_desktop_screen(browser, site_url: str, slug: str):
    """At 1280 px every column of the indicator table, 扣分原因 included, is on screen without scrolling the table
    (the 复核得分 explanation wraps instead of widening its column)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(project_url(site_url, slug))
        page.wait_for_load_state("load")
        sizes = page.evaluate("""() => {
            const table = document.querySelector('table.pd-indicators');
            const wrap = table.closest('.pd-table-wrap') || table.parentElement;
            return {table: table.scrollWidth, wrap: wrap.clientWidth};
        }""")
        assert sizes["table"] <= sizes["wrap"] + 1, f"{slug}: indicator table {sizes['table']} px in {sizes['wrap']} px"
    finally:
        context.close()


# The site's navigation at every width: test_navigation.py.


def test_a_table_wider_than_a_phone_says_it_scrolls_and_takes_the_keyboard(browser, site_url: str):
    """At 375 px the all-projects table scrolls inside its frame: a hint says so, and the frame is focusable
    (keyboard users can scroll it); a table that fits gets neither."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(site_url + "projects/")
        page.wait_for_load_state("load")
        wrap = page.locator(".pd-table-wrap:has([data-pd-table])")
        assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
        assert "pd-scrolls" in wrap.get_attribute("class") and wrap.get_attribute("tabindex") == "0"
        assert "左右滑动" in wrap.evaluate("w => getComputedStyle(w, '::before').content")
        page.set_viewport_size({"width": 1600, "height": 900})
        page.wait_for_function(
            "() => !document.querySelector('.pd-table-wrap:has([data-pd-table])').classList.contains('pd-scrolls')"
        )
        assert wrap.get_attribute("tabindex") is None
    finally:
        context.close()


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_chart_labels_stay_readable_on_a_phone(browser, site_url: str, slug: str):
    """At 375 px every chart label is drawn at 12 px or more: the chart scrolls sideways instead of shrinking."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(project_url(site_url, slug))
        page.wait_for_load_state("load")
        sizes = page.evaluate("""() => [...document.querySelectorAll('svg.pd-svg')].flatMap(s => {
            const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
            return [...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        })""")
        assert sizes, slug
        assert min(sizes) >= 12 - 0.01, (slug, min(sizes))
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()


def test_not_found_page_is_in_chinese_and_leads_back(page: Page, site_url: str):
    page.goto(site_url + "404.html")
    assert page.locator("article h1").inner_text() == "页面不存在（404）"
    assert "Not found" not in page.content()
    page.get_by_role("link", name="浏览全部项目").click()
    page.wait_for_load_state("load")
    assert page.url.rstrip("/").endswith("/projects")


# ---------------------------------------------------------------- 6. drafts and future records


def test_withheld_records_are_in_no_file_of_the_site(built_site, site_tools):
    from generator.render.search_text import index_text

    t = site_tools
    # The search index holds Chinese as two-character terms: look for the phrases in that form too.
    # 麒麟/彩麒 and 凤凰/翅凤 occur in no published record, so any trace of them is a leak.
    distinctive = ["麒麟", "彩麒", "凤凰", "翅凤"]
    assert all(term in index_text(t.DRAFT_PHRASE + " " + t.FUTURE_PHRASE).split() for term in distinctive)
    needles = [
        t.DRAFT_PHRASE,
        t.FUTURE_PHRASE,
        t.DRAFT_MARKER,
        t.FUTURE_MARKER,
        "draft-qilin",
        "future-fenghuang",
    ] + distinctive
    found = t.files_containing(built_site.root, needles)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    # The scan sees the search index: a seed's narrative terms are found there.
    control = t.files_containing(built_site.root, ["记账", "oracle"])
    assert any(p.startswith("search/t/") for p in control["记账"]), control
    assert any(p.startswith("search/t/") for p in control["oracle"]), control
    # And the fixtures really were in the records the site was built from.
    assert (built_site.records / "2023" / "draft-qilin.toml").is_file()
    assert (built_site.records / "2023" / "future-fenghuang.toml").is_file()


@pytest.mark.parametrize(
    "query",
    [
        "草稿专用短语七彩麒麟",
        "七彩麒麟",
        "qilindraftmarker",
        "未来公开专用短语金翅凤凰",
        "金翅凤凰",
        "fenghuangfuturemarker",
    ],
)
def test_withheld_records_are_not_found_by_search(page: Page, site_url: str, query: str):
    page.goto(site_url)
    results = search(page, query)
    for r in results:
        assert "draft-qilin" not in r["url"] and "future-fenghuang" not in r["url"], r
        assert "麒麟" not in r["text"] and "凤凰" not in r["text"] and "marker" not in r["text"], r


def test_withheld_records_are_not_in_the_listing(page: Page, site_url: str):
    page.goto(site_url + "projects/")
    assert page.locator(TABLE_ROWS).count() == len(SEEDS)
    years = page.eval_on_selector_all("select[name=year] option", "os => os.map(o => o.value)")
    assert "2023" not in years
    expect(page.locator("body")).not_to_contain_text("麒麟")
    assert page.goto(site_url + "projects/2023/draft-qilin/").status == 404
    assert page.goto(site_url + "projects/2023/future-fenghuang/").status == 404


# ---------------------------------------------------------------- 7. without JavaScript


def test_projects_list_without_javascript_is_a_plain_table(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "projects/")
        expect(page.locator("form[data-pd-filters]")).to_be_hidden()
        rows = page.locator(TABLE_ROWS)
        expect(rows).to_have_count(len(SEEDS))
        for i in range(len(SEEDS)):
            expect(rows.nth(i)).to_be_visible()
        expect(page.locator("table[data-pd-table] th button")).to_have_count(0)
        names = rows.locator("td:nth-child(2) a").all_inner_texts()
        assert sorted(names) == sorted(TITLE.values())
    finally:
        context.close()


# ---------------------------------------------------------------- screenshots for a human


def test_screenshots(browser, site_url: str, shots_dir):
    shots = []
    for width, height in ((1280, 900), (375, 812)):
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            targets = [("project-dapeng", project_url(site_url, "dapeng-treasury-funds"))]
            if width == 1280:
                targets = [("home", site_url), ("projects", site_url + "projects/")] + targets
            for name, url in targets:
                page.goto(url)
                page.wait_for_load_state("networkidle")
                path = shots_dir / f"{name}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                shots.append(path)
        finally:
            context.close()
    for path in shots:
        assert path.stat().st_size > 5_000, path
