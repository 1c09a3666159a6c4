"""Shared fixtures for the site tests.

One real `mkdocs build` per session, into a temporary directory, from a temporary records
directory (a copy of projects/ plus the fixtures in tests/site/fixtures/projects: a draft and a
record whose publish_date lies in the future). The built site is served from 127.0.0.1 on a free
port, and the browser tests drive Debian's Chromium through pytest-playwright.
"""

from __future__ import annotations

import functools
import gzip
import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest

from generator.bench.fixtures import build_env

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("PD_TEST_CHROMIUM", "/usr/bin/chromium")  # Debian's, never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01T00:00:00Z: the build date of every test build

SEEDS = {  # slug → year of the five shipped records
    "suzhou-egov-construction": 2020,
    "bayannur-treasury-epay": 2021,
    "caidian-jincai": 2021,
    "dapeng-treasury-funds": 2021,
    "fumin-finance-platforms": 2024,
}
DRAFT_PHRASE = "草稿专用短语七彩麒麟"  # only in tests/site/fixtures/projects/2023/draft-qilin.*
FUTURE_PHRASE = "未来公开专用短语金翅凤凰"  # only in tests/site/fixtures/projects/2023/future-fenghuang.*
DRAFT_MARKER = "qilindraftmarker"
FUTURE_MARKER = "fenghuangfuturemarker"
SHOTS = Path("/tmp/site-shots")


def subprocess_env() -> dict[str, str]:
    env = build_env()  # the benchmark builds sites the same way
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    return env


def copy_records(dest: Path, *, seeds: bool = True, fixtures: tuple[str, ...] = ("projects",)) -> Path:
    """A records directory at dest: a copy of projects/ (seeds=True) plus the named fixture folders."""
    if seeds:
        shutil.copytree(ROOT / "projects", dest)
    else:
        dest.mkdir(parents=True)
    for name in fixtures:
        shutil.copytree(FIXTURES / name, dest, dirs_exist_ok=True)
    return dest


def write_config(path: Path, records_dir: Path, *, relaxed_nav: bool = False) -> Path:
    """A MkDocs config inheriting the repository's mkdocs.yml, with the records directory replaced.

    INHERIT merges mappings (plugins included); relative paths of the parent would resolve against
    this file's directory, so docs_dir and the theme's custom_dir are made absolute. relaxed_nav turns
    MkDocs' nav/link "not found" warnings into infos, so that a --strict build fails only on records.
    """
    text = (
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {ROOT / 'content'}\n"
        f"theme:\n  custom_dir: {ROOT / 'theme'}\n"
        f"plugins:\n  - disclosure:\n      records_dir: {records_dir}\n"
    )
    if relaxed_nav:
        text += "validation:\n  nav:\n    not_found: info\n  links:\n    not_found: info\n"
    path.write_text(text, encoding="utf-8")
    return path


def mkdocs_build(
    config: Path, site_dir: Path, *, strict: bool = False, timeout: float = 180
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        cmd.append("--strict")
    start = time.monotonic()
    proc = subprocess.run(
        cmd,
        cwd=str(config.parent),
        env=subprocess_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    proc.seconds = time.monotonic() - start
    proc.log = proc.stdout + proc.stderr
    return proc


def build_records(
    base: Path, records_dir: Path, *, strict: bool = False, relaxed_nav: bool = False, site_name: str = "site"
) -> tuple[subprocess.CompletedProcess, Path]:
    """Build records_dir with a config written to base/mkdocs.yml into base/<site_name>."""
    base.mkdir(parents=True, exist_ok=True)
    config = write_config(base / "mkdocs.yml", records_dir, relaxed_nav=relaxed_nav)
    site = base / site_name
    return mkdocs_build(config, site, strict=strict), site


def generate(records_dir: Path, out: Path) -> subprocess.CompletedProcess:
    """`python -m generator generate --out OUT RECORDS`, run from the records' parent folder."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--out", str(out), str(records_dir)],
        cwd=str(records_dir.parent),
        env=subprocess_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def site_file_bytes(path: Path) -> bytes:
    """A built file's bytes as a reader would find them: gzip (sitemap.xml.gz) decompressed; for text,
    the text again with %-escapes (URLs), HTML character references and JSON \\u escapes decoded."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    variants = {
        unquote(text),
        html.unescape(text),
        re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text),
    }
    return b"\0".join([data] + [v.encode("utf-8", "surrogatepass") for v in variants if v != text])


def files_containing(site: Path, needles: list[str]) -> dict[str, list[str]]:
    """needle → site files (relative paths) whose bytes, paths or decompressed contents contain it."""
    found: dict[str, list[str]] = {n: [] for n in needles}
    encoded = {n: n.encode("utf-8") for n in needles}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        for n in needles:
            if n in rel:
                found[n].append(rel)
        if not path.is_file():
            continue
        data = site_file_bytes(path)
        for n, b in encoded.items():
            if b in data:
                found[n].append(rel)
    return found


def tree_digest(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def site_tools():
    """The helpers above, for the test modules (which cannot import this conftest by name)."""
    return SimpleNamespace(
        ROOT=ROOT,
        FIXTURES=FIXTURES,
        SEEDS=SEEDS,
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        DRAFT_PHRASE=DRAFT_PHRASE,
        FUTURE_PHRASE=FUTURE_PHRASE,
        DRAFT_MARKER=DRAFT_MARKER,
        FUTURE_MARKER=FUTURE_MARKER,
        copy_records=copy_records,
        write_config=write_config,
        mkdocs_build=mkdocs_build,
        build_records=build_records,
        generate=generate,
        files_containing=files_containing,
        site_file_bytes=site_file_bytes,
        tree_digest=tree_digest,
        env=subprocess_env,
        CHROMIUM=CHROMIUM,
        quiet_handler=_QuietHandler,  # a static file server's handler (tests/site/test_zensical.py)
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site built once: seeds + draft + future-dated record, SOURCE_DATE_EPOCH fixed."""
    base = tmp_path_factory.mktemp("built")
    records = copy_records(base / "projects")
    proc, site = build_records(base, records)
    assert proc.returncode == 0, f"mkdocs build failed ({proc.returncode}):\n{proc.log[-4000:]}"
    assert (site / "index.html").is_file(), proc.log[-4000:]
    assert (site / "search" / "manifest.json").is_file(), "search index missing:\n" + proc.log[-4000:]
    return SimpleNamespace(root=site, records=records, base=base, log=proc.log, seconds=proc.seconds)


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, format, *args):  # noqa: A002 - keep the test output clean
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """http://127.0.0.1:<free port>/ serving the built site (a ThreadingHTTPServer in a thread)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site.root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------- Chromium through pytest-playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no executable-path option: launch Debian's Chromium, never a downloaded one."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def shots_dir():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


# ---------------------------------------------------------------- a site with the government-website settings

PORTAL_SITE_URL = "https://czj.example.gov.cn/czj/jxpj/"  # published under a sub-path, as on a 集约化 platform
PORTAL_SETTINGS = {
    "site_code": "3406000012",
    "icp": "浙ICP备14042003号-1",
    "police": "浙公网安备 33060202000394号",
    "sponsor": "某市财政局",
    "organizer": "某市财政局预算绩效管理科",
    "contact": {"phone": "0571-12345678", "email": "jxpj@czj.example.gov.cn", "address": "某市某路 1 号"},
    "conac_image": "assets/images/red.png",
    "conac_link": "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF",
    "publisher": "{department}",
    "credit_code": "11110000MB0000000U",
    "index_number": "{credit_code}/{year}-{seq:05d}",
}
PORTAL_PUBLISHED = ("2021/caidian-jincai", "2024-06-30")  # the one seed given a publish_date in this build


def _red_png(width: int = 55, height: int = 66) -> bytes:
    """A plain red PNG standing in for the 党政机关网站标识 image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xc8\x10\x2e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_portal_config(path: Path, records_dir: Path, docs_dir: Path, portal: dict, site_url: str | None) -> Path:
    """Like write_config, with the disclosure plugin's `portal:` settings (JSON is YAML) and site_url."""
    import json

    text = (
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {docs_dir}\n"
        + (f"site_url: {site_url}\n" if site_url else "")
        + f"theme:\n  custom_dir: {ROOT / 'theme'}\n"
        f"plugins:\n  - disclosure:\n      records_dir: {records_dir}\n"
        f"      portal: {json.dumps(portal, ensure_ascii=False)}\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def portal_site(tmp_path_factory):
    """The seeds (one with a publish_date) built with every portal setting, site_url under a sub-path, --strict."""
    base = tmp_path_factory.mktemp("portal")
    records = copy_records(base / "projects")
    slug, date = PORTAL_PUBLISHED
    record = records / f"{slug}.toml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            'status = "published"\n', f'status = "published"\npublish_date = "{date}"\n', 1
        ),
        encoding="utf-8",
    )
    docs = base / "content"
    shutil.copytree(ROOT / "content", docs)
    (docs / "assets" / "images").mkdir(parents=True)
    (docs / "assets" / "images" / "red.png").write_bytes(_red_png())
    config = write_portal_config(base / "mkdocs.yml", records, docs, PORTAL_SETTINGS, PORTAL_SITE_URL)
    proc = mkdocs_build(config, base / "site", strict=True)
    assert proc.returncode == 0, f"mkdocs build failed ({proc.returncode}):\n{proc.log[-4000:]}"
    return SimpleNamespace(
        root=base / "site",
        base=base,
        log=proc.log,
        site_url=PORTAL_SITE_URL,
        settings=PORTAL_SETTINGS,
        published=PORTAL_PUBLISHED,
    )


def serve_under(root: Path, prefix: str):
    """A ThreadingHTTPServer answering only under `prefix` (/czj/jxpj/) from `root`; anything else is a 404.
    Returns (server, thread, base address)."""

    class Handler(_QuietHandler):
        def translate_path(self, path):
            clean = path.split("?", 1)[0].split("#", 1)[0]
            if not clean.startswith(prefix):
                return str(root / "-not-under-the-prefix-")  # no such file: 404
            return super().translate_path("/" + clean[len(prefix) :])

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="subpath-server", daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="session")
def portal_tools():
    return SimpleNamespace(write_portal_config=write_portal_config, serve_under=serve_under)
