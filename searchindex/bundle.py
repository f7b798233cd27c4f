"""Writes the Pagefind bundle (``<site>/pagefind/``) from the pages of a built site,
and reports what a reader of each language may download.

The pages given to Pagefind are the index's own copies (see ``pages.py``), written to
a temporary folder that the Pagefind command indexes. The command, rather than
Pagefind's Python API: on 903 pages it took 6 s where the API, fed page by page, took
106 s.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from pagefind.service import get_executable

from .pages import IndexedPage

BUNDLE_DIR = "pagefind"
# What every reader loads before the first result, whatever the language.
SHARED_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")


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


def write_bundle(pages: list[IndexedPage], site_dir: Path) -> dict[str, LanguageIndex]:
    """Index ``pages`` and write the bundle into ``site_dir/pagefind`` (replacing an older one)."""
    command = pagefind_command()
    output = (Path(site_dir) / BUNDLE_DIR).resolve()
    if output.exists():
        shutil.rmtree(output)
    with tempfile.TemporaryDirectory(prefix="searchindex-") as tmp:
        source = Path(tmp) / "pages"
        for page in pages:
            document = (
                source / page.url.strip("/") / "index.html" if page.url.endswith("/") else source / page.url.lstrip("/")
            )
            document.parent.mkdir(parents=True, exist_ok=True)
            document.write_text(page.html, "utf-8")
        run = subprocess.run(
            [str(command), "--site", str(source), "--output-path", str(output)],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    if run.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        raise BundleError(f"pagefind failed (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return bundle_sizes(output)


def bundle_sizes(output: Path) -> dict[str, LanguageIndex]:
    entry = json.loads((output / "pagefind-entry.json").read_text("utf-8"))
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
