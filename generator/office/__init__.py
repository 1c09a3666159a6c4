"""Office forms in and out: self-evaluation forms (.xlsx, legacy .xls via LibreOffice) and Word
reports become records; a record becomes the national self-evaluation form again.

- `read_form(path)` → ImportResult (record dict, narrative, unmapped cells, notes), one recogniser per
  layout: national (seed 000), wuhan (湖北/武汉, seed 001), suzhou (seed 004), and monitoring (the mid-year
  执行监控表, read into [monitoring] beside any of them or on its own);
- `docx_to_markdown(path)` → narrative Markdown;
- `export_xlsx(record_or_path, out_path)` → the national form filled with the record (with the 执行监控表 as
  a second sheet when the record has [monitoring]).
"""

from __future__ import annotations

import importlib
from typing import Any

# The names load on first use (PEP 562): the site build writes each record's form through
# export_xlsx.py, which needs no third-party module, while the importer needs openpyxl, which only the
# [office] extra installs (tests/test_architecture.py checks what each install reaches).
_LAZY = {
    "ImportResult": "form_reader",
    "LAYOUTS": "importer",
    "ImportFailure": "importer",
    "convert_with_soffice": "importer",
    "read_form": "importer",
    "soffice_path": "importer",
    "docx_to_markdown": "docx_md",
    "export_xlsx": "export_xlsx",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    # Loading the submodule export_xlsx set this package's attribute export_xlsx to the module: the function wins.
    globals()[name] = value
    return value


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
