"""The site folder of `mkdocs build` / `gh-deploy`: guarded, locked, and replaced only by a finished build.

Engine-neutral parts live in publish/ (guard.py, swap.py); this turns their errors into MkDocs errors and
keeps the state a build needs from on_config to on_post_build.
"""

from __future__ import annotations

import logging
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.publish.guard import check_site_output, within
from generator.publish.swap import OutputError, OutputLock, StagedOutput, write_marker

log = logging.getLogger("mkdocs.plugins.disclosure")


def refuse_records_in_docs(records_dir: str, docs_dir: str) -> None:
    """MkDocs copies every file under docs_dir into the site: drafts, embargoed records and raw TOML would follow."""
    if within(os.path.realpath(records_dir), os.path.realpath(docs_dir)):
        raise PluginError(
            f"记录目录 {records_dir}（plugins → disclosure → records_dir）位于页面目录 {docs_dir}"
            "（docs_dir）之内，其中的草稿、未到公开日期的记录和原始文件都会被原样复制到网站中。"
            "请把记录目录移到 docs_dir 之外（如与 mkdocs.yml 同级的 projects/），或改正这两项设置。"
        )


class SiteOutput:
    """site_dir for one build: built in a staging folder and swapped in (atomic), or built in place under a lock."""

    def __init__(self, config: MkDocsConfig, records_dir: str, config_dir: str, atomic: bool) -> None:
        self.staged: StagedOutput | None = None
        self.lock: OutputLock | None = None
        try:
            check_site_output(config.site_dir, config.docs_dir, records_dir, config_dir)
            if atomic:
                self.staged = StagedOutput(config.site_dir)
                config.site_dir = self.staged.path
            else:
                self.lock = OutputLock(os.path.realpath(config.site_dir))
                self.lock.acquire()
        except OutputError as exc:
            raise PluginError(str(exc)) from None

    def finish(self, config: MkDocsConfig, publish: bool, why: str) -> None:
        """Put the build in place when `publish`, else keep the previous site and say `why`."""
        if self.lock is not None:  # not atomic: the site was built in place
            write_marker(config.site_dir)
            self.lock.release()
            self.lock = None
        if self.staged is None:
            return
        staged, self.staged = self.staged, None
        config.site_dir = staged.final
        if not publish:
            staged.abort()
            log.error(f"构建未完成：{why}，已保留原有的 {staged.final}，未发布任何新内容。")
            return
        try:
            staged.commit()
        except OutputError as exc:
            raise PluginError(str(exc)) from None
        if staged.notice:
            log.info(staged.notice)

    def fail(self) -> None:
        """The build stopped with an error: release the folder, keep the previous site."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if self.staged is not None:
            self.staged.abort()
            log.error(f"构建失败：已保留原有的 {self.staged.final}。")
            self.staged = None
