"""The generated guide pages (from the registries), for any site engine."""
from __future__ import annotations


def generated_guide_pages() -> dict[str, str]:
    """Guide pages generated from the code's registries (diagnostic codes, fields, rules, grades)."""
    try:
        from . import guide
    except ImportError:
        return {}
    from generator.core.schemes import load_library

    pages = {}
    for path, fn in (("guide/codes.md", "diagnostic_codes_page"), ("guide/fields.md", "fields_page"), ("guide/rules.md", "rule_kinds_page")):
        if hasattr(guide, fn):
            pages[path] = getattr(guide, fn)()
    if hasattr(guide, "grade_bands_page"):
        pages["guide/grades.md"] = guide.grade_bands_page(load_library(None))
    return pages
