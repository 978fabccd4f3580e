"""Servers of the fault tests' own, so that a fault can be injected without touching anything
another test process uses: a PostgreSQL cluster (``initdb`` in a temporary directory), a Redis
server, moto's S3 server, and the platform's web server (gunicorn with the project's
``gunicorn.conf.py``) and worker (``manage.py run_worker``) pointed at them.

The machine's shared PostgreSQL (5432) and Redis (6379) are never stopped: other test processes
use them. Each process writes to a temporary file (``tests.faults.processes.output``).
"""

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import connections

import dj_database_url
import psycopg
import pytest
import requests
from moto.server import ThreadedMotoServer

from tests import databases
from tests.faults.processes import output, stop
from tests.faults.seed import HOST
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30  # seconds: generous, for a loaded machine
SEED_DATABASE = "solh_seed"
S3_REGION = "eu-west-2"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "fault-key", "AWS_SECRET_ACCESS_KEY": "fault-secret"}
# Anything in the developer's environment that would point a server elsewhere.
CLEARED = (
    "REDIS_URL",
    "SHARED_VERSIONS",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_PRIVATE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "ELASTICSEARCH_URL",
    "OPENSEARCH_URL",
    "REPORTS_ENCRYPTION_KEYS",
    "PAGE_CACHE_ENABLED",
    "DATABASE_CONN_MAX_AGE",
)


def unavailable(reason):
    """Fail on CI, where every fault test must run; skip on a workstation without the tool."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Fault tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


def wait_until(condition, what, timeout=WAIT, process=None):
    """Poll ``condition`` every 0.05 s; fail the test on timeout (with ``process``'s output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"The process stopped before {what}:\n{output(process)}")
        time.sleep(0.05)
    pytest.fail(f"Timed out waiting until {what}.\n{output(process) if process else ''}")


def spawn(command, env, **options):
    """Start ``command`` writing to a temporary file (``.log``), read by ``output`` and ``stop``."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed by stop)
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, **options
    )
    process.log = log
    return process


# --- PostgreSQL ----------------------------------------------------------------------------------


def postgres_bin():
    """The newest PostgreSQL server binaries installed (``PG_BIN`` overrides)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        unavailable("no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin")
    return Path(max(found, key=lambda path: int(re.search(r"/(\d+)/bin/", path)[1]))).parent


class PostgresCluster:
    """A PostgreSQL cluster of this test process's own, on a free loopback port.

    The server refuses to run as root, so as root it runs as the ``postgres`` user.
    """

    def __init__(self):
        self.bin = postgres_bin()
        self.directory = Path(tempfile.mkdtemp(prefix="solh-faults-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _run(self, program, *arguments):
        command = [str(self.bin / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            pytest.fail(f"{program} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}")

    def log(self):
        path = self.directory / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def start(self):
        # Durability is not what these tests are about: no fsync keeps them quick.
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "server.log"),
            "-w", "-t", str(WAIT), "start",
        )  # fmt: skip

    def stop(self):
        """Stop the server as an operator's restart does: open connections are cut."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", str(WAIT), "stop")

    def running(self):
        return (self.data / "postmaster.pid").exists()

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement, database="postgres"):
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def clone(self, name, template=SEED_DATABASE):
        """A new database ``name``, a copy of ``template`` (made in a moment)."""
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def remove(self):
        if self.running():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def seed(cluster):
    """Seed ``SEED_DATABASE``, the template every test module's database copies: a copy of the
    suite's migrated template (``tests.databases``, dumped from the shared server and restored
    here in a few seconds, instead of the migrations' 25 s of CPU), then ``tests.faults.seed``."""
    cluster.execute(f'CREATE DATABASE "{SEED_DATABASE}"')
    template = databases.postgres_url(databases.postgres_template())
    dump = subprocess.run(
        [cluster.bin / "pg_dump", "--format=custom", "--no-owner", "--no-acl", template],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    restored = subprocess.run(
        [cluster.bin / "pg_restore", "--no-owner", "--no-acl", "--exit-on-error",
         "-d", cluster.url(SEED_DATABASE)],
        input=dump,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    if restored.returncode != 0:
        pytest.fail(f"Restoring the migrated template failed:\n{restored.stderr.decode()}")
    environ = server_environ(cluster.url(SEED_DATABASE), Path(cluster.directory))
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.seed"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"Seeding the private database failed:\n{result.stdout}\n{result.stderr}")


@contextlib.contextmanager
def orm_on(database_url):
    """Point this process's ORM at ``database_url`` (a private database) inside the block.

    For reading what the servers stored and for small changes a test makes, as an operator's
    shell would; the test database's connection is put back afterwards.
    """
    original = connections["default"]
    settings_dict = {**original.settings_dict, **dj_database_url.parse(database_url)}
    settings_dict["CONN_MAX_AGE"] = 0
    private = original.__class__(settings_dict, "default")
    connections["default"] = private
    try:
        yield private
    finally:
        private.close()
        connections["default"] = original


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    """``redis-server`` on a free loopback port, keeping nothing on disk."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            unavailable("redis-server is not installed")
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="solh-faults-redis-"))
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.directory),
        ]  # fmt: skip
        self.process = spawn(command, os.environ.copy())
        wait_until(self.answers, "Redis answered", process=self.process)

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self, keep_data=False):
        """Stop the server; with ``keep_data`` it writes its data to disk first, and has it
        again when started (as a Redis with persistence does)."""
        if self.process is None:
            return
        if keep_data:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                sock.sendall(b"SHUTDOWN SAVE\r\n")
            self.process.wait(timeout=WAIT)
        stop(self.process)
        self.process = None
        if not keep_data:
            (self.directory / "dump.rdb").unlink(missing_ok=True)

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


# --- S3 (moto) -----------------------------------------------------------------------------------


class S3Server:
    """moto's S3 server on a free loopback port. Its buckets and objects live in this process
    (moto's state), so they are still there when the server is started again after a stop."""

    def __init__(self):
        self.port = free_port()
        self.server = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self):
        """Stop answering and close the socket: connections are refused, as when S3 is down."""
        if self.server is not None:
            self.server.stop()
            self.server._server.server_close()  # moto's stop leaves the socket listening
            self.server = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=S3_REGION,
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def environ(self, public_bucket, private_bucket):
        """What a server needs to keep its media in these buckets (made if missing)."""
        client = self.client()
        existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
        for bucket in (public_bucket, private_bucket):
            if bucket not in existing:
                client.create_bucket(
                    Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
                )
        return {
            "AWS_STORAGE_BUCKET_NAME": public_bucket,
            "AWS_PRIVATE_BUCKET_NAME": private_bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": S3_REGION,
            **S3_KEYS,
        }

    def keys(self, bucket):
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))


# --- the platform's own processes ----------------------------------------------------------------


def server_environ(database_url, directory, **extra):
    """The environment of a web server, worker or shell on ``database_url``: the demo's settings
    (``solh.settings.dev``) without DEBUG, files under ``directory``, the same encryption key
    as this test process, and ``extra`` (e.g. ``REDIS_URL``, the ``AWS_*`` variables)."""
    environ = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "solh.settings.dev",
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # the reports' key is derived from it
            "DATABASE_URL": database_url,
            "SITE_PORT": "80",
            "BASE_DOMAIN": "localhost",
            "ALLOWED_HOSTS": "localhost,.localhost,127.0.0.1",
            "MEDIA_ROOT": str(Path(directory) / "media"),
            "PRIVATE_MEDIA_ROOT": str(Path(directory) / "private_media"),
            "EMAIL_FILE_PATH": str(Path(directory) / "emails"),
            "REPORT_MIN_SECONDS": "0",
            "REPORT_RATE_LIMIT_PER_HOUR": "10000",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return environ


class WebServer:
    """gunicorn with the project's config, two workers, on a free loopback port."""

    def __init__(self, environ, workers=2, wrapper=()):
        self.environ = environ
        self.port = free_port()
        self.workers = workers
        self.wrapper = list(wrapper)  # a command that runs gunicorn, e.g. ``prlimit …  --``
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        command = [
            *self.wrapper, sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--timeout", "60", "--graceful-timeout", "2",
            # Its default path is one per user: servers started side by side would share it.
            "--no-control-socket",
            "solh.wsgi:application",
        ]  # fmt: skip
        self.process = spawn(command, self.environ)
        wait_until(self._up, "the web server answered", timeout=60, process=self.process)

    def _up(self):
        try:
            return Browser(self).get("/healthz", host="localhost").status_code == 200
        except requests.ConnectionError:
            return False

    def output(self):
        return output(self.process) if self.process else ""

    def stop(self):
        if self.process is None:
            return ""
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        text = stop(self.process)
        self.process = None
        return text


def start_worker(environ, *options):
    """``manage.py run_worker`` polling every 0.1 s, with the schedule every ``0.5`` s."""
    command = [
        sys.executable, str(ROOT / "manage.py"), "run_worker", "--no-reload",
        "--no-startup-delay", "--interval", "0.1", "--sweep-every", "0.5", *options,
    ]  # fmt: skip
    return spawn(command, environ)


def run_shell(environ, code):
    """Run ``code`` in ``manage.py shell`` (another process, as an operator would); returns
    what it printed, failing the test if it failed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py shell failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- a visitor's browser -------------------------------------------------------------------------


class Browser:
    """A visitor on one site of ``server``: keeps cookies and sends Django's CSRF token."""

    def __init__(self, server, host=HOST):
        self.server = server
        self.host = host
        self.session = requests.Session()
        self.session.trust_env = False  # loopback only: never through a proxy

    def request(self, method, path, host=None, **options):
        headers = {"Host": host or self.host, **options.pop("headers", {})}
        token = self.session.cookies.get("csrftoken")
        if method == "POST" and token:
            headers["X-CSRFToken"] = token
        options.setdefault("allow_redirects", False)
        options.setdefault("timeout", WAIT)
        return self.session.request(method, self.server.base_url + path, headers=headers, **options)

    def get(self, path, **options):
        return self.request("GET", path, **options)

    def post(self, path, data=None, **options):
        return self.request("POST", path, data=data or {}, **options)


class Reporter(Browser):
    """Someone going through the seeded journey (``tests.faults.seed``)."""

    def __init__(self, server, journey_path):
        super().__init__(server)
        self.journey_path = journey_path

    def start(self):
        self.get(self.journey_path)  # the start page gives the CSRF cookie
        response = self.post(self.journey_path + "start/")
        assert response.status_code == 302, response.text
        return response

    def answer(self, step_id, data=None, files=None):
        return self.post(
            f"{self.journey_path}step/{step_id}/",
            {"action": "continue", **(data or {})},
            files=files,
        )

    def submit(self):
        return self.post(self.journey_path + "check-your-answers/")

    def draft_key(self):
        """The key of this reporter's draft, from the signed cookie the server set."""
        from reporting.drafts import COOKIE_PREFIX, COOKIE_SALT

        for cookie in self.session.cookies:
            if cookie.name.startswith(COOKIE_PREFIX):
                return uuid.UUID(signing.loads(cookie.value, salt=COOKIE_SALT))
        pytest.fail("The reporter has no draft cookie.")
