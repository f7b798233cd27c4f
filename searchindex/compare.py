"""Material's built-in search against this site's Pagefind search, by measurement.

    .venv/bin/python -m searchindex.compare [--json PATH] [--scale N]

Builds the project three times into a temporary folder and searches each build in
Debian's Chromium, as a reader does (fill the box, press a key), with the judged
queries of ``search/queries.yml`` and every notation of every retired number:

- ``pagefind``: the site as configured (hooks/search.py, the Pagefind search box);
- ``material``: stock Material search with static-i18n, as before this work
  (without hooks/search.py, docs/javascripts/search.js and overrides/partials/search.html);
- ``material-ja``: the same, tuned as far as Material goes: a separator that also
  splits on 、。 and the full-width space (TinySegmenter runs through ``lang: ja``,
  which static-i18n already sets).

For each: precision at 1 (the expected article in the reader's language comes first),
language purity (every result in the reader's language), bytes a reader downloads
for a first search (fresh browser cache, counted at the server) and the time from
typing to the first result (cold: first search after landing; warm: the median of the
others). With ``--scale N``, it also builds ``scripts/benchmark.py``'s synthetic site of
N articles x 3 languages and reports the index sizes of both engines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from factengine import Registry
from factengine.checks import REGISTRY_FILE

from . import SYNONYMS_FILE, Synonyms, build_search
from .browser import Browser, SearchPage, judged_queries, retired_phone_queries, search, serve

REPO = Path(__file__).resolve().parent.parent
ENV_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}
VARIANTS = ("pagefind", "material", "material-ja")
MATERIAL_JA_SEPARATOR = r"[\s\-、。\u3000]+"  # \u3000: the full-width space


def _mkdocs_env():
    return {**os.environ, **ENV_MKDOCS}


def prepare(variant: str, work: Path) -> Path:
    """A copy of the project configured for ``variant``; returns its folder."""
    tree = work / f"src-{variant}"
    shutil.copytree(
        REPO,
        tree,
        ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".pytest_cache", "*.pdf"),
    )
    if variant == "pagefind":
        return tree
    config = tree / "mkdocs.yml"
    text = config.read_text("utf-8")
    text = re.sub(r"^  - hooks/search\.py\n", "", text, flags=re.M)
    text = re.sub(r"^  - javascripts/search\.js\n", "", text, flags=re.M)
    text = re.sub(r"^extra_javascript:\n(?!  - )", "extra_javascript: []\n", text, flags=re.M)  # none left
    if variant == "material-ja":
        setting = f"  - search:\n      separator: '{MATERIAL_JA_SEPARATOR}'\n"  # single quotes: no YAML escapes
        text = re.sub(r"^  - search\n", lambda _: setting, text, flags=re.M)
    config.write_text(text, "utf-8")
    (tree / "overrides" / "partials" / "search.html").unlink()
    return tree


def build(tree: Path, out: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=tree,
        env=_mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if run.returncode != 0:
        raise SystemExit(f"build of {tree.name} failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")


def site_path() -> str:
    url = re.search(r"^site_url:\s*(\S+)", (REPO / "mkdocs.yml").read_text("utf-8"), re.M).group(1)
    return re.sub(r"^https?://[^/]+", "", url) or "/"


def measure(variant: str, site: Path, browser, queries, languages, default) -> dict:
    ui = "pagefind" if variant == "pagefind" else "material"
    rows, cold = [], {}
    with serve(site, site_path()) as server:

        def url(lang, article):
            return server.root + ("" if lang == default else f"{lang}/") + ("" if article == "index" else f"{article}/")

        for lang in languages:
            ctx = browser.new_context(bypass_csp=ui == "material")  # Material's wait predicate needs eval
            try:
                first = queries[lang][0]
                outcome = search(ctx, server, url(lang, "index"), first[0], ui=ui, timeout_ms=60000)
                cold[lang] = {
                    "query": first[0],
                    "bytes": outcome.search_bytes,
                    "first_result_ms": outcome.first_result_ms,
                    "requests": len(outcome.search_requests),
                }
                for query, article in queries[lang]:
                    if ui == "pagefind":
                        page = SearchPage(ctx, server, url(lang, "index"), ui=ui)
                        result = page.search(query)
                        page.close()
                    else:
                        result = search(ctx, server, url(lang, "index"), query, ui=ui, timeout_ms=60000)
                    prefix = server.root + ("" if lang == default else f"{lang}/")
                    other = [
                        u
                        for u in result.results
                        if not u.startswith(prefix)
                        or any(u.startswith(server.root + f"{l}/") for l in languages if l != lang)
                    ]
                    rows.append(
                        {
                            "language": lang,
                            "query": query,
                            "expected": article,
                            "top": result.top[len(server.root) :] if result.top else None,
                            "top_ok": result.top == url(lang, article),
                            "pure": not other,
                            "results": len(result.results),
                            "ms": result.first_result_ms,
                        }
                    )
            finally:
                ctx.close()
    ok = [r for r in rows if r["top_ok"]]
    return {
        "variant": variant,
        "queries": len(rows),
        "precision_at_1": len(ok) / len(rows),
        "pure": sum(r["pure"] for r in rows) / len(rows),
        "cold": cold,
        "warm_median_ms": statistics.median(r["ms"] for r in rows),
        "rows": rows,
    }


def index_files(variant: str, site: Path) -> dict:
    if variant == "pagefind":
        from .bundle import bundle_sizes

        return {lang: s.total_bytes for lang, s in bundle_sizes(site / "pagefind").items()}
    index = site / "search" / "search_index.json"
    return {"all languages": index.stat().st_size}


def scale(articles: int, work: Path) -> dict:
    """Index sizes of both engines on scripts/benchmark.py's synthetic site."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import benchmark  # scripts/benchmark.py
    except ImportError as exc:
        raise SystemExit(f"--scale needs scripts/benchmark.py: {exc}") from exc
    root = work / "synthetic"
    benchmark.generate_site(root, articles)
    out = root / "site"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(out)],
        cwd=root,
        env=_mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if run.returncode != 0:
        raise SystemExit(f"synthetic build failed:\n{run.stderr[-3000:]}")
    material = (out / "search" / "search_index.json").stat().st_size
    registry = Registry.load(root / REGISTRY_FILE)
    built = build_search(out, registry, Synonyms.load(REPO / SYNONYMS_FILE, registry.languages))
    return {
        "articles": articles,
        "material_index_bytes": material,
        "pagefind": {
            lang: {
                "pages": s.pages,
                "loader": s.loader_bytes,
                "index": s.index_bytes,
                "fragments": s.fragment_bytes,
                "total": s.total_bytes,
            }
            for lang, s in built.sizes.items()
        },
        "first_search": first_search_at_scale(out, registry.languages, registry.site.default_language),
    }


# A word every synthetic article uses in its language (scripts/benchmark.py's text pools).
SCALE_QUERIES = {"en": "cancel", "ja": "解約", "fr": "résilier"}


def first_search_at_scale(site: Path, languages, default) -> dict:
    """A reader's first search on the synthetic site, fresh cache: Material's box (the synthetic
    site keeps stock Material), and Pagefind's API called from the same page (its bundle was
    written by build_search), bytes counted at the server."""
    found = {}
    with serve(site, site_path()) as server, Browser() as chromium:
        browser = chromium.browser
        for lang in languages:
            url = server.root + ("" if lang == default else f"{lang}/")
            query = SCALE_QUERIES.get(lang, "Prime")
            ctx = browser.new_context()
            try:
                material = search(ctx, server, url, query, ui="material", timeout_ms=180000)
            finally:
                ctx.close()
            ctx = browser.new_context()
            page = ctx.new_page()
            try:
                page.goto(url)
                before = len(server.served)
                started = time.perf_counter()
                count = page.evaluate(
                    "async ([bundle, base, q]) => { const pf = await import(bundle);"
                    " await pf.options({ baseUrl: base }); const found = await pf.search(q);"
                    " await Promise.all(found.results.slice(0, 10).map((r) => r.data()));"
                    " return found.results.length; }",
                    [server.root + "pagefind/pagefind.js", urlsplit(server.root).path, query],
                )
                elapsed = (time.perf_counter() - started) * 1000
                pagefind_bytes = sum(size for path, size in server.served[before:] if "/pagefind/" in path and size > 0)
            finally:
                ctx.close()
            found[lang] = {
                "query": query,
                "material": {
                    "bytes": material.search_bytes,
                    "first_result_ms": material.first_result_ms,
                    "results": len(material.results),
                },
                "pagefind": {"bytes": pagefind_bytes, "first_10_results_ms": elapsed, "results": count},
            }
    return found


def report(results: list[dict], sizes: dict, at_scale: dict | None) -> str:
    lines = [
        "| engine | precision@1 | all results in reader's language | first search: bytes (en / ja / fr) "
        "| first result, cold (en / ja / fr) | warm median |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        langs = list(r["cold"])
        hits = sum(x["top_ok"] for x in r["rows"])
        downloaded = " / ".join(f"{r['cold'][lang]['bytes'] / 1024:.0f} KiB" for lang in langs)
        first = " / ".join(f"{r['cold'][lang]['first_result_ms']:.0f} ms" for lang in langs)
        lines.append(
            f"| {r['variant']} | {r['precision_at_1']:.0%} ({hits}/{r['queries']}) | {r['pure']:.0%} "
            f"| {downloaded} | {first} | {r['warm_median_ms']:.0f} ms |"
        )
    lines.append("")
    for variant, files in sizes.items():
        lines.append(f"- {variant} index on disk: " + ", ".join(f"{k}: {v / 1024:.0f} KiB" for k, v in files.items()))
    if at_scale:
        lines.append(
            f"- at {at_scale['articles']} articles x 3 languages: Material's search_index.json "
            f"{at_scale['material_index_bytes'] / 1024:.0f} KiB; Pagefind per language: "
            + ", ".join(
                f"{l}: {v['total'] / 1024:.0f} KiB in all (index {v['index'] / 1024:.0f} KiB, "
                f"fragments {v['fragments'] / 1024:.0f} KiB, loader {v['loader'] / 1024:.0f} KiB)"
                for l, v in at_scale["pagefind"].items()
            )
        )
    for lang, first in ((at_scale or {}).get("first_search") or {}).items():
        m, p = first["material"], first["pagefind"]
        lines.append(
            f"- at scale, first search for {first['query']!r} from a {lang} page, empty cache: Material "
            f"{m['bytes'] / 1024:.0f} KiB, first result after {m['first_result_ms']:.0f} ms; Pagefind "
            f"{p['bytes'] / 1024:.0f} KiB, {p['results']} results, first ten ready after "
            f"{p['first_10_results_ms']:.0f} ms"
        )
    misses = [(r["variant"], x) for r in results for x in r["rows"] if not x["top_ok"]]
    if misses:
        lines += ["", "Misses (engine, language, query: first result instead of the expected article):"]
        lines += [
            f"- {v}, {x['language']}, {x['query']!r}: {x['top'] or 'nothing'} (expected {x['expected']})"
            for v, x in misses
        ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON")
    parser.add_argument("--scale", type=int, default=0, help="also compare index sizes on N synthetic articles")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args(argv)
    registry = Registry.load(REPO / REGISTRY_FILE)
    languages, default = registry.languages, registry.site.default_language
    judged = judged_queries(REPO / "search" / "queries.yml")
    phones = [(q, "retired-numbers") for q, _ in retired_phone_queries(registry)]
    queries = {lang: judged.get(lang, []) + phones for lang in languages}
    results, sizes = [], {}
    with tempfile.TemporaryDirectory(prefix="search-compare-") as tmp:
        work = Path(tmp)
        with Browser() as browser:
            for variant in [v for v in args.variants.split(",") if v]:
                site = work / f"site-{variant}"
                build(prepare(variant, work), site)
                sizes[variant] = index_files(variant, site)
                results.append(measure(variant, site, browser.browser, queries, languages, default))
                print(report(results[-1:], {variant: sizes[variant]}, None), file=sys.stderr)  # as they come
        at_scale = scale(args.scale, work) if args.scale else None
    print(report(results, sizes, at_scale))
    if args.json:
        args.json.write_text(
            json.dumps({"results": results, "sizes": sizes, "scale": at_scale}, indent=1, ensure_ascii=False), "utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
