"""Which evaluated records the public site shows, and as of which day."""

from __future__ import annotations

import datetime as _dt
import os

# the day the site is built as of: the one validate checks record dates against
from generator.core.dates import build_date as build_date
from generator.core.diagnostics import has_errors
from generator.core.scoring import Evaluation


def build_time() -> _dt.datetime:
    """Now, or the moment of SOURCE_DATE_EPOCH (UTC): the time a page shows as its PubDate when it has no date
    of its own (pages that change with every build, such as the home page)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return _dt.datetime.now(tz=_dt.timezone.utc)


def is_public(ev: Evaluation, today: _dt.date) -> bool:
    """Published status, no errors (its own or across records), and a publication date reached."""
    r = ev.record
    if r.status != "published" or has_errors(ev.diagnostics):
        return False
    if r.publish_date:
        parts = [int(p) for p in r.publish_date.split("-")]
        when = _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        if when > today:
            return False
    return True
