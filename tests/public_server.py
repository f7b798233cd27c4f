"""A static host on the loopback interface for the built site, behaving like the hosts it is
deployed to: the site is served under its ``site_url`` path (``/prime-help/``); a folder
address without its slash is redirected; a missing address gets the nearest ``404.html``
up the folder tree with status 404 (Cloudflare Pages does so; GitHub Pages serves the
root one); the ``_headers`` file the build writes is applied (Netlify and Cloudflare Pages
format), on top of those hosts' default ``Cache-Control``.

The build needs the host's port before it starts, for its absolute URLs. A host made without a
port binds an ephemeral one at once. A host made with one (the session's, tests/conftest.py:
``HOST``, served by the ``served`` fixture) binds it when it starts serving, with
``SO_REUSEPORT``: the pytest process that started the session holds the same port bound,
not listening, for the whole session (``reserve_port``), so no connection's ephemeral
port can take it while the site is built, on whichever pytest-xdist worker serves it.
"""

from __future__ import annotations

import mimetypes
import re
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST_DEFAULT_CACHE = "public, max-age=0, must-revalidate"


def parse_headers_file(text: str, source: str = "_headers") -> list[tuple[re.Pattern, list[tuple[str, str]]]]:
    """Rules of a ``_headers`` file: (path pattern, [(name, value)]). ``*`` matches anything."""
    rules: list[tuple[re.Pattern, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = "^" + ".*".join(re.escape(part) for part in line.strip().split("*")) + "$"
            rules.append((re.compile(pattern), []))
            continue
        name, sep, value = line.strip().partition(":")
        if not rules or not sep:
            raise ValueError(f"{source}:{number}: expected 'Name: value' under a path, got {line.strip()!r}")
        rules[-1][1].append((name.strip(), value.strip()))
    return rules


def reserve_port() -> socket.socket:
    """A loopback port bound with ``SO_REUSEPORT`` and not listening: the kernel gives it to no
    outgoing connection while the socket is open, and a ``StaticHost`` made with that port can
    still bind it and serve."""
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    holder.bind(("127.0.0.1", 0))
    return holder


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_port = True  # the port may be held by reserve_port's socket


class StaticHost:
    def __init__(self, base_path: str, port: int = 0):
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.root: Path | None = None
        self.rules: list = []
        self.log: list[tuple[str, int]] = []  # (path, status) of every request served
        # (path, bytes) of every answer with a body, bytes < 0 for an HTTP error: what the search
        # tests count as downloaded (searchindex.browser.SearchPage reads it)
        self.served: list[tuple[str, int]] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                host._serve(self, body=True)

            def do_HEAD(self):
                host._serve(self, body=False)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self._handler = Handler
        self._port = port
        self._server = None if port else _Server(("127.0.0.1", 0), Handler)
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        port = self._server.server_address[1] if self._server else self._port
        return f"http://127.0.0.1:{port}"

    @property
    def url(self) -> str:
        return self.origin + self.base_path

    def start(self, root: Path) -> None:
        self.root = Path(root).resolve()
        headers = self.root / "_headers"
        self.rules = parse_headers_file(headers.read_text("utf-8"), str(headers)) if headers.exists() else []
        if self._server is None:
            try:
                self._server = _Server(("127.0.0.1", self._port), self._handler)
            except OSError as exc:
                raise RuntimeError(f"the site's port {self._port} cannot be served: {exc}") from exc
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
        if self._server is not None:
            self._server.server_close()

    def headers_for(self, path: str) -> dict[str, str]:
        headers = {"Cache-Control": HOST_DEFAULT_CACHE}
        explicit: dict[str, str] = {}
        for pattern, values in self.rules:
            if pattern.match(path):
                for name, value in values:
                    explicit[name] = f"{explicit[name]}, {value}" if name in explicit else value
        return {**headers, **explicit}

    def _file_for(self, path: str) -> tuple[Path | None, str | None]:
        """The file for a request path, or a redirect target for a folder without its slash."""
        rel = path[len(self.base_path) :]
        target = (self.root / rel).resolve()
        if self.root.resolve() not in (target, *target.parents):
            return None, None
        if target.is_dir():
            if not path.endswith("/"):
                return None, path + "/"
            target = target / "index.html"
        return (target, None) if target.is_file() else (None, None)

    def _not_found_page(self, path: str) -> Path | None:
        rel = path[len(self.base_path) :] if path.startswith(self.base_path) else ""
        folder = (self.root / rel).parent if not rel.endswith("/") else self.root / rel
        while True:
            candidate = folder / "404.html"
            if candidate.is_file():
                return candidate
            if folder.resolve() == self.root.resolve() or self.root.resolve() not in folder.resolve().parents:
                return self.root / "404.html" if (self.root / "404.html").is_file() else None
            folder = folder.parent

    def _serve(self, request: BaseHTTPRequestHandler, body: bool) -> None:
        path = unquote(urlsplit(request.path).path)
        status, file, location = HTTPStatus.OK, None, None
        if path.startswith(self.base_path):
            file, location = self._file_for(path)
        if location:
            status = HTTPStatus.MOVED_PERMANENTLY
        elif file is None:
            status, file = HTTPStatus.NOT_FOUND, self._not_found_page(path)
        data = file.read_bytes() if file else b"Not found\n"
        self.log.append((path, int(status)))
        request.send_response(status)
        if location:
            request.send_header("Location", location)
        kind = (mimetypes.guess_type(file.name)[0] if file else None) or "text/plain"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(0 if location else len(data)))
        served_as = file.relative_to(self.root).as_posix() if file and status == HTTPStatus.OK else None
        for name, value in self.headers_for(self.base_path + served_as if served_as else path).items():
            request.send_header(name, value)
        request.end_headers()
        if body and not location:
            request.wfile.write(data)
            self.served.append((path, len(data) if status == HTTPStatus.OK else -int(status)))
