"""The validation: the registry, every page, and every article across its languages.

One call, :func:`check`, runs every rule over all sources at once and returns every
problem found; the MkDocs hooks, the standalone command and the tests all call it.
Rules (the names in ``[brackets]`` in reports):

- registry: yaml, encoding, schema, duplicate-id, duplicate-key, missing-source,
  unknown-source, invalid-phone, bad-date, bad-reference, retired-call,
  procedure-steps (a procedure's steps reference different facts in different
  languages), stale-fact, and the hand-written rules over its texts
- a page: encoding, front-matter, empty-page, language-suffix, bad-reference,
  unknown-fact, unknown-source, retired-call, hand-written-phone (numbers in any
  notation, and phone links not made by a fact reference), hand-written-money,
  hand-written-duration, local-file (file addresses, attachments, files linked out
  of the docs folder), unsafe-html (scripts, frames, styles, event handlers)
- across languages: missing-translation, fact-set, procedure-steps, internal-links
- each site language: catalogue (a phrase of the engine, the book or the site missing in
  it, or a malformed catalogue: factengine/catalogue.py), language (Babel has no CLDR
  data for it)

The work is split so that an edit costs little: what depends on a page's text only
(:class:`Analysis`: its references, lists, links, markup and literals) is computed
once per content and kept by :class:`Checker`; what depends on the registry too
(resolving references, comparing literals with facts, comparing languages) is an
article's verdict, kept by its versions' contents and the registry's, and made again
for the articles that changed, or for all of them when the registry changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import pickle
import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from babel import Locale, UnknownLocaleError

from . import catalogue, literals, markup, references
from .articles import ArticleSource, Link, OrderedList, article_name, internal_links, ordered_lists, read_article
from .diagnostics import Diagnostic, FactError, Severity, display_path, resolved, sort_diagnostics
from .project import Project
from .references import Reference
from .registry import Registry

# Registry fields that hold data, not text a reader reads: the hand-written rules skip them.
_DATA_FIELDS = {
    "kind",
    "marketplace",
    "number",
    "tariff",
    "status",
    "currency",
    "period",
    "tax",
    "unit",
    "language",
    "url",
    "sources",
    "source",
    "as_of",
    "date",
    "valid_from",
    "valid_until",
    "retired_on",
    "region",
    "amount",
    "min",
    "max",
    "languages",
    "default_language",
    "stale_after_days",
    "stale",
}
# Front-matter fields that configure the page rather than say something to the reader.
_FRONT_MATTER_SETTINGS = {"template", "hide", "translation", "faq", "search", "status", "icon", "tags"}
_MARKUP_IN_TEXT = re.compile(r"<[a-zA-Z/!?]")


@dataclasses.dataclass
class Analysis:
    """What one article source says, from its text alone: kept while the file does not change."""

    source: ArticleSource
    references: list[Reference]
    problems: list[Diagnostic]  # syntax, markup, front matter, money written by hand
    phones: list[tuple[int, str, list[str]]]  # (line, as written, E.164 readings)
    durations: list[tuple[int, int, int | None, str]]  # (line, low, high, unit)
    lists: list[OrderedList]
    links: list[Link]

    @property
    def fact_ids(self) -> set[str]:
        return {ref.target for ref in self.references if ref.verb != "cite"}


@dataclasses.dataclass
class Result:
    """Every problem found, the registry, and the pages' analyses (what the hooks render from).
    ``analyses`` is None when the check was asked for its verdict only (``factcheck``): the
    analyses of articles whose verdict was kept are then not read back from the store."""

    registry: Registry | None
    analyses: list[Analysis] | None
    diagnostics: list[Diagnostic]
    checked: int = 0  # article sources read and checked (a readable file with a language suffix)

    @property
    def pages(self) -> list[ArticleSource]:
        return [a.source for a in self._analysed()]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def analysis(self, path: Path) -> Analysis | None:
        if not hasattr(self, "_by_path"):
            self._by_path = {resolved(a.source.path): a for a in self._analysed()}
        return self._by_path.get(resolved(path))

    def _analysed(self) -> list[Analysis]:
        if self.analyses is None:
            raise ValueError("this result holds the check's verdict only: check with analyses=True")
        return self.analyses


@dataclasses.dataclass
class _Source:
    """An article source as the checker met it in this run: its bytes and what its analysis is
    kept under (the hash of the bytes and of everything else the analysis depends on)."""

    path: Path
    raw: bytes
    key: tuple
    name: str  # the stored analysis' file name


class Checker:
    """Runs :func:`check` again and again (``mkdocs serve``), redoing only what changed.

    A page's analysis is kept by the hash of its bytes, the registry (and the rules over it
    alone) by the hash of its files, and an article's verdict (every problem of its language
    versions, alone and compared) by the keys of its versions' analyses and of the registry:
    an edit re-reads one file and re-runs the rules over one article, or over every article
    when the registry changed.

    With a ``store`` (a folder), what was computed is kept between runs too, one file per
    page analysis, one for the registry and one for the articles' verdicts, named by the hash
    of everything it depends on (the page's bytes, its path, the languages; the registry's
    bytes and the day). A run reads what it finds and writes only what it computed, so an edit
    writes one small file and the verdicts. A run that wants the verdict only (``factcheck``)
    does not read the analyses of articles whose verdict holds: at 900 pages, unpickling them
    was most of a run. The store sits in a sub-folder named by the hash of this package's code,
    Python's and the rule libraries' versions: results written by other code are never reused.
    """

    VERDICTS = "verdicts.pickle"

    def __init__(self, store: Path | None = None):
        self._analyses: dict[str, tuple[tuple, Analysis | None, list[Diagnostic]]] = {}
        self._registry: tuple[tuple, Registry | None, list[Diagnostic]] | None = None
        self._store = Path(store) / code_digest() if store else None
        self._used: set[str] = set()
        # article (or lone file) -> (its key, its problems, how many of its sources were checked)
        self._verdicts: dict[tuple, tuple[tuple, list[Diagnostic], int]] | None = None
        self._verdicts_changed = False

    @classmethod
    def for_project(cls, project: Project) -> Checker:
        """A checker whose results are kept in the project's ``.cache`` folder."""
        return cls(project.root / CACHE_DIR)

    def registry(self, project: Project) -> tuple[Registry | None, list[Diagnostic]]:
        """The registry and the problems of the registry alone (schema, stale facts, its texts)."""
        raw = b""
        for path in Registry.paths(project.registry_path):
            try:
                raw += path.name.encode() + b"\0" + path.read_bytes() + b"\0"
            except OSError:
                pass
        key = (_digest(raw), project.today, os.getcwd())  # reports name files relative to the cwd
        name = "registry-" + _digest(repr(key).encode()) + ".pickle"
        self._used.add(name)  # kept in memory or not, this run used it: the store keeps it
        if self._registry is None or self._registry[0] != key:
            stored = self._read(name, key)
            if stored is None:
                try:
                    registry = Registry.load(project.registry_path)
                    problems = _registry_rules(registry, project.today)
                except FactError as exc:
                    registry, problems = None, exc.diagnostics
                stored = (key, registry, problems)
                self._write(name, stored)
            self._registry = stored
        return self._registry[1], list(self._registry[2])

    @property
    def registry_key(self) -> tuple | None:
        """What the registry last read was kept under: the hash of its files, the day, the cwd."""
        return self._registry[0] if self._registry else None

    def source(self, path: Path, languages: list[str], regions: tuple[str, ...], docs_dir: Path) -> _Source | None:
        """An article source's bytes and key, its analysis not read yet."""
        try:
            raw = path.read_bytes()
        except OSError:  # a broken symbolic link, or a link to a folder: _docs_files reports it
            return None
        key = (_digest(raw), tuple(languages), regions, str(path), str(docs_dir), os.getcwd())
        name = _digest(repr(key).encode()) + ".pickle"
        self._used.add(name)
        return _Source(path, raw, key, name)

    def analyse(self, source: _Source, docs_dir: Path, languages: list[str], regions: tuple[str, ...]):
        """The source's analysis and the problems of its text alone: kept in memory, else in the
        store, else made now."""
        cached = self._analyses.get(str(source.path))
        if cached is None or cached[0] != source.key:
            cached = self._read(source.name, source.key)
            if cached is None:
                cached = (source.key, *analyse(source.path, docs_dir, languages, regions, source.raw))
                self._write(source.name, cached)
            self._analyses[str(source.path)] = cached
        return cached[1], list(cached[2])

    def verdict(self, group: tuple, key: tuple) -> tuple[list[Diagnostic], int] | None:
        """An article's problems and checked count, if they were found under ``key`` before."""
        held = self._kept_verdicts().get(group)
        return (list(held[1]), held[2]) if held is not None and held[0] == key else None

    def _kept_verdicts(self) -> dict[tuple, tuple[tuple, list[Diagnostic], int]]:
        if self._verdicts is None:  # read from the store once, at the first check of this checker
            stored = self._read(self.VERDICTS, ("verdicts",))
            self._verdicts = dict(stored[1]) if stored else {}
        return self._verdicts

    def keep_verdict(self, group: tuple, key: tuple, problems: list[Diagnostic], checked: int) -> None:
        self._kept_verdicts()[group] = (key, list(problems), checked)
        self._verdicts_changed = True

    def keep_only_verdicts_of(self, groups) -> None:
        """Forget the verdicts of articles gone, and store the verdicts if any changed."""
        self._used.add(self.VERDICTS)
        for gone in [group for group in self._kept_verdicts() if group not in groups]:
            del self._verdicts[gone]
            self._verdicts_changed = True
        if self._verdicts_changed:
            self._write(self.VERDICTS, (("verdicts",), self._verdicts))
            self._verdicts_changed = False

    def check(self, project: Project, languages: list[str] | None = None, analyses: bool = True) -> Result:
        self._used = set()
        result = check(project, languages, checker=self, analyses=analyses)
        self._prune()
        return result

    # -- the store -------------------------------------------------------------------------
    def _read(self, name: str, key: tuple):
        """A stored result, or None. The store is the project's own cache (git-ignored, written
        only by this class); a missing, truncated or foreign file is computed afresh."""
        if self._store is None:
            return None
        try:
            with open(self._store / name, "rb") as handle:
                stored = pickle.load(handle)
        except Exception:
            return None
        return stored if isinstance(stored, tuple) and stored and stored[0] == key else None

    def _write(self, name: str, value: tuple) -> None:
        if self._store is None:
            return
        partial = self._store / f"{name}.{os.getpid()}.partial"
        try:
            self._store.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self._store / name)  # a reader sees the whole file or none
        except (OSError, pickle.PicklingError):
            partial.unlink(missing_ok=True)  # a read-only tree: the check still runs, uncached

    def _prune(self) -> None:
        """Forget what this run did not use (older versions of the pages, pages removed, and the
        stores of other code), so that the cache does not grow with every edit."""
        if self._store is None or not self._store.is_dir():
            return
        for entry in os.scandir(self._store):
            if entry.name not in self._used and not entry.name.endswith(".partial"):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:  # another check of the project (mkdocs serve, factcheck) pruned it
                    pass
        for entry in os.scandir(self._store.parent):
            if entry.is_dir() and entry.name != self._store.name:
                shutil.rmtree(entry.path, ignore_errors=True)


CACHE_DIR = Path(".cache") / "factcheck"


@functools.cache
def code_digest() -> str:
    """This package's code and data, Python's version and the rule libraries' versions: a store
    written by anything else is not reused."""
    import babel
    import phonenumbers
    import pydantic
    import yaml

    package = Path(__file__).parent
    parts = [
        sys.version.encode(),
        babel.__version__.encode(),
        phonenumbers.__version__.encode(),
        pydantic.VERSION.encode(),
        yaml.__version__.encode(),
    ]
    for path in sorted(package.iterdir()):
        if path.suffix in (".py", ".yaml"):
            parts.append(path.name.encode() + b"\0" + path.read_bytes())
    return _digest(b"\0".join(parts))


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def check(
    project: Project, languages: list[str] | None = None, checker: Checker | None = None, analyses: bool = True
) -> Result:
    """Every rule over every source. ``analyses=False``: the verdict only (the result's
    ``analyses`` is None), without reading back the analyses of articles whose verdict holds."""
    checker = checker or Checker()
    problems: list[Diagnostic] = []
    registry, found = checker.registry(project)
    problems += found
    listing = project.listing()  # listed once: the languages' fallback, the docs folder's rules, the sources
    head = None if registry is not None else Registry.head(project.registry_path)
    if registry is not None:
        languages = registry.languages
        default = registry.site.default_language
        regions = tuple(sorted({m.region for m in registry.marketplaces.values()}))
    elif head is not None:
        # The facts could not be read (a language was just added, and they lack its texts): the
        # site's own settings still say which languages every page and phrase must be in.
        languages, default = list(head[0].languages), head[0].default_language
        regions = ("FR", "JP")
    else:
        # The registry could not be read: still check the pages, in the languages their names carry.
        languages = languages or _languages_in_names(listing)
        default = languages[0] if languages else None
        regions = ("FR", "JP")
    if registry is not None or head is not None:
        located = registry.files[registry.path] if registry is not None else head[1]
        problems += _language_rules(languages, display_path(project.registry_path), located)

    problems += _docs_files(project, regions, listing)
    docs_dir = project.docs_dir
    groups: dict[tuple, list[_Source]] = defaultdict(list)
    sources: list[_Source] = []
    for path, _ in listing:
        if path.suffix != ".md":
            continue
        source = checker.source(path, languages, regions, docs_dir)
        if source is None:
            continue
        sources.append(source)
        named = article_name(path, docs_dir, languages)
        # a source without a language suffix is compared with nothing: its own group
        groups[("article", named[0]) if named else ("file", str(path))].append(source)

    base = (checker.registry_key, tuple(languages), default, regions, str(docs_dir))
    literal_facts = _LiteralFacts(registry)
    checked = 0
    for group, members in sorted(groups.items()):
        key = (base, tuple(source.key for source in members))
        held = checker.verdict(group, key)
        if held is None:
            held = _verdict(checker, group, members, registry, literal_facts, languages, regions, default, project)
            checker.keep_verdict(group, key, *held)
        problems += held[0]
        checked += held[1]
    checker.keep_only_verdicts_of(groups)

    analysed = None
    if analyses:
        analysed = [a for a in (checker.analyse(s, docs_dir, languages, regions)[0] for s in sources) if a]
    return Result(registry, analysed, sort_diagnostics(problems), checked)


class _LiteralFacts:
    """The registry's phone numbers and durations, by their notation: what a number written by
    hand is compared with. Made when an article's rules first run, not on a run that finds
    every verdict kept."""

    def __init__(self, registry: Registry | None):
        self._registry = registry

    @functools.cached_property
    def phones(self) -> dict[str, str]:
        return _phone_ids(self._registry) if self._registry else {}

    @functools.cached_property
    def durations(self) -> dict[tuple, str]:
        return _duration_ids(self._registry) if self._registry else {}


def _verdict(checker, group, members, registry, literal_facts, languages, regions, default, project):
    """An article's problems: each language version's alone (its text; its references and
    literals against the registry), then the versions compared. And how many were checked."""
    problems: list[Diagnostic] = []
    versions: dict[str, Analysis] = {}
    for source in members:
        analysis, found = checker.analyse(source, project.docs_dir, languages, regions)
        problems += found
        if analysis is None:
            continue
        if registry is not None:
            problems += _reference_rules(analysis, registry)
        problems += _literal_rules(analysis, literal_facts.phones, literal_facts.durations)
        versions[analysis.source.language] = analysis
    if group[0] == "article" and versions:
        problems += _cross_language_rules(group[1], versions, languages, default, project)
    return problems, len(versions)


def _language_rules(languages: list[str], shown: str, located) -> list[Diagnostic]:
    """What each site language needs besides its articles (missing-translation) and the
    registry's texts (schema): CLDR's data for it in Babel, and every phrase of every catalogue
    (the engine's, the book's, the site's; factengine/catalogue.py), all listed at once."""
    problems = catalogue.check(languages)
    for i, language in enumerate(languages):
        try:
            Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            problems.append(
                Diagnostic(
                    shown,
                    located.line_of(("site", "languages", i)),
                    "language",
                    f"Babel has no CLDR data for '{language}': its numbers, dates, currency "
                    f"names and plural forms cannot be written",
                    languages=(language,),
                )
            )
    return problems


def _languages_in_names(listing: list[tuple[Path, bool]]) -> list[str]:
    """The languages the Markdown sources' names carry (``cancel.fr.md``), from the docs folder's listing."""
    names = [path.name for path, _ in listing if path.suffix == ".md"]
    found = {name.split(".")[-2] for name in names if len(name.split(".")) >= 3}
    return sorted(lang for lang in found if re.fullmatch(r"[a-z]{2}", lang))


# -- the registry ---------------------------------------------------------------


def _registry_rules(registry: Registry, today: dt.date) -> list[Diagnostic]:
    problems = []
    severity = Severity.ERROR if registry.site.stale == "error" else Severity.WARNING
    horizon = today - dt.timedelta(days=registry.site.stale_after_days)
    for fact_id, fact in registry.facts.items():
        if fact.ongoing and fact.as_of.latest() < horizon:
            problems.append(
                registry.diagnostic(
                    ("facts", fact_id, "as_of"),
                    "stale-fact",
                    f"fact '{fact_id}' was last reported {fact.as_of}, more than {registry.site.stale_after_days} days "
                    f"before {today}: find a newer source and update as_of, or give it a valid_until",
                    severity=severity,
                    fact=fact_id,
                )
            )
        if fact.kind == "procedure":
            for i, step in enumerate(fact.steps):
                seen = {lang: references.ids(text) for lang, text in step.items()}
                if len({tuple(v) for v in seen.values()}) > 1:
                    detail = "; ".join(f"{lang}: {', '.join(ids) or 'none'}" for lang, ids in seen.items())
                    problems.append(
                        registry.diagnostic(
                            ("facts", fact_id, "steps", i),
                            "procedure-steps",
                            f"step {i + 1} of procedure '{fact_id}' references different facts per language ({detail})",
                            fact=fact_id,
                            languages=tuple(seen),
                        )
                    )
    problems += _registry_texts(registry)
    return problems


def _registry_texts(registry: Registry) -> list[Diagnostic]:
    """The registry's texts reach readers too (glosses, notes, steps, source titles, and all of
    facts.json): no fact written by hand, no reference outside a procedure step, no markup."""
    problems = []
    regions = tuple(sorted({m.region for m in registry.marketplaces.values()}))
    durations = _duration_ids(registry)
    for path, located in registry.files.items():
        shown = display_path(path)
        for loc, text in _strings(located.data, ()):
            problems += _registry_text(loc, text, shown, located.line_of(loc), regions, durations)
    return problems


def _registry_text(loc: tuple, text: str, shown: str, line: int, regions, durations) -> list[Diagnostic]:
    problems = []
    keys = [part for part in loc if isinstance(part, str)]
    name = ".".join(map(str, loc))
    fact = loc[1] if len(loc) > 1 and loc[0] == "facts" else None
    in_step = len(loc) > 3 and loc[0] == "facts" and loc[2] == "steps"
    if keys and keys[-1] == "url":  # an address is shown too: in the book, after its link
        problems += [
            Diagnostic(
                shown,
                line,
                "hand-written-phone",
                f"{name}: phone number '{written}' in an address, which the printed book shows",
                fact=fact,
            )
            for _, written, _ in literals.phones(unquote(text), regions)
        ]
    if keys and keys[-1] in _DATA_FIELDS:
        if references.OPENING in text:
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    "bad-reference",
                    f"{name}: '{{{{' in a value the reader would see as written",
                    fact=fact,
                )
            )
        return problems
    if in_step:
        text = references.PATTERN.sub(lambda m: markup.blank(m.group(0)), text)
    elif references.OPENING in text:
        problems.append(
            Diagnostic(
                shown,
                line,
                "bad-reference",
                f"{name}: fact references are rendered in articles and procedure steps only; "
                f"here the reader would see '{{{{' as written",
                fact=fact,
            )
        )
    if _MARKUP_IN_TEXT.search(text):
        problems.append(
            Diagnostic(
                shown,
                line,
                "unsafe-html",
                f"{name}: the registry holds text, not HTML: it is shown escaped, as written",
                fact=fact,
            )
        )
    problems += [
        dataclasses.replace(d, fact=d.fact or fact) for d in _literals_in(text, shown, line, regions, durations, {})
    ]
    return problems


def _strings(data, loc: tuple):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, loc + (i,))
    elif isinstance(data, str):
        yield loc, data


# -- one page, from its text alone ------------------------------------------------


def analyse(
    path: Path, docs_dir: Path, languages: list[str], regions: tuple[str, ...], raw: bytes | None = None
) -> tuple[Analysis | None, list[Diagnostic]]:
    source, problems = read_article(path, docs_dir, languages, raw)
    if source is None:
        return None, problems
    lang = (source.language,)
    refs, found = source.references()
    problems += found
    problems += _front_matter_rules(source, regions)
    problems += _markup_rules(source, regions)
    visible = markup.visible_text(references.PATTERN.sub(lambda m: markup.blank(m.group(0)), source.shown_mask))
    for m in re.finditer(r"\{\{|\}\}", visible.text):
        origin = visible.offset(m.start())
        if source.body[origin] == "&":  # braces written as character references: rendered as braces
            problems.append(
                Diagnostic(
                    source.shown,
                    source.line_at(origin),
                    "bad-reference",
                    "'{{' written with character references: the reader would see a raw "
                    "reference; write the reference itself",
                    languages=lang,
                )
            )
    phones = [
        (source.line_at(visible.offset(offset)), written, readings)
        for offset, written, readings in literals.phones(visible.text, regions)
    ]
    problems += [
        Diagnostic(
            source.shown,
            source.line_at(visible.offset(offset)),
            "hand-written-money",
            f"amount '{text.strip()}' written by hand: reference a money fact",
            languages=lang,
        )
        for offset, text in literals.money(visible.text)
    ]
    durations = [
        (source.line_at(visible.offset(offset)), low, high, unit)
        for offset, low, high, unit in literals.durations(visible.text)
    ]
    analysis = Analysis(
        source, refs, problems, phones, durations, ordered_lists(source, refs), internal_links(source, languages)
    )
    return analysis, problems


def _front_matter_rules(source: ArticleSource, regions: tuple[str, ...]) -> list[Diagnostic]:
    """Titles and descriptions are read too (under the title in search engines, in the tab, in the
    book): the same rules as the body, and no reference, which front matter does not render."""
    problems = []
    lang = (source.language,)
    for loc, text in _strings(source.meta, ()):
        keys = [part for part in loc if isinstance(part, str)]
        if keys and keys[0] in _FRONT_MATTER_SETTINGS:
            continue
        line = source.meta_lines.get(loc, (2, 1))[0]
        name = ".".join(map(str, loc))
        if references.OPENING in text:
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "bad-reference",
                    f"front matter '{name}': fact references are not rendered in front matter; "
                    f"say it without the fact, or move it to the body",
                    languages=lang,
                )
            )
        if _MARKUP_IN_TEXT.search(text):
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "unsafe-html",
                    f"front matter '{name}' holds markup: titles and descriptions are plain text",
                    languages=lang,
                )
            )
        problems += _literals_in(
            text, source.shown, line, regions, {}, {}, languages=lang, where=f"front matter '{name}': "
        )
    return problems


def _literals_in(
    text: str,
    shown: str,
    line: int,
    regions,
    durations: dict,
    phones: dict,
    languages: tuple[str, ...] = (),
    where: str = "",
) -> list[Diagnostic]:
    """The hand-written rules over one short text that stands on one line of a file."""
    problems = []
    visible = markup.visible_text(text).text
    for _, written, readings in literals.phones(visible, regions):
        known = next((phones[e164] for e164 in readings if e164 in phones), None)
        problems.append(
            Diagnostic(
                shown,
                line,
                "hand-written-phone",
                f"{where}phone number '{written}' written by hand",
                fact=known,
                languages=languages,
            )
        )
    for _, amount in literals.money(visible):
        problems.append(
            Diagnostic(
                shown,
                line,
                "hand-written-money",
                f"{where}amount '{amount.strip()}' written by hand",
                languages=languages,
            )
        )
    for _, low, high, unit in literals.durations(visible):
        fact_id = durations.get((low, high, unit))
        if fact_id:
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    "hand-written-duration",
                    f"{where}duration written by hand equals fact '{fact_id}'",
                    fact=fact_id,
                    languages=languages,
                )
            )
    return problems


def _markup_rules(source: ArticleSource, regions: tuple[str, ...]) -> list[Diagnostic]:
    """Addresses and raw HTML: no phone link but a fact's, nothing read from the disk, nothing run."""
    problems = []
    lang = (source.language,)
    if not any(c in source.mask for c in "<]{"):
        return problems
    found = markup.scan(source.mask)
    for address in found.addresses:
        line = source.line_at(address.offset)
        scheme = address.scheme
        shown_url = address.url if len(address.url) <= 60 else address.url[:57] + "..."
        if address.attachment:
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "local-file",
                    f"{address.holder} '{shown_url}' is marked rel=\"attachment\": the printed book "
                    f"would embed the file; link to it instead",
                    languages=lang,
                )
            )
        elif scheme in markup.PHONE_SCHEMES:
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "hand-written-phone",
                    f"{address.holder} '{shown_url}' is a phone link written by hand: a phone link "
                    f"comes only from a fact reference ({{{{ call phone.… }}}})",
                    languages=lang,
                )
            )
        elif scheme in markup.LOCAL_SCHEMES:
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "local-file",
                    f"{address.holder} '{shown_url}' points to a local or network file: the site "
                    f"and its book may only use files of the site",
                    languages=lang,
                )
            )
        elif scheme is not None and scheme not in markup.ALLOWED_SCHEMES:
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "unsafe-html",
                    f"{address.holder} '{shown_url}' uses the '{scheme}:' scheme: an article links "
                    f"to {', '.join(sorted(markup.ALLOWED_SCHEMES))} addresses and site files only",
                    languages=lang,
                )
            )
        elif scheme is None and _leaves_docs(source, address.url):
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "local-file",
                    f"{address.holder} '{shown_url}' points outside the docs folder",
                    languages=lang,
                )
            )
        elif literals.phones(unquote(address.url), regions):  # the book prints a link's address after it
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "hand-written-phone",
                    f"{address.holder} '{shown_url}' holds a phone number, which the printed book shows after the link",
                    languages=lang,
                )
            )
    for element in found.elements:
        line = source.line_at(element.offset)
        if element.name in markup.FORBIDDEN_ELEMENTS:
            rule = (
                "local-file"
                if element.name
                in (
                    "link",
                    "object",
                    "embed",
                    "image",
                    "use",
                    "feimage",
                    "base",
                    "iframe",
                    "frame",
                    "source",
                    "audio",
                    "video",
                )
                else "unsafe-html"
            )
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    rule,
                    f"<{element.name}> is not allowed in an article: it loads or runs something "
                    f"the site does not check",
                    languages=lang,
                )
            )
        for key, value in element.attributes:
            what = f"<{element.name} {key}>" if element.name != "{:" else f"{{: {key} }}"
            if key.startswith("on"):
                problems.append(
                    Diagnostic(
                        source.shown,
                        line,
                        "unsafe-html",
                        f"{what}: event handlers (scripts) are not allowed in an article",
                        languages=lang,
                    )
                )
            elif key == "style":
                problems.append(
                    Diagnostic(
                        source.shown,
                        line,
                        "unsafe-html" if "url" not in value.lower() else "local-file",
                        f"{what}: inline styles are not allowed (the site's Content-Security-Policy "
                        f"blocks them, and url() would load files); use the site's stylesheets",
                        languages=lang,
                    )
                )
    return problems


def _leaves_docs(source: ArticleSource, url: str) -> bool:
    """A relative or absolute path that climbs out of the docs folder ("../../../etc/passwd")."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path or path.startswith("//"):
        return False
    if path.startswith("/"):
        return False  # site-absolute: resolved against the site, never the disk
    depth = len(PurePosixPath(source.article).parent.parts)
    for part in path.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


# Files of the docs folder that are published as they are and can put text before a reader
# (a stylesheet's ``content:``, a script, an SVG's text): no phone number in them either.
_PUBLISHED_TEXT = {".css", ".js", ".svg", ".html", ".htm", ".txt", ".json", ".xml", ".webmanifest"}


def _docs_files(project: Project, regions: tuple[str, ...], listing: list[tuple[Path, bool]]) -> list[Diagnostic]:
    """A symbolic link in the docs folder is published as the file it points to: refuse links
    that leave the folder (a key, a credential would be copied into the site and its book).
    Text files published as they are get the phone rule."""
    problems = []
    docs = project.docs_dir.resolve()
    for path, link in listing:
        if path.suffix.lower() in _PUBLISHED_TEXT and not link:
            text = path.read_bytes().decode("utf-8", errors="replace")
            for offset, written, _ in literals.phones(text, regions):
                problems.append(
                    Diagnostic(
                        display_path(path),
                        text.count("\n", 0, offset) + 1,
                        "hand-written-phone",
                        f"phone number '{written}' in a published file: a phone number comes "
                        f"only from a fact reference in an article",
                    )
                )
        if not link:
            continue
        target = path.resolve()
        if target != docs and docs not in target.parents:
            problems.append(
                Diagnostic(
                    display_path(path),
                    1,
                    "local-file",
                    f"a symbolic link to {target}, outside the docs folder: MkDocs would publish "
                    f"that file; copy what the site needs into docs/ instead",
                )
            )
    return problems


def site_texts(config_file: Path, texts: list[tuple[str, str]], registry: Registry) -> list[Diagnostic]:
    """Texts of the site's configuration that every page shows (its name and description in each
    language, the navigation's titles): the hand-written rules, at their line in ``config_file``."""
    shown = display_path(config_file)
    try:
        lines = Path(config_file).read_text("utf-8").splitlines()
    except OSError:
        lines = []
    regions = tuple(sorted({m.region for m in registry.marketplaces.values()}))
    durations, phones = _duration_ids(registry), _phone_ids(registry)
    problems = []
    for name, text in texts:
        line = next((n for n, content in enumerate(lines, 1) if text and text in content), 1)
        problems += _literals_in(text, shown, line, regions, durations, phones, where=f"{name}: ")
        if references.OPENING in text:
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    "bad-reference",
                    f"{name}: fact references are not rendered in the site's configuration",
                )
            )
    return problems


# -- one page, against the registry ---------------------------------------------------


def _reference_rules(analysis: Analysis, registry: Registry) -> list[Diagnostic]:
    source = analysis.source
    problems = []
    for ref in analysis.references:
        problems += references.resolve(ref, registry, shown="", languages=(source.language,))
    # The page's name is worked out for a report only: naming a path relative to the working
    # folder can take system calls, a thousand pages' worth in a new process (the store's reader).
    return [dataclasses.replace(problem, path=source.shown) for problem in problems]


def _literal_rules(
    analysis: Analysis, known_phones: dict[str, str], known_durations: dict[tuple, str]
) -> list[Diagnostic]:
    source = analysis.source
    lang = (source.language,)
    problems = []
    for line, written, readings in analysis.phones:
        known = next((known_phones[e164] for e164 in readings if e164 in known_phones), None)
        hint = f"reference {{{{ {known} }}}}" if known else "add it to the registry and reference it"
        problems.append(
            Diagnostic(
                source.shown,
                line,
                "hand-written-phone",
                f"phone number '{written}' written by hand: {hint}",
                fact=known,
                languages=lang,
            )
        )
    for line, low, high, unit in analysis.durations:
        fact_id = known_durations.get((low, high, unit))
        if fact_id:
            problems.append(
                Diagnostic(
                    source.shown,
                    line,
                    "hand-written-duration",
                    f"duration written by hand equals fact '{fact_id}': reference {{{{ {fact_id} }}}}",
                    fact=fact_id,
                    languages=lang,
                )
            )
    return problems


def _phone_ids(registry: Registry) -> dict[str, str]:
    return {registry.phone_key(fact): fact_id for fact_id, fact in registry.facts.items() if fact.kind == "phone"}


def _duration_ids(registry: Registry) -> dict[tuple, str]:
    return {(f.min, f.max, f.unit): i for i, f in registry.facts.items() if f.kind == "duration"}


# -- across languages -------------------------------------------------------------


def _cross_language_rules(article, versions: dict[str, Analysis], languages, default, project) -> list[Diagnostic]:
    problems = []
    present = [lang for lang in languages if lang in versions]
    if not present:
        return problems
    anchor = versions[present[0]].source
    for lang in languages:
        if lang not in versions:
            expected = project.docs_dir / Path(article).with_suffix(f".{lang}.md")
            problems.append(
                Diagnostic(
                    anchor.shown,
                    1,
                    "missing-translation",
                    f"no {lang} version of '{article}' ({expected.name}); write it, or create it with "
                    f"front matter 'translation: awaiting' to publish a notice instead",
                    languages=(lang,),
                )
            )
    # Pages awaiting translation, and empty ones (reported already), have nothing to compare.
    compared = [
        lang for lang in present if not versions[lang].source.awaiting_translation and not versions[lang].source.empty
    ]
    if len(compared) < 2:
        return problems
    base_lang = default if default in compared else compared[0]
    problems += _fact_sets(versions, compared)
    problems += _procedures(versions, compared, base_lang)
    problems += _links(versions, compared)
    return problems


def _fact_sets(versions: dict[str, Analysis], compared) -> list[Diagnostic]:
    problems = []
    first_use: dict[str, dict[str, Reference]] = defaultdict(dict)
    for lang in compared:
        for ref in versions[lang].references:
            first_use[ref.target].setdefault(lang, ref)
    for fact_id, uses in sorted(first_use.items()):
        missing = [lang for lang in compared if lang not in uses]
        if not missing:
            continue
        having = [lang for lang in compared if lang in uses]
        where = uses[having[0]]
        problems.append(
            Diagnostic(
                versions[having[0]].source.shown,
                where.line,
                "fact-set",
                f"fact '{fact_id}' is referenced in {', '.join(having)} but not in {', '.join(missing)} "
                f"({', '.join(versions[lang].source.shown for lang in missing)})",
                fact=fact_id,
                languages=tuple(compared),
            )
        )
    return problems


def _procedures(versions: dict[str, Analysis], compared, base_lang) -> list[Diagnostic]:
    problems = []
    base = versions[base_lang].lists
    base_page = versions[base_lang].source
    for lang in compared:
        if lang == base_lang:
            continue
        page, other = versions[lang].source, versions[lang].lists
        if len(other) != len(base):
            problems.append(
                Diagnostic(
                    page.shown,
                    (other or base)[0].line if other else 1,
                    "procedure-steps",
                    f"{len(base)} ordered list(s) in {base_lang} ({base_page.shown}) but {len(other)} in {lang}",
                    languages=(base_lang, lang),
                )
            )
            continue
        for number, (a, b) in enumerate(zip(base, other), 1):
            steps_a = [item.refs for item in a.items]
            steps_b = [item.refs for item in b.items]
            if steps_a == steps_b:
                continue
            detail = f"{base_lang}: {_steps(steps_a)}; {lang}: {_steps(steps_b)}"
            if len(steps_a) != len(steps_b):
                kind = (
                    "merged"
                    if len(steps_b) < len(steps_a) and sorted(sum(steps_a, [])) == sorted(sum(steps_b, []))
                    else "missing"
                    if len(steps_b) < len(steps_a)
                    else "added"
                )
                message = (
                    f"ordered list {number} has {len(steps_a)} steps in {base_lang} ({base_page.shown}:{a.line}) "
                    f"but {len(steps_b)} in {lang}: a step is {kind} ({detail})"
                )
            else:
                k = next(i for i, (x, y) in enumerate(zip(steps_a, steps_b)) if x != y)
                kind = "reordered" if sorted(map(tuple, steps_a)) == sorted(map(tuple, steps_b)) else "different"
                message = f"step {k + 1} of ordered list {number} differs: steps are {kind} ({detail})"
            problems.append(Diagnostic(page.shown, b.line, "procedure-steps", message, languages=(base_lang, lang)))
    return problems


def _steps(steps: list[list[str]]) -> str:
    return " | ".join(", ".join(refs) or "-" for refs in steps)


def _links(versions: dict[str, Analysis], compared) -> list[Diagnostic]:
    problems = []
    targets = {lang: {link.target for link in versions[lang].links} for lang in compared}
    for target in sorted(set().union(*targets.values())):
        missing = [lang for lang in compared if target not in targets[lang]]
        if not missing:
            continue
        having = [lang for lang in compared if target in targets[lang]]
        link = next(link for link in versions[having[0]].links if link.target == target)
        problems.append(
            Diagnostic(
                versions[having[0]].source.shown,
                link.line,
                "internal-links",
                f"link to '{target}' in {', '.join(having)} but not in {', '.join(missing)}",
                languages=tuple(compared),
            )
        )
    return problems
