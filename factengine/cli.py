"""``factcheck``: the build's validation without building the site.

    factcheck [--root DIR] [--json] [--stale-error]

Exit status: 0 when there is no error (warnings allowed), 1 when there are
errors, 2 on bad usage.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .checks import Project, check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="factcheck", description="Validate the fact registry and every article across languages.")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder (holds docs/ and facts/registry.yaml)")
    parser.add_argument("--docs", type=Path, help="the articles' folder (default: ROOT/docs)")
    parser.add_argument("--registry", type=Path, help="the registry (default: ROOT/facts/registry.yaml)")
    parser.add_argument("--json", action="store_true", help="print a JSON report instead of lines")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    project = Project(args.root, docs_dir=args.docs, registry_path=args.registry)
    result = check(project)
    elapsed = time.perf_counter() - started
    if args.json:
        json.dump({
            "ok": not result.errors,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "pages": len(result.pages),
            "facts": len(result.registry.facts) if result.registry else 0,
            "seconds": round(elapsed, 3),
            "diagnostics": [d.to_json() for d in result.diagnostics],
        }, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for diagnostic in result.diagnostics:
            print(diagnostic)
        facts = len(result.registry.facts) if result.registry else 0
        print(f"factcheck: {len(result.pages)} pages, {facts} facts: "
              f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in {elapsed:.2f} s",
              file=sys.stderr)
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
