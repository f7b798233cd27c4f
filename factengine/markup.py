"""What an article's Markdown and HTML show a reader, and what they make a browser or the book fetch.

Two questions are asked of an article's body (code and comments already blanked, offsets kept):

- which addresses it links to or loads, and with which attributes: a hand-written
  ``tel:`` link, a ``file:`` URL, an attachment for the printed book, a script are
  refused here, with their line, before anything is built;
- which text a reader sees: prose, but also image ``alt`` text, link titles and the
  ``title`` or ``aria-label`` of raw HTML. :func:`visible_text` blanks everything else
  (tags, addresses, attribute lists), keeping offsets, so that the literal finder
  (``literals.py``) searches exactly what a reader can read.

Raw HTML is read with the standard library's ``html.parser``, which decodes character
references in attribute values as a browser does: ``&#116;el:`` is ``tel:``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import html
import re
from html.parser import HTMLParser

# Schemes an article may link to. Everything else is refused: phone links come from fact
# references only, and a file, script or data address has no place in a help article.
ALLOWED_SCHEMES = {"http", "https", "mailto"}
PHONE_SCHEMES = {
    "tel",
    "sms",
    "mms",
    "callto",
    "facetime",
    "facetime-audio",
    "skype",
    "sip",
    "sips",
    "wtai",
    "whatsapp",
    "viber",
}
LOCAL_SCHEMES = {"file", "filesystem", "smb", "ftp", "jar", "view-source"}

# Elements that load or run something, or change how addresses resolve: none belongs in an article.
FORBIDDEN_ELEMENTS = {
    "script",
    "style",
    "link",
    "meta",
    "base",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "image",
    "use",
    "feimage",
    "audio",
    "video",
    "source",
    "track",
    "portal",
    "template",
    "noscript",
    "math",
    "svg",
}
# Attributes whose value is an address (a srcset holds several).
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "data",
    "poster",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "cite",
    "longdesc",
    "codebase",
    "archive",
    "manifest",
    "ping",
    "lowsrc",
    "dynsrc",
    "itemid",
}
# Attributes a reader sees (as a tooltip, in place of an image, read aloud).
VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-placeholder",
    "aria-valuetext",
    "placeholder",
    "label",
    "summary",
    "value",
    "abbr",
    "content",
}


@dataclasses.dataclass(frozen=True)
class Address:
    """An address the article links to or loads, where it stands and what holds it."""

    offset: int  # in the body
    url: str  # as a browser reads it (character references decoded)
    holder: str  # "link", "image", "definition", "autolink", "<a href>", "{: href }"…
    attachment: bool = False

    @property
    def scheme(self) -> str | None:
        m = _SCHEME.match(_browser_url(self.url))
        return m.group(1).lower() if m else None


@dataclasses.dataclass(frozen=True)
class Element:
    """A raw HTML start tag (or an attribute list) with its attributes, decoded."""

    offset: int
    name: str  # "{:" for an attribute list
    attributes: tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class Markup:
    addresses: list[Address]
    elements: list[Element]


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INLINE_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))"
    r"(?:\s+(?P<title>\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_LINK_TAIL = re.compile(r"\]\((?P<inner>[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
_DEFINITION = re.compile(
    r"^[ ]{0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?"
    r"(?:[ \t]+(?P<title>\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
    re.M,
)
_AUTOLINK = re.compile(r"<(?P<url>[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
# attr_list: "{: #id .class key=value }" or "{ key=value }" after an element; never "{{".
_ATTR_LIST = re.compile(
    r"(?<!\{)\{:?(?P<body>[ \t]*(?:[#.][^\s{}]+|[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+))"
    r"(?:[ \t]+(?:[#.][^\s{}]+|[\w:-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+)))*[ \t]*)\}(?!\})"
)
_ATTR = re.compile(r"(?P<key>[\w:-]+)=(?:\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)'|(?P<bare>[^\s{}]+))")
_BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\"']+")
_TAG = re.compile(r"</?[a-zA-Z][^<>\n]*>|</?[a-zA-Z][^<>]*?>", re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")


def _browser_url(url: str) -> str:
    """What a browser makes of an attribute's address: outer spaces and controls stripped, tabs and
    line breaks inside removed (``"t\\nel:"`` is ``tel:``)."""
    return re.sub(r"[\t\n\r]", "", url).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for m in re.finditer("\n", text):
        offsets.append(m.end())
    return offsets


class _Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self._lines = _line_offsets(text)
        self.elements: list[Element] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.elements.append(Element(self._offset(), tag.lower(), tuple((k.lower(), v or "") for k, v in attrs)))

    handle_startendtag = handle_starttag


# A page's links and its markup rules both read the same mask, one after the other: scanned once.
# The result is shared, so its readers do not change it.
@functools.lru_cache(maxsize=4)
def scan(mask: str) -> Markup:
    """The addresses and raw HTML of a body whose code and comments are blanked."""
    addresses: list[Address] = []
    for m in _INLINE_LINK.finditer(mask):
        url = m.group("angle") if m.group("angle") is not None else m.group("url")
        holder = "image" if m.group("image") else "link"
        addresses.append(Address(m.start("angle") if m.group("angle") is not None else m.start("url"), url, holder))
    for m in _DEFINITION.finditer(mask):
        addresses.append(Address(m.start("url"), m.group("url"), "definition"))
    for m in _AUTOLINK.finditer(mask):
        addresses.append(Address(m.start("url"), m.group("url"), "autolink"))
    parser = _Tags(mask)
    try:
        parser.feed(mask)
        parser.close()
    except AssertionError:  # html.parser gives up on some malformed markup; what it read is kept
        pass
    elements = list(parser.elements)
    for m in _ATTR_LIST.finditer(mask):
        attributes = tuple(
            (
                a.group("key").lower(),
                a.group("dq")
                if a.group("dq") is not None
                else a.group("sq")
                if a.group("sq") is not None
                else a.group("bare"),
            )
            for a in _ATTR.finditer(m.group("body"))
        )
        if attributes:
            elements.append(Element(m.start(), "{:", attributes))
    for element in elements:
        rel = " ".join(v for k, v in element.attributes if k == "rel").lower().split()
        for key, value in element.attributes:
            if key not in URL_ATTRIBUTES:
                continue
            holder = f"<{element.name} {key}>" if element.name != "{:" else f"{{: {key} }}"
            urls = (
                [part.strip().split()[0] for part in value.split(",") if part.strip()] if key == "srcset" else [value]
            )
            for url in urls:
                addresses.append(Address(element.offset, url, holder, attachment="attachment" in rel))
    addresses.sort(key=lambda a: a.offset)
    elements.sort(key=lambda e: e.offset)
    return Markup(addresses, elements)


def blank(text: str) -> str:
    return _NOT_NEWLINE.sub(" ", text)


@dataclasses.dataclass(frozen=True)
class Visible:
    """The text a reader sees, and for each of its characters the offset it comes from in the body.

    The offsets are kept as runs, not one per character (a page is tens of thousands of
    characters and most of them map one to one): ``runs[k] = (start, origin, step)`` says
    that the characters from ``start`` to the next run's start come from ``origin``,
    ``origin + 1``… (``step`` 1: prose) or all from ``origin`` (``step`` 0: a decoded
    character reference, a separator that stands for a tag)."""

    text: str
    runs: tuple[tuple[int, int, int], ...]

    def offset(self, index: int) -> int:
        if not self.runs:
            return 0
        index = min(index, len(self.text) - 1) if self.text else 0
        k = bisect.bisect_right(self._starts, index) - 1
        start, origin, step = self.runs[max(k, 0)]
        return origin + (index - start) * step

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [run[0] for run in self.runs]


class _Builder:
    """Collects visible text as pieces with their origin (see ``Visible``)."""

    def __init__(self):
        self.pieces: list[str] = []
        self.runs: list[tuple[int, int, int]] = []
        self.length = 0

    def add(self, text: str, origin: int, step: int) -> None:
        if text:
            self.runs.append((self.length, origin, step))
            self.pieces.append(text)
            self.length += len(text)

    def prose(self, text: str, base: int) -> None:
        """Prose as it renders: character references decoded, backslash escapes and unseen characters dropped."""
        position = 0
        for m in _PROSE_TOKEN.finditer(text):
            self.add(text[position : m.start()], base + position, 1)
            token = m.group(0)
            if token.startswith("&"):
                self.add(html.unescape(token), base + m.start(), 0)
            position = m.end()
        self.add(text[position:], base + position, 1)

    def visible(self) -> Visible:
        return Visible("".join(self.pieces), tuple(self.runs))


# Block-level tags separate words; inline ones do not ("0120<b>999</b>373" reads "0120999373").
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "td",
    "th",
    "tr",
    "table",
    "thead",
    "tbody",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "blockquote",
    "dt",
    "dd",
    "dl",
    "section",
    "article",
    "details",
    "summary",
    "figure",
    "figcaption",
    "pre",
    "nav",
    "header",
    "footer",
    "aside",
    "main",
}
# Characters a reader never sees: zero-width spaces and joiners, the soft hyphen, the byte-order
# mark; and Markdown's emphasis and code markers, which render as formatting, not as text.
_UNSEEN = re.compile(r"[\u200b\u200c\u200d\u2060\u00ad\ufeff*`]|~~|==|\^\^|(?<![\w])_|_(?![\w])")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_CHARREF = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[a-zA-Z][a-zA-Z0-9]{1,31};)")


def visible_text(mask: str) -> Visible:
    """What a reader sees of a body whose comments are blanked (code, which is shown, is not):
    prose and the text of code, image alt text, link titles, the values of visible attributes
    (``title``, ``alt``, ``aria-label``…), with character references decoded and invisible
    characters and Markdown markers removed. Tags, addresses, attribute lists, reference
    definitions and bare URLs are left out."""
    # An edit replaces mask[start:end] by what a function adds to the builder.
    edits: list[tuple[int, int, object]] = []

    def attribute_values(start: int, source: str, separator: str):
        def add(out: _Builder) -> None:
            if separator:
                out.add(separator, start, 0)
            for a in _HTML_ATTR.finditer(source):
                if a.group("key").lower() not in VISIBLE_ATTRIBUTES:
                    continue
                group = next(g for g in ("dq", "sq", "bare") if a.group(g) is not None)
                out.prose(a.group(group), start + a.start(group))
                out.add(" ", start + a.end(group), 0)

        return add

    def nothing(out: _Builder) -> None:
        pass

    def space_at(offset: int):
        return lambda out: out.add(" ", offset, 0)

    for m in _INLINE_LINK.finditer(mask):
        group = "angle" if m.group("angle") is not None else "url"
        edits.append((m.start(group), m.end(group), nothing))
    for m in _DEFINITION.finditer(mask):
        edits.append((m.start(), m.end("url"), nothing))  # the title, if any, stays: a tooltip readers see
    for m in _AUTOLINK.finditer(mask):
        edits.append((m.start(), m.end(), nothing))
    for m in _TAG.finditer(mask):
        name = _TAG_NAME.match(m.group(0)).group(1).lower()
        separator = " " if name in _BLOCK_TAGS else ""
        edits.append((m.start(), m.end(), attribute_values(m.start(), m.group(0), separator)))
    for m in _ATTR_LIST.finditer(mask):
        edits.append((m.start(), m.end(), attribute_values(m.start(), m.group(0), " ")))
    for m in _BARE_URL.finditer(mask):
        edits.append((m.start(), m.end(), space_at(m.start())))
    edits.sort(key=lambda e: (e[0], -e[1]))

    out = _Builder()
    position = 0
    for start, end, replacement in edits:
        if start < position:  # inside an edit already made (a link inside a tag's attribute…)
            continue
        out.prose(mask[position:start], position)
        replacement(out)
        position = end
    out.prose(mask[position:], position)
    return out.visible()


_PROSE_TOKEN = re.compile(f"{_CHARREF.pattern}|{_UNSEEN.pattern}|{_ESCAPE.pattern}")
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
_HTML_ATTR = re.compile(r"(?P<key>[\w:-]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`{}]+))")


def markup_spans(mask: str) -> list[tuple[int, int, str]]:
    """Where the body holds markup rather than prose: (start, end, what) for every HTML tag,
    link or image address, attribute list and reference definition."""
    spans = [(m.start(), m.end(), "an HTML tag") for m in _TAG.finditer(mask)]
    # Looser than a link: whatever stands in "](…)" is read as an address, even where it does not make one.
    spans += [(m.start("inner"), m.end("inner"), "a link's address or title") for m in _LINK_TAIL.finditer(mask)]
    spans += [(m.start(), m.end(), "a link definition") for m in _DEFINITION.finditer(mask)]
    spans += [(m.start(), m.end(), "an attribute list") for m in _ATTR_LIST.finditer(mask)]
    return sorted(spans)
