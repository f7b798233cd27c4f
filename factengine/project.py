"""Where an edition of the knowledge base lives: its articles and its registry."""
from __future__ import annotations

import dataclasses
import datetime as dt
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

    def sources(self) -> list[Path]:
        """Every Markdown file under the docs folder (a symbolic link included: the checks refuse it)."""
        return sorted(p for p in self.docs_dir.rglob("*.md") if p.is_file() or p.is_symlink())

    def files(self) -> list[Path]:
        """Every file under the docs folder, Markdown or not (images, downloads, stylesheets)."""
        return sorted(p for p in self.docs_dir.rglob("*") if p.is_file() or p.is_symlink())
