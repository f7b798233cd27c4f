"""The printed book's own phrases (cover, contents, link notes), per language."""
from __future__ import annotations

import functools
from importlib import resources

import yaml

from .errors import BookError

MESSAGES_FILE = "messages.yaml"


@functools.cache
def _catalogue() -> dict[str, dict[str, str]]:
    return yaml.safe_load(resources.files(__package__).joinpath(MESSAGES_FILE).read_text("utf-8"))


def messages(language: str) -> dict[str, str]:
    """Every phrase in ``language``; a language the catalogue lacks is an error naming the file."""
    catalogue = _catalogue()
    missing = sorted(key for key, texts in catalogue.items() if language not in texts)
    if missing:
        raise BookError(f"printbook/{MESSAGES_FILE}: no '{language}' text for {', '.join(missing)}; "
                        f"add it to print the {language} book")
    return {key: texts[language] for key, texts in catalogue.items()}

