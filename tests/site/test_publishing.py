"""Publishing: escaping of record text, withheld records, atomic and reproducible builds, --strict.

Every test here runs the real programs (`mkdocs build`, `python -m generator generate`) in
subprocesses on temporary copies of the records, with SOURCE_DATE_EPOCH fixed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
EXPR = "{{ 7*7 }}"
STMT = "{% if true %}x{% endif %}"
PROBE_NAME = f"转义测试{SCRIPT}{IMG}{EXPR}{STMT}\"'&amp;"
PROBE_REASON = f"扣分{SCRIPT}{IMG}{EXPR}{STMT}"
PROBE_URL = "projects/2023/escape-probe/"


class _Text(HTMLParser):
    """Text as a reader sees it (no <script>/<style> contents), <title>, and every attribute value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "title" and not self.title:  # the document's, not an SVG chart's <title>
            self._in_title = True

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def parse(path: Path) -> _Text:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ---------------------------------------------------------------- (a) escaping


@pytest.fixture(scope="module")
def probe_site(tmp_path_factory, site_tools):
    """A site built by MkDocs from the escaping probe record alone."""
    base = tmp_path_factory.mktemp("escaping")
    records = site_tools.copy_records(base / "projects", seeds=False, fixtures=("escaping",))
    proc, site = site_tools.build_records(base, records)
    assert proc.returncode == 0, proc.log[-4000:]
    assert (site / PROBE_URL / "index.html").is_file(), proc.log[-4000:]
    return site


def test_record_text_is_never_markup_in_the_built_site(probe_site):
    raw_markers = ["<script>alert", "<img src=x", "onerror=alert(1)>", "<b>粗体", "<i>斜体", 'onerror="alert(1)']
    for path in html_files(probe_site):
        source = path.read_text(encoding="utf-8")
        for marker in raw_markers:
            assert marker not in source, f"{path.relative_to(probe_site)}: raw {marker!r}"
        doc = parse(path)
        script_tags = [a for t, a in doc.tags if t == "script"]
        assert not any("alert" in (a.get("src") or "") for a in script_tags)
        assert not [a for t, a in doc.tags if t == "img" and a.get("src") == "x"], path
        assert not [(t, k, v) for t, k, v in doc.attrs if k.startswith("on") and "alert" in v], path
        assert not [(t, k, v) for t, k, v in doc.attrs if k == "href" and v.strip().lower().startswith("javascript:")]
        # Record text only reaches pages outside the guide (whose workflow examples carry commit hashes such as …cc49c9).
        if "guide" not in path.relative_to(probe_site).parts:
            assert not re.search(r"(?<![\w.])49(?![\w.])", doc.text), (
                f"{path.relative_to(probe_site)}: 7*7 was evaluated"
            )


def test_record_text_reads_as_written_on_the_project_page(probe_site):
    doc = parse(probe_site / PROBE_URL / "index.html")
    text = doc.text
    for piece in (SCRIPT, IMG, EXPR, STMT):
        assert text.count(piece) >= 4, (piece, text.count(piece))  # name (h1, facts), reason, narrative …
    assert PROBE_NAME in text  # the name, whole, as text: quotes and "&amp;" too
    assert PROBE_REASON in text
    assert "某省<b>粗体</b>市" in text and "某市<i>斜体</i>局" in text
    title = "".join(doc.title)
    assert title.startswith(PROBE_NAME), title  # <title> shows the name as written, not as markup
    description = [v for t, k, v in doc.attrs if t == "meta" and k == "content" and "转义测试" in v]
    assert description and PROBE_NAME in description[0], description
    # The headline (Material's header topic) too.
    header = re.search(
        r'data-md-component="header-topic">(.*?)</div>',
        (probe_site / PROBE_URL / "index.html").read_text("utf-8"),
        re.S,
    )
    assert header and SCRIPT not in header.group(1) and "&lt;script&gt;" in header.group(1)


def test_record_text_is_text_in_the_listings(probe_site):
    for page in ("projects/index.html", "index.html", "years/2023/index.html", "data/index.html"):
        doc = parse(probe_site / page)
        assert PROBE_NAME in doc.text, page
    data_names = [v for t, k, v in parse(probe_site / "projects/index.html").attrs if k == "data-name"]
    assert data_names == [PROBE_NAME]


def test_record_text_is_escaped_in_the_generated_markdown(tmp_path, site_tools):
    """The Markdown pages (for any engine) carry record text as escaped HTML text; the parts rendered as
    Markdown (headings, the narrative) also never start a template tag."""
    records = site_tools.copy_records(tmp_path / "projects", seeds=False, fixtures=("escaping",))
    proc = site_tools.generate(records, tmp_path / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = sorted((tmp_path / "out").rglob("*.md"))
    assert any(p.name == "escape-probe.md" for p in pages)
    for path in pages:
        content = path.read_text(encoding="utf-8")
        if content.startswith("---\n"):  # front matter: plain text (JSON strings) for the engine to escape
            front, content = content[4:].split("\n---\n", 1)
            titles = [json.loads(ln[len("title: ") :]) for ln in front.splitlines() if ln.startswith("title: ")]
            assert len(titles) == 1 and "&lt;" not in titles[0], front
        for marker in ("<script>alert", "<img src=x", "<b>粗体", "<i>斜体"):
            assert marker not in content, f"{path.relative_to(tmp_path)}: raw {marker!r}"
    page = (tmp_path / "out" / "projects" / "2023" / "escape-probe.md").read_text(encoding="utf-8")
    heading = next(ln for ln in page.splitlines() if ln.startswith("# "))
    narrative = page.split("## 评价报告", 1)[1].split("\n## ", 1)[0]
    for part in (heading, narrative):
        assert "&lt;script&gt;" in part and "{{" not in part and "{%" not in part, part


def test_record_text_runs_nothing_in_the_browser(probe_site, browser):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(probe_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        for url in (base + PROBE_URL, base + "projects/", base):
            page.goto(url)
            page.wait_for_load_state("load")
            page.wait_for_timeout(200)
            assert page.locator("img[src='x']").count() == 0
            assert (
                page.evaluate("() => [...document.scripts].filter(s => s.textContent.includes('alert(1)')).length") == 0
            )
        page.goto(base + PROBE_URL)
        assert page.title().startswith(PROBE_NAME)
        assert SCRIPT in page.locator("h1").first.inner_text()
        assert dialogs == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


# ---------------------------------------------------------------- (b) drafts and future publication

WITHHELD_NEEDLES = [
    "草稿专用短语七彩麒麟",
    "未来公开专用短语金翅凤凰",
    "qilindraftmarker",
    "fenghuangfuturemarker",
    "draft-qilin",
    "future-fenghuang",
]


def test_withheld_records_nowhere_in_the_mkdocs_build(built_site, site_tools):
    site = built_site.root
    found = site_tools.files_containing(site, WITHHELD_NEEDLES)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    assert not (site / "projects" / "2023").exists() and not (site / "downloads" / "2023").exists()
    assert not (site / "years" / "2023").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "2023" not in re.sub(r"<lastmod>.*?</lastmod>", "", sitemap)
    if "<loc>" in sitemap:  # MkDocs lists pages only when mkdocs.yml sets site_url
        assert "/projects/2021/dapeng-treasury-funds/" in sitemap
    rows = (site / "data" / "projects.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + len(site_tools.SEEDS)
    assert f"{len(site_tools.SEEDS)} 个公开的评价记录" in parse(site / "projects" / "index.html").text


def test_withheld_records_nowhere_in_the_generate_output(tmp_path, site_tools):
    records = site_tools.copy_records(tmp_path / "projects")
    out = tmp_path / "out"
    proc = site_tools.generate(records, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"公开 {len(site_tools.SEEDS)} 个记录，未公开 2 个" in proc.stdout, proc.stdout
    found = site_tools.files_containing(out, WITHHELD_NEEDLES)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    assert (out / "projects" / "2021" / "dapeng-treasury-funds.md").is_file()


def test_withheld_only_because_of_status_and_date(site_tools, tmp_path):
    """Control: the fixtures are valid records; the future one is published once its date has come."""
    from generator.core import diagnostics as dg
    from generator.core.pipeline import run
    from generator.publish.memory import build_in_memory
    from generator.publish.site import SiteRequest
    from generator.render.project import SiteOptions

    records = site_tools.copy_records(tmp_path / "projects", seeds=False)
    result = run([str(records)])
    assert not dg.has_errors(result.diagnostics), [d.to_text() for d in result.diagnostics]

    def build(today: dt.date) -> tuple[list[str], list[str]]:
        built, pages = build_in_memory(SiteRequest(str(records), SiteOptions(), today, workers=1))
        return sorted(s.id for s in built.index.summaries.values()), [p.content for p in pages.values()]

    assert build(dt.date(2025, 1, 1))[0] == []
    assert build(dt.date(2099, 12, 30))[0] == []
    published, later = build(dt.date(2099, 12, 31))
    assert published == ["future-fenghuang-fixture"] and any("未来公开专用短语金翅凤凰" in p for p in later)
    assert not any("草稿专用短语七彩麒麟" in p for p in later)


# ---------------------------------------------------------------- (c) atomic build


def test_failed_strict_build_keeps_the_previous_site(tmp_path, site_tools):
    records = site_tools.copy_records(tmp_path / "projects", seeds=True, fixtures=())
    proc, site = site_tools.build_records(tmp_path, records, strict=True, relaxed_nav=True)
    assert proc.returncode == 0, "strict build of the seeds failed:\n" + proc.log[-4000:]
    before = site_tools.tree_digest(site)
    assert "index.html" in before and "projects/2021/dapeng-treasury-funds/index.html" in before

    record = records / "2021" / "dapeng-treasury-funds.toml"
    lines = record.read_text(encoding="utf-8").split("\n")
    lines.insert(4, "broken = = 1")  # line 5: a TOML syntax error
    record.write_text("\n".join(lines), encoding="utf-8")

    proc, _ = site_tools.build_records(tmp_path, records, strict=True, relaxed_nav=True)
    assert proc.returncode != 0, proc.log[-4000:]
    assert re.search(r"projects/2021/dapeng-treasury-funds\.toml:5(:\d+)?\b", proc.log), proc.log[-4000:]
    after = site_tools.tree_digest(site)
    assert sorted(after) == sorted(before)
    changed = [p for p in before if before[p] != after[p]]
    assert not changed, changed[:10]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")]
    assert not leftovers, leftovers


# ---------------------------------------------------------------- (d) reproducible


def test_two_builds_are_byte_identical(tmp_path, site_tools):
    records = site_tools.copy_records(tmp_path / "projects")
    proc_a, site_a = site_tools.build_records(tmp_path / "a", records)
    proc_b, site_b = site_tools.build_records(tmp_path / "b", records, site_name="public")
    assert proc_a.returncode == 0 and proc_b.returncode == 0, proc_a.log[-2000:] + proc_b.log[-2000:]
    a, b = site_tools.tree_digest(site_a), site_tools.tree_digest(site_b)
    assert len(a) > 50
    only = sorted(set(a) ^ set(b))
    differ = sorted(p for p in set(a) & set(b) if a[p] != b[p])
    assert not only and not differ, f"only in one build: {only[:10]}; different bytes: {differ[:20]}"


# ---------------------------------------------------------------- (e) --strict on the shipped records


def _log_problems(log: str) -> list[str]:
    return [ln for ln in log.splitlines() if ln.startswith(("WARNING", "ERROR"))]


def test_strict_build_of_the_shipped_records(tmp_path, site_tools):
    """The seeds have warnings and infos, no errors: a --strict build of them succeeds."""
    proc, site = site_tools.build_records(tmp_path, ROOT / "projects", strict=True, relaxed_nav=True)
    assert proc.returncode == 0, "\n".join(_log_problems(proc.log)) or proc.log[-4000:]
    assert not _log_problems(proc.log)
    assert (site / "projects" / "2024" / "fumin-finance-platforms" / "index.html").is_file()
    assert "W206" in proc.log  # the record findings are reported, as infos


def test_strict_build_with_the_shipped_config(tmp_path, site_tools):
    """`mkdocs build --strict` exactly as documented (mkdocs.yml, content/, theme/, projects/)."""
    site = tmp_path / "site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    proc = subprocess.run(
        cmd, cwd=str(ROOT), env=site_tools.env(), capture_output=True, text=True, encoding="utf-8", timeout=180
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(_log_problems(log))
    assert (site / "index.html").is_file()


# ---------------------------------------------------------------- cross-record checks come before rendering


def test_a_duplicate_record_is_never_rendered(tmp_path, site_tools):
    """A second record (in file order) of the same project, year and evaluation (E120) is withheld from the MkDocs build and
    from `generate --out` alike: no page, no download, no search entry; the first record stays published."""
    records = site_tools.copy_records(tmp_path / "projects", fixtures=())
    original = records / "2021" / "dapeng-treasury-funds.toml"
    copy = records / "2021" / "dapeng-zz-copy.toml"
    copy.write_text(
        original.read_text(encoding="utf-8").replace('name = "', 'name = "重复记录专用短语', 1), encoding="utf-8"
    )
    proc, site = site_tools.build_records(tmp_path / "mk", records)
    assert proc.returncode == 0, proc.log
    assert "E120" in proc.log and "dapeng-zz-copy.toml" in proc.log
    out = tmp_path / "out"
    gen = site_tools.generate(records, out)
    assert gen.returncode == 1 and "E120" in gen.stderr, gen.stderr
    for root in (site, out):
        assert not [p for p in root.rglob("*dapeng-zz-copy*")], root
        assert not any(site_tools.files_containing(root, ["重复记录专用短语"]).values()), root
        assert [p for p in root.rglob("*dapeng-treasury-funds*")]


# ---------------------------------------------------------------- site_dir guards and the lock (issue 10)


def test_mkdocs_build_refuses_a_site_dir_it_may_not_replace(tmp_path, site_tools):
    """A folder of other files and the records folder are refused before anything is built; a site
    MkDocs built before the marker existed is replaced and carries the marker from then on."""
    records = site_tools.copy_records(tmp_path / "projects", fixtures=())
    config = site_tools.write_config(tmp_path / "mkdocs.yml", records)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("保留", encoding="utf-8")
    before = site_tools.tree_digest(tmp_path)
    for target, reason in [(notes, "不像以前构建的网站"), (records, "它是记录目录")]:
        proc = site_tools.mkdocs_build(config, target)
        assert proc.returncode != 0 and f"不能把 {target} 作为" in proc.log and reason in proc.log, proc.log[-2000:]
        assert "Traceback" not in proc.log
    assert site_tools.tree_digest(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml", "notes", "projects"]

    site = tmp_path / "site"  # as a build before this guard left it: no marker file
    site.mkdir()
    for name in ("index.html", "sitemap.xml", "old-page.html"):
        (site / name).write_text("旧", encoding="utf-8")
    proc = site_tools.mkdocs_build(config, site)
    assert proc.returncode == 0, proc.log[-2000:]
    assert (site / ".perf-disclosure-output").is_file() and not (site / "old-page.html").exists()


def test_a_second_mkdocs_build_waits_for_the_first(tmp_path, site_tools):
    """While another build holds site_dir's lock, `mkdocs build` waits; it publishes once the lock is free."""
    from generator.publish.swap import OutputLock

    records = site_tools.copy_records(tmp_path / "projects", fixtures=())
    config = site_tools.write_config(tmp_path / "mkdocs.yml", records)
    site = tmp_path / "site"
    lock = OutputLock(str(site))
    lock.acquire()
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=site_tools.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        time.sleep(4)
        assert proc.poll() is None and not site.exists()  # waiting, nothing published
    finally:
        lock.release()
    log = proc.communicate(timeout=180)[0].decode("utf-8")
    assert proc.returncode == 0, log[-2000:]
    assert (site / "index.html").is_file() and (site / ".perf-disclosure-output").is_file()


def test_records_inside_the_pages_folder_are_refused(tmp_path, site_tools):
    """A records folder inside docs_dir would have MkDocs copy drafts and raw TOML into the site: the build stops
    with a message naming both settings, and publishes nothing."""
    docs = tmp_path / "docs"
    shutil.copytree(site_tools.ROOT / "content", docs)
    records = site_tools.copy_records(docs / "projects")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {site_tools.ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\ntheme:\n  custom_dir: {site_tools.ROOT / 'theme'}\n"
        f"plugins:\n  - disclosure:\n      records_dir: {records}\n",
        encoding="utf-8",
    )
    proc = site_tools.mkdocs_build(config, tmp_path / "site")
    assert proc.returncode != 0
    assert "records_dir" in proc.log and "docs_dir" in proc.log and "Traceback" not in proc.log
    assert not (tmp_path / "site").exists()
