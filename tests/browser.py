"""Browser-test helpers: one headless Chromium per test session.

``tests/conftest.py`` registers this module as a plugin (``pytest_plugins``),
so every test module shares one ``browser``; import ``page_errors`` and
``serve`` from it.

- ``browser``: session-scoped Playwright Chromium (Debian's, at
  ``/usr/bin/chromium``: Playwright cannot download browsers here). Fails,
  saying how to install it, when Chromium is missing.
- ``page_errors(page)``: a live list that collects the page's console errors
  and uncaught exceptions; assert it is empty at the end of a test.
- ``serve(folder)``: serve a folder over HTTP on 127.0.0.1 (a free port) in a
  thread; returns ``(base_url, stop)``; ``base_url`` ends with ``/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Callable

import pytest

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by the whole session."""
    from playwright import sync_api

    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test.sh, which installs it")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def page_errors(page) -> list[str]:
    """Start collecting *page*'s console errors and uncaught exceptions.

    Returns the list it appends to (as ``"console: …"`` / ``"pageerror: …"``
    strings), so a test ends with ``assert errors == []``. Call it before
    ``page.goto`` to see errors raised while the page loads.
    """
    errors: list[str] = []

    def on_console(msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if isinstance(msg.location, dict) else ""
            errors.append(f"console: {msg.text}" + (f" ({where})" if where else ""))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass  # keep test output clean


def serve(folder: str | os.PathLike) -> tuple[str, Callable[[], None]]:
    """Serve *folder* on 127.0.0.1 on a free port, in a daemon thread.

    Returns ``(base_url, stop)``; call ``stop()`` to shut the server down.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    host, port = server.server_address[:2]

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"http://{host}:{port}/", stop
