"""Where each value of a YAML document sits: the line marks of its nodes (`NodeMap`) and a
readable name for a path into it (`describe_path`), shared by the loader and every check that
reports a problem at a line."""

from __future__ import annotations

from typing import Any

import yaml

PathKey = tuple[str | int, ...]


class NodeMap:
    """Line marks of every value (and every mapping key) in a composed YAML document."""

    def __init__(self, root: yaml.Node | None):
        self.values: dict[PathKey, yaml.Node] = {}
        self.keys: dict[PathKey, yaml.Node] = {}
        self.duplicates: list[tuple[PathKey, yaml.Node]] = []
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: PathKey) -> None:
        self.values[path] = node
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    self.duplicates.append(((*path, key), key_node))
                seen.add(key)
                self.keys[(*path, key)] = key_node
                self._walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                self._walk(child, (*path, index))

    def line_of(self, path: PathKey, *, key: bool = False) -> int | None:
        """The 1-based line of the deepest known node on `path` (its key's line if `key`)."""
        probe = tuple(path)
        while True:
            if key and probe in self.keys:
                return self.keys[probe].start_mark.line + 1
            if probe in self.values:
                return self.values[probe].start_mark.line + 1
            if not probe:
                return None
            probe = probe[:-1]


def describe_path(data: Any, path: PathKey) -> str:
    """A readable path such as `dimensions[capability].items[cap-stock].scale`."""
    parts: list[str] = []
    node = data
    for key in path:
        if isinstance(key, int):
            ident = None
            if isinstance(node, list) and 0 <= key < len(node) and isinstance(node[key], dict):
                ident = node[key].get("id")
            suffix = f"[{ident}]" if ident else f"[{key}]"
            if parts:
                parts[-1] += suffix
            else:
                parts.append(suffix)
        else:
            parts.append(str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "top level"
