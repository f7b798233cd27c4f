"""Writes the Pagefind bundle (``<site>/pagefind/``) from the pages of a built site,
and reports what a reader of each language may download.

The pages given to Pagefind are the index's own copies (see ``pages.py``), written to
a temporary folder that the Pagefind command indexes. The command, rather than
Pagefind's Python API: on 903 pages it took 6 s where the API, fed page by page, took
106 s.

Pagefind indexes each language on its own anyway (a reader downloads only their
language's files), so each language is one run of the command, and the bundle is their
union: the files are named by language and content, and ``pagefind-entry.json`` lists
the languages. A language whose documents did not change since the last build is taken
from the cache (``cache_dir``: ``.cache/search/``), keyed by the documents, the
command's arguments and the Pagefind executable's bytes. An edit to an English page
then re-indexes the English pages alone, without loading the Japanese dictionary,
which is most of Pagefind's time and memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from pagefind.service import get_executable

from .pages import IndexedPage

BUNDLE_DIR = "pagefind"
ENTRY = "pagefind-entry.json"  # the bundle's list of languages, which pagefind.js reads first
CACHE_SUBDIR = "search"  # each language's last bundle, under the project's .cache/
_ARGUMENTS = ("--site", "{source}", "--output-path", "{output}")
# What every reader loads before the first result, whatever the language.
SHARED_FILES = ("pagefind.js", "pagefind-worker.js", ENTRY)


class BundleError(RuntimeError):
    pass


@dataclasses.dataclass
class LanguageIndex:
    language: str
    pages: int
    loader_bytes: int  # pagefind.js, its worker, the entry file, the language's WASM and metadata
    index_bytes: int  # all of the language's index chunks (a query loads only some)
    fragment_bytes: int  # all of the language's result fragments (one per result shown)

    @property
    def total_bytes(self) -> int:
        """The most a reader of this language could ever download: everything of its language."""
        return self.loader_bytes + self.index_bytes + self.fragment_bytes


def pagefind_command() -> Path:
    """The Pagefind executable with Japanese segmentation (the "extended" build)."""
    executable = get_executable()
    if executable is None or "extended" not in executable.name:
        raise BundleError(
            f"the extended Pagefind build is needed to segment Japanese, found {executable}: "
            f"install requirements.txt (pagefind[extended], pagefind-bin-extended)"
        )
    return executable


def write_bundle(pages: list[IndexedPage], site_dir: Path, cache_dir: Path | None = None) -> dict[str, LanguageIndex]:
    """Index ``pages`` and write the bundle into ``site_dir/pagefind`` (replacing an older one).
    With ``cache_dir``, a language indexed before from the same documents is taken from there."""
    command = pagefind_command()
    output = (Path(site_dir) / BUNDLE_DIR).resolve()
    if output.exists():
        shutil.rmtree(output)
    by_language: dict[str, list[IndexedPage]] = {}
    for page in pages:
        by_language.setdefault(page.language, []).append(page)
    entry: dict | None = None
    with _cache_lock(cache_dir):
        for language in sorted(by_language):
            with _language_bundle(command, language, by_language[language], cache_dir) as part:
                entry = _merge(part, output, entry)
    if entry is None:
        raise BundleError("no page to index: the site has no article page")
    (output / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return bundle_sizes(output)


@contextlib.contextmanager
def _language_bundle(command: Path, language: str, pages: list[IndexedPage], cache_dir: Path | None) -> Iterator[Path]:
    """The folder holding the Pagefind bundle of one language's ``pages``: the cache's, or a new
    one (stored in the cache when there is one, else removed once the caller has copied it)."""
    kept = Path(cache_dir) / CACHE_SUBDIR / f"{language}-{_key(command, pages)}" if cache_dir is not None else None
    if kept is not None and (kept / ENTRY).is_file():
        yield kept
        return
    with tempfile.TemporaryDirectory(prefix=f"searchindex-{language}-") as tmp:
        source, output = Path(tmp) / "pages", Path(tmp) / "bundle"
        for page in pages:
            relative = page.url.strip("/") + "/index.html" if page.url.endswith("/") else page.url.lstrip("/")
            document = source / relative.lstrip("/")
            document.parent.mkdir(parents=True, exist_ok=True)
            document.write_text(page.html, "utf-8")
        arguments = [a.format(source=source, output=output) for a in _ARGUMENTS]
        run = subprocess.run([str(command), *arguments], cwd=tmp, capture_output=True, text=True, timeout=1800)
        if run.returncode != 0 or not (output / ENTRY).is_file():
            raise BundleError(
                f"pagefind failed on the {language} pages (exit {run.returncode}):\n"
                f"{run.stdout[-2000:]}{run.stderr[-2000:]}"
            )
        if kept is None:
            yield output
            return
        kept.parent.mkdir(parents=True, exist_ok=True)
        for older in kept.parent.iterdir():  # one bundle kept per language: the last one
            if older.is_dir() and older.name.rsplit("-", 1)[0] == language:
                shutil.rmtree(older, ignore_errors=True)
        os.replace(output, kept)  # whole or not at all: a reader of the cache sees no half bundle
        yield kept


@contextlib.contextmanager
def _cache_lock(cache_dir: Path | None) -> Iterator[None]:
    """One build at a time reads and writes the cache of bundles (two builds of the project at
    once, as parallel tests make them, would otherwise remove each other's bundles)."""
    if cache_dir is None:
        yield
        return
    folder = Path(cache_dir) / CACHE_SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _key(command: Path, pages: list[IndexedPage]) -> str:
    """What a language's bundle is made from: the documents, the arguments and the executable."""
    digest = hashlib.sha256(_executable_digest(str(command)).encode())
    digest.update("\0".join(_ARGUMENTS).encode())
    for page in sorted(pages, key=lambda p: p.url):
        digest.update(b"\0\0" + page.url.encode() + b"\0" + page.html.encode())
    return digest.hexdigest()[:32]


@functools.lru_cache(maxsize=4)
def _executable_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _merge(part: Path, output: Path, entry: dict | None) -> dict:
    """Copy one language's bundle into ``output``; its entry's languages join ``entry``'s."""
    found = json.loads((part / ENTRY).read_text("utf-8"))
    shutil.copytree(part, output, dirs_exist_ok=True, ignore=shutil.ignore_patterns(ENTRY), copy_function=_link)
    if entry is None:
        return found
    if found.get("version") != entry.get("version"):
        raise BundleError(f"two Pagefind versions in one bundle: {entry.get('version')} and {found.get('version')}")
    twice = entry["languages"].keys() & found["languages"].keys()
    if twice:
        raise BundleError(f"the language {sorted(twice)} was indexed twice: pages disagree on their <html lang>")
    entry["languages"].update(found["languages"])
    return entry


def _link(source: str, target: str) -> None:
    """A hard link where the file system allows it (the cache and the site are usually on the same
    one): the bundle's files are written once and never changed in place, only replaced."""
    if os.path.lexists(target):  # a file every language has (pagefind.js): replaced, not written through
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def bundle_sizes(output: Path) -> dict[str, LanguageIndex]:
    entry = json.loads((output / ENTRY).read_text("utf-8"))
    shared = sum((output / name).stat().st_size for name in SHARED_FILES)
    sizes = {}
    for language, info in entry["languages"].items():
        wasm = output / f"wasm.{info['wasm'] or 'unknown'}.pagefind"
        meta = output / f"pagefind.{info['hash']}.pf_meta"
        sizes[language] = LanguageIndex(
            language=language,
            pages=info["page_count"],
            loader_bytes=shared + wasm.stat().st_size + meta.stat().st_size,
            index_bytes=sum(p.stat().st_size for p in (output / "index").glob(f"{language}_*.pf_index")),
            fragment_bytes=sum(p.stat().st_size for p in (output / "fragment").glob(f"{language}_*.pf_fragment")),
        )
    return sizes
