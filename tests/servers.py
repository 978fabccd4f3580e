"""Real processes in tests: a free port, and the platform served by gunicorn (two workers) on a
SQLite database of its own, with no Redis (the demo's defaults), plus ``manage.py`` commands
run on it in processes of their own."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUESTS_PER_CHECK = 8  # two workers: each answers several of these
STARTUP_SECONDS = 60


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Platform:
    """The platform on a SQLite database of its own: run commands, serve it, request pages."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
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
