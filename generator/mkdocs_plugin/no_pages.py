"""The pages folder (docs_dir) of a site without hand-written pages.

MkDocs checks that docs_dir exists while it reads mkdocs.yml, before any plugin runs, and git keeps no empty
folder: a records repository holding only mkdocs.yml and projects/ could not build. Its mkdocs.yml names this
folder instead, `docs_dir: !!python/name:generator.mkdocs_plugin.no_pages.DOCS_DIR`, which YAML resolves to
the path below when MkDocs reads the file. The folder ships with the package and holds one hidden file
(MkDocs leaves hidden files out of the site), so every page comes from the records.
"""

from __future__ import annotations

from pathlib import Path

DOCS_DIR = str(Path(__file__).resolve().with_name("empty_docs"))
