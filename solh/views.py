"""Project-wide views: health check, robots.txt, cookie settings and the themed error pages."""

import json
import logging
import sys
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from wagtail.models import Site

from home.context_processors import COOKIE_POLICY_NAME

logger = logging.getLogger(__name__)

COOKIE_POLICY_MAX_AGE = 365 * 24 * 60 * 60
# The database not answering (down, restarting, unreachable), as Django reports it.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@never_cache
@require_GET
def healthz(request):
    """Readiness for a load balancer: 200 while the database answers, 503 when it does not.

    The cache is checked and reported too, but a cache that does not answer only makes the
    server slower (pages are rendered from the database), so it is ``degraded``, not a reason
    to take the server out of service. Answered by ``HealthCheckMiddleware`` before anything
    that needs the database or a known host name.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("Health check: database unavailable")
        checks["database"] = "unavailable"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception:
        logger.exception("Health check: cache unavailable")
        checks["cache"] = "unavailable"
    if checks["database"] != "ok":
        status = "unavailable"
    elif checks["cache"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "unavailable" else 200
    )


@require_GET
def robots_txt(request):
    """Each site's robots.txt, pointing crawlers at that site's own sitemap."""
    site = Site.find_for_request(request)
    root_url = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /cookies/",
        f"Sitemap: {root_url}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def read_cookie_policy(request):
    """The visitor's cookie choices, or ``None`` if they have not chosen yet."""
    try:
        policy = json.loads(unquote(request.COOKIES.get(COOKIE_POLICY_NAME, "")))
    except (TypeError, ValueError):
        return None
    if not isinstance(policy, dict):
        return None
    return {"essential": True, "analytics": policy.get("analytics") is True}


# Exempt from CSRF so that pages carry no CSRF cookie before consent: the only effect of a
# forged request is to set the visitor's own cookie preference.
@csrf_exempt
@cache_control(private=True)  # shows the visitor's own choice
def cookie_settings(request):
    """The cookie settings page, which also receives the banner's no-JavaScript form."""
    if request.method == "POST":
        choice = request.POST.get("analytics")
        if choice not in {"yes", "no"}:
            policy = read_cookie_policy(request)
            return render(
                request,
                "cookies.html",
                {"policy": policy, "error": _("Select whether you accept analytics cookies.")},
                status=400,
            )
        next_url = request.POST.get("next") or request.path
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = request.path
        separator = "&" if "?" in next_url else "?"
        response = HttpResponseRedirect(f"{next_url}{separator}cookies=saved")
        response.set_cookie(
            COOKIE_POLICY_NAME,
            quote(json.dumps({"essential": True, "analytics": choice == "yes"})),
            max_age=COOKIE_POLICY_MAX_AGE,
            secure=request.is_secure(),
            httponly=False,  # read by the banner script to hide itself
            samesite="Lax",
        )
        return response
    return render(
        request,
        "cookies.html",
        {"policy": read_cookie_policy(request), "saved": request.GET.get("cookies") == "saved"},
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# How long a visitor (or a crawler) is told to wait when the database does not answer.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The error page. When the database does not answer: 503, a page that needs nothing but
    the static files (saying the report was not sent if that was a report being sent);
    otherwise themed when the database still answers, plain if not."""
    # Django calls this inside the ``except`` that caught the error, from whichever
    # middleware or view raised it, so the error is still at hand.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    try:
        return HttpResponse(loader.render_to_string("500.html", request=request), status=500)
    except Exception:
        logger.exception("Could not render the themed error page")
        return HttpResponse(
            loader.render_to_string("500_plain.html"), status=500, content_type="text/html"
        )


def service_unavailable(request):
    """503 while the database does not answer, with no query: a report being sent is told
    plainly that it has not been (its answers are kept in the draft for another try)."""
    from reporting.views import is_report_submission

    # The language middleware may not have run yet (the error can come from before it).
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = loader.render_to_string(
            "503.html",
            {
                "report_not_sent": is_report_submission(request),
                "draft_in_progress": _has_report_in_progress(request),
                "retry_path": request.path,
            },
            request=None,  # no context processors: they would ask the database
        )
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _has_report_in_progress(request):
    from reporting.drafts import COOKIE_PREFIX

    return any(name.startswith(COOKIE_PREFIX) for name in request.COOKIES)
