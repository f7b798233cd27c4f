"""JSON-LD (schema.org) for a page: what search engines read as the page's meaning.

Every page is a ``WebPage`` (an ``FAQPage`` when it answers questions) of the
``WebSite`` in its language; the home page also describes the ``WebSite``; each
procedure the page states is a ``HowTo``. Every node carries ``inLanguage``.
"""

from __future__ import annotations

import json

from .model import PageMeta, Site

CONTEXT = "https://schema.org"  # an identifier, never fetched


def graph(site: Site, page: PageMeta) -> dict:
    url = site.absolute(page.path)
    home = site.absolute(site.home(page.language))
    website_id = f"{home}#website"
    nodes: list[dict] = []
    if page.is_home:
        website = {
            "@type": "WebSite",
            "@id": website_id,
            "url": home,
            "name": site.name(page.language),
            "inLanguage": page.language,
        }
        if site.descriptions.get(page.language):
            website["description"] = site.descriptions[page.language]
        nodes.append(website)
    webpage = {
        "@type": "FAQPage" if page.questions else "WebPage",
        "@id": f"{url}#webpage",
        "url": url,
        "name": page.title,
        "inLanguage": page.language,
        "isPartOf": {"@id": website_id},
    }
    if page.description:
        webpage["description"] = page.description
    if page.questions:
        webpage["mainEntity"] = [
            {
                "@type": "Question",
                "name": q.question,
                "inLanguage": page.language,
                "acceptedAnswer": {"@type": "Answer", "text": q.answer, "inLanguage": page.language},
            }
            for q in page.questions
        ]
    nodes.append(webpage)
    for index, howto in enumerate(page.howtos, 1):
        nodes.append(
            {
                "@type": "HowTo",
                "@id": f"{url}#howto-{index}",
                "name": howto.name,
                "inLanguage": page.language,
                "isPartOf": {"@id": f"{url}#webpage"},
                "step": [{"@type": "HowToStep", "position": n, "text": text} for n, text in enumerate(howto.steps, 1)],
            }
        )
    return {"@context": CONTEXT, "@graph": nodes}


def script(data: dict) -> str:
    """``data`` as a JSON-LD script element. "<" is escaped so that no text inside
    (a "</script>" in a step) can end the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'
