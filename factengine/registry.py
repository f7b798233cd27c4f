"""The fact registry: validated by the schema, with every value's file and line kept.

The registry is ``facts/registry.yaml`` (the site's settings, the marketplaces, and any
sources and facts) plus every other ``*.yaml`` file beside it, each holding ``sources:``
and ``facts:`` only: a help centre of hundreds of articles keeps its facts by topic. It
is one registry all the same: one namespace of ids (an id defined in two files is a
``duplicate-id`` naming both), one schema, one set of rules.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import phonenumbers
from pydantic import ValidationError

from . import references
from .diagnostics import Diagnostic, FactError, display_path
from .schema import Marketplace, RegistryBody, RegistryHead, SiteSettings, Source
from .yamlsource import LocatedData, load_yaml

SECTIONS = ("sources", "facts")


@dataclasses.dataclass
class Registry:
    path: Path  # the main file, facts/registry.yaml
    site: SiteSettings
    marketplaces: dict[str, Marketplace]
    sources: dict[str, Source]
    facts: dict  # id -> fact model (schema.Fact)
    files: dict[Path, LocatedData]  # every file read, the main one first
    origin: dict[tuple[str, str], Path]  # ("facts" | "sources", id) -> the file that defines it

    @property
    def languages(self) -> list[str]:
        return list(self.site.languages)

    @property
    def shown_path(self) -> str:
        return display_path(self.path)

    def where(self, *loc) -> tuple[str, int]:
        """The file (as shown in reports) and line of a value: ``where("facts", "money.x", "as_of")``."""
        path = self.origin.get(tuple(loc[:2]), self.path) if len(loc) >= 2 else self.path
        return display_path(path), self.files[path].line_of(tuple(loc))

    def line_of(self, *loc) -> int:
        return self.where(*loc)[1]

    def diagnostic(self, loc: tuple, rule: str, message: str, **extra) -> Diagnostic:
        shown, line = self.where(*loc)
        return Diagnostic(shown, line, rule, message, **extra)

    def region_of(self, fact) -> str:
        return self.marketplaces[fact.marketplace].region

    def phone_key(self, fact) -> str:
        """A phone fact's number as one string, whatever notation the registry uses: E.164 for a
        full number, the region and the digits for a short one ("JP 188")."""
        if fact.short:
            return f"{self.region_of(fact)} {fact.number}"
        number = phonenumbers.parse(fact.number, self.region_of(fact))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @staticmethod
    def paths(path: Path) -> list[Path]:
        """The files of the registry whose main file is ``path``."""
        path = Path(path)
        others = (
            sorted(p for p in path.parent.glob("*.yaml") if p.resolve() != path.resolve())
            if path.parent.is_dir()
            else []
        )
        return [path, *others]

    @staticmethod
    def head(path: Path) -> tuple[SiteSettings, LocatedData] | None:
        """The main file's site settings alone (and the file, for its lines), or None: when the
        registry as a whole does not load (facts lack their texts in a language just added), the
        check still knows the site's languages."""
        try:
            main = load_yaml(Path(path))
            if not isinstance(main.data, dict):
                return None
            head = RegistryHead.model_validate({k: main.data[k] for k in ("site", "marketplaces") if k in main.data})
        except (FactError, ValidationError):
            return None
        return head.site, main

    @classmethod
    def load(cls, path: Path) -> "Registry":
        path = Path(path)
        problems: list[Diagnostic] = []
        files: dict[Path, LocatedData] = {}
        for file in cls.paths(path):
            try:
                files[file] = load_yaml(file)
            except FactError as exc:
                problems.extend(exc.diagnostics)
        if path not in files:
            raise FactError(problems)
        main = files[path]
        shown = display_path(path)
        if not isinstance(main.data, dict):
            raise FactError(
                [
                    Diagnostic(
                        shown, 1, "schema", "the registry must be a mapping with site, marketplaces, sources and facts"
                    )
                ]
            )
        head_keys = ("site", "marketplaces")
        try:
            head = RegistryHead.model_validate({k: main.data.get(k) for k in head_keys if k in main.data})
        except ValidationError as exc:
            raise FactError(problems + _schema_diagnostics(exc, lambda loc: (shown, main.line_of(loc)))) from None

        # Every file's sources and facts, in one namespace.
        body: dict[str, dict] = {section: {} for section in SECTIONS}
        origin: dict[tuple[str, str], Path] = {}
        for file, located in files.items():
            file_shown = display_path(file)
            data = located.data
            if data is None:
                continue
            if not isinstance(data, dict):
                problems.append(
                    Diagnostic(file_shown, 1, "schema", "a registry file must be a mapping with sources and facts")
                )
                continue
            allowed = (*head_keys, *SECTIONS) if file == path else SECTIONS
            for key in data:
                if key not in allowed:
                    where = "" if file == path else " (site and marketplaces go in the main registry file)"
                    problems.append(
                        Diagnostic(
                            file_shown, located.line_of((key,)), "schema", f"unknown top-level section '{key}'{where}"
                        )
                    )
            for section in SECTIONS:
                entries = data.get(section) or {}
                if not isinstance(entries, dict):
                    problems.append(
                        Diagnostic(
                            file_shown,
                            located.line_of((section,)),
                            "schema",
                            f"'{section}' must be a mapping of ids to entries",
                        )
                    )
                    continue
                for key, value in entries.items():
                    first = origin.get((section, key))
                    if first is not None:
                        problems.append(
                            Diagnostic(
                                file_shown,
                                located.line_of((section, key)),
                                "duplicate-id",
                                f"'{key}' is defined twice (first in {display_path(first)} at line "
                                f"{files[first].line_of((section, key))})",
                                fact=key if section == "facts" else None,
                            )
                        )
                        continue
                    origin[(section, key)] = file
                    body[section][key] = value

        def locate(loc: tuple) -> tuple[str, int]:
            fact = body["facts"].get(loc[1]) if len(loc) >= 3 and loc[0] == "facts" else None
            if isinstance(fact, dict) and fact.get("kind") == loc[2]:
                # pydantic names the fact's kind in the location (facts.url.help.url.title); the data has no
                # such key, or has it as a field (a url fact's url, a date fact's date) on another line.
                loc = loc[:2] + loc[3:]
            file = origin.get(tuple(loc[:2]), path) if len(loc) >= 2 else path
            return display_path(file), files[file].line_of(loc)

        context = {"languages": head.site.languages, "marketplaces": head.marketplaces}
        try:
            validated = RegistryBody.model_validate(body, context=context)
        except ValidationError as exc:
            raise FactError(problems + _schema_diagnostics(exc, locate)) from None
        registry = cls(path, head.site, head.marketplaces, validated.sources, validated.facts, files, origin)
        problems.extend(registry._cross_references())
        if problems:
            raise FactError(problems)
        return registry

    def _cross_references(self) -> list[Diagnostic]:
        """What the schema cannot see: ids that must name other entries of the registry."""
        problems = []
        for fact_id, fact in self.facts.items():
            for i, source in enumerate(fact.sources):
                if source not in self.sources:
                    problems.append(
                        self.diagnostic(
                            ("facts", fact_id, "sources", i),
                            "unknown-source",
                            f"fact '{fact_id}' cites unknown source '{source}'",
                            fact=fact_id,
                        )
                    )
            for i, event in enumerate(getattr(fact, "history", [])):
                if event.source not in self.sources:
                    problems.append(
                        self.diagnostic(
                            ("facts", fact_id, "history", i, "source"),
                            "unknown-source",
                            f"fact '{fact_id}' history cites unknown source '{event.source}'",
                            fact=fact_id,
                        )
                    )
            for i, step in enumerate(getattr(fact, "steps", [])):
                for lang, text in step.items():
                    shown, where = self.where("facts", fact_id, "steps", i, lang)
                    refs, found = references.parse(text, shown=shown, first_line=where, languages=(lang,))
                    problems.extend(dataclasses.replace(d, fact=fact_id) for d in found)
                    for ref in refs:
                        problems.extend(
                            references.resolve(
                                ref, self, shown=shown, place=references.STEP, languages=(lang,), within=fact_id
                            )
                        )
        for i, fact_id in enumerate(self.site.official):
            fact = self.facts.get(fact_id)
            if fact is None or fact.kind != "url":
                problems.append(
                    self.diagnostic(
                        ("site", "official", i),
                        "unknown-fact",
                        f"site.official names '{fact_id}', which is not a url fact",
                    )
                )
        return problems


def _schema_diagnostics(exc: ValidationError, locate) -> list[Diagnostic]:
    result = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        rule = _rule_for(loc, error)
        fact = loc[1] if len(loc) > 1 and loc[0] == "facts" else None
        if error["type"] == "missing" and error["loc"]:
            message = f"{'.'.join(str(p) for p in loc)}: required field is missing"
        else:
            message = f"{'.'.join(str(p) for p in loc)}: {error['msg'].removeprefix('Value error, ')}"
        shown, line = locate(loc)
        result.append(Diagnostic(shown, line, rule, message, fact=fact))
    return result


_DATE_FIELDS = {"as_of", "date", "valid_from", "valid_until", "retired_on", "reviewed"}


def _rule_for(loc: tuple, error: dict) -> str:
    """Name the rule an editor would look up: the common mistakes get their own names."""
    last = loc[-1] if loc else None
    if last == "sources" and error["type"] in ("too_short", "missing"):
        return "missing-source"
    if last == "number" and loc[:1] == ("facts",):
        return "invalid-phone"
    if last in _DATE_FIELDS and error["type"] != "missing":
        return "bad-date"
    return "schema"
