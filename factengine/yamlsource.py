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

# A registry is a few levels deep; anything far deeper is a mistake or an attack.
MAX_DEPTH = 32


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
    return parse_yaml(decode_utf8(raw, shown), shown, rule=rule, path=Path(path))


def decode_utf8(raw: bytes, shown: str, languages: tuple[str, ...] = ()) -> str:
    """The text of a source file: UTF-8, with or without a byte-order mark, line ends made "\\n".

    Anything else (Shift_JIS, Latin-1, UTF-16) is an ``encoding`` error at the line of the
    first byte that is not UTF-8: guessing an encoding would publish mojibake.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FactError([Diagnostic(shown, 1, "encoding", "the file is UTF-16: save it as UTF-8", languages=languages)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FactError(
            [
                Diagnostic(
                    shown,
                    line,
                    "encoding",
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8 "
                    f"(Shift_JIS and Latin-1 are not read)",
                    languages=languages,
                )
            ]
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def parse_yaml(
    text: str,
    shown: str,
    *,
    rule: str = "yaml",
    first_line: int = 1,
    path: Path | None = None,
    languages: tuple[str, ...] = (),
) -> LocatedData:
    """YAML text whose first line is line ``first_line`` of ``shown``, with every value's line kept.

    Anchors and aliases (``&x``, ``*x``, ``<<: *x``) are refused: a registry has no use for
    them, and expanding them is how a few lines of YAML ask for gigabytes (an alias bomb).
    """
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise FactError(
            [
                Diagnostic(
                    shown,
                    mark.line + 1 + offset,
                    rule,
                    f"malformed YAML: {message}",
                    column=mark.column + 1,
                    languages=languages,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:  # e.g. a character YAML does not allow, reported without a mark
        raise FactError([Diagnostic(shown, first_line, rule, f"malformed YAML: {exc}", languages=languages)]) from None
    finally:
        loader.dispose()
    lines: dict[tuple, tuple[int, int]] = {}
    problems: list[Diagnostic] = []
    builder = _Builder(lines, problems, shown, loader, rule, offset, languages)
    data = builder.build(node, (), 0) if node is not None else None
    if problems:
        raise FactError(problems)
    return LocatedData(data, path or Path(shown), lines)


class _Builder:
    """Plain data from PyYAML's node tree, each value's line kept, aliases and excess depth refused."""

    def __init__(self, lines, problems, shown, loader, rule, offset, languages):
        self.lines, self.problems, self.shown, self.loader = lines, problems, shown, loader
        self.rule, self.offset, self.languages = rule, offset, languages
        self.seen: set[int] = set()

    def _problem(self, node, rule: str, message: str, **extra) -> None:
        self.problems.append(
            Diagnostic(
                self.shown, node.start_mark.line + 1 + self.offset, rule, message, languages=self.languages, **extra
            )
        )

    def build(self, node, where: tuple, depth: int):
        line = node.start_mark.line + 1 + self.offset
        self.lines[where] = (line, node.start_mark.column + 1)
        if id(node) in self.seen:  # the composer hands an alias over as the anchored node itself
            self._problem(
                node,
                self.rule,
                "anchors and aliases (&name, *name, <<:) are not allowed: write each value where it is used",
            )
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._problem(node, self.rule, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            first_seen: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(key_node, self.rule, "a key must be a plain value, not a list or a mapping")
                    continue
                key = self.loader.construct_object(key_node, deep=True)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(
                        key_node,
                        self.rule,
                        "anchors and aliases (&name, *name, <<:) are not allowed: write each value where it is used",
                    )
                    continue
                if key in result:
                    self.problems.append(
                        Diagnostic(
                            self.shown,
                            key_node.start_mark.line + 1 + self.offset,
                            "duplicate-id" if where in (("facts",), ("sources",)) else "duplicate-key",
                            f"'{key}' is defined twice (first at line {first_seen[key]})",
                            fact=str(key) if where == ("facts",) else None,
                            languages=self.languages,
                        )
                    )
                    continue
                first_seen[key] = key_node.start_mark.line + 1 + self.offset
                result[key] = self.build(value_node, where + (key,), depth + 1)
                self.lines[where + (key,)] = (
                    key_node.start_mark.line + 1 + self.offset,
                    key_node.start_mark.column + 1,
                )
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, where + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)
