"""Ranked search and shareable state in a real browser (issue 13, items 1 and 2), on the session's site (conftest):

- ranking: a project whose name holds the query comes first; the browser ranks exactly as publish/search_query.py
  (the same files, the same order — on the site's own index and on a small index made to need the phrase check);
- results: an excerpt around the match with the query marked, 更多结果, filters by year, department and grade;
- the target page marks the query and scrolls to it;
- the search and the projects list keep their query, filters and sort in the address and restore them on reload;
- 下载当前筛选结果（CSV） saves the rows shown, as CSV made in the browser from data/projects.csv.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
from playwright.sync_api import Page, expect  # noqa: E402

from generator.bench.site import SiteFiles  # noqa: E402
from generator.publish.search_index import build_files  # noqa: E402
from generator.publish.search_query import search as py_search  # noqa: E402
from generator.render.downloads import PROJECT_HEADER  # noqa: E402
from generator.render.search_text import TEXT, TITLE, SearchDoc  # noqa: E402

SEEDS = {
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
SEARCH_INPUT = "[data-pd-search-input]"
RESULTS = "[data-pd-search-results]"
META = "[data-pd-search-meta]"
FACETS = "[data-pd-search-facets]"
MORE = "[data-pd-search-more]"
HELP = "[data-pd-search-help-option] input"
VISIBLE_ROWS = "table[data-pd-table] tbody tr:not([hidden])"


def wait_results(page: Page, query: str) -> list[dict]:
    """Wait until the list answers `query` and its count line matches the items shown; the items."""
    page.wait_for_function(
        """([sel, meta, q]) => {
             if (document.querySelector(sel).dataset.pdQuery !== q) return false;
             const m = document.querySelector(meta).textContent;
             const n = document.querySelectorAll(sel + ' > li').length;
             if (m.startsWith('没有找到')) return n === 0;
             const found = /^找到 (\\d+) 个结果(?:，显示前 (\\d+) 个)?$/.exec(m);
             return !!found && n === Number(found[2] || found[1]);
           }""",
        arg=[RESULTS, META, query],
        timeout=15_000,
    )
    return page.eval_on_selector_all(
        f"{RESULTS} > li",
        """els => els.map(li => ({
             title: li.querySelector('h1').textContent,
             url: li.querySelector('a').getAttribute('href'),
             excerpt: (li.querySelector('.pd-search-excerpt') || {}).textContent || '',
             marks: Array.from(li.querySelectorAll('.pd-search-excerpt mark')).map(m => m.textContent),
           }))""",
    )


def search(page: Page, query: str) -> list[dict]:
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.fill("")
    box.press_sequentially(query)
    return wait_results(page, query)


def path_of(url: str) -> str:
    return urlsplit(url).path


# ---------------------------------------------------------------- ranking


def test_a_project_whose_name_holds_the_query_comes_first(page: Page, site_url: str):
    """国库 is in two project names (国库业务经费, 国库集中支付电子化服务) and in the text of others: those two lead."""
    page.goto(site_url)
    results = search(page, "国库")
    named = {f"/projects/2021/{s}/" for s in ("dapeng-treasury-funds", "bayannur-treasury-epay")}
    assert {path_of(r["url"]) for r in results[:2]} == named, results
    assert len(results) > 2 and not any(path_of(r["url"]) in named for r in results[2:])


QUERIES = ["国库", "预算执行率", "满意度", "资金 管理", "电子商城", "运维费", "2021", "系统运行"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_browser_ranks_as_the_python_reference(page: Page, site_url: str, built_site, query: str):
    """pd-search.js and publish/search_query.py give the same results in the same order from the site's index."""
    expected = py_search(SiteFiles(built_site.root), query)
    expected_urls = [expected.index.page(d)["u"] for d in expected.more()]
    page.goto(site_url)
    got = page.evaluate(
        """async ([base, query]) => {
             const index = pdSearch.Index(p => fetch(base + 'search/' + p).then(r => r.text()));
             const found = await index.query(pdSearch.queryTerms(query));
             const rows = await pdSearch.Session(index, query, found.ranked).more(10);
             return rows.map(r => r.page.u);
           }""",
        [site_url, query],
    )
    assert got == expected_urls and got, query


def test_the_browser_puts_the_exact_phrase_first(page: Page, site_url: str):
    """On an index where the scattered pieces score higher, the page with the phrase is shown first — as in Python."""
    docs = [
        SearchDoc(f"p/{i}/", f"页面{i}", "", ((TITLE, "预算执行 执行率"), (TEXT, "预算 算执 执行 行率 " * 20)))
        for i in range(12)
    ]
    docs.append(SearchDoc("p/exact/", "页面", "", ((TEXT, "本项目预算执行率为百分之百"),)))
    files, _ = build_files(docs)
    expected = py_search(files, "预算执行率")
    assert expected.order[-1][0] == 12  # last by the index alone
    expected_urls = [expected.index.page(d)["u"] for d in expected.more()]
    assert expected_urls[0] == "p/exact/"
    page.goto(site_url)
    got = page.evaluate(
        """async ([files, query]) => {
             const index = pdSearch.Index(p => Promise.resolve(files['search/' + p]));
             const found = await index.query(pdSearch.queryTerms(query));
             const rows = await pdSearch.Session(index, query, found.ranked).more(10);
             return rows.map(r => r.page.u);
           }""",
        [{k: v.decode("utf-8") for k, v in files.items()}, "预算执行率"],
    )
    assert got == expected_urls


# ---------------------------------------------------------------- results: excerpt, marks, more, filters


def test_each_result_shows_an_excerpt_with_the_query_marked(page: Page, site_url: str):
    page.goto(site_url)
    results = search(page, "容灾")  # caidian's narrative: 数据库异地实时容灾备份
    assert len(results) == 1 and path_of(results[0]["url"]) == "/projects/2021/caidian-jincai/"
    assert results[0]["marks"] == ["容灾"] and "异地实时容灾备份" in results[0]["excerpt"]
    results = search(page, "预算执行率")
    assert all("预算执行率" in r["marks"] for r in results if r["excerpt"]) and results[0]["marks"]
    page.screenshot(path="/tmp/site-shots/search-excerpts.png")


def test_more_results_shows_ten_more(page: Page, site_url: str):
    page.goto(site_url)
    page.locator(SEARCH_INPUT).click()
    page.locator(HELP).check()  # the guide's pages too: more than ten results
    results = search(page, "指标")
    total = int(re.match(r"找到 (\d+) 个结果", page.locator(META).inner_text()).group(1))
    assert total > 10 and len(results) == 10
    more = page.locator(MORE)
    expect(more).to_be_visible()
    expect(more).to_have_text("更多结果")
    more.click()
    expect(page.locator(f"{RESULTS} > li")).to_have_count(min(total, 20))
    after = wait_results(page, "指标")
    assert [r["url"] for r in after[:10]] == [r["url"] for r in results]  # shown results keep their place
    assert len({r["url"] for r in after}) == len(after)
    if total <= 20:
        expect(more).to_be_hidden()
        expect(page.locator(META)).to_have_text(f"找到 {total} 个结果")
    # the keyboard goes on from the first new result
    assert page.evaluate("document.activeElement.getAttribute('href')") == after[10]["url"]


def test_filters_within_the_results(page: Page, site_url: str):
    page.goto(site_url)
    results = search(page, "预算执行率")
    year = page.locator(f"{FACETS} select[data-pd-facet=year]")
    expect(year).to_be_visible()
    options = year.locator("option").all_inner_texts()
    assert options[0].startswith("全部（") and "2021（3）" in options
    year.select_option("2021")
    filtered = wait_results(page, "预算执行率")
    assert {path_of(r["url"]) for r in filtered} == {f"/projects/2021/{s}/" for s, y in SEEDS.items() if y == 2021}
    assert len(filtered) < len(results)
    # the other filters count within the chosen year
    departments = page.locator(f"{FACETS} select[data-pd-facet=department] option").all_inner_texts()
    assert len(departments) == 1 + 3 and all(o.endswith("（1）") for o in departments[1:])
    grade = page.locator(f"{FACETS} select[data-pd-facet=grade]")
    grade.select_option("优")
    assert [path_of(r["url"]) for r in wait_results(page, "预算执行率")] == ["/projects/2021/dapeng-treasury-funds/"]
    page.screenshot(path="/tmp/site-shots/search-filters.png")


# ---------------------------------------------------------------- the target page


def test_the_target_page_marks_the_query_and_scrolls_to_it(page: Page, site_url: str):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url)
    search(page, "容灾")
    page.locator(f"{RESULTS} a").first.click()
    expect(page).to_have_url(re.compile(r"/projects/2021/caidian-jincai/\?h=%E5%AE%B9%E7%81%BE$"))
    marks = page.locator("article mark.pd-hl")
    expect(marks.first).to_have_text("容灾")
    expect(marks.first).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 300  # the match is far down the report
    # nothing inside scripts or drawings is touched
    assert page.locator("script mark, svg mark, style mark").count() == 0
    page.screenshot(path="/tmp/site-shots/search-target.png")


# ---------------------------------------------------------------- the address: search and projects list


def test_the_search_keeps_its_query_and_filters_in_the_address(page: Page, site_url: str):
    page.goto(site_url + "methodology/")
    search(page, "预算执行率")
    page.locator(f"{FACETS} select[data-pd-facet=year]").select_option("2021")
    shown = wait_results(page, "预算执行率")
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"search": ["预算执行率"], "year": ["2021"]}
    page.reload()
    expect(page.locator("#__search")).to_be_checked()
    expect(page.locator(SEARCH_INPUT)).to_have_value("预算执行率")
    assert [r["url"] for r in wait_results(page, "预算执行率")] == [r["url"] for r in shown]
    expect(page.locator(f"{FACETS} select[data-pd-facet=year]")).to_have_value("2021")
    # closing the search gives the page its own address back
    page.locator(SEARCH_INPUT).press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    assert page.url == site_url + "methodology/"


def test_the_projects_list_keeps_filters_and_sort_in_the_address(page: Page, site_url: str):
    page.goto(site_url + "projects/")
    form = page.locator("form[data-pd-filters]")
    form.locator("select[name=year]").select_option("2021")
    form.locator("input[name=q]").fill("财政")
    score = page.locator("th[data-sort=score]")
    score.locator("button").click()
    score.locator("button").click()  # descending
    expect(score).to_have_attribute("aria-sort", "descending")
    rows = page.eval_on_selector_all(VISIBLE_ROWS, "rs => rs.map(r => r.dataset.id)")
    assert parse_qs(urlsplit(page.url).query) == {"year": ["2021"], "q": ["财政"], "sort": ["-score"]}
    page.reload()
    expect(form.locator("select[name=year]")).to_have_value("2021")
    expect(form.locator("input[name=q]")).to_have_value("财政")
    expect(page.locator("th[data-sort=score]")).to_have_attribute("aria-sort", "descending")
    assert page.eval_on_selector_all(VISIBLE_ROWS, "rs => rs.map(r => r.dataset.id)") == rows
    # the department filter is dept= in the address
    form.locator("select[name=dept]").select_option(index=1)
    dept = form.locator("select[name=dept]").input_value()
    assert parse_qs(urlsplit(page.url).query)["dept"] == [dept]


def test_download_the_rows_shown_as_csv(page: Page, site_url: str, built_site):
    page.goto(site_url + "projects/?year=2021&sort=-score")
    expect(page.locator(".pd-count")).to_have_text("显示 3 / 5 个项目")
    shown = page.eval_on_selector_all(VISIBLE_ROWS, "rs => rs.map(r => r.dataset.id)")
    button = page.get_by_role("button", name="下载当前筛选结果（CSV）")
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert rows[0] == PROJECT_HEADER
    assert [r[0] for r in rows[1:]] == shown and all(r[1] == "2021" for r in rows[1:])
    # each line is the site's own data file's line for that project, unchanged
    site_lines = (built_site.root / "data" / "projects.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert all(line in site_lines for line in data[3:].decode("utf-8").splitlines())


def test_the_browser_splits_and_ranks_random_queries_as_the_python_reference(page: Page, site_url: str, built_site):
    """Random pieces of the site's own page texts (a fixed seed): the same terms, results and order in both."""
    import json
    import random

    from generator.render.search_text import query_terms

    files = SiteFiles(built_site.root)
    manifest = json.loads(files["search/manifest.json"])
    texts = [" ".join(t for _, t in json.loads(files[f"search/p/{i}.json"])["f"]) for i in range(manifest["docs"])]
    rng = random.Random(13)
    queries = []
    while len(queries) < 40:
        text = rng.choice(texts)
        start = rng.randrange(max(1, len(text) - 2))
        queries.append(text[start : start + rng.randint(2, 12)])
    queries += ["率，项目", ".5 万元", "项目 2021", "Oracle", "率", "12.", "a"]
    page.goto(site_url)
    got = page.evaluate(
        """async ([base, queries]) => {
             const index = pdSearch.Index(p => fetch(base + 'search/' + p).then(r => r.text()));
             const out = [];
             for (const q of queries) {
               const terms = pdSearch.queryTerms(q);
               let urls = [];
               if (terms.required.length) {
                 const found = await index.query(terms);
                 urls = (await pdSearch.Session(index, q, found.ranked).more(10)).map(r => r.page.u);
               }
               out.push({required: terms.required, optional: terms.optional, tooShort: terms.tooShort, urls});
             }
             return out;
           }""",
        [site_url, queries],
    )
    for q, js in zip(queries, got):
        terms = query_terms(q)
        assert (js["required"], js["optional"], js["tooShort"]) == (
            list(terms.required),
            list(terms.optional),
            terms.too_short,
        ), q
        expected = py_search(files, q) if terms.required else None
        urls = [expected.index.page(d)["u"] for d in expected.more()] if expected else []
        assert js["urls"] == urls, q
