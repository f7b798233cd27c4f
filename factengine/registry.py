"""The fact registry: one YAML file, validated by the schema, with every value's line kept."""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from pydantic import ValidationError

from . import references
from .diagnostics import Diagnostic, FactError, display_path
from .schema import Marketplace, RegistryBody, RegistryHead, SiteSettings, Source
from .yamlsource import LocatedData, load_yaml



@dataclasses.dataclass
class Registry:
    path: Path
    site: SiteSettings
    marketplaces: dict[str, Marketplace]
    sources: dict[str, Source]
    facts: dict  # id -> fact model (schema.Fact)
    located: LocatedData

    @property
    def languages(self) -> list[str]:
        return list(self.site.languages)

    @property
    def shown_path(self) -> str:
        return display_path(self.path)

    def line_of(self, *loc) -> int:
        return self.located.line_of(tuple(loc))

    def region_of(self, fact) -> str:
        return self.marketplaces[fact.marketplace].region

    @classmethod
    def load_current(cls, path: Path) -> "Registry":
        """The registry as the file is now, parsed once per change of the file.

        For the site's other hooks, which each need it once per language's build;
        a registry with errors is not kept (the fact hook reports them).
        """
        stat = Path(path).stat()
        return _load_once(str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)

    @classmethod
    def load(cls, path: Path) -> "Registry":
        located = load_yaml(path)
        shown = display_path(path)
        data = located.data
        if not isinstance(data, dict):
            raise FactError([Diagnostic(shown, 1, "schema", "the registry must be a mapping with site, marketplaces, sources and facts")])
        problems: list[Diagnostic] = []
        head_keys = ("site", "marketplaces")
        try:
            head = RegistryHead.model_validate({k: data.get(k) for k in head_keys if k in data})
        except ValidationError as exc:
            raise FactError(_schema_diagnostics(exc, located, shown, ())) from None
        context = {"languages": head.site.languages, "marketplaces": head.marketplaces}
        unknown_top = [k for k in data if k not in (*head_keys, "sources", "facts")]
        for key in unknown_top:
            problems.append(Diagnostic(shown, located.line_of((key,)), "schema", f"unknown top-level section '{key}'"))
        body_data = {k: data.get(k) or {} for k in ("sources", "facts")}
        try:
            body = RegistryBody.model_validate(body_data, context=context)
        except ValidationError as exc:
            problems.extend(_schema_diagnostics(exc, located, shown, ()))
            raise FactError(problems) from None
        registry = cls(path, head.site, head.marketplaces, body.sources, body.facts, located)
        problems.extend(registry._cross_references())
        if problems:
            raise FactError(problems)
        return registry

    def _cross_references(self) -> list[Diagnostic]:
        """What the schema cannot see: ids that must name other entries of the registry."""
        problems = []
        shown = self.shown_path
        for fact_id, fact in self.facts.items():
            for i, source in enumerate(fact.sources):
                if source not in self.sources:
                    problems.append(Diagnostic(shown, self.line_of("facts", fact_id, "sources", i), "unknown-source",
                                               f"fact '{fact_id}' cites unknown source '{source}'", fact=fact_id))
            for i, event in enumerate(getattr(fact, "history", [])):
                if event.source not in self.sources:
                    problems.append(Diagnostic(shown, self.line_of("facts", fact_id, "history", i, "source"), "unknown-source",
                                               f"fact '{fact_id}' history cites unknown source '{event.source}'", fact=fact_id))
            for i, step in enumerate(getattr(fact, "steps", [])):
                for lang, text in step.items():
                    where = self.line_of("facts", fact_id, "steps", i, lang)
                    refs, found = references.parse(text, shown=shown, first_line=where, languages=(lang,))
                    problems.extend(dataclasses.replace(d, fact=fact_id) for d in found)
                    for ref in refs:
                        problems.extend(references.resolve(ref, self, shown=shown, place=references.STEP,
                                                           languages=(lang,), within=fact_id))
        return problems


@functools.lru_cache(maxsize=4)
def _load_once(path: str, mtime_ns: int, size: int) -> Registry:
    return Registry.load(Path(path))


def _schema_diagnostics(exc: ValidationError, located: LocatedData, shown: str, prefix: tuple) -> list[Diagnostic]:
    result = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(error["loc"])
        rule = _rule_for(loc, error)
        fact = loc[1] if len(loc) > 1 and loc[0] == "facts" else None
        if error["type"] == "missing" and error["loc"]:
            message = f"{'.'.join(str(p) for p in loc)}: required field is missing"
        else:
            message = f"{'.'.join(str(p) for p in loc)}: {error['msg'].removeprefix('Value error, ')}"
        result.append(Diagnostic(shown, located.line_of(loc), rule, message, fact=fact))
    return result


_DATE_FIELDS = {"as_of", "date", "valid_from", "valid_until", "retired_on"}


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
