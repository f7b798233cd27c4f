"""Phrase catalogues: the words of the engine, the book and the site, in every language.

Every catalogue is a YAML file of ``key -> language -> text``::

    retired:
      en: "(retired: do not call)"
      fr: "(hors service : n’appelez pas ce numéro)"
    unit.day:
      en: {one: "{n} day", other: "{n} days"}      # by CLDR plural category
    as-of:
      en: {day: "reported on {date}", month: "reported in {date}", year: "reported in {date}"}  # by date precision
    range-words:
      en: [to]                                      # words the literal finder looks for

A text is a string, a list of strings, or a mapping of names to texts (plural categories,
date precisions, currency codes). Each key keeps its line, so that what is wrong or missing
is reported as ``path:line: [catalogue] message`` like every other problem; a file that is
not YAML is a ``[yaml]`` problem at its line.

The project's catalogues are the ``messages.yaml`` of the packages in :data:`PACKAGES`; the
check (:func:`factengine.checks.check`) reports every key that lacks a text in a language of
the registry's ``site.languages``, in all of them at once, before anything is rendered or printed.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import importlib.util
import string
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, FactError, display_path
from .yamlsource import decode_utf8, parse_yaml

RULE = "catalogue"
FILE = "messages.yaml"
# The packages whose messages.yaml is a phrase catalogue: the engine's phrases (render.py, literals.py),
# the printed book's (printbook/messages.py), the site's 404 pages and palette names (sitemeta/notfound.py).
PACKAGES = ("factengine", "printbook", "sitemeta")

PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
PRECISIONS = frozenset({"day", "month", "year", "undated"})
_REQUIRED_PRECISIONS = frozenset({"day", "month", "year"})


@dataclasses.dataclass(frozen=True)
class Catalogue:
    path: Path
    shown: str  # the file as reports name it
    entries: dict[str, dict[str, Any]]  # key -> language -> text
    lines: dict[tuple, int]  # (key,) and (key, language) -> line

    # -- reading --------------------------------------------------------------------------------
    def text(self, key: str, language: str):
        """The text of ``key`` in ``language`` as written (a string, a list or a mapping); a key or
        a language the file lacks is a :class:`FactError` naming the file and line."""
        entry = self.entries.get(key)
        if entry is None:
            raise FactError([Diagnostic(self.shown, 1, RULE, f"no key '{key}'")])
        if language not in entry:
            raise FactError([self._missing(key, language)])
        return entry[language]

    def phrases(self, language: str, prefix: str = "") -> dict[str, Any]:
        """Every text in ``language`` (of the keys that start with ``prefix``, the prefix taken off);
        every key that lacks the language is reported at once, in one :class:`FactError`."""
        missing = self.keys_missing(language, prefix)
        if missing:
            raise FactError([self._missing(key, language) for key in missing])
        return {
            key.removeprefix(prefix): entry[language] for key, entry in self.entries.items() if key.startswith(prefix)
        }

    def keys_missing(self, language: str, prefix: str = "") -> list[str]:
        """The keys (starting with ``prefix``) that have no text in ``language``."""
        return [key for key, entry in self.entries.items() if key.startswith(prefix) and language not in entry]

    def line(self, key: str) -> int:
        return self.lines.get((key,), 1)

    def languages(self) -> list[str]:
        """Every language that has a text for some key, in the order of first appearance."""
        seen: dict[str, None] = {}
        for entry in self.entries.values():
            seen.update(dict.fromkeys(entry))
        return list(seen)

    # -- checking -------------------------------------------------------------------------------
    def missing(self, languages) -> list[Diagnostic]:
        """``path:line: [catalogue] no 'de' text for 'retired'`` for every key lacking a language."""
        return [
            self._missing(key, language)
            for key, entry in self.entries.items()
            for language in languages
            if language not in entry
        ]

    def _missing(self, key: str, language: str) -> Diagnostic:
        return Diagnostic(
            self.shown, self.lines.get((key,), 1), RULE, f"no '{language}' text for '{key}'", languages=(language,)
        )

    # -- loading --------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path, root: Path | None = None) -> Catalogue:
        """The catalogue in ``path`` (shown relative to the working directory, else to ``root``).
        Every problem of the file is raised at once, in one :class:`FactError`."""
        path = Path(path)
        try:
            stat = path.stat()
        except OSError as exc:
            raise FactError(
                [Diagnostic(display_path(path, root), 1, RULE, f"cannot read the catalogue: {exc.strerror}")]
            ) from None
        return _load(str(path), str(root) if root else None, stat.st_mtime_ns, stat.st_size)

    @classmethod
    def parse(cls, text: str, shown: str, path: Path | None = None) -> Catalogue:
        located = parse_yaml(text, shown, path=path)
        data = located.data if located.data is not None else {}
        if not isinstance(data, dict):
            raise FactError([Diagnostic(shown, 1, RULE, "a catalogue is a mapping of keys to languages to texts")])
        lines = {loc: located.lines[loc][0] for loc in located.lines if 0 < len(loc) <= 2}
        problems: list[Diagnostic] = []
        entries: dict[str, dict[str, Any]] = {}
        for key, entry in data.items():
            line = lines.get((key,), 1)
            if not isinstance(key, str):
                problems.append(Diagnostic(shown, line, RULE, f"the key {key!r} is not a name: write it in quotes"))
                continue
            if not isinstance(entry, dict) or not entry:
                problems.append(Diagnostic(shown, line, RULE, f"'{key}' must map each language to its text"))
                continue
            for language, text in entry.items():
                problems += _text_problems(shown, lines.get((key, language), line), key, language, text)
            problems += _placeholder_problems(shown, line, key, entry)
            entries[key] = entry
        if problems:
            raise FactError(problems)
        return cls(path or Path(shown), shown, entries, lines)


@functools.lru_cache(maxsize=32)
def _load(path: str, root: str | None, mtime_ns: int, size: int) -> Catalogue:
    """Read once per version of the file: ``mkdocs serve`` sees an edited catalogue."""
    shown = display_path(Path(path), Path(root) if root else None)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FactError([Diagnostic(shown, 1, RULE, f"cannot read the catalogue: {exc.strerror}")]) from None
    return Catalogue.parse(decode_utf8(raw, shown), shown, Path(path))


def _text_problems(shown: str, line: int, key: str, language, text, depth: int = 0) -> list[Diagnostic]:
    """A text is a string, a list of strings, or a mapping of names to texts; a mapping by plural
    category has ``other`` (the category every language has), one by date precision has day,
    month and year."""
    where = f"'{key}' in '{language}'"
    if depth == 0 and (not isinstance(language, str) or not language.isalpha() or not language.islower()):
        return [
            Diagnostic(
                shown,
                line,
                RULE,
                f"'{key}': {language!r} is not a language code (en, ja, fr; "
                f"quote 'no', 'yes', 'on', 'off', which YAML reads as true or false)",
            )
        ]
    if isinstance(text, str):
        try:
            list(string.Formatter().parse(text))
        except ValueError as exc:
            return [
                Diagnostic(shown, line, RULE, f"{where}: not a valid template ({exc}); write a brace as {{{{ or }}}}")
            ]
        return []
    if isinstance(text, list):
        if all(isinstance(word, str) and word for word in text):
            return []
        return [Diagnostic(shown, line, RULE, f"{where}: a list holds words (strings) only")]
    if isinstance(text, dict) and depth < 2:
        problems = []
        names = set(text)
        if names and names <= PLURAL_CATEGORIES | PRECISIONS:
            if names & PRECISIONS and not _REQUIRED_PRECISIONS <= names:
                missing = ", ".join(sorted(_REQUIRED_PRECISIONS - names))
                problems.append(Diagnostic(shown, line, RULE, f"{where}: a text by date precision needs {missing} too"))
            elif not names & PRECISIONS and "other" not in names:
                problems.append(
                    Diagnostic(
                        shown,
                        line,
                        RULE,
                        f"{where}: a text by plural category needs 'other' (the category of every language)",
                    )
                )
        for value in text.values():
            problems += _text_problems(shown, line, key, language, value, depth + 1)
        return problems
    return [
        Diagnostic(
            shown,
            line,
            RULE,
            f"{where}: a text is a string, a list of words, or a mapping "
            f"(by plural category or date precision), not {type(text).__name__}",
        )
    ]


def _placeholder_problems(shown: str, line: int, key: str, entry: dict) -> list[Diagnostic]:
    """Every language fills the same ``{placeholders}``: a translation without ``{amount}`` would
    drop the amount, one with a placeholder of its own would fail at rendering."""
    fields = {language: _fields(text) for language, text in entry.items()}
    if len({frozenset(f) for f in fields.values() if f is not None}) <= 1:
        return []
    first = next(language for language, f in fields.items() if f is not None)
    problems = []
    for language, found in fields.items():
        if found is not None and found != fields[first]:
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    RULE,
                    f"'{key}' in '{language}' has placeholders "
                    f"{_shown_fields(found)} where '{first}' has "
                    f"{_shown_fields(fields[first])}",
                    languages=(language,),
                )
            )
    return problems


def _shown_fields(fields: set[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(fields)) or "none"


def _fields(text) -> set[str] | None:
    if isinstance(text, str):
        try:
            return {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError:
            return None  # reported as an invalid template
    if isinstance(text, dict):
        found = [_fields(value) for value in text.values()]
        return set().union(*(f for f in found if f is not None)) if found else set()
    return set()


# -- the project's catalogues --------------------------------------------------------------------


@functools.cache
def package_file(package: str) -> Path | None:
    """A package's catalogue, found without importing the package (printbook imports WeasyPrint)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / FILE


def of_package(package: str) -> Catalogue:
    """A package's ``messages.yaml``, shown as ``package/messages.yaml`` when it is not under the
    working directory (a test's fixture site)."""
    path = package_file(package)
    if path is None:
        raise FactError([Diagnostic(f"{package}/{FILE}", 1, RULE, f"the package '{package}' is not installed")])
    return Catalogue.load(path, root=path.parent.parent)


_ENGINE_FILE = str(Path(__file__).with_name(FILE))
_ENGINE_ROOT = str(Path(__file__).parent.parent)


def engine() -> Catalogue:
    """The engine's own phrases (factengine/messages.yaml), read again when the file changes
    (``mkdocs serve``). Asked for each phrase rendered, thousands of times a build: one
    ``os.stat`` then, not the construction of two paths."""
    try:
        stat = os.stat(_ENGINE_FILE)
    except OSError:
        return Catalogue.load(Path(_ENGINE_FILE), root=Path(_ENGINE_ROOT))  # the error, named
    return _load(_ENGINE_FILE, _ENGINE_ROOT, stat.st_mtime_ns, stat.st_size)


def check(languages) -> list[Diagnostic]:
    """Every problem of every project catalogue, and every text missing in ``languages``."""
    problems: list[Diagnostic] = []
    for package in PACKAGES:
        try:
            problems += of_package(package).missing(languages)
        except FactError as exc:
            problems += exc.diagnostics
    return problems
