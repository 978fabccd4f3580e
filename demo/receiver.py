"""A stand-in for a force's back office: receives report webhooks (demo and tests).

It does what a real receiver must: checks ``X-Solh-Signature`` against the force's secret
(401 when it does not match) and keeps each report once, however often it is delivered
(deduplicated by ``Idempotency-Key``). ``GET /`` lists what arrived; ``GET /reports.json``
returns it as JSON.

Forces post to ``http://HOST:PORT/<force-slug>/``; each force's secret is looked up by that
first path segment in ``secrets``, falling back to ``secret`` for every force.

Each report listed has a form to send a status update back to the platform: signed with the
force's secret, to the ``updates_url`` the report came with (``POST /send-update/``). With
``platform_url`` (the demo's ``--platform-url http://127.0.0.1:8000``) the request goes to that
server, with the report's site named in its ``Host`` header, so no name needs to resolve.
Added information (``report.follow_up`` webhooks) is listed beside the reports.

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
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 50 * 1024 * 1024
MAX_FORM = 64 * 1024
FOLLOW_UP_EVENT = "report.follow_up"
UPDATE_STATUSES = [
    ("received", "Received"),
    ("assigned", "Assigned to an officer"),
    ("investigating", "Being investigated"),
    ("needs-more-information", "More information needed"),
    ("closed", "Closed"),
]


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

    @property
    def is_follow_up(self):
        return self.payload.get("event") == FOLLOW_UP_EVENT

    def summary(self):
        journey = self.payload.get("journey") or {}
        return {
            "kind": "follow_up" if self.is_follow_up else "report",
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

    def __init__(
        self, host="127.0.0.1", port=0, *, secret="", secrets=None, quiet=True, platform_url=""
    ):
        self.secret = secret
        self.secrets = dict(secrets or {})
        self.quiet = quiet
        self.platform_url = platform_url.rstrip("/")
        self.updates_sent = []  # (reference, status, HTTP status, answer), newest last
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

    # --- Sending a status update back -----------------------------------------------------------

    def send_update(self, key, status, message_en, message_cy=""):
        """Send a signed status update on the report received under ``key`` to the platform.

        Returns ``(HTTP status, JSON answer)``; the status is 0 when the platform could not be
        reached. Each call is a new update (a new ``Idempotency-Key``).
        """
        with self.lock:
            report = next(
                (item for item in self.reports if item.key == key and not item.is_follow_up), None
            )
        if report is None:
            return 404, {"error": "no report was received under that key"}
        url = report.payload.get("updates_url", "")
        if not url:
            return 400, {"error": "the report came without an updates_url"}
        document = {"status": status, "message_en": message_en}
        if message_cy:
            document["message_cy"] = message_cy
        body = json.dumps(document).encode()
        secret = self.secret_for(report.force)
        headers = {
            "Content-Type": "application/json",
            "X-Solh-Signature": "sha256=" + hmac.new(secret.encode(), body, sha256).hexdigest(),
            "Idempotency-Key": str(uuid.uuid4()),
        }
        parts = urlsplit(url)
        if self.platform_url:
            headers["Host"] = parts.netloc
            url = self.platform_url + parts.path
        # An http(s) address: the platform's own, or the updates_url a signed report gave.
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                code, answer = response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            code, answer = error.code, _json(error.read())
        except (urllib.error.URLError, OSError) as error:
            code, answer = 0, {"error": f"could not reach the platform ({error})"}
        with self.lock:
            self.updates_sent.append((report.reference, status, code, answer))
        return code, answer

    def _answer(self, force, key, status, answer):
        with self.lock:
            self.requests.append((force, key, status))
        return status, answer, {}

    def html(self):
        row = (
            "<tr><td>{reference}</td><td>{kind}</td><td>{force}</td><td>{journey}</td>"
            "<td>{received}</td><td>{action}</td></tr>"
        )
        rows = "".join(
            row.format(
                reference=escape(item["reference"]),
                kind="Added information" if item["kind"] == "follow_up" else "Report",
                force=escape(item["force"]),
                journey=escape(
                    (item["payload"].get("text") or "")[:200]
                    if item["kind"] == "follow_up"
                    else item["journey"]
                ),
                received=escape(item["received_at"][:19].replace("T", " ")),
                action="" if item["kind"] == "follow_up" else self._update_form(item),
            )
            for item in reversed(self.as_json())
        )
        with self.lock:
            sent = list(self.updates_sent[-10:])
        sent_rows = "".join(
            f"<li>{escape(reference)}: {escape(status)} → "
            f"{code or 'not sent'} {escape(json.dumps(answer))}</li>"
            for reference, status, code, answer in reversed(sent)
        )
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>Demo force back office</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em 1em;"
            "text-align:left;vertical-align:top;border-bottom:1px solid #ccc}"
            "label{display:block;margin-top:.3em}</style></head><body>"
            "<h1>Reports received</h1>"
            "<p>Reports, and information added to them, delivered by the worker arrive here, "
            "signed and deduplicated. <a href='/'>Refresh</a>; "
            "<a href='/reports.json'>as JSON</a>.</p>"
            "<p>Send a status update back on a report: the platform checks its signature, "
            "shows it to the reporter on “Track my report” and emails them that there is "
            "one. “More information needed” lets them add information, which arrives here.</p>"
            + (f"<h2>Status updates sent</h2><ul>{sent_rows}</ul>" if sent_rows else "")
            + "<table><thead><tr><th>Reference</th><th>Kind</th><th>Force</th>"
            "<th>Journey or information</th><th>Received (UTC)</th><th>Status update</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>"
        )

    @staticmethod
    def _update_form(item):
        key = escape(item["idempotency_key"])
        ident = escape(item["idempotency_key"][:12])
        options = "".join(
            f"<option value='{value}'>{escape(label)}</option>" for value, label in UPDATE_STATUSES
        )
        return (
            "<form method='post' action='/send-update/'>"
            f"<input type='hidden' name='key' value='{key}'>"
            f"<label for='status-{ident}'>Status</label>"
            f"<select id='status-{ident}' name='status'>{options}</select>"
            f"<label for='message-{ident}'>Message to the reporter</label>"
            f"<textarea id='message-{ident}' name='message_en' rows='2' cols='40' required>"
            "</textarea>"
            f"<label for='message-cy-{ident}'>Welsh message (optional)</label>"
            f"<textarea id='message-cy-{ident}' name='message_cy' rows='2' cols='40'></textarea>"
            "<p><button type='submit'>Send status update</button></p></form>"
        )


def _handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoReceiver/1.0"

        def do_POST(self):
            if self.path.split("?")[0] == "/send-update/":
                self._send_update()
                return
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

        def _send_update(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_FORM:
                self._send(413, "text/plain", b"Too large")
                return
            form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))

            def field(name):
                return (form.get(name) or [""])[0].strip()

            receiver.send_update(
                field("key"), field("status"), field("message_en"), field("message_cy")
            )
            self._send(303, "text/plain", b"See other", {"Location": "/"})

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


def _json(body):
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {"error": "the answer was not JSON"}
