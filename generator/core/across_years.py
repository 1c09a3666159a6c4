"""One project across its evaluation years: what each year published, side by side, and where the years
cannot be compared point for point (another scheme, other grade bands, other level-1 points).

A project keeps its `id` from one year to the next (corpus.py warns when its name changes). Indicators are
matched by their full path, parents and name: 产出指标 / 数量指标 / 办件量 of 2022 is the same indicator
as that of 2023, whatever their order in the table. What a year adds or no longer lists is said, not hidden.
Nothing here is worded for a reader: the render stage turns a Comparison into a page.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from .field_types import NOT_PUBLISHED
from .model import EVALUATION_KINDS
from .scoring import Evaluation, LeafResult, Node, published_grade

Key = tuple[tuple[str, ...], int]  # an indicator's full path, and which of that name it is (0: the first)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class YearLeaf:
    """One indicator of one year, as published."""

    path: tuple[str, ...]  # parents and name
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None  # the published score
    applicable: bool = True


@dataclass(frozen=True)
class YearPart:
    """A level-1 indicator (or a leaf at level 1, such as 预算执行率) of one year: its points and published score."""

    name: str
    weight: Decimal | None
    score: Decimal | None


@dataclass(frozen=True)
class YearEntry:
    """What one evaluation of a project published, as far as a comparison across years needs it."""

    id: str
    year: int
    evaluation: str
    name: str
    department: str
    scheme: str | None  # the scheme's name (None: the record sets its own table)
    scheme_title: str | None
    bands: str | None  # the grade bands' name
    bands_title: str | None
    scored: bool
    total: Decimal | None  # published total (None when unscored)
    max_score: Decimal | None
    grade: str | None  # published grade
    computed_total: Decimal | None
    execution_rate: Decimal | None
    parts: tuple[YearPart, ...]
    leaves: tuple[YearLeaf, ...]

    @property
    def order(self) -> tuple[int, int, str]:
        kind = EVALUATION_KINDS.index(self.evaluation) if self.evaluation in EVALUATION_KINDS else len(EVALUATION_KINDS)
        return (self.year, kind, self.name)


def year_entry(ev: Evaluation) -> YearEntry:
    """What a comparison keeps of one evaluation (one with a published evaluation year)."""
    r = ev.record
    if r.year is None:
        raise ValueError("a record whose evaluation year was not published is in no comparison by year")
    parts = tuple(
        YearPart(n.name, n.weight, n.declared_score)
        if isinstance(n, Node)
        else YearPart(n.indicator.name, n.weight, n.indicator.score)
        for n in ev.roots
    )
    return YearEntry(
        id=r.id,
        year=r.year,
        evaluation=r.evaluation,
        name=r.name,
        department=r.department or NOT_PUBLISHED,
        scheme=ev.scheme.name if ev.scheme else None,
        scheme_title=ev.scheme.title if ev.scheme else None,
        bands=ev.bands.name if ev.bands else None,
        bands_title=ev.bands.title if ev.bands else None,
        scored=r.scored,
        total=r.total if r.scored else None,
        max_score=ev.max_score if r.scored else None,
        grade=published_grade(ev),
        computed_total=ev.computed_total if r.scored else None,
        execution_rate=ev.execution_rate,
        parts=parts if r.scored else tuple(YearPart(p.name, None, None) for p in parts),
        leaves=tuple(_leaf(leaf, r.scored) for leaf in ev.leaves),
    )


def _leaf(leaf: LeafResult, scored: bool) -> YearLeaf:
    ind = leaf.indicator
    return YearLeaf(
        ind.full_path,
        ind.target,
        ind.actual,
        leaf.weight if scored else None,
        ind.score if scored else None,
        ind.applicable,
    )


@dataclass(frozen=True)
class Row:
    """One indicator across the years: its cell in each year (None where that year does not list it)."""

    path: tuple[str, ...]
    cells: tuple[YearLeaf | None, ...]

    @property
    def first(self) -> int:
        """The first year (column) that lists it."""
        return next(i for i, c in enumerate(self.cells) if c is not None)


@dataclass(frozen=True)
class PartRow:
    name: str
    cells: tuple[YearPart | None, ...]


@dataclass(frozen=True)
class Change:
    """What differs between one evaluation (column `before`) and the next (`after`)."""

    before: int
    after: int
    scheme: tuple[str | None, str | None] | None  # scheme titles, when the scheme changed
    bands: tuple[str | None, str | None] | None  # grade bands' titles, when they changed
    max_score: tuple[Decimal | None, Decimal | None] | None
    weights: tuple[tuple[str, Decimal | None, Decimal | None], ...]  # level-1 name, points before, after
    unscored: tuple[int, ...]  # which of the two (column numbers) published no scores
    added: tuple[tuple[str, ...], ...]  # indicators listed after but not before
    removed: tuple[tuple[str, ...], ...]

    @property
    def basis_changed(self) -> bool:
        """Whether the totals of the two are scored differently: another scheme, bands, maximum or level-1 points."""
        return bool(self.scheme or self.bands or self.max_score or self.weights)


@dataclass(frozen=True)
class Comparison:
    id: str
    entries: tuple[YearEntry, ...]  # oldest first
    rows: tuple[Row, ...]
    parts: tuple[PartRow, ...]
    changes: tuple[Change, ...]  # between each entry and the next

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({e.year for e in self.entries}))


def keyed(leaves: Sequence[YearLeaf]) -> dict[Key, YearLeaf]:
    """A year's indicators by full path; a path listed twice in one table is told apart by its occurrence."""
    seen: dict[tuple[str, ...], int] = {}
    out: dict[Key, YearLeaf] = {}
    for leaf in leaves:
        n = seen.get(leaf.path, 0)
        seen[leaf.path] = n + 1
        out[(leaf.path, n)] = leaf
    return out


def merged_order(sequences: Iterable[Sequence[K]]) -> list[K]:
    """The keys of several ordered lists in one order: the first list's, with each later list's new keys
    placed after the key they follow there (an indicator added in 2023 stands beside its neighbours)."""
    order: list[K] = []
    for seq in sequences:
        known = set(order)
        after = -1
        for key in seq:
            if key in known:
                after = order.index(key)
                continue
            order.insert(after + 1, key)
            known.add(key)
            after += 1
    return order


def compare(entries: Iterable[YearEntry]) -> Comparison | None:
    """The evaluations of one project side by side, oldest first; None unless they span two years or more."""
    ordered = tuple(sorted(entries, key=lambda e: e.order))
    if len({e.year for e in ordered}) < 2:
        return None
    ids = {e.id for e in ordered}
    if len(ids) != 1:
        raise ValueError(f"a comparison is of one project, not {sorted(ids)}")
    by_year = [keyed(e.leaves) for e in ordered]
    keys = merged_order(list(k) for k in by_year)
    rows = tuple(Row(key[0], tuple(k.get(key) for k in by_year)) for key in keys)
    part_maps = [{p.name: p for p in e.parts} for e in ordered]
    part_names = merged_order([p.name for p in e.parts] for e in ordered)
    parts = tuple(PartRow(n, tuple(m.get(n) for m in part_maps)) for n in part_names)
    changes = tuple(_change(ordered, by_year, i) for i in range(1, len(ordered)))
    return Comparison(ordered[0].id, ordered, rows, parts, changes)


def _change(entries: tuple[YearEntry, ...], by_year: list[dict[Key, YearLeaf]], i: int) -> Change:
    a, b = entries[i - 1], entries[i]
    unscored = tuple(n for n, e in ((i - 1, a), (i, b)) if not e.scored)
    both = not unscored  # points and bands only matter when both years published scores
    weights: list[tuple[str, Decimal | None, Decimal | None]] = []
    if both:
        wa = {p.name: p.weight for p in a.parts}
        wb = {p.name: p.weight for p in b.parts}
        for name in merged_order([list(wa), list(wb)]):
            before, after = wa.get(name), wb.get(name)
            if before != after:
                weights.append((name, before, after))
    return Change(
        before=i - 1,
        after=i,
        scheme=(a.scheme_title, b.scheme_title) if both and a.scheme != b.scheme else None,
        bands=(a.bands_title, b.bands_title) if both and a.bands != b.bands else None,
        max_score=(a.max_score, b.max_score) if both and a.max_score != b.max_score else None,
        weights=tuple(weights),
        unscored=unscored,
        added=tuple(k[0] for k in by_year[i] if k not in by_year[i - 1]),
        removed=tuple(k[0] for k in by_year[i - 1] if k not in by_year[i]),
    )
