"""The feedback endpoints. None of them is ever cached, and none is on a cached page's URL.

Content pages are served from the page cache, so the "Is this page useful?" form on them carries
no CSRF token (a token sets a cookie, and a page that sets one is not cached): its POST here is
CSRF-exempt. All it can do is add one to a count, so a forged one is worth no more than a real
one, and both are rate limited per client like the journeys. Everything that stores a comment
(the problem form, the satisfaction question, site feedback) is on an uncached page of its own,
with a CSRF token.
"""

from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt

from wagtail.models import Page, Site

from reporting import abuse
from reporting.models import ReportJourneyPage
from reporting.views import no_store

from . import services
from .forms import ProblemForm, SatisfactionForm, SiteFeedbackForm, UsefulForm, error_summary
from .models import Kind, Rating


def _render(request, template, context, status=200):
    return no_store(TemplateResponse(request, template, context, status=status))


def _redirect(url):
    return no_store(HttpResponseRedirect(url, status=303))


def _limited(request):
    if abuse.over_rate_limit(request, "feedback"):
        return _render(request, "feedback/rate_limited.html", {}, status=429)
    return None


@csrf_exempt
def page_useful(request):
    """ "Is this page useful?" Yes or No: counted, then a thank-you (and for No, what went
    wrong)."""
    if request.method != "POST":
        return no_store(HttpResponseNotAllowed(["POST"]))
    form = UsefulForm(request.POST)
    site = Site.find_for_request(request)
    page = services.page_on_site(form.data.get("page"), site) if form.is_valid() else None
    if page is None:
        return _render(request, "feedback/not_recorded.html", {}, status=400)
    if limited := _limited(request):
        return limited
    useful = form.cleaned_data["useful"] == "yes"
    services.record(request, Kind.USEFUL if useful else Kind.NOT_USEFUL, page)
    query = urlencode({"page": page.pk, "useful": "yes" if useful else "no"})
    return _redirect(f"{reverse('feedback:page_thanks')}?{query}")


def _page_from_query(request, key="page"):
    page = services.page_on_site(request.GET.get(key), Site.find_for_request(request))
    if page is None:
        raise Http404
    return page


def page_thanks(request):
    """Thanks, with the "what went wrong" form after a No (or "Report a problem")."""
    page = _page_from_query(request)
    asked = request.GET.get("useful") == "no" or request.GET.get("problem") == "1"
    form = ProblemForm(initial={"page": page.pk}) if asked else None
    return _render(
        request,
        "feedback/page_thanks.html",
        {
            "feedback_page": page,
            "page_url": page.get_url(request),
            "form": form,
            "thanked": request.GET.get("useful") in ("yes", "no") or request.GET.get("sent"),
            "action_url": reverse("feedback:page_problem"),
        },
    )


def page_problem(request):
    """What was wrong with a page: stored (encrypted) for the page's editors."""
    if request.method != "POST":
        return no_store(HttpResponseNotAllowed(["POST"]))
    form = ProblemForm(request.POST)
    site = Site.find_for_request(request)
    page = services.page_on_site(request.POST.get("page"), site)
    if page is None:
        return _render(request, "feedback/not_recorded.html", {}, status=400)
    if not form.is_valid():
        return _render(
            request,
            "feedback/page_thanks.html",
            {
                "feedback_page": page,
                "page_url": page.get_url(request),
                "form": form,
                "error_summary": error_summary(form),
                "action_url": reverse("feedback:page_problem"),
            },
            status=400,
        )
    if limited := _limited(request):
        return limited
    services.record(request, Kind.PROBLEM, page, comment=form.cleaned_data["comment"])
    return _redirect(f"{reverse('feedback:page_thanks')}?{urlencode({'page': page.pk, 'sent': 1})}")


def satisfaction(request):
    """The satisfaction question of a report's confirmation page."""
    if request.method != "POST":
        return no_store(HttpResponseNotAllowed(["POST"]))
    form = SatisfactionForm(request.POST)
    site = Site.find_for_request(request)
    page = services.page_on_site(request.POST.get("journey"), site)
    if page is None or page.specific_class is not ReportJourneyPage:
        return _render(request, "feedback/not_recorded.html", {}, status=400)
    if not form.is_valid():
        return _render(
            request,
            "feedback/satisfaction.html",
            {
                "form": form,
                "journey": page,
                "ratings": Rating.choices[::1],
                "error_summary": error_summary(form),
            },
            status=400,
        )
    if limited := _limited(request):
        return limited
    services.record(
        request,
        Kind.SATISFACTION,
        page,
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    )
    return _redirect(f"{reverse('feedback:thanks')}?{urlencode({'page': page.pk})}")


def site_feedback(request):
    """Feedback on the website as a whole (where the phase banner links by default)."""
    form = SiteFeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            if limited := _limited(request):
                return limited
            services.record(request, Kind.SITE, comment=form.cleaned_data["comment"])
            return _redirect(reverse("feedback:thanks"))
        status = 400
    elif request.method in ("GET", "HEAD"):
        status = 200
    else:
        return no_store(HttpResponseNotAllowed(["GET", "POST"]))
    return _render(
        request,
        "feedback/site.html",
        {"form": form, "error_summary": error_summary(form) if form.is_bound else []},
        status=status,
    )


def thanks(request):
    page = services.page_on_site(request.GET.get("page"), Site.find_for_request(request))
    return _render(
        request,
        "feedback/thanks.html",
        {"back_url": page.get_url(request) if isinstance(page, Page) else None},
    )
