"""YAML that remembers where every value came from.

PyYAML's composer gives every node a start mark; we build plain Python data from
the node tree ourselves and keep a map from each value's path (``("facts",
"phone.x", "number")``) to its line, so that schema errors can be reported at
the line of the offending value. Two things PyYAML's safe loader does that a
registry must not: it silently keeps the last of two duplicate keys (we report
them), and it turns ``2023-13-40`` into a constructor exception (we keep dates
as strings; the schema parses them and reports bad ones with a line).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, FactError, display_path


# libyaml's parser when PyYAML was built with it (ten times faster); marks are the same.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# Dates stay strings: the schema parses them, so a bad date gets a line number.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple  # a path into the data: keys and list indexes


@dataclasses.dataclass
class LocatedData:
    data: Any
    path: Path
    lines: dict[tuple, tuple[int, int]]  # data path -> (line, column), 1-based

    def line_of(self, loc: tuple) -> int:
        """The line of the deepest known value along ``loc`` (a schema error location)."""
        best = self.lines.get((), (1, 1))
        prefix: tuple = ()
        for part in loc:
            candidate = prefix + (part,)
            if candidate in self.lines:
                prefix = candidate
                best = self.lines[candidate]
            # parts that are not in the data (pydantic's union tags) are skipped
        return best[0]


def load_yaml(path: Path, rule: str = "yaml") -> LocatedData:
    shown = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FactError([Diagnostic(shown, 1, rule, f"cannot read the file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FactError([Diagnostic(shown, line, "encoding", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})")]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise FactError(
            [Diagnostic(shown, mark.line + 1, rule, f"malformed YAML: {message}", column=mark.column + 1)]
        ) from None
    finally:
        loader.dispose()
    lines: dict[tuple, tuple[int, int]] = {}
    problems: list[Diagnostic] = []
    data = _build(node, (), lines, problems, shown, loader) if node is not None else None
    if problems:
        raise FactError(problems)
    return LocatedData(data, Path(path), lines)


def _build(node, where: tuple, lines, problems, shown, loader):
    lines[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                problems.append(
                    Diagnostic(
                        shown,
                        key_node.start_mark.line + 1,
                        "duplicate-id" if where in (("facts",), ("sources",)) else "duplicate-key",
                        f"'{key}' is defined twice (first at line {first_seen[key]})",
                        fact=str(key) if where == ("facts",) else None,
                    )
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = _build(value_node, where + (key,), lines, problems, shown, loader)
            lines[where + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, where + (i,), lines, problems, shown, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
