"""The files a site needs once every page is known: site-wide data files, the open-data files (API index files,
feeds, data package) and the search index."""

from __future__ import annotations

from generator.render.search_text import SearchDoc

from .search_index import write_index
from .site_index import SiteIndex
from .swap import open_in


def write_site_files(index: SiteIndex, site_dir: str, page_docs: list[SearchDoc], search: bool = True) -> str:
    """data/…, api/v1/… and (unless `search` is off) search/… into site_dir; `page_docs` are the searchable pages
    that are not projects (hand-written and guide pages). Returns a line for the log."""
    index.write_data_files(lambda rel_path: open_in(site_dir, rel_path))
    if not search:
        return "已写出数据文件。"
    return write_index(site_dir, index.search_index_docs() + page_docs, index.search_entry)[1]
