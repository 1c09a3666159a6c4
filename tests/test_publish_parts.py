"""The parts of publishing that need no site engine: the output swap, the plugin's navigation default,
the once-per-depth layout cache and the preview's problem pages, called directly."""

from __future__ import annotations

import os

from generator.core import diagnostics as dg
from generator.mkdocs_plugin.nav import DEFAULT_NAV, default_nav
from generator.mkdocs_plugin.render_once import rendered_once
from generator.mkdocs_plugin.serve import flag_problems_on_home, problems_page
from generator.publish.swap import StagedOutput
from generator.render.outputs import Page


def test_staged_output_replaces_the_output_only_on_commit(tmp_path):
    final = tmp_path / "site"
    final.mkdir()
    (final / "old.html").write_text("old", encoding="utf-8")
    staged = StagedOutput(str(final))
    assert os.path.dirname(staged.path) == str(tmp_path) and staged.path != str(final)
    (tmp_path / os.path.basename(staged.path) / "new.html").write_text("new", encoding="utf-8")
    assert (final / "old.html").is_file()  # nothing changes before commit
    staged.commit()
    assert sorted(p.name for p in final.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging or old folder left


def test_aborted_staged_output_leaves_the_previous_output(tmp_path):
    final = tmp_path / "site"
    final.mkdir()
    (final / "old.html").write_text("old", encoding="utf-8")
    staged = StagedOutput(str(final))
    (tmp_path / os.path.basename(staged.path) / "half.html").write_text("half", encoding="utf-8")
    staged.abort()
    assert sorted(p.name for p in final.iterdir()) == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_new_staging_folder_clears_those_an_interrupted_build_left(tmp_path):
    left = StagedOutput(str(tmp_path / "site"))  # never committed nor aborted: the build was killed
    StagedOutput(str(tmp_path / "site")).abort()
    assert not os.path.exists(left.path)


def test_default_nav_lists_the_index_pages_then_hand_written_top_pages(tmp_path):
    (tmp_path / "about.md").write_text("# 关于", encoding="utf-8")
    (tmp_path / "index.md").write_text("# 首页", encoding="utf-8")
    (tmp_path / "guide").mkdir()
    assert default_nav(str(tmp_path)) == [*DEFAULT_NAV, "about.md"]
    assert default_nav(str(tmp_path / "missing")) == DEFAULT_NAV


def test_rendered_once_reuses_a_part_per_key_and_renders_key_none_every_time():
    calls: list[str] = []

    def part(text: str):
        return lambda: calls.append(text) or text

    once = rendered_once()
    assert once("../", "sidebar", part("a")) == "a"
    assert once("../", "sidebar", part("b")) == "a"  # the same depth: reused
    assert once("../../", "sidebar", part("c")) == "c"
    assert once(None, "sidebar", part("d")) == "d" and once(None, "sidebar", part("e")) == "e"
    assert calls == ["a", "c", "d", "e"]
    assert rendered_once()("../", "sidebar", part("f")) == "f"  # a new build starts afresh


def test_problems_page_lists_errors_and_warnings_escaped_and_the_home_page_points_to_it():
    diags = [
        dg.make("E101", "projects/2021/<x>.toml", 3, 1, "缺少 <id>"),
        dg.make("I219", "projects/2021/x.toml", 9, 1, "提示不列出"),
    ]
    page = problems_page(diags)
    assert "projects/2021/&lt;x&gt;.toml:3:1" in page and "缺少 &lt;id&gt;" in page and "提示不列出" not in page
    home = flag_problems_on_home(Page("index.md", "---\ntitle: 首页\n---\n# 首页\n"), diags)
    assert "记录有 1 个错误" in home.content and "(problems.md)" in home.content
    assert home.content.startswith("---\ntitle: 首页\n---\n")
    other = Page("projects/index.md", "# 全部项目\n")
    assert flag_problems_on_home(other, diags) is other
