"""The procedures an article states, as HowTo steps, read from the fact registry.

An article shows a procedure by referencing its fact (``{{ procedure.jp.cancel-web }}``);
the steps come from the registry through the fact engine, in the page's language and as
plain text (facts inside a step, such as interface labels, rendered as text), never
scraped back from the HTML.
"""
from __future__ import annotations

import re
from pathlib import Path

from factengine import Registry, Renderer
from factengine.pages import mask_code, read_page

from .model import HowTo

_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)
_ATTR_LIST = re.compile(r"\s*\{[:#.][^}]*\}\s*$")  # "## Title { #anchor }" (attr_list)
_INLINE_MARKUP = re.compile(r"[*_`]|<[^>]+>")
_TAB_TITLE = re.compile(r'^[ \t]*===[+!]?[ \t]+"(?P<title>[^"]+)"', re.M)


def procedures(source: Path, docs_dir: Path, registry: Registry, title: str) -> list[HowTo]:
    """Every procedure fact an article references, in order of appearance.

    A procedure is named after the headings above it: the nearest heading, and the
    content tab it stands in when there is one ("On the website — Amazon.fr"); the page
    title when no heading precedes it.
    """
    page, _ = read_page(source, docs_dir, registry.languages)
    if page is None:  # not an article: the fact check reports it
        return []
    refs, _ = page.references()
    renderer = Renderer(registry, page.language)
    mask = mask_code(page.body)
    found: list[HowTo] = []
    for ref in refs:
        fact = registry.facts.get(ref.fact_id)
        if fact is None or fact.kind != "procedure" or ref.verb is not None:
            continue
        if not fact.ongoing:  # a superseded route (the old call-in line) is history, not instructions
            continue
        if any(h.fact_id == ref.fact_id for h in found):
            continue
        steps = [" ".join(renderer.plain_text(step[page.language]).split()) for step in fact.steps]
        found.append(HowTo(ref.fact_id, _name_at(mask, ref.start, title), steps))
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
