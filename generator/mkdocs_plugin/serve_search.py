"""The preview's search index: the same static index a build writes (publish/search_index.py), kept
up to date on every rebuild of `mkdocs serve`, drafts and embargoed records included (the preview shows
their pages; a build never indexes them).

A build writes the index in a child process after the pages are known; the preview cannot wait for
that on every save. Here it is made in this process when a searchable page changed, from what changed
(publish/search_index.LiveIndex: an edit to one record reposts that record's terms and makes its page
file and a few shards again), and only the index files whose bytes changed are written.
"""

from __future__ import annotations

import contextlib
import os

from generator.publish.search_index import LiveIndex
from generator.publish.site_index import SiteIndex, source_entry
from generator.render.search_text import SearchDoc


class PreviewSearch:
    def __init__(self) -> None:
        self.inputs: tuple | None = None  # what the index was last made from
        self.written: dict[str, bytes] = {}  # index file (relative to site_dir) → the bytes last written there
        self.index = LiveIndex()

    def forget(self) -> None:
        """site_dir was emptied: write every file again at the next update."""
        self.inputs = None
        self.written = {}

    def update(self, site_dir: str, index: SiteIndex, page_docs: list[SearchDoc]) -> bool:
        """Bring site_dir/search/ up to date with this rebuild's pages; True when the index changed."""
        docs = index.search_index_docs() + page_docs
        # Unchanged records give the very same objects (serve_cache.py): comparing these is cheap.
        inputs = (tuple(docs), tuple(index.search_terms.items()), tuple(index.search_fields.items()))
        if inputs == self.inputs:
            return False
        files = self.index.update(docs, index.search_source, source_entry)
        for rel in self.written.keys() - files.keys():  # shards of a larger index than this one
            with contextlib.suppress(OSError):
                os.remove(os.path.join(site_dir, rel))
        for rel, data in files.items():
            if self.written.get(rel) != data:
                path = os.path.join(site_dir, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as fh:
                    fh.write(data)
        self.written, self.inputs = files, inputs
        return True
