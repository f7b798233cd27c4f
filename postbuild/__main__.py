"""``python -m postbuild SITE_DIR [--root DIR] [--site-url URL]``: finish a built site.

Sitemap, robots.txt, _headers, the search indexes, then the verifier (see ``finish.py``),
over any generator's output. Exit status 0 when the site passed the verifier, 1 when it
did not (every problem listed as ``SITE_DIR/path:line: [rule] message``), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from factengine.diagnostics import FactError
from factengine.project import REGISTRY_FILE
from factengine.registry import Registry
from searchindex import BundleError, SynonymsError
from sitemeta.build import configured_site_url
from sitemeta.model import Site, SiteError

from .finish import finish, project_synonyms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m postbuild", description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="the built site")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project (facts/, search/, mkdocs.yml)")
    parser.add_argument("--site-url", help="the site's public address (default: mkdocs.yml's site_url)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not args.site_dir.is_dir():
        print(f"postbuild: {args.site_dir} is not a folder", file=sys.stderr)
        return 2
    try:
        registry = Registry.load(args.root / REGISTRY_FILE)
        synonyms = project_synonyms(args.root, registry.languages)
        site = Site(
            args.site_url or configured_site_url(args.root),
            registry.site.default_language,
            tuple(registry.languages),
            {},
        )
        finished = finish(args.site_dir, site, registry, synonyms, args.root / ".cache")
    except FactError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic)
        return 1
    except (SynonymsError, SiteError, BundleError) as exc:
        print(f"postbuild: {exc}", file=sys.stderr)
        return 1
    for problem in finished.problems:
        print(f"{args.site_dir.as_posix().rstrip('/')}/{problem}")
    search = finished.search.summary() if finished.search else "none (no search/synonyms.yml)"
    print(
        f"postbuild: {len(finished.pages)} pages in the sitemap; search: {search}; "
        f"{len(finished.problems)} problem(s) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 1 if finished.problems else 0


if __name__ == "__main__":
    sys.exit(main())
