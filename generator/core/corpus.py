"""What the checks across records need, read before any record is evaluated.

Duplicate records (E120), two records on one page (E127) and the like are facts about the set of
records, so they are known before the first record is scored or rendered: a build never publishes
a page and then takes it back. A record's identity is its top-level keys, which TOML writes before
the first [table]: reading that head is cheap, so every record is looked at twice only briefly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tomli

from .fields import EVALUATION_KINDS

# The first table header ([budget], [[indicator]] …): top-level keys cannot follow it.
_FIRST_TABLE = re.compile(r"^[ \t]*\[", re.M)


@dataclass(frozen=True)
class RecordIdentity:
    """A record as the cross-record checks see it, without the record itself."""

    id: str
    year: int
    evaluation: str
    name: str
    department: str | None
    file: str  # as shown in diagnostics
    path: str  # on disk

    def locate(self, key: tuple) -> tuple[int, int]:
        from .toml_positions import build_index

        try:
            with open(self.path, encoding="utf-8-sig") as fh:
                return build_index(fh.read()).locate(key)
        except (OSError, UnicodeDecodeError):
            return (1, 1)


def _top_level(text: str) -> dict | None:
    head = text[: m.start()] if (m := _FIRST_TABLE.search(text)) else text
    for candidate in (head, text):  # the head alone fails when a multi-line string holds a line starting with [
        try:
            return tomli.loads(candidate, parse_float=Decimal)
        except (tomli.TOMLDecodeError, RecursionError):
            continue
    return None


def read_identity(path: str, display: str | None = None) -> RecordIdentity | None:
    """The identity of the record in `path`, or None when it cannot be read (loading reports why)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    raw = _top_level(text)
    if raw is None:
        return None
    rid, year, evaluation, name = raw.get("id"), raw.get("year"), raw.get("evaluation"), raw.get("name")
    department = raw.get("department")
    if not (isinstance(rid, str) and isinstance(name, str) and isinstance(evaluation, str) and evaluation in EVALUATION_KINDS):
        return None
    if not isinstance(year, int) or isinstance(year, bool):
        return None
    return RecordIdentity(rid, year, evaluation, name, department if isinstance(department, str) else None, display or path, path)
