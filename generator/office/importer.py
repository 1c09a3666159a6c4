"""Open a form (.xlsx, or legacy .xls through LibreOffice), pick the sheet and the layout that
recognise it, and read it into an ImportResult. A sheet holding the mid-year monitoring form (执行监控表,
monitoring.py) beside the self-evaluation form is read into the same record's [monitoring] section; a
workbook holding only the monitoring form gives a record with what that form has."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from . import monitoring, national, suzhou, wuhan
from .form_reader import ImportResult
from .grid import Grid

LAYOUTS = {m.NAME: m for m in (national, wuhan, suzhou)}
MIN_SCORE = 4
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFailure(Exception):
    """A file that cannot be read at all; the message is Chinese and meant for the editor."""


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_with_soffice(path: str, to: str, outdir: str) -> str:
    """Convert a legacy office file (.xls → xlsx, .doc → docx) with LibreOffice's headless converter."""
    exe = soffice_path()
    kind = {"xlsx": "Excel", "docx": "Word"}[to]
    if exe is None:
        raise ImportFailure(
            f"无法读取 {Path(path).name}：这是旧版 {kind} 文件（{Path(path).suffix or '二进制格式'}），需要 LibreOffice 转换，"
            f"但没有找到 soffice 或 libreoffice 命令。请安装 LibreOffice（如 apt-get install libreoffice-calc），"
            f"或在 Excel/WPS 中把文件“另存为 .{to}”后再导入。"
        )
    profile = Path(outdir) / "lo-profile"
    cmd = [
        exe,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        to,
        "--outdir",
        outdir,
        os.path.abspath(path),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ImportFailure(
            f"用 LibreOffice 转换 {Path(path).name} 失败：{exc}。请在 Excel/WPS 中另存为 .{to} 后再导入。"
        ) from None
    out = Path(outdir) / (Path(path).stem + "." + to)
    if proc.returncode != 0 or not out.is_file():
        detail = (proc.stderr or proc.stdout or "").strip().splitlines()
        raise ImportFailure(
            f"用 LibreOffice 转换 {Path(path).name} 失败（退出码 {proc.returncode}{'：' + detail[-1] if detail else ''}）。"
            f"请在 Excel/WPS 中另存为 .{to} 后再导入。"
        )
    return str(out)


def _load(path: str):
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as exc:
        raise ImportFailure(
            f"无法打开 {Path(path).name}：不是有效的 .xlsx 文件（{type(exc).__name__}: {exc}）。"
            "请确认文件没有损坏，或在 Excel/WPS 中重新另存为 .xlsx。"
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise ImportFailure(
            f"无法打开 {Path(path).name}：{type(exc).__name__}: {exc}。请在 Excel/WPS 中重新另存为 .xlsx。"
        ) from None
    return values, formulas


def open_grids(path: str) -> list[Grid]:
    """Every worksheet of the file as a Grid; .xls (and an .xls saved under another name) goes through
    LibreOffice first."""
    p = Path(path)
    if not p.is_file():
        raise ImportFailure(f"找不到文件 {path}。")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFailure(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    suffix = p.suffix.lower()
    with tempfile.TemporaryDirectory(prefix="perf-import-") as tmp:
        if (
            suffix in (".xls", ".et")
            or head == _OLE
            or (suffix not in (".xlsx", ".xlsm") and not head.startswith(b"PK"))
        ):
            if suffix not in (".xls", ".et", ".xlsx", ".xlsm") and head != _OLE:
                raise ImportFailure(f"不支持的文件类型 {p.suffix or '（无扩展名）'}：请提供 .xlsx 或 .xls 自评表。")
            src = Path(tmp) / ("form" + (suffix if suffix in (".xls", ".et") else ".xls"))
            shutil.copyfile(p, src)
            converted = convert_with_soffice(str(src), "xlsx", tmp)
            values, formulas = _load(converted)
        else:
            values, formulas = _load(str(p))
    return [Grid.from_worksheet(ws, formulas[ws.title]) for ws in values.worksheets]


def read_form(path: str, *, layout: str | None = None, sheet: str | None = None) -> ImportResult:
    if Path(path).suffix.lower() == ".pdf":  # a PDF's forms are Grids too (pdf_import.py, the [pdf] extra)
        from .pdf_import import read_pdf_form

        return read_pdf_form(path, layout=layout, sheet=sheet)
    return read_grids(open_grids(path), path, layout=layout, sheet=sheet)


def read_grids(
    grids: list[Grid], path: str, *, layout: str | None = None, sheet: str | None = None, part: str = "工作表"
) -> ImportResult:
    """Choose the grid and the layout that recognise it and read it; `part` names a grid in messages
    (a workbook's 工作表, a PDF's pages)."""
    if sheet is not None:
        chosen = [g for g in grids if g.name == sheet]
        if not chosen:
            raise ImportFailure(f"文件中没有名为“{sheet}”的{part}。现有{part}：{'、'.join(g.name for g in grids)}。")
        candidates = chosen
    else:
        candidates = grids
    names = [layout] if layout and layout != monitoring.NAME else list(LAYOUTS)
    # A sheet is the monitoring form when it says so more clearly than it looks like any self-evaluation
    # form (both have 三级指标 and 年初预算数; only the monitoring form asks 完成目标的可能性).
    monitoring_sheets: list[tuple[int, Grid]] = []
    best: tuple[int, Grid, str] | None = None
    for g in candidates:
        scores = {name: LAYOUTS[name].detect(g) for name in names}
        mon = monitoring.detect(g)
        if layout == monitoring.NAME or (mon >= MIN_SCORE and mon > max(scores.values())):
            monitoring_sheets.append((mon, g))
            continue
        for name, score in scores.items():
            if best is None or score > best[0]:
                best = (score, g, name)
    monitoring_sheets.sort(key=lambda item: -item[0])  # the clearest first; sorted() keeps sheet order on ties
    if (best is None or (best[0] < MIN_SCORE and not layout)) and monitoring_sheets:
        grid = monitoring_sheets[0][1]
        result = monitoring.read(grid)
        monitoring.finish_alone(result)
        imported = [grid]
    elif best is None or (best[0] < MIN_SCORE and not layout):
        known = "；".join(f"{m.NAME}（{m.TITLE}）" for m in (*LAYOUTS.values(), monitoring))
        raise ImportFailure(
            f"{Path(path).name} 中没有识别出已知的自评表样式。已知样式：{known}。"
            "表样靠“三级指标”“年初预算数”“指标名称/权重/自评分”“完成目标的可能性”等表头文字识别；"
            f"如确属其中一种，可用 --layout 指定，或用 --sheet 指定{part}。"
        )
    else:
        _score, grid, name = best
        result = LAYOUTS[name].read(grid)
        imported = [grid]
        if monitoring_sheets:
            extra = monitoring_sheets[0][1]
            monitoring.merge_into(result, monitoring.read(extra))
            imported.append(extra)
    shown = "和".join(f"“{g.name}”" for g in imported)
    for g in grids:
        if any(g is i for i in imported) or not g.values or sheet is not None:
            continue
        if any(g is m and score >= MIN_SCORE for score, m in monitoring_sheets):
            result.unmapped.append(f"{g.name}: 又一张执行监控表（只导入了{part}{shown}），未导入")
        else:
            result.unmapped.append(f"{g.name}: 这个{part}没有识别为自评表或执行监控表（只导入了{part}{shown}），未导入")
    return result
