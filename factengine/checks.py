"""The validation: the registry, every page, and every article across its languages.

One call, :func:`check`, runs every rule over all sources at once and returns
every problem found; the MkDocs hooks, the standalone command and the tests all
call it. Rules (the names in ``[brackets]`` in reports):

- registry: yaml, encoding, schema, duplicate-id, missing-source, unknown-source,
  invalid-phone, bad-date, procedure-steps (a procedure's steps reference
  different facts in different languages), stale-fact
- a page: encoding, front-matter, empty-page, language-suffix, bad-reference,
  unknown-fact, retired-call, hand-written-phone, hand-written-money,
  hand-written-duration
- across languages: missing-translation, fact-set, procedure-steps, internal-links
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import phonenumbers

from . import literals
from .diagnostics import Diagnostic, FactError, Severity, sort_diagnostics
from .pages import REFERENCE, Page, Reference, internal_links, ordered_lists, read_page
from .registry import Registry
from .render import is_block

REGISTRY_FILE = Path("facts") / "registry.yaml"


@dataclasses.dataclass
class Project:
    """Where an edition of the knowledge base lives."""

    root: Path
    docs_dir: Path | None = None
    registry_path: Path | None = None
    today: dt.date | None = None

    def __post_init__(self):
        self.root = Path(self.root)
        self.docs_dir = Path(self.docs_dir) if self.docs_dir else self.root / "docs"
        self.registry_path = Path(self.registry_path) if self.registry_path else self.root / REGISTRY_FILE
        self.today = self.today or dt.date.today()

    def sources(self) -> list[Path]:
        return sorted(p for p in self.docs_dir.rglob("*.md") if p.is_file())

    def fingerprint(self) -> tuple:
        """Changes whenever a source or the registry changes (size or modification time)."""
        paths = [self.registry_path, *self.sources()]
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


@dataclasses.dataclass
class Result:
    registry: Registry | None
    pages: list[Page]
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def check(project: Project, languages: list[str] | None = None) -> Result:
    problems: list[Diagnostic] = []
    registry = None
    try:
        registry = Registry.load(project.registry_path)
    except FactError as exc:
        problems.extend(exc.diagnostics)
    if registry is not None:
        languages = registry.languages
        default = registry.site.default_language
        problems.extend(_registry_rules(registry, project.today))
    else:
        # The registry could not be read: still check the pages, in the languages their names carry.
        languages = languages or _languages_in_names(project)
        default = languages[0] if languages else None

    pages: list[Page] = []
    for path in project.sources():
        page, found = read_page(path, project.docs_dir, languages)
        problems.extend(found)
        if page is not None:
            pages.append(page)

    known_phones = _phone_ids(registry) if registry else {}
    known_durations = ({(f.min, f.max, f.unit): i for i, f in registry.facts.items() if f.kind == "duration"}
                       if registry else {})
    articles: dict[str, dict[str, Page]] = defaultdict(dict)
    references: dict[tuple[str, str], list[Reference]] = {}
    for page in pages:
        articles[page.article][page.language] = page
        refs, found = page.references()
        problems.extend(found)
        references[page.article, page.language] = refs
        if registry is not None:
            problems.extend(_reference_rules(page, refs, registry))
        problems.extend(_literal_rules(page, refs, registry, known_phones, known_durations))

    for article, versions in sorted(articles.items()):
        problems.extend(_cross_language_rules(article, versions, references, languages, default, project))
    return Result(registry, pages, sort_diagnostics(problems))


def _languages_in_names(project: Project) -> list[str]:
    found = {p.name.split(".")[-2] for p in project.sources() if len(p.name.split(".")) >= 3}
    return sorted(lang for lang in found if re.fullmatch(r"[a-z]{2}", lang))


# -- the registry ---------------------------------------------------------------

def _registry_rules(registry: Registry, today: dt.date) -> list[Diagnostic]:
    problems = []
    shown = registry.shown_path
    severity = Severity.ERROR if registry.site.stale == "error" else Severity.WARNING
    horizon = today - dt.timedelta(days=registry.site.stale_after_days)
    for fact_id, fact in registry.facts.items():
        if fact.ongoing and fact.as_of.latest() < horizon:
            problems.append(Diagnostic(
                shown, registry.line_of("facts", fact_id, "as_of"), "stale-fact",
                f"fact '{fact_id}' was last confirmed {fact.as_of}, more than {registry.site.stale_after_days} days "
                f"before {today}: check it again and update as_of", severity=severity, fact=fact_id))
        if fact.kind == "procedure":
            for i, step in enumerate(fact.steps):
                seen = {lang: [m.group("body").split()[-1] for m in REFERENCE.finditer(text)] for lang, text in step.items()}
                if len({tuple(v) for v in seen.values()}) > 1:
                    detail = "; ".join(f"{lang}: {', '.join(ids) or 'none'}" for lang, ids in seen.items())
                    problems.append(Diagnostic(shown, registry.line_of("facts", fact_id, "steps", i), "procedure-steps",
                                               f"step {i + 1} of procedure '{fact_id}' references different facts per language ({detail})",
                                               fact=fact_id, languages=tuple(seen)))
    return problems


# -- one page -------------------------------------------------------------------

_KINDS_FOR_VERB = {"call": {"phone"}, "history": {"phone"}}


def _reference_rules(page: Page, refs: list[Reference], registry: Registry) -> list[Diagnostic]:
    problems = []
    lang = (page.language,)
    for ref in refs:
        if ref.verb == "cite":
            if ref.fact_id not in registry.sources:
                problems.append(Diagnostic(page.shown, ref.line, "unknown-source", f"unknown source '{ref.fact_id}'",
                                           languages=lang, column=ref.column))
            continue
        fact = registry.facts.get(ref.fact_id)
        if fact is None:
            problems.append(Diagnostic(page.shown, ref.line, "unknown-fact", f"unknown fact '{ref.fact_id}'",
                                       fact=ref.fact_id, languages=lang, column=ref.column))
            continue
        allowed = _KINDS_FOR_VERB.get(ref.verb)
        if allowed and fact.kind not in allowed:
            problems.append(Diagnostic(page.shown, ref.line, "bad-reference",
                                       f"'{ref.verb}' applies to {', '.join(sorted(allowed))} facts; '{ref.fact_id}' is a {fact.kind}",
                                       fact=ref.fact_id, languages=lang, column=ref.column))
        elif ref.verb == "call" and fact.status == "retired":
            when = f" on {fact.retired_on}" if fact.retired_on else ""
            problems.append(Diagnostic(page.shown, ref.line, "retired-call",
                                       f"the text tells the reader to call '{ref.fact_id}' ({fact.number}), retired{when}: "
                                       f"mention it with {{{{ {ref.fact_id} }}}} and point to a channel in service",
                                       fact=ref.fact_id, languages=lang, column=ref.column))
        elif ref.verb == "validity" and not (fact.valid_from or fact.valid_until):
            problems.append(Diagnostic(page.shown, ref.line, "bad-reference",
                                       f"'{ref.fact_id}' has no valid_from or valid_until to show",
                                       fact=ref.fact_id, languages=lang, column=ref.column))
        elif is_block(fact, ref.verb) and not ref.alone_on_line:
            problems.append(Diagnostic(page.shown, ref.line, "bad-reference",
                                       f"'{ref.fact_id}' renders as a list: put the reference alone on its line",
                                       fact=ref.fact_id, languages=lang, column=ref.column))
    return problems


def _literal_rules(page: Page, refs: list[Reference], registry: Registry | None,
                   known_phones: dict[str, str], known_durations: dict[tuple, str]) -> list[Diagnostic]:
    problems = []
    lang = (page.language,)
    prose = _blank_markup(page.mask)
    regions = sorted({m.region for m in registry.marketplaces.values()}) if registry else ["JP", "FR"]
    for offset, written, readings in literals.phones(prose, regions):
        known = next((known_phones[e164] for e164 in readings if e164 in known_phones), None)
        hint = f"reference {{{{ {known} }}}}" if known else "add it to the registry and reference it"
        problems.append(Diagnostic(page.shown, page.line_at(offset), "hand-written-phone",
                                   f"phone number '{written}' written by hand: {hint}", fact=known, languages=lang))
    for offset, text in literals.money(prose):
        problems.append(Diagnostic(page.shown, page.line_at(offset), "hand-written-money",
                                   f"amount '{text.strip()}' written by hand: reference a money fact", languages=lang))
    if known_durations:
        for offset, low, high, unit in literals.durations(prose):
            fact_id = known_durations.get((low, high, unit))
            if fact_id:
                problems.append(Diagnostic(page.shown, page.line_at(offset), "hand-written-duration",
                                           f"duration written by hand equals fact '{fact_id}': reference {{{{ {fact_id} }}}}",
                                           fact=fact_id, languages=lang))
    return problems


def _phone_ids(registry: Registry) -> dict[str, str]:
    result = {}
    for fact_id, fact in registry.facts.items():
        if fact.kind == "phone":
            number = phonenumbers.parse(fact.number, registry.region_of(fact))
            result[phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)] = fact_id
    return result


def _blank_markup(mask: str) -> str:
    """Also blank references, link targets and HTML tags: only prose is searched for literals."""
    def blank(m):
        return "".join("\n" if c == "\n" else " " for c in m.group(0))

    for pattern in (REFERENCE, re.compile(r"\]\([^)]*\)"), re.compile(r"<[^>\n]+>"), re.compile(r"https?://\S+")):
        mask = pattern.sub(blank, mask)
    return mask


# -- across languages -------------------------------------------------------------

def _cross_language_rules(article, versions: dict[str, Page], references, languages, default, project) -> list[Diagnostic]:
    problems = []
    present = [lang for lang in languages if lang in versions]
    anchor = versions[present[0]]
    for lang in languages:
        if lang not in versions:
            expected = project.docs_dir / Path(article).with_suffix(f".{lang}.md")
            problems.append(Diagnostic(anchor.shown, 1, "missing-translation",
                                       f"no {lang} version of '{article}' ({expected.name}); write it, or create it with "
                                       f"front matter 'translation: awaiting' to publish a notice instead",
                                       languages=(lang,)))
    # Pages awaiting translation, and empty ones (reported already), have nothing to compare.
    compared = [lang for lang in present if not versions[lang].awaiting_translation and not versions[lang].empty]
    if len(compared) < 2:
        return problems
    base_lang = default if default in compared else compared[0]
    problems.extend(_fact_sets(versions, references, compared))
    problems.extend(_procedures(versions, references, compared, base_lang))
    problems.extend(_links(versions, compared, languages))
    return problems


def _fact_sets(versions, references, compared) -> list[Diagnostic]:
    problems = []
    first_use: dict[str, dict[str, Reference]] = defaultdict(dict)
    for lang in compared:
        for ref in references[versions[lang].article, lang]:
            first_use[ref.fact_id].setdefault(lang, ref)
    for fact_id, uses in sorted(first_use.items()):
        missing = [lang for lang in compared if lang not in uses]
        if not missing:
            continue
        having = [lang for lang in compared if lang in uses]
        where = uses[having[0]]
        problems.append(Diagnostic(
            versions[having[0]].shown, where.line, "fact-set",
            f"fact '{fact_id}' is referenced in {', '.join(having)} but not in {', '.join(missing)} "
            f"({', '.join(versions[lang].shown for lang in missing)})",
            fact=fact_id, languages=tuple(compared)))
    return problems


def _procedures(versions, references, compared, base_lang) -> list[Diagnostic]:
    problems = []
    lists = {lang: ordered_lists(versions[lang], references[versions[lang].article, lang]) for lang in compared}
    base = lists[base_lang]
    base_page = versions[base_lang]
    for lang in compared:
        if lang == base_lang:
            continue
        page, other = versions[lang], lists[lang]
        if len(other) != len(base):
            problems.append(Diagnostic(page.shown, (other or base)[0].line if other else 1, "procedure-steps",
                                       f"{len(base)} ordered list(s) in {base_lang} ({base_page.shown}) but {len(other)} in {lang}",
                                       languages=(base_lang, lang)))
            continue
        for number, (a, b) in enumerate(zip(base, other), 1):
            steps_a = [item.refs for item in a.items]
            steps_b = [item.refs for item in b.items]
            if steps_a == steps_b:
                continue
            detail = f"{base_lang}: {_steps(steps_a)}; {lang}: {_steps(steps_b)}"
            if len(steps_a) != len(steps_b):
                kind = "merged" if len(steps_b) < len(steps_a) and sorted(sum(steps_a, [])) == sorted(sum(steps_b, [])) else \
                       "missing" if len(steps_b) < len(steps_a) else "added"
                message = (f"ordered list {number} has {len(steps_a)} steps in {base_lang} ({base_page.shown}:{a.line}) "
                           f"but {len(steps_b)} in {lang}: a step is {kind} ({detail})")
            else:
                k = next(i for i, (x, y) in enumerate(zip(steps_a, steps_b)) if x != y)
                kind = "reordered" if sorted(map(tuple, steps_a)) == sorted(map(tuple, steps_b)) else "different"
                message = (f"step {k + 1} of ordered list {number} differs: steps are {kind} "
                           f"({detail})")
            problems.append(Diagnostic(page.shown, b.line, "procedure-steps", message, languages=(base_lang, lang)))
    return problems


def _steps(steps: list[list[str]]) -> str:
    return " | ".join(", ".join(refs) or "-" for refs in steps)


def _links(versions, compared, languages) -> list[Diagnostic]:
    problems = []
    found = {lang: internal_links(versions[lang], languages) for lang in compared}
    targets = {lang: {link.target for link in links} for lang, links in found.items()}
    for target in sorted(set().union(*targets.values())):
        missing = [lang for lang in compared if target not in targets[lang]]
        if not missing:
            continue
        having = [lang for lang in compared if target in targets[lang]]
        link = next(link for link in found[having[0]] if link.target == target)
        problems.append(Diagnostic(versions[having[0]].shown, link.line, "internal-links",
                                   f"link to '{target}' in {', '.join(having)} but not in {', '.join(missing)}",
                                   languages=tuple(compared)))
    return problems
