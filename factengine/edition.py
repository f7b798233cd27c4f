"""One edition of the knowledge base as a site generator builds it: validated once, rendered per page.

A site generator's adapter (``hooks/facts.py`` for MkDocs) holds one :class:`Edition`
per project and calls, in this order:

1. :meth:`Edition.validate` before anything is written (all languages at once; the
   result is kept while the sources do not change, and a :class:`~factengine.checks.Checker`
   keeps each page's analysis by content, so that ``mkdocs serve`` re-reads one file);
2. :meth:`Edition.substitute` on each page's Markdown, in the page's language: every
   reference becomes a placeholder word that Markdown leaves alone;
3. :meth:`Edition.fill` on the page's HTML: the placeholders become the facts' HTML,
   never parsed as Markdown (a step's text is the registry's, escaped);
4. :meth:`Edition.export` once the site is written: ``facts.json``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from . import references
from .checks import Analysis, Checker, Result
from .diagnostics import Diagnostic, FactError, resolved
from .export import registry_data, write_json
from .project import Project
from .render import Renderer, message

# A word Markdown leaves alone, unlikely in any article; numbered per page.
_PLACEHOLDER = "xfactx{}x"
_PLACEHOLDER_RE = re.compile(r"xfactx(\d+)x")
_BLOCK_RE = re.compile(r"<p>xfactx(\d+)x</p>")
_HEADING = re.compile(r"^#{1,6}[ \t]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclasses.dataclass
class Fragments:
    """The facts of one page, waiting for its HTML: each placeholder's HTML."""

    html: list[str] = dataclasses.field(default_factory=list)


class Edition:
    def __init__(self, project: Project):
        self.project = project
        self.checker = Checker.for_project(project)
        self.result: Result | None = None
        # the result the last successful build was made from: what a preview rebuild compares with
        self.published: Result | None = None
        self._renderers: dict[str, Renderer] = {}
        self._fragments: dict[str, Fragments] = {}
        self._exported: tuple | None = None

    # -- 1. validation ---------------------------------------------------------------
    def validate(self) -> Result:
        """Every rule over every source; the previous result's renderers are kept while the
        registry is the same object (the checker keeps it while its file does not change)."""
        result = self.checker.check(self.project)
        if self.result is None or result.registry is not self.result.registry:
            self._renderers = {}
        self.result = result
        return result

    def changed_pages(self) -> set[Path] | None:
        """The article sources (resolved paths) whose pages differ from the last published build:
        the edited ones, and those stating a fact that a registry edit changed. ``None``: every
        page (nothing published yet, or a registry edit beyond its facts and sources)."""
        before, now = self.published, self.result
        if before is None or now is None or before.registry is None or now.registry is None:
            return None
        old = {resolved(a.source.path): a for a in before.analyses}
        changed = set()
        for analysis in now.analyses:
            path = resolved(analysis.source.path)
            if old.get(path) is not analysis:  # the checker keeps an unchanged file's analysis
                changed.add(path)
        if now.registry is not before.registry:
            facts = changed_facts(before.registry, now.registry)
            if facts is None:
                return None
            changed |= {resolved(a.source.path) for a in now.analyses if a.fact_ids & facts}
        return changed

    def renderer(self, language: str) -> Renderer:
        if language not in self._renderers:
            self._renderers[language] = Renderer(self.result.registry, language, self.project.today)
        return self._renderers[language]

    def analysis(self, path: Path) -> Analysis | None:
        return self.result.analysis(path) if self.result else None

    # -- 2. the Markdown ------------------------------------------------------------------
    def substitute(self, key: str, source_path: Path, markdown: str) -> str:
        """``markdown`` (the page's body as the generator hands it over, front matter removed:
        the same text the check read) with each reference replaced by a placeholder; the
        facts' HTML waits under ``key`` for :meth:`fill`. Facts in headings go in as HTML, so
        that the table of contents shows them."""
        analysis = self.analysis(source_path)
        if analysis is None:
            return markdown
        source = analysis.source
        if source.awaiting_translation:
            return markdown
        # MkDocs hands the body over without its last newline; anything else means another
        # plugin changed the text: read it again.
        if markdown != source.body and markdown.rstrip("\n") != source.body.rstrip("\n"):
            refs, problems = dataclasses.replace(source, body=markdown).references()
            if problems:
                raise FactError(problems)
        else:
            refs = analysis.references
        renderer = self.renderer(source.language)
        registry = self.result.registry
        fragments = Fragments()
        out, position = [], 0
        for ref in refs:
            html = renderer.reference(ref)
            out.append(markdown[position : ref.start])
            fact = registry.facts.get(ref.target)
            if references.is_block(ref, fact):
                # A paragraph of its own, at the reference's indentation (inside a tab or a list item).
                out.append(f"\n{ref.indent}{self._place(fragments, html)}\n")
            elif _in_heading(markdown, ref.start):
                out.append(html)
            else:
                out.append(self._place(fragments, html))
            position = ref.end
        out.append(markdown[position:])
        footer = renderer.footer()
        if footer:
            out.append(f"\n\n{self._place(fragments, footer)}\n")
        self._fragments[key] = fragments
        markdown = order_tabs("".join(out), self._tab_order(source.language))
        # The notice goes in as a placeholder too: as raw HTML in the Markdown, it made Markdown's
        # conversion of every page 15 % slower (its raw-HTML block handling, md_in_html's parser).
        notice = renderer.page_notice(a.target for a in refs if a.spec.target == "fact")
        return _after_title(markdown, self._place(fragments, notice) if notice else None)

    def _tab_order(self, language: str) -> list[str]:
        """The marketplaces' names, the reader's own first (Amazon.fr on French pages)."""
        markets = self.result.registry.marketplaces.values()
        return [m.name for m in markets if m.language == language] + [m.name for m in markets if m.language != language]

    @staticmethod
    def _place(fragments: Fragments, html: str) -> str:
        fragments.html.append(html)
        return _PLACEHOLDER.format(len(fragments.html) - 1)

    # -- 3. the HTML ----------------------------------------------------------------------
    def fill(self, key: str, html: str) -> str:
        """The page's HTML with its facts in place, and without the authors' HTML comments (notes
        to editors, which the check does not read as text and the site does not publish)."""
        fragments = self._fragments.pop(key, None)
        if "<!--" in html:
            html = _COMMENT.sub("", html)
        if fragments is None or not fragments.html:
            return html
        html = _BLOCK_RE.sub(lambda m: fragments.html[int(m.group(1))], html)
        html = _PLACEHOLDER_RE.sub(lambda m: fragments.html[int(m.group(1))], html)
        return html

    # -- 4. after the site ------------------------------------------------------------------
    def export(self, site_dir: Path) -> Path | None:
        """``facts.json`` at the site's root, written again only when the registry changed."""
        if self.result is None or self.result.registry is None:
            return None
        target = Path(site_dir) / "facts.json"
        key = (id(self.result.registry), str(target))
        if self._exported != key or not target.exists():
            write_json(registry_data(self.result.registry), target)
            self._exported = key
        return target

    def awaiting_notice(self, language: str, link: str, default_language: str) -> str:
        """The Markdown a page awaiting translation shows instead of its body."""
        return (
            f'!!! note "{message("awaiting-translation", language)}"\n\n'
            f"    [{message('read-in-default', language)}]({link}){{ hreflang={default_language} }}\n"
        )


def changed_facts(before, now) -> set[str] | None:
    """The ids of the facts that render differently in ``now`` than in ``before`` (two loads of
    the registry): changed or removed facts, facts citing a changed source, procedures whose
    steps name a changed fact. ``None`` when what changed is not a fact or a source (the site's
    settings, the marketplaces): every page may render differently."""
    if before.site != now.site or before.marketplaces != now.marketplaces:
        return None
    sources = {
        sid for sid in before.sources.keys() | now.sources.keys() if before.sources.get(sid) != now.sources.get(sid)
    }
    changed = {
        fid
        for fid in before.facts.keys() | now.facts.keys()
        if before.facts.get(fid) != now.facts.get(fid)
        or (fid in now.facts and sources & set(getattr(now.facts[fid], "sources", ()) or ()))
    }
    if changed:  # a procedure's steps and a history's entries name other facts by id
        changed |= {
            fid
            for fid, fact in now.facts.items()
            if fid not in changed and any(other in repr(fact) for other in changed)
        }
    return changed


_EDITIONS: dict[tuple[Path, Path], Edition] = {}


def edition_for(root: Path, docs_dir: Path) -> Edition:
    """The edition of the project at ``root``: one per project and process, shared by every
    hook of a build and kept across ``mkdocs serve``'s rebuilds (with what it checked)."""
    key = (resolved(root), resolved(docs_dir))  # every hook asks, for every page: resolved once
    if key not in _EDITIONS:
        _EDITIONS[key] = Edition(Project(*key))
    return _EDITIONS[key]


_TAB = re.compile(r'^(?P<indent>[ \t]*)===(?P<flags>[+!]*)[ \t]+"(?P<title>[^"\n]*)"[ \t]*$')


def order_tabs(markdown: str, order: list[str]) -> str:
    """Content tabs whose titles are all in ``order`` (the marketplaces), put in that order, the
    first one selected: on French pages the Amazon.fr tab comes first. A reader's own choice
    still wins (Material's linked tabs remember it by title)."""
    if "===" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _TAB.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = m.group("indent")
        new_set = "!" in m.group("flags")  # "===!": a set of its own, even right after another
        tabs: list[tuple[str, list[str]]] = []  # (title, the tab's lines without its opening line)
        while i < len(lines):
            m = _TAB.match(lines[i])
            if not m or m.group("indent") != indent or (tabs and "!" in m.group("flags")):
                break  # not a tab, or one that starts a new set ("===!")
            title, body = m.group("title"), []
            i += 1
            while (
                i < len(lines)
                and (not lines[i].strip() or _indented_below(lines[i], indent))
                and not (_TAB.match(lines[i]) and _TAB.match(lines[i]).group("indent") == indent)
            ):
                body.append(lines[i])
                i += 1
            tabs.append((title, body))
        if all(title in order for title, _ in tabs) and len({t for t, _ in tabs}) == len(tabs):
            tabs.sort(key=lambda tab: order.index(tab[0]))
        for n, (title, body) in enumerate(tabs):
            flags = ("!" if n == 0 and new_set else "") + ("+" if n == 0 and len(tabs) > 1 else "")
            out.append(f'{indent}==={flags} "{title}"')
            out.extend(body)
    return "\n".join(out)


def _indented_below(line: str, indent: str) -> bool:
    stripped = line[len(indent) :] if line.startswith(indent) else None
    return stripped is not None and stripped[:1] in (" ", "\t")


def _in_heading(markdown: str, offset: int) -> bool:
    line_start = markdown.rfind("\n", 0, offset) + 1
    return bool(_HEADING.match(markdown, line_start))


def _after_title(markdown: str, block: str | None) -> str:
    """Put ``block`` right under the page's H1 (or at the top when the title comes from front matter)."""
    if not block:
        return markdown
    match = re.search(r"^# .*$", markdown, re.M)
    at = match.end() if match else 0
    return f"{markdown[:at]}\n\n{block}\n\n{markdown[at:].lstrip(chr(10))}"


def problems_text(problems: list[Diagnostic]) -> str:
    return "\n".join(str(p) for p in problems)
