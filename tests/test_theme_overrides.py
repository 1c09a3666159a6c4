"""The theme overrides (generator/mkdocs_plugin/theme/main.html, partials/language.html) against the installed Material.

main.html overrides two blocks of Material's base.html: `header`, which renders Material's own
partials/header.html once per page depth with a marker for the page title and adds the site's search, and
`site_nav`, a copy of Material's block with the navigation sidebar rendered once per depth. These tests fail
when a Material upgrade changes what the overrides rely on: the blocks, the title expression, what the header
reads of the page, and the rendered header's structure.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

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


def test_site_nav_override_is_materials_block_but_for_pd_once():
    """main.html's block site_nav is Material's, with only the pd_once call around the navigation sidebar."""
    ours = _block(_text(OURS / "main.html"), "site_nav")
    assert "pd_once(pd_sidebar_key" in ours
    without_cache = "\n".join(line for line in ours.splitlines() if "pd_once(" not in line and "endcall" not in line)
    assert _squeezed(without_cache) == _squeezed(_block(_text(MATERIAL / "base.html"), "site_nav")), (
        "Material's block site_nav changed: copy it into main.html again, keeping the pd_once call"
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


def _build(base: Path, *, repo_url: str | None) -> Path:
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


@pytest.fixture(scope="module", params=[None, "https://example.org/bureau/records"], ids=["plain", "repo_url"])
def built(request, tmp_path_factory) -> tuple[Path, str | None]:
    return _build(tmp_path_factory.mktemp("theme"), repo_url=request.param), request.param


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
