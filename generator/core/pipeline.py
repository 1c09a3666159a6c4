"""records → load → validate → score: the one entry point the CLI, the site and the benchmark use."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field

from . import diagnostics as dg
from .checks import RecordKey, Reporter, check_budget, check_corpus, check_narrative, check_scores
from .placeholders import check_placeholders
from .loader import discover, load_file
from .model import Record
from .schemes import Library, load_library
from .scoring import Evaluation, evaluate


@dataclass
class Result:
    evaluations: list[Evaluation] = field(default_factory=list)
    diagnostics: list[dg.Diagnostic] = field(default_factory=list)  # every diagnostic, sorted
    files: list[str] = field(default_factory=list)
    library: Library | None = None

    @property
    def ok(self) -> bool:
        return not dg.has_errors(self.diagnostics)

    def for_file(self, file: str) -> list[dg.Diagnostic]:
        narrative = file[:-5] + ".md" if file.endswith(".toml") else file
        return [d for d in self.diagnostics if d.file in (file, narrative)]


def records_root(paths: list[str]) -> str | None:
    """The records directory whose schemes/ folder applies: the first directory given."""
    for p in paths:
        if os.path.isdir(p):
            return p
    for p in paths:
        parent = os.path.dirname(os.path.dirname(os.path.abspath(p)))
        if os.path.isdir(os.path.join(parent, "schemes")):
            return parent
    return None


def check_record(record: Record, library: Library) -> Evaluation:
    try:
        ev = evaluate(record, library)
        rep = Reporter(record)
        check_scores(ev, rep)
        check_budget(record, rep)
        check_narrative(ev, rep)
        check_placeholders(record, rep)
    except (ArithmeticError, ValueError, TypeError) as exc:
        # Figures beyond what exact decimals can carry (or a rule fed values it cannot use) must not
        # stop the run: the record gets an error of its own and is not published.
        ev = Evaluation(record=record, scheme=None, bands=None, leaves=[], roots=[], max_score=None, declared_sum=None,
                        computed_total=None, grade=None, execution_rate=None)
        ev.diagnostics = [dg.make("E190", record.file, 1, 1, f"记录中的数值无法计算（{type(exc).__name__}）。请检查是否有位数异常的数字，改正后重新校验。")]
        return ev
    ev.diagnostics = rep.diags
    return ev


def run(paths: list[str], library: Library | None = None, keep: bool = True) -> Result:
    """Load, check and score every record under `paths`. With keep=False (the validate command)
    each record is dropped once checked, so memory does not grow with the number of records."""
    library = library or load_library(records_root(paths))
    files, found = discover(paths)
    result = Result(files=files, library=library)
    diags = list(library.diagnostics) + found
    keys: list = []
    # A run allocates many small objects and creates no reference cycles: the cyclic collector's
    # passes only cost time (about a fifth of it at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path in files:
            record, loaded = load_file(path)
            diags += loaded
            if record is None:
                continue
            ev = check_record(record, library)
            diags += ev.diagnostics
            if keep:
                keys.append(record)
                result.evaluations.append(ev)
            else:
                keys.append(RecordKey(record.id, record.year, record.evaluation, record.name, record.file, path))
    finally:
        if collecting:
            gc.enable()
    diags += check_corpus(keys)
    result.diagnostics = sorted(set(diags), key=dg.sort_key)
    per_file: dict[str, list[dg.Diagnostic]] = {}
    for d in result.diagnostics:
        per_file.setdefault(d.file, []).append(d)
    for ev in result.evaluations:
        ev.diagnostics = per_file.get(ev.record.file, []) + per_file.get(ev.record.narrative_file, [])
    return result
