"""Revisions: the changes made to a record after its first publication ([[revisions]]), and their checks.

A record's publish_date is the day it was first published; each [[revisions]] entry is a later change with
its date and a note saying what changed and why. The page shows 发布日期, 更新日期 (the latest revision) and the
修订记录, from the record alone. Two kinds of checks:

- check_revisions: the entries themselves (pipeline.check_record runs it on every record): not dated before
  first publication (E401) or after the build date (E402) — either would publish a false date —, in order
  (W403), dated to the day (W404), and a publish_date to measure them against (W405);
- compare_versions: a record against an earlier version of itself (git_history.py finds it): a published
  record whose figures (figures.py) changed needs a new entry dated on or after that version (W406), and its
  publish_date and earlier entries stay as they were (W407).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import diagnostics as dg
from .checks import Reporter
from .dates import build_date, day_span, is_whole_day
from .figures import Figure, figures
from .model import Record, Revision

MAX_LISTED = 10  # changed figures reported one by one per record; the rest are counted in one more warning


def update_date(record: Record) -> str | None:
    """The date of the record's latest revision, as written (None when it has none): the page's 更新日期."""
    dated = [r.date for r in record.revisions if r.date]
    return max(dated, key=lambda d: day_span(d)[1]) if dated else None


def check_revisions(record: Record, rep: Reporter, today: _dt.date | None = None) -> None:
    """The [[revisions]] entries against the record's publish_date, the build date and each other."""
    if not record.revisions:
        return
    today = today or build_date()
    published = day_span(record.publish_date) if record.publish_date else None
    if published is None:
        rep.at(
            "W405",
            ("revisions", 0),
            "记录有修订记录（[[revisions]]），却没有写首次公开的日期 publish_date：页面没有发布日期，"
            "修订日期也无从核对。请照实际情况写上 publish_date（不是修订的日期）。",
        )
    previous: Revision | None = None
    for i, rev in enumerate(record.revisions):
        if not rev.date:  # not filled in: E101 says so
            continue
        first, last = day_span(rev.date)
        where = f"第 {i + 1} 条修订记录的日期 {rev.date} "
        if not is_whole_day(rev.date):
            rep.at("W404", rev.key + ("date",), f"{where}没有写到日。请写成 2025-03-18 这样的完整日期。")
        if published is not None and last < published[0]:
            rep.at(
                "E401",
                rev.key + ("date",),
                f"{where}早于记录首次公开的日期 publish_date = {record.publish_date}。修订是公开之后的改动，"
                "照此发布页面会显示一个不真实的日期。请核对：publish_date 写首次公开的日期，修订日期写实际改动的那一天。",
            )
        if first > today:
            rep.at(
                "E402",
                rev.key + ("date",),
                f"{where}晚于今天（{today.isoformat()}），页面会显示一个还没有到来的更新日期。请写实际改动的那一天。",
            )
        if previous is not None and previous.date and last < day_span(previous.date)[0]:
            rep.at(
                "W403",
                rev.key + ("date",),
                f"{where}早于它前面一条的日期 {previous.date}。请按日期从早到晚排列修订记录，页面照此顺序列出。",
            )
        previous = rev


# ---------------------------------------------------------------------------- against an earlier version


@dataclass(frozen=True)
class Base:
    """The earlier version a record is compared with."""

    day: _dt.date  # the day of its commit: a revision for a change since then is dated on or after it
    label: str  # how messages name it: "origin/main 的合并基点 1a2b3c4（2025-03-01）"


def was_public(record: Record, today: _dt.date) -> bool:
    """Published status, and a publication date reached (the site has shown it, or shows it now)."""
    if record.status != "published":
        return False
    return record.publish_date is None or day_span(record.publish_date)[0] <= today


def compare_versions(old: Record, new: Record, base: Base, today: _dt.date) -> list[dg.Diagnostic]:
    """W406 for each figure of a published record changed since `base` without a new revision entry dated on or
    after the base's day, and W407 where its publish_date or earlier entries were changed. `new` is the record
    as it is now (diagnostics point into it), `old` the record as it was at `base`."""
    if not was_public(old, today) or new.status != "published":
        return []  # a draft, or a record not yet public then, changes freely
    rep = Reporter(new)
    _rewritten_history(old, new, base, rep)
    before, after = figures(old), figures(new)
    changed = [
        (before.get(fid), after.get(fid))
        for fid in [*after, *(fid for fid in before if fid not in after)]
        if _value(before.get(fid)) != _value(after.get(fid))  # a row added or removed with nothing filled in: none
    ]
    earlier = set(_entries(old))
    added = [r for r in new.revisions if (r.date, r.note.strip()) not in earlier and r.note.strip()]
    if not changed or any(r.date and day_span(r.date)[1] >= base.day for r in added):
        return rep.diags
    since = base.day.isoformat()
    early = [r.date for r in added if r.date]
    missing = f"新增的修订记录日期 {early[-1]} 早于该版本的日期 {since}" if early else "却没有新增修订记录"
    for was, now in changed[:MAX_LISTED]:
        fig = now or was
        assert fig is not None
        rep.at(
            "W406",
            fig.key,
            f"{fig.name} {_shown(was)} → {_shown(now)}：已公开的记录与 {base.label}相比改动了这个数字，{missing}。"
            f"请在 [[revisions]] 中补充修订说明（date 写改动的日期，不早于 {since}；note 写改了什么、为什么改）。",
        )
    if len(changed) > MAX_LISTED:
        fig = changed[0][1] or changed[0][0]
        assert fig is not None
        rep.at(
            "W406",
            fig.key,
            f"另有 {len(changed) - MAX_LISTED} 个数字也改动了（共 {len(changed)} 个，上面列出前 {MAX_LISTED} 个）。"
            "一条修订记录可以说明多处改动。",
        )
    return rep.diags


def _value(fig: Figure | None) -> str:
    return fig.value if fig is not None else ""


def _shown(fig: Figure | None) -> str:
    if fig is None:
        return "（无此项）"
    return fig.value or "（未填写）"


def _entries(record: Record) -> list[tuple[str | None, str]]:
    return [(r.date, r.note.strip()) for r in record.revisions]


def _rewritten_history(old: Record, new: Record, base: Base, rep: Reporter) -> None:
    if old.publish_date and new.publish_date != old.publish_date:
        rep.at(
            "W407",
            ("publish_date",),
            f"已公开记录的首次公开日期 publish_date 由 {old.publish_date} 改为 {new.publish_date or '（删除）'}"
            f"（与 {base.label}相比）。首次公开的日期不因修订而改变，请恢复原来的日期；新的改动写在 [[revisions]] 中。",
        )
    kept = set(_entries(new))
    gone = [entry for entry in _entries(old) if entry not in kept]
    if gone:
        date, note = gone[0]
        more = f"等 {len(gone)} 条" if len(gone) > 1 else ""
        rep.at(
            "W407",
            ("revisions",),
            f"已有的修订记录（{date}：“{note}”{more}）被改动或删除了（与 {base.label}相比）。修订记录是页面的历史，"
            "请恢复原样；新的改动另加一条 [[revisions]] 说明。",
        )
