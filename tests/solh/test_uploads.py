"""Document uploads are checked by content: through Wagtail's admin add views, over HTTP."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.models import Collection

import pytest

from solh.uploads import PROGRAM_MESSAGE, mismatch_message

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The start of a Windows executable: "MZ", a DOS header full of NULs, "PE\0\0" at 0x80.
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 112 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00"


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
            "word/document.xml": '<?xml version="1.0"?><w:document/>',
        }
    )


def odt_bytes():
    return zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": '<?xml version="1.0"?><manifest/>',
            "content.xml": '<?xml version="1.0"?><office:document-content/>',
        }
    )


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("uploader", "uploader@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


def upload(client, collection, filename, content, title="Uploaded"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "collection": collection.pk,
            "file": SimpleUploadedFile(filename, content),
        },
    )


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("report.pdf", PDF),
        ("minutes.docx", docx_bytes()),
        ("minutes.odt", odt_bytes()),
        ("letter.rtf", b"{\\rtf1\\ansi Dear resident,\\par}"),
        ("crimes.csv", "month,area,count\n2026-01,Café Quarter,12\n".encode()),
        ("crimes-excel.csv", "month,area\n2026-01,Caf\xe9 Quarter\n".encode("cp1252")),
        ("notice.txt", b"Road closed between 9am and 5pm.\n"),
        ("mz-notes.txt", b"MZ Smith's notes on the meeting.\n"),
    ],
)
def test_documents_whose_contents_match_are_accepted(editor, root_collection, filename, content):
    response = upload(editor, root_collection, filename, content, title=filename)
    assert response.status_code == 302, response.context["form"].errors
    document = Document.objects.get(title=filename)
    with document.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("statement.pdf", WINDOWS_EXE, PROGRAM_MESSAGE),
        ("figures.csv", ELF, PROGRAM_MESSAGE),
        ("readme.txt", b"#!/bin/sh\nrm -rf /\n", PROGRAM_MESSAGE),
        ("statement.pdf", b"<html><body>Not a PDF</body></html>", mismatch_message("pdf")),
        ("figures.xlsx", b"month,count\n2026-01,12\n", mismatch_message("xlsx")),
        ("minutes.docx", zip_bytes({"word/document.xml": "<w/>"}), mismatch_message("docx")),
        ("deck.pptx", docx_bytes(), mismatch_message("pptx")),
        ("minutes.odt", docx_bytes(), mismatch_message("odt")),
        ("letter.rtf", PDF, mismatch_message("rtf")),
        ("notes.txt", "Notes".encode("utf-16"), mismatch_message("txt")),
    ],
)
def test_documents_whose_contents_do_not_match_are_refused(
    editor, root_collection, filename, content, message
):
    response = upload(editor, root_collection, filename, content, title="Refused")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not Document.objects.filter(title="Refused").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"\xef\xbb\xbf  <html><body>hello</body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
        b"<script>alert(1)</script>",
    ],
)
def test_web_pages_saved_as_text_are_refused(editor, root_collection, content):
    response = upload(editor, root_collection, "page.txt", content, title="Refused")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "This file says it is a plain text file but it contains a web page (HTML, SVG or "
        "script). Save it again as plain text and upload it."
    ]
    assert not Document.objects.filter(title="Refused").exists()


def test_the_message_names_the_problem_in_plain_language():
    assert mismatch_message("pdf") == (
        "This file says it is a PDF but its contents are not a PDF. "
        "Save it again as a PDF and upload it."
    )


def test_editing_a_document_without_a_new_file_keeps_it(editor, root_collection):
    upload(editor, root_collection, "report.pdf", PDF, title="Annual report")
    document = Document.objects.get(title="Annual report")
    response = editor.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {"title": "Annual report 2026", "collection": root_collection.pk},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Annual report 2026"


def test_replacing_a_document_file_is_checked(editor, root_collection):
    upload(editor, root_collection, "report.pdf", PDF, title="Annual report")
    document = Document.objects.get(title="Annual report")
    response = editor.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "Annual report",
            "collection": root_collection.pk,
            "file": SimpleUploadedFile("report.pdf", WINDOWS_EXE),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [PROGRAM_MESSAGE]


def test_the_multiple_uploader_refuses_a_bad_file(editor, root_collection):
    response = editor.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "collection": root_collection.pk,
            "files[]": SimpleUploadedFile("statement.pdf", WINDOWS_EXE),
        },
    )
    assert response.status_code == 200
    assert response.json() == {"success": False, "error_message": PROGRAM_MESSAGE}
    assert not Document.objects.filter(title="statement.pdf").exists()


def test_the_multiple_uploader_accepts_a_good_file(editor, root_collection):
    response = editor.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": root_collection.pk, "files[]": SimpleUploadedFile("report.pdf", PDF)},
    )
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert Document.objects.filter(file__endswith=".pdf", title="report.pdf").exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_a_refused_file_gets_one_clear_reason(editor, root_collection):
    response = upload(editor, root_collection, "big.pdf", PDF + b"x" * 2048, title="Refused")
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0].startswith("This file is too big")
