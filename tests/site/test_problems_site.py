"""Problems found and their follow-up (issue 17) in the built site, in a real browser: the 问题清单's filters and counts,
a project page's 存在的问题 / 有关建议 / 整改情况 / 评价结果应用, a department's open problems. Built once (mkdocs build
--strict) from the seeds, the draft and future fixtures and tests/site/fixtures/problems (fixture-platform in 2022 and
2023). Screenshots at 1280 px go to /tmp/site-shots/problems-*.png."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
from playwright.sync_api import Page, expect  # noqa: E402

FINDINGS = "findings/"
LATER = "projects/2023/platform-upkeep/"
EARLIER = "projects/2022/platform-upkeep/"
FUMIN = "projects/2024/fumin-finance-platforms/"
ROWS = "table.pd-problem-list tbody tr"
VISIBLE = "table.pd-problem-list tbody tr:not([hidden])"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the test output clean
        pass


@pytest.fixture(scope="module")
def problems_site(tmp_path_factory, site_tools):
    base = tmp_path_factory.mktemp("problems-site")
    records = site_tools.copy_records(base / "projects", fixtures=("projects", "problems"))
    proc, root = site_tools.build_records(base, records, strict=True)
    assert proc.returncode == 0, f"mkdocs build failed ({proc.returncode}):\n{proc.log[-4000:]}"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="problems-site", daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(root=root, url=f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _open(browser, url: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    assert page.goto(url).status == 200, url
    page.wait_for_load_state("networkidle")
    return context, page


def test_findings_filters_by_category_year_department_and_status(page: Page, problems_site):
    page.goto(problems_site.url + FINDINGS)
    form = page.locator("form[data-pd-filters]")
    expect(form).to_be_visible()
    total = page.locator(ROWS).count()
    assert total == 13  # the seeds' 9 problems and fixture-platform's 4
    expect(form.locator(".pd-count")).to_have_text(f"显示 {total} / {total} 个问题")
    form.locator('select[name="category"]').select_option("过程")
    shown = page.locator(VISIBLE)
    expect(shown).to_have_count(page.locator(f'{ROWS}[data-category="过程"]').count())
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.category)")) == {"过程"}
    form.locator('select[name="department"]').select_option("样例市财政局")
    expect(shown).to_have_count(2)  # 故障处理记录不完整 (2022), 合同验收滞后 (2023)
    form.locator('select[name="department"]').select_option("")
    form.locator('select[name="year"]').select_option("2022")
    expect(shown).to_have_count(1)
    expect(shown.first).to_contain_text("故障处理记录不完整")
    expect(shown.first).to_contain_text("整改中")
    assert "category=%E8%BF%87%E7%A8%8B" in page.url and "year=2022" in page.url  # the choice is in the address
    form.locator('select[name="category"]').select_option("")
    form.locator('select[name="year"]').select_option("")
    form.locator('select[name="status"]').select_option("未说明")
    expect(shown).to_have_count(1)
    expect(shown.first).to_contain_text("用户满意度调查样本偏少")
    form.locator('select[name="status"]').select_option("")
    form.locator('input[name="q"]').fill("预算编制")
    expect(shown).to_have_count(2)  # 预算编制依据不充分 (fixture), 预算编制精细度欠佳 (seed 003)


def test_findings_counts_per_category(page: Page, problems_site):
    page.goto(problems_site.url + FINDINGS)
    rows = page.locator("table.pd-problem-counts tbody tr")
    counts = {
        r["category"]: r["cells"]
        for r in rows.evaluate_all(
            "rows => rows.map(r => ({category: r.dataset.category,"
            " cells: Array.from(r.querySelectorAll('td')).map(td => td.textContent)}))"
        )
    }
    # 问题数, 已整改, 整改中, 未整改, 未说明, 待后续评价
    assert counts["决策"] == ["4", "1", "0", "0", "0", "3"]
    assert counts["过程"] == ["6", "0", "1", "0", "0", "5"]
    assert counts["效益"] == ["1", "0", "0", "0", "1", "0"]
    assert page.locator("table.pd-problem-counts tfoot td").first.text_content() == "13"


def test_a_problem_link_leads_to_its_row_on_the_project_page(page: Page, problems_site):
    page.goto(problems_site.url + FINDINGS)
    page.locator(ROWS).filter(has_text="故障处理记录不完整").locator("a", has_text="故障处理记录不完整").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(EARLIER + "#problem-p2")
    expect(page.locator("tr#problem-p2")).to_contain_text("部分故障处理未留存工单")


def test_follow_up_and_result_use_on_the_later_page(page: Page, problems_site):
    page.goto(problems_site.url + LATER)
    rows = page.locator("table.pd-follow-up tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("预算编制依据不充分")
    expect(rows.nth(0)).to_contain_text("已整改")
    expect(rows.nth(1)).to_contain_text("整改中")
    expect(rows.nth(2)).to_contain_text("用户满意度调查样本偏少")
    expect(rows.nth(2)).to_contain_text("未说明")
    expect(page.locator(".pd-result-use")).to_contain_text("调减金额5 万元")
    rows.nth(0).locator("a", has_text="预算编制依据不充分").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(EARLIER + "#problem-p1")
    later = page.locator("table.pd-follow-up-later tbody tr")
    expect(later).to_have_count(3)
    expect(later.nth(0)).to_contain_text("已整改")
    expect(later.nth(0)).to_contain_text("2023 年度部门评价")


def test_department_page_lists_open_problems(page: Page, problems_site):
    page.goto(problems_site.url + EARLIER)
    page.locator(".pd-facts a[href*='departments/']").first.click()
    page.wait_for_load_state("load")
    rows = page.locator("table.pd-open-problems tbody tr")
    expect(rows).to_have_count(3)  # of 4: 预算编制依据不充分 is 已整改
    assert "预算编制依据不充分" not in rows.all_text_contents()[0] + rows.all_text_contents()[1]


def test_screenshots(browser, problems_site, shots_dir):
    shots = {}
    for name, path, start, end in (
        ("problems-project-seed", FUMIN, "#存在的问题", "#数据核对"),
        ("problems-project-follow-up", LATER, "#存在的问题", "#评价报告"),
        ("problems-project-earlier", EARLIER, "#存在的问题", "#评价报告"),
    ):
        context, page = _open(browser, problems_site.url + path)
        top = page.locator(start).bounding_box()
        bottom = page.locator(end).bounding_box()
        assert top and bottom and bottom["y"] > top["y"], name
        target = shots_dir / f"{name}.png"
        page.screenshot(
            path=str(target),
            full_page=True,
            clip={"x": 0, "y": top["y"] - 10, "width": 1280, "height": bottom["y"] - top["y"]},
        )
        shots[name] = target
        context.close()
    context, page = _open(browser, problems_site.url + FINDINGS)
    shots["problems-findings"] = shots_dir / "problems-findings.png"
    page.screenshot(path=str(shots["problems-findings"]), full_page=True)
    page.locator('select[name="status"]').select_option("整改中")
    shots["problems-findings-filtered"] = shots_dir / "problems-findings-filtered.png"
    page.screenshot(path=str(shots["problems-findings-filtered"]), full_page=False)
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")  # no sideways scroll
    context.close()
    assert all(p.is_file() and p.stat().st_size > 10_000 for p in shots.values())
