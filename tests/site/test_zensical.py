"""The shipped records built with Zensical (Material for MkDocs' successor, which runs no MkDocs plugin), as the
README tells a publisher to: `python3 -m generator generate --zensical --out out/ projects`, then
`zensical build -f zensical.yml --strict` beside the repository's mkdocs.yml and zensical.yml.

The build has no warnings, every project has its page, no internal link is broken (publish/link_check.py), and the
site's own Chinese search (the tool's theme overrides: partials/pd-search.html, assets/pd-search.js) finds a project
in Chromium.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest

from generator.publish.link_check import check_links

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed")
from playwright.sync_api import Page, expect  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SEARCH_INPUT = "[data-pd-search-input]"
RESULTS = "[data-pd-search-results]"
META = "[data-pd-search-meta]"


def _blocks(css: str) -> list[tuple[str, str | None]]:
    """The top-level (prelude, body) pairs of a stylesheet; body None for a statement (@charset …;)."""
    out: list[tuple[str, str | None]] = []
    start = depth = 0
    opened = 0
    quote = ""
    i = 0
    while i < len(css):
        c = css[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "{":
            opened = i if depth == 0 else opened
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append((css[start:opened].strip(), css[opened + 1 : i]))
                start = i + 1
        elif c == ";" and depth == 0:
            out.append((css[start:i].strip(), None))
            start = i + 1
        i += 1
    return out


def _split(text: str, sep: str) -> list[str]:
    """`text` split at `sep` outside brackets and strings (a selector list, a declaration block)."""
    parts, depth, quote, current = [], 0, "", ""
    for c in text:
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += c
    return [*parts, current]


def search_rules(css: str) -> str:
    """The rules of a Material stylesheet for its search box and results: selectors naming md-search (the other
    selectors of a list dropped), inside their @media and @supports blocks, and the --md-search… variables."""
    kept = []
    for prelude, body in _blocks(css):
        if body is None or (prelude.startswith("@") and not prelude.startswith(("@media", "@supports"))):
            continue
        if prelude.startswith("@"):
            if inner := search_rules(body):
                kept.append(f"{prelude}{{{inner}}}")
        elif selectors := [s for s in _split(prelude, ",") if "md-search" in s]:
            kept.append(f"{','.join(selectors)}{{{body}}}")
        elif variables := [d for d in _split(body, ";") if d.strip().startswith("--md-search")]:
            kept.append(f"{prelude}{{{';'.join(variables)}}}")
    return "".join(kept)


def test_html_links_relative_to_the_page_file():
    """generate --zensical: a page's HTML links name the same files, relative to its Markdown file (Zensical puts
    ../ in front of them on a page that is not an index page); index pages, other sites and code stay."""
    from generator.render.urls import links_from_source

    page = '<a href="projects.csv">表</a> <a href="../watchlist/#a">清单</a> <a href="#x">节</a> <a href="./">本页</a>'
    assert links_from_source("data.md", page) == (
        '<a href="data/projects.csv">表</a> <a href="watchlist/#a">清单</a> <a href="#x">节</a> <a href="data/">本页</a>'
    )
    project = '<a href="../../../departments/%E5%AF%8C/">部门</a> <img src="../../../downloads/2021/x.svg">'
    assert links_from_source("projects/2021/x.md", project) == (
        '<a href="../../departments/%E5%AF%8C/">部门</a> <img src="../../downloads/2021/x.svg">'
    )
    for src in ("index.md", "projects/index.md"):
        assert links_from_source(src, '<a href="2021/x/">x</a>') == '<a href="2021/x/">x</a>'
    other = '<a href="https://example.gov.cn/a">外站</a> <a href="/abs/">根</a>\n```html\n<a href="x/">例</a>\n```'
    assert links_from_source("data.md", other) == other


def test_the_search_styles_are_materials(site_tools):
    """assets/pd-search-material.css holds Material's own rules for its search box (Zensical's stylesheet has none),
    exactly as the installed Material has them: a Material update that changes them fails here."""
    import material

    stylesheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    (main,) = stylesheets.glob("main.*.min.css")
    shipped = (
        site_tools.ROOT / "generator" / "mkdocs_plugin" / "theme" / "assets" / "pd-search-material.css"
    ).read_text(encoding="utf-8")
    rules = search_rules(main.read_text(encoding="utf-8"))
    assert ".md-search__input{" in rules and "md-search-result__meta" in rules
    assert rules + "\n" in shipped


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)


GENERATE = "generate --zensical --out out/ projects"  # the README's commands (section 改用 Zensical 构建)
BUILD = "build -f zensical.yml --strict"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory, site_tools):
    """The repository's mkdocs.yml, zensical.yml and projects/ in a fresh folder; the README's two commands there."""
    readme = (site_tools.ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python3 -m generator {GENERATE}" in readme and f"zensical {BUILD}" in readme
    base = tmp_path_factory.mktemp("zensical")
    for name in ("mkdocs.yml", "zensical.yml"):
        shutil.copy(site_tools.ROOT / name, base / name)
    records = site_tools.copy_records(base / "projects", fixtures=())
    env = dict(site_tools.env(), NO_COLOR="1")
    gen = _run([sys.executable, "-m", "generator", *GENERATE.split()], base, env)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    build = _run([sys.executable, "-m", "zensical", *BUILD.split()], base, env)
    log = ANSI.sub("", build.stdout + build.stderr)
    assert build.returncode == 0, log[-4000:]
    return SimpleNamespace(root=base / "site", out=base / "out", log=log, records=records)


def test_the_build_has_no_warnings(zensical_site):
    assert "No issues found" in zensical_site.log, zensical_site.log
    assert "Warning" not in zensical_site.log and "Error" not in zensical_site.log, zensical_site.log


def test_every_generated_page_is_built(zensical_site):
    """Each Markdown page of generate --out is an HTML page of the site (page.md → page/index.html), every
    project included, and the editor guide is whole."""
    site, out = zensical_site.root, zensical_site.out
    records = sorted(zensical_site.records.glob("[0-9][0-9][0-9][0-9]/*.toml"))
    assert records
    for record in records:
        page = site / "projects" / record.parent.name / record.stem / "index.html"
        assert page.is_file(), page
        assert "<h1" in page.read_text(encoding="utf-8")
    sources = sorted(p.relative_to(out).with_suffix("") for p in out.rglob("*.md"))
    assert len(sources) > len(records)
    for src in sources:
        folder = src.parent if src.name == "index" else src
        assert (site / folder / "index.html").is_file(), src
    for name in ("index", "records", "fields", "rules", "grades", "codes", "editor", "publishing"):
        assert (site / "guide" / ("" if name == "index" else name) / "index.html").is_file(), name


def test_no_internal_link_is_broken(zensical_site):
    """Zensical rewrites the HTML links of a page as if relative to its Markdown file: generate --zensical writes
    them that way (render/urls.links_from_source). The check follows every href and src, #fragments included."""
    broken = check_links(str(zensical_site.root))
    assert broken == [], broken[:10]
    home = (zensical_site.root / "index.html").read_text(encoding="utf-8")
    assert 'href="projects/"' in home  # the check did read links


def test_the_tool_theme_is_in_the_build(zensical_site):
    """The overrides render without the MkDocs plugin: the site's search and 关怀模式 in the header, the styles and
    scripts, the page language zh-CN; Zensical's own search is off (one search box)."""
    page = (zensical_site.root / "projects" / "2021" / "caidian-jincai" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="md-search pd-search"') == 1 and page.count('class="md-search"') == 0
    assert "data-pd-care-switch" in page and '<html lang="zh-CN"' in page
    for asset in ("pd.css", "pd-a11y.css", "pd-search.js", "pd-table.js", "pd-care.js", "pd-keyboard.js"):
        assert f"assets/{asset}" in page, asset
        assert (zensical_site.root / "assets" / asset).is_file(), asset
    assert (zensical_site.root / "search" / "manifest.json").is_file()  # the index generate wrote


@pytest.fixture(scope="module")
def zensical_url(zensical_site, site_tools):
    handler = functools.partial(site_tools.quiet_handler, directory=str(zensical_site.root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="zensical-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_chinese_search_finds_a_project(page: Page, zensical_url: str, zensical_site, shots_dir):
    """On the Zensical-built site, typing 国库 into the header's search box lists project pages, and the first
    result opens its project's page. Every request stays on the site and is answered."""
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(zensical_url + "methodology/")
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.press_sequentially("国库")
    expect(page.locator(META)).to_have_text(re.compile(r"^找到 \d+ 个结果"), timeout=15_000)
    links = page.eval_on_selector_all(f"{RESULTS} > li a", "els => els.map(a => a.href)")
    paths = [unquote(urlsplit(u).path) for u in links]
    projects = [p for p in paths if re.fullmatch(r"/projects/\d{4}/[a-z0-9-]+/", p)]
    assert projects, paths
    assert {"/projects/2021/dapeng-treasury-funds/", "/projects/2021/bayannur-treasury-epay/"} <= set(projects)
    page.screenshot(path=str(shots_dir / "zensical-search.png"))
    page.locator(f"{RESULTS} > li a").nth(paths.index(projects[0])).click()
    page.wait_for_load_state("networkidle")
    assert unquote(urlsplit(page.url).path) == projects[0]
    assert (zensical_site.root / projects[0].strip("/") / "index.html").is_file()
    expect(page.locator("h1").first).to_be_visible()
    outside = [
        u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
    ]
    assert outside == [] and failed == [], (outside, failed)
    assert any("/search/t/" in u for u in requests)  # answered by the site's own index (search/)
