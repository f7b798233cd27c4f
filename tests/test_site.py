"""The real site, built with `mkdocs build --strict` inside the suite."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ENV, ROOT, SITE_URL, factcheck
from factengine.render import message

LANGS = {"en": "", "ja": "ja/", "fr": "fr/"}


def pages(site: Path, lang: str) -> list[Path]:
    if lang == "en":
        return [
            p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in ("ja", "fr", "assets", "search")
        ]
    return list((site / lang).rglob("index.html"))


def test_every_language_has_every_page_and_declares_its_language(built_site):
    sources = {p.name.split(".")[0] for p in (ROOT / "docs").rglob("*.md")}
    for lang, folder in LANGS.items():
        built = set()
        for page in pages(built_site, lang):
            html = page.read_text("utf-8")
            assert re.search(rf'<html[^>]* lang="{lang}"', html), page
            rel = page.parent.relative_to(built_site / folder).as_posix()
            built.add("index" if rel == "." else rel)
        assert built == sources, f"{lang}: built {sorted(built)}, sources {sorted(sources)}"


def test_no_fact_reference_survives_rendering(built_site):
    for page in built_site.rglob("*.html"):
        assert "{{" not in page.read_text("utf-8"), page


def test_japanese_headings_have_readable_anchors(built_site):
    html = (built_site / "ja" / "retired-numbers" / "index.html").read_text("utf-8")
    assert 'id="今使える連絡方法"' in html
    assert not re.search(r'id="_\d+"', html)


def test_facts_json_ships_the_registry_rendered_in_every_language(built_site):
    data = json.loads((built_site / "facts.json").read_text("utf-8"))
    assert data["languages"] == ["en", "ja", "fr"]
    fact = data["facts"]["phone.jp.toll-free-customer-service"]
    assert fact["status"] == "retired" and fact["number"] == "0120-999-373"
    assert set(fact["rendered"]) == {"en", "ja", "fr"}
    assert all(fact["sources"][0] in data["sources"] for fact in data["facts"].values())
    # the whole registry in every language: one copy, at the site's root, not one per language folder
    assert sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("facts.json")) == ["facts.json"]


def test_no_request_to_a_third_party_host(built_site):
    # the session's build has the loopback host's site_url (conftest): absolute URLs of the site's own are to it
    own = re.compile(rf'(?:src|href)="(?:https?:)?//(?!{re.escape(urlsplit(SITE_URL).netloc)}/)[^"]+"')
    for page in built_site.rglob("*.html"):
        html = page.read_text("utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]*>", html):
            assert not own.search(tag), f"{page}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_the_built_site_passes_its_own_verification(built_site):
    run = factcheck("--site", str(built_site))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""


def test_the_verifier_finds_what_a_damaged_site_shows_readers(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = site / "cancel" / "index.html"
    html = page.read_text("utf-8")
    marker = message("retired", "en")
    assert marker in html
    html = html.replace(
        "<h2", '<p>Raw {{ money.jp.fee-annual-2023 }}, <a href="tel:+33123456789">call</a>, or 0120-999-373.</p><h2', 1
    )
    html = html.replace(marker, "", 1)
    html = html.replace(
        '<meta name="description" content="', '<meta name="description" content="Call 01 23 45 67 89. ', 1
    )
    page.write_text(html, "utf-8")
    (site / "ja" / "refunds" / "index.html").unlink()
    sitemap = site / "sitemap.xml"
    without_french = re.sub(
        r'(<loc>[^<]*/contact/</loc>\s*(?:<xhtml:link[^>]*/>\s*)*?)<xhtml:link[^>]*hreflang="fr"[^>]*/>',
        r"\1",
        sitemap.read_text("utf-8"),
        count=1,
    )
    assert without_french != sitemap.read_text("utf-8")
    sitemap.write_text(without_french, "utf-8")
    run = factcheck("--site", str(site), "--json")
    assert run.returncode == 1
    found = {(d["path"], d["rule"]) for d in json.loads(run.stdout)["diagnostics"]}
    assert {
        ("cancel/index.html", "unrendered-reference"),
        ("cancel/index.html", "hand-written-phone"),
        ("cancel/index.html", "retired-call"),
        ("refunds/index.html", "missing-translation"),
        ("contact/index.html", "missing-alternates"),
    } <= found, found


def _postbuild(site: Path) -> subprocess.CompletedProcess:
    """``python -m postbuild SITE`` as another generator's build would run it."""
    command = [sys.executable, "-m", "postbuild", str(site), "--site-url", SITE_URL]
    return subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)


@pytest.mark.slow  # Pagefind over the whole site: the full tier
def test_the_post_build_step_finishes_any_generators_output(built_site, tmp_path):
    """`python -m postbuild` over the built folder alone makes what `mkdocs build` made with it
    (same sitemap, robots.txt, _headers; a search index per language), and refuses, with
    path:line, a site with a raw reference in it."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    made = ["sitemap.xml", "sitemap.xml.gz", "robots.txt", "_headers"]
    for name in made:
        (site / name).unlink()
    shutil.rmtree(site / "pagefind")
    run = _postbuild(site)
    assert run.returncode == 0, run.stdout + run.stderr
    for name in made:
        assert (site / name).read_bytes() == (built_site / name).read_bytes(), name
    for language in ("en", "ja", "fr"):
        assert list((site / "pagefind").glob(f"pagefind.{language}*.pf_meta")), f"no {language} index"
    page = site / "fr" / "contact" / "index.html"
    page.write_text(page.read_text("utf-8").replace("<h2", "<p>{{ money.fr.fee-annual-2022 }}</p><h2", 1), "utf-8")
    run = _postbuild(site)
    assert run.returncode == 1
    assert re.search(
        rf"^{re.escape(site.as_posix())}/fr/contact/index\.html:\d+: \[unrendered-reference\]", run.stdout, re.M
    ), run.stdout


def test_the_verifier_reads_again_only_what_changed_and_still_finds_it(built_site, tmp_path, monkeypatch):
    """The post-build step's memo (factengine.verify.Memo): a second verification of the same site
    reads no page again; an edited page is read again and its problem reported; a memo from
    another registry or other code is not used."""
    from factengine import verify
    from factengine.memo import Memo
    from factengine.registry import Registry

    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("*.pdf"))
    registry = Registry.load(ROOT / "facts" / "registry.yaml")
    read: list[str] = []
    rules = verify._page_rules
    monkeypatch.setattr(verify, "_page_rules", lambda shown, *args: read.append(shown) or rules(shown, *args))

    def run(salt: str = "s1") -> list[str]:
        read.clear()
        return [str(d) for d in verify.verify_site(site, registry, Memo(tmp_path / "memo", salt))]

    assert run() == [] and len(read) > 30
    assert run() == [] and read == []
    page = site / "cancel" / "index.html"
    page.write_text(page.read_text("utf-8").replace("<h2", "<p>{{ money.jp.fee-annual-2023 }}</p><h2", 1), "utf-8")
    found = run()
    assert read == ["cancel/index.html"]
    assert len(found) == 1 and found[0].startswith("cancel/index.html:") and "[unrendered-reference]" in found[0]
    assert run("s2") != [] and len(read) > 30  # another salt: everything is read again


def test_relative_hreflang_alternates_are_resolved_against_the_page_and_checked_against_the_files(tmp_path):
    """The verifier lists the site's files once and resolves an alternate in a page's head as a
    browser would (static-i18n writes them relative): one to a page that is not there is reported
    on each page that names it, and one that leaves the site is not a page of it."""
    from factengine import verify
    from factengine.registry import Registry

    def page(rel: str, lang: str, canonical: str, alternates: dict[str, str]) -> None:
        links = "".join(f'<link rel="alternate" hreflang="{k}" href="{v}">' for k, v in alternates.items())
        html = f'<html lang="{lang}"><head><link rel="canonical" href="{canonical}">{links}</head><body><p>x</p></body></html>'
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(html, "utf-8")

    base = "https://example.org/help/"
    page("cancel/index.html", "en", base + "cancel/", {"en": "./", "ja": "../ja/cancel/", "fr": "../fr/cancel/"})
    page(
        "ja/cancel/index.html", "ja", base + "ja/cancel/", {"en": "../../cancel/", "ja": "./", "fr": "../../fr/cancel/"}
    )
    page("fr/index.html", "fr", base + "fr/", {"en": "../", "ja": "../ja/", "fr": "../../../outside/"})
    found = verify.verify_site(tmp_path, Registry.load(ROOT / "facts" / "registry.yaml"))
    missing = sorted((d.path, d.message) for d in found if d.rule == "missing-translation")
    assert missing == [
        ("cancel/index.html", "the fr version ../fr/cancel/ is not in the site"),
        ("fr/index.html", "the en version ../ is not in the site"),
        ("fr/index.html", "the fr version ../../../outside/ is not in the site"),
        ("fr/index.html", "the ja version ../ja/ is not in the site"),
        ("ja/cancel/index.html", "the fr version ../../fr/cancel/ is not in the site"),
    ], missing
    assert verify.site_files(tmp_path) == ["cancel/index.html", "fr/index.html", "ja/cancel/index.html"]
