"""The README's account of the sample records' warnings is validate's own: a change to the records or to the checks
that adds, removes or moves a warning fails here until the README explains it."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ROW = re.compile(r"^\| (\d+) \| ([EWI]\d{3}) \|", re.M)
# Whether validate could compare with the Git history depends on the checkout (a shallow clone, no git), not on the
# records: the README leaves that note out.
ENVIRONMENT = {"I408"}


def test_readme_explains_every_warning_of_the_sample_records(run_cli):
    proc = run_cli("validate", "projects", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    found = Counter(d["code"] for d in report["diagnostics"] if d["code"] not in ENVIRONMENT)
    assert not [c for c in found if c.startswith("E")]
    text = README.read_text(encoding="utf-8")
    section = text.split("### 示例记录的警告", 1)[1].split("\n### ", 1)[0]
    table = {code: int(n) for n, code in ROW.findall(section)}
    assert table == dict(found), (table, dict(found))
    warnings = sum(n for code, n in found.items() if code.startswith("W"))
    infos = sum(n for code, n in found.items() if code.startswith("I"))
    assert f"警告 {warnings} 个、提示 {infos} 个" in section
