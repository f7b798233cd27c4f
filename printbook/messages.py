"""The printed book's own phrases (cover, contents, link notes), per language.

``printbook/messages.yaml`` is a phrase catalogue (key -> language -> text) read by the
fact engine's one loader (``factengine.catalogue``), like the engine's and the site's:
``factcheck`` reports every key missing in a site language before anything is printed.
"""

from __future__ import annotations

from factengine import catalogue
from factengine.diagnostics import FactError

from .errors import BookError

MESSAGES_FILE = "messages.yaml"


def messages(language: str) -> dict[str, str]:
    """Every phrase in ``language``; a language the catalogue lacks is an error naming the file."""
    try:
        found = catalogue.of_package(__package__)
    except FactError as exc:
        raise BookError(str(exc)) from None
    missing = found.keys_missing(language)
    if missing:
        raise BookError(
            f"printbook/{MESSAGES_FILE}: no '{language}' text for {', '.join(missing)}; "
            f"add it to print the {language} book"
        )
    return found.phrases(language)
