"""What `mkdocs serve` keeps between rebuilds, so that an edit to one record costs one record.

MkDocs rebuilds the whole site on every change it sees. The plugin instance lives through the serve
session (MkDocs keeps plugins that define on_startup), and with it these caches: the outcome
(evaluation and rendered page and files) of each unchanged record, the index pages and data files
while their inputs are the same, the pages set apart from their HTML blocks, the files written for
MkDocs and the served site, and the compiled theme templates (MkDocs makes a new Jinja environment
on every rebuild).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory; Jinja checks each against its source before using it."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class ServeCaches:
    records_dir: str
    records: dict = field(default_factory=dict)  # record file → (mtimes of its files, its RecordOutcome)
    identities: dict = field(default_factory=dict)  # record file → (its stamp, its RecordIdentity)
    pages: dict = field(default_factory=dict)  # the SiteIndex's memo (index pages and data files)
    lifted: dict = field(default_factory=dict)  # page path → (its content, (Markdown, packed blocks))
    written: dict = field(default_factory=dict)  # materialized path → the bytes last written there
    bytecode: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    shown: set = field(default_factory=set)  # diagnostics already printed in this session
    placed: dict = field(default_factory=dict)  # download path → the bytes last put into the served site
    page_paths: set = field(default_factory=set)  # generated pages (source paths) of the previous rebuild
    root: str = ""  # the folder of the generated files MkDocs reads (one per records directory and user)
    stamps: dict = field(default_factory=dict)  # name → stamp of files whose change invalidates caches

    def forget_if_changed(self, name: str, stamp: tuple) -> bool:
        """Record the stamp; True if it differs from the one recorded by the previous rebuild."""
        previous = self.stamps.get(name)
        self.stamps[name] = stamp
        return previous is not None and previous != stamp

    def __post_init__(self) -> None:
        user = os.getuid() if hasattr(os, "getuid") else 0
        self.root = os.path.join(
            tempfile.gettempdir(),
            f"perf-disclosure-serve-{user}",
            hashlib.sha1(self.records_dir.encode()).hexdigest()[:12],
        )

    def lift(self, path: str, content: str, lift_fn) -> tuple[str, bytes]:
        known = self.lifted.get(path)
        if known is not None and (known[0] is content or known[0] == content):
            return known[1]
        lifted = lift_fn(content)
        self.lifted[path] = (content, lifted)
        return lifted

    def materialize(self, path: str, content: bytes) -> str:
        """Write `content` to the file for `path` unless it holds it already; return the folder.
        The file keeps its time stamp when unchanged, so `mkdocs serve --dirty` skips its page."""
        root = self.root
        last = self.written.get(path)
        if last is not None and (last is content or last == content):
            return root
        target = os.path.join(root, path)
        if last is None:  # not written in this session: the folder may hold it from an earlier one
            try:
                with open(target, "rb") as fh:
                    unchanged = fh.read() == content
            except OSError:
                unchanged = False
        else:
            unchanged = False
        if not unchanged:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(content)
        self.written[path] = content
        return root

    def place(self, site_dir: str, path: str, content: bytes, cleaned: bool) -> None:
        """Put a download into the served site directly: thousands of files MkDocs would otherwise check
        and copy on every rebuild. `cleaned`: MkDocs emptied site_dir for this build (no --dirty)."""
        if not cleaned and self.placed.get(path) is content:
            return
        self.materialize(path, content)
        source, target = os.path.join(self.root, path), os.path.join(site_dir, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        try:
            os.link(source, target)  # the same bytes: a link is enough, and much faster than a copy
        except OSError:
            shutil.copyfile(source, target)
        self.placed[path] = content

    def pages_gone(self, current: set[str]) -> set[str]:
        """Generated pages of the previous rebuild that this one no longer has."""
        gone = self.page_paths - current
        self.page_paths = current
        return gone

    def sweep(self, site_dir: str, current: set[str]) -> None:
        """Remove from the served site the downloads this rebuild no longer offers."""
        for path in [p for p in self.placed if p not in current]:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(site_dir, path))
            del self.placed[path]


def file_stamp(path: str | None) -> tuple:
    try:
        st = os.stat(path) if path else None
    except OSError:
        return (path, None)
    return (path, st.st_mtime_ns, st.st_size) if st else (None,)


def folder_stamp(folder: str) -> tuple:
    """(relative path, mtime, size) of every file under `folder`: it changes when any file does."""
    out = []
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(base, name)
            with contextlib.suppress(OSError):
                st = os.stat(path)
                out.append((os.path.relpath(path, folder), st.st_mtime_ns, st.st_size))
    return tuple(out)
