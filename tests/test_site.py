"""The real site, built with `mkdocs build --strict` inside the suite."""
from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import ROOT
from factengine import Project, check

LANGS = {"en": "", "ja": "ja/", "fr": "fr/"}


def pages(site: Path, lang: str) -> list[Path]:
    if lang == "en":
        return [p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in ("ja", "fr", "assets", "search")]
    return list((site / lang).rglob("index.html"))


def test_the_real_content_passes_the_standalone_check():
    result = check(Project(ROOT))
    assert result.errors == [], "\n".join(map(str, result.errors))


def test_every_language_has_every_page_and_declares_its_language(built_site):
    sources = {p.name.split(".")[0] for p in (ROOT / "docs").rglob("*.md")}
    counts = {}
    for lang in LANGS:
        found = pages(built_site, lang)
        counts[lang] = len(found)
        for page in found:
            html = page.read_text("utf-8")
            assert re.search(rf'<html[^>]* lang="{lang}"', html), page
    assert counts["en"] == counts["ja"] == counts["fr"] == len(sources)


def test_no_fact_reference_survives_rendering(built_site):
    for page in built_site.rglob("*.html"):
        assert "{{" not in page.read_text("utf-8"), page


def test_japanese_headings_have_readable_anchors(built_site):
    html = (built_site / "ja" / "retired-numbers" / "index.html").read_text("utf-8")
    assert 'id="代わりの問い合わせ方法"' in html
    assert not re.search(r'id="_\d+"', html)


def test_facts_json_ships_the_registry_rendered_in_every_language(built_site):
    data = json.loads((built_site / "facts.json").read_text("utf-8"))
    assert data["languages"] == ["en", "ja", "fr"]
    fact = data["facts"]["phone.jp.toll-free-customer-service"]
    assert fact["status"] == "retired" and fact["number"] == "0120-999-373"
    assert set(fact["rendered"]) == {"en", "ja", "fr"}
    assert all(fact["sources"][0] in data["sources"] for fact in data["facts"].values())


def test_no_request_to_a_third_party_host(built_site):
    own = re.compile(r'(?:src|href)="(?:https?:)?//(?!example\.org)[^"]+"')
    for page in built_site.rglob("*.html"):
        html = page.read_text("utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]*>", html):
            assert not own.search(tag), f"{page}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
