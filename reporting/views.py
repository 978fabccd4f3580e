"""The public side of a journey: start, one step per screen, check your answers, confirmation.

Every response here is ``Cache-Control: no-store`` and carries no personal data in its URL or
title. Which draft a browser is on comes from a signed cookie scoped to the journey's URL
(``reporting.drafts``); the journey definition comes from the revision the draft is pinned to,
so someone who started on one revision finishes on it even if editors publish another.
"""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from home.site_context import get_site_context
from insight import events as insight

from . import abuse, drafts
from .evidence import EvidenceNotStored
from .models import Evidence, SpamCount

logger = logging.getLogger(__name__)

CHANGE_PARAM = "change"
# The route a report is sent from (``ReportJourneyPage.check_answers``).
SUBMIT_ROUTE = "check-your-answers/"


def is_report_submission(request):
    """Is ``request`` someone sending their report (the POST from "Check your answers")?

    Told from the method and path alone, so that the error page can say so when the database,
    which routes pages, does not answer.
    """
    return request.method == "POST" and request.path_info.endswith("/" + SUBMIT_ROUTE)


def no_store(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


class Flow:
    """One request's view of a journey on a force's site."""

    def __init__(self, request, page):
        # Everything posted on a journey is a reporter's answer: Django's error reports (the
        # ADMINS email, any exception reporter) show none of it (as sensitive_post_parameters).
        request.sensitive_post_parameters = "__ALL__"
        self.request = request
        self.page = page
        self.base_url = page.get_url(request) or "/"
        context = get_site_context(request)
        # None on the hub: a national journey there has no force to send to (the start page
        # sends people to their force's site instead).
        self.force = context.force
        self.draft = None

    # --- URLs ---------------------------------------------------------------------------------

    def url(self, route="", change=False):
        url = f"{self.base_url}{route}"
        return f"{url}?{CHANGE_PARAM}=1" if change else url

    def step_url(self, step, change=False):
        return self.url(f"step/{step.id}/", change)

    def check_url(self):
        return self.url(SUBMIT_ROUTE)

    # --- responses ----------------------------------------------------------------------------

    def render(self, template, context, status=200):
        base = {
            "page": self.page,
            "force": self.force,
            "journey_url": self.base_url,
            "timeout_minutes": settings.REPORT_DRAFT_TIMEOUT_MINUTES,
            "warning_minutes": settings.REPORT_DRAFT_WARNING_MINUTES,
            "keep_alive_url": self.url("keep-alive/"),
            "ended_url": self.url("session-ended/"),
            "honeypot_field": abuse.HONEYPOT_FIELD,
            "breadcrumbs": self.page.get_breadcrumbs(self.request),
            "save_url": self.url("save/"),
            "saved_until": self.draft.saved_until if self.draft is not None else None,
        }
        base.update(context)
        response = TemplateResponse(self.request, template, base, status=status)
        return no_store(response)

    def redirect(self, url):
        return no_store(HttpResponseRedirect(url))

    def session_ended(self):
        response = self.redirect(self.url("session-ended/"))
        drafts.clear_cookie(response, self.page, self.base_url)
        return response

    def load(self):
        """``(draft, journey)`` for this browser, or a response that ends the request."""
        draft, expired = drafts.from_request(self.request, self.page)
        if draft is None:
            if expired:
                return None, None, self.session_ended()
            return None, None, self.redirect(self.base_url)
        journey = drafts.journeys.get(draft.revision_id)
        if journey is None:  # the revision was deleted: start again on the current one
            return None, None, self.session_ended()
        self.draft = draft
        return draft, journey, None


# --- the views (called from ReportJourneyPage's routes) -----------------------------------------


def start_page(request, page):
    flow = Flow(request, page)
    draft, _expired = drafts.from_request(request, page)
    resume_url = None
    if draft is not None and not draft.submitted_reference:
        journey = drafts.journeys.get(draft.revision_id)
        if journey is not None and draft.answers:
            step = journey.next_step(draft.answers)
            resume_url = flow.step_url(step) if step is not None else flow.check_url()
    return flow.render(
        "reporting/start_page.html",
        {"resume_url": resume_url, "start_url": flow.url("start/")},
    )


def start(request, page):
    flow = Flow(request, page)
    if request.method != "POST":
        # The "Start now" button posts here; someone who opens the address goes to the start
        # page (a bare 405 would be a blank page to them).
        return flow.redirect(flow.base_url)
    if flow.force is None:
        raise Http404
    if abuse.over_rate_limit(request, "start"):
        abuse.count_dropped(flow.force, SpamCount.Reason.RATE_LIMIT)
        return flow.render("reporting/rate_limited.html", {}, status=429)
    try:
        draft = drafts.start(page, flow.force, get_language() or "en")
    except drafts.JourneyUnavailable as error:
        raise Http404 from error
    journey = drafts.journeys.get(draft.revision_id)
    first = journey.next_step({}) if journey is not None else None
    if first is None:
        raise Http404
    insight.record(insight.START, draft)
    response = flow.redirect(flow.step_url(first))
    drafts.set_cookie(response, page, draft, flow.base_url)
    return response


def _save_new_evidence(draft, form):
    """Save the files just uploaded on ``form`` (checked by content and size by the form);
    return their metadata per question, as ``StepForm.answers(new_evidence=...)`` takes it."""
    from .evidence import delete_evidence, save_evidence

    saved = {}
    stored = []
    for question_id in form.evidence_ids:
        saved[question_id] = []
        for uploaded in form.new_files(question_id):
            try:
                evidence = save_evidence(draft, question_id, uploaded, uploaded.content_type)
            except Exception:
                # All of this step's files or none: those stored before the failure go too.
                delete_evidence(stored)
                raise
            stored.append(evidence)
            saved[question_id].append(
                {
                    "evidence_id": str(evidence.pk),
                    "filename": uploaded.name,
                    "content_type": uploaded.content_type,
                    "size": evidence.size,
                }
            )
    return saved


def _remove_evidence(draft, evidence_ids):
    from .evidence import delete_evidence

    if evidence_ids:
        delete_evidence(list(Evidence.objects.filter(draft_key=draft.key, pk__in=evidence_ids)))


def step(request, page, step_id):
    flow = Flow(request, page)
    draft, journey, response = flow.load()
    if response is not None:
        return response
    if draft.submitted_reference:
        return flow.redirect(flow.url("confirmation/"))
    answers = draft.answers
    current = journey.step(step_id)
    if current is None or not journey.can_visit(current.id, answers):
        # Not reachable on the answers given so far (skipped ahead, or a stale link).
        target = journey.next_step(answers)
        return flow.redirect(flow.step_url(target) if target else flow.check_url())
    change = request.GET.get(CHANGE_PARAM) == "1"

    form = None
    if request.method == "POST" and not current.is_exit:
        form = current.form(data=request.POST, files=request.FILES, answers=answers)
        removed = form.removed_evidence()
        if removed:
            _remove_evidence(draft, removed)
            kept = {
                question_id: form.kept_evidence(question_id) for question_id in form.evidence_ids
            }
            drafts.save(draft, {**answers, **kept})
            return flow.redirect(flow.step_url(current, change))
        if form.action == "continue" and form.is_valid():
            try:
                new_evidence = _save_new_evidence(draft, form)
            except EvidenceNotStored as failure:
                # Storage is down, full or read-only: nothing from this step is kept.
                form.add_error(
                    failure.question_id, _("The selected file could not be uploaded – try again")
                )
                return _render_step(flow, journey, current, form, answers, change, status=503)
            answers = {**answers, **form.answers(new_evidence=new_evidence)}
            before = set(journey.evidence_ids(answers, on_path=False))
            answers = journey.prune(answers)
            _remove_evidence(draft, before - set(journey.evidence_ids(answers, on_path=False)))
            drafts.save(draft, answers)
            if change:
                target = journey.next_step(answers)
                url = flow.step_url(target, change=True) if target else flow.check_url()
            else:
                target = journey.step_after(current.id, answers)
                url = flow.step_url(target) if target else flow.check_url()
            return flow.redirect(url)
    elif request.method not in ("GET", "HEAD"):
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    else:
        drafts.save(draft)  # reading a step is activity too
    if form is None and not current.is_exit:
        form = current.form(answers=answers)
    status = 200 if form is None or not form.is_bound or not form.errors else 400
    if status == 400:
        insight.record_errors(draft, current.id, form)
    elif request.method == "GET":
        insight.record(insight.EXIT if current.is_exit else insight.STEP, draft, current.id)
    return _render_step(flow, journey, current, form, answers, change, status)


def _render_step(flow, journey, current, form, answers, change, status):
    if change:
        back_url = flow.check_url()
    else:
        previous = journey.step_before(current.id, answers)
        back_url = flow.step_url(previous) if previous else flow.base_url
    return flow.render(
        "reporting/exit_step.html" if current.is_exit else "reporting/step.html",
        {
            "step": current,
            "form": form,
            "single": current.label_is_heading,
            "error_summary": form.error_summary() if form is not None and form.is_bound else [],
            "back_url": back_url,
            "action_url": flow.step_url(current, change),
        },
        status=status,
    )


def check_answers(request, page):
    flow = Flow(request, page)
    draft, journey, response = flow.load()
    if response is not None:
        return response
    if draft.submitted_reference:
        return flow.redirect(flow.url("confirmation/"))
    answers = draft.answers
    pending = journey.next_step(answers)
    if pending is not None:  # not finished (or on an exit path): carry on where they are
        return flow.redirect(flow.step_url(pending))

    if request.method == "POST":
        return _submit(flow, draft, journey)
    if request.method not in ("GET", "HEAD"):
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    drafts.save(draft)
    if request.method == "GET":
        insight.record(insight.CHECK, draft)
    rows = journey.summary(answers)
    for row in rows:
        row["change_url"] = flow.step_url(journey.step(row["step_id"]), change=True)
    previous = journey.path(answers)
    back_step = previous[-1] if previous else None
    return flow.render(
        "reporting/check_answers.html",
        {
            "rows": rows,
            "back_url": flow.step_url(back_step) if back_step else flow.base_url,
            "action_url": flow.check_url(),
        },
    )


def _submit(flow, draft, journey):
    from .submissions import submit

    request = flow.request
    if abuse.honeypot_filled(request):
        abuse.count_dropped(flow.force, SpamCount.Reason.HONEYPOT)
        return flow.render("reporting/rate_limited.html", {}, status=400)
    if abuse.too_fast(draft):
        abuse.count_dropped(flow.force, SpamCount.Reason.TOO_FAST)
        return flow.render("reporting/rate_limited.html", {}, status=400)
    if abuse.over_rate_limit(request, "submit"):
        abuse.count_dropped(flow.force, SpamCount.Reason.RATE_LIMIT)
        return flow.render("reporting/rate_limited.html", {}, status=429)
    try:
        submission = submit(
            draft=draft, journey_page=flow.page, journey=journey, answers=draft.answers
        )
    except Exception as error:
        # The report is not stored: say so, with another way to report. Log only the kind of
        # failure; its message could quote the answers.
        logger.error(
            "A report could not be stored on %s (%s)", flow.force.slug, type(error).__name__
        )
        return flow.render("reporting/submit_failed.html", {}, status=503)
    logger.info("Report %s made on %s", submission.reference, flow.force.slug)
    insight.record_completion(draft)
    return flow.redirect(flow.url("confirmation/"))


def confirmation(request, page):
    flow = Flow(request, page)
    draft, _expired = drafts.from_request(request, page)
    if draft is None or not draft.submitted_reference:
        return flow.redirect(flow.base_url)
    from .models import Submission

    submission = (
        Submission.objects.filter(reference=draft.submitted_reference)
        .only("reference", "contact", "submitted_at")
        .first()
    )
    if submission is None:
        return flow.redirect(flow.base_url)
    return flow.render(
        "reporting/confirmation.html",
        {
            "reference": submission.reference,
            "emailed": bool((submission.contact or {}).get("email")),
            "satisfaction_ratings": _satisfaction_ratings(),
        },
    )


def _satisfaction_ratings():
    from feedback.models import Rating

    return Rating.choices


def session_ended(request, page):
    flow = Flow(request, page)
    response = flow.render("reporting/session_ended.html", {"start_url": flow.base_url})
    drafts.clear_cookie(response, page, flow.base_url)
    return response


def keep_alive(request, page):
    """Push a draft's expiry back (the timeout warning's "Continue" button)."""
    if request.method != "POST":
        return no_store(HttpResponseNotAllowed(["POST"]))
    draft, _expired = drafts.from_request(request, page)
    if draft is None:
        return no_store(HttpResponse(status=410))
    drafts.save(draft)
    return no_store(HttpResponse(status=204))


# --- save and come back later (reporting.save_and_return) ---------------------------------------


def _resume_target(flow, draft):
    journey = drafts.journeys.get(draft.revision_id)
    target = journey.next_step(draft.answers) if journey is not None else None
    return flow.step_url(target) if target is not None else flow.check_url()


def save(request, page):
    """Ask for a link by email to come back to this report later, on any device."""
    from .forms import SaveForm
    from .save_and_return import request_link, saved_days

    flow = Flow(request, page)
    draft, journey, response = flow.load()
    if response is not None:
        return response
    if draft.submitted_reference:
        return flow.redirect(flow.url("confirmation/"))
    back_url = _resume_target(flow, draft)
    if request.method == "POST":
        form = SaveForm(request.POST)
        if form.is_valid():
            if abuse.over_rate_limit(request, "save"):
                abuse.count_dropped(flow.force, SpamCount.Reason.RATE_LIMIT)
                return flow.render("reporting/rate_limited.html", {}, status=429)
            link = request_link(draft, form.cleaned_data["email"])
            insight.record(insight.SAVE, draft)
            response = flow.render(
                "reporting/saved.html",
                {
                    "email": form.cleaned_data["email"],
                    "expires_at": link.expires_at,
                    "continue_url": back_url,
                },
            )
            drafts.set_cookie(response, page, draft, flow.base_url)  # kept as long as the draft
            return response
        status = 400
    elif request.method in ("GET", "HEAD"):
        contact = journey.contact_details(draft.answers)
        form = SaveForm(initial={"email": contact.get("email", "")})
        status = 200
    else:
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    return flow.render(
        "reporting/save.html",
        {
            "form": form,
            "error_summary": form.error_summary() if form.is_bound else [],
            "back_url": back_url,
            "action_url": flow.url("save/"),
            "days": saved_days(),
        },
        status=status,
    )


def resume(request, page):
    """Where a saved report's link lands. Opening it uses nothing up (mail scanners open links
    too): the "Continue" button posts the token back, which uses the link and restores the
    draft in this browser."""
    from .save_and_return import TOKEN_PARAM, consume, find

    flow = Flow(request, page)
    if request.method == "POST":
        draft = consume(request.POST.get(TOKEN_PARAM), page)
        if draft is None:
            return _origin_only_referrer(
                flow.render("reporting/resume_invalid.html", {"start_url": flow.base_url}, 410)
            )
        insight.record(insight.RESUME, draft)
        drafts.save(draft)
        response = flow.redirect(_resume_target(flow, draft))
        drafts.set_cookie(response, page, draft, flow.base_url)
        return response
    if request.method not in ("GET", "HEAD"):
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    token = request.GET.get(TOKEN_PARAM, "")
    link = find(token, page)
    if link is None:
        return _origin_only_referrer(
            flow.render("reporting/resume_invalid.html", {"start_url": flow.base_url}, 410)
        )
    return _origin_only_referrer(
        flow.render(
            "reporting/resume.html",
            {
                "token": token,
                "token_param": TOKEN_PARAM,
                "expires_at": link.expires_at,
                "action_url": flow.url("resume/"),
            },
        )
    )


def _origin_only_referrer(response):
    # The landing page's address holds the token: it must not leave as a Referer, not even to
    # this site's access log. "strict-origin" sends the site's origin alone; "no-referrer"
    # would make the button's POST carry "Origin: null", which CSRF rightly refuses.
    response["Referrer-Policy"] = "strict-origin"
    return response
