"""The editors' guide pages generated from the code's registries, so they never drift from the code.

- diagnostic_codes_page() (codes.py): every code of core.diagnostics.CODES (code, severity, title, meaning, fix);
- fields_page() (fields.py): every field of core.fields (type, required, description, nested tables);
- rule_kinds_page() (rules.py): every rule kind of core.rules.KINDS with its parameters and worked
  examples taken from the seed records; each example (examples.toml) is a real TOML snippet run
  through the loader and the scoring engine when the page is built, so the numbers shown are the engine's own;
- grade_bands_page(library) (schemes.py): every grade band set, scheme and named rule of a scheme library.

The prose of each page is in the Markdown template of the same name beside this code, the
sentences repeated per registry entry in phrases.toml (see data.py). The site publishes the pages
as guide/codes.md, guide/fields.md, guide/rules.md and guide/grades.md, beside the hand-written
pages in pages/ (guide/index.md, records.md, editor.md, publishing.md; render/guide_pages.py).
"""

from __future__ import annotations

from .codes import diagnostic_codes_page
from .examples import EXAMPLES, Example, Worked, run_example, work
from .fields import all_field_names, fields_page
from .rules import rule_kinds_page
from .schemes import CUSTOM_SCHEME_EXAMPLE, grade_bands_page

__all__ = [
    "CUSTOM_SCHEME_EXAMPLE",
    "EXAMPLES",
    "Example",
    "Worked",
    "all_field_names",
    "diagnostic_codes_page",
    "fields_page",
    "grade_bands_page",
    "rule_kinds_page",
    "run_example",
    "work",
]
