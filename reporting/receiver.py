"""A stand-in for a force's back office: receives report webhooks (demo and tests).

It does what a real receiver must: checks ``X-Solh-Signature`` against the force's secret
(401 when it does not match) and keeps each report once, however often it is delivered
(deduplicated by ``Idempotency-Key``). ``GET /`` lists what arrived; ``GET /reports.json``
returns it as JSON.

Forces post to ``http://HOST:PORT/<force-slug>/``; each force's secret is looked up by that
first path segment in ``secrets``, falling back to ``secret`` for every force.

For tests, faults can be injected: fail the next *k* requests (``fail_next``), answer every
request with a fixed status (``always``), or hold requests until released (``hang``)::

    with Receiver(secret="s" * 16) as receiver:
        receiver.fail_next(2, status=503)
        ...  # deliver to receiver.url("thames-valley")
        assert len(receiver.reports) == 1
"""

import hmac
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 50 * 1024 * 1024


@dataclass
class Received:
    """One report as the receiver kept it."""

    key: str
    force: str
    path: str
    payload: dict
    received_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    @property
    def reference(self):
        return self.payload.get("reference", "")

    def summary(self):
        journey = self.payload.get("journey") or {}
        return {
            "reference": self.reference,
            "force": self.payload.get("force", ""),
            "path_force": self.force,
            "journey": journey.get("title", ""),
            "submitted_at": self.payload.get("submitted_at", ""),
            "received_at": self.received_at,
            "idempotency_key": self.key,
        }


class Receiver:
    """A threaded HTTP server on ``host:port`` (port 0: any free port) that takes webhooks."""

    def __init__(self, host="127.0.0.1", port=0, *, secret="", secrets=None, quiet=True):
        self.secret = secret
        self.secrets = dict(secrets or {})
        self.quiet = quiet
        self.lock = threading.Lock()
        self.reports = []  # Received, in order of arrival
        self.requests = []  # (force, idempotency key, status answered), every POST
        self.duplicates = 0
        self._seen = {}
        self._fail_next = 0
        self._fail_status = 503
        self._retry_after = None
        self._always = None
        self._hang = threading.Event()
        self._released = threading.Event()
        self.request_arrived = threading.Event()
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        self.thread = None

    # --- Running -------------------------------------------------------------------------------

    @property
    def port(self):
        return self.server.server_address[1]

    @property
    def base_url(self):
        host = self.server.server_address[0]
        return f"http://{host}:{self.port}"

    def url(self, force_slug):
        """Where ``force_slug`` posts its reports."""
        return f"{self.base_url}/{force_slug}/"

    def start(self):
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="report-receiver", daemon=True
        )
        self.thread.start()
        return self

    def serve_forever(self):
        self.server.serve_forever()

    def stop(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # --- Faults --------------------------------------------------------------------------------

    def fail_next(self, count, status=503, retry_after=None):
        """Answer the next ``count`` POSTs with ``status`` (and ``Retry-After``, if given)."""
        with self.lock:
            self._fail_next = count
            self._fail_status = status
            self._retry_after = retry_after

    def always(self, status):
        """Answer every POST with ``status`` (None: behave normally again)."""
        with self.lock:
            self._always = status

    def hang(self):
        """Hold every POST, without answering, until ``release`` (or the client gives up)."""
        self._released.clear()
        self._hang.set()

    def release(self):
        """Let held POSTs go on (they are then handled normally) and stop holding new ones."""
        self._hang.clear()
        self._released.set()

    # --- What arrived --------------------------------------------------------------------------

    def secret_for(self, force):
        return self.secrets.get(force, self.secret)

    def by_reference(self, reference):
        with self.lock:
            return [report for report in self.reports if report.reference == reference]

    def as_json(self):
        with self.lock:
            return [{**report.summary(), "payload": report.payload} for report in self.reports]

    def receive(self, force, path, headers, body):
        """Handle one POST; returns (status, JSON-able answer, extra headers)."""
        key = headers.get("Idempotency-Key", "")
        with self.lock:
            status = None
            extra = {}
            if self._fail_next > 0:
                self._fail_next -= 1
                status = self._fail_status
                if self._retry_after is not None:
                    extra["Retry-After"] = str(self._retry_after)
            elif self._always is not None:
                status = self._always
            if status is not None:
                self.requests.append((force, key, status))
                return status, {"error": "fault injected"}, extra

        secret = self.secret_for(force)
        expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, sha256).hexdigest()
        signature = headers.get("X-Solh-Signature", "")
        if not secret or not hmac.compare_digest(expected, signature):
            return self._answer(force, key, 401, {"error": "bad signature"})
        if not key:
            return self._answer(force, key, 400, {"error": "no Idempotency-Key"})
        try:
            payload = json.loads(body)
        except ValueError:
            return self._answer(force, key, 400, {"error": "not JSON"})

        with self.lock:
            if key in self._seen:
                self.duplicates += 1
                self.requests.append((force, key, 200))
                return 200, {"status": "duplicate", "reference": self._seen[key]}, {}
            self._seen[key] = payload.get("reference", "")
            self.reports.append(Received(key=key, force=force, path=path, payload=payload))
            self.requests.append((force, key, 200))
        return 200, {"status": "received", "reference": payload.get("reference", "")}, {}

    def _answer(self, force, key, status, answer):
        with self.lock:
            self.requests.append((force, key, status))
        return status, answer, {}

    def html(self):
        row = "<tr><td>{reference}</td><td>{force}</td><td>{journey}</td><td>{received}</td></tr>"
        rows = "".join(
            row.format(
                reference=escape(item["reference"]),
                force=escape(item["force"]),
                journey=escape(item["journey"]),
                received=escape(item["received_at"][:19].replace("T", " ")),
            )
            for item in reversed(self.as_json())
        )
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta http-equiv='refresh' content='5'>"
            "<title>Demo force back office</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;"
            "text-align:left;border-bottom:1px solid #ccc}</style></head><body>"
            "<h1>Reports received</h1>"
            "<p>Reports delivered by the worker arrive here, signed and deduplicated. "
            "This page refreshes every 5 seconds; <a href='/reports.json'>as JSON</a>.</p>"
            "<table><thead><tr><th>Reference</th><th>Force</th><th>Journey</th>"
            f"<th>Received (UTC)</th></tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>"
        )


def _handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoReceiver/1.0"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(413, "application/json", b'{"error": "too large"}')
                return
            body = self.rfile.read(length)
            receiver.request_arrived.set()
            if receiver._hang.is_set():
                receiver._released.wait()
            force = self.path.strip("/").split("/")[0]
            status, answer, extra = receiver.receive(force, self.path, self.headers, body)
            self._send(status, "application/json", json.dumps(answer).encode(), extra)

        def do_GET(self):
            if self.path.split("?")[0] == "/reports.json":
                body = json.dumps(receiver.as_json(), indent=2).encode()
                self._send(200, "application/json", body)
            elif self.path in ("/", ""):
                self._send(200, "text/html; charset=utf-8", receiver.html().encode())
            else:
                self._send(404, "text/plain", b"Not found")

        def _send(self, status, content_type, body, extra=None):
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up (timed out, or was killed): nothing to tell it

        def log_message(self, format, *args):
            if not receiver.quiet:
                super().log_message(format, *args)

    return Handler
