"""Personal numbers (issue 10, item 7): found without false alarms on amounts and codes, reported as W140
in validate, and published only masked in every page, download and search file."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from generator.core.personal import BANK_CARD, ID_CARD, LANDLINE, MOBILE, find, id_check_digit, mask
from generator.publish.memory import MemorySink, build_in_memory
from generator.publish.site import SiteRequest, build_site
from generator.render.project import SiteOptions

ROOT = Path(__file__).resolve().parents[1]


def valid_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def luhn_complete(body: str) -> str:
    """`body` plus the digit that makes its Luhn sum a multiple of 10 (computed, not looked up)."""
    return next(body + d for d in "0123456789" if _luhn(body + d))


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n // 10 + n % 10
    return total % 10 == 0


ID_A = valid_id("35010219900307123")
ID_X = next(valid_id(f"1101051985010{n:03d}1") for n in range(1000) if valid_id(f"1101051985010{n:03d}1")[-1] == "X")
CARD_16 = luhn_complete("622202020011223")
CARD_19 = luhn_complete("621700000012345678")

FOUND = [
    ("联系电话13800001234。", MOBILE, "13800001234", "138****1234"),
    ("手机：138-0000-1234", MOBILE, "138-0000-1234", "138-****-1234"),
    ("手机 199 1234 5678，", MOBILE, "199 1234 5678", "199 **** 5678"),
    ("+86 15912345678", MOBILE, "15912345678", "159****5678"),
    ("电话：0591-87654321，", LANDLINE, "0591-87654321", "0591-******21"),
    ("电话：010-62345678", LANDLINE, "010-62345678", "010-******78"),
    ("电话（0591）87654321", LANDLINE, "0591）87654321", "0591）******21"),
    ("电话 0591 8765432", LANDLINE, "0591 8765432", "0591 *****32"),
    (f"身份证号：{ID_A}", ID_CARD, ID_A, ID_A[:6] + "********" + ID_A[-4:]),
    (f"身份证{ID_X}。", ID_CARD, ID_X, ID_X[:6] + "********" + ID_X[-4:]),
    (f"卡号{CARD_16}", BANK_CARD, CARD_16, "*" * 12 + CARD_16[-4:]),
    (f"卡号 {CARD_19}", BANK_CARD, CARD_19, "*" * 15 + CARD_19[-4:]),
    (
        "卡号 " + " ".join(CARD_16[i : i + 4] for i in range(0, 16, 4)),
        BANK_CARD,
        " ".join(CARD_16[i : i + 4] for i in range(0, 16, 4)),
        "**** **** **** " + CARD_16[-4:],
    ),
]

NOT_FOUND = [
    "支出 4,460.46 万元",
    "预算 2690000 元",
    "执行数 3773.00",
    "评价日期 2021-08-31",
    "财预〔2020〕10号",
    "12345 热线",
    "拨打 110 或 120",
    "资金 13800001234 元",
    "13800001234万元",
    "13800001234个",
    "13800001234次",
    "13800001234%",
    "1380000123",  # 10 digits
    "138000012345",  # 12 digits
    "1.13800001234",
    "13800001234.5",
    "12,138,000,012",
    "12800001234",  # no mobile starts 12
    ID_A[:17] + str((int(ID_A[17]) + 1) % 10 if ID_A[17] != "X" else 0),  # wrong check digit
    CARD_16[:15] + str((int(CARD_16[15]) + 1) % 10),  # fails Luhn
    "编号 ABC13800001234",
    "2021-13800001234",
]


@pytest.mark.parametrize(("text", "kind", "number", "masked"), FOUND)
def test_personal_numbers_are_found_and_masked(text, kind, number, masked):
    hits = find(text)
    assert [(h.kind, text[h.start : h.end], h.masked) for h in hits] == [(kind, number, masked)]
    assert mask(text) == text.replace(number, masked)
    assert len(mask(text)) == len(text)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_amounts_dates_codes_and_bad_checksums_are_not_personal(text):
    assert find(text) == []
    assert mask(text) == text


def test_public_contacts_are_compared_by_digits():
    text = "咨询电话：0591-87654321；联系人手机 13800001234"
    assert [h.kind for h in find(text, ["(0591) 8765 4321"])] == [MOBILE]
    assert mask(text, ["0591-87654321", "138 0000 1234"]) == text


def test_no_shipped_record_or_narrative_holds_a_personal_number():
    files = sorted((ROOT / "projects").rglob("*.toml")) + sorted((ROOT / "projects").rglob("*.md"))
    assert len(files) > 6
    for path in files:
        assert find(path.read_text(encoding="utf-8")) == [], path


TOML_TAIL = """total = 10

[[indicator]]
path = ["产出指标", "数量指标"]
name = "支付笔数"
target = "≥24 万笔"
actual = "24 万笔"
weight = 10
score = 10
reason = "联系人手机 13800001234"
"""


def test_validate_reports_w140_at_line_and_column_without_the_number(run_cli, tmp_path, write_record, record_head):
    text = record_head + TOML_TAIL
    md = f"## 一、概况\n项目负责人身份证号 {ID_A}，咨询电话 0591-87654321。\n"
    write_record(tmp_path, text, md)
    data = json.loads(run_cli("validate", "projects", "--format", "json", cwd=tmp_path).stdout)
    found = [
        (Path(d["file"]).name, d["line"], d["column"], d["message"]) for d in data["diagnostics"] if d["code"] == "W140"
    ]
    reason_line = text.split("\n").index('reason = "联系人手机 13800001234"') + 1
    assert sorted((f, ln, col) for f, ln, col, _ in found) == [
        ("x.md", 2, len("项目负责人身份证号 ") + 1),
        ("x.md", 2, md.split("\n")[1].index("0591") + 1),
        ("x.toml", reason_line, len('reason = "联系人手机 ') + 1),
    ]
    messages = " ".join(m for *_, m in found)
    assert "138****1234" in messages and "手机号码" in messages and "身份证号" in messages
    for full in ("13800001234", ID_A, "87654321"):
        assert full not in messages


def test_public_contacts_silence_w140(run_cli, tmp_path, write_record, record_head):
    text = record_head + 'public_contacts = ["0591-87654321"]\n' + TOML_TAIL.replace("13800001234", "0591 87654321")
    write_record(tmp_path, text, "## 一、概况\n咨询电话（0591）87654321。\n")
    proc = run_cli("validate", "projects", "--format", "json", cwd=tmp_path)
    data = json.loads(proc.stdout)
    assert data["diagnostics"] is not None and proc.returncode == 0, proc.stdout
    assert [d for d in data["diagnostics"] if d["code"] == "W140"] == []


def _published_texts(pages, assets) -> list[tuple[str, str]]:
    out = [(path, page.content) for path, page in pages.items()]
    for path, asset in assets:
        if path.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(asset)) as z:
                out += [(f"{path}!{n}", z.read(n).decode("utf-8", "replace")) for n in z.namelist()]
        else:
            out.append((path, asset.decode("utf-8", "replace")))
    return out


def _secret_record(tmp_path, write_record, record_head) -> Path:
    write_record(
        tmp_path,
        record_head + TOML_TAIL,
        f"## 一、概况\n项目负责人张三，手机 13800001234，身份证号 {ID_A}。\n",
        name="secret-contact",
    )
    return tmp_path / "projects"


def _assert_masked(texts: list[tuple[str, str]]) -> None:
    kinds = {Path(p.split("!")[0]).suffix for p, _ in texts}
    assert {".md", ".toml", ".json", ".csv", ".xlsx"} <= kinds, kinds
    for path, text in texts:
        assert "13800001234" not in text and ID_A not in text, path
    joined = "\n".join(t for _, t in texts)
    assert "138****1234" in joined and ID_A[:6] + "********" + ID_A[-4:] in joined


def test_the_site_publishes_personal_numbers_masked(tmp_path, write_record, record_head):
    records = _secret_record(tmp_path, write_record, record_head)
    build, pages = build_in_memory(SiteRequest(str(records), SiteOptions(), dt.date(2025, 1, 1), workers=1))
    assert any(d.code == "W140" for d in build.diagnostics)
    assert any("secret-contact" in p for p in pages)
    # The downloads and the search shards reach the sink as assets: a build with a sink kept here.
    sink = MemorySink()
    done = build_site(SiteRequest(str(records), SiteOptions(), dt.date(2025, 1, 1), workers=1), sink)
    for page in done.finish():
        sink.page(page)
    assets = [(path, a.content) for path, a in sink.assets.items()]
    _assert_masked(_published_texts(pages, assets))


def test_generate_out_publishes_personal_numbers_masked(run_cli, tmp_path, write_record, record_head):
    records = _secret_record(tmp_path, write_record, record_head)
    out = tmp_path / "out"
    proc = run_cli("generate", "--out", str(out), str(records), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    texts = []
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as z:
                    texts += [(f"{path}!{n}", z.read(n).decode("utf-8", "replace")) for n in z.namelist()]
            else:
                texts.append((str(path), data.decode("utf-8", "replace")))
    assert any("search" in p for p, _ in texts)
    _assert_masked(texts)


def test_personal_data_fail_withholds_the_record(run_cli, tmp_path, write_record, record_head):
    """Configured to fail (plugin `personal_data: fail`, `generate --personal-data fail`), a record holding a personal
    number is an error (E140) and is not published at all; masked publication is the default."""
    records = _secret_record(tmp_path, write_record, record_head)
    build, pages = build_in_memory(
        SiteRequest(str(records), SiteOptions(), dt.date(2025, 1, 1), workers=1, personal_data="fail")
    )
    assert any(d.code == "E140" for d in build.diagnostics) and not any(d.code == "W140" for d in build.diagnostics)
    assert not any("secret-contact" in p for p in pages)
    out = tmp_path / "out"
    proc = run_cli("generate", "--out", str(out), str(records), "--personal-data", "fail", cwd=tmp_path)
    assert proc.returncode == 1 and "E140" in proc.stderr and "13800001234" not in proc.stderr
    assert not list(out.rglob("*secret-contact*"))
