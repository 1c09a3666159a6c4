"""Fuzz: mutated seed records through load → validate → score → render never raise, never hang, and every
problem names the file it is about (issue 10, item 8). A fixed budget of examples runs in CI."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.core.pipeline import evaluate_file
from generator.core.schemes import load_library
from generator.publish.policy import is_public
from generator.render.outputs import render_one
from generator.render.project import SiteOptions

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted(p for p in (ROOT / "projects").rglob("*.toml") if p.parent.name != "schemes")
LIBRARY = load_library(str(ROOT / "projects"))
BUDGET = int(os.environ.get("PD_FUZZ_EXAMPLES", "500"))  # examples per run (CI); raise it for a longer hunt

_VALUE = re.compile(r"^(\s*[A-Za-z_\"][^=\n]*=\s*)(.+)$", re.M)
values = st.one_of(
    st.sampled_from(
        [
            '""',
            "0",
            "-1",
            "1e308",
            "-0.0",
            "nan",
            "inf",
            "true",
            "[]",
            "{}",
            '"≥"',
            '"=100%"',
            '"1/0"',
            "99999999999999999999",
            "0.000000000000000000001",
            "1e-999999999",
            "1e1000000",
            "9" * 5000,
            "0x" + "f" * 5000,
            '"\\u202e反向"',
            '"a\\u200bb"',
            '"../../etc"',
        ]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: format(d, "f")),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).map(
        lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'
    ),
)


@st.composite
def mutated(draw):
    seed = draw(st.sampled_from(SEEDS))
    lines = seed.read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "drop", "duplicate", "truncate", "garbage"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "value" and (m := _VALUE.match(lines[i])):
            lines[i] = m.group(1) + draw(values)
        elif kind == "drop":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "truncate":
            lines = lines[: i + 1]
        elif kind == "garbage":
            lines.insert(i, draw(st.text(max_size=20)))
        if not lines:
            lines = [""]
    return seed, "\n".join(lines)


@settings(
    max_examples=BUDGET,
    deadline=dt.timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(case=mutated())
def test_mutated_records_give_diagnostics_not_failures(tmp_path_factory, case):
    seed, text = case
    folder = tmp_path_factory.mktemp("fuzz") / "projects" / seed.parent.name
    folder.mkdir(parents=True)
    record = folder / seed.name
    record.write_text(text, encoding="utf-8", errors="surrogatepass")
    narrative = seed.with_suffix(".md")
    if narrative.exists():
        record.with_suffix(".md").write_bytes(narrative.read_bytes())
    shown = f"projects/{seed.parent.name}/{seed.name}"
    outcome = evaluate_file(str(record), LIBRARY, shown)
    for d in outcome.diagnostics:
        assert d.file in (shown, shown[:-5] + ".md"), d
        assert d.line >= 1 and d.column >= 1 and d.message
    ev = outcome.evaluation
    event("loaded" if ev is not None else "not loaded")
    if ev is not None and is_public(ev, dt.date(2030, 1, 1)):
        event("rendered")
        page = render_one(ev, SiteOptions()).output.page
        assert page.content.startswith("---\n")
