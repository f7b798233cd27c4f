"""MkDocs hook: the site's search, a thin adapter over ``searchindex``.

- ``on_pre_build``: read and check ``search/synonyms.yml`` (a bad file stops the
  build, naming the file).
- ``on_post_build`` (preview only): the index is made in a background thread once
  the editor pauses, so that the edited page is reloaded first.

``mkdocs build`` makes the index with the other work over the built folder
(``postbuild.finish``, called by hooks/facts.py): Pagefind, one index per language,
into ``<site>/pagefind/``.

static-i18n builds the other languages inside the default language's
``on_post_build`` (priority -100); this hook's runs after it (-110), when every
language is on disk and i18n is no longer building.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from factengine.diagnostics import advisory_logger
from factengine.edition import edition_for
from factengine.registry import Registry
from searchindex import SYNONYMS_FILE, Synonyms, SynonymsError, build_search
from sitebuild import SESSION, project_cache

log = logging.getLogger("mkdocs.hooks.search")
# A readers' word list that has drifted from the articles is worth a warning, not a failed
# `--strict` build while articles are being written: a logger outside the "mkdocs" tree
# (tests/test_search.py fails on it instead).
notes = advisory_logger("searchindex.build")


@dataclasses.dataclass
class Search:
    """This hook's part of a build (``sitebuild.Build.part``): what the index is made from."""

    registry: Registry | None = None
    synonyms: Synonyms | None = None


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


class _Indexer:
    """The preview's search index, made in a background thread once the editor pauses (no build for
    IDLE_SECONDS), so that it neither delays the reload of the edited page nor takes the processor
    from the next rebuild; builds that come meanwhile are indexed once, afterwards."""

    IDLE_SECONDS = 5.0

    def __init__(self):
        self._lock = threading.Lock()
        self._wanted: tuple | None = None
        self._requested = 0.0
        self._running = False

    def request(self, site_dir: Path, registry, synonyms, cache_dir: Path) -> None:
        with self._lock:
            self._wanted = (site_dir, registry, synonyms, None, cache_dir)  # build_search's arguments
            self._requested = time.monotonic()
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="search-index", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                idle = time.monotonic() - self._requested
                if self._wanted is not None and idle >= self.IDLE_SECONDS:
                    job, self._wanted = self._wanted, None
                elif self._wanted is None:
                    self._running = False
                    return
                else:
                    job = None
            if job is None:
                time.sleep(self.IDLE_SECONDS - idle)
                continue
            started = time.perf_counter()
            try:
                built = build_search(*job)
            except Exception as exc:
                # A rebuild replaced pages while they were read: index again once it is done. Not an
                # error of the build (a strict build counts the "mkdocs" logger's errors).
                notes.warning(
                    f"search (preview): the index was not updated ({exc}); it is made again after the next build"
                )
                continue
            log.info(f"search (preview): indexed {built.summary()} in {time.perf_counter() - started:.1f} s")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Material's search plugin stays for its search box (overrides/partials/search.html, which its
    header shows only with the plugin), but its index is neither made nor written: nothing loads it.
    Reading every page's HTML for it took 12 % of the build at 300 articles (on_page_context), and
    writing it a second of every language's build. static-i18n calls the plugin's on_post_build
    itself, so the methods are replaced too."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None:
        for event in ("page_context", "post_build"):
            events = config.plugins.events[event]
            events[:] = [method for method in events if getattr(method, "__self__", None) is not search]
        search.on_post_build = _no_index
        search.on_page_context = _no_entry
    return config


def _no_index(*args, **kwargs) -> None:
    return None


def _no_entry(context, **kwargs):
    return context


def on_pre_build(config: MkDocsConfig) -> None:
    """After hooks/facts.py's on_pre_build (hooks run in mkdocs.yml's order), which validated the registry."""
    root = _root(config)
    result = edition_for(root, Path(config.docs_dir)).result
    if result is None or result.registry is None:
        return  # hooks/facts.py reports every registry problem and stops the build
    registry = result.registry
    try:
        synonyms = Synonyms.load(root / SYNONYMS_FILE, registry.languages)
    except SynonymsError as exc:
        raise PluginError(str(exc)) from None
    search = SESSION.current().part(Search)
    search.registry, search.synonyms = registry, synonyms


# After static-i18n's own on_post_build (priority -100), inside which the other languages are built.
@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # one of the other languages' builds: the site is not complete yet
    search = SESSION.current().part(Search)
    if SESSION.preview and search.registry is not None:
        # after the page is shown: livereload reloads the browser when this hook returns
        if SESSION.indexer is None:
            SESSION.indexer = _Indexer()
        # the languages not edited are taken from the cache
        SESSION.indexer.request(Path(config.site_dir), search.registry, search.synonyms, project_cache(config))
        return
