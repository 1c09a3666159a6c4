"""Only what belongs to the records is read, and every number is bounded (issue 10, items 1 and 2).

A narrative or record that is a link out of the records folder, a device, a named pipe, a folder or too
large a file is an error naming it, and nothing of it reaches any output; a number beyond the limits is an
error at its line, found at once and in little memory; an unexpected failure on one record is an error
naming that record, and the run goes on. Each case runs through `python -m generator validate` and through
the site build (`generate --out`), whose output must not hold the secret text.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "projects" / "2021" / "caidian-jincai"  # a valid, published record (.toml and .md)
SECRET = "CONTAINMENT-SECRET-7f3a9c"
PAGE = "projects/2021/x.md"  # the record's page, when it is published

needs_links = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links, FIFOs and /dev need POSIX")


@pytest.fixture
def records(tmp_path):
    """tmp_path/projects with the seed record as projects/2021/x.toml + x.md; returns the projects folder."""
    folder = tmp_path / "projects" / "2021"
    folder.mkdir(parents=True)
    shutil.copy(SEED.with_suffix(".toml"), folder / "x.toml")
    shutil.copy(SEED.with_suffix(".md"), folder / "x.md")
    return tmp_path / "projects"


@pytest.fixture
def validate(run_cli):
    """validate(records) → (exit status, diagnostics as dicts, seconds taken); never a traceback."""

    def go(path, timeout: float = 30):
        start = time.monotonic()
        proc = run_cli("validate", str(path), "--format", "json", timeout=timeout)
        seconds = time.monotonic() - start
        assert "Traceback" not in proc.stdout + proc.stderr and "内部错误" not in proc.stderr, proc.stderr
        assert len(proc.stdout) < 20_000, len(proc.stdout)  # messages stay short whatever the input
        return proc.returncode, json.loads(proc.stdout)["diagnostics"], seconds

    return go


@pytest.fixture
def generate(run_cli, tmp_path):
    """generate(records) → (exit status, stderr, Site): the site as published."""

    def go(path, timeout: float = 60):
        out = tmp_path / "out"
        proc = run_cli("generate", "--out", str(out), str(path), cwd=path.parent, timeout=timeout)
        assert "Traceback" not in proc.stdout + proc.stderr and "内部错误" not in proc.stderr, proc.stderr
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        return proc.returncode, proc.stderr, Site(files)

    return go


class Site:
    """The files of a generated site: `text in site` looks in every file's bytes, `path in site.files` for a file."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def __contains__(self, needle: str) -> bool:
        return any(needle.encode() in data for data in self.files.values())


def with_code(diags, code):
    found = [d for d in diags if d["code"] == code]
    assert found, (code, diags)
    return found


# ---------------------------------------------------------------------------- links out of the records


@needs_links
def test_narrative_linked_to_a_file_outside_is_refused_and_not_published(records, tmp_path, validate, generate):
    outside = tmp_path / "elsewhere" / "notes.md"
    outside.parent.mkdir()
    outside.write_text(f"## 一、概况\n{SECRET}\n", encoding="utf-8")
    narrative = records / "2021" / "x.md"
    narrative.unlink()
    narrative.symlink_to(outside)

    status, diags, _ = validate(records)
    (e,) = with_code(diags, "E006")
    assert e["file"].endswith("x.md") and e["severity"] == "error" and "记录目录之外" in e["message"]
    assert status == 1 and SECRET not in json.dumps(diags, ensure_ascii=False)

    status, stderr, site = generate(records)
    assert status == 1 and "E006" in stderr
    assert SECRET not in site
    assert PAGE not in site.files  # the record itself is withheld


@needs_links
@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="needs /proc")
def test_narrative_linked_to_the_environment_is_refused(records, validate, generate, monkeypatch):
    monkeypatch.setenv("CONTAINMENT_TOKEN", SECRET)  # what CI keeps in its environment
    narrative = records / "2021" / "x.md"
    narrative.unlink()
    narrative.symlink_to("/proc/self/environ")

    status, diags, _ = validate(records)
    assert with_code(diags, "E006")[0]["file"].endswith("x.md") and status == 1
    status, stderr, site = generate(records)
    assert status == 1 and SECRET not in site and SECRET not in stderr


@needs_links
def test_record_linked_to_dev_zero_is_refused_at_once(records, validate, generate):
    (records / "2021" / "zero.toml").symlink_to("/dev/zero")
    status, diags, seconds = validate(records)
    assert with_code(diags, "E006")[0]["file"].endswith("zero.toml")
    assert status == 1 and seconds < 10
    status, stderr, site = generate(records)
    assert "zero.toml" in stderr and PAGE in site.files  # the other record is still published


@needs_links
def test_links_inside_the_records_stay_allowed(records, validate, generate):
    (records / "2020").mkdir()
    (records / "2021" / "x.md").rename(records / "2020" / "shared-narrative.md")
    (records / "2021" / "x.md").symlink_to(Path("..") / "2020" / "shared-narrative.md")
    (records / "2021" / "x.toml").rename(records / "2021" / "x.data")  # not itself a record
    (records / "2021" / "x.toml").symlink_to("x.data")

    status, diags, _ = validate(records)
    assert status == 0, diags
    status, _, site = generate(records)
    assert status == 0 and "蔡甸区财政局关于开展2021年区级财政支出绩效评价工作的通知".encode() in site.files[PAGE]


# ---------------------------------------------------------------------------- not regular files


@needs_links
def test_a_fifo_is_never_opened(records, validate, generate):
    os.mkfifo(records / "2021" / "pipe.toml")
    narrative = records / "2021" / "x.md"
    narrative.unlink()
    os.mkfifo(narrative)

    status, diags, seconds = validate(records, timeout=20)
    files = {d["file"].rsplit("/", 1)[-1]: d for d in with_code(diags, "E007")}
    assert set(files) == {"pipe.toml", "x.md"} and "命名管道" in files["pipe.toml"]["message"]
    assert status == 1 and seconds < 10
    status, _, site = generate(records, timeout=20)
    assert status == 1 and PAGE not in site.files


@needs_links
def test_a_link_inside_the_records_to_a_fifo_is_refused(records, validate):
    os.mkfifo(records / "2021" / "pipe")
    (records / "2021" / "y.toml").symlink_to("pipe")
    status, diags, _ = validate(records, timeout=20)
    assert with_code(diags, "E007")[0]["file"].endswith("y.toml") and status == 1


@needs_links
def test_a_device_inside_the_records_is_never_opened(records, validate):
    import stat

    try:  # the device behind /dev/zero, made inside the records: possible only where devices may be made (root)
        os.mknod(records / "2021" / "zero.toml", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device here: {exc}")
    status, diags, seconds = validate(records)
    (e,) = with_code(diags, "E007")
    assert e["file"].endswith("zero.toml") and "设备文件" in e["message"] and status == 1 and seconds < 10


def test_folders_named_like_a_record_or_a_narrative(records, validate):
    (records / "2021" / "folder.toml").mkdir()
    (records / "2021" / "folder.toml" / "inner.toml").write_text("not looked at", encoding="utf-8")
    narrative = records / "2021" / "x.md"
    narrative.unlink()
    narrative.mkdir()
    status, diags, _ = validate(records)
    refused = sorted(d["file"].rsplit("/", 1)[-1] for d in with_code(diags, "E007"))
    assert refused == ["folder.toml", "x.md"] and all("目录" in d["message"] for d in with_code(diags, "E007"))
    assert not any("inner.toml" in d["file"] for d in diags)
    assert status == 1


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_narrative_is_an_error(records, validate):
    narrative = records / "2021" / "x.md"
    narrative.chmod(0)
    try:
        status, diags, _ = validate(records)
    finally:
        narrative.chmod(0o644)
    assert with_code(diags, "E005")[0]["file"].endswith("x.md") and status == 1


# ---------------------------------------------------------------------------- sizes


def test_a_record_beyond_its_size_limit(records, validate, generate):
    from generator.core.reading import MAX_RECORD_BYTES

    record = records / "2021" / "x.toml"
    padding = "# " + "填" * 60 + "\n"
    record.write_text(record.read_text(encoding="utf-8") + padding * (MAX_RECORD_BYTES // len(padding.encode())))
    assert record.stat().st_size > MAX_RECORD_BYTES
    status, diags, _ = validate(records)
    (e,) = with_code(diags, "E008")
    assert e["file"].endswith("x.toml") and "2 MB" in e["message"] and status == 1
    status, _, site = generate(records)
    assert status == 1 and PAGE not in site.files


def test_a_narrative_beyond_its_size_limit(records, validate, generate):
    from generator.core.reading import MAX_NARRATIVE_BYTES

    narrative = records / "2021" / "x.md"
    with narrative.open("ab") as fh:
        fh.write((SECRET + "\n").encode() * (MAX_NARRATIVE_BYTES // len(SECRET) + 1))
    status, diags, _ = validate(records)
    assert with_code(diags, "E008")[0]["file"].endswith("x.md") and status == 1
    status, _, site = generate(records)
    assert status == 1 and SECRET not in site


def test_a_record_just_within_its_limit_is_read(records, validate):
    from generator.core.reading import MAX_RECORD_BYTES

    record = records / "2021" / "x.toml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text + "#" * (MAX_RECORD_BYTES - len(text.encode()) - 1) + "\n", encoding="utf-8")
    assert record.stat().st_size == MAX_RECORD_BYTES
    status, diags, _ = validate(records)
    assert status == 0, diags


# ---------------------------------------------------------------------------- numbers


def number_record(records: Path, literal: str) -> int:
    """Put `literal` as the budget's executed amount; the line it is on."""
    record = records / "2021" / "x.toml"
    lines = record.read_text(encoding="utf-8").split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("executed ="))
    lines[at] = f"executed = {literal}"
    record.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


NUMBER_CASES = {
    "tiny exponent": ("1e-999999999", "小数不能超过 20 位"),
    "tiny exponent, smaller": ("1e-1000000", "小数不能超过 20 位"),
    "huge exponent": ("1e1000000", "10 的 15 次方"),
    "5,000-digit integer": ("1" * 5000, "位数过多"),
    "5,000-digit hexadecimal integer": ("0x" + "F" * 5000, "10 的 15 次方"),
    "16-digit integer": ("1" * 16, "10 的 15 次方"),
    "21 decimal places": ("1.000000000000000000001", "小数不能超过 20 位"),
    "33 significant digits": ("12345678901234.1234567890123456789", "有效数字不能超过 30 位"),
}


@pytest.mark.parametrize("literal, says", NUMBER_CASES.values(), ids=NUMBER_CASES.keys())
def test_numbers_beyond_the_limits_are_an_error_at_their_line(records, validate, generate, literal, says):
    line = number_record(records, literal)
    status, diags, seconds = validate(records)
    (e,) = with_code(diags, "E105")
    assert e["file"].endswith("x.toml") and e["line"] == line and says in e["message"], e
    assert status == 1 and seconds < 10
    start = time.monotonic()
    status, _, site = generate(records)
    assert status == 1 and time.monotonic() - start < 10 and PAGE not in site.files


def test_numbers_within_the_limits_are_kept(records, validate):
    number_record(records, "167.230000000000000000")  # 18 decimal places
    status, diags, _ = validate(records)
    assert status == 0, diags


def test_a_number_in_a_rule_row_beyond_the_limits(tmp_path, write_record, record_head, validate):
    body = (
        'scheme = "national-self"\ntotal = 10\n\n[[indicator]]\npath = ["产出指标", "数量指标"]\nname = "笔数"\n'
        'target = "≥24 万笔"\nactual = "24 万笔"\nweight = 10\nscore = 10\n'
        'rule = { kind = "deviation", bands = [[1e-99999999, 100], [20, 50]] }\n'
    )
    path = write_record(tmp_path, record_head + body)
    status, diags, seconds = validate(path)
    (e,) = with_code(diags, "E105")
    assert e["line"] == (record_head + body).split("\n").index(body.split("\n")[-2]) + 1
    assert status == 1 and seconds < 10


def test_a_number_in_a_target_beyond_the_limits_is_not_used():
    from generator.core.quantity import parse

    assert parse("≥" + "9" * 40 + "个").value is None
    assert parse("≥24 万笔").value == 24


# ---------------------------------------------------------------------------- races and unexpected failures


@pytest.mark.parametrize("check", ["lstat", "stat"])
def test_a_narrative_removed_between_the_check_and_the_read(records, monkeypatch, check):
    """The narrative disappears after it was looked at and before it is opened: it is missing (E110), no crash."""
    from generator.core import reading
    from generator.core.pipeline import run

    narrative = str(records / "2021" / "x.md")
    real_check = getattr(os, check)
    removed: list[str] = []

    def check_then_vanish(path, *args, **kwargs):
        result = real_check(path, *args, **kwargs)
        if not removed and os.fspath(path) == narrative:
            removed.append(narrative)
            os.unlink(narrative)  # gone before it is read
        return result

    monkeypatch.setattr(reading.os, check, check_then_vanish)
    result = run([str(records)])
    assert removed == [narrative]
    errors = [(d.code, Path(d.file).name) for d in result.diagnostics if d.severity.value == "error"]
    assert errors == [("E110", "x.toml")]


def test_an_unexpected_failure_on_one_record_names_it_and_the_run_goes_on(records, monkeypatch):
    from generator.core import pipeline

    shutil.copy(records / "2021" / "x.toml", records / "2021" / "y.toml")
    shutil.copy(records / "2021" / "x.md", records / "2021" / "y.md")
    text = (records / "2021" / "y.toml").read_text(encoding="utf-8")
    (records / "2021" / "y.toml").write_text(text.replace('id = "caidian-jincai"', 'id = "other"'), encoding="utf-8")
    real = pipeline.check_record

    def failing(record, *args, **kwargs):
        if record.file.endswith("x.toml"):
            raise RuntimeError("a bug")
        return real(record, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_record", failing)
    result = pipeline.run([str(records)])
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert [(d.code, Path(d.file).name) for d in errors] == [("E199", "x.toml")]
    assert "RuntimeError: a bug" in errors[0].message and "维护人员" in errors[0].message
    assert [Path(ev.record.file).name for ev in result.evaluations] == ["y.toml"]


@needs_links
def test_identity_is_not_read_where_the_loader_refuses(records, tmp_path):
    from generator.core.corpus import read_identity

    outside = tmp_path / "outside.toml"
    shutil.copy(records / "2021" / "x.toml", outside)
    (records / "2021" / "out.toml").symlink_to(outside)
    os.mkfifo(records / "2021" / "pipe.toml")
    assert read_identity(str(records / "2021" / "x.toml")) is not None
    assert read_identity(str(records / "2021" / "out.toml")) is None
    assert read_identity(str(records / "2021" / "pipe.toml")) is None  # returns at once, never blocks


@needs_links
def test_a_scheme_file_linked_outside_the_records_is_refused(records, tmp_path, validate, generate):
    """projects/schemes/*.toml obey the same rule as records: a link to /dev/zero or outside is refused at once."""
    schemes = records / "schemes"
    schemes.mkdir()
    (schemes / "zero.toml").symlink_to("/dev/zero")
    outside = tmp_path / "outside.toml"
    outside.write_text('[schemes.x]\ntitle = "外部方案"\n', encoding="utf-8")
    (schemes / "outside.toml").symlink_to(outside)
    status, diags, seconds = validate(records)
    refused = {Path(d["file"]).name for d in with_code(diags, "E006")}
    assert {"zero.toml", "outside.toml"} <= refused and seconds < 10
    status, stderr, site = generate(records)
    assert PAGE in site.files and "外部方案" not in site
