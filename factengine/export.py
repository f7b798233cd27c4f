"""The registry as machine-readable data (``facts.json``), shipped with the site."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .registry import Registry
from .render import Renderer


def registry_data(registry: Registry) -> dict:
    renderers = {lang: Renderer(registry, lang) for lang in registry.languages}
    facts = {}
    for fact_id, fact in registry.facts.items():
        entry = fact.model_dump(mode="json", exclude_none=True)
        entry["rendered"] = {lang: r.plain(fact) for lang, r in renderers.items()}
        facts[fact_id] = entry
    return {
        "languages": registry.languages,
        "default_language": registry.site.default_language,
        "marketplaces": {k: v.model_dump(mode="json") for k, v in registry.marketplaces.items()},
        "sources": {k: v.model_dump(mode="json", exclude_none=True) for k, v in registry.sources.items()},
        "facts": facts,
    }


def write_json(data: dict, path: Path) -> None:
    """Write whole or not at all: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
