"""The editor guide's hand-written pages in a MkDocs build.

They ship with the package (render/guide/pages/) and are read from there as if they were pages of docs_dir, so
MkDocs and the plugin treat them as hand-written ones: plain Markdown, Chinese lines joined, the guide's search
group. A page of docs_dir at the same path (guide/records.md) replaces the packaged one.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from generator.render.guide_pages import WRITTEN_GUIDE_PATHS, written_guide_file


def add_written_guide(files: Files, config: MkDocsConfig) -> None:
    for path in WRITTEN_GUIDE_PATHS:
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, abs_src_path=str(written_guide_file(path))))
