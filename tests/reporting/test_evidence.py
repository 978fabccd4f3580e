"""Evidence files: private storage, checksums, deletion, and short-lived download links."""

import contextlib
import hashlib
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import boto3
import pytest
from moto.server import ThreadedMotoServer

from reporting.evidence import delete_evidence, download_url, save_evidence
from reporting.models import AccessAction, Evidence, ReportAccessRecord
from solh.settings.storage import media_storages
from tests.reporting.receiver import configure, journey_page, make_draft, make_report
from tests.servers import free_port

JPEG = b"\xff\xd8\xff\xe0" + b"dashcam frame " * 1000
NAME = "Sam Smith dashcam.jpg"  # personal data: must stay out of storage names and URLs


@pytest.fixture
def force(forces):
    return configure(forces["thames-valley"], "http://127.0.0.1:9/tvp/")


@pytest.fixture
def draft(force):
    return make_draft(force, journey_page(force))


@pytest.fixture
def evidence(draft):
    return save_evidence(draft, "dashcam", SimpleUploadedFile(NAME, JPEG), "image/jpeg")


@pytest.fixture
def submitted(force, draft, evidence):
    """``evidence``, attached to a report made from ``draft``."""
    make_report(force, draft=draft, evidence_ids=[evidence.pk])
    evidence.refresh_from_db()
    return evidence


def test_a_saved_file_is_private_named_by_ids_and_checksummed(draft, evidence):
    assert evidence.file.name == f"evidence/{draft.key}/{evidence.pk}"
    assert "Sam" not in evidence.file.name
    assert storages["private"].open(evidence.file.name).read() == JPEG
    assert evidence.size == len(JPEG)
    assert evidence.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert (evidence.question_id, evidence.content_type) == ("dashcam", "image/jpeg")
    assert Evidence.objects.get(pk=evidence.pk).original_name == NAME


def test_the_file_name_is_encrypted_in_the_database(evidence):
    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name FROM reporting_evidence WHERE id = %s", [evidence.pk])
        [raw] = cursor.fetchone()
    assert "Sam" not in raw
    assert "dashcam" not in raw


def test_deleting_evidence_removes_rows_and_then_files(
    draft, evidence, django_capture_on_commit_callbacks
):
    other = save_evidence(draft, "dashcam", SimpleUploadedFile("b.png", b"png"), "image/png")
    storages["private"].delete(other.file.name)  # already gone: not an error
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_evidence(Evidence.objects.filter(draft_key=draft.key)) == 2

    assert not Evidence.objects.exists()
    assert not storages["private"].exists(evidence.file.name)


def test_files_stay_until_the_deletion_commits(evidence, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_evidence([evidence])
    assert storages["private"].exists(evidence.file.name)  # rolled back: the file would remain
    callbacks[0]()
    assert not storages["private"].exists(evidence.file.name)


# --- Download links ----------------------------------------------------------------------------


def download(client, url):
    parts = urlsplit(url)
    return client.get(parts.path, HTTP_HOST=parts.netloc)


def test_a_download_link_streams_the_file_as_an_attachment(client, force, submitted):
    url = download_url(submitted, force.site.root_url)
    assert url.startswith(force.site.root_url + "/report-files/evidence/")
    assert "Sam" not in url

    response = download(client, url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    record = ReportAccessRecord.objects.get(action=AccessAction.DOWNLOAD)
    assert record.reference == submitted.submission.reference
    assert record.force == force


def test_a_tampered_link_is_refused(client, force, submitted):
    url = download_url(submitted, force.site.root_url)
    token = urlsplit(url).path.split("/")[-2]
    other_id = str(make_draft(force, journey_page(force)).key)
    forged = token.replace(str(submitted.pk), other_id)

    assert download(client, url.replace(token, forged)).status_code == 404
    assert download(client, url.replace(token, token[:-2] + "xx")).status_code == 404
    assert download(client, url.replace(token, "nonsense")).status_code == 404


def test_an_expired_link_is_refused(client, force, submitted, settings, monkeypatch):
    settings.REPORT_EVIDENCE_URL_SECONDS = 60
    url = download_url(submitted, force.site.root_url)
    later = signing.time.time() + 61
    monkeypatch.setattr(signing.time, "time", lambda: later)

    assert download(client, url).status_code == 404


def test_a_link_to_erased_evidence_is_refused(client, force, submitted):
    url = download_url(submitted, force.site.root_url)
    submitted.submission.delete()

    assert download(client, url).status_code == 404


def test_evidence_not_in_a_report_cannot_be_downloaded(client, force, evidence):
    url = download_url(evidence, force.site.root_url)

    assert download(client, url).status_code == 404


# --- On S3 the bucket signs its own links -------------------------------------------------------

REGION = "eu-west-2"
http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy


@pytest.fixture
def s3_private(settings, tmp_path):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "evidence-public",
        "AWS_PRIVATE_BUCKET_NAME": "evidence-private",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    # moto's state is shared by every server in the process: the bucket may be there already.
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(
            Bucket="evidence-private", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    # Through pytest-django's ``settings``, so every override made in the test unwinds in order.
    settings.STORAGES = {
        **media_storages(environ, tmp_path),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    yield endpoint
    server.stop()


def test_on_s3_the_link_is_the_buckets_presigned_url(s3_private, force, draft, settings):
    settings.REPORT_EVIDENCE_URL_SECONDS = 90
    evidence = save_evidence(draft, "dashcam", SimpleUploadedFile(NAME, JPEG), "image/jpeg")
    make_report(force, draft=draft, evidence_ids=[evidence.pk])
    evidence.refresh_from_db()

    url = download_url(evidence, force.site.root_url)

    assert url.startswith(s3_private + "/evidence-private/evidence/")
    assert "Sam" not in url
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["90"]
    with http.open(url, timeout=10) as response:
        assert response.read() == JPEG
    unsigned = url.split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        http.open(unsigned, timeout=10)
    assert refused.value.code == 403
