"""The inbound API through which a force's back office posts status updates on its reports.

``POST /api/reports/<reference>/updates/`` on the force's own host, with

- ``X-Solh-Signature: sha256=<hex HMAC-SHA256 of the raw body>``, keyed with the force's
  webhook secret: the one secret the platform and the back office already share, used the
  same way in both directions (see the README, "Status updates from the back office");
- ``Idempotency-Key``: the back office's own id for this update (at most 200 characters);
- a JSON body ``{"status", "message_en", "message_cy"?, "officer_reference"?}``.

Answers are JSON: 201 with the update (the same answer, with ``Idempotent-Replayed: true``, to
a retry of an earlier request with the same key and body); otherwise a 4xx
``{"error": code, "message": ...}`` and nothing is changed. The signature is checked before
anything else is read, so an unsigned caller learns nothing (not even whether a reference
exists); a reference of another force is "not found", exactly like one that does not exist.
"""

import hmac
import json

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from forces.models import Force
from home.site_context import get_site_context
from reporting.delivery import sign
from reporting.models import Submission

from .forms import UpdateForm
from .models import UpdateSource
from .updates import IdempotencyConflict, post_update, request_hash

MAX_BODY_BYTES = 64 * 1024
MAX_KEY_LENGTH = 200
SIGNATURE_HEADER = "X-Solh-Signature"


def error(status, code, message, **extra):
    response = JsonResponse({"error": code, "message": message, **extra}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def verify_signature(secret, body, header):
    """Whether ``header`` is the ``sha256=`` HMAC of ``body`` with ``secret`` (constant time)."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(body, secret).encode(), header.strip().encode())


@csrf_exempt
def updates(request, reference):
    """Take one status update from the force's back office (see the module's docstring)."""
    if request.method != "POST":
        response = error(405, "method_not_allowed", "Use POST to send a status update.")
        response["Allow"] = "POST"
        return response
    force = get_site_context(request).force
    if force is None:
        return error(404, "not_found", "There is no force at this address.")
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY_BYTES:
        return error(413, "too_large", f"The body must be at most {MAX_BODY_BYTES} bytes.")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return error(413, "too_large", f"The body must be at most {MAX_BODY_BYTES} bytes.")

    secret, submission = secret_and_report(force, reference)
    if not verify_signature(secret, body, request.headers.get(SIGNATURE_HEADER)):
        return error(
            401,
            "invalid_signature",
            f"{SIGNATURE_HEADER} must be sha256= and the hex HMAC-SHA256 of the raw body, keyed "
            "with this force's webhook secret.",
        )
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key:
        return error(400, "missing_idempotency_key", "Send an Idempotency-Key header.")
    if len(key) > MAX_KEY_LENGTH:
        return error(
            400,
            "invalid_idempotency_key",
            f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters.",
        )
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return error(400, "invalid_json", "The body must be JSON (UTF-8).")
    cleaned, field_errors = UpdateForm.clean_json(payload)
    if field_errors:
        return error(
            422, "invalid_update", "The update has errors: see fields.", fields=field_errors
        )

    if submission is None:
        return error(404, "unknown_reference", "This force has no report with that reference.")
    try:
        posted = post_update(
            submission,
            cleaned,
            source=UpdateSource.API,
            idempotency_key=key,
            fingerprint=request_hash(reference, body),
        )
    except IdempotencyConflict:
        return error(
            409,
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different update; nothing was changed.",
        )
    update = posted.update
    response = JsonResponse(
        {
            "id": str(update.pk),
            "reference": submission.reference,
            "status": update.status,
            "created_at": update.created_at.isoformat(),
        },
        status=201,
    )
    response["Cache-Control"] = "no-store"
    if not posted.created:
        response["Idempotent-Replayed"] = "true"
    return response


def secret_and_report(force, reference):
    """``(webhook secret, report)`` of ``force``: its secret read afresh (the site's cached
    chrome holds the force without it) and its report ``reference`` (None if it has none), in
    one query. Nothing about the report is used before the signature has been checked."""
    forces, reports = Force._meta.db_table, Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.webhook_secret, s.id, s.contact FROM {forces} f "  # noqa: S608
            f"LEFT JOIN {reports} s ON s.force_id = f.id AND s.reference = %s WHERE f.id = %s",
            [reference, force.pk],
        )
        row = cursor.fetchone()
    if row is None:
        return "", None
    token, report_id, contact = row
    secret = Force(webhook_secret=token or "").get_webhook_secret()
    if report_id is None:
        return secret, None
    contact_field = Submission._meta.get_field("contact")
    report = Submission(
        pk=report_id,
        reference=reference,
        force=force,
        contact=contact_field.from_db_value(contact, None, connection),
    )
    report._state.adding = False
    return secret, report
