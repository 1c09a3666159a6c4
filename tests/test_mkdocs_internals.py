"""Every MkDocs / Material internal the plugin relies on (generator/mkdocs_plugin/internals.py) still exists
in the installed versions. These fail loudly on an upgrade that breaks one: the plugin has no silent fallback."""

from __future__ import annotations

import inspect
import logging
import re
from pathlib import Path

import material
import mkdocs.commands.build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.mkdocs_plugin import internals

ROOT = Path(__file__).resolve().parents[1]


def _config(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    custom = tmp_path / "overrides"
    custom.mkdir()
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(
        f"site_name: t\ndocs_dir: {docs}\nsite_dir: {tmp_path / 'site'}\ntheme:\n  name: material\n  custom_dir: {custom}\n",
        encoding="utf-8",
    )
    return load_config(str(cfg)), str(custom)


def test_template_dirs_take_the_package_theme_after_custom_dir(tmp_path):
    config, custom = _config(tmp_path)
    assert isinstance(config.theme.dirs, list) and config.theme.dirs[0] == custom
    internals.add_template_dir(config, "/pkg/theme")
    internals.add_template_dir(config, "/pkg/theme")  # idempotent: mkdocs serve calls on_config on every rebuild
    assert config.theme.dirs[:2] == [custom, "/pkg/theme"]
    assert config.theme.get_env().loader.searchpath[:2] == [custom, "/pkg/theme"]


def test_pages_expose_present_anchor_ids(tmp_path):
    config, _ = _config(tmp_path)
    (Path(config.docs_dir) / "a.md").write_text("# A\n\n## B\n", encoding="utf-8")
    file = File("a.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    assert isinstance(page.present_anchor_ids, set) and "b" in page.present_anchor_ids
    internals.add_present_anchors(page, {"w206"})
    assert {"b", "w206"} <= page.present_anchor_ids


def test_live_reload_server_keeps_watches_and_a_polling_observer(tmp_path):
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        server.watch(str(tmp_path))
        server.watch(str(tmp_path))
        assert internals.watched_paths(server) == {str(tmp_path): 2}
        assert isinstance(internals.observer(server), PollingObserver)
    finally:
        server.server_close()


def test_the_dirty_build_warning_is_still_worded_as_filtered():
    source = inspect.getsource(mkdocs.commands.build)
    assert internals.DIRTY_BUILD_WARNING in source
    record = logging.LogRecord(
        internals.DIRTY_BUILD_LOGGER,
        logging.WARNING,
        "",
        0,
        "A 'dirty' build is being performed, this will likely lead to inaccurate navigation",
        None,
        None,
    )
    assert internals.DropDirtyWarning().filter(record) is False


def test_material_still_has_the_blocks_the_theme_overrides():
    templates = Path(material.__file__).parent / "templates"
    for template, blocks in internals.MATERIAL_BLOCKS.items():
        text = (templates / template).read_text(encoding="utf-8")
        found = set(re.findall(r"{%-?\s*block\s+(\w+)", text))
        assert set(blocks) <= found, (template, set(blocks) - found)
    ours = ROOT / "generator" / "mkdocs_plugin" / "theme"
    overridden = set(
        re.findall(r"{%-?\s*block\s+(\w+)", "".join(p.read_text(encoding="utf-8") for p in ours.rglob("*.html")))
    )
    assert overridden <= {b for blocks in internals.MATERIAL_BLOCKS.values() for b in blocks}, overridden


def test_strict_counts_what_is_logged_at_warning():
    counter = internals.WarningCounter()
    counter.attach()
    try:
        logging.getLogger("mkdocs.plugins.disclosure").warning("x")
        logging.getLogger("mkdocs.plugins.disclosure").info("y")
        assert counter.count == 1
    finally:
        counter.detach()


def test_navigation_items_take_active_and_neighbours(tmp_path):
    """A section marked active marks its ancestors (as MkDocs marks the page it renders); neighbours are plain."""
    from mkdocs.structure.nav import Section

    config, _ = _config(tmp_path)
    files = [File(n, config.docs_dir, config.site_dir, config.use_directory_urls) for n in ("a.md", "b.md")]
    a, b = (Page(None, f, config) for f in files)
    inner = Section("内", [a])
    outer = Section("外", [inner, b])
    inner.parent = outer
    internals.set_active(inner, True)
    assert inner.active and outer.active
    internals.set_active(inner, False)
    assert not inner.active and not outer.active
    b.previous_page = a
    internals.set_neighbour(b, "previous_page", None)
    assert b.previous_page is None
