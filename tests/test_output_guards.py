"""`generate --out` replaces only a folder it may: a new one, an empty one or one it made before (the
marker file). A repository, the records, the MkDocs pages or a folder that holds them are refused
with exit 2 and nothing touched; one build at a time writes an output."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.publish import swap
from generator.publish.guard import check_generate_output, check_site_output
from generator.publish.swap import MARKER, OutputError, OutputLock

ROOT = Path(__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under root (folders as None), with the bytes of each file."""
    return {p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))}


@pytest.fixture
def repo(tmp_path) -> Path:
    """A checkout as an editor has it: .git, projects/, content/, mkdocs.yml (docs_dir: content)."""
    root = tmp_path / "checkout"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    shutil.copytree(ROOT / "projects", root / "projects")
    (root / "content" / "guide").mkdir(parents=True)
    (root / "content" / "guide" / "index.md").write_text("# 编辑指南\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: content\nsite_dir: site\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "out, reason",
    [
        (".", "其中有 .git"),
        ("content", "MkDocs 的页面目录 docs_dir"),
        ("content/guide", "MkDocs 的页面目录 docs_dir"),
        ("projects", "它是记录目录"),
        ("projects/2023", "位于记录目录"),
        ("..", "记录目录"),
    ],
)
def test_generate_refuses_the_checkout_and_what_is_in_it(repo, run_cli, out, reason):
    before = snapshot(repo.parent)
    proc = run_cli("generate", "--out", out, "projects", cwd=repo)
    assert proc.returncode == 2, proc.stderr
    assert f"不能把 {out} 作为输出目录" in proc.stderr and reason in proc.stderr and "未做任何改动" in proc.stderr
    assert "--out" in proc.stderr  # what to do
    assert "Traceback" not in proc.stderr
    assert snapshot(repo.parent) == before  # nothing touched, no lock or staging folder beside


def test_generate_refuses_the_current_folder_and_a_config_folder_without_git(repo, run_cli, tmp_path):
    shutil.rmtree(repo / ".git")
    records = shutil.move(repo / "projects", tmp_path / "records")  # elsewhere: not the reason for a refusal
    (repo / "notes").mkdir()
    before = snapshot(tmp_path)
    for out in (".", ".."):
        proc = run_cli("generate", "--out", out, records, cwd=repo / "notes")
        assert proc.returncode == 2 and "它是当前目录或当前目录的上级目录" in proc.stderr
    proc = run_cli("generate", "--out", repo, records, cwd=tmp_path)
    assert proc.returncode == 2 and "其中有 MkDocs 配置文件 mkdocs.yml" in proc.stderr
    assert snapshot(tmp_path) == before


def test_generate_refuses_a_non_empty_folder_it_did_not_make(repo, run_cli):
    (repo / "notes").mkdir()
    (repo / "notes" / "todo.md").write_text("保留", encoding="utf-8")
    proc = run_cli("generate", "--out", "notes", "projects", cwd=repo)
    assert proc.returncode == 2
    assert f"不是本工具生成的（其中没有标记文件 {MARKER}）" in proc.stderr
    assert snapshot(repo / "notes") == {"todo.md": "保留".encode()}
    proc = run_cli("generate", "--out", "mkdocs.yml", "projects", cwd=repo)
    assert proc.returncode == 2 and "是一个文件，不是目录" in proc.stderr


def test_generate_writes_into_a_new_an_empty_or_its_own_folder(repo, run_cli):
    proc = run_cli("generate", "--out", "out/new", "projects", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    made = snapshot(repo / "out" / "new")
    assert MARKER in made and "index.md" in made and "projects/index.md" in made
    (repo / "empty").mkdir()
    assert run_cli("generate", "--out", "empty", "projects", cwd=repo).returncode == 0
    assert snapshot(repo / "empty") == made
    (repo / "out" / "new" / "stale.md").write_text("上次留下", encoding="utf-8")  # its own folder: replaced whole
    assert run_cli("generate", "--out", "out/new", "projects", cwd=repo).returncode == 0
    assert snapshot(repo / "out" / "new") == made
    assert sorted(os.listdir(repo / "out")) == ["new"]  # no old copy, staging folder or lock left


def test_a_second_build_into_the_same_output_waits_then_stops(repo, run_cli):
    assert run_cli("generate", "--out", "site-md", "projects", cwd=repo).returncode == 0
    before = snapshot(repo / "site-md")
    lock = OutputLock(str(repo / "site-md"))
    lock.acquire()  # another build is writing site-md
    try:
        start = time.monotonic()
        proc = run_cli("generate", "--out", "site-md", "--wait", "1", "projects", cwd=repo)
        assert time.monotonic() - start >= 1
    finally:
        lock.release()
    assert proc.returncode == 2
    assert "另一次构建正在写入" in proc.stderr and "等待 1 秒后仍未结束" in proc.stderr and "锁文件" in proc.stderr
    assert snapshot(repo / "site-md") == before
    assert run_cli("generate", "--out", "site-md", "--wait", "1", "projects", cwd=repo).returncode == 0


def test_concurrent_builds_into_one_output_publish_the_whole_site(repo, run_cli):
    assert run_cli("generate", "--out", "reference", "projects", cwd=repo).returncode == 0
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "generator", "generate", "--out", "site-md", "--wait", "120", "projects"]
    procs = [subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err.decode()
    assert snapshot(repo / "site-md") == snapshot(repo / "reference")  # complete, whichever finished last
    assert not [name for name in os.listdir(repo) if "site-md" in name and name != "site-md"]


def test_a_read_only_output_is_a_chinese_error_without_traceback(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    assert main(["generate", "--out", "site-md", "projects"]) == 0
    before = snapshot(repo / "site-md")

    def exchange(a, b):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), b)

    monkeypatch.setattr(swap, "exchange", exchange)
    capsys.readouterr()
    assert main(["generate", "--out", "site-md", "projects"]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "只读" in err and "原有的输出未做改动" in err
    assert "工具内部错误" not in err and "Traceback" not in err
    assert snapshot(repo / "site-md") == before
    assert sorted(n for n in os.listdir(repo) if "site-md" in n) == ["site-md"]


def test_a_mount_point_output_is_updated_in_place_with_a_message(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    assert main(["generate", "--out", "site-md", "projects"]) == 0
    made = snapshot(repo / "site-md")
    (repo / "site-md" / "stale.md").write_text("x", encoding="utf-8")
    inode = (repo / "site-md").stat().st_ino

    def exchange(a, b):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), b)

    monkeypatch.setattr(swap, "exchange", exchange)
    capsys.readouterr()
    assert main(["generate", "--out", "site-md", "projects"]) == 0
    assert "已改为在原目录中逐个更新文件" in capsys.readouterr().out
    assert (repo / "site-md").stat().st_ino == inode and snapshot(repo / "site-md") == made


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_parent_folder(repo, run_cli):
    (repo / "ro").mkdir()
    assert run_cli("generate", "--out", "ro/site", "projects", cwd=repo).returncode == 0
    before = snapshot(repo / "ro")
    (repo / "ro").chmod(0o555)
    try:
        proc = run_cli("generate", "--out", "ro/site", "projects", cwd=repo)
    finally:
        (repo / "ro").chmod(0o755)
    assert proc.returncode == 2 and "无法写入" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(repo / "ro") == before


def test_site_dir_guard(repo):
    """MkDocs' site_dir: the same refusals; a site MkDocs built before the marker existed may be replaced."""
    args = {"docs_dir": str(repo / "content"), "records_dir": str(repo / "projects"), "config_dir": str(repo)}
    for bad, reason in [
        (repo / "content", "docs_dir"),
        (repo / "projects", "记录目录"),
        (repo, "mkdocs.yml 所在的目录"),
        (repo / "projects" / "site", "位于记录目录"),
    ]:
        with pytest.raises(OutputError, match=reason):
            check_site_output(str(bad), cwd=str(repo.parent), **args)
    site = repo / "site"
    site.mkdir()
    (site / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="不像以前构建的网站"):
        check_site_output(str(site), cwd=str(repo), **args)
    (site / "index.html").write_text("<html>", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    check_site_output(str(site), cwd=str(repo), **args)  # a previous MkDocs build
    (site / "index.html").unlink()
    (site / MARKER).write_text("", encoding="utf-8")
    check_site_output(str(site), cwd=str(repo), **args)  # a previous build of this tool


def test_generate_guard_reads_docs_dir_from_any_enclosing_config(repo, tmp_path):
    """The pages folder is refused from anywhere, not only from the checkout's root."""
    with pytest.raises(OutputError, match="docs_dir"):
        check_generate_output(str(repo / "content" / "new"), str(repo / "projects"), cwd=str(tmp_path))
    check_generate_output(str(repo / "site-md"), str(repo / "projects"), cwd=str(tmp_path))
