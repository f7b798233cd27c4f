"""Where an edition of the knowledge base lives: its articles and its registry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

REGISTRY_FILE = Path("facts") / "registry.yaml"


@dataclasses.dataclass
class Project:
    root: Path
    docs_dir: Path | None = None
    registry_path: Path | None = None
    today: dt.date | None = None

    def __post_init__(self):
        self.root = Path(self.root)
        self.docs_dir = Path(self.docs_dir) if self.docs_dir else self.root / "docs"
        self.registry_path = Path(self.registry_path) if self.registry_path else self.root / REGISTRY_FILE
        self.today = self.today or dt.date.today()

    def listing(self) -> list[tuple[Path, bool]]:
        """Every file under the docs folder, Markdown or not (images, downloads, stylesheets), and every
        symbolic link (to a file, a folder or nothing: the checks refuse those that leave the folder),
        each with whether it is a symbolic link.

        ``os.scandir`` tells files and links apart from the folder's own listing, without a system call
        per file: the check lists the folder on every preview rebuild, and at 900 pages ``rglob`` with a
        ``stat`` per file took most of a second."""
        found: list[tuple[Path, bool]] = []
        pending = [str(self.docs_dir)]
        while pending:
            try:
                entries = list(os.scandir(pending.pop()))
            except OSError:
                continue
            for entry in entries:
                if entry.is_symlink():
                    found.append((Path(entry.path), True))
                elif entry.is_file(follow_symlinks=False):
                    found.append((Path(entry.path), False))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
        return sorted(found)
