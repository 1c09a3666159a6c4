"""How a page shows what the source left blank: the words "未公布" where a value was written "未公布"."""

from __future__ import annotations

from generator.core.field_types import NOT_PUBLISHED

UNPUBLISHED = NOT_PUBLISHED  # the cell text, as the source's own gap is named on the page and in downloads
UNPUBLISHED_DEPARTMENT = "主管部门未公布"  # the department index entry of records whose source printed none
UNPUBLISHED_YEAR = "评价年度未公布"  # the year index entry of records whose source printed no evaluation year


def shown(obj: object, name: str, value: object) -> object:
    """The value of field `name` of a model object, or "未公布" when the source left it blank."""
    return UNPUBLISHED if name in getattr(obj, "unpublished", ()) else value


def text(obj: object, name: str, value: str | None) -> str:
    """A text field as a page or a CSV cell shows it: its value, "未公布", or "" when not given."""
    if name in getattr(obj, "unpublished", ()):
        return UNPUBLISHED
    return value or ""
