"""A memo of findings per file of the built site, for the steps that read it after each build."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .registry import Registry


class Memo:
    """What a step over the built site found in each file it read, kept by the file's bytes.

    A build after one edit changes a few pages and one book; reading the other 900 pages and 59
    books again took most of the post-build step at 300 articles (the verifier: 113 s of 150 s,
    the search index's reading of the pages: 30 s). A finding is reused only for the same key
    (the file's place and bytes: ``key``), made by the same code from the same inputs (``salt``);
    the findings not used in a run are dropped. The memo is one file, written at once
    (``os.replace``): a reader sees all of it or none.
    """

    def __init__(self, folder: Path | None, salt: str, name: str = "memo"):
        self._file = Path(folder) / f"{name}.pickle" if folder is not None else None
        self._salt = salt
        self._old: dict = {}
        self._new: dict = {}
        if self._file is not None:
            try:
                with open(self._file, "rb") as handle:
                    stored = pickle.load(handle)
                if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == salt:
                    self._old = stored[1]
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
                pass  # none yet, or damaged: read everything again

    @staticmethod
    def key(shown: str, raw: bytes) -> tuple[str, str]:
        """A file's key: its place (as the step names it) and the digest of its bytes, which the
        caller has read once for its own use too."""
        return shown, digest(raw)

    def get(self, key: tuple):
        found = self._old.get(key)
        if found is not None:
            self._new[key] = found
        return found

    def put(self, key: tuple, value) -> None:
        self._new[key] = value

    def save(self) -> None:
        if self._file is None:
            return
        partial = self._file.with_name(f"{self._file.name}.{os.getpid()}.partial")
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as handle:
                pickle.dump((self._salt, self._new), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self._file)
        except OSError:  # a read-only tree: verified all the same, just not remembered
            partial.unlink(missing_ok=True)


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def package_digest(*packages: Path) -> str:
    """The Python code of these package folders: a finding made by other code is not reused."""
    parts = [
        path.name.encode() + b"\0" + path.read_bytes() for folder in packages for path in sorted(folder.glob("*.py"))
    ]
    return digest(b"\0\0".join(parts))


def registry_salt(registry: Registry, *more: str) -> str:
    """A salt for findings that depend on the registry's files (and on ``more``: code digests…)."""
    parts = [part.encode() for part in more]
    for path in Registry.paths(registry.path):
        try:
            parts.append(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            parts.append(path.name.encode() + b"\0(unreadable)")
    return digest(b"\0\0".join(parts))
