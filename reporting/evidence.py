"""Evidence files: stored in private storage, deleted with their report, downloaded by signed link.

A file's name in storage is ``evidence/<draft key>/<evidence id>``, never the reporter's file
name (which may be personal data, and is kept encrypted on the ``Evidence`` row). Files are only
ever read through a short-lived link: the storage's own signed URL where it issues them (S3), or
a link to ``reporting:evidence`` carrying a signed, timed token of the evidence id.
"""

import hashlib
import logging
import os

from django.conf import settings
from django.core import signing
from django.core.files.storage import storages
from django.db import transaction
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from .models import AccessAction, Evidence, ReportAccessRecord

logger = logging.getLogger(__name__)

DOWNLOAD_SALT = "reporting.evidence.download"
# Links issued to a handler in the admin are signed apart from the back office's, with the
# handler's user id inside, so that neither kind of token can pass for the other.
HANDLER_SALT = "reporting.evidence.handler-download"
STORAGE = "private"


class EvidenceNotStored(Exception):
    """Storage did not take an evidence file, or cannot show it holds one (it is down, full or
    read-only). ``question_id`` is the question the file answers."""

    def __init__(self, question_id):
        super().__init__(question_id)
        self.question_id = question_id


def private_storage():
    return storages[STORAGE]


def save_evidence(draft, question_id, uploaded_file, content_type):
    """Store ``uploaded_file`` as evidence for question ``question_id`` of ``draft``.

    The file must already have been checked (``reporting.validators.check_evidence_file``);
    ``content_type`` is the type found from its content. Size and SHA-256 are computed from the
    bytes themselves, so the back office can check what it downloads.
    """
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)

    evidence = Evidence(
        draft_key=draft.key,
        question_id=question_id,
        original_name=os.path.basename(uploaded_file.name or "")[:255] or "evidence",
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )
    # The name given here is replaced by ``evidence_path``: never the reporter's file name.
    name = evidence.file.field.generate_filename(evidence, str(evidence.pk))
    try:
        evidence.file.save(str(evidence.pk), uploaded_file, save=False)
    except Exception as error:
        # A write that failed part-way (a full disk) leaves part of the file behind.
        _delete_files([name])
        logger.error("Could not store evidence file %s (%s)", name, type(error).__name__)
        raise EvidenceNotStored(question_id) from error
    try:
        evidence.save()
    except BaseException:
        _delete_files([evidence.file.name])
        raise
    return evidence


def check_stored(evidence):
    """Raise ``EvidenceNotStored`` unless private storage confirms it holds the file of each
    item of ``evidence`` (for a report, before its reference is given)."""
    storage = private_storage()
    for item in evidence:
        try:
            found = storage.exists(item.file.name)
        except Exception as error:
            logger.error(
                "Could not check evidence file %s (%s)", item.file.name, type(error).__name__
            )
            raise EvidenceNotStored(item.question_id) from error
        if not found:
            logger.error("Evidence file %s is missing from storage", item.file.name)
            raise EvidenceNotStored(item.question_id)


def delete_evidence(evidence):
    """Delete evidence rows (a queryset or a list) and, once that commits, their files.

    A file already missing from storage is not an error. Returns the number of rows deleted.
    """
    items = list(evidence.only("pk", "file")) if hasattr(evidence, "only") else list(evidence)
    if not items:
        return 0
    names = [item.file.name for item in items if item.file]
    deleted, _by_model = Evidence.objects.filter(pk__in=[item.pk for item in items]).delete()
    delete_files_on_commit(names)
    return deleted


def delete_files_on_commit(names):
    """Remove ``names`` from private storage once the current transaction commits."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names):
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except FileNotFoundError:
            pass
        except Exception as error:
            # The name is ``evidence/<uuid>/<uuid>``: no personal data in it.
            logger.warning("Could not delete evidence file %s (%s)", name, type(error).__name__)


def _storage_signs_urls(storage):
    # django-storages' S3 backend with ``querystring_auth`` issues presigned, expiring URLs.
    return bool(getattr(storage, "querystring_auth", False))


def download_url(evidence, base_url, user=None):
    """A link to download ``evidence`` that works for ``REPORT_EVIDENCE_URL_SECONDS``.

    ``base_url`` is the scheme and host to use for links served by this application (the
    force's site, e.g. ``https://www.thamesvalley.police.uk``). Neither form of link carries
    personal data: the storage's signed URL names the object by ids only; ours carries a signed
    token of the evidence id.

    With ``user`` (a handler in the admin) the link is always ours and works only in that
    user's own signed-in session: a copied or leaked link is useless to anyone else, even
    another handler of the same force.
    """
    seconds = settings.REPORT_EVIDENCE_URL_SECONDS
    if user is not None:
        value = f"{evidence.pk}:{user.pk}"
        token = signing.TimestampSigner(salt=HANDLER_SALT).sign(value)
        return base_url.rstrip("/") + reverse("reporting:evidence", args=[token])
    storage = private_storage()
    if _storage_signs_urls(storage):
        return storage.url(
            evidence.file.name,
            parameters={"ResponseContentDisposition": "attachment"},
            expire=seconds,
        )
    token = signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(str(evidence.pk))
    return base_url.rstrip("/") + reverse("reporting:evidence", args=[token])


def _token_evidence_id(request, token):
    """The evidence id ``token`` grants to ``request``, or ``None``."""
    max_age = settings.REPORT_EVIDENCE_URL_SECONDS
    try:  # SignatureExpired is a BadSignature: an expired link is refused like a forged one
        return signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        pass
    try:
        value = signing.TimestampSigner(salt=HANDLER_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None
    evidence_id, _, user_id = value.partition(":")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or str(user.pk) != user_id:
        return None
    return evidence_id


@require_safe
def serve(request, token):
    """Stream the evidence file named by a valid, unexpired token (404 otherwise).

    A handler's token (see ``download_url``) works only for the user it was issued to.
    """
    evidence_id = _token_evidence_id(request, token)
    if evidence_id is None:
        raise Http404
    evidence = (
        Evidence.objects.select_related("submission")
        .filter(pk=evidence_id, submission__isnull=False)
        .first()
    )
    if evidence is None:
        raise Http404
    try:
        handle = private_storage().open(evidence.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error

    ReportAccessRecord.objects.create(
        force_id=evidence.submission.force_id,
        action=AccessAction.DOWNLOAD,
        reference=evidence.submission.reference,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    return response
