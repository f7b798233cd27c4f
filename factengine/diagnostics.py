"""Problems found in the registry or the articles, reported the way a compiler does.

Every check collects :class:`Diagnostic` objects instead of raising on the first
problem, so that one run reports everything: ``path:line: [rule] message``.
"""

from __future__ import annotations

import dataclasses
import logging
import functools
import os
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclasses.dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    rule: str
    message: str
    severity: Severity = Severity.ERROR
    fact: str | None = None
    languages: tuple[str, ...] = ()
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: [{self.rule}] {prefix}{self.message}"

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["severity"] = self.severity.value
        data["languages"] = list(self.languages)
        return data


class FactError(Exception):
    """Raised when work cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=_sort_key)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def _sort_key(d: Diagnostic):
    return (d.path, d.line, d.column or 0, d.rule, d.message)


def sort_diagnostics(diagnostics) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=_sort_key)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the reader of a report wants it: relative to the working directory when it can be."""
    return _display_path(str(path), root, os.getcwd())


def resolved(path) -> Path:
    """``Path(path).resolve()``, worked out once per path and process."""
    return _resolved(str(path))


# Resolving paths is system calls; a check names the same few thousand paths on every run (mkdocs serve).
@functools.lru_cache(maxsize=65536)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


@functools.lru_cache(maxsize=65536)
def _display_path(path: str, root: Path | None, cwd: str) -> str:
    for base in (cwd, root):
        if base is None:
            continue
        base = _resolved(str(base))
        # The path as named (a symbolic link is not followed), then as resolved (only if need be:
        # resolving is a system call per part of the path, for each of a thousand pages).
        try:
            return Path(os.path.abspath(path)).relative_to(base).as_posix()
        except ValueError:
            pass
        try:
            return _resolved(path).relative_to(base).as_posix()
        except ValueError:
            continue
    return Path(path).as_posix()


def errors(diagnostics) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def advisory_logger(name: str) -> logging.Logger:
    """A logger for warnings that are shown but must not fail a strict build.

    MkDocs' ``--strict`` counts every warning logged under the "mkdocs" logger; this one
    lives outside that tree and prints with MkDocs' own prefix.
    """
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger
