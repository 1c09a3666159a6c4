"""The theme overrides (generator/mkdocs_plugin/theme/main.html, partials/language.html) against the installed Material.

main.html overrides three blocks of Material's base.html: `header`, which renders Material's own
partials/header.html once per page depth with a marker for the page title and adds the site's search,
`tabs` and `site_nav`, copies of Material's blocks with the tabs and the navigation sidebar rendered once per
depth and section. These tests fail when a Material upgrade changes what the overrides rely on: the blocks,
the title expression, what the header reads of the page, and the rendered header's structure; and they check
that the parts rendered once never show another page's current section, and that the editor guide stays out of
the public navigation (mkdocs_plugin/nav.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import material
import pytest

from generator.bench.fixtures import build_env

ROOT = Path(__file__).resolve().parents[1]
MATERIAL = Path(material.__file__).resolve().parent / "templates"
OURS = ROOT / "generator" / "mkdocs_plugin" / "theme"
SITE_NAME = "项目支出绩效评价信息公开"
SEEDS = ("bayannur-treasury-epay", "caidian-jincai")  # two project pages at the same depth
PAGE_TITLE_IN_HEADER = re.compile(r"{% if page\.meta and page\.meta\.title %}.*?{% endif %}", re.S)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _squeezed(template: str) -> str:
    return re.sub(r"\s+", "", template)


def _block(template: str, name: str) -> str:
    found = re.search(r"{%%-?\s*block %s\s*-?%%}(.*?){%%-?\s*endblock\s*-?%%}" % name, template, re.S)
    assert found, f"no block {name}"
    return found.group(1)


def test_material_base_has_the_overridden_blocks():
    base = _text(MATERIAL / "base.html")
    assert re.search(r'{% block header %}\s*{% include "partials/header.html" %}\s*{% endblock %}', base), (
        "Material's block header no longer just includes partials/header.html: review main.html's block header"
    )
    _block(base, "site_nav")


# Without the plugin (Zensical builds the output of generate --out) pd_once is undefined and the block is the base's.
ENGINE_FALLBACK = re.compile(
    r"^\s*{%\s*if pd_once is not defined\s*%}\s*{{\s*super\(\)\s*}}\s*{%\s*else\s*-%}(.*){%-\s*endif\s*%}\s*$", re.S
)


@pytest.mark.parametrize("block, key", [("site_nav", "pd_sidebar_key"), ("tabs", "pd_tabs_key")])
def test_override_is_materials_block_but_for_pd_once(block, key):
    """main.html's blocks site_nav and tabs are Material's, with only a pd_once call around the part kept (and,
    when there is no pd_once, the base's block instead)."""
    fallback = ENGINE_FALLBACK.match(_block(_text(OURS / "main.html"), block))
    assert fallback, f"block {block}: no fallback for an engine without the plugin"
    ours = fallback.group(1)
    assert f"pd_once({key}" in ours
    without_cache = "\n".join(line for line in ours.splitlines() if "pd_once(" not in line and "endcall" not in line)
    assert _squeezed(without_cache) == _squeezed(_block(_text(MATERIAL / "base.html"), block)), (
        f"Material's block {block} changed: copy it into main.html again, keeping the pd_once call"
    )


def test_title_expression_is_materials():
    """The title put in place of the marker is worked out as Material's header does it."""
    material_title = PAGE_TITLE_IN_HEADER.findall(_text(MATERIAL / "partials" / "header.html"))
    ours = PAGE_TITLE_IN_HEADER.findall(_block(_text(OURS / "main.html"), "header"))
    assert len(material_title) == 1 and len(ours) == 1
    assert _squeezed(ours[0]) == _squeezed(material_title[0]), "Material shows the page title differently now"


def test_material_header_reads_only_the_title_and_url_of_the_page():
    """The header is rendered with a stand-in page that has only url, meta.title and title."""
    header = _text(MATERIAL / "partials" / "header.html")
    assert set(re.findall(r"\bpage(?:\.\w+)*", header)) <= {"page.meta", "page.meta.title", "page.title"}
    for name in re.findall(r'{%\s*include\s+"([^"]+)"\s*%}', header):
        assert not re.search(r"\bpage\b", _text(MATERIAL / name)), f"Material's {name} now reads the page"


def test_language_override_is_materials_but_for_the_page_language():
    """partials/language.html is Material's, with theme.language "zh" written as lang="zh-CN"."""

    def code(path: Path) -> str:
        return _squeezed(re.sub(r"{#.*?#}", "", _text(path), flags=re.S))

    ours = code(OURS / "partials" / "language.html")
    wrapper = _squeezed('{% if key == "language" and config.theme.language == "zh" %}zh-CN{% else %}')
    assert wrapper in ours and ours.count("{%endif%}") == 1
    assert ours.replace(wrapper, "").replace("{%endif%}", "") == code(MATERIAL / "partials" / "language.html"), (
        "Material's partials/language.html changed: copy it again, keeping the zh → zh-CN rule"
    )


def test_the_header_is_materials_own():
    """No theme folder of the site holds a copy of Material's header: main.html includes Material's."""
    for theme in (OURS, ROOT / "theme"):
        assert not (theme / "partials" / "header.html").exists(), f"a copy of Material's header in {theme}"


def _build(base: Path, *, repo_url: str | None, features: list[str] | None = None) -> Path:
    records = base / "projects" / "2021"
    records.mkdir(parents=True)
    for slug in SEEDS:
        for ext in (".toml", ".md"):
            shutil.copy(ROOT / "projects" / "2021" / f"{slug}{ext}", records / f"{slug}{ext}")
    config = base / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {ROOT / 'content'}\n"
        f"theme:\n  custom_dir: {ROOT / 'theme'}\n"
        + (f"  features: {features}\n" if features else "")
        + (f"repo_url: {repo_url}\n" if repo_url else "")
        + f"plugins:\n  - disclosure:\n      records_dir: {base / 'projects'}\n"
        "validation:\n  nav:\n    not_found: info\n  links:\n    not_found: info\n",
        encoding="utf-8",
    )
    site = base / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
        cwd=str(base),
        env=build_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return site


SHIPPED_FEATURES = ["navigation.tabs", "navigation.top", "navigation.indexes", "toc.follow"]
# the tabs inside the header, and Material's previous / next links in the footer
STICKY_TABS = [*SHIPPED_FEATURES, "navigation.tabs.sticky", "navigation.footer"]


@pytest.fixture(
    scope="module",
    params=[(None, None), ("https://example.org/bureau/records", None), (None, STICKY_TABS)],
    ids=["plain", "repo_url", "sticky_tabs"],
)
def built(request, tmp_path_factory) -> tuple[Path, str | None]:
    repo_url, features = request.param
    return _build(tmp_path_factory.mktemp("theme"), repo_url=repo_url, features=features), repo_url


def test_the_shipped_features_are_the_ones_tested():
    """The variants above add to the shipped mkdocs.yml's features (a list given there replaces the whole list)."""
    block = re.search(r"^  features:\n((?:    - .*\n)+)", _text(ROOT / "mkdocs.yml"), re.M)
    assert block, "mkdocs.yml: theme.features not found"
    assert re.findall(r"^    - (\S+)", block.group(1), re.M) == SHIPPED_FEATURES


def _header(site: Path, page: str):
    root = lxml.html.fromstring((site / page).read_bytes())
    headers = root.xpath("//header")
    assert len(headers) == 1, f"{page}: {len(headers)} headers"
    return root, headers[0]


def _one(element, xpath: str):
    found = element.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    return found[0]


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


PAGES = [
    "index.html",
    "404.html",
    "guide/index.html",
    *(f"projects/2021/{slug}/index.html" for slug in SEEDS),
    "years/2021/index.html",
]


@pytest.mark.parametrize("page_path", PAGES)
def test_rendered_header_structure(built, page_path):
    site, repo_url = built
    root, header = _header(site, page_path)
    assert "\x00" not in (site / page_path).read_text(encoding="utf-8"), "the title marker was left in the page"
    assert "md-header" in header.get("class").split() and header.get("data-md-component") == "header"
    nav = _one(header, f"nav[{_has_class('md-header__inner')}]")
    _one(nav, f".//a[{_has_class('md-logo')}]")
    _one(nav, "label[@for='__drawer']")
    title = _one(nav, f"div[{_has_class('md-header__title')}]")
    topic = _one(title, ".//div[@data-md-component='header-topic']").text_content().strip()
    html_title = _one(root, "//head/title").text_content()
    expected = "" if page_path == "404.html" else html_title.removesuffix(f" - {SITE_NAME}")
    assert topic == expected

    # The site's search, once, where Material puts its own: after the colour palette, before the repository link.
    children = list(nav)
    search = _one(header, f".//div[{_has_class('md-search')}]")
    assert search.getparent() is nav and search.get("data-pd-search") is not None
    _one(search, ".//form[@name='pd-search']//input[@data-pd-search-input]")
    button = _one(nav, f"label[@for='__search' and {_has_class('md-header__button')}]")
    assert children.index(button) + 1 == children.index(search)
    palette = _one(nav, "form[@data-md-component='palette']")
    assert children.index(palette) < children.index(button)
    # The 关怀模式 switch, just before the search; hidden until its script shows it (no use without JavaScript).
    care = _one(nav, "div[@data-pd-care-switch]")
    assert children.index(palette) < children.index(care) < children.index(button)
    assert care.get("hidden") is not None
    assert root.get("lang") == "zh-CN"
    if repo_url:
        source = _one(nav, f"div[{_has_class('md-header__source')}]")
        assert children.index(search) + 1 == children.index(source)
        assert _one(source, ".//a").get("href") == repo_url
    else:
        assert children[-1] is search


def test_pages_at_one_depth_show_their_own_title(built):
    """The header is rendered once per depth; each page still shows its own title in it."""
    site, _ = built
    topics = []
    for slug in SEEDS:
        _, header = _header(site, f"projects/2021/{slug}/index.html")
        topics.append(_one(header, ".//div[@data-md-component='header-topic']").text_content().strip())
    assert len(set(topics)) == len(SEEDS) and all(topics)


# ---------------------------------------------------------------- the navigation each page shows (nav.py)

PUBLIC_SECTIONS = ["首页", "全部项目", "按年度", "按部门", "方法说明", "数据下载"]
GUIDE = "编辑指南"


def _expected_sections(site: Path) -> dict[str, str | None]:
    """Each page checked → the section it should mark as current (None: none)."""
    departments = sorted(p.relative_to(site).as_posix() for p in (site / "departments").glob("*/index.html"))
    assert len(departments) == len(SEEDS)  # two departments: pages at one depth with the year page
    return {
        "index.html": "首页",
        "projects/index.html": "全部项目",
        **{f"projects/2021/{slug}/index.html": "全部项目" for slug in SEEDS},
        "years/index.html": "按年度",
        "years/2021/index.html": "按年度",
        "departments/index.html": "按部门",
        **dict.fromkeys(departments, "按部门"),
        "methodology/index.html": "方法说明",
        "data/index.html": "数据下载",
        "guide/index.html": GUIDE,
        "guide/fields/index.html": GUIDE,
        "guide/publishing/index.html": GUIDE,
        "404.html": None,
    }


def _top_items(root) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """(label, current) of each tab, and of each top-level item of the navigation sidebar."""
    tabs = [
        (li.text_content().strip(), "md-tabs__item--active" in li.get("class").split())
        for li in root.xpath(f"//nav[{_has_class('md-tabs')}]//li[{_has_class('md-tabs__item')}]")
    ]
    sidebar = _one(root, f"//nav[{_has_class('md-nav--primary')}]")
    items = [
        (li.xpath("./a|./label|./div")[0].text_content().strip(), "md-nav__item--active" in li.get("class").split())
        for li in sidebar.xpath("./ul/li")
    ]
    return tabs, items


def test_every_page_marks_its_own_section_and_only_guide_pages_show_the_guide(built):
    """Tabs and sidebar are rendered once per depth and section: each page still marks its own section (a project
    page 全部项目, a year page 按年度, a department page at the same depth 按部门); the guide is a section of the
    navigation only on its own pages."""
    site, _ = built
    for page_path, section in _expected_sections(site).items():
        root = lxml.html.fromstring((site / page_path).read_bytes())
        tabs, items = _top_items(root)
        shown = PUBLIC_SECTIONS + ([GUIDE] if section == GUIDE else [])
        assert [label for label, _ in tabs] == shown, page_path
        assert [label for label, _ in items] == shown, page_path
        assert [label for label, current in tabs if current] == ([section] if section else []), page_path
        assert [label for label, current in items if current] == ([section] if section else []), page_path
        here = "/" + page_path.removesuffix("index.html")
        nav_links = root.xpath(f"//nav[{_has_class('md-tabs')} or {_has_class('md-nav--primary')}]//a/@href")
        guide_links = [h for h in nav_links if urljoin(here, h).startswith("/guide/")]
        assert bool(guide_links) == (section == GUIDE), (page_path, guide_links)


def test_previous_and_next_links_keep_public_pages_and_the_guide_apart(built):
    """With Material's footer links (navigation.footer) 数据下载 does not lead on into the guide, nor the guide
    back to 数据下载; inside the guide they lead from page to page."""
    site, _ = built

    def footer_links(page_path: str) -> dict[str, str]:
        root = lxml.html.fromstring((site / page_path).read_bytes())
        here = "/" + page_path.removesuffix("index.html")
        return {
            kind: urljoin(here, href)
            for kind in ("prev", "next")
            for href in root.xpath(f"//footer//a[{_has_class('md-footer__link--' + kind)}]/@href")
        }

    if not footer_links("methodology/index.html"):  # a variant without navigation.footer: no such links at all
        assert footer_links("data/index.html") == footer_links("guide/records/index.html") == {}
        return
    assert footer_links("data/index.html") == {"prev": "/methodology/"}
    assert footer_links("guide/index.html") == {"next": "/guide/records/"}
    assert footer_links("guide/records/index.html")["prev"] == "/guide/"


def test_a_records_repository_without_nav_gets_the_sections_as_tabs(tmp_path):
    """A records repository's mkdocs.yml as the guide shows it (no nav, no features): the plugin's default
    navigation, as tabs, with a project page marking 全部项目."""
    records = tmp_path / "projects" / "2021"
    records.mkdir(parents=True)
    for ext in (".toml", ".md"):
        shutil.copy(ROOT / "projects" / "2021" / f"{SEEDS[0]}{ext}", records / f"{SEEDS[0]}{ext}")
    (tmp_path / "content").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: 某市项目支出绩效评价信息公开\ndocs_dir: content\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "markdown_extensions:\n  - toc\n  - tables\n  - attr_list\n  - admonition\n"
        "plugins:\n  - disclosure:\n      records_dir: projects\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        cwd=str(tmp_path),
        env=build_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    root = lxml.html.fromstring((tmp_path / "site" / "projects" / "2021" / SEEDS[0] / "index.html").read_bytes())
    tabs, items = _top_items(root)
    assert tabs == items == [(label, label == "全部项目") for label in PUBLIC_SECTIONS]
