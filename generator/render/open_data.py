"""Open data: the JSON twin of each project page and the index files of the site's API (api/v1/…).

The layout, documented for the public on the data page (data_page.py):

    api/v1/index.json                        the whole site: counts, and the address of everything below
    api/v1/projects/<year>/<slug>.json       one published record: what its page shows (its twin)
    api/v1/years/<year>.json                 a year's projects with their key figures and addresses
    api/v1/departments/<slug>.json           the same for a department (slug: core.names.department_slug)
    api/v1/schema/record.schema.json         the record format (authoring/json_schema.py), and scheme.schema.json
    api/v1/feed.atom, api/v1/departments/<slug>.atom     Atom feeds (feeds.py)
    data/datapackage.json                    the data files described as a Frictionless data package (datapackage.py)

A project's page and JSON addresses follow from its year and file name and never change; a renamed record
leaves redirects at its old ones (redirects.py). Addresses inside the files are paths from the site's root,
percent-encoded, so that the files stay the same wherever the site is published (index.json gives site_url
when the build knows it). Only published records reach any of them: everything here is made from what the
site build kept of the records it published.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from generator.core.decimals import q2, to_number
from generator.core.model import BudgetRow
from generator.core.names import department_slug
from generator.core.scoring import Evaluation

from .downloads import public_report
from .problem_list import PROBLEMS_CSV
from .project import SiteOptions, download_base, filing_year, project_path
from .summary import ProjectSummary
from .urls import department_page, page_url

API = "api/v1"
INDEX = f"{API}/index.json"
RECORD_SCHEMA = f"{API}/schema/record.schema.json"
SCHEME_SCHEMA = f"{API}/schema/scheme.schema.json"
FEED = f"{API}/feed.atom"
DATAPACKAGE = "data/datapackage.json"
DOWNLOAD_KINDS = ("toml", "json", "csv", "xlsx")  # a project's downloads (downloads.project_files), by extension


def project_json(year: int, slug: str) -> str:
    """Path of a project's JSON twin."""
    return f"{API}/projects/{year}/{slug}.json"


def year_json(year: int) -> str:
    return f"{API}/years/{year}.json"


def department_json(name: str) -> str:
    return f"{API}/departments/{department_slug(name)}.json"


def department_feed(name: str) -> str:
    return f"{API}/departments/{department_slug(name)}.atom"


def address(path: str) -> str:
    """A site path as the JSON files give it: percent-encoded (department names are Chinese)."""
    return quote(path, safe="/-_.~")


def dumps(data: Any) -> bytes:
    """The bytes of a JSON file of the API: keys sorted, UTF-8 text, two-space indent, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _slug(page_path: str) -> str:
    return posixpath.splitext(posixpath.basename(page_path))[0]


def summary_json(s: ProjectSummary) -> str:
    """Path of the JSON twin of a published project, from what the site kept of it."""
    return project_json(s.filed_year, _slug(s.path))


def _downloads(base: str) -> dict[str, str]:
    return {ext: address(f"{base}.{ext}") for ext in DOWNLOAD_KINDS}


# ---------------------------------------------------------------------------- one record


def _row(row: BudgetRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "initial": to_number(row.initial),
        "budget": to_number(row.budget),
        "executed": to_number(row.executed),
        "rate": to_number(row.rate),
    }


def project_twin(ev: Evaluation) -> dict[str, Any]:
    """What the project page shows, as data: the published JSON report (downloads.public_report) with the page's
    other facts — implementer, evaluation date, source, goals, budget rows, each indicator's name and reason, the
    report text — and the addresses of the page, this file and the downloads."""
    r = ev.record
    data = public_report(ev)
    for entry, leaf in zip(data["indicators"], ev.leaves):
        entry["name"] = leaf.indicator.name
        entry["reason"] = leaf.indicator.reason
    b = r.budget
    if b is not None:
        data["budget"].update(
            initial=to_number(b.initial),
            adjustment=to_number(b.adjustment),
            sources=[_row(row) for row in b.sources],
            items=[_row(row) for row in b.items],
        )
    data.update(
        implementer=r.implementer,
        evaluation_date=r.date,
        data_source=r.source,
        goals={"expected": list(r.goals.expected), "achieved": list(r.goals.achieved)},
        report_text=r.narrative or "",
        urls={
            "page": address(page_url(project_path(ev))),
            "json": address(project_json(filing_year(ev), r.slug)),
            "downloads": _downloads(download_base(ev)),
        },
    )
    return data


# ---------------------------------------------------------------------------- index files


def _num(value: Decimal | None) -> float | int | None:
    return to_number(q2(value)) if value is not None else None


def project_entry(s: ProjectSummary) -> dict[str, Any]:
    """A project as the year and department index files list it: key figures and addresses."""
    return {
        "id": s.id,
        "name": s.name,
        "year": s.year,
        "region": s.region,
        "department": s.department,
        "evaluation": s.evaluation,
        "evaluation_date": s.evaluation_date,
        "publish_date": s.publish_date,
        "scored": s.scored,
        "total": to_number(s.total),
        "max_score": to_number(s.max_score) if s.scored else None,
        "score_pct": to_number(s.score_pct),
        "grade": s.grade,
        "computed_total": to_number(s.computed_total),
        "computed_grade": s.computed_grade,
        "budget_unit": s.unit,
        "budget": to_number(s.budget),
        "executed": to_number(s.executed),
        "execution_rate": to_number(s.execution_rate),
        "page": address(page_url(s.path)),
        "json": address(summary_json(s)),
        "downloads": _downloads(s.downloads),
    }


def _totals(evs: list[ProjectSummary]) -> dict[str, Any]:
    from .listings import summary

    s = summary(evs)
    return {
        "projects": s["projects"],
        "scored": s["scored"],
        "average_score_pct": _num(s["average"]),
        "budget_wan": _num(s["budget"]),
        "executed_wan": _num(s["executed"]),
        "execution_rate": _num(s["rate"]),
    }


def index_files(evs: list[ProjectSummary], options: SiteOptions) -> list[tuple[str, bytes]]:
    """(path, bytes) of index.json, one file per year and per department, and the published JSON Schemas.
    `evs` are the published projects in the listings' order (newest year first)."""
    from generator.authoring import json_schema

    by_year: dict[int, list[ProjectSummary]] = defaultdict(list)
    by_dept: dict[str, list[ProjectSummary]] = defaultdict(list)
    for s in evs:  # a year or department the source did not publish has no index file of its own (index.json counts it)
        if s.year is not None:
            by_year[s.year].append(s)
        if s.department is not None:
            by_dept[s.department].append(s)
    files: list[tuple[str, bytes]] = []
    years = []
    for year in sorted(by_year, reverse=True):
        items = by_year[year]
        page = address(page_url(f"years/{year}.md"))
        years.append({"year": year, "projects": len(items), "url": address(year_json(year)), "page": page})
        body = {"year": year, "page": page, "totals": _totals(items), "projects": [project_entry(s) for s in items]}
        files.append((year_json(year), dumps(body)))
    departments = []
    for name in sorted(by_dept):
        items = by_dept[name]
        about = {
            "name": name,
            "slug": department_slug(name),
            "url": address(department_json(name)),
            "page": address(page_url(department_page(name))),
            "feed": address(department_feed(name)),
        }
        departments.append({**about, "projects": len(items)})
        body = {**about, "totals": _totals(items), "projects": [project_entry(s) for s in items]}
        files.append((department_json(name), dumps(body)))
    index = {
        "api_version": "v1",
        "title": options.site_title,
        "site_url": options.site_url or None,
        "totals": _totals(evs),
        "counts": {"projects": len(evs), "years": len(years), "departments": len(departments)},
        "years": years,
        "departments": departments,
        "project_url_pattern": f"{API}/projects/<year>/<slug>.json",
        "files": {
            "projects_csv": "data/projects.csv",
            "indicators_csv": "data/indicators.csv",
            "projects_json": "data/projects.json",
            "problems_csv": PROBLEMS_CSV,
            "datapackage": DATAPACKAGE,
            "record_schema": RECORD_SCHEMA,
            "scheme_schema": SCHEME_SCHEMA,
            "feed": FEED,
        },
    }
    files.append((INDEX, dumps(index)))
    files.append((RECORD_SCHEMA, json_schema.dumps(json_schema.record_schema()).encode("utf-8")))
    files.append((SCHEME_SCHEMA, json_schema.dumps(json_schema.scheme_schema()).encode("utf-8")))
    return files
