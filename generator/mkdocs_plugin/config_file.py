"""mkdocs.yml read as text: the line a setting of the disclosure plugin is on, and the settings site-check needs.

MkDocs reports configuration errors without lines; an editor fixing a 网站标识码 needs the line. The file is
composed with PyYAML (nodes carry their lines; tags such as !ENV or !!python/name are not evaluated), following
INHERIT to the parent file as MkDocs does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

PLUGIN = "disclosure"


class _Loader(yaml.SafeLoader):
    """Reads any tag as plain data: site-check only needs strings and mappings."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("", _any_tag)
_Loader.add_multi_constructor("!", _any_tag)


@dataclass(frozen=True)
class Place:
    file: str  # as given (the path of mkdocs.yml or of the file it inherits from)
    line: int  # 1-based

    def shown(self) -> str:
        """The file as an editor would type it: relative to the working directory when below it."""
        rel = os.path.relpath(self.file)
        return self.file if rel.startswith("..") else rel


def _compose(path: str) -> yaml.Node | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.compose(fh, Loader=_Loader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _get(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of `key` in a mapping node."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def _plugin_options(root: yaml.Node | None) -> tuple[yaml.Node, yaml.Node] | None:
    """The disclosure plugin's entry under `plugins:` (list or mapping form)."""
    found = _get(root, "plugins")
    if found is None:
        return None
    plugins = found[1]
    if isinstance(plugins, yaml.SequenceNode):
        for item in plugins.value:
            entry = _get(item, PLUGIN)
            if entry is not None:
                return entry
            if isinstance(item, yaml.ScalarNode) and item.value == PLUGIN:
                return item, item
        return None
    return _get(plugins, PLUGIN)


def _parent(path: str, root: yaml.Node | None) -> str | None:
    found = _get(root, "INHERIT")
    if found is None or not isinstance(found[1], yaml.ScalarNode):
        return None
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), found[1].value))


def _chain(path: str) -> list[tuple[str, yaml.Node | None]]:
    """The file and the files it inherits from, child first."""
    out: list[tuple[str, yaml.Node | None]] = []
    seen: set[str] = set()
    current: str | None = path
    while current and os.path.abspath(current) not in seen:
        seen.add(os.path.abspath(current))
        root = _compose(current)
        out.append((current, root))
        current = _parent(current, root)
    return out


def option_place(config_path: str, keys: tuple[str, ...]) -> Place:
    """Where plugins → disclosure → keys… is written, as MkDocs merges INHERIT: a child's `plugins` mapping is merged
    with its parent's, a child's `plugins` list replaces it. The deepest of `keys` found; line 1 of mkdocs.yml when
    the plugin is not configured in any file."""
    best: Place | None = None
    best_depth = -1
    for path, root in _chain(config_path):
        plugins = _get(root, "plugins")
        entry = _plugin_options(root)
        if entry is not None:
            depth, place, node = 0, entry[0], entry[1]
            for key in keys:
                found = _get(node, key)
                if found is None:
                    break
                depth += 1
                place, node = found[0], found[1]
            if depth > best_depth:
                best, best_depth = Place(path, place.start_mark.line + 1), depth
        if best_depth == len(keys) or (plugins is not None and isinstance(plugins[1], yaml.SequenceNode)):
            break  # found, or a list of plugins: the files it inherits from do not count
    return best or Place(config_path, 1)


def _merge(parent: Any, child: Any) -> Any:
    """MkDocs' INHERIT merge (mergedeep's default): mappings merged key by key, anything else (a list of plugins
    too) replaced by the child's."""
    if isinstance(parent, dict) and isinstance(child, dict):
        merged = dict(parent)
        for key, value in child.items():
            merged[key] = _merge(parent[key], value) if key in parent else value
        return merged
    return child


def _plugins_as_mapping(config: dict) -> dict:
    plugins = config.get("plugins")
    if isinstance(plugins, list):  # MkDocs merges the plugin lists as mappings by name
        mapping: dict[str, Any] = {}
        for item in plugins:
            if isinstance(item, dict):
                mapping.update(item)
            elif isinstance(item, str):
                mapping[item] = {}
        config = {**config, "plugins": mapping}
    return config


def read_config(config_path: str) -> dict | None:
    """The configuration as MkDocs would merge it (values as written, tags not evaluated); None when unreadable."""
    merged: dict | None = None
    for path, _ in reversed(_chain(config_path)):
        try:
            with open(path, encoding="utf-8") as fh:
                data = yaml.load(fh, Loader=_Loader)
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        data.pop("INHERIT", None)
        merged = data if merged is None else _merge(merged, data)
    return _plugins_as_mapping(merged) if merged is not None else None


def portal_options(config: dict) -> Any:
    """plugins → disclosure → portal of a read configuration (None when absent)."""
    plugins = config.get("plugins")
    options = plugins.get(PLUGIN) if isinstance(plugins, dict) else None
    return options.get("portal") if isinstance(options, dict) else None
