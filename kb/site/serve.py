"""``kb serve``: build, serve on 127.0.0.1, rebuild on changes, reload pages.

The server only ever listens on the loopback address. Pages it serves get a
small script that asks ``/__kb/version`` once a second and reloads when a
rebuild finished; the built files themselves are not changed.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from kb.errors import KbError

_RELOAD = b"""<script>(function(){var v=null;function poll(){fetch('/__kb/version',{cache:'no-store'})
.then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t})
.catch(function(){}).then(function(){setTimeout(poll,1000)})}poll()})();</script>"""


class _State:
    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.lock = threading.Lock()


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: _State

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows rebuilds
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/__kb/version"):
            body = str(self.state.version).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            data = path.read_bytes()
            if self.state.error:
                data = data.replace(b"<body", b"<body data-kb-build-error", 1)
            marker = data.rfind(b"</body>")
            data = data[:marker] + _RELOAD + data[marker:] if marker >= 0 else data + _RELOAD
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        super().do_GET()


def serve(root: Path, out: Path | None, port: int, once: bool = False) -> None:
    from watchfiles import watch

    from kb.site.build import build

    root = root.resolve()
    report = build(root, out)
    out = report.out
    print(report.summary(), flush=True)
    state = _State()
    handler = type("Handler", (_Handler,), {"state": state})
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                 functools.partial(handler, directory=str(out)))
    except OSError as exc:
        raise KbError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); try another --port", status=2) from None
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"Serving {out} at {url} (Ctrl+C to stop)", flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    watched = [p for p in (root / "content", root / "templates", root / "kb.yaml") if p.exists()]
    try:
        for changes in watch(*watched, debounce=200, raise_interrupt=False):
            try:
                report = build(root, out, progress=False)
                state.error = None
                print(f"{len(changes)} change(s): {report.summary()}", flush=True)
            except KbError as exc:
                state.error = str(exc)
                print(f"build failed, still serving the last good site: {exc}", file=sys.stderr, flush=True)
            state.version += 1
            if once:
                break
    finally:
        server.shutdown()
