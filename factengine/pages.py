"""Article sources: reading them, and finding what the checks compare.

A page's body is scanned through a *mask*: the same text with code (fenced
blocks, inline spans) and HTML comments blanked out, offsets and line breaks
kept. Everything found on the mask maps back to the original text and line.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath

import yaml

from .diagnostics import Diagnostic, display_path
from .schema import FACT_ID

VERBS = {
    None: "show the fact in the reader's language",
    "call": "tell the reader to call this phone number (refused for a retired number)",
    "history": "list the fact's dated status history (phone numbers)",
    "as-of": "the date the fact was last confirmed",
    "source": "the fact's sources, with their dates",
    "validity": "when the fact held: since / until / from … to … (its valid_from and valid_until)",
    "cite": "a source of the registry (its id), with its date",
}
REFERENCE = re.compile(r"\{\{(?P<body>[^{}\n]*)\}\}")
UNCLOSED = re.compile(r"\{\{(?![^{}\n]*\}\})")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?P<ticks>`+)(?:.+?)(?P=ticks)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FRONT_MATTER_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


@dataclasses.dataclass(frozen=True)
class Reference:
    verb: str | None
    fact_id: str
    line: int
    column: int
    start: int  # offsets in the body
    end: int
    alone_on_line: bool
    indent: str  # the white space before a reference that stands alone on its line


@dataclasses.dataclass
class Page:
    path: Path
    article: str  # the source path without its language suffix, e.g. "cancel.md"
    language: str
    body: str
    body_line: int  # line number of the body's first line in the file
    meta: dict

    @property
    def shown(self) -> str:
        return display_path(self.path)

    @property
    def awaiting_translation(self) -> bool:
        return self.meta.get("translation") == "awaiting"

    @property
    def empty(self) -> bool:
        return not self.body.strip()

    def line_at(self, offset: int) -> int:
        return self.body_line + self.body.count("\n", 0, offset)

    @property
    def mask(self) -> str:
        if not hasattr(self, "_mask"):
            self._mask = mask_code(self.body)
        return self._mask

    def references(self) -> tuple[list[Reference], list[Diagnostic]]:
        refs, problems = [], []
        mask = self.mask
        for m in REFERENCE.finditer(mask):
            words = m.group("body").split()
            line = self.line_at(m.start())
            line_start = mask.rfind("\n", 0, m.start()) + 1
            line_end = mask.find("\n", m.end())
            line_end = len(mask) if line_end < 0 else line_end
            before, after = mask[line_start : m.start()], mask[m.end() : line_end]
            verb, fact_id = (None, words[0]) if len(words) == 1 else (words[0], words[-1]) if len(words) == 2 else (None, None)
            if fact_id is None or verb not in VERBS or not re.match(FACT_ID, fact_id):
                problems.append(
                    Diagnostic(self.shown, line, "bad-reference",
                               f"'{m.group(0)}' is not a fact reference: write {{{{ fact-id }}}} or {{{{ VERB fact-id }}}} "
                               f"with VERB one of: {', '.join(v for v in VERBS if v)}",
                               languages=(self.language,))
                )
                continue
            refs.append(Reference(verb, fact_id, line, m.start() - line_start + 1, m.start(), m.end(),
                                  alone_on_line=not before.strip() and not after.strip(),
                                  indent=before if not before.strip() else ""))
        for m in UNCLOSED.finditer(mask):
            problems.append(Diagnostic(self.shown, self.line_at(m.start()), "bad-reference",
                                       "'{{' opens a fact reference that is not closed on the same line",
                                       languages=(self.language,)))
        return refs, problems


def _blank(match: re.Match) -> str:
    return _NOT_NEWLINE.sub(" ", match.group(0))


_NOT_NEWLINE = re.compile(r"[^\n]")


def mask_code(text: str) -> str:
    """Blank out code and comments, keeping every offset and line break."""
    text = _COMMENT.sub(_blank, text)
    if "```" in text or "~~~" in text:
        lines = text.splitlines(keepends=True)
        fence: str | None = None
        for i, line in enumerate(lines):
            m = _FENCE.match(line)
            opening = fence is None and m
            closing = (fence is not None and m and m.group("fence")[0] == fence[0]
                       and len(m.group("fence")) >= len(fence) and not line[m.end():].strip())
            if opening:
                fence = m.group("fence")
            if fence is not None:
                lines[i] = _NOT_NEWLINE.sub(" ", line)
            if closing:
                fence = None
        text = "".join(lines)
    if "`" in text:
        text = _INLINE_CODE.sub(_blank, text)
    return text


def read_page(path: Path, docs_dir: Path, languages: list[str]) -> tuple[Page | None, list[Diagnostic]]:
    shown = display_path(path)
    rel = PurePosixPath(path.relative_to(docs_dir).as_posix())
    parts = rel.name.split(".")
    if len(parts) < 3 or parts[-2] not in languages:
        return None, [Diagnostic(shown, 1, "language-suffix",
                                 f"every article source carries a language suffix ({', '.join(f'.{l}.md' for l in languages)})")]
    language = parts[-2]
    article = str(rel.with_name(".".join(parts[:-2]) + ".md"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Diagnostic(shown, line, "encoding", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", languages=(language,))]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    meta: dict = {}
    body, body_line = text, 1
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            meta = yaml.load(m.group("yaml") or "", Loader=_FRONT_MATTER_LOADER) or {}
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = mark.line + 2 if mark else 1
            return None, [Diagnostic(shown, line, "front-matter", f"malformed front matter: {exc.problem}", languages=(language,))]
        if not isinstance(meta, dict):
            return None, [Diagnostic(shown, 2, "front-matter", "front matter must be a mapping", languages=(language,))]
        rest = text[m.end():]
        body = rest.lstrip("\n")  # as MkDocs does, so that lines agree with what the hooks see
        body_line = 1 + text.count("\n", 0, m.end()) + (len(rest) - len(body))
    page = Page(path, article, language, body, body_line, meta)
    problems = []
    if meta.get("translation") not in (None, "awaiting"):
        problems.append(Diagnostic(shown, 2, "front-matter", "'translation' may only be 'awaiting'", languages=(language,)))
    if not body.strip() and not page.awaiting_translation:
        problems.append(Diagnostic(shown, 1, "empty-page", "the page has no content", languages=(language,)))
    return page, problems


@dataclasses.dataclass
class ListItem:
    line: int
    refs: list[str]


@dataclasses.dataclass
class OrderedList:
    line: int
    items: list[ListItem]


_ITEM = re.compile(r"^(?P<indent>[ \t]*)\d{1,9}[.)](?:[ \t]+|$)")


def ordered_lists(page: Page, refs: list[Reference]) -> list[OrderedList]:
    """Ordered lists in document order, each item with the facts it references."""
    lines = page.mask.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    result: list[OrderedList] = []
    open_lists: list[tuple[int, OrderedList, int]] = []  # (indent width, list, item start offset)

    def width(s: str) -> int:
        return len(s.expandtabs(4))

    spans: list[tuple[ListItem, int, int]] = []
    for i, line in enumerate(lines):
        m = _ITEM.match(line)
        indent = width(line[: len(line) - len(line.lstrip())])
        if m:
            while open_lists and open_lists[-1][0] > indent:
                open_lists.pop()
            if not open_lists or open_lists[-1][0] < indent:
                current = OrderedList(page.body_line + i, [])
                result.append(current)
                open_lists.append((indent, current, i))
            item = ListItem(page.body_line + i, [])
            open_lists[-1][1].items.append(item)
            spans.append((item, offsets[i], offsets[i + 1]))
        elif line.strip():
            while open_lists and indent <= open_lists[-1][0]:
                open_lists.pop()
            if open_lists and spans:
                item, start, _ = spans[-1]
                spans[-1] = (item, start, offsets[i + 1])
    for item, start, end in spans:
        item.refs = [r.fact_id for r in refs if start <= r.start < end]
    return result


_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)|href=\"(?P<href>[^\"]+)\"")


@dataclasses.dataclass(frozen=True)
class Link:
    line: int
    target: str  # the linked article or file, language suffix removed, anchor dropped


def internal_links(page: Page, languages: list[str]) -> list[Link]:
    links = []
    for m in _LINK.finditer(page.mask):
        target = m.group("target") or m.group("href")
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "//")):
            continue
        path = target.split("#", 1)[0]
        if not path:
            continue
        base = PurePosixPath(page.article).parent
        resolved = _normalise(str(base / path))
        parts = resolved.rsplit(".", 2)
        if len(parts) == 3 and parts[2] == "md" and parts[1] in languages:
            resolved = f"{parts[0]}.md"
        links.append(Link(page.line_at(m.start()), resolved))
    return links


def _normalise(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
            continue
        out.append(part)
    return "/".join(out)
