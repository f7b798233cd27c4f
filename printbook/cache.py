"""Printed books kept by content, so that a build prints again only the books that changed.

A book's key is the SHA-256 of everything its PDF is made from, computed before anything is
assembled or laid out:

- the book: its chapters' HTML as rendered (facts filled in), titles, URLs, the cover's
  words and dates; not the built site's location: the same site built into another folder
  has the same books;
- the bytes of every file of the site its chapters show (images);
- the site's stylesheets given to the book (their bytes, not their names);
- the printing code: every file of this package (book.css and messages.yaml included)
  and the versions of WeasyPrint and pydyf; and a ``salt`` from the caller (the MkDocs hook's
  own source).

Never a time stamp: a file touched but unchanged is a hit, a change of one byte a miss. The
registry and the templates reach the book only through the pages' HTML, so they are covered.
A hit is the PDF as it was written, with what printing it reported (pages, warnings, what
was refused), so a cached book is reported exactly as a printed one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from importlib import metadata, resources
from pathlib import Path
from typing import Sequence
from urllib.parse import urljoin, urlsplit

from .book import Book
from .render import Printed
from .safety import inside

_SRC = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]+)""", re.I)
# Entries not used for this long are removed (by age of last use: pruning only, never a key).
KEEP_UNUSED_DAYS = 30


@functools.cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    package = resources.files(__package__)
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.rsplit(".", 1)[-1] in ("py", "css", "yaml"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    for distribution in ("weasyprint", "pydyf"):
        try:
            digest.update(f"{distribution}={metadata.version(distribution)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{distribution}=?\0".encode())
    return digest.hexdigest()


def book_key(book: Book, site_dir: Path, stylesheets: Sequence[Path] = (), salt: str = "") -> str:
    """The key of ``book`` printed from ``site_dir``: computed from its inputs, before anything is
    assembled or laid out, so that a hit costs a hash and a copy (in the MkDocs process)."""
    digest = hashlib.sha256()

    def add(*parts) -> None:
        for part in parts:
            digest.update((part if isinstance(part, bytes) else str(part).encode("utf-8")) + b"\0")

    add(
        code_fingerprint(),
        salt,
        book.language,
        book.title,
        book.built_on.isoformat(),
        book.facts_as_of or "",
        book.site_url,
        book.description,
        " > ".join(book.section),
        book.volume,
        book.volumes,
    )
    root = Path(site_dir).absolute()
    for chapter in book.chapters:
        add("chapter", chapter.url, chapter.title, chapter.source, chapter.html)
        for src in sorted(set(_SRC.findall(chapter.html))):  # the site's images the chapter shows
            parts = urlsplit(src.strip())
            if parts.scheme or parts.netloc:
                continue
            path = root / urlsplit(urljoin("/" + chapter.url, parts.path)).path.lstrip("/")
            if path.is_file() and inside(path.as_uri(), root):
                add(src, _file_digest(path))
    for sheet in stylesheets:
        add("stylesheet", Path(sheet).read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


class BookCache:
    """``cache_dir/ab/abcdef….pdf`` and its ``.json`` (what printing it reported)."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = Path(cache_dir)

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.cache_dir / key[:2]
        return folder / f"{key}.pdf", folder / f"{key}.json"

    def get(self, key: str, target: Path) -> Printed | None:
        pdf, report = self._paths(key)
        try:
            fields = json.loads(report.read_text("utf-8"))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, target)
        except (OSError, ValueError):
            return None
        now = time.time()
        for path in (pdf, report):
            try:
                os.utime(path, (now, now))  # last use, for pruning
            except OSError:
                pass
        return Printed(
            target,
            fields["pages"],
            0.0,
            0.0,
            fields["refused_urls"],
            fields["warnings"],
            fields["refused"],
            cached=True,
        )

    def put(self, key: str, printed: Printed) -> None:
        pdf, report = self._paths(key)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        fields = {
            "pages": printed.pages,
            "refused_urls": printed.refused_urls,
            "warnings": printed.warnings,
            "refused": printed.refused,
        }
        # Written aside, then renamed: two builds at once never read half a file.
        for path, data in (
            (pdf, Path(printed.path).read_bytes()),
            (report, json.dumps(fields, ensure_ascii=False).encode("utf-8")),
        ):
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as out:
                out.write(data)
            os.replace(out.name, path)

    def prune(self, keep_days: float = KEEP_UNUSED_DAYS) -> int:
        """Remove entries not used for ``keep_days``; the number of files removed."""
        limit = time.time() - keep_days * 86400
        removed = 0
        for path in self.cache_dir.glob("*/*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
        return removed
