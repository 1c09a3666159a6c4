"""The generated guide pages (from the registries), for any site engine."""

from __future__ import annotations

from generator.core.schemes import load_library

from .guide import diagnostic_codes_page, fields_page, grade_bands_page, rule_kinds_page
from .text import join_cjk_lines

GENERATED_GUIDE_PATHS = ("guide/codes.md", "guide/fields.md", "guide/rules.md", "guide/grades.md")


def generated_guide_pages() -> dict[str, str]:
    """Guide pages generated from the code's registries (diagnostic codes, fields, rules, grades), by site path."""
    library = load_library(None)
    pages = zip(
        GENERATED_GUIDE_PATHS,
        (diagnostic_codes_page(), fields_page(), rule_kinds_page(library), grade_bands_page(library)),
    )
    return {path: join_cjk_lines(text) for path, text in pages}
