"""A small shared runner: one ThreadingHTTPServer per sandbox, bound to 127.0.0.1 only."""

from __future__ import annotations

import importlib
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self):
        try:
            data = json.loads(self.body.decode("utf-8") or "null")
        except (ValueError, UnicodeDecodeError):
            return None
        return data

    def form(self) -> dict[str, str]:
        parsed = parse_qs(self.body.decode("utf-8", "replace"))
        return {k: v[0] for k, v in parsed.items()}


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "application/json"
    headers: dict[str, str] | None = None

    @classmethod
    def json(cls, data, status: int = 200) -> Response:
        return cls(status=status, body=json.dumps(data))

    @classmethod
    def redirect(cls, location: str) -> Response:
        return cls(status=303, headers={"Location": location}, content_type="text/plain")


class Sandbox:
    """Subclasses implement ``handle(request) -> Response`` and ``settings_for(url)``."""

    name = ""

    def __init__(self, config: dict | None = None):
        self.config = dict(config or {})
        self.url = ""
        self.lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def settings_for(self, url: str) -> dict[str, str]:
        """The application's settings (and environment variables) pointing at ``url``."""
        raise NotImplementedError


def _handler_for(sandbox: Sandbox):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - quiet by default
            if sandbox.config.get("verbose"):
                super().log_message(format, *args)

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            request = Request(self.command, parts.path, query, dict(self.headers.items()), body)
            try:
                response = sandbox.handle(request)
            except Exception as exc:  # a sandbox bug must show, not hang the client
                response = Response.json({"code": "sandbox_error", "message": str(exc)}, 500)
            payload = response.body.encode() if isinstance(response.body, str) else response.body
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (response.headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


@dataclass
class Running:
    sandbox: Sandbox
    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return self.sandbox.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def load(name: str, config: dict | None = None) -> Sandbox:
    from sandboxes import REGISTRY

    module, _, cls = REGISTRY[name].rpartition(".")
    return getattr(importlib.import_module(module), cls)(config)


def start(sandbox: Sandbox, port: int = 0) -> Running:
    """Serve ``sandbox`` on 127.0.0.1:``port`` (0: a free port) in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(sandbox))
    server.daemon_threads = True
    sandbox.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name=f"sandbox-{sandbox.name}")
    thread.daemon = True
    thread.start()
    return Running(sandbox, server, thread)


def start_all(config: dict | None = None, *, port_base: int | None = None) -> dict[str, Running]:
    from sandboxes import REGISTRY

    running = {}
    for index, name in enumerate(REGISTRY):
        port = 0 if port_base is None else port_base + index
        running[name] = start(load(name, config), port)
    return running
