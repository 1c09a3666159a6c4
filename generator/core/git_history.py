"""validate's look at Git history: published records whose figures changed without a revision entry.

The records as they are (the working tree) are compared with the version at the merge base of HEAD and the
default branch — what a pull request changes — or at the merge base with `--since REF`. Git is run as a
program (no library): a few calls to find the base, one `git diff --name-status` per records path to list the
record files changed since it, one `git cat-file --batch` to read all their earlier versions; only those files
are loaded and compared (revisions.compare_versions). Nothing is written, to the files or to the repository.

When there is no history to compare with (not a repository, git not installed, a shallow clone without the
base, no default branch) the check is skipped with one note (I408) saying why: never silently.
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from . import diagnostics as dg
from .dates import build_date
from .loader import build_record, decode, parse_toml
from .loader import load_file as load_record
from .model import Record
from .revisions import Base, compare_versions

# Where a continuous-integration service names the pull request's target (tried before the usual branch names):
# GitLab's merge request pipelines give the merge base itself, GitHub's pull requests the target branch.
GITLAB_BASE = "CI_MERGE_REQUEST_DIFF_BASE_SHA"
GITHUB_TARGET = "GITHUB_BASE_REF"
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
TIMEOUT = 60  # seconds for one git call (a huge repository's diff included)


class Skipped(Exception):
    """No history to compare with; the message says why, in Chinese."""


@dataclass(frozen=True)
class Change:
    """A record file changed since the base: where it is now (as validate shows it) and where it was."""

    shown: str  # the record file as validate lists it
    old_path: str  # its path in the repository at the base (another one when it was renamed)


class Git:
    """git run in one directory of a working tree."""

    def __init__(self, cwd: str) -> None:
        self.cwd = cwd
        self.error = ""  # what the last failed call said on stderr

    def run(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        """The output of a git command, None when it fails; Skipped when git itself cannot be run."""
        try:
            proc = subprocess.run(
                ["git", *args],
                cwd=self.cwd,
                input=stdin,
                capture_output=True,
                timeout=TIMEOUT,
                env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},  # read only: not even the index
            )
        except FileNotFoundError:
            raise Skipped("没有安装 git") from None
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Skipped(f"无法运行 git（{type(exc).__name__}）") from None
        if proc.returncode != 0:
            self.error = proc.stderr.decode("utf-8", "replace")
            return None
        return proc.stdout

    def text(self, *args: str) -> str | None:
        out = self.run(*args)
        return out.decode("utf-8", "replace").strip() if out is not None else None


def find_base(git: Git, since: str | None, env: Mapping[str, str]) -> tuple[str, Base]:
    """The commit to compare with and how messages name it; Skipped when there is none."""
    if git.text("rev-parse", "--is-inside-work-tree") != "true":
        if "safe.directory" in git.error:  # a checkout owned by another user (git ≥ 2.35.2 refuses to read it)
            raise Skipped("git 不读取属于其他用户的仓库（见 git config --global --add safe.directory）")
        raise Skipped("记录不在 Git 仓库中")
    shallow = git.text("rev-parse", "--is-shallow-repository") == "true"
    hint = "；这是浅克隆（只取了最近的提交），持续集成中请设 fetch-depth: 0（GitLab：GIT_DEPTH: 0）" if shallow else ""
    if git.text("rev-parse", "--verify", "--quiet", "HEAD^{commit}") is None:
        raise Skipped("仓库还没有任何提交")
    if since:
        ref = since
        if git.text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
            raise Skipped(f"找不到 --since 指定的版本 {ref}{hint}")
    elif env.get(GITLAB_BASE) and git.text("rev-parse", "--verify", "--quiet", f"{env[GITLAB_BASE]}^{{commit}}"):
        ref = env[GITLAB_BASE]
    else:
        candidates = ([f"origin/{env[GITHUB_TARGET]}"] if env.get(GITHUB_TARGET) else []) + list(DEFAULT_BRANCHES)
        found = [c for c in candidates if git.text("rev-parse", "--verify", "--quiet", f"{c}^{{commit}}")]
        if not found:
            raise Skipped(
                f"找不到默认分支（{'、'.join(DEFAULT_BRANCHES[1:])}）{hint or '，可用 --since 指定比较的版本'}"
            )
        ref = found[0]
        if ref == "origin/HEAD":  # name the branch it stands for: origin/main
            ref = git.text("rev-parse", "--abbrev-ref", ref) or ref
    commit = git.text("merge-base", "HEAD", ref)
    if not commit:
        raise Skipped(f"HEAD 与 {ref} 没有共同的历史{hint or '（找不到合并基点）'}")
    stamp = git.text("show", "-s", "--format=%cI", commit) or ""
    try:
        day = _dt.date.fromisoformat(stamp[:10])
    except ValueError:
        raise Skipped(f"无法读取提交 {commit[:7]} 的日期") from None
    what = f"{ref} " if ref == since or not _is_sha(ref) else "合并请求目标分支"
    return commit, Base(day, f"{what}的合并基点 {commit[:7]}（{day.isoformat()}）")


def _is_sha(ref: str) -> bool:
    return len(ref) >= 7 and all(c in "0123456789abcdef" for c in ref.lower())


def changed_records(git: Git, commit: str, path: str, records: set[str]) -> list[Change]:
    """The record files under `path` (a records folder or file, as given to validate) that differ from `commit`,
    among `records` (the files validate checked), with their paths at `commit`."""
    folder, spec = (path, ".") if os.path.isdir(path) else (os.path.dirname(path) or ".", os.path.basename(path))
    here = Git(folder)
    prefix = here.text("rev-parse", "--show-prefix")
    out = here.run("diff", "--name-status", "-z", "-M", "--no-ext-diff", "--relative", commit, "--", spec)
    if prefix is None or out is None:
        raise Skipped(f"无法列出 {path} 中改动的文件")
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        paths = fields[i + 1 : i + (3 if status[:1] in "RC" else 2)]
        i += 1 + len(paths)
        if status[:1] not in "MRT":  # added: first publication; deleted: nothing to show
            continue
        shown = os.path.normpath(os.path.join(folder, paths[-1])) if folder != "." else os.path.normpath(paths[-1])
        if shown in records:
            changes.append(Change(shown, prefix + paths[0]))
    return changes


def read_blobs(git: Git, commit: str, paths: list[str]) -> list[bytes | None]:
    """The files at `commit` (paths from the repository's top), in one `git cat-file --batch` call."""
    if not paths:
        return []
    request = "".join(f"{commit}:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    out = git.run("cat-file", "--batch", stdin=request)
    if out is None:
        raise Skipped("无法读取记录的历史版本")
    blobs: list[bytes | None] = []
    at = 0
    for _ in paths:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs.append(out[at : at + size])
            at += size + 1
        else:
            blobs.append(None)  # missing, or not a file
    return blobs


def old_record(data: bytes, shown: str) -> Record | None:
    """A record as it was, from its file's bytes (None when it could not be read then)."""
    text, _ = decode(data, shown)
    if text is None:
        return None
    raw, _ = parse_toml(text, shown)
    if raw is None:
        return None
    record, _ = build_record(raw, text, shown, shown, [])
    return record


@dataclass(frozen=True)
class History:
    """What the look at history found: W406/W407 diagnostics, or the note (I408) saying why it was skipped."""

    diagnostics: list[dg.Diagnostic]
    skipped: dg.Diagnostic | None = None
    base: Base | None = None


def check_history(
    paths: list[str],
    records: list[str],
    since: str | None = None,
    env: Mapping[str, str] | None = None,
    today: _dt.date | None = None,
) -> History:
    """Compare the records under `paths` (of which validate checked `records`) changed since the base with their
    versions at the base."""
    env = os.environ if env is None else env
    today = today or build_date()
    where = paths[0] if paths else "."
    git = Git(where if os.path.isdir(where) else (os.path.dirname(where) or "."))
    try:
        commit, base = find_base(git, since, env)
        known = {os.path.normpath(r) for r in records}
        changes = [c for p in paths for c in changed_records(git, commit, p, known)]
        top = git.text("rev-parse", "--show-toplevel")
        blobs = read_blobs(Git(top or git.cwd), commit, [c.old_path for c in changes])
    except Skipped as skipped:
        note = dg.make(
            "I408",
            where,
            1,
            1,
            f"没有与 Git 历史比较已公开记录的数字改动：{skipped}。在完整克隆的仓库中运行，或用 --since 指定比较的版本。",
        )
        return History([], note)
    shown_as = {os.path.normpath(r): r for r in records}
    found: list[dg.Diagnostic] = []
    for change, data in zip(changes, blobs):
        old = old_record(data, change.shown) if data is not None else None
        new, _ = load_record(shown_as.get(change.shown, change.shown))
        if old is not None and new is not None:
            found += compare_versions(old, new, base, today)
    return History(found, None, base)
