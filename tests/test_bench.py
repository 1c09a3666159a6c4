"""The site benchmark (python -m generator.bench --site) at a small size: it builds, and its table is sane."""

from __future__ import annotations

import re

from generator.bench.cli import main
from generator.bench.fixtures import ROOT
from generator.bench.serve import COMMANDS
from generator.bench.site import PD_SEARCH_JS, SITE_TARGET_FIRST_SEARCH_KB, site_first_search
from generator.bench.tables import SITE_COLUMNS


def _rows(text: str, header: list[str]) -> list[dict[str, str]]:
    """The rows of the Markdown table in text whose header row is `header`."""
    lines = text.splitlines()
    head = "| " + " | ".join(header) + " |"
    assert head in lines, f"no table with columns {header}:\n{text}"
    rows = []
    for line in lines[lines.index(head) + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (c.strip() for c in line.strip("|").split("|")))))
    return rows


def test_site_benchmark_20(tmp_path, capsys):
    out = tmp_path / "bench.md"
    assert main(["--site", "--records", "20", "--timeout", "300", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text == capsys.readouterr().out

    validate = _rows(text, ["measurement", "records", "total s", "ms / record", "CPU s", "peak MB", "diagnostics"])
    assert [(r["measurement"], r["records"]) for r in validate] == [("validate", "20")]

    rows = {r["kind"]: r for r in _rows(text, SITE_COLUMNS)}
    assert SITE_COLUMNS == ["kind", "N", "wall s", "peak MB", "site MB", "first-search KB", "ms / project", "CPU s"]
    assert set(rows) == {"site", "bare-material"}, text
    for kind, r in rows.items():
        assert r["N"] == "20"
        assert "FAILED" not in r["wall s"], f"{kind} build failed:\n{text}"
        wall, peak, size, first, per, cpu = (float(r[c]) for c in SITE_COLUMNS[2:])
        assert 0 < wall < 300, (kind, wall)
        assert 20 < peak < 2048, (kind, peak)  # a Python process running MkDocs, well below the 1 GiB target
        assert 0.1 < size < 200, (kind, size)
        # wall is printed to 0.1 s, ms / project from the exact time: they agree within that rounding
        assert abs(per - wall * 1000 / 20) <= 0.05 * 1000 / 20 + 0.1, (kind, per, wall)
        assert 0 < cpu < 600, (kind, cpu)
        assert first > 1, (kind, first)
    assert PD_SEARCH_JS == ROOT / "generator" / "mkdocs_plugin" / "theme" / "assets" / "pd-search.js"
    pd_search_kb = PD_SEARCH_JS.stat().st_size / 1024
    # The site's first search: pd-search.js plus a manifest, a few term shards and one documents file.
    assert pd_search_kb < float(rows["site"]["first-search KB"]) < SITE_TARGET_FIRST_SEARCH_KB
    # Material's: the whole index plus its worker (40 KB) — larger than the site's even at 20 pages.
    assert float(rows["bare-material"]["first-search KB"]) > 40

    assert "site targets: 10,000 projects in ≤ 90 s and ≤ 1024 MB; first search ≤ 300 KB" in text
    assert re.search(r"- first search: worst [\d.]+ KB \(N = 20, query (预算执行率|满意度)\) — met", text), text


def test_site_first_search_reads_few_files(tmp_path):
    """The first-search count reads the files query_files names from a built index, lazily: the manifest, the query's
    term shards and the pages of the first results (those shown and those looked ahead at for the phrase)."""
    from generator.publish.search_index import build_files
    from generator.publish.search_query import LOOKAHEAD, SHOWN
    from generator.render.search_text import TEXT, TITLE, SearchDoc

    docs = [
        SearchDoc(
            url=f"p/{i}/", title=f"项目{i}", summary="", fields=((TITLE, f"项目{i}"), (TEXT, "预算执行率 满意度 指标"))
        )
        for i in range(200)
    ]
    files, _ = build_files(docs)
    site = tmp_path / "site"
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    (site / "assets").mkdir()
    (site / "assets" / "pd-search.js").write_bytes(b"x" * 1000)
    first = site_first_search(site)
    assert first["files"][:2] == ["assets/pd-search.js", "search/manifest.json"]
    pages = [f for f in first["files"] if f.startswith("search/p/")]
    assert first["results"] and len(pages) == SHOWN + LOOKAHEAD
    assert len([f for f in first["files"] if f.startswith("search/t/")]) <= 4  # 预算 算执 执行 行率
    assert first["bytes"] == sum((site / rel).stat().st_size for rel in first["files"])


def test_search_index_benchmark(capsys):
    """--search-index N builds the index alone over N synthetic projects and prints its first-search bytes."""
    assert main(["--search-index", "300"]) == 0
    text = capsys.readouterr().out
    rows = _rows(
        text, ["search index", "N", "build s", "index MB", "files", "first-search KB", "query", "files fetched"]
    )
    assert [r["N"] for r in rows] == ["300"], text
    assert 0 < float(rows[0]["first-search KB"]) < 300 and int(rows[0]["files fetched"]) >= 1 + 1 + 1 + 20
    assert re.search(r"- first search at 300 \(index only\): [\d.]+ KB, target ≤ 300 KB — met", text), text


def test_preview_benchmark_20(tmp_path, capsys):
    """--serve starts the preview and plain mkdocs serve on 20 records and times four edits in each."""
    out = tmp_path / "bench.md"
    assert main(["--serve", "--records", "20", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    rows = _rows(text, ["preview", "records", "first page s", "reload median s", "reload worst s", "edits"])
    assert [r["preview"] for r in rows] == list(COMMANDS), text
    for r in rows:
        assert r["records"] == "20" and "FAILED" not in r["first page s"], text
        edits = re.findall(r"(narrative|toml) ([\d.]+|never)", r["edits"])
        assert [what for what, _ in edits] == ["narrative", "toml", "narrative", "toml"], r["edits"]
        assert all(t != "never" for _, t in edits), f"an edit never showed:\n{text}"
        assert float(r["reload worst s"]) == max(float(t) for _, t in edits)
    assert "preview target: an edited record shows within 1 s on 1,000 records" in text
