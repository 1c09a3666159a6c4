"""What the index pages need to know of a published project, without the whole evaluation.

A site of 10,000 projects cannot keep 10,000 evaluations in memory while MkDocs builds; the
project page and its files are rendered as each record is evaluated, and only this remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.core.decimals import HUNDRED, q2
from generator.core.revisions import update_date
from generator.core.schemes import GradeBands, Scheme
from generator.core.scoring import Evaluation, published_grade

from .problems import pack_sheet
from .project import download_base, project_path


@dataclass(frozen=True)
class ProjectSummary:
    """A published project as the index pages see it."""

    id: str
    name: str
    year: int | None  # the evaluation year; None where the source printed none ("未公布")
    filed_year: int  # the year it is filed under: the evaluation year, or the year its source was published
    region: str
    department: str | None  # None where the source printed none ("未公布")
    evaluation: str
    scored: bool
    total: Decimal | None  # published total (None when unscored)
    total_unpublished: bool  # scored, and the source printed no total ("未公布")
    max_score: Decimal | None
    grade: str | None  # published grade (stated, or from the bands)
    computed_total: Decimal | None
    computed_grade: str | None
    execution_rate: Decimal | None
    unit: str | None
    budget: Decimal | None
    executed: Decimal | None
    scheme: Scheme | None
    bands: GradeBands | None
    rule_kinds: tuple[str, ...]  # the rule kind of every leaf, for the methodology page
    path: str  # the project page's source path
    downloads: str  # download path without extension
    publish_date: str | None = None  # the record's publish_date: the 信息公开 header's 发布日期 and 索引号 order
    evaluation_date: str = ""  # the record's date (评价日期): the feeds' date of a record without publish_date
    update_date: str | None = None  # its latest [[revisions]] entry (None: never revised): the header's 更新日期
    problems: bytes = b""  # its problems and follow-ups, packed (render/problems.py): 问题清单 and 整改情况 (issue 17)

    @property
    def score_pct(self) -> Decimal | None:
        """The published total on a 100 scale (None when unscored)."""
        if not self.scored or self.total is None or not self.max_score:
            return None
        return q2(self.total / self.max_score * HUNDRED)

    @property
    def grade_label(self) -> str:
        """The grade as the index pages list it: the published one, 未公布 for a scored record without one (its source
        printed neither a grade nor a total to derive it from), 未计分 for an unscored record."""
        return self.grade or ("未公布" if self.scored else "未计分")

    @property
    def sort_key(self) -> tuple:
        """Newest year first (a record whose evaluation year was not published, by the year its source was), then
        department (those not published last), name and page path."""
        return (-self.filed_year, self.department is None, self.department or "", self.name, self.path)


def summarize(ev: Evaluation) -> ProjectSummary:
    """What remains of an evaluation once its project page is rendered."""
    r = ev.record
    b = r.budget
    return ProjectSummary(
        id=r.id,
        name=r.name,
        year=r.year,
        filed_year=r.filing_year or 0,
        region=r.region,
        department=r.department,
        evaluation=r.evaluation,
        scored=r.scored,
        total=r.total if r.scored else None,
        total_unpublished=r.scored and "total" in r.unpublished,
        max_score=ev.max_score,
        grade=published_grade(ev),
        computed_total=ev.computed_total,
        computed_grade=ev.grade,
        execution_rate=ev.execution_rate,
        unit=b.unit if b else None,
        budget=b.base if b else None,
        executed=b.executed if b else None,
        scheme=ev.scheme if r.scored else None,
        bands=ev.bands if r.scored else None,
        rule_kinds=tuple(leaf.kind for leaf in ev.leaves if leaf.kind),
        path=project_path(ev),
        downloads=download_base(ev),
        publish_date=r.publish_date,
        evaluation_date=r.date or "",
        update_date=update_date(r),
        problems=pack_sheet(r),
    )
