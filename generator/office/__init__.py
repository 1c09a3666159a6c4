"""Office forms in and out: self-evaluation forms (.xlsx, legacy .xls via LibreOffice) and Word
reports become records; a record becomes a self-evaluation form again.

- `read_form(path)` → ImportResult (record dict, narrative, unmapped cells, notes), one recogniser per
  layout: national (seed 000), wuhan (湖北/武汉, seed 001), suzhou (seed 004);
- `docx_to_markdown(path)` → narrative Markdown;
- `export_xlsx(record_or_path, out_path, layout)` → a form filled with the record: the national form,
  the 湖北 (hubei; `import` reads it as wuhan) or the 苏州 form, each read back by `read_form`.
"""

from __future__ import annotations

from .form_reader import ImportResult
from .importer import LAYOUTS, ImportFailure, convert_with_soffice, read_form, soffice_path


def docx_to_markdown(path: str):
    from .docx_md import docx_to_markdown as _convert

    return _convert(path)


def export_xlsx(record_path_or_evaluation, out_path, layout: str = "national"):
    from .export_xlsx import export_xlsx as _export

    return _export(record_path_or_evaluation, out_path, layout)


__all__ = [
    "ImportResult",
    "ImportFailure",
    "LAYOUTS",
    "read_form",
    "docx_to_markdown",
    "export_xlsx",
    "convert_with_soffice",
    "soffice_path",
]
