"""The questions a page answers, for ``FAQPage`` structured data.

A question is a second-level heading phrased as one (ending in "?" or the full-width
"？"); its answer is the text of its section, up to the next second-level heading.
A page is marked up as an FAQ when it answers at least ``MIN_QUESTIONS`` questions
this way: one question heading in a guide ("Free trial or paid membership?") does not
make the guide an FAQ. Front matter ``faq: true`` or ``faq: false`` decides instead.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from .model import Question

MIN_QUESTIONS = 2
QUESTION_MARKS = ("?", "？")
_SKIPPED_CLASSES = {"headerlink"}  # the "¶" permalink MkDocs puts inside headings
_BLOCKS = {"p", "li", "dt", "dd", "tr", "div", "h3", "h4", "h5", "h6", "br", "table", "ol", "ul", "blockquote"}


class _Sections(HTMLParser):
    """Splits an article's HTML into (h2 text, section text) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = []  # [heading, body]
        self._in_h2 = False
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        skip = bool(classes & _SKIPPED_CLASSES) or tag in ("script", "style")
        if tag not in ("br", "img", "input", "hr", "meta", "link", "wbr"):
            self._stack.append((tag, skip))
        if skip:
            self._skip_depth += 1
        if tag == "h2":
            self._in_h2 = True
            self.sections.append(["", ""])
        elif tag in _BLOCKS and self.sections and not self._in_h2:
            self.sections[-1][1] += "\n"

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, skip = self._stack.pop()
            if skip:
                self._skip_depth -= 1
            if open_tag == tag:
                break
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._skip_depth or not self.sections:
            return
        self.sections[-1][0 if self._in_h2 else 1] += data


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S | re.I)
_HEADERLINK = re.compile(r'<a\b[^>]*class="[^"]*\bheaderlink\b[^"]*"[^>]*>.*?</a>', re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def _question_headings(html: str) -> int:
    """How many second-level headings are questions, read quickly (the same text as ``_Sections``
    reads: tags and the permalink left out), so that a page with too few is not parsed at all."""
    texts = (unescape(_TAG.sub("", _HEADERLINK.sub("", heading))) for heading in _H2.findall(html))
    return sum(_tidy(text).endswith(QUESTION_MARKS) for text in texts)


def questions(html: str, declared: bool | None = None) -> list[Question]:
    """The page's questions and answers when it is an FAQ, else an empty list."""
    if declared is False:
        return []
    if declared is None and _question_headings(html) < MIN_QUESTIONS:
        return []  # most pages: not an FAQ, and not worth parsing (7 s of a 300-article build)
    parser = _Sections()
    parser.feed(html)
    parser.close()
    found = [
        Question(_tidy(h), _tidy(body))
        for h, body in parser.sections
        if _tidy(h).endswith(QUESTION_MARKS) and _tidy(body)
    ]
    if declared is True:
        return found
    return found if len(found) >= MIN_QUESTIONS else []
