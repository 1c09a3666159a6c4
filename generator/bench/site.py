"""Benchmark: load + validate + score N synthetic records shaped like the seeds; with --site, build the site.

    python -m generator.bench [--records 1000,10000] [--site] [--no-bare] [--serve] [--out FILE] [--keep] [--profile]

For each N the records are written to a temporary directory, then timed in a fresh Python process
pinned to one CPU (so that the peak memory, from ru_maxrss, belongs to that measurement alone), and a
Markdown table is printed: records, seconds, ms per record, peak memory, diagnostics.

With --site, for each N also (each in a fresh process, allowed --cores CPUs, 2 by default):

- site: `mkdocs build` of the repository's site (content/, theme/, the disclosure plugin) over the N
  synthetic records, through a temporary mkdocs.yml that INHERITs the repository's one;
- bare-material: `mkdocs build` of N plain Markdown pages of similar length with mkdocs-material,
  language zh and Material's own search plugin (lang zh; jieba segments the Chinese text);

and a second table: wall seconds, peak memory of the build (ru_maxrss of the build process), site size,
and the bytes a browser downloads for its first search (the site: pd-search.js plus the files
search_index.query_files names for the worse of two common queries; bare Material: search_index.json
plus the search worker and the lunr language scripts it imports for zh). A failed build prints its log
tail and shows as failed in the table.

With --serve, for each N also the preview: `python -m generator preview` (the editors' command, mkdocs
serve --dirty) and plain `mkdocs serve` are started on the N records, one record is edited twice in its
narrative and twice in its TOML, and the seconds until the edit shows are printed (generator/bench_serve.py;
target ≤ 1 s at 1,000 records for the preview).

The measurements are plain functions registered in MEASUREMENTS; another measurement adds a function
with the same signature, a CHILDREN entry if it runs in a fresh process, and a command-line flag.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable, Iterator, Mapping

TARGET_MS_PER_RECORD = 2.0
TARGET_PEAK_MB = 300.0

# ---------------------------------------------------------------------------- synthetic records

_REGIONS = ["内蒙古自治区巴彦淖尔市", "湖北省武汉市蔡甸区", "广东省深圳市大鹏新区", "云南省昆明市富民县", "江苏省苏州市", "浙江省杭州市西湖区"]
_WORDS = ["财政", "国库", "集中支付", "电子化", "平台", "运维", "信息化", "预算", "管理", "一体化", "系统", "服务", "数据", "安全", "网络", "核算"]
_SENTENCES = [
    "项目资金严格执行专户管理和先发生后支付的原则，有效保障资金安全，避免专项资金在预算部门沉积。",
    "在资金管理方面，资金、财务制度健全，审批拨付流程清晰，经费支出有据可循，资金使用合理合规。",
    "通过开展国库业务经费项目，有效实施国库集中收付制度，管理、监督和统筹调度区级财政资金。",
    "绩效指标设置不够完善，质量指标仅设置“软件系统正常运行率”，未能反映编报准确率等质量情况。",
    "强化财政专网平台电路通信服务管理，保障财政业务专网平台网络信息畅通。",
    "定期组织开展服务器、存储和网络等设备运行安全巡检，确保中心机房设备运行正常。",
    "下一步将进一步建立健全项目整体支出绩效管理的制度及相关配套措施，规范完善项目资金支出管理。",
    "评价专家与项目负责人进行交流，了解项目立项、资金使用、项目管理、项目产出及效果等情况。",
]
_SECTIONS = ["一、项目基本情况", "二、绩效评价工作情况", "三、综合评价情况及评价结论", "四、绩效评价指标分析", "五、存在问题及原因分析", "六、有关建议"]
_QUAL = [("明显提升", "明显提升"), ("长期", "长期"), ("健全", "健全"), ("优秀", "优秀"), ("有所提升", "普通单据三天内支付完成")]
_UNITS = ["个", "家", "套", "万笔", "次", "项"]


def _d(value: float | Decimal, places: int = 2) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _s(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """Split `total` into `parts` positive amounts with 0.5 granularity (last takes the remainder)."""
    units = int(total * 2)
    if parts >= units:
        return [total / parts] * parts
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    bounds = [0, *cuts, units]
    return [Decimal(bounds[i + 1] - bounds[i]) / 2 for i in range(parts)]


@dataclass
class _Leaf:
    path: tuple[str, ...]
    name: str
    weight: Decimal
    lines: list[str] = field(default_factory=list)
    score: Decimal | None = None


def _leaf(path: tuple[str, ...], name: str, weight: Decimal, rng: random.Random, bad: bool) -> _Leaf:
    """One indicator with a rule and a published score that follows the rule (unless `bad`)."""
    leaf = _Leaf(path, name, weight)
    kind = rng.choices(["ratio", "steps", "band", "deviation", "tiers", "levels", "checklist", "judgement", "zero"],
                       weights=[5, 5, 2, 1, 3, 2, 3, 3, 1])[0]
    unit = rng.choice(_UNITS)
    w = weight
    score = w
    out = leaf.lines
    if kind == "ratio":
        target = Decimal(rng.randint(5, 500))
        actual = target if rng.random() < 0.7 else _d(target * Decimal(rng.uniform(0.5, 1.3)))
        out += [f'target = "≥{_s(target)} {unit}"', f'actual = "{_s(actual)} {unit}"', 'rule = "ratio"']
        score = w if actual >= target else _d(actual / target * w)
    elif kind == "steps":
        target = Decimal(rng.randint(20, 100))
        actual = target + rng.randint(0, 5) if rng.random() < 0.7 else _d(target - Decimal(rng.uniform(0.1, 6)))
        out += [f'target = "≥{_s(target)} {unit}"', f'actual = "{_s(actual)} {unit}"',
                'rule = { kind = "steps", step = 1, points = 0.5 }']
        gap = target - actual
        score = w if gap <= 0 else max(Decimal(0), w - gap.to_integral_value(rounding=ROUND_CEILING) * Decimal("0.5"))
    elif kind == "band":
        actual = rng.choice([100, 100, 105, 124, 93, 140])
        out += ['target = "=100%"', f'actual = "={actual}%"', 'rule = "苏州产出类"']
        if actual < 100:
            score = _d(w - (100 - actual) * Decimal("0.05") * w)
        elif actual > 130:
            score = _d(w - (actual - 130) * Decimal("0.01") * w)
    elif kind == "deviation":
        actual = rng.choice([100, 104, 112, 118, 125])
        out += [f'target = "100 {unit}"', f'actual = "{actual} {unit}"', 'rule = { kind = "deviation", bands = [[10, 100], [15, 60], [20, 20]] }']
        dev = abs(actual - 100)
        score = w if dev <= 10 else _d(w * Decimal("0.6")) if dev <= 15 else _d(w * Decimal("0.2")) if dev <= 20 else Decimal(0)
    elif kind == "tiers":
        target, actual = rng.choice(_QUAL)
        level = rng.choice(["达成", "达成", "部分达成"])
        out += [f'target = "{target}"', f'actual = "{actual}"', 'rule = "定性三档"', f'level = "{level}"']
        score = w if level == "达成" else _d(w * Decimal("0.7"))
    elif kind == "levels":
        level, share = rng.choice([("好", 100), ("好", 100), ("较好", 80), ("一般", 60)])
        out += ['target = "健全"', f'actual = "{level}"', 'rule = "定性五级"']
        score = _d(w * share / 100)
    elif kind == "checklist":
        failed = rng.choice([0, 0, 0, 1])
        out += ['rule = { kind = "checklist", points = 0.5 }', f"failed = {failed}"]
        score = max(Decimal(0), w - failed * Decimal("0.5"))
    elif kind == "judgement":
        out += ['target = "有所提升"', 'actual = "明显提升"', 'rule = "judgement"']
        score = w if rng.random() < 0.8 else _d(w - Decimal("0.5")) if w > 1 else w
    elif kind == "zero":
        out += ['target = "0 起"', 'actual = "0 起"', 'rule = "zero"']
    if bad:  # a published score that does not follow its rule
        score = max(Decimal(0), score - Decimal(1)) if score >= 1 else w
    leaf.score = score
    return leaf


def synth_record(i: int, rng: random.Random) -> tuple[int, str, str, str]:
    """(year, slug, TOML text, Markdown text) of one record shaped like the seeds."""
    year = rng.choice([2020, 2021, 2022, 2023, 2024])
    slug = f"bench-{i:06d}"
    self_eval = rng.random() < 0.5
    if self_eval:
        level1 = [("预算执行率", Decimal(10)), ("产出指标", Decimal(50)), ("效益指标", Decimal(30)), ("满意度指标", Decimal(10))]
        scheme, evaluation = "national-self", "单位自评"
    else:
        level1 = [("决策", Decimal(15)), ("过程", Decimal(25)), ("产出", Decimal(30)), ("效益", Decimal(30))]
        scheme, evaluation = "national-dept", "部门评价"
    inconsistent = rng.random() < 0.15  # some records carry deliberate inconsistencies
    budget = _d(rng.uniform(20, 5000))
    executed = _d(budget * Decimal(rng.uniform(0.6, 1.0)))
    n_items = rng.randint(4, 10)
    items = _split(_d(budget, 0), n_items, rng)
    item_budget_total = sum(items)
    executed = min(executed, item_budget_total)
    exact_rate = executed / item_budget_total * 100
    rate = _d(exact_rate) if not (inconsistent and rng.random() < 0.5) else _d(exact_rate) - Decimal(1)
    region = rng.choice(_REGIONS)
    name = rng.choice(_WORDS) + rng.choice(_WORDS) + "项目经费"
    head = [
        f'id = "{slug}"', f'name = "{name}"', f"year = {year}", f'region = "{region}"', f'department = "{region[-3:]}财政局"',
        f'evaluation = "{evaluation}"', f'evaluator = "{region[-3:]}财政局"', f'date = "{year}"', 'status = "published"',
        f'source = "{region}公开的项目支出绩效评价报告"', f'scheme = "{scheme}"',
    ]
    body = ["", "[goals]", f'expected = ["{rng.choice(_SENTENCES)}", "{rng.choice(_SENTENCES)}"]', "",
            "[budget]", 'unit = "万元"', f"initial = {_s(item_budget_total)}", f"budget = {_s(item_budget_total)}",
            f"executed = {_s(executed)}", f"rate = {_s(rate)}", ""]
    for k, amount in enumerate(items):
        body += ["[[budget.items]]", f'name = "{rng.choice(_WORDS)}{rng.choice(_WORDS)}服务费{k + 1}"', f"budget = {_s(amount)}", ""]
    leaves: list[_Leaf] = []
    groups: list[tuple[tuple[str, ...], Decimal]] = []
    target_leaves = rng.randint(20, 35)
    for name1, weight1 in level1:
        if name1 == "预算执行率":
            leaf = _Leaf((), name1, weight1, ['target = "100%"', f'actual = "{_s(_d(exact_rate))}%"', 'rule = "预算执行率"'])
            leaf.score = _d(min(exact_rate, Decimal(100)) / 100 * weight1)
            leaves.append(leaf)
            continue
        groups.append(((name1,), weight1))
        n2 = rng.randint(2, 4)
        for j, weight2 in enumerate(_split(weight1, n2, rng)):
            path = (name1, f"{name1}{['数量', '质量', '时效', '成本'][j]}")
            groups.append((path, weight2))
            n3 = max(1, min(int(weight2), round(target_leaves * weight2 / 90)))
            for k, weight3 in enumerate(_split(weight2, n3, rng)):
                bad = inconsistent and rng.random() < 0.1
                leaves.append(_leaf(path, f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}指标{k + 1}", weight3, rng, bad))
    if inconsistent and rng.random() < 0.3 and groups:  # a declared weight that does not add up
        p, w = groups[-1]
        groups[-1] = (p, w + 1)
    for p, w in groups:
        body += ["[[group]]", "path = [" + ", ".join(f'"{x}"' for x in p) + "]", f"weight = {_s(w)}", ""]
    for leaf in leaves:
        body += ["[[indicator]]", "path = [" + ", ".join(f'"{x}"' for x in leaf.path) + "]", f'name = "{leaf.name}"', *leaf.lines,
                 f"weight = {_s(leaf.weight)}", f"score = {_s(leaf.score)}"]
        if leaf.score < leaf.weight and rng.random() < 0.97:
            body.append(f'reason = "{rng.choice(_SENTENCES)}"')
        body.append(f'criteria = "{rng.choice(_SENTENCES)}"')
        body.append("")
    total = sum((leaf.score for leaf in leaves), Decimal(0))
    if inconsistent and rng.random() < 0.3:
        total += Decimal("0.5")
    head.append(f"total = {_s(total)}")
    quoted_rate = _s(_d(exact_rate)) if not (inconsistent and rng.random() < 0.5) else "90"
    md = []
    for n, section in enumerate(_SECTIONS):
        md += [f"## {section}", ""]
        for _ in range(rng.randint(1, 3)):
            md += ["".join(rng.choice(_SENTENCES) for _ in range(rng.randint(1, 4))), ""]
        if n == 0:
            md += [f"{year}年项目预算{_s(item_budget_total)}万元，实际支出{_s(executed)}万元，预算执行率为{quoted_rate}%。", ""]
        if n == 2:
            md += [f"经综合评价，该项目自评得分 {_s(total)} 分。", ""]
    return year, slug, "\n".join(head + body) + "\n", "\n".join(md) + "\n"


def generate(directory: Path, n: int, seed: int = 20240601) -> Path:
    """Write n synthetic records under directory/projects/<year>/; return the projects directory."""
    rng = random.Random(seed)
    projects = directory / "projects"
    for i in range(n):
        year, slug, toml_text, md_text = synth_record(i, rng)
        folder = projects / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.toml").write_text(toml_text, encoding="utf-8")
        (folder / f"{slug}.md").write_text(md_text, encoding="utf-8")
    return projects


def synth_page(i: int, rng: random.Random) -> str:
    """A plain Markdown page for the bare-Material baseline: a heading and paragraphs of the same
    sentences, about as long as a synthetic record's narrative (6 sections × 1–3 paragraphs)."""
    title = f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}项目经费 {i}"
    paragraphs = ["".join(rng.choice(_SENTENCES) for _ in range(rng.randint(1, 4)))
                  for _ in _SECTIONS for _ in range(rng.randint(1, 3))]
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def generate_pages(directory: Path, n: int, seed: int = 20240601) -> Path:
    """Write an index page and n plain pages under directory/docs/; return the docs directory."""
    rng = random.Random(seed)
    docs = directory / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(f"# 基准页面\n\n共 {n} 个页面。\n", encoding="utf-8")
    for i in range(n):
        (docs / "pages" / f"p{i:06d}.md").write_text(synth_page(i, rng), encoding="utf-8")
    return docs


# ---------------------------------------------------------------------------- measurements

@dataclass
class Row:
    measurement: str
    records: int
    seconds: float  # wall clock
    cpu_seconds: float  # CPU time of the measuring process (less sensitive to a busy machine)
    peak_mb: float
    diagnostics: int
    extra: dict = field(default_factory=dict)

    @property
    def ms_per_record(self) -> float:
        return self.seconds * 1000 / self.records if self.records else 0.0


def _child(measurement: str, projects: Path, *, timeout: float | None = None, env_extra: dict | None = None) -> dict:
    """Run one measurement in a fresh interpreter (pinned to one CPU unless CHILD_CPUS says otherwise);
    return its JSON result."""
    cmd = [sys.executable, "-m", "generator.bench", "--child", measurement, str(projects)]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(env_extra or {})
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def _pin_one_cpu() -> None:
    _pin_cpus(1)


def _pin_cpus(count: int) -> None:
    """Restrict this process (and the processes it starts) to the first `count` CPUs it may use."""
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:max(1, count)]))
        except OSError:
            pass


def child_validate(projects: Path) -> dict:
    """In the child: time load + validate + score of every record (pipeline.run, as `validate` runs it)."""
    from generator.core.pipeline import run

    start, cpu_start = time.perf_counter(), time.process_time()
    result = run([str(projects)], keep=False)  # as the validate command does
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in result.diagnostics:
        counts[d.severity.value] += 1
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": _peak_mb(), "diagnostics": len(result.diagnostics),
            # records that loaded: every file but those with a file-level error (E0xx/E1xx)
            "records": len(result.files) - len({d.file for d in result.diagnostics if d.code[:2] in ("E0", "E1")}),
            "counts": counts}


def measure_validate(projects: Path, n: int) -> Row:
    out = _child("validate", projects)
    if out["records"] != n:
        sys.stderr.write(f"warning: only {out['records']} of {n} synthetic records loaded\n")
    return Row("validate", n, out["seconds"], out["cpu_seconds"], out["peak_mb"], out["diagnostics"],
               {"counts": out["counts"], "loaded": out["records"]})


# ---------------------------------------------------------------------------- site build (--site)

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01T00:00:00Z, as in the site tests: every build has the same date
SITE_TARGET_N = 10_000
SITE_TARGET_SECONDS = 90.0
SITE_TARGET_PEAK_MB = 1024.0
SITE_TARGET_FIRST_SEARCH_KB = 300.0
SEARCH_QUERIES = ("预算执行率", "满意度")  # common in the records: a first search loads many-project shards
BUILD_TIMEOUT = 1800.0  # seconds per build (--timeout); a build that takes longer is killed and shown as timed out
SITE_CORES = 2  # CPUs a build may use (--cores); the targets are for 2 cores
LOG_TAIL_LINES = 40
BUSY_SHARE = 0.2  # other processes using more CPU than this share of a build's wall time are reported (busy machine)


def site_config(path: Path, records_dir: Path) -> Path:
    """A MkDocs config inheriting the repository's mkdocs.yml with the records directory replaced (as
    tests/site/conftest.py writes it): INHERIT merges mappings, plugins included; the parent's relative
    docs_dir and theme custom_dir would resolve against this file's directory, so they are made absolute."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar: any temporary path stays one value
    text = (f"INHERIT: {q(str(ROOT / 'mkdocs.yml'))}\n"
            f"docs_dir: {q(str(ROOT / 'content'))}\n"
            f"theme:\n  custom_dir: {q(str(ROOT / 'theme'))}\n"
            f"plugins:\n  - disclosure:\n      records_dir: {q(str(records_dir))}\n")
    path.write_text(text, encoding="utf-8")
    return path


def bare_config(path: Path, docs_dir: Path) -> Path:
    """Plain MkDocs + Material, language zh, Material's search plugin for zh (jieba segments Chinese when
    installed; the separator, Material's zh default, splits at the zero-width spaces jieba's words are
    joined with); the nav lists only the index page so the sidebar stays short."""
    text = ("site_name: 基准\n"
            f"docs_dir: {json.dumps(str(docs_dir))}\n"
            "use_directory_urls: true\n"
            "theme:\n  name: material\n  language: zh\n  font: false\n"
            "plugins:\n  - search:\n      lang: zh\n"
            "      separator: '[\\s\\u200b\\u3000\\-、。，．？！；]+'\n"
            "nav:\n  - 首页: index.md\n"
            "validation:\n  nav:\n    omitted_files: ignore\n")
    path.write_text(text, encoding="utf-8")
    return path


def build_env() -> dict[str, str]:
    """The environment of a reproducible `mkdocs build` subprocess (also used by the site tests)."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for name in ("GENERATOR_DEBUG", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    return env


def _session_memory(session: int) -> tuple[int, int]:
    """(processes, bytes in memory) of the processes in a session, from /proc; (0, 0) without /proc.

    One process: its RSS. Several (a build with worker processes, forked): the sum of their PSS, which
    counts a page shared after fork once in all rather than once per process; RSS where PSS is unreadable."""
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0, 0
    members: list[tuple[str, int]] = []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (comm) ": state ppid pgrp session … rss (24th)
        if len(fields) > 21 and int(fields[3]) == session:
            members.append((entry, int(fields[21]) * page))
    if len(members) <= 1:
        return len(members), sum(rss for _, rss in members)
    total = 0
    for pid, rss in members:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                pss = next((int(line.split()[1]) * 1024 for line in fh if line.startswith(b"Pss:")), rss)
        except (OSError, ValueError):
            pss = rss
        total += pss
    return len(members), total


def _machine_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat), None without /proc."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal (guest is inside user)
    return busy / os.sysconf("SC_CLK_TCK")


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.path.getsize(path) - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def _build(config: Path, site: Path, log_path: Path, timeout: float) -> dict:
    """In the child: run `mkdocs build` in a subprocess (its only child), output to log_path.

    Peak memory is the build's ru_maxrss (RUSAGE_CHILDREN of this process, which starts nothing else).
    The build's session is also sampled from /proc twice a second: when the build runs worker
    processes, ru_maxrss is the largest single process only, so the peak is the larger of it and the
    largest sampled sum over the processes (PSS, see _session_memory) — a sample, so a peak between
    two samples can be missed."""
    import resource

    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    machine_start = _machine_cpu_seconds()
    start = time.perf_counter()
    timed_out = False
    most_procs = tree_peak = 0
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=str(config.parent), env=build_env(), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        while True:
            try:
                proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                pass
            procs, rss = _session_memory(proc.pid)
            most_procs, tree_peak = max(most_procs, procs), max(tree_peak, rss)
            if time.perf_counter() - start > timeout:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # the build's own process group (start_new_session)
                except OSError:
                    pass
                proc.wait()
                break
    seconds = time.perf_counter() - start
    machine_end = _machine_cpu_seconds()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)  # this child's sampling, counted as the build's
    other = None
    if machine_start is not None and machine_end is not None:
        other = max(0.0, machine_end - machine_start - usage.ru_utime - usage.ru_stime - own.ru_utime - own.ru_stime)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    rss_mb = usage.ru_maxrss * scale / 1024 / 1024
    tree_mb = tree_peak / 1024 / 1024
    peak_mb = max(rss_mb, tree_mb) if most_procs > 1 else rss_mb
    warnings = 0
    with open(log_path, "rb") as fh:
        for line in fh:
            if line.startswith(b"WARNING"):
                warnings += 1
    return {"returncode": proc.returncode, "timed_out": timed_out, "seconds": seconds,
            "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": peak_mb, "rss_mb": rss_mb, "tree_peak_mb": tree_mb,
            "processes": most_procs, "warnings": warnings, "other_cpu_seconds": other}


def _dir_size(root: Path) -> tuple[int, int]:
    """(files, bytes) under root."""
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            try:
                size += os.stat(os.path.join(folder, name)).st_size
                files += 1
            except OSError:
                pass
    return files, size


class _SiteFiles(Mapping):
    """A built site's files as search_index.query_files expects them ({path: bytes}), read on access:
    a first search reads a handful of files, not the whole index."""

    def __init__(self, root: Path):
        self.root = root

    def __getitem__(self, rel: str) -> bytes:
        path = self.root / rel
        if not path.is_file():
            raise KeyError(rel)
        return path.read_bytes()

    def __iter__(self) -> Iterator[str]:
        return (p.relative_to(self.root).as_posix() for p in sorted((self.root / "search").rglob("*")) if p.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


def site_first_search(site: Path) -> dict:
    """Bytes a browser downloads for its first search on the site: pd-search.js plus the files
    query_files names (manifest, term shards, the first results' documents), the worse of SEARCH_QUERIES."""
    from generator.publish.search_index import query_files
    from generator.render.search_text import terms

    script = site / "assets" / "pd-search.js"
    if not script.is_file():
        script = Path(__file__).resolve().parents[1] / "mkdocs_plugin" / "theme" / "assets" / "pd-search.js"
    files = _SiteFiles(site)
    worst: dict = {}
    for query in SEARCH_QUERIES:
        needed = query_files(files, terms(query))
        size = script.stat().st_size + sum((site / rel).stat().st_size for rel in needed)
        if size > worst.get("bytes", -1):
            worst = {"bytes": size, "query": query, "files": ["assets/pd-search.js", *needed],
                     "results": any(rel.startswith("search/d/") for rel in needed)}
    return worst


def bare_first_search(site: Path) -> dict:
    """Bytes a browser downloads for its first search on the bare Material site: the whole index plus the
    search worker and the lunr scripts the worker imports for zh (stemmer support and lunr.zh)."""
    js = site / "assets" / "javascripts"
    needed = [site / "search" / "search_index.json", *sorted((js / "workers").glob("search.*.min.js")),
              js / "lunr" / "min" / "lunr.stemmer.support.min.js", js / "lunr" / "min" / "lunr.zh.min.js"]
    present = [p for p in needed if p.is_file()]
    return {"bytes": sum(p.stat().st_size for p in present), "query": "(any)",
            "files": [p.relative_to(site).as_posix() for p in present], "results": len(present) == len(needed)}


def _measure_build(config: Path, site: Path, first_search: Callable[[Path], dict]) -> dict:
    timeout = float(os.environ.get("PD_BENCH_TIMEOUT", BUILD_TIMEOUT))
    log_path = config.parent / "build.log"
    out = _build(config, site, log_path, timeout)
    out["log"] = str(log_path)
    built = (site / "index.html").is_file()
    out["ok"] = out["returncode"] == 0 and not out["timed_out"] and built
    if built:
        out["site_files"], out["site_bytes"] = _dir_size(site)
        try:
            out["first_search"] = first_search(site)
        except (OSError, KeyError, ValueError) as exc:  # e.g. no search index: the build is not usable
            out["ok"] = False
            out["first_search_error"] = f"{type(exc).__name__}: {exc}"
    if not out["ok"]:
        out["log_tail"] = _tail(log_path)
    return out


def child_site(projects: Path) -> dict:
    """In the child: build the repository's site over the synthetic records in `projects`."""
    base = projects.parent / "site-build"
    base.mkdir(parents=True, exist_ok=True)
    config = site_config(base / "mkdocs.yml", projects.resolve())
    return _measure_build(config, base / "site", site_first_search)


def child_bare(base: Path) -> dict:
    """In the child: build base/docs with plain MkDocs + Material."""
    config = bare_config(base / "mkdocs.yml", (base / "docs").resolve())
    return _measure_build(config, base / "site", bare_first_search)


def _build_row(kind: str, n: int, directory: Path, cores: int, timeout: float) -> Row:
    try:
        out = _child(kind, directory, timeout=timeout + 300,
                     env_extra={"PD_BENCH_CORES": str(cores), "PD_BENCH_TIMEOUT": str(timeout)})
    except (RuntimeError, subprocess.TimeoutExpired, ValueError, IndexError) as exc:
        out = {"ok": False, "returncode": None, "timed_out": isinstance(exc, subprocess.TimeoutExpired), "seconds": 0.0,
               "cpu_seconds": 0.0, "peak_mb": 0.0, "warnings": 0, "log_tail": str(exc)[-4000:]}
    if not out["ok"]:
        why = "timed out" if out.get("timed_out") else f"exit {out.get('returncode')}"
        sys.stderr.write(f"\n{kind} build of {n} failed ({why}); log tail ({out.get('log', 'no log')}):\n"
                         f"{out.get('log_tail', '')}\n{out.get('first_search_error', '')}\n")
    first = out.get("first_search") or {}
    extra = {"ok": out["ok"], "returncode": out.get("returncode"), "timed_out": out.get("timed_out", False),
             "site_mb": out.get("site_bytes", 0) / 1024 / 1024, "site_files": out.get("site_files", 0),
             "first_search_kb": first.get("bytes", 0) / 1024, "first_search_query": first.get("query"),
             "first_search_files": first.get("files", []), "first_search_results": first.get("results", False),
             "rss_mb": out.get("rss_mb"), "tree_peak_mb": out.get("tree_peak_mb"), "processes": out.get("processes"),
             "other_cpu_seconds": out.get("other_cpu_seconds")}
    return Row(kind, n, out["seconds"], out["cpu_seconds"], out["peak_mb"], out.get("warnings", 0), extra)


def measure_site(projects: Path, n: int, cores: int = SITE_CORES, timeout: float = BUILD_TIMEOUT) -> Row:
    return _build_row("site", n, projects, cores, timeout)


def measure_bare(projects: Path, n: int, cores: int = SITE_CORES, timeout: float = BUILD_TIMEOUT) -> Row:
    """The baseline: as many plain pages as records, built with MkDocs + Material (generated beside the records)."""
    base = projects.parent / "bare"
    generate_pages(base, n)
    return _build_row("bare-material", n, base, cores, timeout)


# A measurement is a function (projects dir, record count) → Row, usually running a CHILDREN entry in a fresh
# process. To add one: write child_x/measure_x, register them here and select it in selected_measurements().
CHILDREN: dict[str, Callable[[Path], dict]] = {"validate": child_validate, "site": child_site, "bare-material": child_bare}
MEASUREMENTS: dict[str, Callable[[Path, int], Row]] = {"validate": measure_validate, "site": measure_site,
                                                        "bare-material": measure_bare}
CHILD_CPUS: dict[str, int] = {"validate": 1}  # other children: PD_BENCH_CORES (--cores) CPUs
BUILD_KINDS = ("site", "bare-material")


def selected_measurements(args: argparse.Namespace) -> list[str]:
    return ["validate"] + (["site"] + ([] if args.no_bare else ["bare-material"]) if args.site else [])


# ---------------------------------------------------------------------------- output

def table(rows: list[Row]) -> str:
    """The Markdown table of the validate rows."""
    lines = ["| measurement | records | total s | ms / record | CPU s | peak MB | diagnostics |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.measurement in BUILD_KINDS:
            continue
        lines.append(f"| {r.measurement} | {r.records} | {r.seconds:.2f} | {r.ms_per_record:.3f} | {r.cpu_seconds:.2f} | {r.peak_mb:.0f} | {r.diagnostics} |")
    return "\n".join(lines)


SITE_COLUMNS = ["kind", "N", "wall s", "peak MB", "site MB", "first-search KB", "ms / project", "CPU s"]


def site_table(rows: list[Row]) -> str:
    """The Markdown table of the site builds (site and bare-material rows)."""
    lines = ["| " + " | ".join(SITE_COLUMNS) + " |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.measurement not in BUILD_KINDS:
            continue
        x = r.extra
        if x.get("ok"):
            cells = [f"{r.seconds:.1f}", f"{r.peak_mb:.0f}", f"{x['site_mb']:.1f}", f"{x['first_search_kb']:.1f}",
                     f"{r.ms_per_record:.1f}", f"{r.cpu_seconds:.1f}"]
        else:
            why = "timed out" if x.get("timed_out") else f"exit {x.get('returncode')}"
            cells = [f"FAILED ({why}) after {r.seconds:.1f}", f"{r.peak_mb:.0f}", "–", "–", "–", f"{r.cpu_seconds:.1f}"]
        lines.append(f"| {r.measurement} | {r.records} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(rows: list[Row]) -> str:
    bad = [r for r in rows if r.measurement == "validate" and (r.ms_per_record > TARGET_MS_PER_RECORD or r.peak_mb > TARGET_PEAK_MB)]
    target = f"target: ≤ {TARGET_MS_PER_RECORD:g} ms per record, peak < {TARGET_PEAK_MB:g} MB"
    return f"{target} — " + ("met" if not bad else "MISSED for " + ", ".join(str(r.records) for r in bad))


def site_verdict(rows: list[Row]) -> str:
    """Whether the site meets its targets: at 10,000 projects ≤ 90 s and ≤ 1024 MB (2 cores), the first
    search ≤ 300 KB at every N; and how time and size grow with N."""
    site = sorted((r for r in rows if r.measurement == "site"), key=lambda r: r.records)
    if not site:
        return ""
    out = [f"site targets: {SITE_TARGET_N:,} projects in ≤ {SITE_TARGET_SECONDS:g} s and ≤ {SITE_TARGET_PEAK_MB:g} MB; "
           f"first search ≤ {SITE_TARGET_FIRST_SEARCH_KB:g} KB"]
    failed = [r for r in site if not r.extra.get("ok")]
    if failed:
        out.append("- build FAILED for N = " + ", ".join(str(r.records) for r in failed) + " (log tail above)")
    ok = [r for r in site if r.extra.get("ok")]
    at_target = [r for r in ok if r.records == SITE_TARGET_N]
    if at_target:
        r = at_target[0]
        misses = ([f"{r.seconds:.0f} s > {SITE_TARGET_SECONDS:g} s"] if r.seconds > SITE_TARGET_SECONDS else []) + \
                 ([f"{r.peak_mb:.0f} MB > {SITE_TARGET_PEAK_MB:g} MB"] if r.peak_mb > SITE_TARGET_PEAK_MB else [])
        out.append(f"- {SITE_TARGET_N:,}: {r.seconds:.1f} s, {r.peak_mb:.0f} MB — " + ("met" if not misses else "MISSED: " + ", ".join(misses)))
    elif ok:
        r = ok[-1]
        if len(ok) > 1 and r.records > ok[-2].records:  # the marginal cost between the two largest N: fixed costs drop out
            a = ok[-2]
            slope = (r.seconds - a.seconds) / (r.records - a.records)
            how = f"{slope * 1000:.1f} ms per added project between {a.records:,} and {r.records:,}"
        else:
            slope = r.seconds / r.records
            how = f"{r.ms_per_record:.1f} ms per project at {r.records:,}"
        estimate = r.seconds + slope * (SITE_TARGET_N - r.records)
        out.append(f"- {SITE_TARGET_N:,}: not measured; {how}: ≈ {estimate:.0f} s at {SITE_TARGET_N:,} if linear "
                   f"({'within' if estimate <= SITE_TARGET_SECONDS else 'over'} {SITE_TARGET_SECONDS:g} s); "
                   f"peak {r.peak_mb:.0f} MB at {r.records:,}")
    if ok:
        worst = max(ok, key=lambda r: r.extra["first_search_kb"])
        kb = worst.extra["first_search_kb"]
        out.append(f"- first search: worst {kb:.1f} KB (N = {worst.records:,}, query {worst.extra['first_search_query']}) — "
                   + ("met" if kb <= SITE_TARGET_FIRST_SEARCH_KB else f"MISSED: > {SITE_TARGET_FIRST_SEARCH_KB:g} KB"))
    for a, b in zip(ok, ok[1:]):
        if a.records and a.seconds and a.extra["site_mb"]:
            k = b.records / a.records
            out.append(f"- growth {a.records:,} → {b.records:,} (N ×{k:g}): time ×{b.seconds / a.seconds:.1f}, "
                       f"site size ×{b.extra['site_mb'] / a.extra['site_mb']:.1f}, peak memory ×{b.peak_mb / a.peak_mb:.1f}")
    busy = [r for r in rows if r.measurement in BUILD_KINDS and (r.extra.get("other_cpu_seconds") or 0) > BUSY_SHARE * r.seconds]
    if busy:
        out.append("- machine busy: other processes used " +
                   ", ".join(f"{r.extra['other_cpu_seconds']:.0f} CPU s during {r.measurement} {r.records:,}" for r in busy) +
                   " — those wall times include waiting for a CPU; CPU s and peak MB much less so")
    bare = {r.records: r for r in rows if r.measurement == "bare-material" and r.extra.get("ok")}
    for r in ok:
        if r.records in bare:
            b = bare[r.records]
            out.append(f"- vs bare Material at {r.records:,}: time ×{r.seconds / b.seconds:.2f}, peak ×{r.peak_mb / b.peak_mb:.2f}, "
                       f"site ×{r.extra['site_mb'] / b.extra['site_mb']:.2f}, first search ×{r.extra['first_search_kb'] / b.extra['first_search_kb']:.3f}")
    return "\n".join(out)


def report(rows: list[Row]) -> str:
    """The tables and verdicts of the rows, as printed."""
    parts = []
    if any(r.measurement not in BUILD_KINDS for r in rows):
        parts.append(table(rows) + "\n\n" + verdict(rows))
    if any(r.measurement in BUILD_KINDS for r in rows):
        parts.append(site_table(rows) + ("\n\n" + site_verdict(rows) if site_verdict(rows) else ""))
    return "\n\n".join(parts) + "\n"


def profile(projects: Path, top: int = 25) -> str:
    import cProfile
    import io
    import pstats

    from generator.core.pipeline import run

    prof = cProfile.Profile()
    prof.enable()
    run([str(projects)])
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def measure_previews(workdir: Path, projects: Path, n: int) -> list:
    """The preview of N records: an edit's time to show, with the tool's preview and with plain mkdocs serve."""
    from .serve import COMMANDS, measure_serve

    config = site_config(workdir / "preview.yml", projects.resolve())
    out = []
    for mode in COMMANDS:
        row = measure_serve(config, projects, n, mode, build_env())
        shown = ", ".join(f"{what} {t:.2f} s" if t is not None else f"{what} never" for what, t in row.reloads)
        sys.stderr.write(f"{mode} {n}: first page {row.start_seconds:.1f} s; edits {shown}{' — ' + row.error[:300] if row.error else ''}\n")
        out.append(row)
    return out


# ---------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.bench", description="记录载入、校验与计分的性能基准。")
    p.add_argument("--records", default="1000,10000", help="comma-separated record counts (default 1000,10000)")
    p.add_argument("--out", help="also write the Markdown table to this file")
    p.add_argument("--keep", action="store_true", help="keep the generated records (their directory is printed)")
    p.add_argument("--profile", action="store_true", help="print a cProfile of pipeline.run (in this process) instead of timing")
    p.add_argument("--site", action="store_true",
                   help="also build the site for each N, and the bare MkDocs + Material baseline of N plain pages")
    p.add_argument("--no-bare", action="store_true", help="with --site: skip the bare MkDocs + Material baseline")
    p.add_argument("--serve", action="store_true",
                   help="also time the preview for each N: how long an edited record takes to show (python -m generator "
                        "preview, and plain mkdocs serve for comparison)")
    p.add_argument("--cores", type=int, default=SITE_CORES, help=f"CPUs a site build may use (default {SITE_CORES})")
    p.add_argument("--timeout", type=float, default=BUILD_TIMEOUT,
                   help=f"seconds before a site build is killed and shown as timed out (default {BUILD_TIMEOUT:g})")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--child", nargs=2, metavar=("MEASUREMENT", "DIR"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _pin_cpus(CHILD_CPUS.get(args.child[0]) or int(os.environ.get("PD_BENCH_CORES", SITE_CORES)))
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return 0
    try:
        counts = [int(x) for x in args.records.split(",") if x.strip()]
    except ValueError:
        p.error("--records takes numbers separated by commas, e.g. 1000,10000")
    if not counts or any(n <= 0 for n in counts):
        p.error("--records takes positive numbers")
    rows: list[Row] = []
    serve_rows: list = []
    for n in counts:
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
        try:
            started = time.perf_counter()
            projects = generate(workdir, n, args.seed)
            sys.stderr.write(f"generated {n} records in {time.perf_counter() - started:.1f} s under {projects}\n")
            if args.profile:
                print(profile(projects))
                continue
            for name in selected_measurements(args):
                kwargs = {"cores": args.cores, "timeout": args.timeout} if name in BUILD_KINDS else {}
                rows.append(MEASUREMENTS[name](projects, n, **kwargs))
                r = rows[-1]
                detail = (f" (processes: {r.extra.get('processes')}, largest one {r.extra.get('rss_mb') or 0:.0f} MB, "
                          f"largest sampled total {r.extra.get('tree_peak_mb') or 0:.0f} MB)" if name in BUILD_KINDS else "")
                sys.stderr.write(f"{name} {n}: {r.seconds:.1f} s, peak {r.peak_mb:.0f} MB{detail}\n")
            if args.serve:
                serve_rows += measure_previews(workdir, projects, n)
        finally:
            if args.keep:
                sys.stderr.write(f"kept {workdir}\n")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    if rows or serve_rows:
        text = report(rows) if rows else ""
        if serve_rows:
            from .serve import serve_table, serve_verdict

            text += "\n" + serve_table(serve_rows) + "\n\n" + serve_verdict(serve_rows) + "\n"
        print(text, end="")
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
