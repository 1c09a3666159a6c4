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
from .follow_up import check_follow_ups
from .gap_checks import check_gaps
from .identity_checks import check_identity
from .loader import discover, load_file
from .model import Record
from .personal_checks import check_personal, mask_record
from .placeholders import check_placeholders
from .problems import check_problems
from .reading import records_root as records_root_of
from .revisions import check_revisions
from .row_checks import check_rows
from .schemes import Library, load_library
from .scoring import Evaluation, evaluate
from .uncertain_checks import check_uncertain
from .weight_checks import check_scheme_weights, check_weight_note

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


def root_of(file: str, given: list[str]) -> str:
    """The records root of a file found under the paths given: the directory it was found in (a year folder
    standing for the folder above), else the default of load_file."""
    for p in given:
        if os.path.isdir(p) and not os.path.relpath(os.path.abspath(file), os.path.abspath(p)).startswith(os.pardir):
            return records_root_of(file, p)
    return records_root_of(file)


def ordered(diagnostics: Iterable[dg.Diagnostic], first_file: str | None = None) -> list[dg.Diagnostic]:
    """Diagnostics without repeats, in the order every output lists them: by place, those of
    `first_file` (a record's TOML file) before those of its narrative."""
    return sorted(set(diagnostics), key=lambda d: (d.file != first_file, dg.sort_key(d)))


def corpus_diagnostics(
    paths: list[str], display: DisplayName | None = None, identify: IdentityReader = read_identity
) -> dict[str, list[dg.Diagnostic]]:
    """The cross-record checks (duplicates, page collisions…), by record file on disk. `identify` reads
    a record's identity (a long-running caller may remember those of unchanged files)."""
    identities = [i for p in paths if (i := _identity(identify, p, display(p) if display else p)) is not None]
    by_shown = {i.file: i.path for i in identities}
    found: dict[str, list[dg.Diagnostic]] = defaultdict(list)
    for d in [*check_corpus(identities), *check_follow_ups(identities)]:
        found[by_shown[d.file]].append(d)
    return dict(found)


def _identity(identify: IdentityReader, path: str, shown: str) -> RecordIdentity | None:
    try:
        return identify(path, shown)
    except Exception:  # noqa: BLE001 - a record whose identity cannot be read is reported when it is loaded
        return None


def check_record(record: Record, library: Library, before: Iterable[dg.Diagnostic] = ()) -> Evaluation:
    """Score a loaded record and check it. Its diagnostics are `before` (found while loading it, or
    across records) and those of the checks: the evaluation carries them all, set once here."""
    try:
        ev = evaluate(record, library)
        rep = Reporter(record)
        check_scores(ev, rep)
        check_gaps(ev, rep)
        # issue 11: rows as forms print them, level-1 weights against the form's note and the scheme
        check_rows(ev, rep)
        check_weight_note(ev, rep)
        check_scheme_weights(ev, rep)
        check_budget(record, rep)
        check_narrative(ev, rep)
        check_problems(ev, rep)
        check_placeholders(record, rep)
        check_uncertain(record, rep)
        check_identity(record, rep)
        check_personal(record, rep)
        check_revisions(record, rep)
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
    path: str,
    library: Library,
    display: str | None = None,
    across: Iterable[dg.Diagnostic] = (),
    root: str | None = None,
    mask_personal: bool = False,
    personal_fails: bool = False,
) -> FileOutcome:
    """Load, score and check one record file; `across` are its diagnostics from the cross-record checks,
    `root` the records root (see load_file); with `mask_personal` (the site) its personal numbers are masked
    before it is scored and rendered, and with `personal_fails` they are errors (E140) that withhold the record.
    An unexpected failure on the record is an error (E199) naming its file, and the run goes on."""
    try:
        record, loaded = load_file(path, display, root)
        if record is None:
            return FileOutcome(path, None, ordered([*loaded, *across]))
        if mask_personal or personal_fails:
            # W140 is found on the text as written; then the record is scored and rendered de-identified
            # (masking keeps lengths, so every line and column stays right).
            rep = Reporter(record)
            check_personal(record, rep)
            mask_record(record)
            found = rep.diags
            if personal_fails:
                found = [dg.make("E140", d.file, d.line, d.column, d.message) for d in found]
            loaded = [*loaded, *found]
        ev = check_record(record, library, [*loaded, *across])
        return FileOutcome(path, ev, ev.diagnostics)
    except Exception as exc:  # noqa: BLE001 - any bug met on one record: reported on it, not a crash
        return FileOutcome(path, None, ordered([internal_error(display or path, exc), *across]))


def internal_error(file: str, exc: BaseException) -> dg.Diagnostic:
    """E199: the tool failed on this record (its own fault), said in Chinese with the kind of failure."""
    detail = f"{type(exc).__name__}: {exc}"
    detail = detail if len(detail) <= 200 else detail[:197] + "…"
    return dg.make(
        "E199",
        file,
        1,
        1,
        f"处理该记录时工具内部出错（{detail}）。这是工具的问题：请把这条信息和该文件报告给维护人员；"
        "该记录暂不发布，其他记录照常处理。",
    )


def evaluate_files(
    paths: list[str], library: Library, display: DisplayName | None = None, roots: dict[str, str] | None = None
) -> Iterator[FileOutcome]:
    """Every record file in turn, after the cross-record checks; `roots` gives each file's records root."""
    roots = roots or {}
    across = corpus_diagnostics(paths, display, lambda p, shown: read_identity(p, shown, roots.get(p)))
    for path in paths:
        yield evaluate_file(path, library, display(path) if display else None, across.get(path, ()), roots.get(path))


def run(
    paths: list[str],
    library: Library | None = None,
    keep: bool = True,
    each: Callable[[FileOutcome], None] | None = None,
) -> Result:
    """Load, check and score every record under `paths`. With keep=False (the validate command)
    each record is dropped once checked, so memory does not grow with the number of records;
    `each` sees every record's outcome before that (validate counts what a build would publish)."""
    library = library or load_library(records_root(paths))
    files, found = discover(paths)
    roots = {file: root_of(file, paths) for file in files}
    result = Result(files=files, library=library)
    diags = list(library.diagnostics) + found
    # A run allocates many small objects and creates no reference cycles: the cyclic collector's
    # passes only cost time (about a fifth of it at 10,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for outcome in evaluate_files(files, library, roots=roots):
            diags += outcome.diagnostics
            if each is not None:
                each(outcome)
            if keep and outcome.evaluation is not None:
                result.evaluations.append(outcome.evaluation)
    finally:
        if collecting:
            gc.enable()
    result.diagnostics = ordered(diags)
    return result
