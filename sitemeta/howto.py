"""The procedures an article states, as HowTo steps, read from the fact registry.

An article shows a procedure by referencing its fact (``{{ procedure.jp.cancel-web }}``);
the steps come from the registry through the fact engine, in the page's language and as
plain text (facts inside a step, such as interface labels, rendered as text), never
scraped back from the HTML. Which procedures a page shows, and where, comes from the
fact check's analysis of the page: its source is not read again.
"""

from __future__ import annotations

import re
from factengine import Renderer
from factengine.checks import Analysis

from .model import HowTo

_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)
_ATTR_LIST = re.compile(r"\s*\{[:#.][^}]*\}\s*$")  # "## Title { #anchor }" (attr_list)
_INLINE_MARKUP = re.compile(r"[*_`]|<[^>]+>")
_TAB_TITLE = re.compile(r'^[ \t]*===[+!]?[ \t]+"(?P<title>[^"]+)"', re.M)


def procedures(analysis: Analysis, renderer: Renderer, title: str) -> list[HowTo]:
    """Every procedure fact an article references and that is still in force, in order of appearance.

    A procedure is named after the headings above it: the nearest heading, and the
    content tab it stands in when there is one ("On the website — Amazon.fr"); the page
    title when no heading precedes it.
    """
    registry = renderer.registry
    mask = analysis.source.mask
    found: list[HowTo] = []
    for ref in analysis.references:
        fact = registry.facts.get(ref.target)
        if fact is None or fact.kind != "procedure" or ref.verb is not None:
            continue
        if not fact.ongoing:  # a superseded route (the old call-in line) is history, not instructions
            continue
        if any(h.fact_id == ref.target for h in found):
            continue
        steps = [" ".join(renderer.plain_text(step[renderer.language]).split()) for step in fact.steps]
        found.append(HowTo(ref.target, _name_at(mask, ref.start, title), steps))
    return found


def _name_at(mask: str, offset: int, title: str) -> str:
    before = mask[:offset]
    headings = [m for m in _HEADING.finditer(before) if len(m.group("hashes")) > 1]
    name = _clean(headings[-1].group("text")) if headings else title
    tabs = list(_TAB_TITLE.finditer(before, headings[-1].end() if headings else 0))
    if tabs:
        name = f"{name} — {tabs[-1].group('title').strip()}"
    return name


def _clean(text: str) -> str:
    return " ".join(_INLINE_MARKUP.sub("", _ATTR_LIST.sub("", text)).split())
