"""Benchmark: load + validate + score N synthetic records shaped like the seeds; with --site, build the site.

    python -m generator.bench [--records 1000,10000] [--site] [--no-bare] [--serve] [--search-index N,…] [--out FILE]
                              [--keep] [--profile]

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
search_query.query_files names — manifest, term shards and the pages of the first results — for the worse of two
common queries; bare Material: search_index.json
plus the search worker and the lunr language scripts it imports for zh). A failed build prints its log
tail and shows as failed in the table.

With --search-index N,…, the site's search index alone over N synthetic projects (search.py: the same fields as a
project page's, written as a build writes them) and its first-search bytes, for N too large to build the whole site
(100,000; targets: ≤ 300 KB at 10,000, ≤ 500 KB at 100,000). Given alone, it runs no validate measurement.

With --serve, for each N also the preview: `python -m generator preview` (the editors' command, mkdocs
serve --dirty) and plain `mkdocs serve` are started on the N records, one record is edited twice in its
narrative and twice in its TOML, and the seconds until the edit shows are printed (target ≤ 1 s at
1,000 records for the preview).

Modules, one job each:

- synthetic: the synthetic records and plain pages (public: the tests use them too);
- fixtures: what the tests share with the benchmark to run the site (build environment, free port,
  HTTP get, in-place record edits, waiting until an edit shows in a preview) — public, no pytest;
- children: a measurement in a fresh, CPU-pinned interpreter, and the memory/CPU figures of processes;
- validate, site, bare, serve, search: the measurements (validate; the site build; the bare-Material baseline;
  the preview), with mkdocs_build the measured `mkdocs build` that site and bare share;
- row: the measured Row; tables: the printed tables and verdicts; cli: the options and the run.

The measurements are plain functions registered in cli.MEASUREMENTS; another measurement adds a function
with the same signature, a cli.CHILDREN entry if it runs in a fresh process, and a command-line flag.
"""
