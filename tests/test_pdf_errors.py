"""PDFs that cannot be imported: a Chinese message naming the file and page, exit status 1, nothing written.

Encrypted, damaged (the whole file, or one page), not a PDF at all, blank, only scanned images (no text
layer: named page by page; this tool does no OCR), or text that is no known form. The PDFs are written
by hand or with pypdfium2 at test time (tests/pdf_sources.py). Also: the PDF import needs the [pdf] extra
only, and says so when it is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2", reason="没有安装 PDF 导入组件 pypdfium2（pip install -e '.[pdf]'），跳过 PDF 导入测试")

sys.path.insert(0, str(Path(__file__).parent))
import pdf_sources  # noqa: E402

from generator.cli.main import main  # noqa: E402
from generator.cli.missing import missing_part  # noqa: E402

ENCRYPT = (
    "/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + "11" * 32 + "> /U <" + "22" * 32 + "> /P -4 >> "
    "/ID [<" + "33" * 16 + "> <" + "33" * 16 + ">] "
)


def run_import(capsys, tmp_path: Path, *files: Path) -> tuple[int, str, str, Path]:
    out_dir = tmp_path / "projects" / "2021"
    code = main(["import", *map(str, files), "--out", str(out_dir), "--id", "x-1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "工具内部错误" not in err
    return code, out, err, out_dir


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name,make,says",
    [
        (
            "加密.pdf",
            lambda: pdf_sources.minimal_pdf(ENCRYPT),
            "加密.pdf 已加密，需要密码才能打开（从第 1 页起无法读取任何一页）",
        ),
        (
            "截断.pdf",
            lambda: pdf_sources.minimal_pdf()[:300],
            "截断.pdf 已损坏或不是有效的 PDF：文件结构读不出来，连第 1 页也无法打开",
        ),
        (
            "坏页.pdf",
            lambda: pdf_sources.minimal_pdf(texts=("one", "two", "three"), broken_page=2),
            "坏页.pdf 第 2 页已损坏，无法读取",
        ),
        ("不是.pdf", lambda: "项目名称,金额\n".encode(), "不是.pdf 不是 PDF 文件"),
        ("空白.pdf", lambda: pdf_sources.minimal_pdf(texts=("",)), "空白.pdf 共 1 页，没有任何文字（空白页）"),
        (
            "无表.pdf",
            lambda: pdf_sources.minimal_pdf(texts=("Hello", "World", "Again")),
            "无表.pdf（第 1–3 页）中没有找到画有表格线的表格，无法按自评表导入",
        ),
        (
            "别的表.pdf",
            lambda: pdf_sources.minimal_pdf(texts=("Hello", "World"), ruled=True),
            "别的表.pdf（第 1–2 页）中没有识别出已知的自评表样式",
        ),
    ],
)
def test_a_pdf_that_cannot_be_read_names_file_and_page(tmp_path, capsys, name, make, says):
    form = write(tmp_path / name, make())
    code, out, err, out_dir = run_import(capsys, tmp_path, form)
    assert code == 1
    assert err.startswith("导入失败：") and says in err, err
    assert not out_dir.exists() and out == ""


def test_scanned_pages_are_named_and_nothing_is_written(tmp_path, capsys):
    text = write(tmp_path / "文字.pdf", pdf_sources.minimal_pdf(texts=("Page one", "Page two")))
    scan = pdf_sources.image_only(text, tmp_path / "扫描件.pdf")
    code, _out, err, out_dir = run_import(capsys, tmp_path, scan)
    assert code == 1 and not out_dir.exists()
    assert "扫描件.pdf 的第 1、2 页没有文字层（是扫描或拍照得到的图像）" in err
    assert "本工具不做文字识别（OCR）" in err


def test_a_scanned_report_is_refused_with_its_pages(tmp_path):
    from generator.cli.import_form import _read_report
    from generator.office.importer import ImportFailure

    text = write(tmp_path / "r.pdf", pdf_sources.minimal_pdf(texts=("One", "Two")))
    report = pdf_sources.image_only(text, tmp_path / "报告.pdf", pages=[2])
    _markdown, notes = _read_report(str(report))  # page 1 has text: read, page 2 named
    assert notes == ["报告的第 2 页没有文字层（扫描图像），这些页的内容未导入，请对照原件补录。"]
    with pytest.raises(ImportFailure, match="报告.pdf 的第 1、2 页没有文字层.*其中的文字无法读取"):
        _read_report(str(pdf_sources.image_only(text, tmp_path / "报告.pdf")))


def test_a_report_that_is_not_pdf_or_word_is_refused(tmp_path, capsys):
    code, _out, err, _ = run_import(capsys, tmp_path, write(tmp_path / "a.pdf", b"x"), tmp_path / "r.txt")
    assert code == 2 and "报告文件" in err and ".pdf" in err


BLOCK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("openpyxl", "docx", "lxml", "jinja2", "mkdocs"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
from generator.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_pdf_import_needs_only_the_pdf_extra(tmp_path):
    """With pypdfium2 and without the [office] and [site] packages, a PDF form and report are read (here a
    PDF without a known form, which is refused for that reason, and a report that becomes Markdown)."""
    import subprocess

    form = write(tmp_path / "表.pdf", pdf_sources.minimal_pdf(texts=("Hello",), ruled=True))
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK, "import", str(form), str(form), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1, proc.stderr
    assert "中没有识别出已知的自评表样式" in proc.stderr and "需要" not in proc.stderr
    code = (
        "from generator.office.pdf_report import pdf_to_markdown; print(pdf_to_markdown(__import__('sys').argv[1])[0])"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            BLOCK.replace("from generator.cli.main import main\nsys.exit(main(sys.argv[1:]))", code),
            str(form),
        ],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0 and proc.stdout.startswith("| Hello |"), proc.stderr


def test_a_missing_pdf_extra_is_named():
    text = missing_part("import", "pypdfium2")
    assert text is not None and "perf-disclosure[pdf]" in text and "用于导入 PDF 的组件" in text
