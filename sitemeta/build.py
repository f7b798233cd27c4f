"""Build the site for a given address: ``python -m sitemeta.build --site-url URL --site-dir DIR``.

Canonical, hreflang, Open Graph and sitemap URLs are absolute, made from ``site_url``.
A build meant for another address than mkdocs.yml's (the GitHub Pages address of a
fork, or the loopback server of the tests, whose Lighthouse audits compare those URLs
with the address a page was loaded from) is made with a configuration that INHERITs
mkdocs.yml and sets only ``site_url``. It is given on standard input: MkDocs then
resolves paths (docs, hooks, the fact registry) from the working directory, the project.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .model import SiteError, checked_site_url

_SITE_URL = re.compile(r"^site_url:\s*(?P<url>\S+)\s*$", re.M)


def configured_site_url(project: Path, config: str = "mkdocs.yml") -> str:
    """``site_url`` as mkdocs.yml writes it (read as text: the file holds Python tags
    that a plain YAML loader refuses)."""
    path = project / config
    match = _SITE_URL.search(path.read_text("utf-8"))
    if not match:
        raise SiteError(f"{path}: no site_url: canonical and hreflang URLs need one")
    return match.group("url").strip("'\"")


def site_url_for(origin: str, project: Path, config: str = "mkdocs.yml") -> str:
    """mkdocs.yml's site_url moved to ``origin`` (scheme://host:port), its path kept."""
    return origin.rstrip("/") + urlsplit(configured_site_url(project, config)).path


def build(
    project: Path, site_url: str, site_dir: Path, config: str = "mkdocs.yml", timeout: float = 900
) -> subprocess.CompletedProcess:
    site_url = checked_site_url(site_url)
    inherit = f"INHERIT: {config}\nsite_url: {site_url}\n"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "-", "-d", str(site_dir)],
        input=inherit,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitemeta.build", description=__doc__.splitlines()[0])
    parser.add_argument("--site-url", required=True, help="the absolute URL the site will be served at")
    parser.add_argument("--site-dir", required=True, type=Path, help="where to write the site")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    args = parser.parse_args(argv)
    try:
        run = build(args.project, args.site_url, args.site_dir)
    except SiteError as exc:
        print(f"sitemeta.build: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
