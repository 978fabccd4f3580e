"""The demo back office sends status updates back: its form posts a signed update that the
platform takes, so a new user can watch the loop close in ``make demo``."""

import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core import mail

import pytest

from demo.receiver import Receiver
from tests.reporting.receiver import SECRET, configure
from tracking.models import ReportUpdate

pytestmark = pytest.mark.django_db


class Platform:
    """Stands where the platform's web server would, and keeps each request as it came."""

    def __init__(self):
        self.requests = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                platform.requests.append((self.path, dict(self.headers), body))
                answer = json.dumps({"status": "kept"}).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform():
    platform = Platform()
    yield platform
    platform.stop()


@pytest.fixture
def demo_office(platform):
    with Receiver(secret=SECRET, platform_url=platform.url) as receiver:
        yield receiver


def test_the_status_update_button_closes_the_loop(
    forces, demo_office, platform, report, client, django_capture_on_commit_callbacks
):
    tvp = configure(forces["thames-valley"], webhook_url=demo_office.url("thames-valley"))
    submission = report(tvp)
    (received,) = demo_office.reports
    assert received.payload["updates_url"] == (
        f"http://thames-valley.localhost/api/reports/{submission.reference}/updates/"
    )
    page = urllib.request.urlopen(demo_office.base_url + "/").read().decode()
    assert "Send status update" in page and submission.reference in page

    # The form on the page, submitted as a browser would.
    form = urllib.parse.urlencode(
        {
            "key": received.key,
            "status": "needs-more-information",
            "message_en": "Can you send a photo?",
            "message_cy": "Allwch chi anfon llun?",
        }
    ).encode()
    answer = urllib.request.urlopen(demo_office.base_url + "/send-update/", data=form)
    assert answer.url == demo_office.base_url + "/"  # redirected back to the list

    (path, headers, body) = platform.requests[0]
    assert path == f"/api/reports/{submission.reference}/updates/"
    assert headers["Host"] == "thames-valley.localhost"
    # What the platform makes of exactly that request:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path,
            data=body,
            content_type="application/json",
            HTTP_HOST=headers["Host"],
            HTTP_X_SOLH_SIGNATURE=headers["X-Solh-Signature"],
            HTTP_IDEMPOTENCY_KEY=headers["Idempotency-Key"],
        )
    assert response.status_code == 201, response.content
    update = ReportUpdate.objects.get()
    assert (update.submission, update.status, update.message_cy) == (
        submission,
        "needs-more-information",
        "Allwch chi anfon llun?",
    )
    assert len(mail.outbox) == 1
    listing = urllib.request.urlopen(demo_office.base_url + "/").read().decode()
    assert "Status updates sent" in listing and "201" in listing


def test_an_unknown_report_or_unreachable_platform_is_reported(forces, report):
    with Receiver(secret=SECRET, platform_url="http://127.0.0.1:9") as office:
        tvp = configure(forces["thames-valley"], webhook_url=office.url("thames-valley"))
        report(tvp)
        assert office.send_update("no-such-key", "closed", "Done")[0] == 404
        code, answer = office.send_update(office.reports[0].key, "closed", "Done")
        assert code == 0 and "could not reach the platform" in answer["error"]
