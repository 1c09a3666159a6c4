"""Days: the build date every check and page is "as of", and the days a record's dates stand for.

A record writes a date as a year, a month or a day ("2021", "2021-08", "2021-08-31"); a comparison of two
such dates must not claim more than they say, so each stands for the span of days it covers.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import os


def build_date() -> _dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH (UTC) for reproducible builds: the day the site is built as of,
    and the day validate checks dates against."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date()
    return _dt.date.today()


def day_span(text: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day a date written in a record covers: "2021" → 1 January–31 December 2021,
    "2021-08" → 1–31 August, "2021-08-31" → that day. `text` is a date the structural checks accepted."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])
    day = _dt.date(year, month, parts[2])
    return day, day


def is_whole_day(text: str) -> bool:
    """The date names one day (2021-08-31), not a month or a year."""
    return text.count("-") == 2
