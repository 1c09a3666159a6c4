"""The computed results as JSON-ready data (the `report` command and the site's downloads)."""

from __future__ import annotations

from typing import Any

from .decimals import to_number
from .diagnostics import KeyPath
from .revisions import update_date
from .scoring import Evaluation


def dotted(key: KeyPath) -> str:
    """A key path as a data user reads it: ("indicator", 3, "score") → indicator[3].score."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def project_report(ev: Evaluation) -> dict[str, Any]:
    r = ev.record
    b = r.budget
    return {
        "id": r.id,
        "source": r.file,
        "name": r.name,
        "year": r.year,  # None where the source printed no evaluation year (then filed_year says where it is filed)
        "filed_year": r.filed_year,
        "region": r.region,
        "department": r.department,
        "evaluation": r.evaluation,
        "evaluator": r.evaluator,
        "status": r.status,
        "publish_date": r.publish_date,  # the site shows a published record from this day on (None: at once)
        "update_date": update_date(r),  # the latest revision's date (None: not revised since first publication)
        "scored": r.scored,
        "max_score": to_number(ev.max_score) if r.scored else None,
        "declared_total": to_number(ev.declared_total),
        "computed_total": to_number(ev.computed_total),
        # complete, partial (only the published part of a table printed in part: not a total), not_computable
        "computed_total_scope": ev.total_scope.value if ev.total_scope is not None else None,
        "excerpt": r.excerpt,
        "declared_grade": r.grade,
        "grade": ev.grade,
        "grade_bands": ev.bands.name if ev.bands else None,
        "budget": {
            "unit": b.unit if b else "万元",
            "budget": to_number(b.base) if b else None,
            "executed": to_number(b.executed) if b else None,
            "execution_rate": to_number(ev.execution_rate),
        },
        "indicators": [
            {
                "path": list(leaf.indicator.full_path),
                "weight": to_number(leaf.weight),
                "declared_score": to_number(leaf.indicator.score),
                "computed_score": to_number(leaf.computed),
                "rule": leaf.kind,
                "target": leaf.indicator.target,
                "actual": leaf.indicator.actual,
                "applicable": leaf.indicator.applicable,
                "not_published": sorted(leaf.indicator.unpublished),
            }
            for leaf in ev.leaves
        ],
        "not_published": [dotted(key) for key in r.not_published()],  # values the source left blank ("未公布")
        # changes made after first publication ([[revisions]]), in the record's order
        "revisions": [{"date": rev.date, "note": rev.note, "fields": list(rev.fields)} for rev in r.revisions],
        "diagnostics": [d.to_json() for d in ev.diagnostics],
    }


def report(evaluations: list[Evaluation]) -> dict[str, Any]:
    return {"projects": [project_report(ev) for ev in evaluations]}
