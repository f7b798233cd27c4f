"""HTML → tagged PDF with WeasyPrint, reading nothing but local files."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from importlib import resources
from pathlib import Path
from typing import Iterator, Sequence

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .safety import SiteFetcher

BOOK_STYLESHEET = "book.css"
# PDF/UA-1: a tagged structure tree, the document title shown, /Lang from <html lang>.
PDF_VARIANT = "pdf/ua-1"


@dataclasses.dataclass
class Printed:
    path: Path
    pages: int
    seconds: float  # wall-clock time of the printing
    cpu_seconds: float  # processor time it took (in the process that printed it)
    refused_urls: list[str]  # addresses the book needed but did not fetch
    warnings: list[str]  # what WeasyPrint reported (unsupported CSS, unreadable images…)
    refused: list[str] = dataclasses.field(default_factory=list)  # what the pages asked to read or embed
    cached: bool = False  # taken from the cache (printbook/cache.py), not printed again


def write_pdf(document: str, target: Path, site_dir: Path, stylesheets: Sequence[Path] = ()) -> Printed:
    """Print ``document`` (HTML) to ``target``: the site's ``stylesheets``, then the book's own.
    Relative addresses resolve in ``site_dir``, and nothing outside it is read."""
    started, cpu_started = time.perf_counter(), time.process_time()
    base_url = Path(site_dir).absolute().as_uri() + "/"
    fetcher = SiteFetcher(site_dir)
    fonts = FontConfiguration()
    book_css = resources.files(__package__).joinpath(BOOK_STYLESHEET).read_text("utf-8")
    with _weasyprint_messages() as warnings:
        sheets = [CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts) for path in stylesheets]
        sheets.append(CSS(string=book_css, base_url=base_url, url_fetcher=fetcher, font_config=fonts))
        html = HTML(string=document, base_url=base_url, url_fetcher=fetcher)
        rendered = html.render(font_config=fonts, stylesheets=sheets, pdf_variant=PDF_VARIANT)
        target.parent.mkdir(parents=True, exist_ok=True)
        rendered.write_pdf(target, pdf_variant=PDF_VARIANT, attachments=[])
    return Printed(
        target,
        len(rendered.pages),
        time.perf_counter() - started,
        time.process_time() - cpu_started,
        fetcher.refused,
        warnings,
    )


@contextlib.contextmanager
def _weasyprint_messages() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings and errors instead of letting them reach stderr unattributed."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def warm_up(document: str) -> None:
    """Print ``document`` to nowhere: fontconfig's cache, the fonts, WeasyPrint's stylesheets and
    its parser's patterns are then loaded. Called in the worker processes' parent (``press.py``'s
    forkserver, with ``book.sample()``), so that each worker, forked from it, starts with them loaded."""
    import io

    book_css = resources.files(__package__).joinpath(BOOK_STYLESHEET).read_text("utf-8")
    fonts = FontConfiguration()
    with _weasyprint_messages():
        HTML(string=document).render(
            font_config=fonts, stylesheets=[CSS(string=book_css, font_config=fonts)], pdf_variant=PDF_VARIANT
        ).write_pdf(io.BytesIO(), pdf_variant=PDF_VARIANT)
