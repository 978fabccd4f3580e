"""One truth in every process: a change made by one process is seen by every other on its next
request, with no Redis (the demo's defaults: SQLite, local-memory caches, the shared version
tokens in the database).

Real processes: a gunicorn with two workers serves a SQLite database made for this module, and
changes are made as an operator makes them, by ``manage.py onboard_force`` and ``manage.py
shell`` in processes of their own. Each change is checked by several requests in a row, so that
both workers answer, after both have had the chance to keep the old answer.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUESTS_PER_CHECK = 8  # two workers: each answers several of these
STARTUP_SECONDS = 60


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Platform:
    """The platform on a SQLite database of its own: run commands, serve it, request pages."""

    def __init__(self, directory):
        self.directory = directory
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "solh.settings.dev",
            "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
            "MEDIA_ROOT": str(directory / "media"),
            "EMAIL_FILE_PATH": str(directory / "emails"),
            "SITE_PORT": "80",
            "DEBUG": "false",
            "REDIS_URL": "",
            "SHARED_VERSIONS": "",
            "PYTHONUNBUFFERED": "1",
        }
        self.server = None

    def manage(self, *args, stdin=None):
        """Run ``manage.py`` in a process of its own; fail the test with its output if it fails."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=240,
        )
        if done.returncode:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def shell(self, code):
        return self.manage("shell", "-v", "0", "-c", code)

    def serve(self):
        self.log = open(self.directory / "gunicorn.log", "w")  # noqa: SIM115 (closed in stop)
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "solh.wsgi",
                "--config",
                "gunicorn.conf.py",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                pytest.fail(f"gunicorn stopped:\n{self.output()}")
            try:
                self.get("localhost", "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{self.output()}")

    def output(self):
        return (self.directory / "gunicorn.log").read_text()

    def stop(self):
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=20)
        if self.server is not None:
            self.log.close()

    def get(self, host, path):
        """(status, body) of a GET on ``host`` (sent as the Host header) at ``path``."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Host": host}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def headers(self, host, path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Host": host}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers

    def answers(self, host, path):
        """What the server answers ``REQUESTS_PER_CHECK`` times in a row."""
        return [self.get(host, path) for _ in range(REQUESTS_PER_CHECK)]


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Platform(tmp_path_factory.mktemp("processes"))
    platform.manage("migrate", "-v", "0")
    platform.manage(
        "onboard_force",
        "met",
        "--name",
        "Metropolitan Police Service",
        "--hostname",
        "met.localhost",
        "--short-name",
        "MPS",
        "--primary-colour",
        "#00205b",
    )
    platform.serve()
    yield platform
    platform.stop()
    log = platform.output()
    assert "Traceback" not in log, log


def every(answers, status, text=None):
    return all(code == status and (text is None or text in body) for code, body in answers)


def test_a_force_onboarded_by_the_cli_is_served_at_once_where_the_hub_answered(platform):
    before = platform.answers("cleveland.localhost", "/")
    assert every(before, 200, "Find your police force"), "the hub answers an unknown host"
    # ... and nothing may keep that answer for the host: neither this server nor a CDN.
    headers = platform.headers("cleveland.localhost", "/")
    assert headers["X-Page-Cache"] == "bypass"
    assert "private" in headers["Cache-Control"]
    hub_reports = platform.answers("cleveland.localhost", "/report/")
    assert not any("Cleveland Police" in body for _code, body in hub_reports)

    platform.manage(
        "onboard_force",
        "cleveland",
        "--name",
        "Cleveland Police",
        "--hostname",
        "cleveland.localhost",
        "--short-name",
        "CLEV",
        "--primary-colour",
        "#1d5c4a",
    )

    assert every(platform.answers("cleveland.localhost", "/"), 200, "Cleveland Police")
    assert every(platform.answers("cleveland.localhost", "/report/"), 200, "Cleveland Police")
    assert every(platform.answers("cleveland.localhost", "/search/?q=burglary"), 200, "Cleveland")
    # The hub lists it, too.
    assert every(platform.answers("localhost", "/"), 200, "Cleveland Police")


PUBLISH = """
from forces.syndication import national_root
from home.models import ContentPage
page = ContentPage(title="Cold callers at the door", slug="cold-callers")
national_root().add_child(instance=page)
page.save_revision().publish()
"""

UNPUBLISH = """
from home.models import ContentPage
ContentPage.objects.get(slug="cold-callers", alias_of__isnull=True).unpublish()
"""


def test_a_national_publish_and_unpublish_from_a_shell_reach_every_site_at_once(platform):
    assert every(platform.answers("met.localhost", "/advice/"), 200)
    assert every(platform.answers("met.localhost", "/advice/cold-callers/"), 404)

    platform.shell(PUBLISH)
    assert every(
        platform.answers("met.localhost", "/advice/cold-callers/"), 200, "Cold callers at the door"
    )
    assert every(platform.answers("met.localhost", "/advice/"), 200, "Cold callers at the door")
    assert every(platform.answers("localhost", "/advice/cold-callers/"), 200)

    platform.shell(UNPUBLISH)
    assert every(platform.answers("met.localhost", "/advice/cold-callers/"), 404)
    advice = platform.answers("met.localhost", "/advice/")
    assert every(advice, 200) and not any("Cold callers" in body for _code, body in advice)


def test_a_force_settings_change_from_a_shell_is_shown_at_once(platform):
    assert every(platform.answers("met.localhost", "/"), 200, "Metropolitan Police Service")
    assert every(platform.answers("met.localhost", "/contact-us/"), 200)

    platform.shell(
        "from forces.models import Force\n"
        "force = Force.objects.get(slug='met')\n"
        "force.phone_non_emergency = '0300 123 1212'\n"
        "force.save()\n"
    )
    assert every(platform.answers("met.localhost", "/"), 200, "0300 123 1212")
    assert every(platform.answers("met.localhost", "/contact-us/"), 200, "0300 123 1212")
