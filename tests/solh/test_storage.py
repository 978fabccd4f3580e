"""Media storage: local files by default, S3 when configured, and what uploads are refused.

The S3 tests run against moto's S3-compatible server on loopback, over real HTTP, with the
``STORAGES`` built by ``solh.settings.storage.media_storages`` — the code production runs.
"""

import io
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

from solh.settings.storage import DEFAULT_PRIVATE_URL_EXPIRY, media_storages
from solh.storage import MediaStorage
from tests.factories import make_document, make_image, png_bytes

PUBLIC_BUCKET = "solh-media"
PRIVATE_BUCKET = "solh-private"
REGION = "eu-west-2"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Loopback only: never through a proxy from the environment.
http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url):
    """``(status, body)`` of a plain, unauthenticated GET."""
    try:
        with http.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_moto(endpoint):
    """Empty moto's in-process state (shared by every moto server in this process)."""
    http.open(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server on 127.0.0.1 holding empty public and private buckets."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()  # a failure here fails the tests: there is no skip
    endpoint = f"http://127.0.0.1:{port}"
    reset_moto(endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    yield endpoint
    reset_moto(endpoint)
    server.stop()


@pytest.fixture
def s3_environ(s3_endpoint):
    return {
        "AWS_STORAGE_BUCKET_NAME": PUBLIC_BUCKET,
        "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_PRIVATE_URL_EXPIRY": "120",
    }


@pytest.fixture
def s3_storages(s3_environ, settings, tmp_path):
    """Point Django's storages at the S3 server, through the settings helper."""
    configured = {
        **media_storages(s3_environ, tmp_path),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    with override_settings(STORAGES=configured):
        yield configured


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


# The settings helper -----------------------------------------------------------------------


def test_without_a_bucket_media_are_local_files(tmp_path):
    configured = media_storages({}, tmp_path)
    assert configured["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert configured["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert configured["private"]["OPTIONS"]["location"] == str(tmp_path / "private_media")


def test_private_media_root_can_be_moved(tmp_path):
    configured = media_storages({"PRIVATE_MEDIA_ROOT": "/srv/private"}, tmp_path)
    assert configured["private"]["OPTIONS"]["location"] == "/srv/private"


def test_empty_variables_count_as_unset(tmp_path):
    configured = media_storages({"AWS_STORAGE_BUCKET_NAME": ""}, tmp_path)
    assert configured["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_moves_media_to_s3_with_options_from_the_environment(tmp_path):
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "media-bucket",
        "AWS_PRIVATE_BUCKET_NAME": "private-bucket",
        "AWS_S3_ENDPOINT_URL": "https://s3.example",
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_LOCATION": "uploads",
        "AWS_S3_CUSTOM_DOMAIN": "media.police.example",
        "AWS_PRIVATE_URL_EXPIRY": "60",
    }
    configured = media_storages(environ, tmp_path)
    public = configured["default"]
    assert public["BACKEND"] == "solh.storage.MediaStorage"
    assert public["OPTIONS"] == {
        "bucket_name": "media-bucket",
        "endpoint_url": "https://s3.example",
        "region_name": "eu-west-2",
        "access_key": "key",
        "secret_key": "secret",
        "location": "uploads",
        "custom_domain": "media.police.example",
        "default_acl": "public-read",
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    private = configured["private"]
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["OPTIONS"]["bucket_name"] == "private-bucket"
    assert private["OPTIONS"]["endpoint_url"] == "https://s3.example"
    assert private["OPTIONS"]["default_acl"] == "private"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"]["querystring_expire"] == 60
    assert private["OPTIONS"]["custom_domain"] is None


def test_without_credentials_the_instance_role_is_used(tmp_path):
    environ = {"AWS_STORAGE_BUCKET_NAME": "media", "AWS_PRIVATE_BUCKET_NAME": "private"}
    configured = media_storages(environ, tmp_path)
    for alias in ("default", "private"):
        options = configured[alias]["OPTIONS"]
        assert not {"access_key", "secret_key", "endpoint_url", "region_name"} & set(options)
    assert configured["default"]["OPTIONS"]["location"] == "media"
    assert "custom_domain" not in configured["default"]["OPTIONS"]
    assert configured["private"]["OPTIONS"]["querystring_expire"] == DEFAULT_PRIVATE_URL_EXPIRY


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"AWS_STORAGE_BUCKET_NAME": "media"}, "AWS_PRIVATE_BUCKET_NAME must be set"),
        (
            {"AWS_STORAGE_BUCKET_NAME": "media", "AWS_PRIVATE_BUCKET_NAME": "media"},
            "must differ",
        ),
        (
            {
                "AWS_STORAGE_BUCKET_NAME": "media",
                "AWS_PRIVATE_BUCKET_NAME": "private",
                "AWS_PRIVATE_URL_EXPIRY": "soon",
            },
            "AWS_PRIVATE_URL_EXPIRY must be a whole number, not 'soon'.",
        ),
        (
            {
                "AWS_STORAGE_BUCKET_NAME": "media",
                "AWS_PRIVATE_BUCKET_NAME": "private",
                "AWS_PRIVATE_URL_EXPIRY": "0",
            },
            "positive",
        ),
    ],
)
def test_bad_storage_configuration_is_a_clear_error(environ, message, tmp_path):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storages(environ, tmp_path)


def test_local_private_files_are_outside_the_served_media_root(tmp_path):
    private = Path(media_storages({}, tmp_path)["private"]["OPTIONS"]["location"])
    assert not private.is_relative_to(tmp_path / "media")
    storage = FileSystemStorage(**media_storages({}, tmp_path)["private"]["OPTIONS"])
    name = storage.save("evidence/statement.txt", ContentFile(b"private"))
    assert (private / name).read_bytes() == b"private"


def test_only_documents_are_private_in_the_media_bucket():
    storage = MediaStorage(bucket_name="b", location="media")
    assert storage.is_private_name("media/documents/report.pdf")
    assert not storage.is_private_name("media/original_images/a.png")
    assert not storage.is_private_name("media/images/a.fill-20x20.png")


# Images, documents and private files on S3 over HTTP ---------------------------------------


def test_images_and_renditions_are_public_objects_on_s3(s3_storages, root_collection):
    image = make_image(root_collection, title="Appeal photo")
    rendition = image.get_rendition("fill-20x20")

    assert image.file.url.startswith(s3_storages["default"]["OPTIONS"]["endpoint_url"])
    assert http_get(image.file.url) == (200, png_bytes())

    status, body = http_get(rendition.url)
    assert status == 200
    assert body.startswith(PNG_SIGNATURE)
    assert PILImage.open(io.BytesIO(body)).size == (20, 20)
    assert "X-Amz-Signature" not in rendition.url


def test_documents_are_served_through_wagtail_and_private_in_the_bucket(
    s3_storages, root_collection, client
):
    document = make_document(root_collection, title="Annual report")
    document.refresh_from_db()

    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"

    # The object itself cannot be fetched from the bucket: only Wagtail's view reads it.
    assert http_get(document.file.url)[0] == 403


def test_collection_privacy_holds_for_documents_on_s3(s3_storages, root_collection, client):
    restricted = root_collection.add_child(name="Restricted")
    CollectionViewRestriction.objects.create(
        collection=restricted, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document(restricted, title="Internal guidance")

    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_private_objects_need_a_signed_url_that_expires(s3_storages):
    storage = storages["private"]
    name = storage.save("evidence/statement.txt", ContentFile(b"private statement"))

    plain_url = f"{s3_storages['private']['OPTIONS']['endpoint_url']}/{PRIVATE_BUCKET}/{name}"
    assert http_get(plain_url)[0] == 403

    signed_url = storage.url(name)
    assert http_get(signed_url) == (200, b"private statement")
    query = parse_qs(urlsplit(signed_url).query)
    assert query["X-Amz-Expires"] == ["120"]


# Upload validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
    ],
)
def test_html_and_svg_documents_are_refused(admin_client, root_collection, filename, content):
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Not allowed",
            "collection": root_collection.pk,
            "file": SimpleUploadedFile(filename, content),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    extension = filename.rsplit(".", 1)[1]
    assert f"File extension “{extension}” is not allowed." in errors[0]
    assert not Document.objects.filter(title="Not allowed").exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_oversized_documents_are_refused(admin_client, root_collection):
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Too big",
            "collection": root_collection.pk,
            "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 2048),
        },
    )
    assert response.status_code == 200
    assert "This file is too big" in response.context["form"].errors["file"][0]
    assert not Document.objects.filter(title="Too big").exists()


def test_svg_images_are_refused(admin_client, root_collection):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Vector logo",
            "collection": root_collection.pk,
            "file": SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"
            ),
        },
    )
    assert response.status_code == 200
    assert "Not a supported image format" in response.context["form"].errors["file"][0]
    assert not Image.objects.filter(title="Vector logo").exists()


def test_only_pdf_and_plain_text_documents_are_shown_inline(
    root_collection, client, settings, tmp_path
):
    # The zero-setup local storage (InMemoryStorage reports a path that sendfile cannot open).
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, **media_storages({}, tmp_path)}
    for name, content, disposition in [
        ("notes.txt", b"plain text", "inline"),
        ("figures.csv", b"a,b\n1,2\n", "attachment"),
        ("letter.docx", b"PK\x03\x04", "attachment"),
    ]:
        document = Document.objects.create(
            title=name, collection=root_collection, file=ContentFile(content, name=name)
        )
        response = client.get(document.url)
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith(disposition), name
        assert response["X-Content-Type-Options"] == "nosniff"
