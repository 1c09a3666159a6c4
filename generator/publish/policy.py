"""Which evaluated records the public site shows, and as of which day."""

from __future__ import annotations

import datetime as _dt
import enum
import os
from dataclasses import dataclass, field

# the day the site is built as of: the one validate checks record dates against
from generator.core.dates import build_date as build_date
from generator.core.diagnostics import has_errors
from generator.core.model import Record
from generator.core.scoring import Evaluation


def build_time() -> _dt.datetime:
    """Now, or the moment of SOURCE_DATE_EPOCH (UTC): the time a page shows as its PubDate when it has no date
    of its own (pages that change with every build, such as the home page)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return _dt.datetime.now(tz=_dt.timezone.utc)


class State(enum.Enum):
    """Where a record stands as of a day: what a build does with it."""

    PUBLISHED = "published"  # on the site
    DRAFT = "draft"  # status = "draft": never published
    EMBARGOED = "embargoed"  # published from its publish_date on, which is still to come
    ERRORS = "errors"  # withheld until its errors (its own or across records) are fixed


@dataclass(frozen=True)
class Publication:
    state: State
    date: _dt.date | None = None  # EMBARGOED: the day it will be published


def publish_day(record: Record) -> _dt.date | None:
    """The record's publish_date as a day (a year alone is its 1 January, a month its first day)."""
    if not record.publish_date:
        return None
    parts = [int(p) for p in record.publish_date.split("-")]
    return _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def publication(ev: Evaluation, today: _dt.date) -> Publication:
    """A draft is a draft whatever else is wrong with it; a record with errors is withheld before its date matters."""
    r = ev.record
    if r.status != "published":
        return Publication(State.DRAFT)
    if has_errors(ev.diagnostics):
        return Publication(State.ERRORS)
    when = publish_day(r)
    if when is not None and when > today:
        return Publication(State.EMBARGOED, when)
    return Publication(State.PUBLISHED)


def is_public(ev: Evaluation, today: _dt.date) -> bool:
    """Published status, no errors (its own or across records), and a publication date reached."""
    return publication(ev, today).state is State.PUBLISHED


def previewable(ev: Evaluation, today: _dt.date) -> Publication | None:
    """What the local preview shows besides the site: a valid draft, or a valid record before its date
    (each with a banner saying so); None for a record the preview shows as the site does."""
    found = publication(ev, today)
    if found.state is State.EMBARGOED or (found.state is State.DRAFT and not has_errors(ev.diagnostics)):
        return found
    return None


def preview_notice(found: Publication) -> tuple[str, str]:
    """The banner (title, text) of a record the preview shows and the site does not. Editors read it."""
    if found.state is State.EMBARGOED and found.date is not None:
        day = found.date.isoformat()
        return (
            f"未到公开日期（将于 {day} 公开）",
            f"仅本地预览可见：该记录的公开日期（publish_date）为 {day}，在此之前构建的网站不包含它。",
        )
    return (
        "草稿（不会发布）",
        '仅本地预览可见：该记录的状态为草稿（status = "draft"），构建网站时不会发布；改为 "published" 后才会公开。',
    )


@dataclass
class PublicationCount:
    """What a build on `today` would do with each record: validate's closing line."""

    today: _dt.date
    published: int = 0
    drafts: list[str] = field(default_factory=list)  # record files
    embargoed: list[tuple[str, _dt.date]] = field(default_factory=list)  # (record file, its publication day)
    errors: int = 0  # records withheld for their errors, those that could not be read included

    def add(self, file: str, ev: Evaluation | None) -> None:
        found = publication(ev, self.today) if ev is not None else Publication(State.ERRORS)
        if found.state is State.PUBLISHED:
            self.published += 1
        elif found.state is State.DRAFT:
            self.drafts.append(file)
        elif found.state is State.EMBARGOED and found.date is not None:
            self.embargoed.append((file, found.date))
        else:
            self.errors += 1

    @property
    def next_date(self) -> _dt.date | None:
        """The earliest day an embargoed record will be published."""
        return min((day for _, day in self.embargoed), default=None)
