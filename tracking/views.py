"""Track my report, on every force's site at ``/report/track/`` (``/cy/report/track/`` in Welsh).

1. ``start``: the reference and the email address or phone number given in the report. The
   answer is always "we have sent a code if they match" (``tracking.challenges``).
2. ``code``: the six-digit code. When it passes, this browser's session may read that report
   for ``TRACKING_ACCESS_MINUTES``.
3. ``report``: the report's timeline of status updates; when the force's latest update asks for
   more information, a button to ``add_information`` (text and a file), then ``information_sent``.

Everything is ``no-store``; nothing a reporter typed is put in a URL; the session holds only ids.
Works without JavaScript: plain forms, GOV.UK patterns.
"""

import logging
import time

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from home.site_context import get_site_context
from reporting.evidence import EvidenceNotStored
from reporting.models import Submission

from . import challenges, limits
from .follow_ups import add_information
from .forms import CodeForm, FollowUpForm, TrackForm
from .models import UpdateStatus
from .updates import needs_more_information, timeline

logger = logging.getLogger(__name__)

CHALLENGE_KEY = "tracking_challenge"
ACCESS_KEY = "tracking_access"
SENT_KEY = "tracking_sent"


def no_store(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


def _force(request):
    # Everything posted here is a reporter's (reference, contact, code, what they add): none of
    # it in Django's error reports.
    request.sensitive_post_parameters = "__ALL__"
    force = get_site_context(request).force
    if force is None:
        raise Http404  # the hub: reports are tracked on the force's own site
    return force


def _render(request, template, context, status=200):
    return no_store(TemplateResponse(request, template, context, status=status))


def _redirect(name):
    return no_store(HttpResponseRedirect(reverse(f"tracking:{name}")))


def error_summary(form, order):
    """``(href, message)`` for each error, in the order of the form's fields."""
    return [(f"#{name}", message) for name in order for message in form.errors.get(name, [])]


def _accessible_report(request, force):
    """The report this session proved it may read, or None (expired, another force's)."""
    access = request.session.get(ACCESS_KEY) or {}
    if access.get("force") != force.pk or access.get("until", 0) < time.time():
        return None
    return (
        Submission.objects.filter(pk=access.get("submission"), force=force)
        .select_related("force")
        .first()
    )


# --- 1. reference and contact -------------------------------------------------------------------


def start(request):
    force = _force(request)
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            reference = form.cleaned_data["reference"]
            if limits.code_requests_over_limit(request, reference):
                return _render(request, "tracking/rate_limited.html", {"force": force}, status=429)
            challenge = challenges.begin(force, reference, form.cleaned_data["contact"])
            request.session[CHALLENGE_KEY] = {"id": str(challenge.pk), "force": force.pk}
            request.session.pop(ACCESS_KEY, None)
            return _redirect("code")
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = TrackForm()
        status = 200
    else:
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    return _render(
        request,
        "tracking/start.html",
        {
            "form": form,
            "force": force,
            "error_summary": error_summary(form, ["reference", "contact"]),
        },
        status=status,
    )


# --- 2. the code --------------------------------------------------------------------------------


def code(request):
    force = _force(request)
    pending = request.session.get(CHALLENGE_KEY) or {}
    if pending.get("force") != force.pk:
        return _redirect("start")
    problem = ""
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            if limits.code_checks_over_limit(request):
                return _render(request, "tracking/rate_limited.html", {"force": force}, status=429)
            checked = challenges.check(force, pending["id"], form.cleaned_data["code"])
            if checked.submission is not None:
                request.session.cycle_key()  # a new session id once the reporter has proved it
                request.session.pop(CHALLENGE_KEY, None)
                request.session[ACCESS_KEY] = {
                    "submission": str(checked.submission.pk),
                    "force": force.pk,
                    "until": time.time() + settings.TRACKING_ACCESS_MINUTES * 60,
                }
                return _redirect("report")
            problem = checked.problem
            if problem == "expired":
                request.session.pop(CHALLENGE_KEY, None)
                return _render(request, "tracking/code_expired.html", {"force": force}, status=400)
            form.add_error(
                "code",
                _wrong_code_message(),
            )
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = CodeForm()
        status = 200
    else:
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    return _render(
        request,
        "tracking/code.html",
        {
            "form": form,
            "force": force,
            "minutes": settings.TRACKING_CODE_MINUTES,
            "error_summary": error_summary(form, ["code"]),
            "back_url": reverse("tracking:start"),
        },
        status=status,
    )


def _wrong_code_message():
    from django.utils.translation import gettext

    return gettext("The code is not right. Check it and try again, or request a new code")


# --- 3. the timeline, and adding information ----------------------------------------------------


def report(request):
    force = _force(request)
    if request.method not in ("GET", "HEAD"):
        return no_store(HttpResponseNotAllowed(["GET"]))
    submission = _accessible_report(request, force)
    if submission is None:
        return _redirect("start")
    updates = timeline(submission)
    language = get_language() or "en"
    return _render(
        request,
        "tracking/report.html",
        {
            "force": force,
            "submission": submission,
            "updates": [
                {
                    "status": update.get_status_display(),
                    "status_code": update.status,
                    "message": update.message_in(language),
                    "at": timezone.localtime(update.created_at),
                }
                for update in reversed(updates)
            ],
            "can_add": needs_more_information(updates),
            "sent": request.session.pop(SENT_KEY, False),
        },
    )


def add(request):
    force = _force(request)
    submission = _accessible_report(request, force)
    if submission is None:
        return _redirect("start")
    updates = timeline(submission)
    if not needs_more_information(updates):
        return _redirect("report")
    if request.method == "POST":
        form = FollowUpForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                add_information(
                    submission,
                    form.cleaned_data["text"],
                    form.cleaned_data.get("evidence"),
                    language=get_language() or "en",
                    in_reply_to=updates[-1],
                )
            except EvidenceNotStored:
                from django.utils.translation import gettext

                form.add_error(
                    "evidence", gettext("The selected file could not be uploaded – try again")
                )
                status = 503
            else:
                request.session[SENT_KEY] = True
                return _redirect("sent")
    elif request.method in ("GET", "HEAD"):
        form = FollowUpForm()
        status = 200
    else:
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    from reporting.validators import describe_types, format_file_size

    return _render(
        request,
        "tracking/add.html",
        {
            "force": force,
            "submission": submission,
            "form": form,
            "error_summary": error_summary(form, ["text", "evidence"]),
            "back_url": reverse("tracking:report"),
            "types": describe_types(),
            "max_size": format_file_size(settings.REPORT_EVIDENCE_MAX_BYTES),
            "max_length": form.fields["text"].max_length,
        },
        status=status,
    )


def sent(request):
    force = _force(request)
    submission = _accessible_report(request, force)
    if submission is None:
        return _redirect("start")
    return _render(request, "tracking/sent.html", {"force": force, "submission": submission})


__all__ = ["UpdateStatus", "add", "code", "report", "sent", "start"]
