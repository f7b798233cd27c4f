"""``factcheck``: the build's validation without building the site.

    factcheck [--root DIR] [--docs DIR] [--registry FILE] [--json] [--no-cache]
    factcheck --site SITE_DIR [--root DIR]     the built site, as readers receive it

Exit status: 0 when there is no error (warnings allowed), 1 when there are
errors, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .checks import Checker
from .diagnostics import FactError
from .project import Project
from .registry import Registry
from .verify import verify_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="factcheck", description="Validate the fact registry and every article across languages."
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="the project folder (holds docs/ and facts/registry.yaml)"
    )
    parser.add_argument("--docs", type=Path, help="the articles' folder (default: ROOT/docs)")
    parser.add_argument("--registry", type=Path, help="the registry (default: ROOT/facts/registry.yaml)")
    parser.add_argument("--json", action="store_true", help="print a JSON report instead of lines")
    parser.add_argument(
        "--site",
        type=Path,
        metavar="SITE_DIR",
        help="verify a built site instead of the sources (raw references, phone links, retired "
        "numbers' markers, alternates, books)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check every page afresh, without the results kept in ROOT/.cache/factcheck",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    project = Project(args.root, docs_dir=args.docs, registry_path=args.registry)
    if args.site is not None:
        return _verify(project, args.site, args.json, started)
    checker = Checker() if args.no_cache else Checker.for_project(project)
    result = checker.check(project, analyses=False)  # the verdict: the pages' analyses are not needed
    elapsed = time.perf_counter() - started
    if args.json:
        json.dump(
            {
                "ok": not result.errors,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "pages": result.checked,
                "facts": len(result.registry.facts) if result.registry else 0,
                "seconds": round(elapsed, 3),
                "diagnostics": [d.to_json() for d in result.diagnostics],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        for diagnostic in result.diagnostics:
            print(diagnostic)
        facts = len(result.registry.facts) if result.registry else 0
        print(
            f"factcheck: {result.checked} pages, {facts} facts: "
            f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in {elapsed:.2f} s",
            file=sys.stderr,
        )
    return 1 if result.errors else 0


def _verify(project: Project, site: Path, as_json: bool, started: float) -> int:
    try:
        registry = Registry.load(project.registry_path)
    except FactError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic)
        return 1
    if not site.is_dir():
        print(f"factcheck: {site} is not a folder", file=sys.stderr)
        return 2
    diagnostics = verify_site(site, registry)
    elapsed = time.perf_counter() - started
    if as_json:
        json.dump(
            {
                "ok": not diagnostics,
                "errors": len(diagnostics),
                "seconds": round(elapsed, 3),
                "diagnostics": [d.to_json() for d in diagnostics],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        for diagnostic in diagnostics:
            print(f"{site.as_posix().rstrip('/')}/{diagnostic}")
        print(f"factcheck --site: {len(diagnostics)} error(s) in {elapsed:.2f} s", file=sys.stderr)
    return 1 if diagnostics else 0


if __name__ == "__main__":
    sys.exit(main())
