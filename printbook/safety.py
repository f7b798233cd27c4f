"""What the printed book may read: files of the built site, and nothing else.

WeasyPrint embeds what a document asks for: an ``<a rel="attachment">`` or a
``<link rel="attachment">`` becomes a file inside the PDF, an image or a stylesheet
is read from wherever its address points. A page that asks for ``file:///etc/passwd``
would publish that file to every reader. Two locks, each enough on its own:

- :func:`sanitize` removes, before printing, every element and attribute that would
  make WeasyPrint read or embed something (attachments, ``<link>``, ``<object>``,
  ``<embed>``, frames, media, SVG ``<image>``/``<use>``, styles that load, images
  outside the site), and says what it removed and from which page;
- :class:`SiteFetcher` reads only ``data:`` addresses and ``file:`` addresses whose
  real path (symbolic links followed, ``..`` resolved) is inside the built site.

The fact check refuses all of these in the sources already, with their line
(``local-file``, ``unsafe-html``); these locks hold for any HTML the book is given.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from bs4 import Tag
from weasyprint.urls import URLFetcher, URLFetchingError

# Elements that load, embed or run something.
_LOADING_ELEMENTS = (
    "link",
    "base",
    "meta",
    "object",
    "embed",
    "iframe",
    "frame",
    "frameset",
    "applet",
    "audio",
    "video",
    "source",
    "track",
    "script",
    "image",
    "use",
    "feimage",
    "portal",
)
# Attributes holding an address WeasyPrint (or a PDF reader) may read.
_LOADING_ATTRIBUTES = ("srcset", "poster", "background", "data", "xlink:href", "lowsrc", "dynsrc", "longdesc")
_CSS_LOADS = re.compile(r"url\s*\(|@import|image\s*\(|image-set\s*\(|\\", re.I)


def sanitize(article: Tag, page: str, site_dir: Path, locate) -> list[str]:
    """Remove from ``article`` whatever would read or embed a file; return what was removed,
    each naming ``page`` (the article's source). ``locate`` turns an image's ``src`` into the
    address of the file in the site; an image whose file is not inside ``site_dir`` goes."""
    refused: list[str] = []

    def refuse(element: Tag, what: str) -> None:
        refused.append(f"{page}: [local-file] the printed book refuses {what}")

    for element in list(article.find_all(True)):
        if getattr(element, "decomposed", False):  # inside an element removed already
            continue
        name = element.name.lower()
        rel = " ".join(element.get_attribute_list("rel") or []).lower().split() if element.has_attr("rel") else []
        if name in _LOADING_ELEMENTS or (name == "input" and str(element.get("type", "")).lower() == "image"):
            refuse(element, f"<{name}{_describe(element)}>")
            element.decompose()
            continue
        if "attachment" in rel:
            refuse(element, f"an attachment <{name}{_describe(element)}>")
            del element["rel"]
            element.attrs.pop("href", None)
        if name == "style" and _CSS_LOADS.search(element.get_text()):
            refuse(element, "a <style> element that loads files")
            element.decompose()
            continue
        for attribute in list(element.attrs):
            value = element.get(attribute)
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower() == "style" and _CSS_LOADS.search(value):
                refuse(element, f"a style attribute that loads files: {value[:80]!r}")
                del element[attribute]
            elif attribute.lower() in _LOADING_ATTRIBUTES:
                refuse(element, f"<{name} {attribute}={value[:80]!r}>")
                del element[attribute]
            elif attribute.lower() == "href" and urlsplit(value.strip()).scheme.lower() == "file":
                refuse(element, f"a link to a local file {value[:80]!r}")
                del element[attribute]
        if name == "img" and element.has_attr("src"):
            src = locate(element["src"].strip())
            if src.startswith("data:image/") or inside(src, site_dir):
                element["src"] = src
            else:
                refuse(element, f"an image outside the site {element['src'][:80]!r}")
                element.decompose()
    return refused


def _describe(element: Tag) -> str:
    for attribute in ("href", "src", "data", "xlink:href"):
        if element.has_attr(attribute):
            return f' {attribute}="{str(element[attribute])[:80]}"'
    return ""


def inside(url: str, site_dir: Path) -> bool:
    """Whether a ``file:`` address (or a path) names a file inside ``site_dir``, symbolic links followed."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() != "file":
        return False
    if parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(unquote(parts.path)))
    root = os.path.realpath(site_dir)
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)


class SiteFetcher(URLFetcher):
    """Reads ``data:`` addresses and files of the built site; refuses and remembers everything else."""

    def __init__(self, site_dir: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.site_dir = Path(site_dir)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.partition(":")[0].lower()
        if scheme == "data" or (scheme == "file" and inside(url, self.site_dir)):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise URLFetchingError(f"the printed book reads only files of the built site, not {url}")
