"""What editors see stays off public pages: a withheld record is never named by a published one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.publish.memory import MemorySink
from generator.publish.site import SiteRequest, build_site
from generator.render.project import SiteOptions

ROOT = Path(__file__).resolve().parents[1]
SECRET = "草稿中的保密名称"


def test_a_draft_with_the_same_id_is_not_named_on_the_published_page(tmp_path):
    records = tmp_path / "projects"
    shutil.copytree(ROOT / "projects", records)
    original = (records / "2021" / "dapeng-treasury-funds.toml").read_text(encoding="utf-8")
    draft = original.replace('name = "', f'name = "{SECRET}', 1).replace('status = "published"', 'status = "draft"', 1)
    assert 'status = "draft"' in draft
    (records / "2020" / "dapeng-secret-draft.toml").write_text(
        draft.replace("year = 2021", "year = 2020", 1), encoding="utf-8"
    )
    sink = MemorySink()
    build = build_site(SiteRequest(str(records), SiteOptions(), dt.date(2025, 1, 1), workers=1), sink)
    for page in build.finish():
        sink.page(page)
    assert any(d.code == "W121" and "dapeng-treasury-funds" in d.file for d in build.diagnostics)  # the editor is told
    published = [p.content for p in sink.pages.values()] + [
        a.content.decode("utf-8", "replace") for a in sink.assets.values()
    ]
    assert "projects/2021/dapeng-treasury-funds.md" in sink.pages
    for text in published:
        assert SECRET not in text and "dapeng-secret-draft" not in text


def test_record_text_in_markdown_shows_no_stray_backslash():
    """A tilde in a scheme's or record's text (100%~130%) reads as written on the page: no backslash before it."""
    import markdown

    from generator.render.text import md_inline

    html = markdown.markdown(md_inline("100%~130% 的 *部分* [链接] ~~删除~~"), extensions=["tables", "attr_list"])
    assert "\\" not in html
    assert "100%~130%" in __import__("html").unescape(html)
    assert "<em>" not in html and "<del>" not in html and "<a " not in html


def test_methodology_weight_tables_add_up_to_each_scheme_maximum():
    """方法说明 lists every scored part of a scheme as on the form (单位自评: 预算执行率 10 as well), so the
    points add up to the scheme's maximum."""
    import re
    from decimal import Decimal

    from generator.core.schemes import load_library
    from generator.publish.memory import build_in_memory

    _, pages = build_in_memory(SiteRequest(str(ROOT / "projects"), SiteOptions(), dt.date(2025, 1, 1), workers=1))
    page = pages["methodology.md"].content
    library = load_library(str(ROOT / "projects"))
    checked = 0
    for scheme in library.schemes.values():
        section = page.split(f"### {scheme.title}", 1)
        if len(section) < 2 or scheme.max_score is None:
            continue
        table = section[1].split("###", 1)[0]
        points = [Decimal(p) for p in re.findall(r'<td class="pd-num">([\d.]+)</td>', table)]
        assert sum(points) == scheme.max_score, (scheme.name, points)
        checked += 1
    assert checked >= 2


def test_methodology_explains_every_rule_kind_without_editor_parameters():
    """方法说明 speaks to the public: every registered rule kind has a plain explanation, with no parameter names
    (full_at, per_point_pct, lower_mode …) and no kind identifiers (budget_execution …)."""
    import re

    from generator.core.rules import KINDS
    from generator.publish.memory import build_in_memory
    from generator.render.listings import public_rule_text

    for name in KINDS:
        assert public_rule_text(name)
    _, pages = build_in_memory(SiteRequest(str(ROOT / "projects"), SiteOptions(), dt.date(2025, 1, 1), workers=1))
    rules = pages["methodology.md"].content.split("## 评分规则类型", 1)[1]
    visible = re.sub(r"<[^>]+>", "", rules)
    assert not re.search(r"[a-z]+(?:\\?_[a-z]+)+", visible), re.findall(r"[a-z]+(?:\\?_[a-z]+)+", visible)
    assert not any(f"（{name}）" in visible for name in KINDS)
