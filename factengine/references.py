"""Fact references: the one grammar, parsed here and nowhere else.

A reference is ``{{ id }}`` or ``{{ verb id }}`` on one line. It may stand in an
article's body and in a procedure step of the registry; anywhere else (front matter,
code, an HTML tag, a link's address, a gloss or a note of the registry) it would reach
the reader unrendered, and is refused.

- :func:`parse` finds the references of a text and reports what is not a reference's
  shape (an unknown verb, a malformed id, an unclosed ``{{``);
- :func:`resolve` checks one reference against the registry, for where it stands
  (``"article"`` or ``"step"``): an unknown fact or source, a verb that does not apply
  to the fact's kind or to the place, a call to a retired number, a list that does not
  stand alone on its line;
- :data:`VERBS` says what each verb does; the renderer dispatches on it.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from .diagnostics import Diagnostic
from .schema import FACT_ID

ARTICLE, STEP = "article", "step"


@dataclasses.dataclass(frozen=True)
class Verb:
    name: str | None
    meaning: str
    target: str = "fact"  # "fact": a fact id; "source": a source id; "site": the site
    kinds: frozenset[str] | None = None  # the fact kinds it applies to (None: every kind)
    block: bool = False  # renders as a list: alone on its line, never in a step
    in_steps: bool = False  # may stand in a procedure step


VERBS: dict[str | None, Verb] = {
    v.name: v
    for v in (
        Verb(None, "show the fact in the reader's language (a procedure renders as its numbered steps)", in_steps=True),
        Verb(
            "call",
            "tell the reader to call this phone number (refused for a retired number)",
            kinds=frozenset({"phone"}),
            in_steps=True,
        ),
        Verb("history", "list the phone number's dated status history", kinds=frozenset({"phone"}), block=True),
        Verb("as-of", "the date the fact was last reported"),
        Verb("source", "the fact's sources, with their dates"),
        Verb("validity", "when the fact held: since / until / from … to … (its valid_from and valid_until)"),
        Verb("cite", "a source of the registry (its id), by its short name, with its date", target="source"),
        Verb(
            "bibliography",
            "a source of the registry (its id), by its full title, with its date and publisher",
            target="source",
        ),
        Verb("reviewed", "when editors last went through every fact (site.reviewed); its id is 'site'", target="site"),
    )
}

PATTERN = re.compile(r"\{\{(?P<body>[^{}\n]*)\}\}")
_UNCLOSED = re.compile(r"\{\{(?![^{}\n]*\}\})")
_ID = re.compile(FACT_ID)
OPENING = "{{"


@dataclasses.dataclass(frozen=True)
class Reference:
    verb: str | None
    target: str  # a fact id, or a source id for "cite"
    line: int
    column: int
    start: int  # offsets in the parsed text
    end: int
    alone_on_line: bool
    indent: str  # the white space before a reference that stands alone on its line

    @property
    def fact_id(self) -> str:
        return self.target

    @property
    def spec(self) -> Verb:
        return VERBS[self.verb]


def parse(
    text: str, *, shown: str, first_line: int = 1, first_column: int = 1, languages: tuple[str, ...] = ()
) -> tuple[list[Reference], list[Diagnostic]]:
    """Every reference in ``text`` (whose first line is line ``first_line`` of ``shown``), and
    a ``bad-reference`` problem for each ``{{ … }}`` that is not one."""
    refs: list[Reference] = []
    problems: list[Diagnostic] = []
    line_starts = _line_starts(text)
    for m in PATTERN.finditer(text):
        line, column = _position(line_starts, m.start(), first_line, first_column)
        words = m.group("body").split()
        verb, target = (
            (None, words[0]) if len(words) == 1 else (words[0], words[1]) if len(words) == 2 else (None, None)
        )
        if target is None or verb not in VERBS or not _ID.match(target):
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    "bad-reference",
                    f"'{m.group(0)}' is not a fact reference: write {{{{ fact-id }}}} or {{{{ VERB fact-id }}}} "
                    f"with VERB one of: {', '.join(v for v in VERBS if v)}",
                    languages=languages,
                    column=column,
                )
            )
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        before, after = text[line_start : m.start()], text[m.end() : len(text) if line_end < 0 else line_end]
        refs.append(
            Reference(
                verb,
                target,
                line,
                column,
                m.start(),
                m.end(),
                alone_on_line=not before.strip() and not after.strip(),
                indent=before if not before.strip() else "",
            )
        )
    for m in _UNCLOSED.finditer(text):
        line, column = _position(line_starts, m.start(), first_line, first_column)
        problems.append(
            Diagnostic(
                shown,
                line,
                "bad-reference",
                "'{{' opens a fact reference that is not closed on the same line",
                languages=languages,
                column=column,
            )
        )
    return refs, problems


def resolve(
    ref: Reference,
    registry,
    *,
    shown: str,
    place: str = ARTICLE,
    languages: tuple[str, ...] = (),
    within: str | None = None,
) -> list[Diagnostic]:
    """What is wrong with ``ref`` given the registry and where it stands (``within``: the
    procedure whose step holds it)."""

    def problem(rule: str, message: str, fact: str | None = None) -> list[Diagnostic]:
        where = f"step of '{within}': " if within else ""
        return [
            Diagnostic(
                shown,
                ref.line,
                rule,
                where + message,
                fact=fact or within,
                languages=languages,
                column=ref.column if place == ARTICLE else None,
            )
        ]

    verb = ref.spec
    if place == STEP and not verb.in_steps:
        return problem(
            "bad-reference",
            f"'{ref.verb}' cannot stand in a procedure step (a step shows facts with "
            f"{{{{ id }}}} or {{{{ call id }}}})",
        )
    if verb.target == "source":
        if ref.target not in registry.sources:
            return problem("unknown-source", f"unknown source '{ref.target}'")
        return []
    if verb.target == "site":
        if ref.target != "site" or registry.site.reviewed is None:
            return problem("bad-reference", f"'{ref.verb}' takes 'site' and needs site.reviewed in the registry")
        return []
    fact = registry.facts.get(ref.target)
    if fact is None:
        return problem("unknown-fact", f"unknown fact '{ref.target}'", ref.target)
    if verb.kinds is not None and fact.kind not in verb.kinds:
        return problem(
            "bad-reference",
            f"'{ref.verb}' applies to {', '.join(sorted(verb.kinds))} facts; '{ref.target}' is a {fact.kind}",
            ref.target,
        )
    if ref.verb == "call" and fact.status == "retired":
        when = f" on {fact.retired_on}" if fact.retired_on else ""
        return problem(
            "retired-call",
            f"the text tells the reader to call '{ref.target}' ({fact.number}), retired{when}: "
            f"mention it with {{{{ {ref.target} }}}} and point to a channel in service",
            ref.target,
        )
    if ref.verb == "validity" and not (fact.valid_from or fact.valid_until):
        return problem("bad-reference", f"'{ref.target}' has no valid_from or valid_until to show", ref.target)
    if is_block(ref, fact):
        if place == STEP:
            return problem("bad-reference", f"'{ref.target}' renders as a list and cannot stand in a step", ref.target)
        if not ref.alone_on_line:
            return problem(
                "bad-reference", f"'{ref.target}' renders as a list: put the reference alone on its line", ref.target
            )
    return []


def is_block(ref: Reference, fact) -> bool:
    """Whether the reference renders as a list (a procedure's steps, a phone's history)."""
    return ref.spec.block or (ref.verb is None and fact is not None and fact.kind == "procedure")


def ids(text: str) -> list[str]:
    """The targets referenced in ``text``, in order (a well-formed text: see :func:`parse`)."""
    refs, _ = parse(text, shown="")
    return [ref.target for ref in refs]


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _position(line_starts: list[int], offset: int, first_line: int, first_column: int) -> tuple[int, int]:
    index = bisect.bisect_right(line_starts, offset) - 1
    column = offset - line_starts[index] + (first_column if index == 0 else 1)
    return first_line + index, column
