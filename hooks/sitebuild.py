"""What the hooks share: one ``Session`` per MkDocs process, one ``Build`` per build of the site.

MkDocs calls each hook module's functions with the config and nothing else, so a hook's state
between events has to live somewhere. It lives here, in two objects, instead of in globals
scattered over the hook modules:

- ``SESSION``: the process (``mkdocs build`` or ``mkdocs serve``): the command, whether builds
  are dirty, the fact engine's editions used (``mkdocs serve`` keeps what it checked), and the
  preview's background search indexer;
- ``SESSION.build``: the build being made, from ``hooks/facts.py``'s ``on_config`` (the first
  hook in mkdocs.yml) to the end of the last language's ``on_post_build``. Each hook keeps its
  own part of it, a class of its own (``build.part(Books)``), made on first use; a new build
  (each preview rebuild too) starts with none.

This module is not a hook (mkdocs.yml does not list it); the hooks import it (MkDocs puts the
hook's folder on ``sys.path`` while it imports a hook).

``EVENT_ORDER`` declares the order of the events the hooks rely on; ``tests/test_site.py``
checks it against the order MkDocs actually calls them in.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.exceptions import PluginError

Part = TypeVar("Part")


def project_cache(config) -> Path:
    """The project's ``.cache/`` (git-ignored), beside mkdocs.yml: what builds keep, each part in
    a folder of its own (MAINTAINING.md lists them)."""
    return Path(config.config_file_path).parent / ".cache"


# (event, the hook or plugin, its priority, why it must come there), in the order MkDocs calls them
# for one build; static-i18n runs the other languages' builds inside its own on_post_build (-100).
EVENT_ORDER: tuple[tuple[str, str, int, str], ...] = (
    ("config", "facts", 0, "starts the build (SESSION.begin) before any other hook sees it"),
    ("config", "i18n", -100, "sets the language being built"),
    ("pre_build", "facts", 0, "checks every source in every language before anything is written"),
    ("pre_build", "search", 0, "reads the readers' words once the registry is checked"),
    ("files", "i18n", -100, "picks the language's files"),
    ("files", "facts", -200, "preview: the pages to render again lose their built file"),
    ("nav", "i18n", -100, "makes the language's navigation"),
    ("nav", "facts", -200, "preview: titles of the pages a dirty build does not read"),
    ("nav", "pdf", -200, "which books the language's navigation makes"),
    ("post_build", "i18n", -100, "builds the other languages"),
    ("post_build", "search", -110, "preview: index once every language is on disk"),
    ("post_build", "pdf", -200, "waits for every language's books"),
    ("post_build", "facts", -1000, "postbuild.finish over the complete site, then publishes it"),
)


class Build:
    """One build of the whole site (every language). Each hook's state is a ``part``."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._parts: dict[type, Any] = {}

    def part(self, kind: type[Part]) -> Part:
        """The hook's state of kind ``kind`` in this build, made (``kind()``) on first use."""
        if kind not in self._parts:
            self._parts[kind] = kind()
        return self._parts[kind]


@dataclasses.dataclass
class Session:
    """The MkDocs process: ``mkdocs build`` (one build) or ``mkdocs serve`` (one per edit)."""

    command: str = "build"
    dirty: bool = False
    editions: set = dataclasses.field(default_factory=set)  # factengine Editions used by this process
    indexer: Any = None  # the preview's background search indexer (hooks/search.py)
    build: Build | None = None

    @property
    def preview(self) -> bool:
        """``mkdocs serve``: the editor's preview."""
        return self.command == "serve"

    def start(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def begin(self) -> Build:
        """A new build of the whole site; the previous build's state is dropped."""
        self.build = Build()
        return self.build

    def current(self) -> Build:
        if self.build is None:  # a hook's event before hooks/facts.py's on_config: mkdocs.yml lists it first
            raise PluginError("mkdocs.yml: no build has begun: hooks/facts.py must be the first of its hooks")
        return self.build


SESSION = Session()
