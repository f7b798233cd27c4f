"""The Content-Security-Policy and the ``_headers`` file for static hosts that read one.

The policy allows the site's own origin and nothing else: no inline script (Material's
small inline scripts are served as files, see ``overrides/partials/javascripts/``), no
inline style, no third-party host. ``data:`` images are allowed because Material's
stylesheet draws its icons (admonitions, lists) as ``data:`` SVG masks: data embedded in
the stylesheet itself, not a request to anyone.

``_headers`` (Netlify, Cloudflare Pages; GitHub Pages ignores it) repeats the policy as
a header, where ``frame-ancestors`` also works (a ``<meta>`` policy may not carry it),
and caches for a year, immutable, the files whose name carries a content hash
(Material's ``main.57a0d79d.min.css``, ``bundle.a5f9d56c.min.js``: a new version is a
new name). Everything else keeps those hosts' default, ``public, max-age=0,
must-revalidate``, so that a deployment is seen at once: no catch-all Cache-Control is
written, because both hosts join the values of overlapping rules instead of replacing
them.
"""

from __future__ import annotations

import re
from pathlib import Path

from factengine.verify import site_files

_SELF_ONLY = {
    "default-src": "'self'",
    # 'wasm-unsafe-eval' lets the site's own search (Pagefind) compile its WebAssembly
    # module, fetched from the site like any script; it allows no eval() of JavaScript.
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "frame-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Only honoured in a header: a <meta> policy carrying it makes browsers log an error.
_HEADER_ONLY = {"frame-ancestors": "'none'"}


def policy(header: bool = False) -> str:
    directives = {**_SELF_ONLY, **(_HEADER_ONLY if header else {})}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def meta_tag() -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy()}">'


SECURITY_HEADERS = {
    "Content-Security-Policy": policy(header=True),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"
HOST_DEFAULT_CACHE = "public, max-age=0, must-revalidate"  # Netlify's and Cloudflare Pages' default
# Material names its built assets "<name>.<8 hex digits>.min.<ext>" (and its search worker likewise).
HASHED_ASSET = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")


def hashed_assets(site_dir: Path, files: list[str] | None = None) -> list[str]:
    """Site-relative paths of the files whose names carry a content hash; ``files``: the site's
    files (site-relative), when the caller has listed them already."""
    if files is None:
        files = site_files(site_dir)
    return sorted(rel for rel in files if HASHED_ASSET.search(rel.rsplit("/", 1)[-1]))


def headers_file(site_dir: Path, base_path: str = "/", files: list[str] | None = None) -> str:
    """The ``_headers`` file. Paths are as the host serves them: ``base_path`` is where the
    site lives on its host (``/`` for a site at the root of its domain)."""
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    lines = ["# Written by the build (sitemeta/security.py): security and cache headers.", f"{base}*"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    for rel in hashed_assets(site_dir, files):
        lines += [f"{base}{rel}", f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"
