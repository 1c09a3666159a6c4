"""`python -m generator preview` as an editor uses it: one live server over a copy of the seeds.

The preview (`mkdocs serve --dirty` with the disclosure plugin) must pick up edits to the records
(narrative and TOML), keep serving while a record is broken and list the problems, recover when the
record is fixed, reload on edits to the site's theme overrides (custom_dir, which MkDocs does not
watch by itself) and publish a record added while it runs. How fast that happens is the benchmark's
business (python -m generator.bench --serve): these tests wait generously and never time anything.

The tests share one server and run in file order; each leaves the records valid for the next.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.bench.fixtures import (
    build_env,
    edit_narrative,
    edit_toml,
    free_port,
    http_get,
    livereload_epoch,
    shown_after_edit,
)
from generator.mkdocs_plugin.serve_cache import ServeCaches

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="stops the preview through its process group (POSIX)")

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120.0  # seconds for the first build of the five seeds (a few seconds on a quiet machine)
WAIT_TIMEOUT = 60.0  # seconds before a change that never shows counts as missed
BANNER = re.compile(r"记录有 \d+ 个错误（仅本地预览可见）")


@dataclass
class Preview:
    base: str  # http://127.0.0.1:<port>/
    records: Path  # the records directory the preview reads (a copy of projects/)
    theme: Path  # the site's custom_dir (a copy of theme/)
    proc: subprocess.Popen
    log: Path

    def page(self, path: str) -> str | None:
        """The served page at `path` (relative to the site root), None if it does not answer."""
        return http_get(self.base + path)

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def wait_until(self, check: Callable[[], bool]) -> bool:
        """Poll `check` until it holds; False after WAIT_TIMEOUT or when the server has died."""
        deadline = time.monotonic() + WAIT_TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            if check():
                return True
            time.sleep(0.1)
        return False

    def shows_after(self, page: str, phrase: str, edit: Callable[[], None]) -> bool:
        """Make `edit`, then wait as a browser does (live-reload long poll, then fetch) for `phrase` on `page`."""
        epoch = livereload_epoch(self.base)  # before the edit: the rebuild it causes is a later epoch
        edit()
        return shown_after_edit(self.base, page, phrase, epoch, self.proc) is not None


def _phrase(what: str) -> str:
    """A phrase found nowhere else on the site."""
    return f"预览测试{what}{uuid.uuid4().hex[:10]}"


def _project(year: int, slug: str) -> str:
    return f"projects/{year}/{slug}/"


def _evaluator(html: str | None) -> str | None:
    """The evaluator a project page names (the same text may also stand in other rows, e.g. 实施单位)."""
    found = re.search(r"<th>评价机构</th>\s*<td>([^<]*)</td>", html or "")
    return found.group(1) if found else None


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl+C for the whole process group, as in a terminal; SIGKILL if it does not stop."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def _default_sigint() -> None:
    # A shell starts background jobs with SIGINT ignored, and the child would inherit that: then
    # Python installs no KeyboardInterrupt handler and Ctrl+C (our SIGINT) could not stop the preview.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    """`python -m generator preview` over copies of the seeds and of theme/, on a free port."""
    base = tmp_path_factory.mktemp("preview")
    records = base / "projects"  # named as in the repository: diagnostics then read projects/<year>/<file>
    shutil.copytree(ROOT / "projects", records)
    theme = base / "theme"
    shutil.copytree(ROOT / "theme", theme)
    config = base / "mkdocs.yml"
    q = json.dumps  # a JSON string is a YAML double-quoted scalar: any temporary path stays one value
    config.write_text(
        f"INHERIT: {q(str(ROOT / 'mkdocs.yml'))}\n"
        f"docs_dir: {q(str(ROOT / 'content'))}\n"
        f"theme:\n  custom_dir: {q(str(theme))}\n"
        f"plugins:\n  - disclosure:\n      records_dir: {q(str(records))}\n",
        encoding="utf-8",
    )
    log = base / "preview.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "preview", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            cwd=str(base),
            env=build_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_default_sigint,
        )
        server = Preview(url, records, theme, proc, log)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while http_get(url) is None:
                assert proc.poll() is None, f"the preview exited ({proc.returncode}):\n{server.log_tail()}"
                assert time.monotonic() < deadline, f"no home page after {START_TIMEOUT:g} s:\n{server.log_tail()}"
                time.sleep(0.1)
            yield server
        finally:
            _stop(proc)
            # the plugin keeps its generated pages between sessions, in a folder per records directory
            shutil.rmtree(ServeCaches(str(records)).root, ignore_errors=True)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-4000:]
    assert proc.returncode == 0, f"Ctrl+C did not end the preview cleanly ({proc.returncode}):\n{text[-2000:]}"


def test_home_page_lists_the_seeds(preview: Preview) -> None:
    home = preview.page("")
    assert home is not None and "项目支出绩效评价信息公开" in home
    assert not BANNER.search(home), "the shipped seeds have no errors: no problems banner"
    assert preview.page("problems/") is None, "no problems page while every record is valid"
    listing = preview.page("projects/")
    assert listing is not None
    for slug in ("dapeng-treasury-funds", "bayannur-treasury-epay", "caidian-jincai", "fumin-finance-platforms"):
        assert slug in listing, slug


def test_narrative_edit_shows_on_its_page(preview: Preview) -> None:
    record = preview.records / "2021" / "dapeng-treasury-funds.toml"
    phrase = _phrase("叙述")
    page = _project(2021, "dapeng-treasury-funds")
    assert phrase not in (preview.page(page) or "")
    assert preview.shows_after(page, phrase, lambda: edit_narrative(record, phrase)), (
        f"the narrative edit never showed on {page}:\n{preview.log_tail()}"
    )


def test_toml_edit_shows_on_its_page(preview: Preview) -> None:
    record = preview.records / "2021" / "bayannur-treasury-epay.toml"
    page = _project(2021, "bayannur-treasury-epay")
    assert _evaluator(preview.page(page)) == "巴彦淖尔市财政综合保障中心"  # as the seed has it
    phrase = _phrase("评价机构")
    assert preview.shows_after(page, phrase, lambda: edit_toml(record, phrase)), (
        f"the evaluator edit never showed on {page}:\n{preview.log_tail()}"
    )
    assert _evaluator(preview.page(page)) == phrase


@dataclass
class Breakage:
    record: Path
    original: bytes
    line: int  # 1-based line of the syntax error
    phrase: str  # added to the narrative while the record was broken


@pytest.fixture(scope="module")
def breakage(preview: Preview) -> Breakage:
    """caidian-jincai with a TOML syntax error, and a narrative edit made while it is broken."""
    record = preview.records / "2021" / "caidian-jincai.toml"
    original = record.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.startswith('evaluator = "'))
    lines[line - 1] = lines[line - 1].replace("evaluator = ", "evaluator = = ", 1)
    phrase = _phrase("修复前")
    # The narrative first: any rebuild that sees the broken TOML then sees this edit too.
    edit_narrative(record, phrase)
    record.write_text("".join(lines), encoding="utf-8")
    return Breakage(record, original, line, phrase)


def test_broken_record_keeps_the_preview_serving(preview: Preview, breakage: Breakage) -> None:
    assert preview.wait_until(lambda: bool(BANNER.search(preview.page("") or ""))), (
        f"no problems banner on the home page after breaking a record:\n{preview.log_tail()}"
    )
    problems = preview.page("problems/")
    assert problems is not None, "the banner links to problems/, which does not answer"
    assert "校验问题" in problems
    assert f"projects/2021/caidian-jincai.toml:{breakage.line}:" in problems, problems[-3000:]
    assert "错误" in problems
    # The broken record is not published: its page is gone from the preview, as it would be from the site.
    assert preview.page(_project(2021, "caidian-jincai")) is None, "a record with an error still has its page"
    for slug in ("dapeng-treasury-funds", "bayannur-treasury-epay"):
        other = preview.page(_project(2021, slug))
        assert other is not None and slug in other, f"{slug}'s page stopped answering while another record is broken"
    assert preview.proc.poll() is None


def test_broken_record_leaves_the_open_data(preview: Preview, breakage: Breakage) -> None:
    """The preview serves the API as the site would (issue 13): a withheld record's twin goes, the indexes drop it."""
    assert preview.wait_until(lambda: bool(BANNER.search(preview.page("") or "")))
    assert preview.page("api/v1/projects/2021/caidian-jincai.json") is None
    assert preview.page("api/v1/projects/2021/dapeng-treasury-funds.json") is not None
    year = json.loads(preview.page("api/v1/years/2021.json") or "{}")
    assert [p["id"] for p in year["projects"]] and "caidian-jincai" not in [p["id"] for p in year["projects"]]
    assert "caidian-jincai" not in (preview.page("api/v1/feed.atom") or "caidian-jincai")


def test_fixed_record_is_published_again(preview: Preview, breakage: Breakage) -> None:
    breakage.record.write_bytes(breakage.original)
    page = _project(2021, "caidian-jincai")
    assert preview.wait_until(lambda: breakage.phrase in (preview.page(page) or "")), (
        f"the fixed record's page never came back with the edit made while it was broken:\n{preview.log_tail()}"
    )
    home = preview.page("")
    assert home is not None and not BANNER.search(home), "the problems banner stayed after the fix"


def test_fixed_record_is_back_in_the_open_data(preview: Preview, breakage: Breakage) -> None:
    assert preview.wait_until(lambda: preview.page("api/v1/projects/2021/caidian-jincai.json") is not None)
    assert "caidian-jincai" in (preview.page("api/v1/years/2021.json") or "")


def test_fixed_record_leaves_the_problems_page(preview: Preview, breakage: Breakage) -> None:
    assert preview.wait_until(lambda: not BANNER.search(preview.page("") or ""))  # the fix has been built
    problems = preview.page("problems/")
    assert problems is None or "caidian-jincai.toml" not in problems, "problems/ still lists the fixed record"


def test_theme_override_edit_reloads(preview: Preview) -> None:
    partial = preview.theme / "partials" / "copyright.html"
    text = partial.read_text(encoding="utf-8")
    anchor = '<div class="md-copyright">'
    assert anchor in text
    phrase = _phrase("页脚")
    page = _project(2024, "fumin-finance-platforms")

    def edit() -> None:
        partial.write_text(text.replace(anchor, f"{anchor}\n  <div>{phrase}</div>", 1), encoding="utf-8")

    assert preview.shows_after(page, phrase, edit), f"the footer edit in custom_dir never showed:\n{preview.log_tail()}"
    home = preview.page("")
    assert home is not None and phrase in home, "the footer is on every page"


def test_new_record_is_published(preview: Preview) -> None:
    source = preview.records / "2024" / "fumin-finance-platforms.toml"
    slug = "preview-added-record"
    name = _phrase("新增项目")
    text = source.read_text(encoding="utf-8")
    # A second record of the same project, year and evaluation would be a duplicate (E120): new id and name.
    text, ids = re.subn(r'^id = ".*"$', f'id = "{slug}"', text, count=1, flags=re.M)
    text, names = re.subn(r'^name = ".*"$', f'name = "{name}"', text, count=1, flags=re.M)
    assert ids == names == 1
    target = source.with_name(f"{slug}.toml")
    page = _project(2024, slug)
    assert preview.page(page) is None

    def add() -> None:
        shutil.copyfile(source.with_suffix(".md"), target.with_suffix(".md"))  # the narrative first, as above
        target.write_text(text, encoding="utf-8")

    assert preview.shows_after(page, name, add), f"the added record's page never appeared:\n{preview.log_tail()}"
    assert preview.wait_until(lambda: name in (preview.page("projects/") or "")), (
        "projects/ does not list the added record"
    )
    listing = preview.page("projects/") or ""
    assert f"2024/{slug}/" in listing, "projects/ names the record but does not link to its page"
    home = preview.page("")
    assert home is not None and not BANNER.search(home), "the added record should be valid"


# ---------------------------------------------------------------- drafts, records before their date, search

WITHHELD = ROOT / "tests" / "site" / "fixtures" / "projects" / "2023"  # a draft and a record published 2099-12-31
DRAFT_PAGE = _project(2023, "draft-qilin")
FUTURE_PAGE = _project(2023, "future-fenghuang")
DRAFT_BANNER = "草稿（不会发布）"
FUTURE_BANNER = "未到公开日期（将于 2099-12-31 公开）"
PREVIEW_ONLY = re.compile(r"另有 (\d+) 个记录只在本地预览中显示")


def search(base: str, query: str, folder: str = "search") -> list[list[str]] | None:
    """[url, title, summary] of what the site's search finds for `query` in one index (the public pages' in
    search/, the help pages' in search/help/), fetched as pd-search.js does (manifest, one shard per term, the
    documents of the hits); None while the preview has no index."""
    from generator.publish.search_index import decode_postings, fnv1a
    from generator.render.search_text import terms

    manifest = http_get(f"{base}{folder}/manifest.json")
    if manifest is None:
        return None
    m = json.loads(manifest)
    hits: set[int] | None = None
    for term in terms(query):
        shard = http_get(f"{base}{folder}/t/{fnv1a(term) % m['shards']}.txt")
        if shard is None:
            return None
        ids: set[int] = set()
        for line in shard.splitlines():
            name, _, encoded = line.partition("\t")
            if name == term:
                ids.update(decode_postings(encoded, m["docs"])[0])
        hits = ids if hits is None else hits & ids
    rows = []
    for doc in sorted(hits or ()):
        page = http_get(f"{base}{folder}/p/{doc}.json")
        if page is None:
            return None
        fields = json.loads(page)
        rows.append([fields["u"], fields["t"], fields["s"]])
    return rows


def test_search_works_in_the_preview(preview: Preview) -> None:
    """The index is written for the preview too (the browser said 搜索暂不可用 without it)."""
    found = search(preview.base, "巴彦淖尔")
    assert found is not None, "the preview serves no search index"
    assert any(url == _project(2021, "bayannur-treasury-epay") for url, _, _ in found), found
    guide = search(preview.base, "编辑指南", "search/help")  # the guide: an index of its own, as in a build
    assert guide and any(url.startswith("guide/") for url, _, _ in guide), "the guide pages are searchable too"
    assert not any(url.startswith("guide/") for url, _, _ in search(preview.base, "编辑指南") or []), "not publicly"


@pytest.fixture(scope="module")
def withheld(preview: Preview) -> Path:
    """The site tests' draft and record of 2099, added to the records while the preview runs."""
    folder = preview.records / "2023"
    folder.mkdir(exist_ok=True)
    for suffix in (".md", ".toml"):  # narratives first, as above
        for source in sorted(WITHHELD.glob(f"*{suffix}")):
            shutil.copyfile(source, folder / source.name)
    assert preview.wait_until(lambda: preview.page(DRAFT_PAGE) is not None and preview.page(FUTURE_PAGE) is not None), (
        f"the draft's and the embargoed record's pages never appeared in the preview:\n{preview.log_tail()}"
    )
    return folder


def test_draft_and_embargoed_record_show_with_a_banner(preview: Preview, withheld: Path) -> None:
    draft, future = preview.page(DRAFT_PAGE) or "", preview.page(FUTURE_PAGE) or ""
    assert "草稿专用短语七彩麒麟" in draft and "未来公开专用短语金翅凤凰" in future  # the records' own text
    for html, banner in ((draft, DRAFT_BANNER), (future, FUTURE_BANNER)):
        assert banner in html, html[:3000]
        assert html.index(banner) < html.index("<h1"), "the banner stands at the top, above the title"
        assert "仅本地预览可见" in html
    assert FUTURE_BANNER not in draft and DRAFT_BANNER not in future
    published = preview.page(_project(2021, "caidian-jincai")) or ""
    assert "pd-preview-banner" not in published and "草稿" not in published


def test_withheld_records_are_on_no_index_page(preview: Preview, withheld: Path) -> None:
    """As on the site, no list counts them; the preview's home page points to them."""
    listing = preview.page("projects/") or ""
    assert "draft-qilin" not in listing and "future-fenghuang" not in listing
    assert "七彩麒麟" not in (preview.page("data/projects.csv") or "")
    home = preview.page("") or ""
    note = PREVIEW_ONLY.search(home)
    assert note and note.group(1) == "2", home[:3000]
    assert f'href="{DRAFT_PAGE}"' in home and f'href="{FUTURE_PAGE}"' in home
    assert DRAFT_BANNER in home and FUTURE_BANNER in home


def test_search_finds_drafts_in_the_preview(preview: Preview, withheld: Path) -> None:
    found = search(preview.base, "七彩麒麟") or []
    assert [url for url, _, _ in found] == [DRAFT_PAGE], found
    assert found[0][2].startswith(DRAFT_BANNER), "the result says it is a draft"
    phrase = _phrase("草稿叙述")
    edit_narrative(withheld / "draft-qilin.toml", phrase)
    assert preview.wait_until(lambda: [r[0] for r in search(preview.base, phrase) or []] == [DRAFT_PAGE]), (
        f"the draft's edited narrative is not found by the preview's search:\n{preview.log_tail()}"
    )


def test_a_draft_made_published_loses_its_banner(preview: Preview, withheld: Path) -> None:
    record = withheld / "draft-qilin.toml"
    text = record.read_text(encoding="utf-8")
    assert 'status = "draft"' in text
    record.write_text(text.replace('status = "draft"', 'status = "published"', 1), encoding="utf-8")
    assert preview.wait_until(lambda: "draft-qilin" in (preview.page("projects/") or "")), (
        f"the published draft is not listed:\n{preview.log_tail()}"
    )
    page = preview.page(DRAFT_PAGE) or ""
    assert "草稿专用短语七彩麒麟" in page and DRAFT_BANNER not in page
    note = PREVIEW_ONLY.search(preview.page("") or "")
    assert note and note.group(1) == "1", "only the embargoed record is left for the preview alone"
    found = search(preview.base, "七彩麒麟") or []
    assert found and not found[0][2].startswith(DRAFT_BANNER)
