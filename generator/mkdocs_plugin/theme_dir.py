"""The folder of the tool's Material theme overrides (theme/), for a configuration file to name.

The MkDocs plugin adds the folder itself. Zensical runs no MkDocs plugin, so zensical.yml names it,
`custom_dir: !!python/name:generator.mkdocs_plugin.theme_dir.THEME_DIR`, which YAML resolves to the path below
when Zensical reads the file: the overrides ship with the package and work without the plugin (main.html).
"""

from __future__ import annotations

from pathlib import Path

THEME_DIR = str(Path(__file__).resolve().with_name("theme"))
