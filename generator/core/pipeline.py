"""records → load → validate → score: the one entry point the CLI, the site and the benchmark use.

The cross-record checks run first (from each record's identity, see corpus.py), so that each
record's diagnostics are complete when it is scored and nothing downstream has to revise them.
"""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import diagnostics as dg
from .checks import Reporter, check_budget, check_narrative, check_scores
from .corpus import RecordIdentity, check_corpus, read_identity
from .loader import discover, load_file
from .model import Record
from .placeholders import check_placeholders
from .schemes import Library, load_library
from .scoring import Evaluation, evaluate

DisplayName = Callable[[str], str]  # a record file on disk → the name diagnostics show for it
IdentityReader = Callable[[str, str], RecordIdentity | None]  # (file on disk, name shown) → its identity


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


@dataclass(frozen=True)
class FileOutcome:
    """One record file, loaded and checked: its evaluation (None when it could not be loaded) and
    every diagnostic about it, the cross-record ones included."""

    path: str
    evaluation: Evaluation | None
    diagnostics: list[dg.Diagnostic]


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


def ordered(diagnostics: Iterable[dg.Diagnostic], first_file: str | None = None) -> list[dg.Diagnostic]:
    """Diagnostics without repeats, in the order every output lists them: by place, those of
    `first_file` (a record's TOML file) before those of its narrative."""
    return sorted(set(diagnostics), key=lambda d: (d.file != first_file, dg.sort_key(d)))


def corpus_diagnostics(
    paths: list[str], display: DisplayName | None = None, identify: IdentityReader = read_identity
) -> dict[str, list[dg.Diagnostic]]:
    """The cross-record checks (duplicates, page collisions…), by record file on disk. `identify` reads
    a record's identity (a long-running caller may remember those of unchanged files)."""
    identities = [i for p in paths if (i := identify(p, display(p) if display else p)) is not None]
    by_shown = {i.file: i.path for i in identities}
    found: dict[str, list[dg.Diagnostic]] = defaultdict(list)
    for d in check_corpus(identities):
        found[by_shown[d.file]].append(d)
    return dict(found)


def check_record(record: Record, library: Library, before: Iterable[dg.Diagnostic] = ()) -> Evaluation:
    """Score a loaded record and check it. Its diagnostics are `before` (found while loading it, or
    across records) and those of the checks: the evaluation carries them all, set once here."""
    try:
        ev = evaluate(record, library)
        rep = Reporter(record)
        check_scores(ev, rep)
        check_budget(record, rep)
        check_narrative(ev, rep)
        check_placeholders(record, rep)
        found = rep.diags
    except (ArithmeticError, ValueError, TypeError) as exc:
        # Figures beyond what exact decimals can carry (or a rule fed values it cannot use) must not
        # stop the run: the record gets an error of its own and is not published.
        ev = Evaluation(
            record=record,
            scheme=None,
            bands=None,
            leaves=[],
            roots=[],
            max_score=None,
            declared_sum=None,
            computed_total=None,
            grade=None,
            execution_rate=None,
        )
        found = [
            dg.make(
                "E190",
                record.file,
                1,
                1,
                f"记录中的数值无法计算（{type(exc).__name__}）。请检查是否有位数异常的数字，改正后重新校验。",
            )
        ]
    ev.diagnostics = ordered([*before, *found], record.file)
    return ev


def evaluate_file(
    path: str, library: Library, display: str | None = None, across: Iterable[dg.Diagnostic] = ()
) -> FileOutcome:
    """Load, score and check one record file; `across` are its diagnostics from the cross-record checks."""
    record, loaded = load_file(path, display)
    if record is None:
        return FileOutcome(path, None, ordered([*loaded, *across]))
    ev = check_record(record, library, [*loaded, *across])
    return FileOutcome(path, ev, ev.diagnostics)


def evaluate_files(paths: list[str], library: Library, display: DisplayName | None = None) -> Iterator[FileOutcome]:
    """Every record file in turn, after the cross-record checks."""
    across = corpus_diagnostics(paths, display)
    for path in paths:
        yield evaluate_file(path, library, display(path) if display else None, across.get(path, ()))


def run(paths: list[str], library: Library | None = None, keep: bool = True) -> Result:
    """Load, check and score every record under `paths`. With keep=False (the validate command)
    each record is dropped once checked, so memory does not grow with the number of records."""
    library = library or load_library(records_root(paths))
    files, found = discover(paths)
    result = Result(files=files, library=library)
    diags = list(library.diagnostics) + found
    # A run allocates many small objects and creates no reference cycles: the cyclic collector's
    # passes only cost time (about a fifth of it at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for outcome in evaluate_files(files, library):
            diags += outcome.diagnostics
            if keep and outcome.evaluation is not None:
                result.evaluations.append(outcome.evaluation)
    finally:
        if collecting:
            gc.enable()
    result.diagnostics = ordered(diags)
    return result
