"""Article sources: one language version of an article, as its file says it.

A body is read through two *masks*: the same text with HTML comments blanked
(:attr:`ArticleSource.shown_mask`: what can reach a reader, code included), and with
code blanked too (:attr:`ArticleSource.mask`: where references, lists and links are
looked for). Offsets and line breaks are kept, so everything found maps back to the
original text and line.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath

from . import markup, references
from .diagnostics import Diagnostic, FactError, display_path
from .references import Reference
from .yamlsource import decode_utf8, parse_yaml

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?P<ticks>`+)(?:.+?)(?P=ticks)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Front matter every page carries, and why: a missing one is an error, not a warning that
# `mkdocs build -q` would hide from the strict count.
REQUIRED_FRONT_MATTER = {
    "title": "the page's title in its language, for the tab, the navigation and search engines",
    "description": "its meta description, shown by search engines under its title",
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


@dataclasses.dataclass
class ArticleSource:
    """One language version of an article: its front matter and its Markdown body."""

    path: Path
    article: str  # the source path without its language suffix, e.g. "cancel.md"
    language: str
    body: str
    body_line: int  # line number of the body's first line in the file
    meta: dict
    meta_lines: dict = dataclasses.field(default_factory=dict)  # front-matter path -> (line, column)

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
    def shown_mask(self) -> str:
        """The body with HTML comments blanked: what a page can show, code included."""
        if not hasattr(self, "_shown_mask"):
            self._shown_mask = mask_comments(self.body)
        return self._shown_mask

    @property
    def mask(self) -> str:
        """The body with comments and code blanked: where references, lists and links are read."""
        if not hasattr(self, "_mask"):
            self._mask = mask_code(self.shown_mask)
        return self._mask

    def references(self) -> tuple[list[Reference], list[Diagnostic]]:
        """The body's references (their syntax checked), and references where none is rendered:
        in code, in an HTML tag, in a link's address or title, in an attribute list."""
        languages = (self.language,)
        refs, problems = references.parse(self.mask, shown=self.shown, first_line=self.body_line, languages=languages)
        # the references in code too (no code: the same text, the same references, none in code)
        in_code = []
        if self.shown_mask != self.mask:
            in_code, _ = references.parse(self.shown_mask, shown=self.shown, first_line=self.body_line)
        rendered = {ref.start for ref in refs}
        for ref in in_code:
            if ref.start not in rendered:
                problems.append(
                    Diagnostic(
                        self.shown,
                        ref.line,
                        "bad-reference",
                        f"'{self.body[ref.start : ref.end]}' stands in code, where no reference is "
                        f"rendered: the reader would see it as written",
                        languages=languages,
                        column=ref.column,
                    )
                )
        if refs and ("<" in self.mask or "](" in self.mask or "{" in self.mask.replace("{{", "")):
            spans = markup.markup_spans(self.mask)
            kept = []
            for ref in refs:
                where = next((what for start, end, what in spans if start <= ref.start < end), None)
                if where is None:
                    kept.append(ref)
                    continue
                problems.append(
                    Diagnostic(
                        self.shown,
                        ref.line,
                        "bad-reference",
                        f"'{self.body[ref.start : ref.end]}' stands in {where}, where no reference "
                        f"is rendered: put it in the text",
                        languages=languages,
                        column=ref.column,
                    )
                )
            refs = kept
        return refs, problems


def _blank(match: re.Match) -> str:
    return _NOT_NEWLINE.sub(" ", match.group(0))


_NOT_NEWLINE = re.compile(r"[^\n]")


def mask_comments(text: str) -> str:
    """Blank out HTML comments, keeping every offset and line break."""
    return _COMMENT.sub(_blank, text) if "<!--" in text else text


def mask_code(text: str) -> str:
    """Blank out code and comments, keeping every offset and line break."""
    text = mask_comments(text)
    if "```" in text or "~~~" in text:
        lines = text.splitlines(keepends=True)
        fence: str | None = None
        for i, line in enumerate(lines):
            m = _FENCE.match(line)
            opening = fence is None and m
            closing = (
                fence is not None
                and m
                and m.group("fence")[0] == fence[0]
                and len(m.group("fence")) >= len(fence)
                and not line[m.end() :].strip()
            )
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


def article_name(path: Path, docs_dir: Path, languages: list[str]) -> tuple[str, str] | None:
    """The article a source is a language version of, and that language, from its name alone:
    ``docs/faq/cancel.fr.md`` -> ``("faq/cancel.md", "fr")``; None without a language suffix."""
    # strings, not PurePath arithmetic: the check names every source on every run (0.08 s at 900)
    here, folder = str(path), str(docs_dir).rstrip("/") + "/"
    rel = here[len(folder) :] if here.startswith(folder) else Path(path).relative_to(docs_dir).as_posix()
    parent, _, name = rel.rpartition("/")
    parts = name.split(".")
    if len(parts) < 3 or parts[-2] not in languages:
        return None
    return parent + "/" * bool(parent) + ".".join(parts[:-2]) + ".md", parts[-2]


def read_article(
    path: Path, docs_dir: Path, languages: list[str], raw: bytes | None = None
) -> tuple[ArticleSource | None, list[Diagnostic]]:
    shown = display_path(path)
    named = article_name(path, docs_dir, languages)
    if named is None:
        return None, [
            Diagnostic(
                shown,
                1,
                "language-suffix",
                f"every article source carries a language suffix ({', '.join(f'.{l}.md' for l in languages)})",
            )
        ]
    article, language = named
    try:
        text = decode_utf8(path.read_bytes() if raw is None else raw, shown, languages=(language,))
    except FactError as exc:
        return None, exc.diagnostics
    meta: dict = {}
    meta_lines: dict[tuple, tuple[int, int]] = {}
    body, body_line = text, 1
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            located = parse_yaml(m.group("yaml") or "", shown, rule="front-matter", first_line=2, languages=(language,))
        except FactError as exc:
            return None, exc.diagnostics
        meta, meta_lines = located.data or {}, located.lines
        if not isinstance(meta, dict):
            return None, [Diagnostic(shown, 2, "front-matter", "front matter must be a mapping", languages=(language,))]
        rest = text[m.end() :]
        body = rest.lstrip("\n")  # as MkDocs does, so that lines agree with what the hooks see
        body_line = 1 + text.count("\n", 0, m.end()) + (len(rest) - len(body))
    page = ArticleSource(path, article, language, body, body_line, meta, meta_lines)
    problems = []
    if meta.get("translation") not in (None, "awaiting"):
        problems.append(
            Diagnostic(shown, 2, "front-matter", "'translation' may only be 'awaiting'", languages=(language,))
        )
    for key in REQUIRED_FRONT_MATTER:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(
                Diagnostic(
                    shown,
                    meta_lines.get((key,), (1, 1))[0],
                    "front-matter",
                    f"no '{key}:' in the front matter: every page needs one ({REQUIRED_FRONT_MATTER[key]})",
                    languages=(language,),
                )
            )
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


def ordered_lists(page: ArticleSource, refs: list[Reference]) -> list[OrderedList]:
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


@dataclasses.dataclass(frozen=True)
class Link:
    line: int
    target: str  # the linked article or file, language suffix removed, anchor dropped


_LINK_HOLDERS = ("link", "image", "definition", "<a href>")


def internal_links(page: ArticleSource, languages: list[str]) -> list[Link]:
    """Links to other files of the site (articles, downloads), as the markup module finds them."""
    links = []
    for address in markup.scan(page.mask).addresses:
        target = address.url.strip()
        if address.holder not in _LINK_HOLDERS or address.scheme or target.startswith(("#", "//")):
            continue
        path = target.split("#", 1)[0]
        if not path:
            continue
        base = PurePosixPath(page.article).parent
        resolved = _normalise(str(base / path))
        parts = resolved.rsplit(".", 2)
        if len(parts) == 3 and parts[2] == "md" and parts[1] in languages:
            resolved = f"{parts[0]}.md"
        links.append(Link(page.line_at(address.offset), resolved))
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
