"""Fault: evidence storage failing while someone uploads a file, and while they send the report.

The platform runs as in production (gunicorn with the project's config) with its private files
in two kinds of storage of this test's own:

- S3: moto's S3 server on loopback, stopped (connections refused) and started again;
- local files (``PRIVATE_MEDIA_ROOT``): a full disk — the server runs under ``prlimit
  --fsize``, so the kernel refuses a write past that size part-way through, as a full disk does
  past its space — and a read-only, then an unreadable, directory (as root the server runs
  without the capabilities that would let it ignore file permissions).

Each time: a clear GOV.UK error (the step again with an error summary, or "your report has not
been sent"), nothing half-made (no evidence row, no report, no delivery), no orphan file in
storage, and the reporter's answers kept, so that once storage is back the same step or the
same report goes through, once.
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from reporting.models import Delivery, Draft, Evidence, Submission
from tests.faults.seed import JOURNEY_PATH
from tests.faults.services import (
    Reporter,
    S3Server,
    WebServer,
    server_environ,
    unavailable,
)

PUBLIC_BUCKET = "solh-faults-media"
PRIVATE_BUCKET = "solh-faults-private"
UPLOAD_FAILED = "The selected file could not be uploaded – try again"
REPORT_NOT_SENT = "Sorry, your report has not been sent"
DISK_SPACE = 512 * 1024  # bytes a file may grow to before the "disk" is full


def png(size=(40, 30)):
    """A PNG image; a large ``size`` of noise makes a file that does not compress."""
    if size[0] * size[1] <= 40 * 30:
        image = Image.new("RGB", size, "#1d3f77")
    else:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(reporter, *contents):
    """Upload files (each a PNG's bytes) on the evidence step at once."""
    files = [
        ("photos", (f"photo-{number}.png", content, "image/png"))
        for number, content in enumerate(contents, 1)
    ]
    return reporter.answer("photos", files=files)


def at_photos(server):
    reporter = Reporter(server, JOURNEY_PATH)
    reporter.start()
    assert reporter.answer("about", {"name": "Evidence Reporter"}).status_code == 302
    return reporter


def draft_of(reporter):
    return Draft.objects.get(key=reporter.draft_key())


def assert_upload_refused(response):
    assert response.status_code == 503
    assert "govuk-error-summary" in response.text
    assert UPLOAD_FAILED in response.text
    assert 'href="#photos"' in response.text


def assert_nothing_half_made(draft_key):
    assert not Evidence.objects.filter(draft_key=draft_key).exists()
    assert not Submission.objects.filter(draft_key=draft_key).exists()


# --- S3 ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3():
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def s3_server(private_postgres, s3, tmp_path_factory):
    database_url = private_postgres.clone("solh_storage_s3")
    environ = server_environ(
        database_url,
        tmp_path_factory.mktemp("storage-s3"),
        **s3.environ(PUBLIC_BUCKET, PRIVATE_BUCKET),
    )
    server = WebServer(environ)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_outage(s3):
    """``with s3_outage():`` S3 refuses connections inside the block (and is back after it)."""

    class Outage:
        def __enter__(self):
            s3.stop()

        def __exit__(self, *exc_info):
            s3.start()

    yield Outage
    if s3.server is None:
        s3.start()


def stored_keys(s3):
    """Every evidence file in the private bucket."""
    return s3.keys(PRIVATE_BUCKET)


def evidence_files():
    return sorted(Evidence.objects.values_list("file", flat=True))


def test_s3_down_during_an_upload_stores_nothing_and_says_so(s3, s3_server, s3_outage, private_orm):
    reporter = at_photos(s3_server)
    with s3_outage():
        assert_upload_refused(upload(reporter, png()))
    with private_orm(s3_server.environ["DATABASE_URL"]):
        draft = draft_of(reporter)
        assert not draft.answers.get("photos")
        assert_nothing_half_made(draft.key)
        assert stored_keys(s3) == evidence_files()  # no orphan

        # S3 is back: the same step goes through.
        assert upload(reporter, png()).headers["Location"].endswith("/check-your-answers/")
        draft.refresh_from_db()
        assert len(draft.answers["photos"]) == 1
        assert stored_keys(s3) == evidence_files()
        assert Evidence.objects.filter(draft_key=draft.key).count() == 1


def test_s3_down_when_the_report_is_sent_makes_no_report_until_it_is_back(
    s3, s3_server, s3_outage, private_orm
):
    reporter = at_photos(s3_server)
    assert upload(reporter, png()).status_code == 302
    with private_orm(s3_server.environ["DATABASE_URL"]):
        draft = draft_of(reporter)
        tasks = DBTaskResult.objects.count()
        with s3_outage():
            sent = reporter.submit()
            assert sent.status_code == 503
            assert REPORT_NOT_SENT in sent.text
            assert not Submission.objects.filter(draft_key=draft.key).exists()
            assert not Delivery.objects.filter(submission__draft_key=draft.key).exists()
            assert DBTaskResult.objects.count() == tasks
            draft.refresh_from_db()
            assert len(draft.answers["photos"]) == 1  # the answers are kept

        sent = reporter.submit()
        assert sent.status_code == 302, sent.text[:2000]
        assert reporter.submit().headers["Location"] == sent.headers["Location"]
        report = Submission.objects.get(draft_key=draft.key)
        assert report.evidence.count() == 1
        assert stored_keys(s3) == evidence_files()


# --- local files ---------------------------------------------------------------------------------


def _wrapper():
    """Runs the server with a file-size limit and, as root, without the capabilities that let
    root write to a read-only directory (CAP_DAC_OVERRIDE and its kin)."""
    if shutil.which("prlimit") is None:
        unavailable("prlimit (util-linux) is not installed")
    wrapper = ["prlimit", f"--fsize={DISK_SPACE}", "--"]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            unavailable("setpriv (util-linux) is not installed")
        dropped = "-dac_override,-dac_read_search,-fowner"
        wrapper = ["setpriv", "--bounding-set", dropped, "--", *wrapper]
    return wrapper


@pytest.fixture(scope="module")
def local_server(private_postgres, tmp_path_factory):
    database_url = private_postgres.clone("solh_storage_local")
    directory = tmp_path_factory.mktemp("storage-local")
    environ = server_environ(database_url, directory)
    Path(environ["PRIVATE_MEDIA_ROOT"]).mkdir()
    server = WebServer(environ, wrapper=_wrapper())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_root(local_server):
    """The server's private files directory; writable and readable again after the test."""
    root = Path(local_server.environ["PRIVATE_MEDIA_ROOT"])
    yield root
    set_mode(root, directories=0o755, files=0o644)


def set_mode(root, *, directories, files):
    for path in [root, *root.rglob("*")]:
        os.chmod(path, directories if path.is_dir() else files)


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_disk_filling_up_during_an_upload_leaves_no_part_of_the_file(
    local_server, private_root, private_orm
):
    reporter = at_photos(local_server)
    big = png((480, 480))
    assert len(big) > DISK_SPACE
    # Two files at once: the first fits, the disk fills during the second.
    assert_upload_refused(upload(reporter, png(), big))
    with private_orm(local_server.environ["DATABASE_URL"]):
        draft = draft_of(reporter)
        assert_nothing_half_made(draft.key)  # all of the step's files, or none
        assert files_under(private_root) == evidence_files()  # not part of the second either

        # A file that fits goes through.
        assert upload(reporter, png()).status_code == 302
        assert files_under(private_root) == evidence_files()
        assert Evidence.objects.filter(draft_key=draft.key).count() == 1


def test_a_read_only_directory_during_an_upload_stores_nothing_and_says_so(
    local_server, private_root, private_orm
):
    reporter = at_photos(local_server)
    set_mode(private_root, directories=0o555, files=0o444)
    assert_upload_refused(upload(reporter, png()))
    with private_orm(local_server.environ["DATABASE_URL"]):
        draft = draft_of(reporter)
        assert_nothing_half_made(draft.key)
        assert files_under(private_root) == evidence_files()

        set_mode(private_root, directories=0o755, files=0o644)
        assert upload(reporter, png()).status_code == 302
        assert Evidence.objects.filter(draft_key=draft.key).count() == 1


def test_files_storage_cannot_show_when_the_report_is_sent_makes_no_report(
    local_server, private_root, private_orm
):
    reporter = at_photos(local_server)
    assert upload(reporter, png()).status_code == 302
    private_root.chmod(0o000)  # say a volume that has gone bad: the files cannot be seen
    sent = reporter.submit()
    assert sent.status_code == 503
    assert REPORT_NOT_SENT in sent.text
    with private_orm(local_server.environ["DATABASE_URL"]):
        draft = draft_of(reporter)
        assert_nothing_half_made_but_evidence(draft.key)

        private_root.chmod(0o755)
        sent = reporter.submit()
        assert sent.status_code == 302, sent.text[:2000]
        report = Submission.objects.get(draft_key=draft.key)
        assert report.evidence.count() == 1
        assert files_under(private_root) == evidence_files()


def assert_nothing_half_made_but_evidence(draft_key):
    """No report for the draft; its uploaded file still there, waiting for it."""
    assert not Submission.objects.filter(draft_key=draft_key).exists()
    assert Evidence.objects.filter(draft_key=draft_key, submission=None).count() == 1
