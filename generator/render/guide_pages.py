"""The editor guide's pages, for any site engine: the hand-written ones (guide/pages/*.md, shipped with the
package) and those generated from the code's registries. The guide is the tool's own documentation, so every
site built with the tool publishes all of it; a site's pages folder may replace a hand-written page with its own
(a guide/<name>.md of the same name)."""

from __future__ import annotations

from pathlib import Path

from generator.core.schemes import load_library

from .guide import diagnostic_codes_page, fields_page, grade_bands_page, rule_kinds_page
from .text import join_cjk_lines

WRITTEN_GUIDE_DIR = Path(__file__).resolve().parent / "guide" / "pages"
GENERATED_GUIDE_PATHS = ("guide/codes.md", "guide/fields.md", "guide/rules.md", "guide/grades.md")
# The guide in reading order (the default navigation's 编辑指南 section): from entering a record to publishing.
GUIDE_PATHS = (
    "guide/index.md",
    "guide/records.md",
    "guide/fields.md",
    "guide/rules.md",
    "guide/grades.md",
    "guide/codes.md",
    "guide/editor.md",
    "guide/publishing.md",
)
WRITTEN_GUIDE_PATHS = tuple(p for p in GUIDE_PATHS if p not in GENERATED_GUIDE_PATHS)


def written_guide_file(path: str) -> Path:
    """The packaged file of a hand-written guide page (`path` as the site has it, e.g. guide/records.md)."""
    return WRITTEN_GUIDE_DIR / path.removeprefix("guide/")


def generated_guide_pages() -> dict[str, str]:
    """Guide pages generated from the code's registries (diagnostic codes, fields, rules, grades), by site path."""
    library = load_library(None)
    pages = zip(
        GENERATED_GUIDE_PATHS,
        (diagnostic_codes_page(), fields_page(), rule_kinds_page(library), grade_bands_page(library)),
    )
    return {path: join_cjk_lines(text) for path, text in pages}


def guide_pages() -> dict[str, str]:
    """The whole guide, hand-written and generated pages, by site path (what `generate --out` writes)."""
    written = {p: join_cjk_lines(written_guide_file(p).read_text(encoding="utf-8")) for p in WRITTEN_GUIDE_PATHS}
    return {**written, **generated_guide_pages()}
