"""Document uploads are checked by content, not only by extension.

Wagtail refuses extensions outside ``WAGTAILDOCS_EXTENSIONS`` and files over
``WAGTAILDOCS_MAX_UPLOAD_SIZE``. ``ContentCheckedDocumentForm`` (installed through
``WAGTAILDOCS_DOCUMENT_FORM_BASE``) also reads the file itself and refuses:

* programs, whatever they are called: Windows executables (``MZ``), Linux/Unix binaries
  (``\\x7fELF``), macOS binaries (Mach-O) and ``#!`` scripts;
* files whose contents do not match their extension: a PDF must start ``%PDF-``; docx, xlsx and
  pptx must be Office Open XML ZIPs (with ``[Content_Types].xml`` and the right main folder); odt
  must be an OpenDocument text ZIP; rtf must start ``{\\rtf``; csv and txt must be UTF-8 or
  Windows-1252 text with no NUL bytes that does not start as a web page (HTML, SVG, script).

Only the standard library is used. The file is rewound after every check.
"""

import codecs
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from wagtail.documents.forms import BaseDocumentForm

# How much of the start of a file is read to recognise it.
HEAD_SIZE = 4096
# Text is decoded in chunks of this size, so a 20 MB CSV is never held twice in memory.
TEXT_CHUNK_SIZE = 64 * 1024

# What each extension is called in error messages, with its article.
DESCRIPTIONS = {
    "csv": "a CSV file",
    "docx": "a Word document",
    "odt": "an OpenDocument text file",
    "pdf": "a PDF",
    "pptx": "a PowerPoint presentation",
    "rtf": "a Rich Text Format (RTF) file",
    "txt": "a plain text file",
    "xlsx": "an Excel spreadsheet",
}

# Office Open XML: the folder holding each format's main part.
OOXML_MAIN_FOLDERS = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# Mach-O (32/64-bit, both byte orders, and universal binaries).
MACHO_MAGICS = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)

# Text files must not open as markup a browser would render or run.
MARKUP_STARTS = (
    "<!doctype",
    "<html",
    "<head",
    "<body",
    "<svg",
    "<script",
    "<iframe",
    "<object",
    "<embed",
)

PROGRAM_MESSAGE = (
    "This file is a program, not a document, so it cannot be uploaded. "
    "Only upload documents such as PDFs, Word documents and spreadsheets."
)


class UploadRefused(Exception):
    """Raised with the plain-language reason an upload is refused, and an error code."""

    def __init__(self, message, code="content_mismatch"):
        super().__init__(message)
        self.message = message
        self.code = code


def mismatch_message(extension):
    description = DESCRIPTIONS[extension]
    return (
        f"This file says it is {description} but its contents are not {description}. "
        f"Save it again as {description} and upload it."
    )


def markup_message(extension):
    return (
        f"This file says it is {DESCRIPTIONS[extension]} but it contains a web page "
        "(HTML, SVG or script). Save it again as plain text and upload it."
    )


def is_program(head):
    """Whether ``head`` (the first bytes of a file) is an executable or a script."""
    if head.startswith(b"\x7fELF") or head.startswith(MACHO_MAGICS):
        return True
    # A DOS/Windows header always holds NUL bytes; a text file that happens to start "MZ" does not.
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        return True
    return head.startswith((b"#!/", b"#! /"))


def read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_SIZE)
    upload.seek(0)
    return head


def zip_names_and_mimetype(upload):
    """The member names of a ZIP upload and its ``mimetype`` member (or ``None``)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            mimetype = None
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(len(ODT_MIMETYPE) + 1)
            return names, mimetype
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None, None
    finally:
        upload.seek(0)


def check_zip_document(upload, extension, head):
    if not head.startswith(b"PK\x03\x04"):
        raise UploadRefused(mismatch_message(extension))
    names, mimetype = zip_names_and_mimetype(upload)
    if names is None:
        raise UploadRefused(mismatch_message(extension))
    if extension == "odt":
        if mimetype != ODT_MIMETYPE:
            raise UploadRefused(mismatch_message(extension))
        return
    folder = OOXML_MAIN_FOLDERS[extension]
    if "[Content_Types].xml" not in names or not any(name.startswith(folder) for name in names):
        raise UploadRefused(mismatch_message(extension))


def decodes_as(upload, encoding):
    """Whether the whole upload decodes as ``encoding`` with no NUL characters."""
    decoder = codecs.getincrementaldecoder(encoding)()
    upload.seek(0)
    try:
        while chunk := upload.read(TEXT_CHUNK_SIZE):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def check_text_document(upload, extension, head):
    if b"\x00" in head:
        raise UploadRefused(mismatch_message(extension))
    for encoding in ("utf-8-sig", "cp1252"):
        if decodes_as(upload, encoding):
            break
    else:
        raise UploadRefused(mismatch_message(extension))
    # Only the start is checked for markup; a short head decodes the same either way.
    start = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n\f\v").lower()
    if start.startswith(MARKUP_STARTS):
        raise UploadRefused(markup_message(extension), code="markup_in_text")


def check_upload(upload, extension):
    """Raise ``UploadRefused`` if ``upload``'s contents are unsafe or do not match ``extension``."""
    head = read_head(upload)
    if is_program(head):
        raise UploadRefused(PROGRAM_MESSAGE, code="executable")
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise UploadRefused(mismatch_message(extension))
    elif extension == "rtf":
        if not head.startswith(b"{\\rtf"):
            raise UploadRefused(mismatch_message(extension))
    elif extension in OOXML_MAIN_FOLDERS or extension == "odt":
        check_zip_document(upload, extension, head)
    elif extension in ("csv", "txt"):
        check_text_document(upload, extension, head)
    # Any other extension is refused (or not) by Wagtail's extension check.


class ContentCheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing files whose contents do not match their extension."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Editing a document without choosing a new file leaves the stored file alone.
        if not isinstance(upload, UploadedFile):
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        try:
            check_upload(upload, extension)
        except UploadRefused as refused:
            raise ValidationError(refused.message, code=refused.code) from None
        return upload

    def _update_errors(self, errors):
        # When the file is refused here (or by Wagtail for its size), it never reaches the
        # instance, so ``Document.clean`` then reports a confusing "File extension “” is not
        # allowed" too. Keep only the form's own, clear reason.
        if "file" in self._errors and hasattr(errors, "error_dict"):
            others = {field: error for field, error in errors.error_dict.items() if field != "file"}
            if not others:
                return
            errors = ValidationError(others)
        super()._update_errors(errors)
