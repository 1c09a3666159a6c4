"""The parts of publishing that need no site engine: the output swap, the plugin's navigation default,
the once-per-depth layout cache and the preview's problem pages, called directly."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.core import diagnostics as dg
from generator.mkdocs_plugin.nav import DEFAULT_NAV, default_nav
from generator.mkdocs_plugin.render_once import rendered_once
from generator.mkdocs_plugin.serve import flag_previewed_on_home, flag_problems_on_home, problems_page
from generator.publish import swap
from generator.publish.memory import build_in_memory
from generator.publish.policy import State, preview_notice
from generator.publish.site import SiteRequest
from generator.publish.swap import MARKER, StagedOutput
from generator.render.outputs import Page
from generator.render.project import SiteOptions


def test_staged_output_replaces_the_output_only_on_commit(tmp_path):
    final = tmp_path / "site"
    final.mkdir()
    (final / "old.html").write_text("old", encoding="utf-8")
    staged = StagedOutput(str(final))
    assert os.path.dirname(staged.path) == str(tmp_path) and staged.path != str(final)
    (tmp_path / os.path.basename(staged.path) / "new.html").write_text("new", encoding="utf-8")
    assert (final / "old.html").is_file()  # nothing changes before commit
    staged.commit()
    assert sorted(p.name for p in final.iterdir()) == [MARKER, "new.html"]  # the marker: this tool's folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging, old folder or lock left


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
    os.close(left.lock.fd)  # the OS drops a killed process's lock; its lock file stays
    left.lock.fd = None
    StagedOutput(str(tmp_path / "site")).abort()
    assert not os.path.exists(left.path)


def _staged_with(final, files: dict[str, str], **kw) -> StagedOutput:
    staged = StagedOutput(str(final), **kw)
    for rel, text in files.items():
        path = os.path.join(staged.path, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return staged


def _tree(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()
    }


def _old_site(tmp_path):
    final = tmp_path / "site"
    (final / "gone" / "deep").mkdir(parents=True)
    (final / "gone" / "deep" / "x.html").write_text("x", encoding="utf-8")
    (final / "index.html").write_text("old", encoding="utf-8")
    (final / "page").write_text("a file that becomes a folder", encoding="utf-8")
    return final


NEW = {"index.html": "new", "page/index.html": "page", "assets/a.css": "css"}


def test_the_swap_is_one_exchange_where_linux_offers_it(tmp_path):
    if swap._renameat2 is None:
        pytest.skip("no renameat2 here")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "in-a").write_text("", encoding="utf-8")
    assert swap.exchange(str(a), str(b))  # works on this machine's filesystem
    assert os.listdir(b) == ["in-a"] and os.listdir(a) == []
    final = _old_site(tmp_path)
    _staged_with(final, NEW).commit()
    assert final.is_dir() and not final.is_symlink()
    assert _tree(final) == {**NEW, MARKER: swap.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "site"]  # no old copy, staging or lock


def test_the_published_folder_is_readable_by_a_web_server(tmp_path):
    umask = os.umask(0o022)
    try:
        _staged_with(tmp_path / "site", NEW).commit()
    finally:
        os.umask(umask)
    assert (tmp_path / "site").stat().st_mode & 0o777 == 0o755  # not the 0700 of a temporary folder


def test_without_an_exchange_two_renames_leave_no_old_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "_renameat2", None)
    final = _old_site(tmp_path)
    _staged_with(final, NEW).commit()
    assert _tree(final) == {**NEW, MARKER: swap.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_old_copy_an_interrupted_swap_left_is_put_back_or_removed(tmp_path):
    old = tmp_path / "site.old-x1"  # killed between the two renames: no site, only its old copy
    old.mkdir()
    (old / "index.html").write_text("kept", encoding="utf-8")
    StagedOutput(str(tmp_path / "site")).abort()
    assert _tree(tmp_path / "site") == {"index.html": "kept"}  # the site is back without a new build
    (tmp_path / "site.old-x2").mkdir()  # a copy the swap could not remove
    StagedOutput(str(tmp_path / "site")).abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _mount_point(final):
    """os.rename and the exchange refuse the output as they do for a mount point."""
    real_rename = os.rename

    def rename(src, dst):
        if os.fspath(dst) == str(final) or os.fspath(src) == str(final):
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(final))
        return real_rename(src, dst)

    def exchange(a, b):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), b)

    return rename, exchange


@pytest.mark.parametrize("with_exchange", [True, False])
def test_a_mount_point_is_updated_in_place(tmp_path, monkeypatch, with_exchange):
    final = _old_site(tmp_path)
    inode = final.stat().st_ino
    rename, exchange = _mount_point(final)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(swap, "exchange", exchange if with_exchange else lambda a, b: False)
    staged = _staged_with(final, NEW)
    staged.commit()
    assert final.stat().st_ino == inode  # the same folder, its files replaced and the extra ones removed
    assert _tree(final) == {**NEW, MARKER: swap.MARKER_TEXT}
    assert not (final / "gone").exists()
    assert "逐个更新" in staged.notice and str(final) in staged.notice
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_read_only_output_is_a_chinese_error_and_keeps_the_previous_output(tmp_path, monkeypatch, code):
    final = _old_site(tmp_path)
    before = _tree(final)

    def exchange(a, b):
        raise PermissionError(code, os.strerror(code), b)

    monkeypatch.setattr(swap, "exchange", exchange)
    staged = _staged_with(final, NEW)
    with pytest.raises(swap.OutputError, match="无法写入.*只读.*原有的输出未做改动"):
        staged.commit()
    staged.abort()
    assert _tree(final) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # staging and lock gone


def test_a_read_only_parent_is_a_chinese_error_before_the_build(tmp_path, monkeypatch):
    def mkdtemp(**kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), kw.get("dir"))

    monkeypatch.setattr(swap.tempfile, "mkdtemp", mkdtemp)
    with pytest.raises(swap.OutputError, match=f"无法写入 {tmp_path}"):
        StagedOutput(str(tmp_path / "site"))
    assert list(tmp_path.iterdir()) == []  # the lock is released and removed


@pytest.mark.parametrize("flock", [True, False])
def test_one_build_at_a_time_per_output(tmp_path, monkeypatch, flock):
    if not flock:
        monkeypatch.setattr(swap, "fcntl", None)  # the O_EXCL fallback
    first = StagedOutput(str(tmp_path / "site"))
    with pytest.raises(swap.OutputError, match="另一次构建正在写入.*等待 0.2 秒后仍未结束"):
        StagedOutput(str(tmp_path / "site"), wait=0.2)
    first.abort()
    StagedOutput(str(tmp_path / "site"), wait=0.2).abort()  # free again
    StagedOutput(str(tmp_path / "other"), wait=0.2).abort()  # another output has its own lock


def test_default_nav_lists_the_index_pages_then_hand_written_top_pages(tmp_path):
    (tmp_path / "about.md").write_text("# 关于", encoding="utf-8")
    (tmp_path / "index.md").write_text("# 首页", encoding="utf-8")
    (tmp_path / "guide").mkdir()
    assert default_nav(str(tmp_path)) == [*DEFAULT_NAV, "about.md"]
    assert default_nav(str(tmp_path / "missing")) == DEFAULT_NAV


def test_default_nav_gives_the_guide_its_own_section(tmp_path):
    """The tool's guide is the last section, in its reading order with its home first; the pages of a guide/
    folder in docs_dir follow, and one that replaces a page of the tool's keeps that page's place."""
    from generator.render.guide_pages import GUIDE_PATHS

    assert default_nav(str(tmp_path), GUIDE_PATHS)[-1] == {"编辑指南": list(GUIDE_PATHS)}
    (tmp_path / "guide").mkdir()
    for name in ("records.md", "contact.md", "about.md"):
        (tmp_path / "guide" / name).write_text("# 页", encoding="utf-8")
    nav = default_nav(str(tmp_path), ("guide/records.md", "guide/index.md", "guide/fields.md"))
    assert nav[: len(DEFAULT_NAV)] == DEFAULT_NAV
    assert nav[-1] == {
        "编辑指南": ["guide/index.md", "guide/records.md", "guide/fields.md", "guide/about.md", "guide/contact.md"]
    }


def test_default_nav_comes_with_tabs_added_to_the_themes_features():
    from generator.mkdocs_plugin.nav import use_default_features

    theme = {"features": ["navigation.top"]}
    use_default_features(theme)
    assert theme["features"] == ["navigation.top", "navigation.tabs"]
    use_default_features(theme)  # mkdocs serve configures again on every rebuild
    assert theme["features"] == ["navigation.top", "navigation.tabs"]
    bare: dict = {}
    use_default_features(bare)
    assert bare["features"] == ["navigation.tabs"]


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


# ---------------------------------------------------------------- drafts and embargoed records in the preview

SITE_FIXTURES = Path(__file__).resolve().parent / "site" / "fixtures" / "projects"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def records_with_withheld(tmp_path):
    """The shipped records, the site tests' draft and record of 2099, and a draft with an error (no narrative, E110)."""
    records = tmp_path / "projects"
    shutil.copytree(ROOT / "projects", records)
    shutil.copytree(SITE_FIXTURES, records, dirs_exist_ok=True)
    broken = (records / "2023" / "draft-qilin.toml").read_text(encoding="utf-8")
    (records / "2023" / "broken-draft.toml").write_text(broken.replace("draft-qilin-fixture", "broken-draft"), "utf-8")
    return records


def _build(records, preview: bool):
    request = SiteRequest(str(records), SiteOptions(), dt.date(2025, 1, 1), workers=1, preview=preview)
    return build_in_memory(request)


def test_a_build_renders_no_draft_and_no_embargoed_record(records_with_withheld):
    build, pages = _build(records_with_withheld, preview=False)
    assert (build.published, build.withheld, build.previewed) == (5, 3, [])
    assert not [path for path in pages if "2023" in path]
    assert not any("pd-preview-banner" in page.content for page in pages.values())


def test_the_preview_renders_valid_drafts_and_embargoed_records_with_a_banner(records_with_withheld):
    build, pages = _build(records_with_withheld, preview=True)
    assert (build.published, build.withheld) == (5, 3)
    assert [d.code for d in build.diagnostics if "broken-draft" in d.file and d.code.startswith("E")] == ["E110"]
    shown = {s.path: (p.state, p.date) for s, p in build.previewed}
    assert shown == {
        "projects/2023/draft-qilin.md": (State.DRAFT, None),
        "projects/2023/future-fenghuang.md": (State.EMBARGOED, dt.date(2099, 12, 31)),
    }, "a draft with errors is on the problems page, not previewed"
    draft, future = pages["projects/2023/draft-qilin.md"].content, pages["projects/2023/future-fenghuang.md"].content
    assert draft.index("草稿（不会发布）") < draft.index("\n# 草稿专用短语七彩麒麟项目")
    assert future.index("未到公开日期（将于 2099-12-31 公开）") < future.index("\n# ")
    assert draft.startswith("---\ntitle:"), "the front matter stays first"
    # No index page, data file or count includes them; the search does (in the preview only).
    listing = pages["projects/index.md"].content
    assert "draft-qilin" not in listing and "future-fenghuang" not in listing and "5 个公开的评价记录" in listing
    assert "七彩麒麟" not in "".join(a.content.decode("utf-8", "replace") for a in build.index.data_files())
    summaries = {d.url: d.summary for d in build.index.search_index_docs()}
    assert summaries["projects/2023/draft-qilin/"].startswith("草稿（不会发布） · ")
    assert summaries["projects/2023/future-fenghuang/"].startswith("未到公开日期（将于 2099-12-31 公开） · ")
    assert not summaries["projects/2021/caidian-jincai/"].startswith(("草稿", "未到"))


def test_the_preview_home_page_links_to_what_only_the_preview_shows(records_with_withheld):
    build, _ = _build(records_with_withheld, preview=True)
    summary, found = build.previewed[0]
    odd = replace(summary, name="名称[含*方括号_与<尖括号>]")
    build.previewed[0] = (odd, found)
    home = flag_previewed_on_home(Page("index.md", "---\ntitle: 首页\n---\n# 首页\n"), build)
    assert home.content.startswith("---\ntitle: 首页\n---\n")
    assert "另有 2 个记录只在本地预览中显示" in home.content
    assert "名称\\[含\\*方括号\\_与&lt;尖括号&gt;\\]" in home.content, "record text cannot become markup"
    assert f"]({odd.path})：{preview_notice(found)[0]}" in home.content
