"""Accessibility and 适老化 of the built site (GB/T 37668-2019 level AA, 工信部 适老化 requirements), in Debian's
Chromium: axe-core with the WCAG 2.0/2.1 A and AA rules on every page kind, full keyboard use with a visible focus
and no keyboard trap, the 关怀模式 switch (larger text, high contrast, kept across pages), and lang="zh-CN".

The site is the session build of conftest.py (the seeds plus a draft and a future-dated record). Each axe run writes
its counts by impact to /tmp/site-shots/axe/<page kind>.json for the record.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is missing")
from playwright.sync_api import Browser, Page, expect  # noqa: E402

SEEDS = {
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
SUZHOU = "suzhou-egov-construction"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
SEARCH_INPUT = "[data-pd-search-input]"
RESULT_LINKS = "[data-pd-search-results] a"
CARE_TOGGLE = "[data-pd-care-toggle]"
CARE_SIZE = "[data-pd-care-size]"


def project_path(slug: str) -> str:
    return f"projects/{SEEDS[slug]}/{slug}/"


PAGE_KINDS = {  # page kind → address below the site root; "department" and "search" are reached from a page
    "home": "",
    "list": "projects/",
    **{f"project-{slug}": project_path(slug) for slug in SEEDS},
    "year": "years/2021/",
    "department": project_path(SUZHOU),
    "methodology": "methodology/",
    "findings": "findings/",  # 问题清单 (issue 17)
    "data": "data/",
    "guide": "guide/",
    "404": "404.html",
    "search": "",
}


def open_page_kind(page: Page, site_url: str, kind: str) -> None:
    page.goto(site_url + PAGE_KINDS[kind])
    page.wait_for_load_state("networkidle")
    if kind == "department":  # the department named on the project page, as a visitor gets there
        page.locator(".pd-facts a[href*='departments/']").first.click()
        page.wait_for_load_state("networkidle")
        assert "/departments/" in page.url
    if kind == "search":
        show_search_results(page, "预算执行率")


def show_search_results(page: Page, query: str) -> None:
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially(query)
    page.wait_for_function(f"() => document.querySelectorAll({RESULT_LINKS!r}).length > 0", timeout=15_000)
    assert page.evaluate("() => document.getElementById('__search').checked")


# ---------------------------------------------------------------- axe-core


def run_axe(page: Page, record_as: str, shots_dir) -> list[dict]:
    """axe's WCAG 2 A/AA violations on the page as it is now; the counts by impact are written for the record."""
    violations = axe_playwright.Axe().run(page, options=AXE_OPTIONS).response["violations"]
    rules = Counter(v["impact"] for v in violations)
    nodes = Counter({impact: 0 for impact in rules})
    for v in violations:
        nodes[v["impact"]] += len(v["nodes"])
    out = shots_dir / "axe"
    out.mkdir(exist_ok=True)
    summary = {"url": page.url, "rules": dict(rules), "nodes": dict(nodes), "ids": sorted(v["id"] for v in violations)}
    (out / f"{record_as}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return violations


def axe_report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v.get('helpUrl', '')}")
        for node in v["nodes"][:10]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


def assert_no_blocking(violations: list[dict]) -> None:
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "axe: serious or critical WCAG 2 A/AA violations:\n" + axe_report(blocking)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_axe_finds_no_serious_violation(page: Page, site_url: str, shots_dir, kind: str):
    open_page_kind(page, site_url, kind)
    assert_no_blocking(run_axe(page, kind, shots_dir))


@pytest.mark.parametrize("kind", ["home", "list", f"project-{SUZHOU}", "search"])
def test_axe_finds_no_serious_violation_in_care_mode(page: Page, site_url: str, shots_dir, kind: str):
    """关怀模式 (larger text, high contrast) passes the same rules; wider text makes more tables scroll."""
    page.goto(site_url)
    page.locator(CARE_TOGGLE).click()
    page.locator(CARE_SIZE).click()
    expect(page.locator("html")).to_have_attribute("data-pd-care", "2")
    open_page_kind(page, site_url, kind)
    expect(page.locator("html")).to_have_attribute("data-pd-care", "2")
    assert_no_blocking(run_axe(page, f"care-{kind}", shots_dir))


@pytest.mark.parametrize("kind", ["home", "list", f"project-{SUZHOU}", "project-fumin-finance-platforms", "search"])
def test_axe_finds_no_serious_violation_in_dark_mode(page: Page, site_url: str, shots_dir, kind: str):
    """Material's dark scheme (slate), which a site gets with the palette toggle: the same rules pass."""
    open_page_kind(page, site_url, kind)
    page.evaluate("() => { document.body.setAttribute('data-md-color-scheme', 'slate'); }")
    page.wait_for_timeout(500)  # Material fades the colours over 0.25 s
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert_no_blocking(run_axe(page, f"dark-{kind}", shots_dir))


# ---------------------------------------------------------------- keyboard

# What the focused element is, whether it can be seen, and how its focus indicator stands out: the contrast of the
# better of its outline and its box-shadow ring against the background next to it (WCAG 1.4.11 asks 3:1).
FOCUS_JS = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body || focused === document.documentElement) return null;
  window.__pdTab = (window.__pdTab || 0) + 1;
  if (!focused.dataset.pdTab) focused.dataset.pdTab = String(window.__pdTab);
  // Material's colour-scheme switch is a hidden radio button that shows its focus on the label after it.
  const e = focused.matches(".md-option") && focused.nextElementSibling ? focused.nextElementSibling : focused;
  const rgba = c => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const background = el => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (const c of layers.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
    return out;
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const contrast = (a, b) => {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const s = getComputedStyle(e);
  const rings = [];
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) rings.push(rgba(s.outlineColor));
  if (s.boxShadow && s.boxShadow !== "none") rings.push(rgba(s.boxShadow));
  const behind = [background(e), background(e.parentElement || e)];
  const ring = rings.filter(Boolean).length
    ? Math.min(...behind.map(bg => Math.max(...rings.filter(Boolean).map(r => contrast(r, bg)))))
    : 0;
  const r = e.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const x0 = Math.max(r.left, 0), x1 = Math.min(r.right, vw), y0 = Math.max(r.top, 0), y1 = Math.min(r.bottom, vh);
  // Not covered: the middle of one of its boxes (a link that wraps has one per line) shows the element itself.
  let hit = null, onTop = false;
  const shows = h => !!h && (e === h || e.contains(h) || (e.tagName === "INPUT" && h.closest("label, form") !== null));
  const pointer = e.style.getPropertyValue("pointer-events");  // hit testing skips pointer-events: none
  e.style.setProperty("pointer-events", "auto", "important");
  for (const box of e.getClientRects()) {
    const bx0 = Math.max(box.left, 0), bx1 = Math.min(box.right, vw);
    const by0 = Math.max(box.top, 0), by1 = Math.min(box.bottom, vh);
    if (bx1 <= bx0 || by1 <= by0) continue;
    hit = document.elementFromPoint((bx0 + bx1) / 2, (by0 + by1) / 2);
    if (shows(hit)) { onTop = true; break; }
  }
  e.style.setProperty("pointer-events", pointer);
  const name = (e.getAttribute("aria-label") || e.textContent || e.getAttribute("placeholder") || "").trim();
  const tag = n => n.tagName.toLowerCase() + String(n.getAttribute("class") || "").split(/\\s+/).filter(Boolean)
    .map(c => "." + c).join("");
  return {
    key: focused.dataset.pdTab,
    hit: hit ? tag(hit) : "nothing",
    desc: tag(e) + " “" + name.slice(0, 24) + "”",
    visible: s.visibility !== "hidden" && r.width > 0 && r.height > 0 && x1 > x0 && y1 > y0 && onTop,
    ring: Math.round(ring * 100) / 100,
  };
}"""


def tab_round(page: Page, limit: int = 250) -> list[dict]:
    """Press Tab until focus comes back to the first control it reached; the controls in between, in order.

    Coming back round is the proof that no control keeps the focus (no keyboard trap).
    """
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_JS)
        if info is None:  # the document itself, between the last control and the first
            continue
        if not info["visible"]:  # the search or the drawer may still be fading out (Material: 0.25 s)
            page.wait_for_timeout(400)
            info = page.evaluate(FOCUS_JS)
            if info is None:  # a control that hid itself meanwhile (Material's back-to-top button) let go
                continue
        if stops and info["key"] == stops[0]["key"]:
            return stops
        seen = [s["key"] for s in stops]
        assert info["key"] not in seen, f"keyboard trap: focus came back to {info['desc']} after {stops[-5:]}"
        stops.append(info)
    pytest.fail(f"Tab did not come back to the first control in {limit} presses; last: {stops[-5:]}")


def assert_focus_visible(stops: list[dict]) -> None:
    hidden = [(s["desc"], "under " + s["hit"]) for s in stops if not s["visible"]]
    assert not hidden, f"focus on controls that cannot be seen: {hidden}"
    faint = [(s["desc"], s["ring"]) for s in stops if s["ring"] < 3]
    assert not faint, f"focus indicator below 3:1 against its background (or none): {faint}"


def assert_reached(page: Page, selectors: list[str]) -> None:
    """Every visible control matched by the selectors was a Tab stop (FOCUS_JS marks each one data-pd-tab)."""
    for selector in selectors:
        controls = page.locator(selector)
        assert controls.count() > 0, f"no {selector} on {page.url}"
        missed = page.eval_on_selector_all(
            selector,
            "els => els.filter(e => e.getClientRects().length && getComputedStyle(e).visibility === 'visible'"
            " && !e.dataset.pdTab).map(e => e.outerHTML.slice(0, 120))",
        )
        assert not missed, f"Tab never reached {selector}: {missed}"


def assert_shift_tab_goes_back(page: Page, stops: list[dict], steps: int = 5) -> None:
    """From the last control, Shift+Tab visits the controls before it in reverse order."""
    page.locator(f"[data-pd-tab='{stops[-1]['key']}']").focus()
    for expected in reversed(stops[-steps - 1 : -1]):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(FOCUS_JS)["key"] == expected["key"], expected["desc"]


KEYBOARD_PAGES = {
    "project": (
        project_path(SUZHOU),
        [CARE_TOGGLE, SEARCH_INPUT, ".pd-downloads a", ".md-content a[href*='departments/']"],
    ),
    "list": (
        "projects/",
        [
            CARE_TOGGLE,
            SEARCH_INPUT,
            "form[data-pd-filters] select",
            "form[data-pd-filters] input",
            "table[data-pd-table] th button.pd-sort",
            "table[data-pd-table] tbody a",
        ],
    ),
}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("which", sorted(KEYBOARD_PAGES))
def test_keyboard_reaches_every_control_with_a_visible_focus(browser: Browser, site_url: str, which: str, width: int):
    """Tab goes through the page and back to the start: every stop can be seen, with a focus ring of 3:1 or more,
    and the switch, the search box, the filters, sort buttons, links, download links and (on a phone) the tables
    that scroll sideways and the menu button are all among the stops."""
    path, selectors = KEYBOARD_PAGES[which]
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 812})
    try:
        page = context.new_page()
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        stops = tab_round(page)
        assert_focus_visible(stops)
        extra = [".pd-scrolls", ".md-header label[for='__drawer']"] if width == 375 else [".md-sidebar--primary a"]
        assert_reached(page, selectors + [".md-skip"] + extra)
        assert_shift_tab_goes_back(page, stops)
    finally:
        context.close()


def test_keyboard_search_results_and_leaving_the_search(page: Page, site_url: str):
    """Tab goes from the search box through every result, each visibly focused; the next Tab leaves the search,
    which closes, so that focus never lands behind its overlay. Escape closes it from the box."""
    page.goto(site_url + project_path(SUZHOU))
    show_search_results(page, "预算执行率")
    # The scope option (包括编辑帮助页面, shown when the site has help pages) comes first, then the filters within
    # the results (年度, 主管部门, 等级), every result and, when there are more, the 更多结果 button.
    controls = page.locator(
        "[data-pd-search-help-option]:not([hidden]) input, [data-pd-search-facets]:not([hidden]) select, "
        f"{RESULT_LINKS}, [data-pd-search-more]:not([hidden])"
    )
    assert page.locator(RESULT_LINKS).count() and page.locator("[data-pd-search-facets] select").count() == 3
    stops = []
    for _ in range(controls.count()):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_JS))
    expected = controls.evaluate_all("els => els.map(e => e.dataset.pdTab)")
    assert [s["key"] for s in stops] == expected
    assert_focus_visible(stops)
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.getElementById('__search').checked")
    page.wait_for_timeout(400)  # the search fades out
    after = page.evaluate(FOCUS_JS)
    assert_focus_visible([after])
    page.locator(SEARCH_INPUT).focus()
    assert page.evaluate("() => document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.getElementById('__search').checked")


def test_keyboard_opens_the_navigation_drawer_on_a_phone(browser: Browser, site_url: str):
    """At 375 px the navigation is Material's drawer: its menu button takes the focus and opens it with Enter or
    Space, focus moves into it, every link in it shows its focus, Escape closes it and focus goes back."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(site_url + project_path(SUZHOU))
        page.wait_for_load_state("networkidle")
        menu = page.locator(".md-header label[for='__drawer']")
        expect(menu).to_have_attribute("role", "button")
        expect(menu).to_have_attribute("aria-label", "导航菜单")
        drawer_open = "() => document.getElementById('__drawer').checked"
        # while closed, the drawer's links are not Tab stops
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility") == (
            "hidden"
        )
        for key in ("Enter", " "):
            menu.focus()
            page.keyboard.press(key)
            page.wait_for_function(drawer_open)
            expect(menu).to_have_attribute("aria-expanded", "true")
            page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
            page.wait_for_timeout(300)  # the drawer has slid in
            stops = [page.evaluate(FOCUS_JS)]
            inside = "() => document.activeElement.closest('.md-sidebar--primary') !== null"
            for _ in range(12):  # the logo and the public sections (the guide is in the drawer only on its pages)
                page.keyboard.press("Tab")
                if not page.evaluate(inside):
                    break
                stops.append(page.evaluate(FOCUS_JS))
            menu.focus()  # leaving the drawer closed it; open it again for Escape
            if not page.evaluate(drawer_open):
                page.keyboard.press(key)
                page.wait_for_function(drawer_open)
            labels = [s["desc"] for s in stops]
            assert any("全部项目" in d for d in labels) and any("方法说明" in d for d in labels), labels
            assert_focus_visible(stops)
            page.keyboard.press("Escape")
            assert not page.evaluate(drawer_open)
            assert page.evaluate("() => document.activeElement.getAttribute('for')") == "__drawer"
    finally:
        context.close()


# ---------------------------------------------------------------- 关怀模式


STYLE_JS = """() => {
  const text = getComputedStyle(document.querySelector('.md-content .md-typeset'));
  const header = getComputedStyle(document.querySelector('.md-header'));
  return {font: parseFloat(text.fontSize), lineHeight: parseFloat(text.lineHeight) / parseFloat(text.fontSize),
          color: text.color, header: header.backgroundColor,
          care: document.documentElement.getAttribute('data-pd-care')};
}"""


def test_care_mode_switch_is_kept_across_pages(page: Page, site_url: str):
    page.goto(site_url + project_path(SUZHOU))
    toggle = page.locator(CARE_TOGGLE)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator(CARE_SIZE)).to_be_hidden()
    standard = page.evaluate(STYLE_JS)
    assert standard["care"] is None

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    care = page.evaluate(STYLE_JS)
    assert care["care"] == "1"
    assert care["font"] >= standard["font"] * 1.25 - 0.5, (standard, care)
    assert care["lineHeight"] >= 1.75 and care["lineHeight"] > standard["lineHeight"], (standard, care)
    assert care["color"] == "rgb(0, 0, 0)" and standard["color"] != care["color"], (standard, care)
    assert care["header"] != standard["header"]

    # another page: still on, from the first paint on
    page.locator("a:visible", has_text=re.compile(r"^\s*全部项目\s*$")).first.click()  # navigation tabs or sidebar
    expect(page).to_have_url(site_url + "projects/")
    expect(page.locator(CARE_TOGGLE)).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(STYLE_JS)["care"] == "1"
    assert page.evaluate(STYLE_JS)["font"] == care["font"]

    page.locator(CARE_SIZE).click()  # 特大字
    expect(page.locator(CARE_SIZE)).to_have_attribute("aria-pressed", "true")
    bigger = page.evaluate(STYLE_JS)
    assert bigger["care"] == "2" and bigger["font"] >= standard["font"] * 1.5 - 0.5, (standard, bigger)
    page.goto(site_url)
    assert page.evaluate(STYLE_JS)["font"] == bigger["font"]

    page.locator(CARE_TOGGLE).click()  # off again, on this page and the next
    expect(page.locator(CARE_TOGGLE)).to_have_attribute("aria-pressed", "false")
    expect(page.locator(CARE_SIZE)).to_be_hidden()
    off = page.evaluate(STYLE_JS)
    assert (off["care"], off["font"], off["color"]) == (None, standard["font"], standard["color"]), (standard, off)
    page.goto(site_url + project_path(SUZHOU))
    assert page.evaluate(STYLE_JS) == standard


def test_care_mode_is_applied_before_the_page_is_drawn(page: Page, site_url: str):
    """The saved choice is on <html> before <body> exists (no flash of the standard page): set in <head>,
    before pd-care.js (at the end of the page) has even been parsed."""
    page.add_init_script("""
      new MutationObserver((records, observer) => {
        if (!document.body) return;
        window.__pdAtBody = {care: document.documentElement.getAttribute('data-pd-care'),
                             script: !!document.querySelector('script[src*="pd-care.js"]')};
        observer.disconnect();
      }).observe(document, {childList: true, subtree: true});
    """)
    page.goto(site_url)
    assert page.evaluate("() => window.__pdAtBody") == {"care": None, "script": False}
    page.locator(CARE_TOGGLE).click()
    page.goto(site_url + "methodology/")
    assert page.evaluate("() => window.__pdAtBody") == {"care": "1", "script": False}


def test_care_mode_charts_stay_legible(page: Page, site_url: str):
    """In high contrast the chart text is black on white and bars stand out from their track and the page (3:1)."""
    page.goto(site_url + project_path(SUZHOU))
    page.locator(CARE_TOGGLE).click()
    colours = page.evaluate("""() => {
      const svg = document.querySelector('svg.pd-svg');
      const fill = sel => getComputedStyle(svg.querySelector(sel)).fill;
      return {text: fill('text'), axis: fill('.pd-axis'), bar: fill('.pd-bar'), budget: fill('.pd-bar-budget'),
              page: getComputedStyle(document.body).backgroundColor};
    }""")
    level = page.evaluate("""() => getComputedStyle(document.querySelector('#chart-level1 .pd-bar-bg')).fill""")

    def rgb(c: str) -> tuple[float, ...]:
        return tuple(float(x) for x in re.findall(r"[\d.]+", c)[:3])

    def contrast(a: str, b: str) -> float:
        def lum(c: tuple[float, ...]) -> float:
            f = [v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c]
            return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

        x, y = lum(rgb(a)), lum(rgb(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)

    assert contrast(colours["text"], colours["page"]) >= 15, colours
    assert contrast(colours["axis"], colours["page"]) >= 7, colours
    assert contrast(colours["bar"], colours["page"]) >= 3 and contrast(colours["budget"], colours["page"]) >= 3
    assert contrast(colours["bar"], level) >= 3, (colours, level)
    assert contrast(colours["bar"], colours["budget"]) >= 3, colours


def test_care_switch_is_hidden_without_javascript(browser: Browser, site_url: str):
    """Without JavaScript the switch (which could not work) is not shown and the page is the standard one."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + project_path(SUZHOU))
        expect(page.locator("[data-pd-care-switch]")).to_be_hidden()
        assert page.locator("html").get_attribute("data-pd-care") is None
        expect(page.locator("article h1").first).to_be_visible()
    finally:
        context.close()


# ---------------------------------------------------------------- page language


def test_every_page_declares_simplified_chinese(built_site):
    """<html lang="zh-CN"> on every page, generated and hand-written, and on the 404 page."""
    pages = sorted(built_site.root.rglob("*.html"))
    assert len(pages) > 20
    wrong = [
        p.relative_to(built_site.root).as_posix()
        for p in pages
        if not re.search(r'<html lang="zh-CN"[ >]', p.read_text(encoding="utf-8")[:500])
    ]
    assert not wrong, wrong
