"""W140: personal numbers (mobile and landline telephones, 身份证号, bank cards) in a record's TOML text or
its narrative. The site publishes them masked; the message shows only the masked form, never the number."""

from __future__ import annotations

import dataclasses
from typing import Any

from .checks import Reporter
from .identity_checks import Report
from .model import Record
from .personal import find, mask


def check_personal(record: Record, rep: Reporter) -> None:
    """W140 at each personal number of the record and its narrative, except its public contacts."""
    for text, report in rep.texts():
        _scan(text, record.public_contacts, report)


def _scan(text: str, public: list[str], report: Report) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        for hit in find(line, public):
            report(
                "W140",
                number,
                hit.start + 1,
                f"此处有{hit.kind}（{hit.masked}），属于个人信息：网站公开时显示为 {hit.masked}。"
                "若是单位有意公开的联系电话，请把它写进 public_contacts。",
            )


def mask_record(record: Record) -> None:
    """De-identify the record in place: its TOML text, its narrative and every text of its fields."""
    _mask_fields(record, record.public_contacts)


def _mask_fields(obj: Any, public: list[str]) -> None:
    for f in dataclasses.fields(obj):
        if f.name in ("file", "slug", "narrative_file", "public_contacts"):
            continue
        value = getattr(obj, f.name)
        masked = _masked(value, public)
        if masked is not value:
            object.__setattr__(obj, f.name, masked)


def _masked(value: Any, public: list[str]) -> Any:
    if isinstance(value, str):
        new = mask(value, public)
        return value if new == value else new
    if isinstance(value, list | tuple) and any(isinstance(v, str) for v in value):
        items = [_masked(v, public) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, list):
        for item in value:
            if dataclasses.is_dataclass(item) and not isinstance(item, type):
                _mask_fields(item, public)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        _mask_fields(value, public)
    return value
