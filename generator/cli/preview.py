"""`python -m generator preview`: the site on this computer, refreshed within a second of a save.

It is `mkdocs serve --dirty`: after an edit MkDocs rebuilds only the pages whose source changed (the
plugin rewrites a generated page's file only when its content changes, and starts over from an
empty folder when mkdocs.yml, content/ or the theme change, since those can touch every page).
Plain `mkdocs serve` works too but renders every page again on each save: seconds at 1,000 records.
"""

from __future__ import annotations

import os
import sys


def register(sub) -> None:
    p = sub.add_parser("preview", help="在本机预览网站，保存记录后约 1 秒内自动刷新（即 mkdocs serve --dirty）")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="预览地址和端口（默认 127.0.0.1:8000）")
    p.add_argument("--open", action="store_true", help="启动后在浏览器中打开")
    p.set_defaults(handler=run)


def run(args) -> int:
    if not os.path.isfile(args.config_file):
        sys.stderr.write(
            f"找不到配置文件 {args.config_file}：请在网站仓库的根目录运行，或用 -f 指定 mkdocs.yml 的位置。\n"
        )
        return 2
    from mkdocs.__main__ import cli

    from generator.mkdocs_plugin import internals

    # MkDocs warns on every --dirty rebuild that navigation may be stale; the plugin starts over whenever
    # it could be (ServeSession.start_over_if_layout_changed), so the warning would only alarm editors.
    internals.hide_dirty_build_warning()
    argv = ["serve", "--dirty", "-f", args.config_file, "-a", args.dev_addr] + (["--open"] if args.open else [])
    sys.stdout.write(f"正在生成预览，完成后请在浏览器中打开 http://{args.dev_addr}/ ；按 Ctrl+C 结束。\n")
    sys.stdout.flush()
    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # click reports its own usage errors; anything else gets one Chinese line
        sys.stderr.write(f"预览未能启动：{exc}\n")
        return 1
    return 0
